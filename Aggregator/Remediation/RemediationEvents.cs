using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Psistats.Aggregator.Storage;

namespace Psistats.Aggregator.Remediation;

/// <summary>
/// The remediation's entries in the event history (table <c>events</c>, <c>GET /api/events?kind=remediation</c>): kind
/// <c>remediation</c>, host = the miner, rule <c>remediation</c>, instance = the step (<c>start</c>, <c>notify</c>,
/// <c>diagnostics</c>, <c>copy</c>, <c>restart</c>, <c>reboot</c>, <c>bundle</c>, <c>email</c>, <c>cleanup</c>, <c>cooldown</c>,
/// <c>interrupted</c>, <c>healed</c>), severity <c>info</c> (done) or <c>warning</c> (the step failed), and details as JSON:
/// always <c>run</c> (the run id) and <c>step</c>; for SSH steps <c>command</c>, <c>exit_code</c>, <c>failure</c>,
/// <c>stderr</c>, <c>duration_ms</c>, <c>timed_out</c>.
/// </summary>
public static class RemediationEvents
{
    /// <summary>The event kind.</summary>
    public const string Kind = "remediation";

    /// <summary>Appends one event inside the caller's transaction; returns its id.</summary>
    /// <param name="connection">Inside <see cref="StateDatabase.Write{T}"/>.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="miner">The miner's NAME.</param>
    /// <param name="at">When (aggregator's clock).</param>
    /// <param name="step">The step's name (the event's instance).</param>
    /// <param name="failed">Whether the step failed (severity warning instead of info).</param>
    /// <param name="message">One line for people.</param>
    /// <param name="details">Facts; <c>run</c> and <c>step</c> are added.</param>
    /// <param name="runId">The run, or null for an event outside a run.</param>
    public static long Add(SqliteConnection connection, SqliteTransaction transaction, string miner, DateTimeOffset at, string step, bool failed,
        string message, JsonObject? details, long? runId)
    {
        var json = new JsonObject { ["run"] = runId, ["step"] = step };
        foreach (var (key, value) in details ?? [])
        {
            json[key] = value?.DeepClone();
        }

        return AlertStore.AddEvent(connection, transaction, new StoredEvent
        {
            Time = at,
            Host = miner,
            Rule = Kind,
            Instance = step,
            Severity = failed ? "warning" : "info",
            Kind = Kind,
            Message = message,
            Details = json.ToJsonString(),
        });
    }
}
