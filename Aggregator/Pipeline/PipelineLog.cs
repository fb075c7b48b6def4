using Microsoft.Extensions.Logging;

namespace Psistats.Aggregator.Pipeline;

/// <summary>Log messages of the alert pipeline and storage (event ids 400-499).</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(400, LogLevel.Information, "State database {Path}: {Hosts} hosts and {Alerts} pending/firing alerts resumed")]
    public static partial void Resumed(ILogger logger, string path, int hosts, int alerts);

    [LoggerMessage(401, LogLevel.Warning, "{Kind} {Alert}: {Message}")]
    public static partial void Transition(ILogger logger, string kind, string alert, string message);

    [LoggerMessage(402, LogLevel.Information, "{Kind} {Alert}: {Message}")]
    public static partial void QuietTransition(ILogger logger, string kind, string alert, string message);

    [LoggerMessage(403, LogLevel.Error, "Could not write to the state database: {Reason}")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(404, LogLevel.Information, "Pruned {Count} events beyond events_kept {Kept}")]
    public static partial void Pruned(ILogger logger, int count, int kept);

    [LoggerMessage(405, LogLevel.Warning, "Not consuming from the broker: host DOWN detection paused until frames can arrive again")]
    public static partial void BlindBegan(ILogger logger);

    [LoggerMessage(406, LogLevel.Information, "Consuming again after {Seconds} s without: every host's silence is counted from now")]
    public static partial void BlindEnded(ILogger logger, double seconds);

    [LoggerMessage(407, LogLevel.Warning, "The aggregator did not run for {Seconds} s (machine starved, suspended or process paused): every host's silence is counted from now")]
    public static partial void Stalled(ILogger logger, double seconds);

    [LoggerMessage(408, LogLevel.Error, "Periodic host check failed ({Failures} since start), next one in 1 s: {Reason}")]
    public static partial void TickFailed(ILogger logger, Exception exception, string reason, long failures);

    [LoggerMessage(409, LogLevel.Information, "Skipped a replayed frame of {Host}/{Reporter} (seq {Seq}, already applied up to seq {AppliedSeq}): {Count} replays skipped since start")]
    public static partial void ReplaySkipped(ILogger logger, string host, string reporter, long seq, long appliedSeq, long count);

    [LoggerMessage(410, LogLevel.Information, "Forgot {Count} hosts DOWN for longer than forget_after ({After})")]
    public static partial void Forgotten(ILogger logger, int count, string after);
}
