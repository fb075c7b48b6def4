using Microsoft.Extensions.Configuration;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Remediation;
using Psistats.Aggregator.Rules;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.Contracts.Topology;

namespace Psistats.Aggregator.Configuration;

/// <summary>Everything the aggregator reads from psistats.ini: the shared broker sections plus <c>[aggregator]</c>.</summary>
public sealed record AggregatorOptions
{
    /// <summary>[server], [exchange], [queue] and [app] retry_timer.</summary>
    public BrokerOptions Broker { get; init; } = new();

    /// <summary>[aggregator] listen: URL of the read-only HTTP API.</summary>
    public Uri Listen { get; init; } = new("http://127.0.0.1:8080");

    /// <summary>[aggregator] queue, queue_max_length, dead-letter names and dead_letter_max_length.</summary>
    public AggregatorQueueOptions Queue { get; init; } = new("psistats.aggregator", 100_000, "psistats.dead-letter", "psistats.aggregator.rejected", 10_000);

    /// <summary>[aggregator] prefetch: unacknowledged deliveries the broker may push at once (basic.qos).</summary>
    public ushort Prefetch { get; init; } = 200;

    /// <summary>[aggregator] max_frame_bytes: larger frames are rejected to the dead-letter exchange.</summary>
    public int MaxFrameBytes { get; init; } = 256 * 1024;

    /// <summary>[aggregator] down_after: a host is DOWN when nothing arrived from it for this long (aggregator's clock).</summary>
    public TimeSpan DownAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>[aggregator] stale_factor: a reporter is stale when its last frame is older than this many of its intervals.</summary>
    public double StaleFactor { get; init; } = 3;

    /// <summary>
    /// [aggregator] max_hosts: hosts the aggregator keeps at most; a frame of a new host past it is dead-lettered with reason
    /// <c>too_many_hosts</c> (counted, logged).
    /// </summary>
    public int MaxHosts { get; init; } = 10_000;

    /// <summary>
    /// [aggregator] new_hosts_per_minute: new hosts accepted per minute (a token bucket holding as many, refilled evenly); the
    /// frames of new hosts past it are dead-lettered with reason <c>too_many_hosts</c>, and accepted from the next refill.
    /// </summary>
    public int NewHostsPerMinute { get; init; } = 1_000;

    /// <summary>
    /// [aggregator] forget_after: a host DOWN (no frame) for this long is forgotten: removed from the live state, the API and the
    /// database's host list, its alerts resolved; its events and downtimes stay. Zero = never.
    /// </summary>
    public TimeSpan ForgetAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>[aggregator] events_kept: rows kept in the SQLite events table; older ones are pruned every minute.</summary>
    public int EventsKept { get; init; } = 1_000_000;

    /// <summary>[aggregator] state_dir: directory of the SQLite database (state.db) with events, alerts, downtimes, silences, the outbox.</summary>
    public string StateDir { get; init; } = "/var/lib/psistats-aggregator";

    /// <summary>
    /// [aggregator] api_token: when set, the API's write endpoints (POST/DELETE) require <c>Authorization: Bearer TOKEN</c>;
    /// empty = no check (the default listen address is loopback only).
    /// </summary>
    public string? ApiToken { get; init; }

    /// <summary>[aggregator] console: <c>auto</c> (live table in a terminal, log lines otherwise), <c>table</c> or <c>log</c>.</summary>
    public string Console { get; init; } = "auto";

    /// <summary>[notifications], [email], [webhook:NAME] and [silence:NAME].</summary>
    public NotificationOptions Notifications { get; init; } = new();

    /// <summary>The effective rules: the built-ins overlaid with every [rule:NAME].</summary>
    public RuleSet Rules { get; init; } = RuleSet.Read(new SettingsReader(new ConfigurationBuilder().Build()), [EmailOptions.Section]);

    /// <summary>[remediation] and every [miner:NAME].</summary>
    public RemediationOptions? Remediation { get; init; }

