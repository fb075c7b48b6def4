using System.Numerics;
using Psistats.CgminerSimulator.Faults;

namespace Psistats.CgminerSimulator.Miner;

/// <summary>
/// The simulated Cointerra TerraMiner: two boards (CTA0, CTA1) of about 1 TH/s each, two pools, cgminer 4.3.5.
/// Nothing runs in the background: every reading is computed from the time since cgminer started (on the injected
/// <see cref="TimeProvider"/>), the seed and the faults on, so a test with a fake clock sees counters advance exactly
/// as it moves the clock. Counters never go backwards while a fault is on; switching a fault off shows the healthy
/// miner again at once (an overlay, not a history), and <see cref="Restart"/> (a reboot) starts them from zero.
/// </summary>
internal sealed class TerraMiner
{
    /// <summary>cgminer version reported by <c>version</c> and in every <c>Description</c>.</summary>
    public const string CgminerVersion = "4.3.5";

    /// <summary>API version of cgminer 4.3.5.</summary>
    public const string ApiVersion = "3.4";

    /// <summary>Pool share difficulty (each accepted share is worth this many diff-1 shares).</summary>
    public const double ShareDifficulty = 2048;

    /// <summary>Network difficulty reported by <c>coin</c> (mid-2014, when TerraMiners ran).</summary>
    public const double NetworkDifficulty = 16818461371.161;

    private const double TwoTo32 = 4294967296.0;
    private const int RejectEvery = 250, StaleEvery = 700;
    private const double HardwareErrorSeconds = 240, BlockSeconds = 600, TempClimbSecondsPerDegree = 10, TempClimbMax = 60;
    private const double SickIdleSeconds = 60, DeadIdleSeconds = 600;

    private readonly TimeProvider _time;
    private long _startedAtTicks;

    /// <summary>A miner named <paramref name="name"/> whose boards and noise come from <paramref name="seed"/>, started now.</summary>
    public TerraMiner(string name, long seed, TimeProvider time)
    {
        Name = name;
        Seed = seed;
        _time = time;
        Boards = [new BoardProfile(seed, 0), new BoardProfile(seed, 1)];
        Pools = PoolProfile.For(name);
        Restart();
    }

    /// <summary>The miner's name (pool worker suffix).</summary>
    public string Name { get; }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <summary>The boards.</summary>
    public IReadOnlyList<BoardProfile> Boards { get; }

    /// <summary>The pools.</summary>
    public IReadOnlyList<PoolProfile> Pools { get; }

    /// <summary>When cgminer (re)started.</summary>
    public DateTimeOffset StartedAt => new(Interlocked.Read(ref _startedAtTicks), TimeSpan.Zero);

    /// <summary>Seconds since cgminer started.</summary>
    public double Elapsed => Math.Max(0, (_time.GetUtcNow() - StartedAt).TotalSeconds);

    /// <summary>cgminer starts again now: <c>Elapsed</c> and every counter from zero.</summary>
    public void Restart() => Interlocked.Exchange(ref _startedAtTicks, _time.GetUtcNow().UtcTicks);

    /// <summary>Everything the miner reports now, with <paramref name="faults"/> applied.</summary>
    public MinerReading Read(FaultSnapshot faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var now = _time.GetUtcNow();
        var start = StartedAt;
        var t = Math.Max(0, (now - start).TotalSeconds);
        double? On(string fault) => faults.Get(fault) is { } f ? Math.Max(0, (f.Since - start).TotalSeconds) : null;

        var context = new ReadContext(this, start, t, now.ToUnixTimeSeconds(), On);
        var boards = Boards.Select(context.Board).ToList();
        var pools = context.PoolReadings(boards);
        return new MinerReading(context.When, t, boards.Select(b => b.Reading).ToList(), pools, context.Summary(boards, pools), context.Coin());
    }

    private sealed record BoardState(BoardProfile Profile, HashTimeline Timeline, BoardReading Reading);

    private sealed class ReadContext(TerraMiner miner, DateTimeOffset start, double t, long when, Func<string, double?> on)
    {
        public long When => when;

        private long Seed => miner.Seed;

        /// <summary>A rate over cgminer's life, as cgminer divides by its elapsed time (0 at the very start instead of infinity).</summary>
        private double PerSecond(double total) => t > 0 ? total / t : 0;

