using System.Globalization;
using System.Numerics;
using Psistats.CgminerSimulator.Miner;

namespace Psistats.CgminerSimulator.Api;

/// <summary>
/// The report commands' results, built from a <see cref="MinerReading"/> with cgminer 4.3.5's keys in api.c's order
/// (ascstatus, poolstatus, summary, minecoin, minerconfig, apiversion, devdetails, itemstats) and, inside
/// <c>stats</c>, the Cointerra board keys in driver-cointerra.c's cta_api_stats order.
/// </summary>
internal static class MinerReplies
{
    /// <summary><c>version</c>.</summary>
    public static ApiResult Version() =>
        ApiResult.Single(ApiStatus.Version, "VERSION", new ApiRecord().String("CGMiner", TerraMiner.CgminerVersion).String("API", TerraMiner.ApiVersion));

    /// <summary><c>config</c>.</summary>
    public static ApiResult Config(MinerReading reading) => ApiResult.Single(ApiStatus.Config, "CONFIG", new ApiRecord()
        .Int("ASC Count", reading.Boards.Count)
        .Int("PGA Count", 0)
        .Int("Pool Count", reading.Pools.Count)
        .String("Strategy", "Failover")
        .Int("Log Interval", 5)
        .String("Device Code", "CTA ")
        .String("OS", "Linux")
        .Bool("Failover-Only", false)
        .Int("ScanTime", 60)
        .Int("Queue", 1)
        .Int("Expiry", 120)
        .Int("Hotplug", 5));

    /// <summary><c>asccount</c>.</summary>
    public static ApiResult AscCount(MinerReading reading) => ApiResult.Single(ApiStatus.AscCount, "ASCS", new ApiRecord().Int("Count", reading.Boards.Count));

    /// <summary><c>pgacount</c> (a TerraMiner has no PGA).</summary>
    public static ApiResult PgaCount() => ApiResult.Single(ApiStatus.PgaCount, "PGAS", new ApiRecord().Int("Count", 0));

    /// <summary><c>asc</c> with parameter N: Missing device id (15), Invalid ASC id (107) or ASC N (106).</summary>
    public static ApiResult Asc(MinerReading reading, string? parameter)
    {
        if (string.IsNullOrEmpty(parameter))
        {
            return ApiResult.Only(ApiStatus.MissingDeviceId);
        }

        var id = ApiRequest.Atoi(parameter);
        return id < 0 || id >= reading.Boards.Count
            ? ApiResult.Only(ApiStatus.InvalidAsc(id, reading.Boards.Count))
            : ApiResult.List(ApiStatus.Asc(id), "ASC", [Device(reading.Boards[id].Device)]);
    }

    /// <summary><c>devs</c> and <c>edevs</c>.</summary>
    public static ApiResult Devs(MinerReading reading) =>
        ApiResult.List(ApiStatus.Devs(reading.Boards.Count), "DEVS", reading.Boards.Select(b => Device(b.Device)).ToList());

    /// <summary><c>pools</c>.</summary>
    public static ApiResult Pools(MinerReading reading) =>
        ApiResult.List(ApiStatus.Pools(reading.Pools.Count), "POOLS", reading.Pools.Select(Pool).ToList());

    /// <summary><c>summary</c>.</summary>
    public static ApiResult Summary(MinerReading reading)
    {
        var s = reading.Summary;
        var t = reading.Elapsed;
        return ApiResult.Single(ApiStatus.Summary, "SUMMARY", new ApiRecord()
            .Elapsed("Elapsed", reading.Elapsed)
            .Mhs("MHS av", s.MhsAv)
            .Mhs("MHS 5s", s.Mhs5s)
            .Mhs("MHS 1m", s.Mhs1m)
            .Mhs("MHS 5m", s.Mhs5m)
            .Mhs("MHS 15m", s.Mhs15m)
            .Int("Found Blocks", 0)
            .Int("Getworks", s.Getworks)
            .Int("Accepted", s.Shares.Accepted)
            .Int("Rejected", s.Shares.Rejected)
            .Int("Hardware Errors", s.HardwareErrors)
            .Utility("Utility", PerMinute(s.Shares.Accepted, t))
            .Int("Discarded", s.Discarded)
            .Int("Stale", s.Shares.Stale)
            .Int("Get Failures", s.GetFailures)
            .Int("Local Work", s.LocalWork)
            .Int("Remote Failures", 0)
            .Int("Network Blocks", s.NetworkBlocks)
            .MhTotal("Total MH", s.TotalMh)
            .Utility("Work Utility", PerMinute(s.Diff1Work, t))
            .Diff("Difficulty Accepted", s.Shares.DifficultyAccepted)
            .Diff("Difficulty Rejected", s.Shares.DifficultyRejected)
            .Diff("Difficulty Stale", s.Shares.DifficultyStale)
            .UInt("Best Share", s.BestShare)
            .Percent("Device Hardware%", Fraction(s.HardwareErrors, s.HardwareErrors + s.Diff1Work))
            .Percent("Device Rejected%", Fraction(s.Shares.DifficultyRejected, s.Diff1Work))
            .Percent("Pool Rejected%", Fraction(s.Shares.DifficultyRejected, Submitted(s.Shares)))
            .Percent("Pool Stale%", Fraction(s.Shares.DifficultyStale, Submitted(s.Shares)))
            .Time("Last getwork", reading.When));
    }

