using System.Text;
using Microsoft.Extensions.Logging;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Scheduling;

/// <summary>
/// <c>psistats-agent --once</c>: one frame of every enabled reporter, as JSON lines, no broker.
/// Reporters that need two samples (rates) are read twice, <see cref="SampleGap"/> apart. Uses the
/// scheduler's own reading step, so frames are exactly what the daemon would publish.
/// </summary>
public static class OnceRunner
{
    /// <summary>Gap between the two samples of a rate.</summary>
    public static readonly TimeSpan SampleGap = TimeSpan.FromMilliseconds(500);

    /// <summary>Writes the frames to <paramref name="output"/>, in reporter order; failures are logged through <paramref name="loggerFactory"/>.</summary>
    /// <returns>0 when every reporter produced a frame or had no data; 1 when one failed.</returns>
    public static async Task<int> RunAsync(AgentOptions options, TextWriter output, ILoggerFactory loggerFactory, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var reporters = ReporterFactory.Create(options);
        var sink = new CollectingSink();
        using var scheduler = new ReporterScheduler(reporters, sink, options, time, loggerFactory.CreateLogger<ReporterScheduler>());
        var statuses = reporters.Select(scheduler.RunOnce).ToList();
        var warming = reporters.Where((_, i) => statuses[i] == ReadingStatus.Warming).ToList();
        if (warming.Count > 0)
        {
            await Task.Delay(SampleGap, time, cancellationToken).ConfigureAwait(false);
            warming.ForEach(r => scheduler.RunOnce(r));
        }

        var seq = 0;
        foreach (var frame in reporters.SelectMany(r => sink.Frames.Where(f => f.Reporter == r.Reporter.Name)))
        {
            await output.WriteLineAsync(Encoding.UTF8.GetString(FrameSerializer.ToUtf8(frame with { Seq = ++seq }))).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return scheduler.Health.Values.Any(h => h.Failures > 0) ? 1 : 0;
    }

    private sealed class CollectingSink : IFrameSink
    {
        public List<Frame> Frames { get; } = [];

        public void Add(Frame frame) => Frames.Add(frame);
    }
}
