using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>net</c>: per network interface, traffic rates over the last interval from two samples of /proc/net/dev
/// and the interval between the two samples' /proc/uptime: Δcounter/t, per second, rounded to 2 decimals. The names
/// are the kernel's counter names (Documentation/networking/statistics.rst: rx_bytes, rx_packets, rx_errors,
/// rx_dropped, tx_...) with <c>/s</c>.
/// </summary>
public sealed record NetFrame : Frame
{
    public const string Name = "net";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>Interface name -> its rates, in /proc/net/dev order (loopback and other ignored interfaces left out). JSON <c>net</c>.</summary>
    [JsonPropertyName("net")]
    public IReadOnlyDictionary<string, NetInterface> Net { get; init; } = new Dictionary<string, NetInterface>();
}

/// <summary>One interface's rates over one interval, per second.</summary>
public sealed record NetInterface
{
    /// <summary>Bytes received per second (the Receive "bytes" column). JSON <c>rx_bytes/s</c>.</summary>
    [JsonPropertyName("rx_bytes/s")]
    public double RxBytesPerSecond { get; init; }

    /// <summary>Bytes sent per second (Transmit "bytes"). JSON <c>tx_bytes/s</c>.</summary>
    [JsonPropertyName("tx_bytes/s")]
    public double TxBytesPerSecond { get; init; }

    /// <summary>Packets received per second (Receive "packets"). JSON <c>rx_packets/s</c>.</summary>
    [JsonPropertyName("rx_packets/s")]
    public double RxPacketsPerSecond { get; init; }

    /// <summary>Packets sent per second (Transmit "packets"). JSON <c>tx_packets/s</c>.</summary>
    [JsonPropertyName("tx_packets/s")]
    public double TxPacketsPerSecond { get; init; }

    /// <summary>Receive errors per second (Receive "errs"). JSON <c>rx_errors/s</c>.</summary>
    [JsonPropertyName("rx_errors/s")]
    public double RxErrorsPerSecond { get; init; }

    /// <summary>Transmit errors per second (Transmit "errs"). JSON <c>tx_errors/s</c>.</summary>
    [JsonPropertyName("tx_errors/s")]
    public double TxErrorsPerSecond { get; init; }

    /// <summary>Received packets dropped per second (Receive "drop"). JSON <c>rx_dropped/s</c>.</summary>
    [JsonPropertyName("rx_dropped/s")]
    public double RxDroppedPerSecond { get; init; }

    /// <summary>Packets dropped on transmit per second (Transmit "drop"). JSON <c>tx_dropped/s</c>.</summary>
    [JsonPropertyName("tx_dropped/s")]
    public double TxDroppedPerSecond { get; init; }
}