        private long Window(double seconds) => (long)Math.Floor(t / seconds);

        public BoardState Board(BoardProfile board)
        {
            var changes = new List<(double, double)>();
            double? frozenAt = null;
            var status = "Alive";
            var sick = board.Index == 0 ? on(FaultNames.AsicSick) : null;
            var dead = board.Index == 1 ? on(FaultNames.AsicDead) : null;
            var disabled = board.Index == 0 ? on(FaultNames.AsicDisabled) : null;
            var dieLost = board.Index == 1 ? on(FaultNames.DieInactive) : null;
            if (sick is { } s)
            {
                changes.Add((s, 0));
                frozenAt = s - SickIdleSeconds;
                status = "Sick";
            }

            if (dead is { } d)
            {
                changes.Add((d, 0));
                frozenAt = d - DeadIdleSeconds;
                status = "Dead";
            }

            if (disabled is { } off)
            {
                changes.Add((off, 0));
                frozenAt = Math.Min(frozenAt ?? off, off);
            }

            if (dieLost is { } lost)
            {
                changes.Add((lost, (BoardProfile.Dies - 1) / (double)BoardProfile.Dies));
            }

            var timeline = new HashTimeline(changes);
            var hashSeconds = timeline.HashSecondsAt(t);
            var rate = timeline.RateAt(t);
            var shares = Counts(board, timeline, t);
            var sharesFound = SharesFound(board, hashSeconds);
            var temps = Temperatures(board, dieLost is not null);
            var mhs = board.HashRate / 1e6 * rate;
            var device = new DeviceReading
            {
                Index = board.Index,
                Enabled = disabled is null,
                Status = status,
                Temperature = temps.Cores.Max() / 100.0,
                MhsAv = PerSecond(board.HashRate * hashSeconds / 1e6),
                Mhs5s = mhs * (1 + 0.03 * Noise.Signed(Seed, 5 + board.Index, Window(5))),
                Mhs1m = mhs * (1 + 0.012 * Noise.Signed(Seed, 60 + board.Index, Window(60))),
                Mhs5m = mhs * (1 + 0.006 * Noise.Signed(Seed, 300 + board.Index, Window(300))),
                Mhs15m = mhs * (1 + 0.004 * Noise.Signed(Seed, 900 + board.Index, Window(900))),
                Shares = shares,
                HardwareErrors = (long)Math.Floor(hashSeconds / HardwareErrorSeconds + board.HwPhase),
                LastSharePool = sharesFound == 0 ? -1 : on(FaultNames.PoolDead) is { } deadPool && sharesFound > SharesFound(board, timeline.HashSecondsAt(deadPool)) ? 1 : 0,
                LastShareTime = LastShareTime(board, timeline, t),
                TotalMh = board.HashRate * hashSeconds / 1e6,
                Diff1Work = Diff1(board, hashSeconds),
                LastValidWork = frozenAt is { } frozen ? (long)Math.Floor(start.ToUnixTimeMilliseconds() / 1000.0 + frozen) : when,
                Elapsed = t,
            };
            return new BoardState(board, timeline, new BoardReading(device, Stats(board, timeline, shares, temps, dieLost is not null)));
        }

        public IReadOnlyList<PoolReading> PoolReadings(IReadOnlyList<BoardState> boards)
        {
            var deadAt = on(FaultNames.PoolDead);
            var switchAt = Math.Min(t, deadAt ?? t);
            var beforeSwitch = boards.Select(b => Counts(b.Profile, b.Timeline, switchAt)).Aggregate(ShareCounts.None(ShareDifficulty), (a, c) => a.Plus(c));
            var all = boards.Select(b => b.Reading.Device.Shares).Aggregate(ShareCounts.None(ShareDifficulty), (a, c) => a.Plus(c));
            var firstLast = boards.Max(b => LastShareTime(b.Profile, b.Timeline, switchAt));
            var secondLast = deadAt is null ? 0 : boards.Max(b => SharesFound(b.Profile, b.Timeline.HashSecondsAt(t)) > SharesFound(b.Profile, b.Timeline.HashSecondsAt(switchAt))
                ? LastShareTime(b.Profile, b.Timeline, t)
                : 0);
            return
            [
                Pool(0, miner.Pools[0], deadAt is null ? "Alive" : "Dead", beforeSwitch, switchAt, firstLast, stratumActive: deadAt is null,
                    getFailures: deadAt is { } d ? 1 + (long)Math.Floor((t - d) / 30) : 0),
                Pool(1, miner.Pools[1], "Alive", all.Minus(beforeSwitch), t - switchAt, secondLast, stratumActive: deadAt is not null, getFailures: 0),
            ];
        }

