using Microsoft.Data.Sqlite;
using Psistats.Aggregator.Storage;

namespace Psistats.Aggregator.Remediation;

/// <summary>
/// The remediation's tables in <see cref="StateDatabase"/> (module <c>remediation</c>, version 1):
/// <list type="bullet">
/// <item><c>remediation_miners</c>: one row per miner: the consecutive error count, the cooldown's end, the last action sent and
/// whether it healed, and the last good frame (JSON).</item>
/// <item><c>remediation_runs</c>: one row per remediation: trigger, who asked, the action, its state (<c>running</c>,
/// <c>done</c>, <c>interrupted</c>), when it started, when its action was sent (written before the command runs), its exit
/// code, when it finished. Reboots in the last 24 h are counted here.</item>
/// </list>
/// The remediation's critical alerts are not kept here: they live in the <c>alerts</c> table like every alert.
/// Times are Unix milliseconds (<see cref="StateDatabase.ToUnixMs"/>). Writers take the caller's transaction.
/// </summary>
public sealed class RemediationStore
{
    /// <summary>Run states.</summary>
    public const string Running = "running", Done = "done", Interrupted = "interrupted";

    private readonly StateDatabase _db;

    /// <summary>Creates the tables when missing.</summary>
    public RemediationStore(StateDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        db.EnsureSchema("remediation", 1,
            """
            CREATE TABLE IF NOT EXISTS remediation_miners (
                miner TEXT PRIMARY KEY COLLATE NOCASE, error_count INTEGER NOT NULL, cooldown_until INTEGER, last_action TEXT,
                last_action_at INTEGER, last_action_healed INTEGER NOT NULL, last_good_frame TEXT, last_good_at INTEGER)
            """,
            """
            CREATE TABLE IF NOT EXISTS remediation_runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT, miner TEXT NOT NULL COLLATE NOCASE, trigger TEXT NOT NULL, requested_by TEXT,
                action TEXT NOT NULL, reason TEXT NOT NULL, state TEXT NOT NULL, started_at INTEGER NOT NULL, action_sent_at INTEGER,
                action_exit_code INTEGER, finished_at INTEGER)
            """,
            "CREATE INDEX IF NOT EXISTS remediation_runs_miner ON remediation_runs(miner, started_at)");
    }

    /// <summary>The database.</summary>
    public StateDatabase Database => _db;

    /// <summary>Every miner row.</summary>
    public IReadOnlyList<MinerRow> LoadMiners() => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT miner, error_count, cooldown_until, last_action, last_action_at, last_action_healed, last_good_frame, last_good_at
            FROM remediation_miners
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<MinerRow>();
        while (reader.Read())
        {
            rows.Add(new MinerRow
            {
                Miner = reader.GetString(0),
                ErrorCount = reader.GetInt32(1),
                CooldownUntil = Time(reader, 2),
                LastAction = reader.IsDBNull(3) ? null : Enum.Parse<RemediationAction>(reader.GetString(3), ignoreCase: true),
                LastActionAt = Time(reader, 4),
                LastActionHealed = reader.GetInt64(5) != 0,
                LastGoodFrame = reader.IsDBNull(6) ? null : reader.GetString(6),
                LastGoodAt = Time(reader, 7),
            });
        }

