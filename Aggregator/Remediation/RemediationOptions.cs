using System.Globalization;
using Psistats.Contracts.Configuration;

namespace Psistats.Aggregator.Remediation;

/// <summary>
/// Everything the remediation reads from psistats.ini: <c>[remediation]</c> (the fleet guard, the bundle's size bound, the
/// directory of temporary files) and every <c>[miner:NAME]</c> (<see cref="MinerOptions"/>). docs/remediation.md tells the story.
/// </summary>
public sealed record RemediationOptions
{
    /// <summary>The section of the shared settings.</summary>
    public const string Section = "remediation";

    /// <summary>Keys of <c>[remediation]</c>.</summary>
    public static readonly string[] Keys = ["fleet_guard", "bundle_max_bytes", "work_dir"];

    /// <summary>Default <c>bundle_max_bytes</c>: 10 MiB, within what mail servers commonly accept once base64 adds a third.</summary>
    public const long DefaultBundleMaxBytes = 10 * 1024 * 1024;

    /// <summary>
    /// <c>fleet_guard</c>: percent of the enabled miners. When at least this share of them — and at least two — are failing at
    /// once (<see cref="MinerWatch"/> defines failing), no remediation runs (the cause is likely the network, the broker or the
    /// proxy agent) and one critical alert says so. Default 50: half the fleet.
    /// </summary>
    public double FleetGuardPercent { get; init; } = 50;

    /// <summary><c>bundle_max_bytes</c>: largest gzip bundle attached to the email; the copied logs are cut (their newest part kept) to fit. Default 10 MiB.</summary>
    public long BundleMaxBytes { get; init; } = DefaultBundleMaxBytes;

    /// <summary><c>work_dir</c>: directory of a run's temporary files (copied logs), deleted when the run ends. Default <c>state_dir/remediation</c>.</summary>
    public required string WorkDir { get; init; }

    /// <summary>Every <c>[miner:NAME]</c>, disabled ones included.</summary>
    public IReadOnlyList<MinerOptions> Miners { get; init; } = [];

    /// <summary>
    /// Reads and validates <c>[remediation]</c> and every <c>[miner:NAME]</c>; problems go to <paramref name="reader"/>.
    /// <paramref name="stateDir"/> is <c>[aggregator] state_dir</c> (the default work_dir's parent); <paramref name="notifierNames"/>
    /// the names a miner's <c>notifiers</c> may list.
    /// </summary>
    public static RemediationOptions Read(SettingsReader reader, string stateDir, IReadOnlyCollection<string> notifierNames)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(stateDir);
        reader.CheckUnknownKeys(Section, Keys);
        var workDir = reader.GetString(Section, "work_dir", Path.Combine(stateDir, "remediation"));
        if (!Path.IsPathFullyQualified(workDir))
        {
            reader.AddError(Section, "work_dir", $"'{workDir}' is not an absolute directory path");
        }

        return new RemediationOptions
        {
            FleetGuardPercent = ReadPercent(reader, "fleet_guard", 50),
            BundleMaxBytes = reader.GetInt(Section, "bundle_max_bytes", DefaultBundleMaxBytes, 64 * 1024, 1L << 30),
            WorkDir = workDir,
            Miners = MinerOptions.ReadAll(reader, notifierNames),
        };
    }

    private static double ReadPercent(SettingsReader reader, string key, double defaultValue)
    {
        var raw = reader.GetRaw(Section, key);
        if (raw is null)
        {
            return defaultValue;
        }

        var text = raw.EndsWith('%') ? raw[..^1].TrimEnd() : raw;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value is <= 0 or > 100)
        {
            reader.AddError(Section, key, $"'{raw}' is not a percentage above 0 and at most 100");
            return defaultValue;
        }

        return value;
    }
}