    /// <summary><c>coin</c>.</summary>
    public static ApiResult Coin(MinerReading reading) => ApiResult.Single(ApiStatus.Coin, "COIN", new ApiRecord()
        .String("Hash Method", "sha256")
        .Timeval("Current Block Time", reading.Coin.BlockTimeSeconds, reading.Coin.BlockTimeMicroseconds)
        .String("Current Block Hash", reading.Coin.BlockHash)
        .Bool("LP", true)
        .Diff("Network Difficulty", reading.Coin.NetworkDifficulty));

    /// <summary><c>devdetails</c>.</summary>
    public static ApiResult DevDetails(MinerReading reading) => ApiResult.List(ApiStatus.DevDetails, "DEVDETAILS", reading.Boards.Select(b => new ApiRecord()
        .Int("DEVDETAILS", b.Device.Index)
        .String("Name", "CTA")
        .Int("ID", b.Device.Index)
        .String("Driver", "cointerra")
        .String("Kernel", "")
        .String("Model", "")
        .String("Device Path", $"1:{b.Device.Index + 3}")).ToList());

    /// <summary><c>stats</c> (boards then pools) and <c>estats</c> (boards only).</summary>
    public static ApiResult Stats(MinerReading reading, bool withPools)
    {
        var records = reading.Boards.Select((b, i) => BoardStats(reading, i, b.Stats)).ToList();
        if (withPools)
        {
            var boards = records.Count;
            records.AddRange(reading.Pools.Select((p, i) => PoolStats(reading, boards + i, p)));
        }

        return ApiResult.List(ApiStatus.Stats, "STATS", records);
    }

    /// <summary>The bitmap text of <c>Asic&lt;a&gt;Core&lt;c&gt;</c>: live engines, a colon, 32 lowercase hex digits (firmware after March 2014).</summary>
    public static string EngineBitmap(byte[] bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        return string.Create(CultureInfo.InvariantCulture, $"{bitmap.Sum(b => BitOperations.PopCount(b))}:{Convert.ToHexStringLower(bitmap)}");
    }

    private static ApiRecord Device(DeviceReading d)
    {
        return new ApiRecord()
            .Int("ASC", d.Index)
            .String("Name", "CTA")
            .Int("ID", d.Index)
            .String("Enabled", d.Enabled ? "Y" : "N")
            .String("Status", d.Status)
            .Temp("Temperature", d.Temperature)
            .Mhs("MHS av", d.MhsAv)
            .Mhs("MHS 5s", d.Mhs5s)
            .Mhs("MHS 1m", d.Mhs1m)
            .Mhs("MHS 5m", d.Mhs5m)
            .Mhs("MHS 15m", d.Mhs15m)
            .Int("Accepted", d.Shares.Accepted)
            .Int("Rejected", d.Shares.Rejected)
            .Int("Hardware Errors", d.HardwareErrors)
            .Utility("Utility", PerMinute(d.Shares.Accepted, d.Elapsed))
            .Int("Last Share Pool", d.LastSharePool)
            .Time("Last Share Time", d.LastShareTime)
            .MhTotal("Total MH", d.TotalMh)
            .Int("Diff1 Work", d.Diff1Work)
            .Diff("Difficulty Accepted", d.Shares.DifficultyAccepted)
            .Diff("Difficulty Rejected", d.Shares.DifficultyRejected)
            .Diff("Last Share Difficulty", d.LastShareTime == 0 ? 0 : d.Shares.Difficulty)
            .Bool("No Device", false)
            .Time("Last Valid Work", d.LastValidWork)
            .Percent("Device Hardware%", Fraction(d.HardwareErrors, d.HardwareErrors + d.Diff1Work))
            .Percent("Device Rejected%", Fraction(d.Shares.DifficultyRejected, d.Diff1Work))
            .Elapsed("Device Elapsed", d.Elapsed);
    }

