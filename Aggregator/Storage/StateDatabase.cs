using Microsoft.Data.Sqlite;

namespace Psistats.Aggregator.Storage;

/// <summary>
/// The aggregator's SQLite database, <c>[aggregator] state_dir</c>/<c>state.db</c> (Microsoft.Data.Sqlite): events,
/// alerts, downtimes, hosts, silences, the notification outbox and remediation state. One connection, used under a
/// lock (SQLite serialises writers anyway); WAL journal with <c>synchronous=NORMAL</c>, so a committed transaction
/// survives the process being killed (SIGKILL) — only a power loss can take the last transactions.
/// Each module declares its own tables through <see cref="EnsureSchema"/>.
/// </summary>
/// <exception cref="SqliteException">The file cannot be opened or is not a database (raised by the constructor).</exception>
public sealed class StateDatabase : IDisposable
{
    /// <summary>File name inside state_dir.</summary>
    public const string FileName = "state.db";

    /// <summary>Mode of a state_dir this creates: rwxr-x---.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>Mode of state.db: rw-r-----.</summary>
    public const UnixFileMode FileMode640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private const UnixFileMode OtherBits = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;

    /// <summary>Opens (creating when needed) <paramref name="stateDirectory"/>/state.db.</summary>
    public StateDatabase(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        // The database holds hostnames, alerts, email addresses and remediation logs: 0750 for state_dir, 0640 for state.db
        // (SQLite creates its -wal and -shm files with the database file's mode), nothing for other users.
        Path = System.IO.Path.Combine(stateDirectory, FileName);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(stateDirectory);
        }
        else
        {
            RestrictModes(stateDirectory, Path);
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
        Execute("CREATE TABLE IF NOT EXISTS schema_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL)");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void RestrictModes(string directory, string path)
    {
        Directory.CreateDirectory(directory, DirectoryMode);
        if (!File.Exists(path))
        {
            new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode640 }).Dispose();
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
        {
            var mode = File.GetUnixFileMode(file);
            if ((mode & OtherBits) != 0)
            {
                File.SetUnixFileMode(file, mode & ~OtherBits);
            }
        }
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates a module's tables once: when the recorded version of <paramref name="module"/> is below
    /// <paramref name="version"/>, runs <paramref name="statements"/> in one transaction and records the version.
    /// Statements must be idempotent (<c>CREATE TABLE IF NOT EXISTS</c>).
    /// </summary>
    public void EnsureSchema(string module, int version, params string[] statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        Write((connection, transaction) =>
        {
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT version FROM schema_versions WHERE module = $m";
            read.Parameters.AddWithValue("$m", module);
            var current = read.ExecuteScalar() is long v ? v : 0;
            if (current >= version)
            {
                return 0;
            }

            foreach (var sql in statements)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_versions(module, version) VALUES ($m, $v) ON CONFLICT(module) DO UPDATE SET version = $v";
            record.Parameters.AddWithValue("$m", module);
            record.Parameters.AddWithValue("$v", version);
            record.ExecuteNonQuery();
            return 0;
        });
    }

    /// <summary>Runs <paramref name="work"/> in one transaction under the lock; commits when it returns, rolls back when it throws.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var result = work(_connection, transaction);
            transaction.Commit();
            return result;
        }
    }

    /// <summary>Runs a read under the lock (no transaction).</summary>
    public T Read<T>(Func<SqliteConnection, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_lock)
        {
            return work(_connection);
        }
    }

    /// <summary>Runs SQL that returns nothing, under the lock.</summary>
    public void Execute(string sql)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Stores a time as Unix milliseconds (the column type used for every time in the database).</summary>
    public static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>Reads a time stored by <see cref="ToUnixMs"/>.</summary>
    public static DateTimeOffset FromUnixMs(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }
}
