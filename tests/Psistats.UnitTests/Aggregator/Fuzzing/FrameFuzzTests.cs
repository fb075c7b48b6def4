using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Psistats.Aggregator.Configuration;
using Psistats.Contracts.Frames;
using Xunit.Abstractions;

namespace Psistats.UnitTests.Aggregator.Fuzzing;

/// <summary>
/// Property-based fuzzing (CsCheck) of the aggregator's frame path, in process and without a broker, on frames of every
/// reporter that are mostly valid with any field (envelope included) given an odd JSON value (<see cref="FrameGen"/>):
/// <list type="number">
/// <item>the consumer's parse never throws: every body is accepted, or rejected with a <see cref="FrameRejection"/> and a
/// detail;</item>
/// <item>on a real pipeline (<see cref="AggregatorBed"/>), OnFrame throws nothing but the documented SqliteException, the
/// periodic work (ticks on a fake clock moved by up to years, so that DOWN detection and staleness run, the miner watch, the
/// remediation reports, the notifications) never throws;</item>
/// <item>every GET route of the HTTP API then answers valid JSON.</item>
/// </list>
/// About 4,000 bodies and 500 runs of up to 12 frames (some 2,500 frames); the pipeline's runs take about 25 s on two
/// loaded cores once nothing fails. The seed is fixed (<see cref="DefaultSeed"/>) and printed; <c>CsCheck_Seed</c>, <c>CsCheck_Iter</c> and <c>CsCheck_Time</c>
/// (seconds; replaces the iteration count) change the run. A failure prints the shrunk counter-example as an
/// <c>[InlineData]</c> line for <see cref="FrameFuzzRegressionTests"/>.
/// </summary>
public sealed class FrameFuzzTests(ITestOutputHelper output)
{
    /// <summary>The seed of a default run.</summary>
    public const string DefaultSeed = "000000000000";

    /// <summary>Cases CsCheck tries, after a failure, for a smaller one that still fails.</summary>
    private const long ShrinkIterations = 2000;

    private static readonly int MaxFrameBytes = new AggregatorOptions().MaxFrameBytes;

    [Fact]
    public void Every_body_is_accepted_or_rejected_with_a_reason() =>
        Run(FrameGen.Body, 4000, body => AcceptedOrRejected(body.Bytes()), body => body.ToString());

    /// <summary>The consumer's parse of <paramref name="body"/> (at the default max_frame_bytes) accepts it, or rejects it with a reason and a detail.</summary>
    internal static void AcceptedOrRejected(byte[] body)
    {
        var rejection = FrameEnvelope.TryParseInPlace(body, MaxFrameBytes, out var parsed, out var detail);
        using (parsed)
        {
            if (rejection == FrameRejection.None)
            {
                Assert.NotNull(parsed);
                Assert.Null(detail);
            }
            else
            {
                Assert.True(Enum.IsDefined(rejection), $"undefined rejection {rejection}");
                Assert.Null(parsed);
                Assert.False(string.IsNullOrWhiteSpace(detail), $"{rejection} without a detail");
            }
        }
    }

    [Fact]
    public void Frames_flow_through_the_pipeline_the_ticks_and_the_api_without_exceptions()
    {
        var coverage = new FuzzCoverage();
        try
        {
            Run(FrameGen.Case, 500, @case => AggregatorBed.Replay([.. @case.Frames.Select(f => f.Json())], [.. @case.Frames.Select(f => f.GapSeconds)], coverage),
                @case => @case.ToString());
        }
        finally
        {
            output.WriteLine($"Went through: {coverage}");
        }
    }

    [Fact]
    public void Templates_cover_every_frame_type_of_the_contract()
    {
        var contract = typeof(Frame).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Frame)) && !t.IsAbstract)
            .Select(t => (string)t.GetField("Name")!.GetValue(null)!).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(contract, FrameTemplates.All.Select(t => t.Reporter).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(contract, FrameGen.Reporters.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_bed_serves_every_get_route_of_the_api()
    {
        using var bed = new AggregatorBed();
        bed.Serve();

        Assert.Equal(ApiRoutes.GetPatterns.Order(StringComparer.Ordinal), bed.Served.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Runs <paramref name="property"/> on <paramref name="iterations"/> cases of <paramref name="gen"/>. CsCheck's seed fixes only
    /// the first case of a sample, so the cases are drawn here: the first from the seed itself, each next one from a seed drawn
    /// from it; a seed is thus a whole run, the same on every machine, and CsCheck_Seed set to a failing case's seed replays that
    /// case first. The first failing case is then shrunk by CsCheck (its sample starts from that case).
    /// </summary>
    private void Run<T>(Gen<T> gen, long iterations, Action<T> property, Func<T, string> print)
    {
        var seed = Environment.GetEnvironmentVariable("CsCheck_Seed") is { Length: > 0 } s ? s : DefaultSeed;
        var iter = long.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), CultureInfo.InvariantCulture, out var i) ? i : iterations;
        var time = int.TryParse(Environment.GetEnvironmentVariable("CsCheck_Time"), CultureInfo.InvariantCulture, out var t) ? TimeSpan.FromSeconds(t) : (TimeSpan?)null;
        output.WriteLine($"CsCheck seed {seed}, {(time is { } seconds ? $"{seconds.TotalSeconds} s" : $"{iter} cases")} (CsCheck_Seed, CsCheck_Iter, CsCheck_Time to change)");
        var seeds = PCG.Parse(seed);
        var started = Stopwatch.StartNew();
        for (var n = 0L; time is { } limit ? started.Elapsed < limit : n < iter; n++)
        {
            var caseSeed = n == 0 ? seed : new PCG(seeds.Stream, seeds.Next64()).ToString();
            try
            {
                gen.Sample(property, seed: caseSeed, iter: 1, threads: 1, print: value => Short(print(value)));
            }
            catch (CsCheckException failed)
            {
                output.WriteLine($"case {n + 1} failed, as found (before shrinking): {failed.Message}");
                gen.Sample(property, output.WriteLine, seed: caseSeed, iter: ShrinkIterations, threads: 1, print: value => Short(print(value)));
                throw;
            }
        }

        output.WriteLine($"{(time is null ? iter : "all")} cases passed in {started.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>A counter-example too long to read in a test report (100 KB strings) is cut there and written whole to a file.</summary>
    private static string Short(string text)
    {
        if (text.Length <= 8000)
        {
            return text;
        }

        var file = Path.Combine(Path.GetTempPath(), $"psistats-fuzz-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, text);
        return $"{text[..4000]}... ({text.Length} characters in all, written whole to {file})";
    }
}
