using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Reporter <c>ipaddr</c>: the host's addresses, loopback excluded.</summary>
public sealed record IpAddrFrame : Frame
{
    public const string Name = "ipaddr";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>Every non-loopback address of every interface that is up, IPv4 first, as strings. JSON <c>ipaddr</c> (psistats' list).</summary>
    [JsonPropertyName("ipaddr")]
    public IReadOnlyList<string> IpAddr { get; init; } = [];

    /// <summary>Interface name -> its addresses. JSON <c>interfaces</c>.</summary>
    [JsonPropertyName("interfaces")]
    public IReadOnlyDictionary<string, InterfaceAddresses> Interfaces { get; init; } = new Dictionary<string, InterfaceAddresses>();
}

/// <summary>The addresses of one network interface.</summary>
public sealed record InterfaceAddresses
{
    /// <summary>IPv4 addresses, dotted quad. JSON <c>ipv4</c>.</summary>
    [JsonPropertyName("ipv4")]
    public IReadOnlyList<string> IPv4 { get; init; } = [];

    /// <summary>IPv6 addresses, RFC 5952 text (link-local ones carry their <c>%scope</c>). JSON <c>ipv6</c>.</summary>
    [JsonPropertyName("ipv6")]
    public IReadOnlyList<string> IPv6 { get; init; } = [];
}