    private static ApiRecord Pool(PoolReading p)
    {
        var submitted = Submitted(p.Shares);
        return new ApiRecord()
            .Int("POOL", p.Index)
            .Escape("URL", p.Url)
            .String("Status", p.Status)
            .Int("Priority", p.Priority)
            .Int("Quota", 1)
            .String("Long Poll", "N")
            .Int("Getworks", p.Getworks)
            .Int("Accepted", p.Shares.Accepted)
            .Int("Rejected", p.Shares.Rejected)
            .Int("Works", p.Works)
            .Int("Discarded", p.Discarded)
            .Int("Stale", p.Shares.Stale)
            .Int("Get Failures", p.GetFailures)
            .Int("Remote Failures", 0)
            .Escape("User", p.User)
            .Time("Last Share Time", p.LastShareTime)
            .Int("Diff1 Shares", (long)submitted)
            .String("Proxy Type", "")
            .String("Proxy", "")
            .Diff("Difficulty Accepted", p.Shares.DifficultyAccepted)
            .Diff("Difficulty Rejected", p.Shares.DifficultyRejected)
            .Diff("Difficulty Stale", p.Shares.DifficultyStale)
            .Diff("Last Share Difficulty", p.LastShareTime == 0 ? 0 : p.Shares.Difficulty)
            .Bool("Has Stratum", true)
            .Bool("Stratum Active", p.StratumActive)
            .Escape("Stratum URL", p.StratumActive ? p.StratumHost : "")
            .Bool("Has GBT", false)
            .UInt("Best Share", p.BestShare)
            .Percent("Pool Rejected%", Fraction(p.Shares.DifficultyRejected, submitted))
            .Percent("Pool Stale%", Fraction(p.Shares.DifficultyStale, submitted));
    }

    private static ApiRecord StatsHead(MinerReading reading, int index, string id) => new ApiRecord()
        .Int("STATS", index)
        .String("ID", id)
        .Elapsed("Elapsed", reading.Elapsed)
        .Int("Calls", 0)
        .Timeval("Wait", 0, 0)
        .Timeval("Max", 0, 0)
        .Timeval("Min", 99999999, 0);

