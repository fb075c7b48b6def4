using System.Text;
using System.Text.Json.Nodes;

namespace Psistats.Bench;

/// <summary>
/// One frame of a reporter, ready to be stamped with a host name (and, for a stream of distinct frames, a <c>seq</c> and a
/// <c>timestamp</c>): the frame's wire JSON (UTF-8, one object, no indentation) with <c>hostname</c> as its first member and
/// every other member as the agent sent it.
/// </summary>
internal sealed class FrameTemplate
{
    private static readonly byte[] Head = "{\"hostname\":\""u8.ToArray();

    private static readonly byte[] TimestampMember = "\",\"timestamp\":"u8.ToArray();
    private static readonly byte[] SeqMember = ",\"seq\":"u8.ToArray();

    private readonly byte[] _tail;

    /// <summary>The tail without <c>timestamp</c> and <c>seq</c>, from the comma after the host name.</summary>
    private readonly byte[] _unstampedTail;

    /// <summary>A template of <paramref name="frame"/>, a frame object whose first member is <c>hostname</c>.</summary>
    /// <exception cref="ArgumentException">The frame lacks a string <c>reporter</c> or a number <c>interval</c>.</exception>
    public FrameTemplate(JsonObject frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Reporter = (string?)frame["reporter"] ?? throw new ArgumentException("the frame has no reporter", nameof(frame));
        Interval = (double?)frame["interval"] ?? throw new ArgumentException($"the {Reporter} frame has no interval", nameof(frame));
        var copy = new JsonObject { ["hostname"] = "" };
        foreach (var (name, value) in frame)
        {
            if (name != "hostname")
            {
                copy[name] = value?.DeepClone();
            }
        }

        // {"hostname":"","reporter":... -> the tail starts at the closing quote of the empty host name.
        _tail = Encoding.UTF8.GetBytes(copy.ToJsonString())[Head.Length..];
        copy.Remove("timestamp");
        copy.Remove("seq");
        _unstampedTail = Encoding.UTF8.GetBytes(copy.ToJsonString())[(Head.Length + 1)..];
    }

    /// <summary>The frame's <c>reporter</c>.</summary>
    public string Reporter { get; }

    /// <summary>The frame's <c>interval</c>, seconds: how often the agent sends it.</summary>
    public double Interval { get; }

    /// <summary>Bytes of the frame without its host name (the JSON tail after it).</summary>
    public int TailLength => _tail.Length;

    /// <summary>
    /// The frame of <paramref name="host"/> numbered <paramref name="seq"/> and stamped <paramref name="timestamp"/> (Unix seconds):
    /// a stream of distinct frames, as an agent sends them (the aggregator skips a frame at or below the last one applied).
    /// </summary>
    public byte[] For(string host, long seq, double timestamp)
    {
        ArgumentNullException.ThrowIfNull(host);
        var stamp = Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{timestamp:0.000}"));
        var number = Encoding.UTF8.GetBytes(seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var name = Encoding.UTF8.GetBytes(host);
        var bytes = new byte[Head.Length + name.Length + TimestampMember.Length + stamp.Length + SeqMember.Length + number.Length + _unstampedTail.Length];
        var at = 0;
        foreach (var part in new[] { Head, name, TimestampMember, stamp, SeqMember, number, _unstampedTail })
        {
            part.CopyTo(bytes, at);
            at += part.Length;
        }

        return bytes;
    }

    /// <summary>The frame of <paramref name="host"/> (a name of letters, digits, '.', '-' and '_': nothing to escape).</summary>
    public byte[] For(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = Encoding.UTF8.GetBytes(host);
        var bytes = new byte[Head.Length + name.Length + _tail.Length];
        Head.CopyTo(bytes, 0);
        name.CopyTo(bytes, Head.Length);
        _tail.CopyTo(bytes, Head.Length + name.Length);
        return bytes;
    }
}
