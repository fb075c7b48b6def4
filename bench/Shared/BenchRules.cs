using System.Globalization;
using System.Text;

namespace Psistats.Bench;

/// <summary>
/// The rules of the benchmarks, as psistats.ini sections: thresholds for the 13 Diskmonitor built-ins (off until a threshold
/// is set), so that every built-in is on, plus <see cref="UserRuleCount"/> rules of a user, <c>[rule:user1]</c> ..
/// <c>[rule:user100]</c>, over the reporters of the fleet (cpu, mem, load, diskio, hddspace, net, cpu_temp, sensors,
/// hddtemp, uptime, cgminer) with the condition shapes of docs/rules.md: plain fields, wildcards over objects and arrays,
/// nested wildcards, a quoted member, k/Mi/Gi suffixes, string comparisons, for (frames and durations), hysteresis and
/// clear, host globs. Against the fixtures' frames they all stay quiet; the faulty frames of <see cref="FixtureFrames"/>
/// make some of them match.
/// </summary>
internal static class BenchRules
{
    /// <summary>How many rules of one's own.</summary>
    public const int UserRuleCount = 100;

    /// <summary>Diskmonitor built-in -> threshold (iostat -dx units: per second, kB/s, ms, kB, requests, %).</summary>
    private static readonly (string Rule, string Threshold, string? For)[] Diskmonitor =
    [
        ("disk_io_tps", "5000", null), ("disk_io_r_s", "3000", null), ("disk_io_w_s", "3000", null),
        ("disk_io_rkb_s", "500k", null), ("disk_io_wkb_s", "500k", null), ("disk_io_rrqm_s", "1000", null),
        ("disk_io_wrqm_s", "1000", null), ("disk_io_r_await", "100", "3"), ("disk_io_w_await", "200", "3"),
        ("disk_io_rareq_sz", "1024", null), ("disk_io_wareq_sz", "1024", null), ("disk_io_aqu_sz", "32", "3"),
        ("disk_io_util", "90", "5m"),
    ];

    /// <summary>The shapes the user rules take in turn: reporter, condition (VALUE = {0}, scaled per variant), hysteresis.</summary>
    private static readonly (string Reporter, string Condition, double Value, string? Hysteresis)[] Shapes =
    [
        ("cpu", "cpu > {0}", 90, "5"),
        ("cpu", "cpu_cores[*] >= {0}", 98, null),
        ("cpu", "iowait > {0}", 40, null),
        ("cpu", "steal > {0}", 20, null),
        ("mem", "mem > {0}", 92, "2"),
        ("mem", "swap_used > {0}Gi", 2, null),
        ("mem", "mem_available < {0}Mi", 256, null),
        ("load", "load1 > {0}", 24, null),
        ("load", "load15 > {0}", 16, "2"),
        ("load", "runq-sz > {0}", 64, null),
        ("diskio", "*.%util >= {0}", 95, null),
        ("diskio", "*.r_await > {0}", 80, null),
        ("diskio", "diskio.*.w_await > {0}", 150, null),
        ("diskio", "*.aqu-sz > {0}", 16, null),
        ("hddspace", "filesystems.*.pcent > {0}", 92, "3"),
        ("hddspace", "filesystems[\"/\"].pcent >= {0}", 93, null),
        ("hddspace", "filesystems.*.avail < {0}Mi", 50, null),
        ("hddspace", "filesystems.*.ipcent > {0}", 80, null),
        ("net", "*.rx_errors/s > {0}", 1, null),
        ("net", "*.tx_dropped/s > {0}", 10, null),
        ("cpu_temp", "cpu_temp >= {0}", 85, "3"),
        ("sensors", "sensors[*].temperatures[*].value >= {0}", 95, null),
        ("hddtemp", "*.temp >= {0}", 60, null),
        ("uptime", "uptime < {0}", 30, null),
        ("cgminer", "asc[*].Temperature > {0}", 75, "5"),
        ("cgminer", "asc[*].MHS 5s < {0}k", 500, null),
        ("cgminer", "pools[*].Status != Alive", 0, null),
        ("cgminer", "summary.Hardware Errors > {0}", 50000, null),
        ("cgminer", "boards[*].fans.* < {0}", 1000, null),
        ("cgminer", "boards[*].hw_errors[*] > {0}", 100000, null),
    ];

    /// <summary>The four variants of a shape: hosts, severity, for, a factor on VALUE.</summary>
    private static readonly (string Hosts, string Severity, string? For, double Factor)[] Variants =
    [
        ("*", "warning", null, 1.0),
        ("host0*", "error", "3", 1.05),
        ("host00*, host01*, db*", "info", "2m", 1.1),
        ("*", "critical", null, 1.2),
    ];

    /// <summary>Every section: the 13 Diskmonitor thresholds, then user1..user100.</summary>
    public static string Ini()
    {
        var ini = new StringBuilder();
        ini.AppendLine("; --- written by psistats-loadgen rules (bench/Shared/BenchRules.cs): every built-in on, 100 rules of one's own ---");
        foreach (var (rule, threshold, forValue) in Diskmonitor)
        {
            ini.Append(CultureInfo.InvariantCulture, $"[rule:{rule}]\nthreshold = {threshold}\n");
            if (forValue is not null)
            {
                ini.Append(CultureInfo.InvariantCulture, $"for = {forValue}\n");
            }

            ini.AppendLine();
        }

        for (var n = 1; n <= UserRuleCount; n++)
        {
            var (reporter, condition, value, hysteresis) = Shapes[(n - 1) % Shapes.Length];
            var (hosts, severity, forValue, factor) = Variants[(n - 1) / Shapes.Length % Variants.Length];
            var scaled = Math.Round(value * factor, 2).ToString(CultureInfo.InvariantCulture);
            ini.Append(CultureInfo.InvariantCulture, $"[rule:user{n}]\n");
            ini.Append(CultureInfo.InvariantCulture, $"description = benchmark rule {n} on {reporter}\n");
            ini.Append(CultureInfo.InvariantCulture, $"hosts = {hosts}\n");
            ini.Append(CultureInfo.InvariantCulture, $"reporter = {reporter}\n");
            ini.Append(CultureInfo.InvariantCulture, $"condition = {string.Format(CultureInfo.InvariantCulture, condition, scaled)}\n");
            ini.Append(CultureInfo.InvariantCulture, $"severity = {severity}\n");
            if (forValue is not null)
            {
                ini.Append(CultureInfo.InvariantCulture, $"for = {forValue}\n");
            }

            if (hysteresis is not null && n % 2 == 1)
            {
                ini.Append(CultureInfo.InvariantCulture, $"hysteresis = {hysteresis}\n");
            }
            else if (hysteresis is not null)
            {
                ini.Append(CultureInfo.InvariantCulture, $"clear = < {Math.Round(value * factor * 0.9, 2).ToString(CultureInfo.InvariantCulture)}\n");
            }

            ini.AppendLine();
        }

        return ini.ToString();
    }
}
