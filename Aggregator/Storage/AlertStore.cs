using System.Globalization;
using Microsoft.Data.Sqlite;
using Psistats.Aggregator.Rules;

namespace Psistats.Aggregator.Storage;

/// <summary>
/// The aggregator's history and live alert state in <see cref="StateDatabase"/>: tables <c>events</c> (every host UP/DOWN, every
/// alert transition, every remediation step), <c>alerts</c> (pending and firing alerts: what the engine resumes from after a
/// restart), <c>downtimes</c> (one row per DOWN, closed by the UP that ends it) and <c>hosts</c> (first/last seen, down since).
/// Writers take the caller's transaction so that events, alerts and outbox rows commit together.
/// </summary>
public sealed class AlertStore
{
    private readonly StateDatabase _db;

    /// <summary>Creates the tables when missing.</summary>
    public AlertStore(StateDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        db.EnsureSchema("alerts", 2,
            """
            CREATE TABLE IF NOT EXISTS events (
                id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, host TEXT NOT NULL, rule TEXT, instance TEXT,
                severity TEXT, kind TEXT NOT NULL, value TEXT, threshold TEXT, message TEXT NOT NULL, details TEXT)
            """,
            "CREATE INDEX IF NOT EXISTS events_host_time ON events(host, time)",
            "CREATE INDEX IF NOT EXISTS events_rule_time ON events(rule, time)",
            "CREATE INDEX IF NOT EXISTS events_time ON events(time)",
            """
            CREATE TABLE IF NOT EXISTS alerts (
                rule TEXT NOT NULL, host TEXT NOT NULL, instance TEXT NOT NULL, severity TEXT NOT NULL, state TEXT NOT NULL,
                pending_since INTEGER NOT NULL, firing_since INTEGER, value TEXT, threshold TEXT, summary TEXT NOT NULL,
                matches INTEGER NOT NULL, last_match INTEGER NOT NULL, PRIMARY KEY (rule, host, instance))
            """,
            """
            CREATE TABLE IF NOT EXISTS downtimes (
                id INTEGER PRIMARY KEY AUTOINCREMENT, host TEXT NOT NULL, started_at INTEGER NOT NULL, detected_at INTEGER NOT NULL,
                ended_at INTEGER, length_seconds REAL)
            """,
            "CREATE INDEX IF NOT EXISTS downtimes_host ON downtimes(host, started_at)",
            """
            CREATE TABLE IF NOT EXISTS hosts (
                name TEXT PRIMARY KEY, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, down_since INTEGER)
            """,
            """
            CREATE TABLE IF NOT EXISTS applied (
                host TEXT NOT NULL, reporter TEXT NOT NULL, seq INTEGER NOT NULL, timestamp REAL NOT NULL, PRIMARY KEY (host, reporter))
            """);
    }

