using Psistats.Aggregator.Rules;

namespace Psistats.Aggregator.Notifications;

/// <summary>A notification to put into the outbox, for one notifier (built by <see cref="NotificationPolicy"/>).</summary>
public sealed record OutboxMessage
{
    /// <summary><c>email</c> or a webhook NAME.</summary>
    public required string Notifier { get; init; }

    /// <summary>One of <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The alert it is about (rule and instance empty when not about one alert).</summary>
    public required AlertKey Key { get; init; }

    /// <summary>Severity of the notification.</summary>
    public required Severity Severity { get; init; }

    /// <summary>Email subject, already cleaned (<see cref="MessageText.Subject"/>).</summary>
    public required string Subject { get; init; }

    /// <summary>Email body, plain text, already cleaned.</summary>
    public required string Body { get; init; }

    /// <summary>Its line in a digest (<see cref="MessageText.Line"/>).</summary>
    public required string Line { get; init; }

    /// <summary>Webhook JSON (without <c>message_id</c>); null for email.</summary>
    public string? Payload { get; init; }

    /// <summary>Email recipients, comma-separated as MailAddressCollection writes them; null for a webhook.</summary>
    public string? Recipients { get; init; }

    /// <summary>True: an email digest member, sent with the others of its recipients within <c>digest_interval</c>.</summary>
    public bool Digest { get; init; }

    /// <summary>Files for email.</summary>
    public IReadOnlyList<NotificationAttachment> Attachments { get; init; } = [];

    /// <summary>When it was queued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Not sent before this time (a digest member: the end of its digest window).</summary>
    public required DateTimeOffset NextAttemptAt { get; init; }
}

/// <summary>A row of the outbox as stored (table <c>outbox</c>); attachments are read separately (<see cref="NotificationOutbox.Attachments"/>).</summary>
public sealed record OutboxRow
{
    /// <summary>Row id; also the Message-ID's number.</summary>
    public required long Id { get; init; }

    /// <summary>When it was queued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>email</c> or a webhook NAME.</summary>
    public required string Notifier { get; init; }

    /// <summary>One of <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Rule ("" when not about an alert).</summary>
    public required string Rule { get; init; }

    /// <summary>Host.</summary>
    public required string Host { get; init; }

    /// <summary>Instance ("" when none).</summary>
    public required string Instance { get; init; }

    /// <summary>Severity.</summary>
    public required Severity Severity { get; init; }

    /// <summary>Email recipients (comma-separated); null for a webhook.</summary>
    public string? Recipients { get; init; }

    /// <summary>Email subject.</summary>
    public required string Subject { get; init; }

    /// <summary>Email body.</summary>
    public required string Body { get; init; }

    /// <summary>Digest line.</summary>
    public required string Line { get; init; }

    /// <summary>Webhook JSON; null for email.</summary>
    public string? Payload { get; init; }

    /// <summary>Whether it is an email digest member.</summary>
    public required bool Digest { get; init; }

    /// <summary>Failed attempts so far.</summary>
    public required int Attempts { get; init; }

    /// <summary>Not sent before this time.</summary>
    public required DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>When it was sent; null while unsent.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The last failure, kept until it is sent.</summary>
    public string? LastError { get; init; }
}

/// <summary>The outbox's numbers for <c>/healthz</c>.</summary>
/// <param name="Pending">Rows not sent yet (digest members waiting for their window included).</param>
/// <param name="Failing">Unsent rows that failed at least once.</param>
/// <param name="OldestPending">When the oldest unsent row was queued; null when none.</param>
public sealed record OutboxCounts(long Pending, long Failing, DateTimeOffset? OldestPending);

/// <summary>
/// What the immediate alert notifications of one grouped message share (<c>group_wait</c>, <see cref="NotificationDispatcher"/>):
/// the same notifier and recipients, the same rule, kind and severity. Many hosts down at once are one group, one message.
/// </summary>
/// <param name="Notifier"><c>email</c> or a webhook NAME.</param>
/// <param name="Recipients">Email recipients as stored; null for a webhook.</param>
/// <param name="Rule">The rule.</param>
/// <param name="Kind"><c>firing</c>, <c>repeat</c> or <c>resolved</c>.</param>
/// <param name="Severity">The severity.</param>
public sealed record OutboxGroup(string Notifier, string? Recipients, string Rule, string Kind, Severity Severity);
