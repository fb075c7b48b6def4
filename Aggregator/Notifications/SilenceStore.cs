using Microsoft.Data.Sqlite;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;

namespace Psistats.Aggregator.Notifications;

/// <summary>
/// Silences (table <c>silences</c> of <see cref="StateDatabase"/>): set in psistats.ini (<c>[silence:NAME]</c>, loaded at start-up
/// and upserted by name) or through the API (<c>POST /api/silences</c>, listed, removed). A silence mutes the alerts its globs
/// match until its <c>until</c> time, or until they have resolved. Ended silences stay in the table with their end time and reason.
/// Every read goes to the database (a handful of rows), so a silence ended inside a transaction that rolls back is not lost.
/// </summary>
public sealed class SilenceStore
{
    /// <summary><see cref="Silence.CreatedBy"/> of a silence from psistats.ini.</summary>
    public const string FromFile = "file";

    private const string Columns = "id, name, host, rule, instance, until, until_resolved, comment, created_at, created_by, ended_at, end_reason";

    private readonly StateDatabase _db;

    /// <summary>Creates the module's tables when missing.</summary>
    public SilenceStore(StateDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        NotificationSchema.Ensure(db);
    }

    /// <summary>
    /// Loads the <c>[silence:NAME]</c> sections at start-up, by name: a new name is added; a name whose definition changed is
    /// updated and active again; an unchanged one is left as it is (so an until_resolved silence that ended stays ended across
    /// restarts); file silences whose section is gone end with reason <c>removed</c>.
    /// </summary>
    public void LoadConfigured(IReadOnlyList<SilenceSpec> configured, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(configured);
        _db.Write((connection, transaction) =>
        {
            var existing = Query(connection, transaction, "name IS NOT NULL").ToDictionary(s => s.Spec.Name!, StringComparer.Ordinal);
            foreach (var spec in configured)
            {
                if (existing.TryGetValue(spec.Name!, out var stored))
                {
                    if (stored.Spec != spec)
                    {
                        using var update = Command(connection, transaction, """
                            UPDATE silences SET host = $host, rule = $rule, instance = $instance, until = $until, until_resolved = $ur,
                                comment = $comment, created_at = $now, created_by = $by, ended_at = NULL, end_reason = NULL
                            WHERE id = $id
                            """);
                        Bind(update, spec, now, FromFile);
                        update.Parameters.AddWithValue("$id", stored.Id);
                        update.ExecuteNonQuery();
                    }
                }
                else
                {
                    Insert(connection, transaction, spec, now, FromFile);
                }
            }

            foreach (var gone in existing.Values.Where(s => s.CreatedBy == FromFile && s.EndedAt is null && !configured.Any(c => c.Name == s.Spec.Name)))
            {
                End(connection, transaction, gone.Id, now, "removed");
            }

            return 0;
        });
    }

    /// <summary>Sets a silence (the API's <c>POST /api/silences</c>); returns its id.</summary>
    /// <param name="spec">What it matches and until when; <see cref="SilenceSpec.Name"/> is ignored (file silences only).</param>
    /// <param name="createdBy">Who asked, for the record.</param>
    /// <param name="now">The aggregator's clock.</param>
    /// <exception cref="ArgumentException">The silence has no end, ends in the past, or a glob is empty or holds control characters.</exception>
    public long Add(SilenceSpec spec, string? createdBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Problem(now) is { } problem)
        {
            throw new ArgumentException(problem, nameof(spec));
        }

