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
/// <see cref="RuleEvaluation.FleetMix"/>): parsing the body in place (<see cref="FrameEnvelope.TryParseInPlace"/>, the
/// consumer's parse: no copy, pooled buffers), the host's live state (<see cref="HostStateStore.Apply"/>, which copies the
/// frame's bytes into the reporter's reused buffer), and the three in a row as <c>FrameConsumer</c> and <c>AlertPipeline</c>
/// run them for a frame that changes nothing (no database write).
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
        (_, var fleet, _engine, _at) = BenchFleet.WarmedUp();
        var minute = BenchFleet.Minute(fleet);
        _bodies = [.. minute.Select(f => f.Frame.For(f.Host))];
        // Read in place and never disposed: each envelope's body stays valid for the whole run.
        _frames = [.. _bodies.Select(b => FrameEnvelope.TryParseInPlace(b, 256 * 1024, out var parsed, out _) == FrameRejection.None
            ? parsed!.Envelope
            : throw new InvalidOperationException("a fixture frame is rejected"))];
        _hosts = new HostStateStore(new AggregatorOptions(), NullLogger<HostStateStore>.Instance);
        foreach (var frame in _frames)
        {
            _hosts.Apply(frame, Next());
        }
    }

    /// <summary>Parsing one body of the mix (the consumer's limit, 256 KiB).</summary>
    [Benchmark]
    public string? Parse()
    {
        FrameEnvelope.TryParseInPlace(_bodies[Advance()], 256 * 1024, out var parsed, out _);
        using (parsed)
        {
            return parsed?.Envelope.Reporter;
        }
    }

    /// <summary>Recording one frame of the mix in the host's live state.</summary>
    [Benchmark]
    public HostEvent? HostState() => _hosts.Apply(_frames[Advance()], Next());

    /// <summary>Parse, live state and rules for one body of the mix: the consumer's CPU per frame without the broker.</summary>
    [Benchmark]
    public FrameVerdict ParseApplyEvaluate()
    {
        FrameEnvelope.TryParseInPlace(_bodies[Advance()], 256 * 1024, out var parsed, out _);
        using (parsed)
        {
            var at = Next();
            _hosts.Apply(parsed!.Envelope, at);
            return _engine.OnFrame(parsed.Envelope, at);
        }
    }

    private int Advance()
    {
        var i = _next;
        _next = i + 1 == _frames.Length ? 0 : i + 1;
        return i;
    }

    private DateTimeOffset Next() => _at = _at.AddMilliseconds(10);
}