    /// <summary>Appends an event; returns its id.</summary>
    public static long AddEvent(SqliteConnection connection, SqliteTransaction transaction, StoredEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var command = Command(connection, transaction, """
            INSERT INTO events(time, host, rule, instance, severity, kind, value, threshold, message, details)
            VALUES ($time, $host, $rule, $instance, $severity, $kind, $value, $threshold, $message, $details) RETURNING id
            """);
        command.Parameters.AddWithValue("$time", StateDatabase.ToUnixMs(e.Time));
        command.Parameters.AddWithValue("$host", e.Host);
        command.Parameters.AddWithValue("$rule", (object?)e.Rule ?? DBNull.Value);
        command.Parameters.AddWithValue("$instance", (object?)e.Instance ?? DBNull.Value);
        command.Parameters.AddWithValue("$severity", (object?)e.Severity ?? DBNull.Value);
        command.Parameters.AddWithValue("$kind", e.Kind);
        command.Parameters.AddWithValue("$value", (object?)e.Value ?? DBNull.Value);
        command.Parameters.AddWithValue("$threshold", (object?)e.Threshold ?? DBNull.Value);
        command.Parameters.AddWithValue("$message", e.Message);
        command.Parameters.AddWithValue("$details", (object?)e.Details ?? DBNull.Value);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Records an alert transition: the event, and the alert row upserted (pending/firing) or deleted (resolved/ok).</summary>
    public static long ApplyTransition(SqliteConnection connection, SqliteTransaction transaction, AlertTransition t, string? details = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        var id = AddEvent(connection, transaction, new StoredEvent
        {
            Time = t.At,
            Host = t.Key.Host,
            Rule = t.Key.Rule,
            Instance = t.Key.Instance,
            Severity = SeverityName(t.Severity),
            Kind = t.Kind,
            Value = t.Value,
            Threshold = t.Threshold,
            Message = t.Message,
            Details = details ?? (t.Duration is { } d ? $"{{\"duration_seconds\":{d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}}}" : null),
        });
        if (t.Alert is { } a)
        {
            using var upsert = Command(connection, transaction, """
                INSERT INTO alerts(rule, host, instance, severity, state, pending_since, firing_since, value, threshold, summary, matches, last_match)
                VALUES ($rule, $host, $instance, $severity, $state, $pending, $firing, $value, $threshold, $summary, $matches, $last)
                ON CONFLICT(rule, host, instance) DO UPDATE SET severity = $severity, state = $state, pending_since = $pending,
                    firing_since = $firing, value = $value, threshold = $threshold, summary = $summary, matches = $matches, last_match = $last
                """);
            AddKey(upsert, a.Key);
            upsert.Parameters.AddWithValue("$severity", SeverityName(a.Severity));
            upsert.Parameters.AddWithValue("$state", a.State == AlertState.Firing ? "firing" : "pending");
            upsert.Parameters.AddWithValue("$pending", StateDatabase.ToUnixMs(a.PendingSince));
            upsert.Parameters.AddWithValue("$firing", a.FiringSince is { } f ? StateDatabase.ToUnixMs(f) : DBNull.Value);
            upsert.Parameters.AddWithValue("$value", (object?)a.Value ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$threshold", (object?)a.Threshold ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$summary", a.Summary);
            upsert.Parameters.AddWithValue("$matches", a.Matches);
            upsert.Parameters.AddWithValue("$last", StateDatabase.ToUnixMs(a.LastMatch));
            upsert.ExecuteNonQuery();
        }
        else
        {
            using var delete = Command(connection, transaction, "DELETE FROM alerts WHERE rule = $rule AND host = $host AND instance = $instance");
            AddKey(delete, t.Key);
            delete.ExecuteNonQuery();
        }

        return id;
    }

    /// <summary>Opens a downtime for a host declared DOWN: it started at the last frame before the silence.</summary>
    public static void OpenDowntime(SqliteConnection connection, SqliteTransaction transaction, string host, DateTimeOffset lastSeen, DateTimeOffset detectedAt)
    {
        using var command = Command(connection, transaction,
            "INSERT INTO downtimes(host, started_at, detected_at) VALUES ($host, $started, $detected)");
        command.Parameters.AddWithValue("$host", host);
        command.Parameters.AddWithValue("$started", StateDatabase.ToUnixMs(lastSeen));
        command.Parameters.AddWithValue("$detected", StateDatabase.ToUnixMs(detectedAt));
        command.ExecuteNonQuery();
    }

    /// <summary>Closes the host's open downtime at its first frame after the silence; the length runs from its last frame before.</summary>
    public static void CloseDowntime(SqliteConnection connection, SqliteTransaction transaction, string host, DateTimeOffset endedAt)
    {
        using var command = Command(connection, transaction, """
            UPDATE downtimes SET ended_at = $ended, length_seconds = ($ended - started_at) / 1000.0
            WHERE host = $host AND ended_at IS NULL
            """);
        command.Parameters.AddWithValue("$host", host);
        command.Parameters.AddWithValue("$ended", StateDatabase.ToUnixMs(endedAt));
        command.ExecuteNonQuery();
    }

    /// <summary>Upserts hosts' first/last seen and down-since (written in batches, not per frame).</summary>
    public void SaveHosts(IEnumerable<StoredHost> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        _db.Write((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                INSERT INTO hosts(name, first_seen, last_seen, down_since) VALUES ($name, $first, $last, $down)
                ON CONFLICT(name) DO UPDATE SET first_seen = min(first_seen, $first), last_seen = max(last_seen, $last), down_since = $down
                """);
            var name = command.Parameters.Add("$name", SqliteType.Text);
            var first = command.Parameters.Add("$first", SqliteType.Integer);
            var last = command.Parameters.Add("$last", SqliteType.Integer);
            var down = command.Parameters.Add("$down", SqliteType.Integer);
            foreach (var host in hosts)
            {
                name.Value = host.Name;
                first.Value = StateDatabase.ToUnixMs(host.FirstSeen);
                last.Value = StateDatabase.ToUnixMs(host.LastSeen);
                down.Value = host.DownSince is { } d ? StateDatabase.ToUnixMs(d) : DBNull.Value;
                command.ExecuteNonQuery();
            }

            return 0;
        });
    }

    /// <summary>Every host the database knows.</summary>
    public IReadOnlyList<StoredHost> LoadHosts() => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, first_seen, last_seen, down_since FROM hosts ORDER BY name";
        using var reader = command.ExecuteReader();
        var hosts = new List<StoredHost>();
        while (reader.Read())
        {
            hosts.Add(new StoredHost(reader.GetString(0), StateDatabase.FromUnixMs(reader.GetInt64(1)), StateDatabase.FromUnixMs(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : StateDatabase.FromUnixMs(reader.GetInt64(3))));
        }

        return (IReadOnlyList<StoredHost>)hosts;
    });

    /// <summary>
    /// Records, in the transaction that commits a frame's effects, that frame's position (<c>seq</c>, <c>timestamp</c>) as the last
    /// applied one of its host and reporter: after a crash the broker redelivers unacknowledged frames, and those at or below this
    /// position are skipped (<see cref="State.FramePosition"/>), so no effect is committed twice.
    /// </summary>
    public static void SaveApplied(SqliteConnection connection, SqliteTransaction transaction, string host, string reporter, State.FramePosition position)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO applied(host, reporter, seq, timestamp) VALUES ($host, $reporter, $seq, $ts)
            ON CONFLICT(host, reporter) DO UPDATE SET seq = $seq, timestamp = $ts
            """);
        command.Parameters.AddWithValue("$host", host);
        command.Parameters.AddWithValue("$reporter", reporter);
        command.Parameters.AddWithValue("$seq", position.Seq);
        command.Parameters.AddWithValue("$ts", position.Timestamp);
        command.ExecuteNonQuery();
    }

    /// <summary>Deletes a forgotten host from the host list and its frame positions (its events and downtimes stay).</summary>
    public static void DeleteHost(SqliteConnection connection, SqliteTransaction transaction, string host)
    {
        using var command = Command(connection, transaction, "DELETE FROM hosts WHERE name = $host; DELETE FROM applied WHERE host = $host");
        command.Parameters.AddWithValue("$host", host);
        command.ExecuteNonQuery();
    }

    /// <summary>Every (host, reporter)'s last committed frame position (<see cref="SaveApplied"/>).</summary>
    public IReadOnlyList<(string Host, string Reporter, State.FramePosition Position)> LoadApplied() => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT host, reporter, seq, timestamp FROM applied";
        using var reader = command.ExecuteReader();
        var applied = new List<(string, string, State.FramePosition)>();
        while (reader.Read())
        {
            applied.Add((reader.GetString(0), reader.GetString(1), new State.FramePosition(reader.GetInt64(2), reader.GetDouble(3))));
        }

        return (IReadOnlyList<(string, string, State.FramePosition)>)applied;
    });

