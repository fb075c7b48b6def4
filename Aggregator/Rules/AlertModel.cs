using System.Text.Json.Serialization;

namespace Psistats.Aggregator.Rules;

/// <summary>How bad an alert is. Errors and criticals are emailed at once; infos and warnings go into the digest.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary><c>info</c>.</summary>
    [JsonStringEnumMemberName("info")]
    Info,

    /// <summary><c>warning</c>.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary><c>error</c>.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary><c>critical</c>.</summary>
    [JsonStringEnumMemberName("critical")]
    Critical,
}

/// <summary>Where an alert stands. <c>ok</c> alerts are not kept: only pending and firing ones are.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertState>))]
public enum AlertState
{
    /// <summary>The condition does not hold.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>The condition holds but not yet for the rule's <c>for</c>.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>The condition held for <c>for</c>: the alert is on.</summary>
    [JsonStringEnumMemberName("firing")]
    Firing,
}

/// <summary>
/// What one alert is about: a rule, a host, and the instance the rule's wildcards bound (a disk, a core, an
/// ASIC, a mount point; <c>""</c> when the rule has no wildcard).
/// </summary>
public sealed record AlertKey(string Rule, string Host, string Instance)
{
    /// <summary><c>rule host/instance</c>, for logs.</summary>
    public override string ToString() => Instance.Length == 0 ? $"{Rule} {Host}" : $"{Rule} {Host}/{Instance}";
}

/// <summary>
/// One pending or firing alert as the engine holds it and the database keeps it (table <c>alerts</c>).
/// </summary>
public sealed record ActiveAlert
{
    /// <summary>Rule, host, instance.</summary>
    public required AlertKey Key { get; init; }

    /// <summary>The rule's severity when the alert last moved.</summary>
    public required Severity Severity { get; init; }

    /// <summary>Pending or firing.</summary>
    public required AlertState State { get; init; }

    /// <summary>When the condition started to hold (the first matching frame's receive time).</summary>
    public required DateTimeOffset PendingSince { get; init; }

    /// <summary>When the alert fired; null while pending.</summary>
    public DateTimeOffset? FiringSince { get; init; }

    /// <summary>The value that last matched, as text (<c>93.5</c>, <c>Dead</c>).</summary>
    public string? Value { get; init; }

    /// <summary>The threshold as the rule states it (<c>&gt; 90</c>, <c>!= Alive</c>).</summary>
    public string? Threshold { get; init; }

    /// <summary>One line for people: what holds, e.g. <c>diskio sda %util 93.5 &gt; 90</c>.</summary>
    public required string Summary { get; init; }

    /// <summary>Consecutive matching frames so far (for <c>for = N</c>).</summary>
    public int Matches { get; init; }

    /// <summary>Last time a frame (or a check) confirmed the condition.</summary>
    public required DateTimeOffset LastMatch { get; init; }
}

/// <summary>
/// A move of one alert, every one of which is an event: <c>pending</c> (ok → pending), <c>firing</c>
/// (pending → firing, or ok → firing when <c>for</c> is 0), <c>resolved</c> (firing → ok) and <c>ok</c>
/// (pending → ok without ever firing).
/// </summary>
public sealed record AlertTransition
{
    /// <summary>Rule, host, instance.</summary>
    public required AlertKey Key { get; init; }

    /// <summary>The rule's severity.</summary>
    public required Severity Severity { get; init; }

    /// <summary><c>pending</c>, <c>firing</c>, <c>resolved</c> or <c>ok</c> (see <see cref="TransitionKinds"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>When it happened (the receive time of the frame that caused it, or the check's time).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The value that caused it, as text; for <c>resolved</c> the value that cleared it (null when the instance vanished).</summary>
    public string? Value { get; init; }

    /// <summary>The threshold as the rule states it.</summary>
    public string? Threshold { get; init; }

    /// <summary>One line for people.</summary>
    public required string Message { get; init; }

    /// <summary>When the alert fired (firing and resolved transitions).</summary>
    public DateTimeOffset? FiringSince { get; init; }

    /// <summary>For <c>resolved</c>: how long it was firing.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The alert after the move; null for <c>resolved</c> and <c>ok</c> (no longer kept).</summary>
    public ActiveAlert? Alert { get; init; }

    /// <summary>
    /// An alert of a rule of kind external (raised by the aggregator, not by frames) firing at once at <paramref name="at"/>,
    /// with its <see cref="ActiveAlert"/> (one match, pending and firing since <paramref name="at"/>).
    /// </summary>
    public static AlertTransition ExternalFiring(AlertKey key, Severity severity, string message, string value, string threshold,
        DateTimeOffset at) => new()
    {
        Key = key,
        Severity = severity,
        Kind = TransitionKinds.Firing,
        At = at,
        Value = value,
        Threshold = threshold,
        Message = message,
        FiringSince = at,
        Alert = new ActiveAlert
        {
            Key = key,
            Severity = severity,
            State = AlertState.Firing,
            PendingSince = at,
            FiringSince = at,
            Value = value,
            Threshold = threshold,
            Summary = message,
            Matches = 1,
            LastMatch = at,
        },
    };

    /// <summary>The resolve at <paramref name="at"/> of an external alert firing since <paramref name="since"/>.</summary>
    public static AlertTransition ExternalResolved(AlertKey key, Severity severity, string message, string value, string threshold,
        DateTimeOffset since, DateTimeOffset at) => new()
    {
        Key = key,
        Severity = severity,
        Kind = TransitionKinds.Resolved,
        At = at,
        Value = value,
        Threshold = threshold,
        Message = message,
        FiringSince = since,
        Duration = at - since,
    };
}

/// <summary>The <see cref="AlertTransition.Kind"/> values.</summary>
public static class TransitionKinds
{
    /// <summary>ok → pending.</summary>
    public const string Pending = "pending";

    /// <summary>→ firing.</summary>
    public const string Firing = "firing";

    /// <summary>firing → ok.</summary>
    public const string Resolved = "resolved";

    /// <summary>pending → ok, never fired.</summary>
    public const string Ok = "ok";
}
