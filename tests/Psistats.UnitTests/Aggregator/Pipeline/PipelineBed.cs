using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Pipeline;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.State;
using Psistats.Aggregator.Storage;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;
using Psistats.UnitTests.Aggregator.Rules;

namespace Psistats.UnitTests.Aggregator.Pipeline;

/// <summary>
/// The aggregator's frame path over a real state database in a temporary directory, with a fake clock: host state, rules,
/// SQLite, notification planning. <see cref="Crash"/> drops every object in memory and builds them again on the same
/// database, as an aggregator killed with SIGKILL and started again (nothing shut down).
/// </summary>
internal sealed class PipelineBed : IDisposable
{
    public static readonly DateTimeOffset T0 = RuleFrames.T0;

    private readonly TempDir _dir = new();
    private readonly List<StateDatabase> _databases = [];
    private readonly string _rulesIni;

    public PipelineBed(AggregatorOptions? options = null, string rulesIni = "[rule:cpu_high]\nreporter = cpu\ncondition = cpu > 90\nseverity = error\n")
    {
        _rulesIni = rulesIni;
        Options = (options ?? new AggregatorOptions()) with { };
        Crash();
    }

    public FakeTimeProvider Clock { get; } = new(T0);

    public AggregatorOptions Options { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public StateDatabase Db { get; private set; } = null!;

    public AlertStore Alerts { get; private set; } = null!;

    public HostStateStore Hosts { get; private set; } = null!;

    public AlertEngine Engine { get; private set; } = null!;

    public AlertPipeline Pipeline { get; private set; } = null!;

    /// <summary>Builds everything again on the same database, as after a SIGKILL and a restart.</summary>
    public void Crash()
    {
        Db = new StateDatabase(_dir.Path);
        _databases.Add(Db);
        Alerts = new AlertStore(Db);
        var rules = RuleFrames.Valid(_rulesIni, "email");
        Engine = new AlertEngine(rules, Options.StaleFactor);
        Hosts = new HostStateStore(Options, Logs.CreateLogger<HostStateStore>());
        var outbox = new NotificationOutbox(Db);
        var policy = new NotificationPolicy(outbox, Options.Notifications, Clock);
        Pipeline = new AlertPipeline(Hosts, Engine, Alerts, Db, policy, rules, Options, Logs.CreateLogger<AlertPipeline>());
        Pipeline.Resume(Clock.GetUtcNow());
    }

    /// <summary>A cpu frame of <paramref name="host"/> numbered <paramref name="seq"/>, stamped by the agent at <paramref name="timestamp"/>.</summary>
    public static FrameEnvelope Cpu(string host, double cpu, long seq, double timestamp) =>
        RuleFrames.Envelope($$"""{"hostname":"{{host}}","reporter":"cpu","timestamp":{{timestamp}},"interval":2,"seq":{{seq}},"cpu":{{cpu}},"cpu_cores":[{{cpu}}]}""");

    public FrameOutcome Receive(FrameEnvelope frame) => Pipeline.OnFrame(frame, Clock.GetUtcNow());

    /// <summary>Every alert transition event recorded, as "KIND host rule".</summary>
    public IReadOnlyList<string> Transitions() =>
        [.. Alerts.Events(new EventQuery { Limit = 10_000 }).Where(e => e.Rule is not null).OrderBy(e => e.Id).Select(e => $"{e.Kind.ToUpperInvariant()} {e.Host} {e.Rule}")];

    public void Dispose()
    {
        foreach (var db in _databases)
        {
            db.Dispose();
        }

        _dir.Dispose();
    }
}
