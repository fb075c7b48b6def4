using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Psistats.Aggregator.Notifications;

/// <summary>The notifications' numbers for <c>/healthz</c>.</summary>
/// <param name="Pending">Outbox rows not sent yet (digest members and rows in their group_wait included).</param>
/// <param name="Failing">Unsent rows that failed at least once.</param>
/// <param name="OldestPending">When the oldest unsent row was queued.</param>
/// <param name="Sent">Rows sent since start (a digest or a grouped message counts its members).</param>
/// <param name="FailedAttempts">Failed send attempts since start (a digest or grouped message attempt counts once).</param>
/// <param name="LastError">The last failure, <c>notifier: message</c>.</param>
/// <param name="LastErrorAt">When it happened.</param>
/// <param name="FailingNotifiers">Notifiers whose last attempt failed.</param>
public sealed record NotificationHealth(
    [property: JsonPropertyName("pending")] long Pending,
    [property: JsonPropertyName("failing")] long Failing,
    [property: JsonPropertyName("oldest_pending")] DateTimeOffset? OldestPending,
    [property: JsonPropertyName("sent")] long Sent,
    [property: JsonPropertyName("failed_attempts")] long FailedAttempts,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("last_error_at")] DateTimeOffset? LastErrorAt,
    [property: JsonPropertyName("failing_notifiers")] IReadOnlyList<string> FailingNotifiers);

/// <summary>
/// Sends the outbox: every <see cref="Period"/>, each due immediate row as one message, and each due digest group (email
/// members of one recipient set whose window has ended) as one email with a line per member. With <c>group_wait</c> above 0,
/// immediate alert notifications go out by <see cref="OutboxGroup"/> instead (Alertmanager's group_wait): the first of a group
/// waits group_wait, and it and every member queued meanwhile go out as one message (<c>group_max</c> members at most, the
/// rest in the next ones; a member alone as its single message); every member is marked sent, or failed, with the message.
/// A row is marked sent right after its send returned; a failed one gets attempts + 1, its error, and a next attempt after the backoff
/// (<see cref="NotificationOptions.Backoff"/>: retry_initial doubling up to retry_max). While a notifier fails, its other rows wait
/// for the same next attempt (one try per backoff step, not one per row). A notifier's failure is logged when it starts
/// (or its error changes) and when it ends, not at every retry. Rows are never deleted unsent.
/// </summary>
public sealed class NotificationDispatcher : BackgroundService
{
    /// <summary>How often the outbox is looked at.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Immediate rows, and grouped messages, sent per tick at most (the rest follow at the next ticks).</summary>
    public const int BatchLimit = 200;

    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly NotificationOutbox _outbox;
    private readonly NotificationOptions _options;
    private readonly IEmailSender _email;
    private readonly IWebhookSender _webhooks;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly string _messageIdHost;
    private readonly SemaphoreSlim _once = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NotifierState> _notifiers = new(StringComparer.OrdinalIgnoreCase);
    private long _sent;
    private long _failedAttempts;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>Creates the dispatcher.</summary>
    /// <param name="outbox">The outbox to send.</param>
    /// <param name="options">Email, webhooks and the retry backoff.</param>
    /// <param name="email">Sends email (<see cref="EmailSender"/>).</param>
    /// <param name="webhooks">Posts webhooks (<see cref="WebhookSender"/>).</param>
    /// <param name="time">The aggregator's clock.</param>
    /// <param name="logger">Where sends and notifier failures are logged.</param>
    /// <param name="messageIdHost">The right side of Message-IDs; default this machine's host name.</param>
    public NotificationDispatcher(NotificationOutbox outbox, NotificationOptions options, IEmailSender email, IWebhookSender webhooks,
        TimeProvider time, ILogger<NotificationDispatcher> logger, string? messageIdHost = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _outbox = outbox;
        _options = options;
        _email = email;
        _webhooks = webhooks;
        _time = time;
        _logger = logger;
        _messageIdHost = MessageText.MessageIdDomain(messageIdHost ?? Dns.GetHostName());
    }