        return _db.Write((connection, transaction) => Insert(connection, transaction, spec with { Name = null }, now, createdBy));
    }

    /// <summary>Silences active at <paramref name="now"/> (or, with <paramref name="includeEnded"/>, every one, newest first).</summary>
    public IReadOnlyList<Silence> List(DateTimeOffset now, bool includeEnded = false) => _db.Read(connection =>
        includeEnded
            ? (IReadOnlyList<Silence>)Query(connection, null, "1 = 1").OrderByDescending(s => s.Id).ToList()
            : Query(connection, null, "ended_at IS NULL").Where(s => s.IsActive(now)).ToList());

    /// <summary>Ends silence <paramref name="id"/> (reason <c>removed</c>); false when there is no such active silence.</summary>
    public bool Remove(long id, DateTimeOffset now) => _db.Write((connection, transaction) => End(connection, transaction, id, now, "removed"));

    /// <summary>Whether an active silence matches <paramref name="key"/> at <paramref name="now"/>.</summary>
    public bool IsSilenced(AlertKey key, DateTimeOffset now) => Match(key, now) is not null;

    /// <summary>The first active silence (lowest id) matching <paramref name="key"/> at <paramref name="now"/>, or null.</summary>
    public Silence? Match(AlertKey key, DateTimeOffset now) => _db.Read(connection => Match(connection, null, key, now));

    /// <summary>Ends the silences whose <c>until</c> has passed (reason <c>expired</c>); returns how many.</summary>
    public int EndExpired(DateTimeOffset now) => _db.Write((connection, transaction) =>
    {
        using var command = Command(connection, transaction,
            "UPDATE silences SET ended_at = until, end_reason = 'expired' WHERE ended_at IS NULL AND until IS NOT NULL AND until <= $now");
        command.Parameters.AddWithValue("$now", StateDatabase.ToUnixMs(now));
        return command.ExecuteNonQuery();
    });

    /// <summary>The first active silence matching <paramref name="key"/>, read inside the caller's transaction.</summary>
    internal static Silence? Match(SqliteConnection connection, SqliteTransaction? transaction, AlertKey key, DateTimeOffset now) =>
        Query(connection, transaction, "ended_at IS NULL").Where(s => s.IsActive(now)).FirstOrDefault(s => s.Spec.Matches(key));

    /// <summary>
    /// After <paramref name="resolved"/> resolved: ends (reason <c>resolved</c>) each active until_resolved silence that matches it
    /// and matches none of <paramref name="stillFiring"/>. Inside the caller's transaction.
    /// </summary>
    internal static void EndResolved(SqliteConnection connection, SqliteTransaction transaction, AlertKey resolved,
        IReadOnlyCollection<AlertKey> stillFiring, DateTimeOffset now)
    {
        foreach (var silence in Query(connection, transaction, "ended_at IS NULL AND until_resolved = 1"))
        {
            if (silence.Spec.Matches(resolved) && !stillFiring.Any(silence.Spec.Matches))
            {
                End(connection, transaction, silence.Id, now, "resolved");
            }
        }
    }

    private static long Insert(SqliteConnection connection, SqliteTransaction transaction, SilenceSpec spec, DateTimeOffset now, string? createdBy)
    {
        using var insert = Command(connection, transaction, """
            INSERT INTO silences(name, host, rule, instance, until, until_resolved, comment, created_at, created_by)
            VALUES ($name, $host, $rule, $instance, $until, $ur, $comment, $now, $by) RETURNING id
            """);
        Bind(insert, spec, now, createdBy);
        insert.Parameters.AddWithValue("$name", (object?)spec.Name ?? DBNull.Value);
        return (long)insert.ExecuteScalar()!;
    }

    private static void Bind(SqliteCommand command, SilenceSpec spec, DateTimeOffset now, string? createdBy)
    {
        command.Parameters.AddWithValue("$host", spec.Host);
        command.Parameters.AddWithValue("$rule", spec.Rule);
        command.Parameters.AddWithValue("$instance", spec.Instance);
        command.Parameters.AddWithValue("$until", spec.Until is { } until ? StateDatabase.ToUnixMs(until) : DBNull.Value);
        command.Parameters.AddWithValue("$ur", spec.UntilResolved ? 1 : 0);
        command.Parameters.AddWithValue("$comment", (object?)spec.Comment ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", StateDatabase.ToUnixMs(now));
        command.Parameters.AddWithValue("$by", (object?)createdBy ?? DBNull.Value);
    }

    private static bool End(SqliteConnection connection, SqliteTransaction transaction, long id, DateTimeOffset now, string reason)
    {
        using var command = Command(connection, transaction, "UPDATE silences SET ended_at = $now, end_reason = $reason WHERE id = $id AND ended_at IS NULL");
        command.Parameters.AddWithValue("$now", StateDatabase.ToUnixMs(now));
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() > 0;
    }

    private static List<Silence> Query(SqliteConnection connection, SqliteTransaction? transaction, string where)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM silences WHERE {where} ORDER BY id";
        using var reader = command.ExecuteReader();
        var silences = new List<Silence>();
        while (reader.Read())
        {
            silences.Add(new Silence
            {
                Id = reader.GetInt64(0),
                Spec = new SilenceSpec
                {
                    Name = reader.IsDBNull(1) ? null : reader.GetString(1),
                    Host = reader.GetString(2),
                    Rule = reader.GetString(3),
                    Instance = reader.GetString(4),
                    Until = reader.IsDBNull(5) ? null : StateDatabase.FromUnixMs(reader.GetInt64(5)),
                    UntilResolved = reader.GetInt64(6) != 0,
                    Comment = reader.IsDBNull(7) ? null : reader.GetString(7),
                },
                CreatedAt = StateDatabase.FromUnixMs(reader.GetInt64(8)),
                CreatedBy = reader.IsDBNull(9) ? null : reader.GetString(9),
                EndedAt = reader.IsDBNull(10) ? null : StateDatabase.FromUnixMs(reader.GetInt64(10)),
                EndReason = reader.IsDBNull(11) ? null : reader.GetString(11),
            });
        }

        return silences;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
