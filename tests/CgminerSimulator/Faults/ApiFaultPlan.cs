using System.Text;

namespace Psistats.CgminerSimulator.Faults;

/// <summary>
/// What the API faults do to one connection, decided from the snapshot taken when its request was read.
/// Precedence when several are on: <c>hang</c> (nothing is sent), then <c>slow</c> (waits, then the rest applies),
/// then one of <c>truncated</c> &gt; <c>invalid-json</c> &gt; <c>no-nul</c> shapes the bytes; <c>brace-quirk</c> is
/// applied while the JSON is written, so it combines with all of them. <c>refuse</c> acts on the listener, see
/// <see cref="ListenerOpen"/>.
/// </summary>
internal sealed record ApiFaultPlan(bool Hang, TimeSpan? Delay, bool BraceQuirk, string? Shape)
{
    /// <summary>Bytes that follow the first half of the reply under <c>invalid-json</c>: two bytes that are not UTF-8, then text that is not JSON.</summary>
    public static ReadOnlyMemory<byte> Garbage { get; } = new byte[] { 0xFF, 0xFE }.Concat(Encoding.ASCII.GetBytes("]]}{\"API\":garbage")).ToArray();

    /// <summary>The plan for <paramref name="faults"/>.</summary>
    public static ApiFaultPlan For(FaultSnapshot faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        string? shape = faults.IsOn(FaultNames.Truncated) ? FaultNames.Truncated
            : faults.IsOn(FaultNames.InvalidJson) ? FaultNames.InvalidJson
            : faults.IsOn(FaultNames.NoNul) ? FaultNames.NoNul
            : null;
        return new ApiFaultPlan(faults.IsOn(FaultNames.Hang), faults.Get(FaultNames.Slow)?.Delay, faults.IsOn(FaultNames.BraceQuirk), shape);
    }

    /// <summary>True when the API port should accept connections under <paramref name="faults"/> (false under <c>refuse</c>).</summary>
    public static bool ListenerOpen(FaultSnapshot faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        return !faults.IsOn(FaultNames.Refuse);
    }

    /// <summary>
    /// The bytes to send for <paramref name="reply"/> (a complete reply ending with its NUL):
    /// <c>truncated</c> keeps the first half, <c>invalid-json</c> the first half plus <see cref="Garbage"/> and a NUL,
    /// <c>no-nul</c> drops the NUL; otherwise the reply unchanged.
    /// </summary>
    public ReadOnlyMemory<byte> ShapeReply(ReadOnlyMemory<byte> reply)
    {
        var half = (reply.Length - 1) / 2;
        return Shape switch
        {
            FaultNames.Truncated => reply[..half],
            FaultNames.InvalidJson => reply[..half].ToArray().Concat(Garbage.ToArray()).Append((byte)0).ToArray(),
            FaultNames.NoNul => reply[..^1],
            _ => reply,
        };
    }
}
