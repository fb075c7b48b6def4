using System.Text;
using System.Text.Json.Nodes;

namespace Psistats.Bench;

/// <summary>
/// One frame of a reporter, ready to be stamped with a host name: the frame's wire JSON (UTF-8, one object, no
/// indentation) with <c>hostname</c> as its first member and every other member as the agent sent it.
/// </summary>
internal sealed class FrameTemplate
{
    private static readonly byte[] Head = "{\"hostname\":\""u8.ToArray();

    private readonly byte[] _tail;

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
    }

    /// <summary>The frame's <c>reporter</c>.</summary>
    public string Reporter { get; }

    /// <summary>The frame's <c>interval</c>, seconds: how often the agent sends it.</summary>
    public double Interval { get; }

    /// <summary>Bytes of the frame without its host name (the JSON tail after it).</summary>
    public int TailLength => _tail.Length;

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
