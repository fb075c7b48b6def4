using System.Globalization;
using System.Text;
using Psistats.Contracts.Frames;
using Psistats.Contracts.Topology;

namespace Psistats.Agent.Publishing;

/// <summary>A frame ready to publish: its routing key, AMQP properties' values and body.</summary>
/// <param name="Sequence">The frame's <c>seq</c>: increasing from 1; frames are published in this order.</param>
/// <param name="RoutingKey"><c>&lt;prefix&gt;.&lt;host&gt;.&lt;reporter&gt;</c>.</param>
/// <param name="Reporter">AMQP <c>type</c> property.</param>
/// <param name="MessageId">AMQP <c>message_id</c>: a UUIDv7, unique per frame, stable across re-sends.</param>
/// <param name="Timestamp">AMQP <c>timestamp</c>, Unix seconds.</param>
/// <param name="Body">UTF-8 JSON.</param>
public sealed record OutgoingFrame(long Sequence, string RoutingKey, string Reporter, string MessageId, long Timestamp, ReadOnlyMemory<byte> Body)
{
    /// <summary>Numbers and serialises <paramref name="frame"/> for publishing under <paramref name="prefix"/>.</summary>
    public static OutgoingFrame Create(Frame frame, long sequence, string prefix)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new OutgoingFrame(sequence, RoutingKeys.ForFrame(prefix, frame.Hostname, frame.Reporter), frame.Reporter,
            Guid.CreateVersion7().ToString(), (long)Math.Floor(frame.Timestamp), FrameSerializer.ToUtf8(frame with { Seq = sequence }));
    }

    /// <summary>
    /// The spool's line form: <c>seq TAB routing-key TAB reporter TAB message-id TAB timestamp TAB body LF</c>.
    /// None of the fields can hold a tab or a line feed (routing keys and reporter names are topic words, the
    /// body is compact JSON whose strings escape control characters).
    /// </summary>
    public string ToSpoolLine() =>
        string.Create(CultureInfo.InvariantCulture, $"{Sequence}\t{RoutingKey}\t{Reporter}\t{MessageId}\t{Timestamp}\t{Encoding.UTF8.GetString(Body.Span)}\n");

    /// <summary>Parses a spool line (without its line feed).</summary>
    /// <exception cref="FormatException">When the line does not have the six fields.</exception>
    public static OutgoingFrame FromSpoolLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split('\t', 6);
        return parts.Length == 6
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && long.TryParse(parts[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp)
            ? new OutgoingFrame(sequence, parts[1], parts[2], parts[3], timestamp, Encoding.UTF8.GetBytes(parts[5]))
            : throw new FormatException($"not a spool line: '{(line.Length > 80 ? line[..80] + "..." : line)}'");
    }
}
