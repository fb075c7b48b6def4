using Psistats.Aggregator.Rules;

namespace Psistats.Aggregator.Notifications;

/// <summary>The <see cref="Notice.Kind"/> values (column <c>kind</c> of the outbox, field <c>kind</c> of a webhook POST).</summary>
public static class NotificationKinds
{
    /// <summary>An alert fired (or, first sent after a silence or a hold ended, is firing).</summary>
    public const string Firing = "firing";

    /// <summary>An alert still firing, sent again after <c>repeat_interval</c>.</summary>
    public const string Repeat = "repeat";

    /// <summary>A notified alert resolved; carries its duration.</summary>
    public const string Resolved = "resolved";

    /// <summary>A remediation step or report (issue 6): always sent at once, may carry attachments.</summary>
    public const string Remediation = "remediation";

    /// <summary>Whether <paramref name="kind"/> is about an alert's life (firing, repeat, resolved): those of info and warning severity go into email digests.</summary>
    public static bool IsAlert(string kind) => kind is Firing or Repeat or Resolved;
}

/// <summary>A file sent with an email (issue 6's gzip log bundle); the bytes live in the outbox row until sent.</summary>
/// <param name="Name">File name shown to the reader, e.g. <c>miner1-2026-01-01T000000Z.tar.gz</c>.</param>
/// <param name="ContentType">MIME type, e.g. <c>application/gzip</c>.</param>
/// <param name="Content">The bytes.</param>
public sealed record NotificationAttachment(string Name, string ContentType, ReadOnlyMemory<byte> Content)
{
    /// <summary>MIME type of a gzip file (RFC 6713).</summary>
    public const string Gzip = "application/gzip";
}

/// <summary>
/// What to tell people, independent of the notifier: the policy routes it to email and webhooks and turns it into outbox rows.
/// For alert kinds the text is composed by <see cref="MessageText"/> from the fields; a remediation notice may give its own
/// <see cref="Subject"/> and <see cref="Body"/> (neutralised like everything else before it reaches a header).
/// </summary>
public sealed record Notice
{
    /// <summary>One of <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>How bad it is: decides immediate email vs digest, recipients per severity and webhook <c>min_severity</c>.</summary>
    public required Severity Severity { get; init; }

    /// <summary>The alert (rule, host, instance); for a remediation notice the rule and instance may be empty.</summary>
    public required AlertKey Key { get; init; }

    /// <summary>When it happened (aggregator's clock).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The value that matched (or cleared), as text.</summary>
    public string? Value { get; init; }

    /// <summary>The threshold as the rule states it (<c>&gt; 90</c>).</summary>
    public string? Threshold { get; init; }

    /// <summary>The engine's one line for people (<see cref="AlertTransition.Message"/>, <see cref="ActiveAlert.Summary"/>).</summary>
    public string? Summary { get; init; }

    /// <summary>When the alert fired.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>For <c>resolved</c>: how long it was firing.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Subject as given (remediation); null: composed from the fields.</summary>
    public string? Subject { get; init; }

    /// <summary>Body as given (remediation; may span lines); null: composed from the fields.</summary>
    public string? Body { get; init; }

    /// <summary>Files for email (webhooks do not carry them).</summary>
    public IReadOnlyList<NotificationAttachment> Attachments { get; init; } = [];

    /// <summary>The notice of a <c>firing</c> or <c>resolved</c> transition; null for <c>pending</c> and <c>ok</c>.</summary>
    public static Notice? From(AlertTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        var kind = transition.Kind switch
        {
            TransitionKinds.Firing => NotificationKinds.Firing,
            TransitionKinds.Resolved => NotificationKinds.Resolved,
            _ => null,
        };
        return kind is null
            ? null
            : new Notice
            {
                Kind = kind,
                Severity = transition.Severity,
                Key = transition.Key,
                At = transition.At,
                Value = transition.Value,
                Threshold = transition.Threshold,
                Summary = transition.Message,
                Since = transition.FiringSince ?? transition.Alert?.FiringSince ?? (kind == NotificationKinds.Firing ? transition.At : null),
                Duration = transition.Duration,
            };
    }

    /// <summary>The notice of an alert that is still firing at <paramref name="now"/> (<c>repeat</c>, or <c>firing</c> when never sent before).</summary>
    public static Notice From(ActiveAlert alert, string kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new Notice
        {
            Kind = kind,
            Severity = alert.Severity,
            Key = alert.Key,
            At = now,
            Value = alert.Value,
            Threshold = alert.Threshold,
            Summary = alert.Summary,
            Since = alert.FiringSince ?? alert.PendingSince,
        };
    }
}
