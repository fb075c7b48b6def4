using BenchmarkDotNet.Attributes;
using Psistats.Aggregator.Rules;
using Psistats.Bench;
using Psistats.Contracts.Frames;

namespace Psistats.Benchmarks;

/// <summary>
/// <see cref="AlertEngine.OnFrame"/> per frame with every built-in on and 100 rules of one's own (<see cref="BenchRules"/>:
/// 129 active rules), on a fleet of 100 hosts whose hosts, disks and alerts the engine already knows. Time per frame,
/// bytes allocated per frame (MemoryDiagnoser).
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluation
{
    private AlertEngine _engine = null!;
    private FrameEnvelope _clean = null!;
    private FrameEnvelope _fullDisk = null!;
    private FrameEnvelope _sickMiner = null!;
    private FrameEnvelope _flapFull = null!;
    private FrameEnvelope _flapClean = null!;
    private FrameEnvelope[] _mix = [];
    private int _next;
    private DateTimeOffset _at;

    /// <summary>Builds the engine, warms it up with the fleet, and checks that the clean frames are clean.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (var fixtures, var fleet, _engine, _at) = BenchFleet.WarmedUp();
        _mix = [.. BenchFleet.Minute(fleet).Select(f => BenchFleet.Envelope(f.Frame, f.Host))];
        var server = fixtures.Hosts["server-many-disks"];
        _clean = BenchFleet.Envelope(server.Single(f => f.Reporter == "diskio"), BenchFleet.Server);
        _fullDisk = BenchFleet.Envelope(fixtures.FullDisk["server-many-disks"], BenchFleet.Server);
        _sickMiner = BenchFleet.Envelope(fixtures.SickMiner, BenchFleet.SickMiner);
        _flapFull = BenchFleet.Envelope(fixtures.FullDisk["server-many-disks"], "host00012");
        _flapClean = BenchFleet.Envelope(server.Single(f => f.Reporter == "hddspace"), "host00012");
        if (!ReferenceEquals(_engine.OnFrame(_clean, Next()), FrameVerdict.Clean))
        {
            throw new InvalidOperationException("the server's diskio frame matches a rule: it is no clean frame");
        }

        for (var i = 0; i < 200; i++)
        {
            _engine.OnFrame(_fullDisk, Next());
            _engine.OnFrame(_sickMiner, Next());
        }

        BenchFleet.ExpectMatches(_engine.OnFrame(_fullDisk, Next()), "the full hddspace frame");
        BenchFleet.ExpectMatches(_engine.OnFrame(_sickMiner, Next()), "the sick cgminer frame");
    }

    /// <summary>
    /// A clean frame: server-many-disks' diskio (9 disks x 26 iostat columns), read by the 13 Diskmonitor rules,
    /// disk_missing and 16 user rules; nothing matches.
    /// </summary>
    [Benchmark(Baseline = true)]
    public FrameVerdict CleanDiskIo() => _engine.OnFrame(_clean, Next());

    /// <summary>
    /// A frame matching some rules, steadily: the server's hddspace with / at 95 % and /srv/backup at 97 % (disk_space
    /// and 5 user rules match, their alerts already firing: matches, no transition).
    /// </summary>
    [Benchmark]
    public FrameVerdict MatchingHddSpace() => _engine.OnFrame(_fullDisk, Next());

    /// <summary>
    /// A frame matching some rules, steadily: the Cointerra frame with ASIC 1 Sick and board CTA0 at 88.2 C
    /// (cointerra_asic_status, cointerra_core_temp, already firing).
    /// </summary>
    [Benchmark]
    public FrameVerdict MatchingCgminer() => _engine.OnFrame(_sickMiner, Next());

    /// <summary>
    /// Alerts that move on every frame: an hddspace frame with / at 95 % then one at 22 %, in turn (fire, then resolve, or
    /// pending then ok for the rules with for): the cost of transitions, per frame.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public int FireAndResolve() =>
        _engine.OnFrame(_flapFull, Next()).Transitions.Count + _engine.OnFrame(_flapClean, Next()).Transitions.Count;

    /// <summary>
    /// The fleet's mix, one frame per call in sending order (one minute of 90 agents and 10 miners: cpu and mem are half of
    /// it), with the alerts of the full disks and sick miners firing: the average frame of a running aggregator.
    /// </summary>
    [Benchmark]
    public FrameVerdict FleetMix()
    {
        var frame = _mix[_next];
        _next = _next + 1 == _mix.Length ? 0 : _next + 1;
        return _engine.OnFrame(frame, Next());
    }

    private DateTimeOffset Next() => _at = _at.AddMilliseconds(10);
}