        return (IReadOnlyList<MinerRow>)rows;
    });

    /// <summary>Runs, newest first, optionally of one miner and/or in one state, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<RunRow> Runs(string? miner = null, string? state = null, int limit = 100) => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, miner, trigger, requested_by, action, reason, state, started_at, action_sent_at, action_exit_code, finished_at
            FROM remediation_runs WHERE ($miner IS NULL OR miner = $miner) AND ($state IS NULL OR state = $state)
            ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$miner", (object?)miner ?? DBNull.Value);
        command.Parameters.AddWithValue("$state", (object?)state ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var rows = new List<RunRow>();
        while (reader.Read())
        {
            rows.Add(new RunRow
            {
                Id = reader.GetInt64(0),
                Miner = reader.GetString(1),
                Trigger = reader.GetString(2),
                RequestedBy = reader.IsDBNull(3) ? null : reader.GetString(3),
                Action = Enum.Parse<RemediationAction>(reader.GetString(4), ignoreCase: true),
                Reason = reader.GetString(5),
                State = reader.GetString(6),
                StartedAt = StateDatabase.FromUnixMs(reader.GetInt64(7)),
                ActionSentAt = Time(reader, 8),
                ActionExitCode = reader.IsDBNull(9) ? null : reader.GetInt32(9),
                FinishedAt = Time(reader, 10),
            });
        }

        return (IReadOnlyList<RunRow>)rows;
    });

    /// <summary>Per miner, the times reboot commands were sent at or after <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyDictionary<string, List<DateTimeOffset>> RebootsSince(DateTimeOffset since) => _db.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT miner, action_sent_at FROM remediation_runs
            WHERE action = 'reboot' AND action_sent_at IS NOT NULL AND action_sent_at >= $since ORDER BY action_sent_at
            """;
        command.Parameters.AddWithValue("$since", StateDatabase.ToUnixMs(since));
        using var reader = command.ExecuteReader();
        var reboots = new Dictionary<string, List<DateTimeOffset>>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            var miner = reader.GetString(0);
            if (!reboots.TryGetValue(miner, out var list))
            {
                reboots[miner] = list = [];
            }

            list.Add(StateDatabase.FromUnixMs(reader.GetInt64(1)));
        }

        return (IReadOnlyDictionary<string, List<DateTimeOffset>>)reboots;
    });

    /// <summary>Writes a miner's row (whole).</summary>
    public static void SaveMiner(SqliteConnection connection, SqliteTransaction transaction, MinerRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var command = Command(connection, transaction, """
            INSERT INTO remediation_miners(miner, error_count, cooldown_until, last_action, last_action_at, last_action_healed,
                                           last_good_frame, last_good_at)
            VALUES ($miner, $count, $cooldown, $action, $actionAt, $healed, $good, $goodAt)
            ON CONFLICT(miner) DO UPDATE SET error_count = $count, cooldown_until = $cooldown, last_action = $action,
                last_action_at = $actionAt, last_action_healed = $healed, last_good_frame = $good, last_good_at = $goodAt
            """);
        command.Parameters.AddWithValue("$miner", row.Miner);
        command.Parameters.AddWithValue("$count", row.ErrorCount);
        command.Parameters.AddWithValue("$cooldown", Ms(row.CooldownUntil));
        command.Parameters.AddWithValue("$action", row.LastAction is { } a ? ActionName(a) : DBNull.Value);
        command.Parameters.AddWithValue("$actionAt", Ms(row.LastActionAt));
        command.Parameters.AddWithValue("$healed", row.LastActionHealed ? 1 : 0);
        command.Parameters.AddWithValue("$good", (object?)row.LastGoodFrame ?? DBNull.Value);
        command.Parameters.AddWithValue("$goodAt", Ms(row.LastGoodAt));
        command.ExecuteNonQuery();
    }

    /// <summary>Records a decided run (state <c>running</c>); returns its id.</summary>
    public static long InsertRun(SqliteConnection connection, SqliteTransaction transaction, string miner, string trigger, string? requestedBy,
        RemediationAction action, string reason, DateTimeOffset startedAt)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO remediation_runs(miner, trigger, requested_by, action, reason, state, started_at)
            VALUES ($miner, $trigger, $by, $action, $reason, 'running', $at) RETURNING id
            """);
        command.Parameters.AddWithValue("$miner", miner);
        command.Parameters.AddWithValue("$trigger", trigger);
        command.Parameters.AddWithValue("$by", (object?)requestedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("$action", ActionName(action));
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$at", StateDatabase.ToUnixMs(startedAt));
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Records that the run's action command is about to be sent (before it runs: a crash after this never sends it again).</summary>
    public static void MarkActionSent(SqliteConnection connection, SqliteTransaction transaction, long runId, DateTimeOffset at)
    {
        using var command = Command(connection, transaction, "UPDATE remediation_runs SET action_sent_at = $at WHERE id = $id");
        command.Parameters.AddWithValue("$at", StateDatabase.ToUnixMs(at));
        command.Parameters.AddWithValue("$id", runId);
        command.ExecuteNonQuery();
    }

    /// <summary>Records the action command's exit code (null when ssh itself failed or timed out).</summary>
    public static void SetActionExitCode(SqliteConnection connection, SqliteTransaction transaction, long runId, int? exitCode)
    {
        using var command = Command(connection, transaction, "UPDATE remediation_runs SET action_exit_code = $code WHERE id = $id");
        command.Parameters.AddWithValue("$code", (object?)exitCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$id", runId);
        command.ExecuteNonQuery();
    }

    /// <summary>Ends a run in <paramref name="state"/> (<see cref="Done"/> or <see cref="Interrupted"/>) at <paramref name="at"/>.</summary>
    public static void FinishRun(SqliteConnection connection, SqliteTransaction transaction, long runId, string state, DateTimeOffset at)
    {
        using var command = Command(connection, transaction, "UPDATE remediation_runs SET state = $state, finished_at = $at WHERE id = $id");
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$at", StateDatabase.ToUnixMs(at));
        command.Parameters.AddWithValue("$id", runId);
        command.ExecuteNonQuery();
    }

    /// <summary>The stored name of an action: <c>restart</c> or <c>reboot</c>.</summary>
    public static string ActionName(RemediationAction action) => action == RemediationAction.Restart ? "restart" : "reboot";

    private static object Ms(DateTimeOffset? time) => time is { } t ? StateDatabase.ToUnixMs(t) : DBNull.Value;

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : StateDatabase.FromUnixMs(reader.GetInt64(ordinal));

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}

/// <summary>One row of <c>remediation_miners</c>.</summary>
public sealed record MinerRow
{
    /// <summary>The miner's NAME.</summary>
    public required string Miner { get; init; }

    /// <summary>Consecutive error polls counted.</summary>
    public int ErrorCount { get; init; }

    /// <summary>End of the cooldown, or null.</summary>
    public DateTimeOffset? CooldownUntil { get; init; }

    /// <summary>The last action sent.</summary>
    public RemediationAction? LastAction { get; init; }

    /// <summary>When it was sent.</summary>
    public DateTimeOffset? LastActionAt { get; init; }

    /// <summary>Whether a clean poll came after the last action's cooldown (a restart that healed is not escalated).</summary>
    public bool LastActionHealed { get; init; }

    /// <summary>The last clean poll (JSON text), or null.</summary>
    public string? LastGoodFrame { get; init; }

    /// <summary>Its receive time.</summary>
    public DateTimeOffset? LastGoodAt { get; init; }
}

/// <summary>One row of <c>remediation_runs</c>.</summary>
public sealed record RunRow
{
    /// <summary>Run id.</summary>
    public long Id { get; init; }

    /// <summary>The miner's NAME.</summary>
    public required string Miner { get; init; }

    /// <summary><c>auto</c> or <c>manual</c>.</summary>
    public required string Trigger { get; init; }

    /// <summary>Who asked (manual runs).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The action of step 4.</summary>
    public RemediationAction Action { get; init; }

    /// <summary>Why this action.</summary>
    public required string Reason { get; init; }

    /// <summary><c>running</c>, <c>done</c> or <c>interrupted</c>.</summary>
    public required string State { get; init; }

    /// <summary>When it was decided.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the action command was sent (recorded before it ran), or null when it never was.</summary>
    public DateTimeOffset? ActionSentAt { get; init; }

    /// <summary>The action command's exit code, or null.</summary>
    public int? ActionExitCode { get; init; }

    /// <summary>When the run ended.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}
