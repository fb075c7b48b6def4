using BenchmarkDotNet.Attributes;
using Psistats.Aggregator.Rules;
using Psistats.Bench;
using Psistats.Contracts.Frames;

namespace Psistats.Benchmarks;

/// <summary>
/// <see cref="AlertEngine.OnFrame"/> per reporter, on clean frames: server-many-disks' frames (8 cores, 9 disks, 3 NICs,
/// 6 filesystems, the biggest fixture host) and the Cointerra miner's, with the rules of <see cref="RuleEvaluation"/>.
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluationPerReporter
{
    private AlertEngine _engine = null!;
    private FrameEnvelope _frame = null!;
    private DateTimeOffset _at;

    /// <summary>The reporters of the fleet.</summary>
    public static IEnumerable<string> Reporters =>
        ["cpu", "mem", "uptime", "cpu_temp", "sensors", "hddtemp", "diskio", "load", "net", "os", "hddspace", "cgminer"];

    /// <summary>The frame's reporter.</summary>
    [ParamsSource(nameof(Reporters))]
    public string Reporter { get; set; } = "";

    /// <summary>Builds and warms the engine; checks that the frame matches nothing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (var fixtures, _, _engine, _at) = BenchFleet.WarmedUp();
        _frame = Reporter == "cgminer"
            ? BenchFleet.Envelope(fixtures.Miner, BenchFleet.Miner)
            : BenchFleet.Envelope(fixtures.Hosts["server-many-disks"].Single(f => f.Reporter == Reporter), BenchFleet.Server);
        if (!ReferenceEquals(Evaluate(), FrameVerdict.Clean))
        {
            throw new InvalidOperationException($"the {Reporter} frame matches a rule: it is no clean frame");
        }
    }

    /// <summary>One clean frame of <see cref="Reporter"/>.</summary>
    [Benchmark]
    public FrameVerdict Evaluate() => _engine.OnFrame(_frame, _at = _at.AddMilliseconds(10));
}