    private static ApiRecord BoardStats(MinerReading reading, int index, BoardStats s)
    {
        var r = StatsHead(reading, index, $"CTA{s.BoardNumber}")
            .Int("HW Revision", 3)
            .UInt("Serial", s.Serial)
            .Int("Asics", BoardProfile.Asics)
            .Int("Dies", BoardProfile.Dies)
            .Int("Cores", BoardProfile.Cores)
            .Int("Board number", s.BoardNumber)
            .String("FW Revision", "1.1.2")
            .String("FW Date", "2014-05-28")
            .Int("Init diffbits", 38)
            .Int("Min diffbits", 33)
            .Int("Max diffbits", 38);
        Each(r, "CoreTemp{0}", s.CoreTemp.Select(v => (long)v));
        r.Int("Ambient Low", s.AmbientLow).Int("Ambient Avg", s.AmbientAvg).Int("Ambient High", s.AmbientHigh);
        Each(r, "PumpRPM{0}", s.PumpRpm.Select(v => (long)v));
        Each(r, "FanRPM{0}", s.FanRpm.Select(v => (long)v));
        Each(r, "CoreFreqs{0}", s.CoreFreqs.Select(v => (long)v));
        Each(r, "CoreVolts{0}", s.CoreVolts.Select(v => (long)v));
        r.Int("Volts3.3", s.Volts33).Int("Volts12", s.Volts12).Int("Inactive", s.Inactive).Int("Active", s.Active);
        Each(r, "CorePerfMode{0}", Enumerable.Repeat(2L, BoardProfile.Cores));
        Each(r, "FanSpeed{0}", s.FanSpeed.Select(v => (long)v));
        r.Int("DiesActive", s.DiesActive);
        Each(r, "PipesEnabled{0}", Enumerable.Repeat((long)BoardProfile.PipesPerCore, BoardProfile.Cores));
        r.Int("Underruns", s.Underruns);
        Each(r, "HWErrors{0}", s.HwErrors.Select(v => (long)v));
        r.UInt("Calc hashrate", s.CalcHashrate)
            .UInt("Hashrate", s.Hashrate)
            .UInt("15m Hashrate", s.Hashrate15m)
            .UInt("Share hashrate", s.ShareHashrate)
            .UInt("Total calc hashes", s.TotalCalcHashes)
            .UInt("Total hashes", s.TotalHashes)
            .UInt("Total raw hashes", s.TotalRawHashes)
            .UInt("Total share hashes", s.TotalShareHashes)
            .UInt("Total flushed hashes", s.TotalFlushedHashes)
            .UInt("Accepted hashes", s.AcceptedHashes)
            .UInt("Accepted hashrate", s.AcceptedHashrate)
            .UInt("Rejected hashes", s.RejectedHashes)
            .UInt("Rejected hashrate", s.RejectedHashrate);
        for (var c = 0; c < BoardProfile.Cores; c++)
        {
            r.UInt($"Core{c} hashrate", s.CoreHashrate[c]);
        }

        r.Int("Uptime", s.Uptime);
        for (var c = 0; c < BoardProfile.Cores; c++)
        {
            r.String($"Asic{c / BoardProfile.CoresPerAsic}Core{c % BoardProfile.CoresPerAsic}", EngineBitmap(s.PipeBitmaps[c]));
        }

        r.Int("AV", 0)
            .Int("Power Supply Percent", s.PowerSupplyPercent)
            .Double("Power Used", s.Iout / 100.0 * (s.Vout / 100.0))
            .Int("IOUT", s.Iout)
            .Int("VOUT", s.Vout)
            .Int("IIN", s.Iin)
            .Int("VIN", s.Vin)
            .Int("PSTemp1", s.PsTemp1)
            .Int("PSTemp2", s.PsTemp2);
        for (var n = 1; n <= s.Regulators.Length; n++)
        {
            var reg = s.Regulators[n - 1];
            r.Double($"IRVIN{n}", reg.Vin / 100.0)
                .Double($"IRIIN{n}", reg.Iin / 100.0)
                .Double($"IRVOUT{n}", reg.Vout / 100.0)
                .Double($"IRIOUT{n}", reg.Iout / 100.0)
                .Double($"IRTEMP1_{n}", reg.Temp1 / 100.0)
                .Double($"IRTEMP2_{n}", reg.Temp2 / 100.0)
                .Double($"IRPOUT{n}", reg.Pout / 100.0)
                .Double($"IRPIN{n}", reg.Pin / 100.0)
                .Double($"IREFFICIENCY{n}", reg.Efficiency / 100.0)
                .String($"IRSTATUS{n}", string.Create(CultureInfo.InvariantCulture, $"0x{reg.Status:X4}"));
        }

        Each(r, "CoreFmatch{0}", s.CoreFmatch.Select(v => (long)v));
        return r.String("USB Pipe", "0").String("USB Delay", "r0 0.000000 w0 0.000000").String("USB tmo", "0 0");
    }

    private static ApiRecord PoolStats(MinerReading reading, int index, PoolReading p) => StatsHead(reading, index, $"POOL{p.Index}")
        .Int("Pool Calls", 0)
        .Int("Pool Attempts", 0)
        .Timeval("Pool Wait", 0, 0)
        .Timeval("Pool Max", 0, 0)
        .Timeval("Pool Min", 99999999, 0)
        .Double("Pool Av", 0)
        .Bool("Work Had Roll Time", false)
        .Bool("Work Can Roll", false)
        .Bool("Work Had Expire", false)
        .Int("Work Roll Time", 0)
        .Diff("Work Diff", p.Getworks == 0 ? 0 : p.Shares.Difficulty)
        .Diff("Min Diff", p.Getworks == 0 ? 0 : p.Shares.Difficulty)
        .Diff("Max Diff", p.Getworks == 0 ? 0 : p.Shares.Difficulty)
        .Int("Min Diff Count", p.Getworks)
        .Int("Max Diff Count", p.Getworks)
        .UInt("Times Sent", p.TimesSent)
        .UInt("Bytes Sent", p.BytesSent)
        .UInt("Times Recv", p.TimesRecv)
        .UInt("Bytes Recv", p.BytesRecv)
        .UInt("Net Bytes Sent", p.BytesSent + p.TimesSent * 52)
        .UInt("Net Bytes Recv", p.BytesRecv + p.TimesRecv * 52);

    private static void Each(ApiRecord record, string keyFormat, IEnumerable<long> values)
    {
        var i = 0;
        foreach (var value in values)
        {
            record.Int(string.Format(CultureInfo.InvariantCulture, keyFormat, i++), value);
        }
    }

    private static double Submitted(ShareCounts shares) => shares.DifficultyAccepted + shares.DifficultyRejected + shares.DifficultyStale;

    /// <summary>cgminer's utilities: a count per minute of its elapsed time.</summary>
    private static double PerMinute(double count, double seconds) => seconds > 0 ? count / seconds * 60 : 0;

    private static double Fraction(double part, double whole) => whole == 0 ? 0 : part / whole;
}
