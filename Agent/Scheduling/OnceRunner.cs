using System.Text;
using Microsoft.Extensions.Logging;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Scheduling;

/// <summary>
/// <c>psistats-agent --once</c>: one frame of every enabled reporter and one poll of every enabled miner, as JSON
/// lines, no broker. All are read at once (the miners' polls overlap, each bounded by its own timeout); reporters
/// that need two samples (rates) are read twice, <see cref="SampleGap"/> apart. Uses the scheduler's own reading step,
/// so frames are exactly what the daemon would publish; they are printed in reporter order, then the miners by section name.
/// </summary>
public static class OnceRunner
{
    /// <summary>Gap between the two samples of a rate.</summary>
    public static readonly TimeSpan SampleGap = TimeSpan.FromMilliseconds(500);

    /// <summary>Writes the frames to <paramref name="output"/>; failures are logged through <paramref name="loggerFactory"/>.</summary>
    /// <returns>0 when every reporter produced a frame or had no data and every miner answered; 1 otherwise.</returns>
    public static async Task<int> RunAsync(AgentOptions options, TextWriter output, ILoggerFactory loggerFactory, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var units = ReporterFactory.Create(options, time);
        var sink = new CollectingSink();
        using var scheduler = new ReporterScheduler(units, sink, options, time, loggerFactory.CreateLogger<ReporterScheduler>());
        var statuses = await Task.WhenAll(units.Select(u => scheduler.RunOnceAsync(u, cancellationToken).AsTask())).ConfigureAwait(false);
        var warming = units.Where((_, i) => statuses[i] == ReadingStatus.Warming).ToList();
        if (warming.Count > 0)
        {
            await Task.Delay(SampleGap, time, cancellationToken).ConfigureAwait(false);
            foreach (var unit in warming)
            {
                await scheduler.RunOnceAsync(unit, cancellationToken).ConfigureAwait(false);
            }
        }

        var seq = 0;
        var frames = sink.Frames;
        foreach (var frame in units.SelectMany(u => frames.Where(f => f.Reporter == u.Reporter.Name && f.Hostname == (u.Hostname ?? options.Hostname))))
        {
            await output.WriteLineAsync(Encoding.UTF8.GetString(FrameSerializer.ToUtf8(frame with { Seq = ++seq }))).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return scheduler.Health.Values.Any(h => h.Failures > 0) ? 1 : 0;
    }

    private sealed class CollectingSink : IFrameSink
    {
        private readonly List<Frame> _frames = [];

        public IReadOnlyList<Frame> Frames
        {
            get
            {
                lock (_frames)
                {
                    return _frames.ToList();
                }
            }
        }

        public void Add(Frame frame)
        {
            lock (_frames)
            {
                _frames.Add(frame);
            }
        }
    }
}
