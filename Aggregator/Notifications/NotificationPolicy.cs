using Microsoft.Data.Sqlite;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;

namespace Psistats.Aggregator.Notifications;

/// <summary>What the policy did with a transition.</summary>
/// <param name="OutboxIds">The outbox rows queued (one per notifier); empty when nothing is sent.</param>
/// <param name="NotSentReason">
/// Why nothing was sent, for the event and the log (<c>silenced by silence 3 [maint] (disk swap)</c>, <c>held while miner1 is in
/// remediation cooldown</c>, <c>its firing was never sent (silenced or held)</c>, <c>send_resolved = no</c>, <c>no enabled
/// notifier takes it</c>); null when sent, and for pending and ok transitions (never notified, by design).
/// </param>
public sealed record NotificationOutcome(IReadOnlyList<long> OutboxIds, string? NotSentReason)
{
    /// <summary>Nothing queued, nothing to say.</summary>
    public static readonly NotificationOutcome None = new([], null);
}

/// <summary>
/// Which notifications an alert's life produces, Alertmanager-style:
/// <list type="bullet">
/// <item><c>firing</c>: one row per notifier of the rule (null = every enabled one, empty = none). Email: error and critical at
/// once, info and warning as digest members (one email per <c>digest_interval</c>); webhooks: always at once, when the severity
/// reaches their <c>min_severity</c>. "At once" means after <c>group_wait</c> (0: at once), so that a burst of the same rule
/// goes out as one message (<see cref="NotificationDispatcher"/>).</item>
/// <item><c>resolved</c>: a resolve notice with the alert's duration, routed the same way, when <c>send_resolved</c> and the
/// firing was notified, unless a silence matches now (a hold does not stop it: who heard of the firing hears of its end).
/// An until_resolved silence ends once no alert it matches is still firing.</item>
/// <item><c>pending</c>, <c>ok</c>: nothing.</item>
/// <item>Silenced alerts (a matching active silence) and held ones (the host in remediation cooldown, issue 6) are recorded but
/// not sent; <see cref="EnqueueDue"/> sends them once the silence or hold is over if they are still firing, and sends a
/// <c>repeat</c> for alerts whose last notification is older than <c>repeat_interval</c>.</item>
/// </list>
/// Every write happens in the caller's transaction (events, alerts and outbox rows commit together) or in one of its own.
/// </summary>
public sealed class NotificationPolicy
{
    private readonly NotificationOutbox _outbox;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<string, bool> _held;

    /// <summary>Creates the policy.</summary>
    /// <param name="outbox">Where rows go (and the database of the notification state and silences).</param>
    /// <param name="options">Routing, repeat interval, send_resolved.</param>
    /// <param name="time">The aggregator's clock (row times, silence expiry, repeat interval).</param>
    /// <param name="held">Whether alerts of a host are held now (remediation cooldown); null: never.</param>
    public NotificationPolicy(NotificationOutbox outbox, NotificationOptions options, TimeProvider time, Func<string, bool>? held = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _outbox = outbox;
        _options = options;
        _time = time;
        _held = held ?? (_ => false);
    }

    /// <summary>
    /// Queues the notifications of <paramref name="transition"/> inside the caller's transaction.
    /// </summary>
    /// <param name="connection">The lead's connection (inside <see cref="StateDatabase.Write{T}"/>).</param>
    /// <param name="transaction">The lead's transaction.</param>
    /// <param name="transition">The alert's move.</param>
    /// <param name="notifiers">The rule's <c>notifiers</c>: null = every enabled notifier, empty = none.</param>
    /// <param name="now">The aggregator's clock now (rows' times, silence expiry).</param>
    public NotificationOutcome Plan(SqliteConnection connection, SqliteTransaction transaction, AlertTransition transition,
        IReadOnlyList<string>? notifiers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(transition);
        if (Notice.From(transition) is not { } notice)
        {
            return NotificationOutcome.None;
        }

        if (notice.Kind == NotificationKinds.Firing)
        {
            SetState(connection, transaction, notice.Key, null);
            if (Blocked(connection, transaction, notice.Key, now) is { } reason)
            {
                return new NotificationOutcome([], reason);
            }

            var ids = Enqueue(connection, transaction, notice, notifiers, now);
            SetState(connection, transaction, notice.Key, now);
            return new NotificationOutcome(ids, ids.Count == 0 ? NoNotifier : null);
        }

        var notified = DeleteState(connection, transaction, notice.Key);
        var silence = SilenceStore.Match(connection, transaction, notice.Key, now);
        SilenceStore.EndResolved(connection, transaction, notice.Key, FiringKeys(connection, transaction), now);
        if (notified is null)
        {
            return new NotificationOutcome([], "its firing was never sent (silenced or held)");
        }

        if (silence is not null)
        {
            return new NotificationOutcome([], Silenced(silence));
        }

        if (!_options.SendResolved)
        {
            return new NotificationOutcome([], "send_resolved = no");
        }

        var resolvedIds = Enqueue(connection, transaction, notice, notifiers, now);
        return new NotificationOutcome(resolvedIds, resolvedIds.Count == 0 ? NoNotifier : null);
    }

