using Microsoft.Data.Sqlite;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;

namespace Psistats.Aggregator.Notifications;

/// <summary>
/// The persistent notification outbox (table <c>outbox</c> of <see cref="StateDatabase"/>): a row is queued in the same
/// transaction as the event that caused it, so that after a crash (SIGKILL too) nothing is lost and nothing queued twice;
/// the <see cref="NotificationDispatcher"/> sends due rows and marks them sent. A row is never deleted unsent; sent rows are
/// pruned after <see cref="SentRetention"/>.
/// </summary>
public sealed class NotificationOutbox
{
    /// <summary>How long sent rows are kept (for inspection) before they are pruned.</summary>
    public static readonly TimeSpan SentRetention = TimeSpan.FromDays(7);

    private const string Columns =
        "id, created_at, notifier, kind, rule, host, instance, severity, recipients, subject, body, line, payload, digest, attempts, next_attempt_at, sent_at, last_error";

    /// <summary>The kinds that are about an alert (<see cref="NotificationKinds.IsAlert"/>), as an SQL list.</summary>
    private const string AlertKinds = $"('{NotificationKinds.Firing}', '{NotificationKinds.Repeat}', '{NotificationKinds.Resolved}')";

    private readonly StateDatabase _db;

    /// <summary>Creates the module's tables when missing.</summary>
    public NotificationOutbox(StateDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        NotificationSchema.Ensure(db);
    }

    /// <summary>The database it lives in.</summary>
    public StateDatabase Database => _db;

    /// <summary>Queues <paramref name="message"/> inside the caller's transaction (it commits with the caller's other writes); returns the row id.</summary>
    public static long Enqueue(SqliteConnection connection, SqliteTransaction transaction, OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var insert = Command(connection, transaction, """
            INSERT INTO outbox(created_at, notifier, kind, rule, host, instance, severity, recipients, subject, body, line, payload,
                               digest, attempts, next_attempt_at)
            VALUES ($created, $notifier, $kind, $rule, $host, $instance, $severity, $recipients, $subject, $body, $line, $payload,
                    $digest, 0, $next)
            RETURNING id
            """);
        insert.Parameters.AddWithValue("$created", StateDatabase.ToUnixMs(message.CreatedAt));
        insert.Parameters.AddWithValue("$notifier", message.Notifier);
        insert.Parameters.AddWithValue("$kind", message.Kind);
        insert.Parameters.AddWithValue("$rule", message.Key.Rule);
        insert.Parameters.AddWithValue("$host", message.Key.Host);
        insert.Parameters.AddWithValue("$instance", message.Key.Instance);
        insert.Parameters.AddWithValue("$severity", AlertStore.SeverityName(message.Severity));
        insert.Parameters.AddWithValue("$recipients", (object?)message.Recipients ?? DBNull.Value);
        insert.Parameters.AddWithValue("$subject", message.Subject);
        insert.Parameters.AddWithValue("$body", message.Body);
        insert.Parameters.AddWithValue("$line", message.Line);
        insert.Parameters.AddWithValue("$payload", (object?)message.Payload ?? DBNull.Value);
        insert.Parameters.AddWithValue("$digest", message.Digest ? 1 : 0);
        insert.Parameters.AddWithValue("$next", StateDatabase.ToUnixMs(message.NextAttemptAt));
        var id = (long)insert.ExecuteScalar()!;

        for (var i = 0; i < message.Attachments.Count; i++)
        {
            var attachment = message.Attachments[i];
            using var add = Command(connection, transaction,
                "INSERT INTO outbox_attachments(outbox_id, position, name, content_type, content) VALUES ($id, $pos, $name, $type, $content)");
            add.Parameters.AddWithValue("$id", id);
            add.Parameters.AddWithValue("$pos", i);
            add.Parameters.AddWithValue("$name", attachment.Name);
            add.Parameters.AddWithValue("$type", attachment.ContentType);
            add.Parameters.Add("$content", SqliteType.Blob).Value = attachment.Content.ToArray();
            add.ExecuteNonQuery();
        }

        return id;
    }

    /// <summary>Queues <paramref name="messages"/> in a transaction of its own; returns the row ids.</summary>
    public IReadOnlyList<long> Enqueue(IEnumerable<OutboxMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _db.Write((connection, transaction) => messages.Select(m => Enqueue(connection, transaction, m)).ToList());
    }