        public SummaryReading Summary(IReadOnlyList<BoardState> boards, IReadOnlyList<PoolReading> pools)
        {
            var devices = boards.Select(b => b.Reading.Device).ToList();
            return new SummaryReading
            {
                MhsAv = devices.Sum(d => d.MhsAv),
                Mhs5s = devices.Sum(d => d.Mhs5s),
                Mhs1m = devices.Sum(d => d.Mhs1m),
                Mhs5m = devices.Sum(d => d.Mhs5m),
                Mhs15m = devices.Sum(d => d.Mhs15m),
                Getworks = pools.Sum(p => p.Getworks),
                Shares = devices.Select(d => d.Shares).Aggregate(ShareCounts.None(ShareDifficulty), (a, c) => a.Plus(c)),
                HardwareErrors = devices.Sum(d => d.HardwareErrors),
                Discarded = pools.Sum(p => p.Discarded),
                GetFailures = pools.Sum(p => p.GetFailures),
                LocalWork = (long)Math.Floor(t * 61.3),
                NetworkBlocks = Window(BlockSeconds) + 1,
                TotalMh = devices.Sum(d => d.TotalMh),
                Diff1Work = devices.Sum(d => d.Diff1Work),
                BestShare = pools.Max(p => p.BestShare),
            };
        }

        public CoinReading Coin()
        {
            var phase = (long)(Noise.Unit(Seed, 7, 0) * BlockSeconds);
            var block = (long)Math.Floor((when - phase) / BlockSeconds);
            var hash = "0000000000000000" + string.Concat(Enumerable.Range(0, 3).Select(i => Noise.Hash(Seed, 8 + i, block).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)));
            return new CoinReading(block * (long)BlockSeconds + phase, (int)(Noise.Unit(Seed, 11, block) * 1_000_000), hash, NetworkDifficulty);
        }

        private PoolReading Pool(int index, PoolProfile profile, string status, ShareCounts shares, double activeSeconds, long lastShareTime, bool stratumActive, long getFailures)
        {
            var found = shares.Accepted + shares.Rejected + shares.Stale;
            var getworks = activeSeconds > 0 || index == 0 ? 1 + (long)Math.Floor(activeSeconds / 30) : 0;
            var timesSent = (ulong)(found + getworks + 2);
            var timesRecv = (ulong)(found + 2 * getworks + 3);
            return new PoolReading
            {
                Index = index,
                Url = profile.Url,
                Status = status,
                Priority = index,
                Getworks = getworks,
                Shares = shares,
                Works = (long)Math.Floor(activeSeconds * 4.2),
                Discarded = (long)Math.Floor(activeSeconds / 40),
                GetFailures = getFailures,
                User = profile.User,
                LastShareTime = lastShareTime,
                StratumActive = stratumActive,
                StratumHost = profile.StratumHost,
                BestShare = found == 0 ? 0 : (ulong)(ShareDifficulty * (1 + 0.7 * found)),
                TimesSent = timesSent,
                BytesSent = timesSent * 152,
                TimesRecv = timesRecv,
                BytesRecv = timesRecv * 410,
            };
        }

        private static long SharesFound(BoardProfile board, double hashSeconds) =>
            (long)Math.Floor(hashSeconds / ShareInterval(board) + board.SharePhase);

        private static double ShareInterval(BoardProfile board) => ShareDifficulty * TwoTo32 / board.HashRate;

        private static long Diff1(BoardProfile board, double hashSeconds) => (long)Math.Floor(board.HashRate * hashSeconds / TwoTo32);

        private long LastShareTime(BoardProfile board, HashTimeline timeline, double at)
        {
            var found = SharesFound(board, timeline.HashSecondsAt(at));
            if (found == 0)
            {
                return 0;
            }

            var shareAt = timeline.WallSecondsAt((found - board.SharePhase) * ShareInterval(board));
            return (long)Math.Floor(start.ToUnixTimeMilliseconds() / 1000.0 + shareAt);
        }

