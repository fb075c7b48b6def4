using System.Text.Json;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Cgminer;

/// <summary>
/// The <c>STATUS[0]</c> of a cgminer reply (api.c <c>message()</c>): <c>STATUS</c> is S (success), I (info), W (warning),
/// E (error) or F (fatal); <c>When</c> the miner's clock, Unix seconds; <c>Code</c> the message number (11 Summary,
/// 14 Invalid command, 45 Access denied, ...); <c>Msg</c> its text; <c>Description</c> the miner software (<c>cgminer 4.3.5</c>).
/// Fields the reply lacks are null.
/// </summary>
public sealed record CgminerStatus(string Status, long? When, long? Code, string? Msg, string? Description)
{
    /// <summary>True for STATUS E and F, which cgminer sends instead of the data.</summary>
    public bool IsError => Status is "E" or "F";
}

/// <summary>
/// A parsed cgminer reply: its status, and its sections by name (<c>SUMMARY</c>, <c>POOLS</c>, <c>STATS</c>, ...), each a
/// list of JSON objects whose keys are cgminer's. From a text-format reply every value is a JSON string. The elements
/// are detached copies, safe to keep.
/// </summary>
public sealed record CgminerReply(CgminerStatus Status, IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> Sections)
{
    /// <summary>The entries of <paramref name="section"/>, empty when the reply has none.</summary>
    public IReadOnlyList<JsonElement> Section(string section) => Sections.TryGetValue(section, out var entries) ? entries : [];
}

/// <summary>The outcome of one command: a reply, or the error that stands for it (never both).</summary>
public sealed record CgminerResult
{
    private CgminerResult(CgminerReply? reply, CgminerApiError? error)
    {
        Reply = reply;
        Error = error;
    }

    /// <summary>The reply, when the command succeeded (STATUS S, I or W).</summary>
    public CgminerReply? Reply { get; }

    /// <summary>Why the command failed: no usable reply, or STATUS E/F.</summary>
    public CgminerApiError? Error { get; }

    /// <summary>A usable reply.</summary>
    public static CgminerResult Ok(CgminerReply reply) => new(reply, null);

    /// <summary>A failure.</summary>
    public static CgminerResult Failed(CgminerApiError error) => new(null, error);

    /// <summary>A failure of <paramref name="command"/> of the given kind.</summary>
    public static CgminerResult Failed(string command, string? parameter, CgminerErrorKind kind, string message) =>
        new(null, new CgminerApiError { Command = command, Parameter = parameter, Kind = kind, Message = message });

    /// <summary>
    /// True when the miner could not be talked to at all (refused, unreachable, timeout, reset, closed without a reply,
    /// socket error): the rest of a poll is skipped. A bad or too large reply, or STATUS E/F, is a miner that answers.
    /// </summary>
    public bool IsUnreachable => Error?.Kind is CgminerErrorKind.Refused or CgminerErrorKind.Unreachable or CgminerErrorKind.Timeout
        or CgminerErrorKind.Reset or CgminerErrorKind.Empty or CgminerErrorKind.SocketError;
}
