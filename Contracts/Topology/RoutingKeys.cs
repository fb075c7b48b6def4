using System.Text;

namespace Psistats.Contracts.Topology;

/// <summary>
/// Routing keys of wire format v1: <c>&lt;prefix&gt;.&lt;host&gt;.&lt;reporter&gt;</c>.
/// A topic exchange splits keys on '.', so the host becomes one word: lower-cased, '.' becomes '_',
/// and anything but letters, digits, '_' and '-' becomes '_'. Bindings such as
/// <c>psistats.*.cpu</c> or <c>psistats.web01_example_com.#</c> then match as expected.
/// </summary>
public static class RoutingKeys
{
    /// <summary>AMQP 0-9-1 limits a routing key to 255 bytes; the host word is capped to leave room.</summary>
    public const int MaxHostWordLength = 120;

    /// <summary>The topic word for <paramref name="hostname"/>, e.g. <c>web01.example.com</c> -> <c>web01_example_com</c>.</summary>
    public static string HostWord(string hostname)
    {
        ArgumentNullException.ThrowIfNull(hostname);
        var builder = new StringBuilder(Math.Min(hostname.Length, MaxHostWordLength));
        foreach (var c in hostname.Trim())
        {
            if (builder.Length == MaxHostWordLength)
            {
                break;
            }

            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'
                ? c
                : c is >= 'A' and <= 'Z' ? char.ToLowerInvariant(c) : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }

    /// <summary>The routing key a frame is published with.</summary>
    public static string ForFrame(string prefix, string hostname, string reporter) => $"{prefix}.{HostWord(hostname)}.{reporter}";

    /// <summary>Binding key matching every frame of one host: <c>&lt;prefix&gt;.&lt;host&gt;.#</c>.</summary>
    public static string AllOfHost(string prefix, string hostname) => $"{prefix}.{HostWord(hostname)}.#";

    /// <summary>Binding key matching every frame: <c>&lt;prefix&gt;.#</c>.</summary>
    public static string All(string prefix) => $"{prefix}.#";
}
