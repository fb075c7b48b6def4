using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Remediation.Ssh;
using Psistats.Aggregator.Rules;

namespace Psistats.Aggregator.Remediation;

/// <summary>
/// Runs one decided remediation (<see cref="RemediationPlan"/>), the steps of issue 6 in order:
/// <list type="number">
/// <item><c>notify</c>: a start notice to the miner's notifiers (through the outbox: sent at once, retried while down);</item>
/// <item><c>diagnostics</c>: each configured command over ssh, its output kept;</item>
/// <item><c>copy</c>: each configured log file with scp into <c>work_dir/run-ID/</c>;</item>
/// <item><c>restart</c> or <c>reboot</c>: the plan's action, recorded as sent (<see cref="MinerWatch.ActionSending"/>) before
/// the command runs; when that record cannot be written the command is not sent;</item>
/// <item><c>bundle</c>: the <c>.tar.gz</c> (<see cref="RemediationBundle"/>);</item>
/// <item><c>email</c>: the report with the bundle attached, through the outbox (the attachment's bytes live in the outbox row);</item>
/// <item><c>cleanup</c>: the run's temporary directory is deleted;</item>
/// <item>the cooldown starts (<see cref="MinerWatch.Finish"/>).</item>
/// </list>
/// Each step's outcome (for SSH steps the exit code, failure kind, stderr, duration) is an event of kind <c>remediation</c>
/// (<see cref="RemediationEvents"/>). A failing step (SSH refused, host key mismatch, missing log, timeout) never stops the
/// later ones and is reported in the email. Commands, paths and targets come only from <see cref="MinerOptions"/>, never
/// from frame contents: the frames in the plan only go into the report and the bundle. Stopping the aggregator cancels the
/// SSH calls (their processes are killed) and ends the run as <c>interrupted</c>, with its cooldown.
/// </summary>
public sealed class RemediationRunner(
    MinerWatch watch,
    RemediationStore store,
    NotificationPolicy policy,
    OpenSshClient ssh,
    MinerLogBuffer logBuffer,
    RemediationOptions options,
    TimeProvider time,
    ILogger<RemediationRunner> logger)
{
    /// <summary>Longest stderr kept in an event, characters (its end).</summary>
    public const int EventStderrChars = 4000;

    /// <summary>The rule name of remediation notices (their alert key: rule, miner, "").</summary>
    public const string NoticeRule = "remediation";

    /// <summary>Runs every step of <paramref name="plan"/>; returns once the cooldown has started. Never throws.</summary>
    public async Task RunAsync(RemediationPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var miner = plan.Miner;
        var steps = new List<StepResult>();
        var directory = Path.Combine(options.WorkDir, $"run-{plan.RunId.ToString(CultureInfo.InvariantCulture)}");
        var target = new SshTarget(miner.Host, miner.Port, miner.User, miner.IdentityFile, miner.KnownHostsFile) { AcceptNewHostKey = miner.AcceptNewHostKey };
        var interrupted = false;
        try
        {
            Notify(plan, steps, "notify", new Notice
            {
                Kind = NotificationKinds.Remediation,
                Severity = Severity.Error,
                Key = new AlertKey(NoticeRule, miner.Name, ""),
                At = time.GetUtcNow(),
                Summary = $"remediation {plan.RunId} of {miner.Name} starts: {RemediationStore.ActionName(plan.Action)}",
                Subject = RemediationReport.StartSubject(plan),
                Body = RemediationReport.StartBody(plan),
            });

            var diagnostics = new List<DiagnosticOutput>();
            foreach (var command in miner.Diagnostics)
            {
                var outcome = await ssh.RunAsync(target, command, miner.SshTimeout, cancellationToken).ConfigureAwait(false);
                diagnostics.Add(new DiagnosticOutput(command, outcome));
                RecordSsh(plan, steps, "diagnostics", outcome, null);
            }

            var logs = await CopyLogsAsync(plan, steps, target, directory, cancellationToken).ConfigureAwait(false);
            var action = await ActAsync(plan, steps, target, cancellationToken).ConfigureAwait(false);
            var bundle = Bundle(plan, steps, diagnostics, logs);
            var attachments = bundle is { Content: { } bytes }
                ? new[] { new NotificationAttachment(BundleName(plan) + ".tar.gz", NotificationAttachment.Gzip, bytes) }
                : [];
            var now = time.GetUtcNow();
            Notify(plan, steps, "email", new Notice
            {
                Kind = NotificationKinds.Remediation,
                Severity = Severity.Error,
                Key = new AlertKey(NoticeRule, miner.Name, ""),
                At = now,
                Summary = $"remediation {plan.RunId} of {miner.Name}: {action.Step} {(action.Failed ? "failed" : "sent")}",
                Subject = RemediationReport.ReportSubject(plan, action, attachments.Length > 0),
                Body = RemediationReport.ReportBody(plan, steps, miner.Cooldown, RebootsInWindow(miner.Name, now)),
                Attachments = attachments,
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RemediationLog.RunFailed(logger, ex, plan.RunId, miner.Name);
        }

        Cleanup(plan, steps, directory);
        try
        {
            var until = watch.Finish(plan, time.GetUtcNow(), interrupted);
            RemediationLog.Finished(logger, plan.RunId, miner.Name, steps.Count(s => s.Failed), steps.Count, until);
        }
        catch (SqliteException ex)
        {
            RemediationLog.StateWriteFailed(logger, ex, miner.Name);
        }
    }

    /// <summary>The bundle's name without extension: <c>MINER-remediation-ID-yyyyMMddTHHmmssZ</c> (unsafe characters as <c>_</c>).</summary>
    public static string BundleName(RemediationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return $"{RemediationBundle.SafeName(plan.Miner.Name)}-remediation-{plan.RunId.ToString(CultureInfo.InvariantCulture)}-"
            + plan.StartedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    }

    private async Task<List<CopiedLog>> CopyLogsAsync(RemediationPlan plan, List<StepResult> steps, SshTarget target, string directory,
        CancellationToken cancellationToken)
    {
        var logs = new List<CopiedLog>();
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Record(plan, steps, "copy", true, $"no copy: cannot create {directory}: {ex.Message}", new JsonObject { ["work_dir"] = directory });
            return [.. plan.Miner.LogFiles.Select(f => new CopiedLog(f, null))];
        }

        for (var i = 0; i < plan.Miner.LogFiles.Count; i++)
        {
            var remote = plan.Miner.LogFiles[i];
            var local = Path.Combine(directory, $"{(i + 1).ToString("00", CultureInfo.InvariantCulture)}-{RemediationBundle.SafeName(Path.GetFileName(remote))}");
            var outcome = await ssh.CopyAsync(target, remote, local, plan.Miner.SshTimeout, cancellationToken).ConfigureAwait(false);
            logs.Add(new CopiedLog(remote, outcome.Succeeded ? local : null));
            RecordSsh(plan, steps, "copy", outcome, outcome.Succeeded ? new FileInfo(local).Length : null);
        }

        return logs;
    }

    private async Task<StepResult> ActAsync(RemediationPlan plan, List<StepResult> steps, SshTarget target, CancellationToken cancellationToken)
    {
        var miner = plan.Miner;
        var step = RemediationStore.ActionName(plan.Action);
        var command = plan.Action == RemediationAction.Restart
            ? miner.RestartCommand ?? throw new InvalidOperationException($"[miner:{miner.Name}] has no restart_command")
            : miner.RebootCommand;
        try
        {
            watch.ActionSending(plan, time.GetUtcNow());
        }
        catch (SqliteException ex)
        {
            return Record(plan, steps, step, true, $"not sent: the state database could not record it first ({ex.Message})", new JsonObject { ["command"] = command });
        }

        var outcome = await ssh.RunAsync(target, command, miner.SshTimeout, cancellationToken).ConfigureAwait(false);
        return RecordSsh(plan, steps, step, outcome, null,
            (connection, transaction) => RemediationStore.SetActionExitCode(connection, transaction, plan.RunId, outcome.ExitCode));
    }

    private RemediationBundle? Bundle(RemediationPlan plan, List<StepResult> steps, List<DiagnosticOutput> diagnostics, List<CopiedLog> logs)
    {
        var name = BundleName(plan);
        var now = time.GetUtcNow();
        try
        {
            var bundle = RemediationBundle.Build(new BundleContent
            {
                Root = name,
                At = now,
                Report = RemediationReport.ReportBody(plan, steps, plan.Miner.Cooldown, RebootsInWindow(plan.Miner.Name, now)),
                Logs = logs,
                Diagnostics = diagnostics,
                AggregatorLog = logBuffer.Lines(plan.Miner.Name),
                LastGoodFrame = plan.LastGoodFrame,
                LastGoodAt = plan.LastGoodAt,
                ErrorPolls = plan.ErrorPolls,
            }, options.BundleMaxBytes);
            var details = new JsonObject
            {
                ["name"] = name + ".tar.gz",
                ["bytes"] = bundle.Content?.Length,
                ["entries"] = new JsonArray(bundle.Entries.Select(e => (JsonNode?)e).ToArray()),
                ["logs_cut_to_bytes"] = bundle.LogsCutTo,
                ["bundle_max_bytes"] = options.BundleMaxBytes,
            };
            if (bundle.Content is null)
            {
                Record(plan, steps, "bundle", true,
                    $"not attached: even without the logs it exceeds bundle_max_bytes ({options.BundleMaxBytes.ToString(CultureInfo.InvariantCulture)} bytes)", details);
                return bundle;
            }

            var cut = bundle.LogsCutTo is { } keep
                ? $"; logs cut to their last {keep.ToString(CultureInfo.InvariantCulture)} bytes to fit bundle_max_bytes"
                : "";
            Record(plan, steps, "bundle", false,
                $"{name}.tar.gz, {bundle.Content.Length.ToString(CultureInfo.InvariantCulture)} bytes, {bundle.Entries.Count.ToString(CultureInfo.InvariantCulture)} files{cut}",
                details);
            return bundle;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Record(plan, steps, "bundle", true, $"not built: {ex.Message}", null);
            return null;
        }
    }

    private void Notify(RemediationPlan plan, List<StepResult> steps, string step, Notice notice)
    {
        var miner = plan.Miner;
        var notifiers = miner.Notifiers is null ? "every notifier" : miner.Notifiers.Count == 0 ? "none (notifiers = none)" : string.Join(", ", miner.Notifiers);
        var attachments = notice.Attachments.Sum(a => a.Content.Length);
        try
        {
            var outcome = store.Database.Write((connection, transaction) =>
            {
                var ids = policy.Notify(connection, transaction, notice, miner.Notifiers);
                var queued = ids.Count == 0
                    ? $"nothing queued: no enabled notifier takes it (notifiers: {notifiers})"
                    : $"queued for {ids.Count.ToString(CultureInfo.InvariantCulture)} notifier(s) (outbox rows {string.Join(", ", ids)})"
                        + (attachments > 0 ? $", with {attachments.ToString(CultureInfo.InvariantCulture)} bytes attached" : "");
                RemediationEvents.Add(connection, transaction, miner.Name, notice.At, step, false, $"remediation {plan.RunId} {step}: {queued}",
                    new JsonObject
                    {
                        ["subject"] = notice.Subject,
                        ["outbox_ids"] = new JsonArray(ids.Select(id => (JsonNode?)id).ToArray()),
                        ["attachment_bytes"] = attachments,
                    },
                    plan.RunId);
                return queued;
            });
            AddStep(plan, steps, step, false, outcome);
        }
        catch (SqliteException ex)
        {
            Record(plan, steps, step, true, $"not queued: the state database could not be written ({ex.Message})", null);
        }
    }

    private StepResult RecordSsh(RemediationPlan plan, List<StepResult> steps, string step, SshOutcome outcome, long? copiedBytes,
        Action<SqliteConnection, SqliteTransaction>? alsoWrite = null)
    {
        var stderr = outcome.Stderr.Trim();
        var details = new JsonObject
        {
            ["command"] = outcome.Command,
            ["ssh"] = outcome.Step,
            ["exit_code"] = outcome.ExitCode,
            ["failure"] = outcome.Failure.Code(),
            ["detail"] = outcome.Detail,
            ["stderr"] = stderr.Length > EventStderrChars ? stderr[^EventStderrChars..] : stderr,
            ["duration_ms"] = Math.Round(outcome.Duration.TotalMilliseconds),
            ["timed_out"] = outcome.TimedOut,
            ["stdout_bytes"] = outcome.Stdout.Length,
        };
        if (copiedBytes is { } bytes)
        {
            details["copied_bytes"] = bytes;
        }

        return Record(plan, steps, step, !outcome.Succeeded, outcome.Describe(), details, alsoWrite);
    }

    private StepResult Record(RemediationPlan plan, List<StepResult> steps, string step, bool failed, string outcome, JsonObject? details,
        Action<SqliteConnection, SqliteTransaction>? alsoWrite = null)
    {
        try
        {
            store.Database.Write((connection, transaction) =>
            {
                alsoWrite?.Invoke(connection, transaction);
                return RemediationEvents.Add(connection, transaction, plan.Miner.Name, time.GetUtcNow(), step, failed,
                    $"remediation {plan.RunId} {step}: {outcome}", details, plan.RunId);
            });
        }
        catch (SqliteException ex)
        {
            RemediationLog.StateWriteFailed(logger, ex, plan.Miner.Name);
        }

        return AddStep(plan, steps, step, failed, outcome);
    }

    private StepResult AddStep(RemediationPlan plan, List<StepResult> steps, string step, bool failed, string outcome)
    {
        var result = new StepResult(step, failed, outcome);
        steps.Add(result);
        if (failed)
        {
            RemediationLog.StepFailed(logger, plan.RunId, plan.Miner.Name, step, outcome);
        }
        else
        {
            RemediationLog.StepDone(logger, plan.RunId, plan.Miner.Name, step, outcome);
        }

        return result;
    }

    private void Cleanup(RemediationPlan plan, List<StepResult> steps, string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
            Record(plan, steps, "cleanup", false, $"deleted {directory}", null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Record(plan, steps, "cleanup", true, $"could not delete {directory}: {ex.Message}", null);
        }
    }

    private int RebootsInWindow(string miner, DateTimeOffset now) =>
        watch.Status(now).FirstOrDefault(s => string.Equals(s.Name, miner, StringComparison.OrdinalIgnoreCase))?.Reboots24h ?? 0;
}