    /// <summary>
    /// Queues a notice that is not an alert transition (a remediation step or report, issue 6) inside the caller's transaction;
    /// silences and holds do not apply (the caller decides). Returns the row ids.
    /// </summary>
    public IReadOnlyList<long> Notify(SqliteConnection connection, SqliteTransaction transaction, Notice notice, IReadOnlyList<string>? notifiers)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return Enqueue(connection, transaction, notice, notifiers, _time.GetUtcNow());
    }

    /// <summary>As <see cref="Notify(SqliteConnection, SqliteTransaction, Notice, IReadOnlyList{string})"/>, in a transaction of its own.</summary>
    public IReadOnlyList<long> Notify(Notice notice, IReadOnlyList<string>? notifiers) =>
        _outbox.Database.Write((connection, transaction) => Notify(connection, transaction, notice, notifiers));

    /// <summary>
    /// For each alert of <paramref name="active"/> that is firing: when it was never notified (silenced or held at firing) and no
    /// longer is silenced or held, queues its <c>firing</c> notification; when its last notification is older than
    /// <c>repeat_interval</c> (and that is not 0), queues a <c>repeat</c>. Same routing as firing. Alerts whose firing transition is
    /// not committed yet (no notification state) are left for the next call. Returns the number of alerts notified.
    /// </summary>
    /// <param name="active">The engine's pending and firing alerts.</param>
    /// <param name="notifiersOf">A rule's <c>notifiers</c> (null = all, empty = none).</param>
    /// <param name="now">The aggregator's clock now.</param>
    public int EnqueueDue(IReadOnlyList<ActiveAlert> active, Func<string, IReadOnlyList<string>?> notifiersOf, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(active);
        ArgumentNullException.ThrowIfNull(notifiersOf);
        return _outbox.Database.Write((connection, transaction) =>
        {
            var states = States(connection, transaction);
            var count = 0;
            foreach (var alert in active.Where(a => a.State == AlertState.Firing))
            {
                if (!states.TryGetValue(alert.Key, out var lastNotified))
                {
                    continue;
                }

                var kind = lastNotified switch
                {
                    null => NotificationKinds.Firing,
                    { } last when _options.RepeatInterval > TimeSpan.Zero && now - last >= _options.RepeatInterval => NotificationKinds.Repeat,
                    _ => null,
                };
                if (kind is null || Blocked(connection, transaction, alert.Key, now) is not null)
                {
                    continue;
                }

                Enqueue(connection, transaction, Notice.From(alert, kind, now), notifiersOf(alert.Key.Rule), now);
                SetState(connection, transaction, alert.Key, now);
                count++;
            }

            return count;
        });
    }

    /// <summary>The outbox rows <paramref name="notice"/> becomes, one per notifier that takes it (see the class summary).</summary>
    public IReadOnlyList<OutboxMessage> Route(Notice notice, IReadOnlyList<string>? notifiers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notice);
        bool Wanted(string name) => notifiers is null || notifiers.Contains(name, StringComparer.OrdinalIgnoreCase);
        var messages = new List<OutboxMessage>();
        var subject = MessageText.Subject(notice);
        var body = MessageText.Body(notice);
        var line = MessageText.Line(notice);
        var alert = NotificationKinds.IsAlert(notice.Kind);
        // An immediate alert notification waits group_wait so that the others of its burst join it (NotificationDispatcher).
        var immediateAt = alert ? now + _options.GroupWait : now;
        var email = _options.Email;
        if (email.Enabled && Wanted(EmailOptions.Section) && email.RecipientsFor(notice.Severity) is { Count: > 0 } recipients)
        {
            var digest = alert && notice.Severity <= Severity.Warning;
            messages.Add(new OutboxMessage
            {
                Notifier = EmailOptions.Section,
                Kind = notice.Kind,
                Key = notice.Key,
                Severity = notice.Severity,
                Subject = subject,
                Body = body,
                Line = line,
                Recipients = string.Join(", ", recipients),
                Digest = digest,
                Attachments = notice.Attachments,
                CreatedAt = now,
                NextAttemptAt = digest ? now + email.DigestInterval : immediateAt,
            });
        }

        foreach (var hook in _options.Webhooks.Where(h => h.Enabled && Wanted(h.Name) && notice.Severity >= h.MinSeverity))
        {
            messages.Add(new OutboxMessage
            {
                Notifier = hook.Name,
                Kind = notice.Kind,
                Key = notice.Key,
                Severity = notice.Severity,
                Subject = subject,
                Body = body,
                Line = line,
                Payload = MessageText.Payload(notice).ToJsonString(),
                CreatedAt = now,
                NextAttemptAt = immediateAt,
            });
        }

        return messages;
    }

    private const string NoNotifier = "no enabled notifier takes it";

    private List<long> Enqueue(SqliteConnection connection, SqliteTransaction transaction, Notice notice, IReadOnlyList<string>? notifiers, DateTimeOffset now) =>
        Route(notice, notifiers, now).Select(m => NotificationOutbox.Enqueue(connection, transaction, m)).ToList();

    private string? Blocked(SqliteConnection connection, SqliteTransaction transaction, AlertKey key, DateTimeOffset now)
    {
        if (SilenceStore.Match(connection, transaction, key, now) is { } silence)
        {
            return Silenced(silence);
        }

        return _held(key.Host) ? $"held while {key.Host} is in remediation cooldown" : null;
    }

    private static string Silenced(Silence silence) =>
        $"silenced by silence {silence.Id}{(silence.Spec.Name is { } name ? $" [{name}]" : "")}{(silence.Spec.Comment is { } comment ? $" ({comment})" : "")}";

    private static void SetState(SqliteConnection connection, SqliteTransaction transaction, AlertKey key, DateTimeOffset? lastNotified)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO notification_state(rule, host, instance, last_notified_at) VALUES ($rule, $host, $instance, $last)
            ON CONFLICT(rule, host, instance) DO UPDATE SET last_notified_at = $last
            """);
        AddKey(command, key);
        command.Parameters.AddWithValue("$last", lastNotified is { } at ? StateDatabase.ToUnixMs(at) : DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>Deletes the alert's state; returns whether it existed and was notified (its last notification time), else null.</summary>
    private static DateTimeOffset? DeleteState(SqliteConnection connection, SqliteTransaction transaction, AlertKey key)
    {
        using var command = Command(connection, transaction,
            "DELETE FROM notification_state WHERE rule = $rule AND host = $host AND instance = $instance RETURNING last_notified_at");
        AddKey(command, key);
        return command.ExecuteScalar() is long ms ? StateDatabase.FromUnixMs(ms) : null;
    }

    private static List<AlertKey> FiringKeys(SqliteConnection connection, SqliteTransaction transaction) =>
        States(connection, transaction).Keys.ToList();

    private static Dictionary<AlertKey, DateTimeOffset?> States(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = Command(connection, transaction, "SELECT rule, host, instance, last_notified_at FROM notification_state");
        using var reader = command.ExecuteReader();
        var states = new Dictionary<AlertKey, DateTimeOffset?>();
        while (reader.Read())
        {
            states[new AlertKey(reader.GetString(0), reader.GetString(1), reader.GetString(2))] =
                reader.IsDBNull(3) ? null : StateDatabase.FromUnixMs(reader.GetInt64(3));
        }

        return states;
    }

    private static void AddKey(SqliteCommand command, AlertKey key)
    {
        command.Parameters.AddWithValue("$rule", key.Rule);
        command.Parameters.AddWithValue("$host", key.Host);
        command.Parameters.AddWithValue("$instance", key.Instance);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