    /// <summary>
    /// Unsent rows that are not digest members and are due at <paramref name="now"/>, oldest first, at most
    /// <paramref name="limit"/>; with <paramref name="grouping"/>, only those that are not alert notifications (remediation
    /// notices): the alert ones go out by group (<see cref="DueGroups"/>).
    /// </summary>
    public IReadOnlyList<OutboxRow> DueImmediate(DateTimeOffset now, int limit, bool grouping) => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM outbox WHERE sent_at IS NULL AND digest = 0 AND next_attempt_at <= $now{(grouping ? $" AND kind NOT IN {AlertKinds}" : "")}
            ORDER BY id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$now", StateDatabase.ToUnixMs(now));
        command.Parameters.AddWithValue("$limit", limit);
        return ReadRows(command);
    });

    /// <summary>
    /// The groups of immediate alert notifications due at <paramref name="now"/>: every <see cref="OutboxGroup"/> with an unsent
    /// member whose <see cref="OutboxRow.NextAttemptAt"/> has come, the group of the oldest such member first. The first member
    /// opens the group_wait window; everything of the same group queued until the window ends goes out with it (Alertmanager's
    /// group_wait), read by <see cref="GroupMembers"/>.
    /// </summary>
    public IReadOnlyList<OutboxGroup> DueGroups(DateTimeOffset now) => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT notifier, recipients, rule, kind, severity FROM outbox
            WHERE sent_at IS NULL AND digest = 0 AND next_attempt_at <= $now AND kind IN {AlertKinds}
            GROUP BY notifier, recipients, rule, kind, severity
            ORDER BY MIN(id)
            """;
        command.Parameters.AddWithValue("$now", StateDatabase.ToUnixMs(now));
        using var reader = command.ExecuteReader();
        var groups = new List<OutboxGroup>();
        while (reader.Read())
        {
            groups.Add(new OutboxGroup(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                reader.GetString(3), AlertStore.ParseSeverity(reader.GetString(4))));
        }

        return groups;
    });

    /// <summary>
    /// The unsent members of <paramref name="group"/> (due or not: they joined its window), oldest first, at most
    /// <paramref name="limit"/>, and how many unsent members it has in all.
    /// </summary>
    public (IReadOnlyList<OutboxRow> Members, long Unsent) GroupMembers(OutboxGroup group, int limit)
    {
        ArgumentNullException.ThrowIfNull(group);
        return _db.Read(connection =>
        {
            const string Where = """
                sent_at IS NULL AND digest = 0 AND notifier = $notifier AND recipients IS $recipients AND rule = $rule AND kind = $kind
                AND severity = $severity
                """;
            using var members = connection.CreateCommand();
            members.CommandText = $"SELECT {Columns} FROM outbox WHERE {Where} ORDER BY id LIMIT $limit";
            AddGroup(members, group);
            members.Parameters.AddWithValue("$limit", limit);
            var rows = ReadRows(members);
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM outbox WHERE {Where}";
            AddGroup(count, group);
            return ((IReadOnlyList<OutboxRow>)rows, (long)count.ExecuteScalar()!);
        });
    }

    /// <summary>
    /// The digests due at <paramref name="now"/>: every unsent digest member of a (notifier, recipients) group whose earliest
    /// <see cref="OutboxRow.NextAttemptAt"/> has come, one list per group. The first member opens the window; everything
    /// queued for the same recipients until the window ends goes out in the same email (Diskmonitor's send_interval).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<OutboxRow>> DueDigests(DateTimeOffset now) => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM outbox o
            WHERE sent_at IS NULL AND digest = 1 AND EXISTS (
                SELECT 1 FROM outbox d
                WHERE d.sent_at IS NULL AND d.digest = 1 AND d.notifier = o.notifier AND d.recipients IS o.recipients AND d.next_attempt_at <= $now)
            ORDER BY id
            """;
        command.Parameters.AddWithValue("$now", StateDatabase.ToUnixMs(now));
        return (IReadOnlyList<IReadOnlyList<OutboxRow>>)ReadRows(command)
            .GroupBy(r => (r.Notifier, r.Recipients))
            .Select(g => (IReadOnlyList<OutboxRow>)g.ToList())
            .ToList();
    });

    /// <summary>The files of row <paramref name="id"/>, in the order they were given.</summary>
    public IReadOnlyList<NotificationAttachment> Attachments(long id) => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, content_type, content FROM outbox_attachments WHERE outbox_id = $id ORDER BY position";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        var attachments = new List<NotificationAttachment>();
        while (reader.Read())
        {
            attachments.Add(new NotificationAttachment(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        }

        return attachments;
    });

    /// <summary>Marks rows sent at <paramref name="sentAt"/> (called right after the send returned).</summary>
    public void MarkSent(IReadOnlyCollection<long> ids, DateTimeOffset sentAt)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _db.Write((connection, transaction) =>
        {
            foreach (var id in ids)
            {
                using var command = Command(connection, transaction, "UPDATE outbox SET sent_at = $at WHERE id = $id AND sent_at IS NULL");
                command.Parameters.AddWithValue("$at", StateDatabase.ToUnixMs(sentAt));
                command.Parameters.AddWithValue("$id", id);
                command.ExecuteNonQuery();
            }

            return 0;
        });
    }

    /// <summary>
    /// Records a failed attempt of rows <paramref name="ids"/>: attempts + 1, <paramref name="error"/> kept, next attempt at
    /// <paramref name="failedAt"/> + <paramref name="backoff"/>(attempts). Returns the earliest next attempt.
    /// </summary>
    public DateTimeOffset MarkFailed(IReadOnlyCollection<long> ids, string error, DateTimeOffset failedAt, Func<int, TimeSpan> backoff)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(backoff);
        return _db.Write((connection, transaction) =>
        {
            var earliest = DateTimeOffset.MaxValue;
            foreach (var id in ids)
            {
                using var read = Command(connection, transaction, "SELECT attempts FROM outbox WHERE id = $id");
                read.Parameters.AddWithValue("$id", id);
                var attempts = (int)(long)read.ExecuteScalar()! + 1;
                var next = failedAt + backoff(attempts);
                earliest = next < earliest ? next : earliest;
                using var update = Command(connection, transaction,
                    "UPDATE outbox SET attempts = $attempts, next_attempt_at = $next, last_error = $error WHERE id = $id");
                update.Parameters.AddWithValue("$attempts", attempts);
                update.Parameters.AddWithValue("$next", StateDatabase.ToUnixMs(next));
                update.Parameters.AddWithValue("$error", error);
                update.Parameters.AddWithValue("$id", id);
                update.ExecuteNonQuery();
            }

            return earliest;
        });
    }

    /// <summary>One row, or null.</summary>
    public OutboxRow? Get(long id) => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM outbox WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return ReadRows(command).SingleOrDefault();
    });

    /// <summary>Unsent rows, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<OutboxRow> Pending(int limit) => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        return ReadRows(command);
    });

    /// <summary>Pending and failing rows, and the oldest pending one's age, for <c>/healthz</c>.</summary>
    public OutboxCounts Counts() => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(attempts > 0), 0), MIN(created_at) FROM outbox WHERE sent_at IS NULL";
        using var reader = command.ExecuteReader();
        reader.Read();
        return new OutboxCounts(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : StateDatabase.FromUnixMs(reader.GetInt64(2)));
    });

    /// <summary>Deletes rows sent before <paramref name="before"/> (and their attachments); returns how many.</summary>
    public int PruneSent(DateTimeOffset before) => _db.Write((connection, transaction) =>
    {
        using var command = Command(connection, transaction, "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $before");
        command.Parameters.AddWithValue("$before", StateDatabase.ToUnixMs(before));
        return command.ExecuteNonQuery();
    });

    private static void AddGroup(SqliteCommand command, OutboxGroup group)
    {
        command.Parameters.AddWithValue("$notifier", group.Notifier);
        command.Parameters.AddWithValue("$recipients", (object?)group.Recipients ?? DBNull.Value);
        command.Parameters.AddWithValue("$rule", group.Rule);
        command.Parameters.AddWithValue("$kind", group.Kind);
        command.Parameters.AddWithValue("$severity", AlertStore.SeverityName(group.Severity));
    }

    private static List<OutboxRow> ReadRows(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<OutboxRow>();
        while (reader.Read())
        {
            rows.Add(new OutboxRow
            {
                Id = reader.GetInt64(0),
                CreatedAt = StateDatabase.FromUnixMs(reader.GetInt64(1)),
                Notifier = reader.GetString(2),
                Kind = reader.GetString(3),
                Rule = reader.GetString(4),
                Host = reader.GetString(5),
                Instance = reader.GetString(6),
                Severity = AlertStore.ParseSeverity(reader.GetString(7)),
                Recipients = reader.IsDBNull(8) ? null : reader.GetString(8),
                Subject = reader.GetString(9),
                Body = reader.GetString(10),
                Line = reader.GetString(11),
                Payload = reader.IsDBNull(12) ? null : reader.GetString(12),
                Digest = reader.GetInt64(13) != 0,
                Attempts = (int)reader.GetInt64(14),
                NextAttemptAt = StateDatabase.FromUnixMs(reader.GetInt64(15)),
                SentAt = reader.IsDBNull(16) ? null : StateDatabase.FromUnixMs(reader.GetInt64(16)),
                LastError = reader.IsDBNull(17) ? null : reader.GetString(17),
            });
        }

        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
