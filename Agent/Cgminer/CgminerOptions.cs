using Microsoft.Extensions.Configuration;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Cgminer;

/// <summary>
/// One <c>[cgminer:NAME]</c> section of psistats.ini: a miner the agent polls over cgminer's RPC API and publishes as
/// host NAME (proxy mode). The INI reader turns the section into keys <c>cgminer:NAME:host</c>..., so the environment
/// can add or override one: <c>PSISTATS_cgminer__NAME__host=192.0.2.10</c>. psistats.ini documents every key.
/// </summary>
public sealed record CgminerOptions
{
    /// <summary>The parent section of every miner.</summary>
    public const string Section = "cgminer";

    /// <summary>The API's default port (cgminer <c>--api-port</c>).</summary>
    public const int DefaultPort = 4028;

    /// <summary>Keys of a <c>[cgminer:NAME]</c> section.</summary>
    public static readonly string[] Keys = ["host", "port", "interval", "timeout", "commands", "hostname", "enabled"];

    /// <summary>
    /// The commands a poll can run, in the order it runs them (the original monitor's): <c>asccount</c>, <c>asc</c>
    /// (<c>asc 0</c>..<c>asc N-1</c>, N from asccount, which is asked for even when not listed), <c>coin</c>,
    /// <c>pools</c>, <c>summary</c>, <c>stats</c>, <c>devs</c>. The default is all of them.
    /// </summary>
    public static readonly string[] AllCommands = ["asccount", "asc", "coin", "pools", "summary", "stats", "devs"];

    /// <summary>NAME, from the section name.</summary>
    public required string Name { get; init; }

    /// <summary><c>host</c>: the miner's host name or address (required).</summary>
    public required string Host { get; init; }

    /// <summary><c>port</c>: the API port, default 4028.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary><c>interval</c>: time between two polls, default 30 s (the original monitor's cycle).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>timeout</c>: bound of the connect, and of the send and read of each reply, default 5 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>commands</c>: which of <see cref="AllCommands"/> a poll runs, in <see cref="AllCommands"/> order.</summary>
    public IReadOnlyList<string> Commands { get; init; } = AllCommands;

    /// <summary><c>hostname</c>: the host name the miner's frames carry, default NAME.</summary>
    public required string Hostname { get; init; }

    /// <summary><c>enabled</c>: whether the miner is polled, default yes.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The section's name, <c>cgminer:NAME</c>: its key in logs and health counters.</summary>
    public string SectionName => $"{Section}:{Name}";

    /// <summary><c>host:port</c>, as published in <c>api_endpoint</c>.</summary>
    public string Endpoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Reads and validates every <c>[cgminer:NAME]</c> section; problems go to <paramref name="reader"/> as <c>[cgminer:NAME] key: ...</c>.</summary>
    public static IReadOnlyList<CgminerOptions> ReadAll(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var miners = new List<CgminerOptions>();
        foreach (var child in reader.Configuration.GetSection(Section).GetChildren())
        {
            if (child.Value is not null)
            {
                reader.AddError(Section, child.Key, "miner settings go in a [cgminer:NAME] section, one per miner");
                continue;
            }

            miners.Add(Read(reader, child.Key));
        }

        foreach (var duplicate in miners.Where(m => m.Enabled).GroupBy(m => m.Hostname, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            foreach (var miner in duplicate.Skip(1))
            {
                reader.AddError(miner.SectionName, "hostname", $"'{miner.Hostname}' is also the hostname of [{duplicate.First().SectionName}]");
            }
        }

        return miners;
    }

    private static CgminerOptions Read(SettingsReader reader, string name)
    {
        var section = $"{Section}:{name}";
        reader.CheckUnknownKeys(section, Keys);
        var hostname = reader.GetString(section, "hostname", name);
        if (hostname.Length is 0 or > FrameEnvelope.MaxNameLength || hostname.Any(char.IsControl))
        {
            reader.AddError(section, "hostname", "must be 1 to 255 characters, without control characters");
        }

        var host = reader.GetRaw(section, "host");
        if (host is null)
        {
            reader.AddError(section, "host", "required: the miner's host name or address");
        }

        return new CgminerOptions
        {
            Name = name,
            Host = host ?? "",
            Port = (int)reader.GetInt(section, "port", DefaultPort, 1, 65535),
            Interval = reader.GetSeconds(section, "interval", 30, 0.1, 86400),
            Timeout = reader.GetSeconds(section, "timeout", 5, 0.1, 600),
            Commands = ReadCommands(reader, section),
            Hostname = hostname,
            Enabled = reader.GetBool(section, "enabled", true),
        };
    }

    private static string[] ReadCommands(SettingsReader reader, string section)
    {
        var raw = reader.GetRaw(section, "commands");
        if (raw is null)
        {
            return AllCommands;
        }

        var listed = raw.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(c => c.ToLowerInvariant()).ToList();
        var unknown = listed.Where(c => !AllCommands.Contains(c, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            reader.AddError(section, "commands", $"'{string.Join(' ', unknown)}' not known (known: {string.Join(' ', AllCommands)})");
            return AllCommands;
        }

        return AllCommands.Where(listed.Contains).ToArray();
    }
}
