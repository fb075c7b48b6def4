using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Psistats.Aggregator.Notifications;

namespace Psistats.Aggregator.Remediation;

/// <summary>One step of a run and how it went, for the report and the event history.</summary>
/// <param name="Step">The step's name (<c>notify</c>, <c>diagnostics</c>, <c>copy</c>, <c>restart</c>, <c>reboot</c>, <c>bundle</c>, <c>email</c>, <c>cleanup</c>).</param>
/// <param name="Failed">Whether it failed.</param>
/// <param name="Outcome">One line: what ran and how it ended.</param>
public sealed record StepResult(string Step, bool Failed, string Outcome);

/// <summary>
/// The words of a remediation's notifications (issue 6 steps 1 and 6), in the spirit of cointerra-monitor's
/// <c>Cointerra Monitor_&lt;machine&gt;: Error</c>: subjects <c>[psistats] terra01: Error, remediation 4 starts (reboot)</c> and
/// <c>[psistats] terra01: Error, reboot sent, log bundle attached (remediation 4)</c>; the body gives the errors, what was
/// done (each step's outcome), what follows (the cooldown) and the last good stats as indented JSON. The notifiers clean
/// every line before it reaches a header or a body (<see cref="MessageText"/>).
/// </summary>
public static class RemediationReport
{
    private static readonly JsonSerializerOptions PrettyJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Subject of the start notice.</summary>
    public static string StartSubject(RemediationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return $"{MessageText.SubjectPrefix} {plan.Miner.Name}: {Head(plan)}, remediation {plan.RunId} starts ({RemediationStore.ActionName(plan.Action)})";
    }

    /// <summary>Body of the start notice: why, the errors, the steps to come.</summary>
    public static string StartBody(RemediationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var body = new StringBuilder();
        Intro(body, plan);
        Errors(body, plan);
        body.Append(CultureInfo.InvariantCulture,
            $"\nNext: diagnostics ({string.Join(", ", plan.Miner.Diagnostics)}), copy of {string.Join(", ", plan.Miner.LogFiles)}, then the {RemediationStore.ActionName(plan.Action)}; ");
        body.Append("a report with the log bundle follows.\n");
        return body.ToString();
    }

    /// <summary>Subject of the report.</summary>
    public static string ReportSubject(RemediationPlan plan, StepResult action, bool bundleAttached)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(action);
        var actionName = RemediationStore.ActionName(plan.Action);
        var what = action.Failed ? $"{actionName} FAILED" : $"{actionName} sent";
        return $"{MessageText.SubjectPrefix} {plan.Miner.Name}: {Head(plan)}, {what}{(bundleAttached ? ", log bundle attached" : "")} (remediation {plan.RunId})";
    }

    /// <summary>Body of the report: why, the errors, each step's outcome, what follows, the last good stats.</summary>
    /// <param name="plan">The run.</param>
    /// <param name="steps">Every step so far, in order.</param>
    /// <param name="cooldown">The cooldown that follows.</param>
    /// <param name="rebootsInWindow">Reboot commands sent to the miner in the last 24 h, this run's included.</param>
    public static string ReportBody(RemediationPlan plan, IReadOnlyList<StepResult> steps, TimeSpan cooldown, int rebootsInWindow)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        var body = new StringBuilder();
        Intro(body, plan);
        Errors(body, plan);
        var failed = steps.Count(s => s.Failed);
        body.Append(CultureInfo.InvariantCulture, $"\nWhat was done ({steps.Count} steps, {failed} failed):\n");
        foreach (var step in steps)
        {
            body.Append(CultureInfo.InvariantCulture, $"  {(step.Failed ? "[FAILED]" : "[ok]    ")} {step.Step}: {step.Outcome}\n");
        }

        body.Append(CultureInfo.InvariantCulture,
            $"\nNext: a cooldown of {MessageText.Duration(cooldown)}: errors of {plan.Miner.Name} are not counted and its alerts are held while it comes back.\n");
        body.Append(CultureInfo.InvariantCulture,
            $"Reboots sent in the last 24 h: {rebootsInWindow} (max_reboots {plan.Miner.MaxReboots}).\n");
        body.Append('\n');
        if (plan.LastGoodFrame is { } good)
        {
            body.Append(CultureInfo.InvariantCulture, $"Last good stats (received {Iso(plan.LastGoodAt)}):\n");
            body.Append(JsonSerializer.Serialize(good, PrettyJson)).Append('\n');
        }
        else
        {
            body.Append("Last good stats: none known (no clean poll since the aggregator's state began).\n");
        }

        return body.ToString();
    }

    private static string Head(RemediationPlan plan) =>
        plan.Trigger == RemediationTriggers.Manual ? $"manual {RemediationStore.ActionName(plan.Action)}" : "Error";

    private static void Intro(StringBuilder body, RemediationPlan plan)
    {
        body.Append(CultureInfo.InvariantCulture,
            $"Remediation {plan.RunId} of {plan.Miner.Name} ({plan.Miner.User}@{plan.Miner.Host}:{plan.Miner.Port}), {(plan.Trigger == RemediationTriggers.Manual ? "asked for by " + plan.RequestedBy : "automatic")}\n");
        body.Append(CultureInfo.InvariantCulture, $"Started: {Iso(plan.StartedAt)}\n");
        body.Append(CultureInfo.InvariantCulture, $"Action: {RemediationStore.ActionName(plan.Action)}, because {plan.Reason}\n");
    }

    private static void Errors(StringBuilder body, RemediationPlan plan)
    {
        if (plan.ErrorPolls.Count == 0)
        {
            body.Append("\nErrors: none counted (manual request).\n");
            return;
        }

        body.Append(CultureInfo.InvariantCulture, $"\nErrors ({plan.ErrorPolls.Count} error polls):\n");
        foreach (var poll in plan.ErrorPolls)
        {
            body.Append(CultureInfo.InvariantCulture, $"  {Iso(poll.At)}  {(poll.Errors.Count == 0 ? "(no detail)" : string.Join("; ", poll.Errors))}\n");
        }
    }

    private static string Iso(DateTimeOffset? time) => time is { } t ? MessageText.IsoTime(t) : "unknown";
}