        /// <summary>Share counts of a board at <paramref name="at"/> seconds: 1 share in 250 rejected, 1 in 700 stale; under high-rejects (board 0) a jump to above 5 % then half of the new shares rejected.</summary>
        private ShareCounts Counts(BoardProfile board, HashTimeline timeline, double at)
        {
            var found = SharesFound(board, timeline.HashSecondsAt(at));
            var rejected = found / RejectEvery;
            var stale = found / StaleEvery;
            var accepted = found - rejected - stale;
            if (board.Index == 0 && on(FaultNames.HighRejects) is { } since && at >= since)
            {
                var hashedThen = timeline.HashSecondsAt(since);
                var jump = Math.Max(1, (long)Math.Ceiling(0.06 * Diff1(board, hashedThen) / ShareDifficulty));
                var moved = (found - SharesFound(board, hashedThen) + 1) / 2;
                rejected += jump + moved;
                accepted -= moved;
            }

            return new ShareCounts(accepted, rejected, stale, ShareDifficulty);
        }

        private sealed record Temps(short[] Cores, short Low, short Avg, short High);

        private Temps Temperatures(BoardProfile board, bool dieLost)
        {
            var climb = on(FaultNames.TempClimb) is { } since ? Math.Min((t - since) / TempClimbSecondsPerDegree, TempClimbMax) : 0;
            var window = Window(5);
            var stream = 100L * (board.Index + 1);
            var ambient = board.AmbientBase + 0.2 * Noise.Signed(Seed, stream, window) + climb;
            var lostCores = dieLost ? BoardProfile.CoresOfDie(BoardProfile.Dies - 1).ToHashSet() : [];
            var cores = Enumerable.Range(0, BoardProfile.Cores)
                .Select(c => lostCores.Contains(c) ? ambient + 3 : board.CoreTempBase[c] + 0.4 * Noise.Signed(Seed, stream + 1 + c, window) + climb)
                .Select(Hundredths)
                .ToArray();
            return new Temps(cores, Hundredths(ambient - 1.5), Hundredths(ambient), Hundredths(ambient + 2.2));
        }

        private static short Hundredths(double celsius) => (short)Math.Round(celsius * 100);

