using Psistats.Aggregator.Storage;

namespace Psistats.Aggregator.Notifications;

/// <summary>
/// The notification module's tables in <see cref="StateDatabase"/> (module <c>notifications</c>), times in Unix ms:
/// <list type="bullet">
/// <item><c>outbox</c>: one row per notification per notifier, kept until sent (and <see cref="NotificationOutbox.SentRetention"/> after);</item>
/// <item><c>outbox_attachments</c>: the files of a row (BLOBs: the temporary files they came from are deleted before sending);</item>
/// <item><c>silences</c>: active and ended silences;</item>
/// <item><c>notification_state</c>: one row per firing alert (written with its firing transition, deleted with its resolve) and
/// when it was last notified (null: never, because it was silenced or held): the repeat interval, late first notifications
/// and resolve notices are decided from it.</item>
/// </list>
/// </summary>
internal static class NotificationSchema
{
    public const string Module = "notifications";

    public static void Ensure(StateDatabase db) => db.EnsureSchema(Module, 1,
        """
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL, notifier TEXT NOT NULL, kind TEXT NOT NULL,
            rule TEXT NOT NULL, host TEXT NOT NULL, instance TEXT NOT NULL, severity TEXT NOT NULL, recipients TEXT,
            subject TEXT NOT NULL, body TEXT NOT NULL, line TEXT NOT NULL, payload TEXT, digest INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, sent_at INTEGER, last_error TEXT)
        """,
        "CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox(digest, next_attempt_at) WHERE sent_at IS NULL",
        "CREATE INDEX IF NOT EXISTS outbox_sent_at ON outbox(sent_at) WHERE sent_at IS NOT NULL",
        """
        CREATE TABLE IF NOT EXISTS outbox_attachments (
            outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE, position INTEGER NOT NULL, name TEXT NOT NULL,
            content_type TEXT NOT NULL, content BLOB NOT NULL, PRIMARY KEY (outbox_id, position))
        """,
        """
        CREATE TABLE IF NOT EXISTS silences (
            id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, host TEXT NOT NULL, rule TEXT NOT NULL, instance TEXT NOT NULL,
            until INTEGER, until_resolved INTEGER NOT NULL, comment TEXT, created_at INTEGER NOT NULL, created_by TEXT,
            ended_at INTEGER, end_reason TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS notification_state (
            rule TEXT NOT NULL, host TEXT NOT NULL, instance TEXT NOT NULL, last_notified_at INTEGER,
            PRIMARY KEY (rule, host, instance))
        """);
}
