using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.State;
using Psistats.Bench;
using Psistats.Contracts.Frames;

namespace Psistats.Benchmarks;

/// <summary>
/// The consumer's work per frame besides the broker, for the fleet's mix (one frame per call, as
/// <see cref="RuleEvaluation.FleetMix"/>): parsing the body (<see cref="FrameEnvelope.TryParse"/>, which copies the
/// document), the host's live state (<see cref="HostStateStore.Apply"/>), and the three in a row as
/// <c>FrameConsumer</c> and <c>AlertPipeline</c> run them for a frame that changes nothing (no database write).
/// </summary>
[MemoryDiagnoser]
public class ConsumerPath
{
    private byte[][] _bodies = [];
    private FrameEnvelope[] _frames = [];
    private AlertEngine _engine = null!;
    private HostStateStore _hosts = null!;
    private int _next;
    private DateTimeOffset _at;

    /// <summary>Serialises one minute of the fleet's frames and warms the engine and the host store with them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var fixtures = FixtureFrames.Load();
        var fleet = new Fleet(fixtures, BenchFleet.Hosts);
        var minute = BenchFleet.Minute(fleet);
        _bodies = [.. minute.Select(f => f.Frame.For(f.Host))];
        _frames = [.. minute.Select(f => BenchFleet.Envelope(f.Frame, f.Host))];
        _engine = BenchFleet.Engine();
        _at = BenchFleet.WarmUp(_engine, fleet, BenchFleet.Start);
        _hosts = new HostStateStore(new AggregatorOptions(), NullLogger<HostStateStore>.Instance);
        foreach (var frame in _frames)
        {
            _hosts.Apply(frame, Next());
        }
    }

    /// <summary>Parsing one body of the mix (the consumer's limit, 256 KiB).</summary>
    [Benchmark]
    public FrameEnvelope? Parse()
    {
        FrameEnvelope.TryParse(_bodies[Advance()], 256 * 1024, out var frame, out _);
        return frame;
    }

    /// <summary>Recording one frame of the mix in the host's live state.</summary>
    [Benchmark]
    public HostEvent? HostState() => _hosts.Apply(_frames[Advance()], Next());

    /// <summary>Parse, live state and rules for one body of the mix: the consumer's CPU per frame without the broker.</summary>
    [Benchmark]
    public FrameVerdict ParseApplyEvaluate()
    {
        FrameEnvelope.TryParse(_bodies[Advance()], 256 * 1024, out var frame, out _);
        var at = Next();
        _hosts.Apply(frame!, at);
        return _engine.OnFrame(frame!, at);
    }

    private int Advance()
    {
        var i = _next;
        _next = i + 1 == _frames.Length ? 0 : i + 1;
        return i;
    }

    private DateTimeOffset Next() => _at = _at.AddMilliseconds(10);
}
