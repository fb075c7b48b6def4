using System.Text;
using Microsoft.Extensions.Configuration;
using Psistats.Aggregator.Rules;
using Psistats.Bench;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Benchmarks;

/// <summary>What every benchmark starts from: the fixture frames, a small fleet, and an engine with the benchmark rules.</summary>
internal static class BenchFleet
{
    /// <summary>Hosts of the benchmarks' fleet: 90 agents (the seven fixture hosts in turn) and 10 miners.</summary>
    public const int Hosts = 100;

    /// <summary>host00005: an agent with the frames of server-many-disks (9 disks, 6 filesystems, 3 NICs).</summary>
    public const string Server = "host00005";

    /// <summary>host00200 is outside the fleet; a miner name for the sick frames.</summary>
    public const string SickMiner = "host00200";

    /// <summary>host00010: a healthy miner of the fleet.</summary>
    public const string Miner = "host00010";

    /// <summary>A receive time far from the epoch.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The built-ins, the 13 Diskmonitor thresholds and the 100 user rules of <see cref="BenchRules"/>.</summary>
    /// <exception cref="InvalidOperationException">A rule is invalid (its <c>[section] key: message</c> says which).</exception>
    public static RuleSet Rules()
    {
        var configuration = new ConfigurationBuilder().AddIniStream(new MemoryStream(Encoding.UTF8.GetBytes(BenchRules.Ini()))).Build();
        var reader = new SettingsReader(configuration);
        var rules = RuleSet.Read(reader, []);
        return reader.Errors.Count == 0
            ? rules
            : throw new InvalidOperationException("bad benchmark rules: " + string.Join("; ", reader.Errors));
    }

    /// <summary>An engine over <see cref="Rules"/> with the default stale_factor 3.</summary>
    public static AlertEngine Engine() => new(Rules(), staleFactor: 3);

    /// <summary>The envelope of <paramref name="frame"/> sent by <paramref name="host"/>, as the consumer parses it.</summary>
    public static FrameEnvelope Envelope(FrameTemplate frame, string host) =>
        FrameEnvelope.TryParse(frame.For(host), int.MaxValue, out var envelope, out var detail) == FrameRejection.None
            ? envelope!
            : throw new InvalidOperationException($"the {frame.Reporter} frame does not parse: {detail}");

    /// <summary>
    /// The fixture frames, the fleet of <see cref="Hosts"/> hosts, and an <see cref="Engine"/> warmed up with it
    /// (<see cref="WarmUp"/> from <see cref="Start"/>); <c>At</c> is the receive time of the last warm-up frame.
    /// </summary>
    public static (FixtureFrames Fixtures, Fleet Fleet, AlertEngine Engine, DateTimeOffset At) WarmedUp()
    {
        var fixtures = FixtureFrames.Load();
        var fleet = new Fleet(fixtures, Hosts);
        var engine = Engine();
        return (fixtures, fleet, engine, WarmUp(engine, fleet, Start));
    }

    /// <summary>One minute of the fleet's frames (about 10,600: each agent's 118, each miner's 2), in sending order.</summary>
    public static (string Host, FrameTemplate Frame)[] Minute(Fleet fleet) => [.. fleet.Schedule(seconds: 60)];

    /// <summary>
    /// Feeds <paramref name="engine"/> the fleet's first round and one minute of frames, so that every host, disk and
    /// firing alert is known before measuring (first sight is not what a running aggregator spends its time on).
    /// </summary>
    /// <exception cref="InvalidOperationException">A host that sends only clean frames has an alert (a rule matches a fixture frame).</exception>
    public static DateTimeOffset WarmUp(AlertEngine engine, Fleet fleet, DateTimeOffset at)
    {
        foreach (var (host, frame) in fleet.FirstRound().Concat(Minute(fleet)))
        {
            at = at.AddMilliseconds(10);
            engine.OnFrame(Envelope(frame, host), at);
        }

        var faulty = Enumerable.Range(1, fleet.Count).Where(Fleet.IsFaulty).Select(Fleet.HostName).ToHashSet(StringComparer.Ordinal);
        var stray = engine.Active().Where(a => !faulty.Contains(a.Key.Host)).Select(a => a.Key.ToString()).ToList();
        return stray.Count == 0
            ? at
            : throw new InvalidOperationException($"rules match clean fixture frames: {string.Join(", ", stray.Take(10))}");
    }

    /// <summary>Checks that <paramref name="verdict"/> has matches: the frame is one of the faulty ones.</summary>
    /// <exception cref="InvalidOperationException">It matched nothing.</exception>
    public static void ExpectMatches(FrameVerdict verdict, string what)
    {
        if (verdict.Matches.Count == 0)
        {
            throw new InvalidOperationException($"{what} matches no rule");
        }
    }
}
