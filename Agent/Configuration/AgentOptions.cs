using Psistats.Agent.Cgminer;
using Psistats.Agent.Reporters;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Configuration;

/// <summary>Everything the agent reads from psistats.ini; psistats.ini documents each key with its default.</summary>
public sealed record AgentOptions
{
    /// <summary>[server], [exchange], [queue] and [app] retry_timer.</summary>
    public BrokerOptions Broker { get; init; } = new();

    /// <summary>[app] hostname: the name frames carry; default the machine's host name (gethostname).</summary>
    public string Hostname { get; init; } = "";

    /// <summary>[app] proc_root and sys_root.</summary>
    public HostPaths Paths { get; init; } = HostPaths.Default;

    /// <summary>[app] outbox_size: frames kept in memory while the broker is unreachable; the oldest are dropped past it.</summary>
    public int OutboxSize { get; init; } = 10000;

    /// <summary>[app] spool_dir: directory of the disk spool; empty = frames wait in memory only (<see cref="OutboxSize"/>).</summary>
    public string? SpoolDir { get; init; }

    /// <summary>[app] spool_max_bytes: bound of the disk spool, bytes; past it the oldest frames are dropped.</summary>
    public long SpoolMaxBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>[app] max_in_flight: published frames awaiting a publisher confirm at once.</summary>
    public int MaxInFlight { get; init; } = 256;

    /// <summary>[app] publish_timeout: seconds to wait for a batch's publisher confirms before reconnecting.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// [app] persistent: publish with delivery mode 2 (persistent) instead of 1 (transient), so that frames waiting in a durable
    /// queue (the aggregator's) survive a broker restart. Default yes (psistats published transient frames; consumers cannot tell).
    /// </summary>
    public bool Persistent { get; init; } = true;

    /// <summary>
    /// [app] mandatory: publish with the AMQP <c>mandatory</c> flag, so that a frame no queue is bound for comes back
    /// (<c>basic.return</c>) and stays in the outbox instead of being confirmed and lost; retried every retry_timer seconds.
    /// </summary>
    public bool Mandatory { get; init; } = true;

    /// <summary>Reporter sections, in <see cref="ReporterCatalog"/> order.</summary>
    public IReadOnlyList<ReporterOptions> Reporters { get; init; } =
        ReporterCatalog.All.Select(d => new ReporterOptions(d.Name, d.EnabledByDefault, d.DefaultInterval)).ToList();

    /// <summary>The <c>[cgminer:NAME]</c> sections: miners polled over cgminer's API and published as hosts of their own (proxy mode).</summary>
    public IReadOnlyList<CgminerOptions> Miners { get; init; } = [];

    /// <summary>Keys of [app] the agent reads.</summary>
    public static readonly string[] AppKeys =
        ["retry_timer", "hostname", "proc_root", "sys_root", "rootfs", "outbox_size", "spool_dir", "spool_max_bytes", "max_in_flight", "publish_timeout", "persistent", "mandatory"];

    /// <summary>Reads and validates the agent's options; problems are recorded in <paramref name="reader"/>.</summary>
    public static AgentOptions Read(SettingsReader reader, Func<string> defaultHostname)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(defaultHostname);
        var defaults = new AgentOptions();
        var broker = BrokerOptions.Read(reader);
        reader.CheckUnknownKeys("app", AppKeys);

        var hostname = reader.GetRaw("app", "hostname") ?? defaultHostname();
        if (hostname.Length > FrameEnvelope.MaxNameLength || hostname.Any(char.IsControl))
        {
            reader.AddError("app", "hostname", "must be at most 255 characters, without control characters");
        }

        var reporters = new List<ReporterOptions>();
        foreach (var definition in ReporterCatalog.All)
        {
            reader.CheckUnknownKeys(definition.Name, [.. ReporterOptions.Keys, .. definition.SettingKeys]);
            reporters.Add(new ReporterOptions(
                definition.Name,
                reader.GetBool(definition.Name, "enabled", definition.EnabledByDefault),
                reader.GetSeconds(definition.Name, "interval", definition.DefaultInterval.TotalSeconds, 0.1, 86400),
                definition.ReadSettings(reader)));
        }

        return new AgentOptions
        {
            Broker = broker,
            Hostname = hostname,
            Paths = new HostPaths(
                reader.GetString("app", "proc_root", HostPaths.Default.Proc),
                reader.GetString("app", "sys_root", HostPaths.Default.Sys),
                reader.GetString("app", "rootfs", HostPaths.Default.RootFs)),
            OutboxSize = (int)reader.GetInt("app", "outbox_size", defaults.OutboxSize, 1, 10_000_000),
            SpoolDir = reader.GetRaw("app", "spool_dir"),
            SpoolMaxBytes = reader.GetInt("app", "spool_max_bytes", defaults.SpoolMaxBytes, 64 * 1024, 1L << 40),
            MaxInFlight = (int)reader.GetInt("app", "max_in_flight", defaults.MaxInFlight, 1, 10_000),
            PublishTimeout = reader.GetSeconds("app", "publish_timeout", defaults.PublishTimeout.TotalSeconds, 1, 600),
            Persistent = reader.GetBool("app", "persistent", defaults.Persistent),
            Mandatory = reader.GetBool("app", "mandatory", defaults.Mandatory),
            Reporters = reporters,
            Miners = CgminerOptions.ReadAll(reader),
        };
    }
}
