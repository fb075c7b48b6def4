using System.Text.RegularExpressions;

namespace Psistats.Contracts.Configuration;

/// <summary>
/// The broker-facing settings both programs share: psistats' <c>[server]</c>, <c>[exchange]</c> and
/// <c>[queue]</c> sections plus <c>[app] retry_timer</c>. Keys keep psistats' meaning.
/// </summary>
public sealed partial record BrokerOptions
{
    /// <summary>[server] url: AMQP URI, <c>amqp://user:pass@host:port/vhost</c> (vhost URL-encoded, <c>%2f</c> = "/"); amqps for TLS.</summary>
    public Uri Url { get; init; } = new("amqp://guest:guest@localhost:5672/%2f");

    /// <summary>[server] heartbeat: AMQP heartbeat timeout requested, seconds (0 disables).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>[server] connect_timeout: TCP connect and AMQP handshake timeout, seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>[exchange] name: the topic exchange frames are published to.</summary>
    public string ExchangeName { get; init; } = "psistats";

    /// <summary>[exchange] durable.</summary>
    public bool ExchangeDurable { get; init; }

    /// <summary>[exchange] autodelete.</summary>
    public bool ExchangeAutoDelete { get; init; }

    /// <summary>[queue] prefix: first word(s) of every routing key and queue name.</summary>
    public string Prefix { get; init; } = "psistats";

    /// <summary>[queue] declare_host_queue: also declare psistats' own per-host queue <c>&lt;prefix&gt;.&lt;host&gt;</c>.</summary>
    public bool DeclareHostQueue { get; init; }

    /// <summary>[queue] durable (per-host queue).</summary>
    public bool QueueDurable { get; init; }

    /// <summary>[queue] exclusive (per-host queue).</summary>
    public bool QueueExclusive { get; init; }

    /// <summary>[queue] autodelete (per-host queue).</summary>
    public bool QueueAutoDelete { get; init; } = true;

    /// <summary>[queue] ttl: <c>x-message-ttl</c> of the per-host queue, milliseconds (0 = none).</summary>
    public long QueueTtlMs { get; init; } = 10000;

    /// <summary>[app] retry_timer: seconds between connection attempts while the broker is unreachable.</summary>
    public TimeSpan RetryTimer { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Keys of [server] this class reads.</summary>
    public static readonly string[] ServerKeys = ["url", "heartbeat", "connect_timeout"];

    /// <summary>Keys of [exchange] this class reads.</summary>
    public static readonly string[] ExchangeKeys = ["name", "type", "durable", "autodelete"];

    /// <summary>Keys of [queue] this class reads.</summary>
    public static readonly string[] QueueKeys = ["prefix", "declare_host_queue", "durable", "exclusive", "autodelete", "ttl"];

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")]
    private static partial Regex TopicWords();

    /// <summary>Reads the shared sections, recording every bad value in <paramref name="reader"/>.</summary>
    public static BrokerOptions Read(SettingsReader reader)
    {
        var defaults = new BrokerOptions();
        reader.CheckUnknownKeys("server", ServerKeys);
        reader.CheckUnknownKeys("exchange", ExchangeKeys);
        reader.CheckUnknownKeys("queue", QueueKeys);

        var url = defaults.Url;
        var rawUrl = reader.GetRaw("server", "url");
        if (rawUrl is not null)
        {
            if (Uri.TryCreate(rawUrl, UriKind.Absolute, out var parsed) && parsed.Scheme is "amqp" or "amqps" && parsed.Host.Length > 0)
            {
                url = parsed;
            }
            else
            {
                reader.AddError("server", "url", $"'{Redact(rawUrl)}' is not an amqp:// or amqps:// URI");
            }
        }

        var type = reader.GetString("exchange", "type", "topic");
        if (!string.Equals(type, "topic", StringComparison.OrdinalIgnoreCase))
        {
            reader.AddError("exchange", "type", $"'{type}' is not supported: routing keys <prefix>.<host>.<reporter> need a topic exchange");
        }

        var exchange = reader.GetString("exchange", "name", defaults.ExchangeName);
        if (exchange.Length > 255 || exchange.StartsWith("amq.", StringComparison.Ordinal))
        {
            reader.AddError("exchange", "name", $"'{exchange}' is not usable (at most 255 characters, not amq.*)");
        }

        var prefix = reader.GetString("queue", "prefix", defaults.Prefix);
        if (!TopicWords().IsMatch(prefix) || prefix.Length > 100)
        {
            reader.AddError("queue", "prefix", $"'{prefix}' must be dot-separated words of letters, digits, '_' or '-' (at most 100 characters)");
            prefix = defaults.Prefix;
        }

        return new BrokerOptions
        {
            Url = url,
            Heartbeat = reader.GetSeconds("server", "heartbeat", 30, 0, 3600),
            ConnectTimeout = reader.GetSeconds("server", "connect_timeout", 10, 1, 300),
            ExchangeName = exchange,
            ExchangeDurable = reader.GetBool("exchange", "durable", defaults.ExchangeDurable),
            ExchangeAutoDelete = reader.GetBool("exchange", "autodelete", defaults.ExchangeAutoDelete),
            Prefix = prefix,
            DeclareHostQueue = reader.GetBool("queue", "declare_host_queue", defaults.DeclareHostQueue),
            QueueDurable = reader.GetBool("queue", "durable", defaults.QueueDurable),
            QueueExclusive = reader.GetBool("queue", "exclusive", defaults.QueueExclusive),
            QueueAutoDelete = reader.GetBool("queue", "autodelete", defaults.QueueAutoDelete),
            QueueTtlMs = reader.GetInt("queue", "ttl", defaults.QueueTtlMs, 0, int.MaxValue),
            RetryTimer = reader.GetSeconds("app", "retry_timer", 5, 0.1, 3600),
        };
    }

    /// <summary>The URL with its password replaced by <c>***</c>, for logs.</summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.UserInfo))
        {
            return url;
        }

        var user = uri.UserInfo.Split(':', 2)[0];
        return new UriBuilder(uri) { UserName = user, Password = "***" }.Uri.ToString();
    }
}