    /// <summary>Keys of [aggregator].</summary>
    public static readonly string[] Keys =
    [
        "listen", "queue", "queue_max_length", "dead_letter_exchange", "dead_letter_queue", "dead_letter_max_length", "prefetch",
        "max_frame_bytes", "down_after", "stale_factor", "events_kept", "max_hosts", "new_hosts_per_minute", "forget_after", "console", "state_dir", "api_token",
    ];

    /// <summary>Reads and validates the aggregator's options; problems are recorded in <paramref name="reader"/>.</summary>
    public static AggregatorOptions Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var defaults = new AggregatorOptions();
        var broker = BrokerOptions.Read(reader);
        reader.CheckUnknownKeys("aggregator", Keys);

        var listen = defaults.Listen;
        var rawListen = reader.GetRaw("aggregator", "listen");
        if (rawListen is not null)
        {
            if (Uri.TryCreate(rawListen, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                listen = uri;
            }
            else
            {
                reader.AddError("aggregator", "listen", $"'{rawListen}' is not an http:// or https:// URL");
            }
        }

        var queueName = reader.GetString("aggregator", "queue", $"{broker.Prefix}.aggregator");
        var queue = new AggregatorQueueOptions(
            queueName,
            reader.GetInt("aggregator", "queue_max_length", defaults.Queue.MaxLength, 1, int.MaxValue),
            reader.GetString("aggregator", "dead_letter_exchange", $"{broker.Prefix}.dead-letter"),
            reader.GetString("aggregator", "dead_letter_queue", $"{queueName}.rejected"),
            reader.GetInt("aggregator", "dead_letter_max_length", defaults.Queue.DeadLetterMaxLength, 1, int.MaxValue));

        var staleFactor = reader.GetSeconds("aggregator", "stale_factor", defaults.StaleFactor, 1, 1000).TotalSeconds;
        var stateDir = ReadStateDir(reader, defaults.StateDir);
        var notifications = NotificationOptions.Read(reader);
        return new AggregatorOptions
        {
            Notifications = notifications,
            Rules = RuleSet.Read(reader, notifications.NotifierNames),
            Remediation = RemediationOptions.Read(reader, stateDir, notifications.NotifierNames),
            Broker = broker,
            Listen = listen,
            Queue = queue,
            Prefetch = (ushort)reader.GetInt("aggregator", "prefetch", defaults.Prefetch, 1, ushort.MaxValue),
            MaxFrameBytes = (int)reader.GetInt("aggregator", "max_frame_bytes", defaults.MaxFrameBytes, 256, 64 * 1024 * 1024),
            DownAfter = reader.GetSeconds("aggregator", "down_after", defaults.DownAfter.TotalSeconds, 1, 86400 * 7),
            StaleFactor = staleFactor,
            EventsKept = (int)reader.GetInt("aggregator", "events_kept", defaults.EventsKept, 100, 1_000_000_000),
            MaxHosts = (int)reader.GetInt("aggregator", "max_hosts", defaults.MaxHosts, 1, 10_000_000),
            NewHostsPerMinute = (int)reader.GetInt("aggregator", "new_hosts_per_minute", defaults.NewHostsPerMinute, 1, 10_000_000),
            ForgetAfter = reader.GetSeconds("aggregator", "forget_after", defaults.ForgetAfter.TotalSeconds, 0, 86400 * 3650),
            StateDir = stateDir,
            ApiToken = reader.GetRaw("aggregator", "api_token") is { Length: > 0 } token ? token : null,
            Console = reader.GetChoice("aggregator", "console", defaults.Console, "auto", "table", "log"),
        };
    }

    private static string ReadStateDir(SettingsReader reader, string defaultValue)
    {
        var dir = reader.GetString("aggregator", "state_dir", defaultValue);
        if (dir.Length == 0 || !Path.IsPathFullyQualified(dir))
        {
            reader.AddError("aggregator", "state_dir", $"'{dir}' is not an absolute directory path");
        }

        return dir;
    }

    /// <summary>Longest hostname the state keeps, characters.</summary>
    public const int MaxHostnameLength = FrameEnvelope.MaxNameLength;
}