    /// <summary>Every pending and firing alert, for the engine to resume from.</summary>
    public IReadOnlyList<ActiveAlert> LoadAlerts() => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT rule, host, instance, severity, state, pending_since, firing_since, value, threshold, summary, matches, last_match
            FROM alerts ORDER BY host, rule, instance
            """;
        using var reader = command.ExecuteReader();
        var alerts = new List<ActiveAlert>();
        while (reader.Read())
        {
            alerts.Add(new ActiveAlert
            {
                Key = new AlertKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)),
                Severity = ParseSeverity(reader.GetString(3)),
                State = reader.GetString(4) == "firing" ? AlertState.Firing : AlertState.Pending,
                PendingSince = StateDatabase.FromUnixMs(reader.GetInt64(5)),
                FiringSince = reader.IsDBNull(6) ? null : StateDatabase.FromUnixMs(reader.GetInt64(6)),
                Value = reader.IsDBNull(7) ? null : reader.GetString(7),
                Threshold = reader.IsDBNull(8) ? null : reader.GetString(8),
                Summary = reader.GetString(9),
                Matches = reader.GetInt32(10),
                LastMatch = StateDatabase.FromUnixMs(reader.GetInt64(11)),
            });
        }

        return (IReadOnlyList<ActiveAlert>)alerts;
    });

    /// <summary>
    /// Events matching every filter of <paramref name="query"/> (null = any), oldest first: at most <c>Limit</c> of the newest that
    /// match. <c>AfterId</c> pages forward; <c>Since</c>/<c>Until</c> bound the time (inclusive/exclusive).
    /// </summary>
    public IReadOnlyList<StoredEvent> Events(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _db.Read(connection =>
        {
            using var command = connection.CreateCommand();
            var where = new List<string> { "id > $after" };
            command.Parameters.AddWithValue("$after", query.AfterId);
            void Filter(string condition, string parameter, object? value)
            {
                if (value is not null)
                {
                    where.Add(condition);
                    command.Parameters.AddWithValue(parameter, value);
                }
            }

            Filter("host = $host COLLATE NOCASE", "$host", query.Host);
            Filter("rule = $rule", "$rule", query.Rule);
            Filter("instance = $instance", "$instance", query.Instance);
            Filter("severity = $severity", "$severity", query.Severity?.ToLowerInvariant());
            Filter("kind = $kind COLLATE NOCASE", "$kind", query.Kind);
            Filter("time >= $since", "$since", query.Since is { } s ? StateDatabase.ToUnixMs(s) : null);
            Filter("time < $until", "$until", query.Until is { } u ? StateDatabase.ToUnixMs(u) : null);
            command.CommandText = $"""
                SELECT * FROM (
                    SELECT id, time, host, rule, instance, severity, kind, value, threshold, message, details FROM events
                    WHERE {string.Join(" AND ", where)} ORDER BY id DESC LIMIT $limit) ORDER BY id
                """;
            command.Parameters.AddWithValue("$limit", query.Limit);
            using var reader = command.ExecuteReader();
            var events = new List<StoredEvent>();
            while (reader.Read())
            {
                events.Add(new StoredEvent
                {
                    Id = reader.GetInt64(0),
                    Time = StateDatabase.FromUnixMs(reader.GetInt64(1)),
                    Host = reader.GetString(2),
                    Rule = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Instance = reader.IsDBNull(4) ? null : reader.GetString(4),
                    Severity = reader.IsDBNull(5) ? null : reader.GetString(5),
                    Kind = reader.GetString(6),
                    Value = reader.IsDBNull(7) ? null : reader.GetString(7),
                    Threshold = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Message = reader.GetString(9),
                    Details = reader.IsDBNull(10) ? null : reader.GetString(10),
                });
            }

            return (IReadOnlyList<StoredEvent>)events;
        });
    }

    /// <summary>Downtimes, newest first: current ones (ended_at null) and past ones, optionally for one host.</summary>
    public IReadOnlyList<Downtime> Downtimes(string? host, bool currentOnly, int limit, DateTimeOffset now) => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, host, started_at, detected_at, ended_at, length_seconds FROM downtimes
            WHERE ($host IS NULL OR host = $host COLLATE NOCASE) {(currentOnly ? "AND ended_at IS NULL" : "")}
            ORDER BY started_at DESC, id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$host", (object?)host ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var list = new List<Downtime>();
        while (reader.Read())
        {
            var started = StateDatabase.FromUnixMs(reader.GetInt64(2));
            DateTimeOffset? ended = reader.IsDBNull(4) ? null : StateDatabase.FromUnixMs(reader.GetInt64(4));
            list.Add(new Downtime
            {
                Id = reader.GetInt64(0),
                Host = reader.GetString(1),
                StartedAt = started,
                DetectedAt = StateDatabase.FromUnixMs(reader.GetInt64(3)),
                EndedAt = ended,
                Current = ended is null,
                LengthSeconds = Math.Round(reader.IsDBNull(5) ? Math.Max(0, (now - started).TotalSeconds) : reader.GetDouble(5), 3),
            });
        }

        return (IReadOnlyList<Downtime>)list;
    });

    /// <summary>Deletes the oldest events beyond <paramref name="keep"/>; returns how many went.</summary>
    public int PruneEvents(long keep) => _db.Write((connection, transaction) =>
    {
        using var command = Command(connection, transaction,
            "DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET $keep)");
        command.Parameters.AddWithValue("$keep", keep);
        return command.ExecuteNonQuery();
    });

    /// <summary>The lowercase name a severity is stored and served under.</summary>
    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.Info => "info",
        Severity.Warning => "warning",
        Severity.Error => "error",
        _ => "critical",
    };

    /// <summary>Reads a stored severity name.</summary>
    public static Severity ParseSeverity(string name) => name switch
    {
        "info" => Severity.Info,
        "warning" => Severity.Warning,
        "error" => Severity.Error,
        _ => Severity.Critical,
    };

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void AddKey(SqliteCommand command, AlertKey key)
    {
        command.Parameters.AddWithValue("$rule", key.Rule);
        command.Parameters.AddWithValue("$host", key.Host);
        command.Parameters.AddWithValue("$instance", key.Instance);
    }
}
