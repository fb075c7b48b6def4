using Microsoft.Extensions.Logging;

namespace Psistats.Aggregator.Remediation;

/// <summary>Log messages of the remediation (event ids 300-399). Each names the miner, so the miner's bundle collects them (<see cref="MinerLogBuffer"/>).</summary>
internal static partial class RemediationLog
{
    [LoggerMessage(300, LogLevel.Information, "{Miner}: error poll {Count} of max_errors {Max}: {Errors}")]
    public static partial void ErrorPoll(ILogger logger, string miner, int count, int max, string errors);

    [LoggerMessage(301, LogLevel.Information, "{Miner}: clean poll after {Count} error polls; the count is back to 0")]
    public static partial void Reset(ILogger logger, string miner, int count);

    [LoggerMessage(302, LogLevel.Warning, "Remediation {RunId} of {Miner} starts ({Trigger}): {Action}, because {Reason}")]
    public static partial void Started(ILogger logger, long runId, string miner, string trigger, string action, string reason);

    [LoggerMessage(303, LogLevel.Error, "Fleet guard holds the remediation of {Miner}: {Summary}")]
    public static partial void FleetGuardHolds(ILogger logger, string miner, string summary);

    [LoggerMessage(304, LogLevel.Information, "Fleet guard released: {Summary}")]
    public static partial void FleetGuardReleased(ILogger logger, string summary);

    [LoggerMessage(305, LogLevel.Error, "{Miner}: {Summary}")]
    public static partial void PersonNeeded(ILogger logger, string miner, string summary);

    [LoggerMessage(306, LogLevel.Information, "{Miner}: automatic reboots allowed again ({Reason})")]
    public static partial void PersonNoLongerNeeded(ILogger logger, string miner, string reason);

    [LoggerMessage(307, LogLevel.Information, "{Miner}: cooldown over; error polls are counted from 0 again")]
    public static partial void CooldownOver(ILogger logger, string miner);

    [LoggerMessage(308, LogLevel.Warning, "Remediation {RunId} of {Miner} was interrupted by an aggregator stop ({Action} {Sent}); {Miner} is in cooldown until {Until}, nothing is re-run")]
    public static partial void Interrupted(ILogger logger, long runId, string miner, string action, string sent, DateTimeOffset until);

    [LoggerMessage(309, LogLevel.Information, "{Miner}: the {Action} sent at {SentAt} healed it (clean poll after the cooldown)")]
    public static partial void Healed(ILogger logger, string miner, string action, string sentAt);

    [LoggerMessage(310, LogLevel.Information, "Remediation {RunId} of {Miner}, {Step}: {Outcome}")]
    public static partial void StepDone(ILogger logger, long runId, string miner, string step, string outcome);

    [LoggerMessage(311, LogLevel.Warning, "Remediation {RunId} of {Miner}, {Step} failed: {Outcome}")]
    public static partial void StepFailed(ILogger logger, long runId, string miner, string step, string outcome);

    [LoggerMessage(312, LogLevel.Information, "Remediation {RunId} of {Miner} finished ({Failed} of {Steps} steps failed); cooldown until {Until}")]
    public static partial void Finished(ILogger logger, long runId, string miner, int failed, int steps, DateTimeOffset until);

    [LoggerMessage(313, LogLevel.Information, "Manual {Action} of {Miner} requested by {RequestedBy}: {Outcome}")]
    public static partial void Manual(ILogger logger, string action, string miner, string requestedBy, string outcome);

    [LoggerMessage(314, LogLevel.Error, "Could not record the alert {Alert}: {Reason}; it is raised again at the next check")]
    public static partial void RaiseFailed(ILogger logger, Exception exception, string alert, string reason);

    [LoggerMessage(315, LogLevel.Error, "Remediation {RunId} of {Miner} failed unexpectedly; the miner goes into cooldown")]
    public static partial void RunFailed(ILogger logger, Exception exception, long runId, string miner);

    [LoggerMessage(316, LogLevel.Warning, "Could not delete leftover remediation files in {Path}: {Reason}")]
    public static partial void CleanupFailed(ILogger logger, string path, string reason);

    [LoggerMessage(318, LogLevel.Error, "Could not write the remediation state of {Miner} to the state database")]
    public static partial void StateWriteFailed(ILogger logger, Exception exception, string miner);

    [LoggerMessage(317, LogLevel.Information, "Remediation watches {Count} miners ({Names}); fleet_guard {Percent} %")]
    public static partial void Watching(ILogger logger, int count, string names, double percent);

    [LoggerMessage(330, LogLevel.Error, "The remediation's periodic check failed, next one in 5 s: {Reason}")]
    public static partial void TickFailed(ILogger logger, Exception exception, string reason);
}