        private BoardStats Stats(BoardProfile board, HashTimeline timeline, ShareCounts shares, Temps temps, bool dieLost)
        {
            var hashSeconds = timeline.HashSecondsAt(t);
            var rate = timeline.RateAt(t);
            var window = Window(5);
            var stream = 200L * (board.Index + 1);
            double Jitter(long s, double amplitude) => 1 + amplitude * Noise.Signed(Seed, stream + s, window);

            var bitmaps = board.PipeBitmaps.Select(b => b.ToArray()).ToArray();
            if (dieLost)
            {
                foreach (var core in BoardProfile.CoresOfDie(BoardProfile.Dies - 1))
                {
                    Array.Clear(bitmaps[core]);
                }
            }

            var livePerCore = bitmaps.Select(b => b.Sum(x => BitOperations.PopCount(x))).ToArray();
            var live = livePerCore.Sum();
            var load = rate * live / (double)(BoardProfile.Cores * BoardProfile.PipesPerCore);
            var hashes = board.HashRate * hashSeconds;
            var shareHashes = (shares.Accepted + shares.Rejected + shares.Stale) * ShareDifficulty * TwoTo32;
            var iout = 10050 * (0.25 + 0.75 * load) * Jitter(1, 0.01);
            return new BoardStats
            {
                BoardNumber = board.Index,
                Serial = board.Serial,
                CoreTemp = temps.Cores,
                AmbientLow = temps.Low,
                AmbientAvg = temps.Avg,
                AmbientHigh = temps.High,
                PumpRpm = board.PumpBase.Select((rpm, p) => (ushort)(rpm + 15 * Noise.Signed(Seed, stream + 10 + p, window))).ToArray(),
                FanRpm = Enumerable.Range(0, BoardProfile.Fans).Select(f => FanRpm(board, f, stream, window)).ToArray(),
                CoreFreqs = board.CoreFreqs.ToArray(),
                CoreVolts = board.CoreVolts.ToArray(),
                Volts33 = (ushort)(3300 + 8 * Noise.Signed(Seed, stream + 20, window)),
                Volts12 = (ushort)(12050 + 30 * Noise.Signed(Seed, stream + 21, window)),
                Inactive = (ushort)(BoardProfile.Cores * BoardProfile.PipesPerCore - live),
                Active = (ushort)live,
                FanSpeed = Enumerable.Range(0, BoardProfile.Fans).Select(f => (byte)(f < board.FansInUse ? 55 + (int)(5 * Noise.Unit(Seed, stream + 30 + f, 0)) : 0)).ToArray(),
                DiesActive = (byte)(BoardProfile.Dies - (dieLost ? 1 : 0)),
                Underruns = (int)Math.Floor(t / 1800),
                HwErrors = Enumerable.Range(0, BoardProfile.Cores)
                    .Select(c => (ushort)Math.Floor(hashSeconds / (HardwareErrorSeconds * BoardProfile.Cores) + Noise.Unit(Seed, stream + 40 + c, 0))).ToArray(),
                CalcHashrate = (ulong)PerSecond(hashes * 0.9985),
                Hashrate = (ulong)PerSecond(hashes),
                Hashrate15m = (ulong)(board.HashRate * rate * Jitter(50, 0.004)),
                ShareHashrate = (ulong)PerSecond(shareHashes),
                TotalCalcHashes = (ulong)(hashes * 0.9985),
                TotalHashes = (ulong)hashes,
                TotalRawHashes = (ulong)(hashes + board.HashRate * 30),
                TotalShareHashes = (ulong)shareHashes,
                TotalFlushedHashes = (ulong)(hashes * 0.0021),
                AcceptedHashes = (ulong)(shares.DifficultyAccepted * TwoTo32),
                AcceptedHashrate = (ulong)PerSecond(shares.DifficultyAccepted * TwoTo32),
                RejectedHashes = (ulong)(shares.DifficultyRejected * TwoTo32),
                RejectedHashrate = (ulong)PerSecond(shares.DifficultyRejected * TwoTo32),
                CoreHashrate = livePerCore.Select((n, c) => (ulong)(board.HashRate * rate * n / Math.Max(live, 1) * Jitter(60 + c, 0.02))).ToArray(),
                Uptime = (uint)Math.Floor(t) + 37,
                PipeBitmaps = bitmaps,
                PowerSupplyPercent = (byte)(30 + 32 * load),
                Iout = (ushort)iout,
                Vout = 1200,
                Iin = (ushort)(iout * 12.0 / 230.5 / 0.92),
                Vin = (ushort)(23050 + 40 * Noise.Signed(Seed, stream + 70, window)),
                PsTemp1 = (ushort)(4325 + 20 * Noise.Signed(Seed, stream + 71, window)),
                PsTemp2 = (ushort)(4110 + 20 * Noise.Signed(Seed, stream + 72, window)),
                Regulators = Enumerable.Range(0, BoardProfile.Regulators).Select(c => Regulator(board, c, rate * livePerCore[c] / BoardProfile.PipesPerCore, stream, window)).ToArray(),
                CoreFmatch = Enumerable.Range(0, BoardProfile.Cores).Select(c => (ushort)Math.Floor(hashSeconds / 5400 + Noise.Unit(Seed, stream + 80 + c, 0))).ToArray(),
            };
        }

        private ushort FanRpm(BoardProfile board, int fan, long stream, long window) => fan < board.FansInUse
            ? (ushort)(board.FanBase[fan] + 25 * Noise.Signed(Seed, stream + 90 + fan, window))
            : (board.Index, fan) switch
            {
                (0, 2) => (ushort)0,
                (1, _) => (ushort)65280,
                _ => ushort.MaxValue,
            };

        private RegulatorReading Regulator(BoardProfile board, int core, double load, long stream, long window)
        {
            var iout = 11700 * (0.2 + 0.8 * load) * (1 + 0.01 * Noise.Signed(Seed, stream + 100 + core, window));
            var vout = board.CoreVolts[core] / 10.0;
            var pout = iout * vout / 100;
            var efficiency = 8450 + 50 * Noise.Signed(Seed, stream + 110 + core, window);
            var pin = pout / (efficiency / 10000);
            var temp1 = 5500 + 300 * load + 30 * Noise.Signed(Seed, stream + 120 + core, window);
            return new RegulatorReading(1200, (ushort)(pin * 100 / 1200), (ushort)vout, (ushort)iout, (ushort)temp1, (ushort)(temp1 - 250),
                (ushort)pout, (ushort)pin, (ushort)efficiency, 0);
        }
    }
}