    /// <summary>The numbers for <c>/healthz</c> (pending counts read from the database).</summary>
    public NotificationHealth Health()
    {
        var counts = _outbox.Counts();
        lock (_lock)
        {
            return new NotificationHealth(counts.Pending, counts.Failing, counts.OldestPending, _sent, _failedAttempts, _lastError, _lastErrorAt,
                _notifiers.Where(n => n.Value.Failing).Select(n => n.Key).Order(StringComparer.Ordinal).ToList());
        }
    }

    /// <summary>One pass: sends every due row and digest (one pass at a time); returns the number of rows sent.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await _once.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (now - _lastPrune >= PruneEvery)
            {
                _outbox.PruneSent(now - NotificationOutbox.SentRetention);
                _lastPrune = now;
            }

            var sent = 0;
            foreach (var row in _outbox.DueImmediate(now, BatchLimit, _options.Grouping))
            {
                if (!Waiting(row.Notifier, now) && await AttemptAsync(row.Notifier, row.Kind, [row], row.Subject, ct => SendRowAsync(row, ct), cancellationToken).ConfigureAwait(false))
                {
                    sent++;
                }
            }

            if (_options.Grouping)
            {
                sent += await DispatchGroupsAsync(now, cancellationToken).ConfigureAwait(false);
            }

            foreach (var digest in _outbox.DueDigests(now))
            {
                var notifier = digest[0].Notifier;
                var subject = MessageText.DigestSubject(digest);
                if (!Waiting(notifier, now) && await AttemptAsync(notifier, "digest", digest, subject, ct => SendDigestAsync(digest, subject, ct), cancellationToken).ConfigureAwait(false))
                {
                    sent += digest.Count;
                }
            }

            return sent;
        }
        finally
        {
            _once.Release();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            do
            {
                try
                {
                    await DispatchOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    NotificationsLog.DispatchFailed(_logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _once.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Sends each due group (<see cref="NotificationOutbox.DueGroups"/>) as messages of at most <c>group_max</c> members, oldest
    /// first, at most <see cref="BatchLimit"/> messages per pass; a member alone goes out as its own single message. A failed
    /// message leaves its group (and its notifier) for the backoff.
    /// </summary>
    private async Task<int> DispatchGroupsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sent = 0;
        var messages = 0;
        foreach (var group in _outbox.DueGroups(now))
        {
            while (messages < BatchLimit && !Waiting(group.Notifier, now))
            {
                var (members, unsent) = _outbox.GroupMembers(group, _options.GroupMax);
                if (members.Count == 0)
                {
                    break;
                }

                messages++;
                bool delivered;
                if (members.Count == 1)
                {
                    var row = members[0];
                    delivered = await AttemptAsync(row.Notifier, row.Kind, members, row.Subject, ct => SendRowAsync(row, ct), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var following = unsent - members.Count;
                    var subject = MessageText.GroupSubject(members);
                    delivered = await AttemptAsync(group.Notifier, $"{group.Kind} group", members, subject,
                        ct => SendGroupAsync(members, subject, following, ct), cancellationToken).ConfigureAwait(false);
                }

                if (!delivered)
                {
                    break;
                }

                sent += members.Count;
                if (members.Count < _options.GroupMax)
                {
                    break;
                }
            }
        }

        return sent;
    }

    private bool Waiting(string notifier, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _notifiers.TryGetValue(notifier, out var state) && state.Failing && state.NextAttempt > now;
        }
    }

    private async Task<bool> AttemptAsync(string notifier, string kind, IReadOnlyList<OutboxRow> rows, string subject,
        Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        try
        {
            await send(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            var error = Describe(ex);
            var next = _outbox.MarkFailed(ids, error, _time.GetUtcNow(), _options.Backoff);
            bool log;
            lock (_lock)
            {
                var state = State(notifier);
                log = !state.Failing || state.Error != error;
                state.Failing = true;
                state.Error = error;
                state.NextAttempt = next;
                state.FailedAttempts++;
                _failedAttempts++;
                _lastError = $"{notifier}: {error}";
                _lastErrorAt = _time.GetUtcNow();
            }

            if (log)
            {
                NotificationsLog.NotifierFailing(_logger, notifier, error, next);
            }

            return false;
        }

        _outbox.MarkSent(ids, _time.GetUtcNow());
        int recoveredAfter;
        lock (_lock)
        {
            var state = State(notifier);
            recoveredAfter = state.Failing ? state.FailedAttempts : 0;
            state.Failing = false;
            state.Error = null;
            state.FailedAttempts = 0;
            _sent += rows.Count;
        }

        if (recoveredAfter > 0)
        {
            NotificationsLog.NotifierRecovered(_logger, notifier, recoveredAfter);
        }

        NotificationsLog.Sent(_logger, kind, notifier, DescribeIds(ids), subject);
        return true;
    }

    private Task SendRowAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        if (row.Notifier.Equals(EmailOptions.Section, StringComparison.OrdinalIgnoreCase))
        {
            EnsureEmailEnabled();
            var message = new EmailMessage(MessageText.MessageId(row.Id, _messageIdHost), row.Recipients ?? "", row.Subject, row.Body, _outbox.Attachments(row.Id));
            return _email.SendAsync(message, cancellationToken);
        }

        var payload = JsonNode.Parse(row.Payload ?? "{}")!.AsObject();
        payload["message_id"] = MessageText.MessageId(row.Id, _messageIdHost);
        return _webhooks.SendAsync(Hook(row.Notifier), payload.ToJsonString(), cancellationToken);
    }

    private WebhookOptions Hook(string name) =>
        _options.Webhooks.FirstOrDefault(h => h.Enabled && h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"no enabled [webhook:{name}] in the configuration");

    private Task SendGroupAsync(IReadOnlyList<OutboxRow> members, string subject, long following, CancellationToken cancellationToken)
    {
        var notifier = members[0].Notifier;
        if (notifier.Equals(EmailOptions.Section, StringComparison.OrdinalIgnoreCase))
        {
            EnsureEmailEnabled();
            var message = new EmailMessage(MessageText.GroupMessageId(members.Select(m => m.Id).ToList(), _messageIdHost), members[0].Recipients ?? "",
                subject, MessageText.GroupBody(members, following), []);
            return _email.SendAsync(message, cancellationToken);
        }

        return _webhooks.SendAsync(Hook(notifier), MessageText.GroupPayload(members, following, _messageIdHost).ToJsonString(), cancellationToken);
    }

    private Task SendDigestAsync(IReadOnlyList<OutboxRow> members, string subject, CancellationToken cancellationToken)
    {
        EnsureEmailEnabled();
        var message = new EmailMessage(MessageText.DigestMessageId(members.Select(m => m.Id).ToList(), _messageIdHost), members[0].Recipients ?? "",
            subject, MessageText.DigestBody(members), []);
        return _email.SendAsync(message, cancellationToken);
    }

    private void EnsureEmailEnabled()
    {
        if (!_options.Email.Enabled)
        {
            throw new InvalidOperationException("[email] enabled = no");
        }
    }

    private NotifierState State(string notifier)
    {
        if (!_notifiers.TryGetValue(notifier, out var state))
        {
            state = new NotifierState();
            _notifiers[notifier] = state;
        }

        return state;
    }

    /// <summary>The row ids for the log: all of them up to 10, else the first three and how many more (a group holds up to group_max).</summary>
    private static string DescribeIds(List<long> ids) =>
        ids.Count <= 10 ? string.Join(',', ids) : $"{string.Join(',', ids.Take(3))} and {ids.Count - 3} more";

    /// <summary>The exception's message and its inner ones' (SmtpException hides the socket error inside).</summary>
    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message, StringComparer.Ordinal))
            {
                messages.Add(e.Message);
            }
        }

        return MessageText.Clean(string.Join(": ", messages), 1000);
    }

    private sealed class NotifierState
    {
        public bool Failing { get; set; }

        public string? Error { get; set; }

        public DateTimeOffset NextAttempt { get; set; }

        public int FailedAttempts { get; set; }
    }
}
