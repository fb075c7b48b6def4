using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Configuration;
using Psistats.Aggregator.Remediation;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Remediation;

/// <summary>
/// A real state database in a temporary directory, the remediation watch over it, a fake clock, and the critical alerts it
/// raised. <see cref="Restart"/> opens a new database and watch on the same directory, as an aggregator restarted after
/// being killed (nothing of the old watch is shut down).
/// </summary>
internal sealed class RemediationBed : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = new();
    private readonly List<StateDatabase> _databases = [];

    public RemediationBed(params MinerOptions[] miners)
        : this(50, miners)
    {
    }

    public RemediationBed(double fleetGuardPercent, params MinerOptions[] miners)
        : this(fleetGuardPercent, new Dictionary<string, string?>(), miners)
    {
    }

    /// <summary>A bed whose rule set reads <paramref name="ruleSettings"/> (e.g. <c>rule:remediation_max_reboots:enabled</c> = <c>no</c>).</summary>
    public RemediationBed(double fleetGuardPercent, IDictionary<string, string?> ruleSettings, params MinerOptions[] miners)
    {
        Rules = RuleSet.Read(new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(ruleSettings).Build()), ["email"]);
        Options = new RemediationOptions
        {
            WorkDir = Path.Combine(_dir.Path, "work"),
            FleetGuardPercent = fleetGuardPercent,
            Miners = miners.Length == 0 ? [Miner("terra01")] : miners,
        };
        Restart();
    }

    public FakeTimeProvider Clock { get; } = new(T0);

    public RemediationOptions Options { get; private set; }

    public RuleSet Rules { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public StateDatabase Db { get; private set; } = null!;

    public AlertStore Alerts { get; private set; } = null!;

    public RemediationStore Store { get; private set; } = null!;

    public MinerWatch Watch { get; private set; } = null!;

    /// <summary>Every alert transition the watch raised, in order.</summary>
    public List<AlertTransition> Raised { get; } = [];

    public DateTimeOffset Now => Clock.GetUtcNow();

    public string Directory => _dir.Path;

    public static MinerOptions Miner(string name, string? restart = null, int maxErrors = 3, int maxReboots = 3, double cooldownSeconds = 120) => new()
    {
        Name = name,
        Host = "127.0.0.1",
        IdentityFile = "/nonexistent/id_ed25519",
        KnownHostsFile = "/nonexistent/known_hosts",
        RestartCommand = restart,
        MaxErrors = maxErrors,
        MaxReboots = maxReboots,
        Cooldown = TimeSpan.FromSeconds(cooldownSeconds),
    };

    /// <summary>A restart with other miners configured.</summary>
    public void Restart(params MinerOptions[] miners)
    {
        Options = Options with { Miners = miners };
        Restart();
    }

    /// <summary>A new database connection and a new watch over the same directory; the critical alerts are recorded like the lead's pipeline does.</summary>
    public void Restart()
    {
        Db = new StateDatabase(_dir.Path);
        _databases.Add(Db);
        Alerts = new AlertStore(Db);
        Store = new RemediationStore(Db);
        Watch = new MinerWatch(Options, Store, Alerts, Rules, Clock, Logs.CreateLogger<MinerWatch>());
        var db = Db;
        Watch.AlertsRaised += (transitions, _) =>
        {
            Raised.AddRange(transitions);
            db.Write((connection, transaction) =>
            {
                foreach (var t in transitions)
                {
                    AlertStore.ApplyTransition(connection, transaction, t);
                }

                return 0;
            });
        };
    }

    public static FrameEnvelope Frame(string host, bool apiOk = true, double interval = 30)
    {
        var json = $$"""{"hostname":"{{host}}","reporter":"cgminer","timestamp":1,"interval":{{interval}},"api_ok":{{(apiOk ? "true" : "false")}},"asc":[{"ASC":0,"Status":"{{(apiOk ? "Alive" : "Sick")}}"}]}""";
        Assert.Equal(FrameRejection.None, FrameEnvelope.TryParse(Encoding.UTF8.GetBytes(json), 1 << 20, out var frame, out _));
        return frame!;
    }

    /// <summary>One poll of <paramref name="host"/> now, then the clock moves 30 s.</summary>
    public void Poll(string host, PollKind kind)
    {
        Watch.Observe(Frame(host), kind, kind == PollKind.Error ? ["cointerra_asic_status 0: Sick != Alive"] : [], Now);
        Clock.Advance(TimeSpan.FromSeconds(30));
    }

    public void Polls(string host, PollKind kind, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Poll(host, kind);
        }
    }

    /// <summary>The plans queued so far (taken from the channel).</summary>
    public List<RemediationPlan> TakePlans()
    {
        var plans = new List<RemediationPlan>();
        while (Watch.Plans.TryRead(out var plan))
        {
            plans.Add(plan);
        }

        return plans;
    }

    /// <summary>What the runner does around its steps: the action recorded as sent, then the end of the run.</summary>
    public DateTimeOffset Complete(RemediationPlan plan)
    {
        Watch.ActionSending(plan, Now);
        return Watch.Finish(plan, Now, interrupted: false);
    }

    public MinerStatus Status(string name) => Watch.Status(Now).Single(s => s.Name == name);

    public IReadOnlyList<StoredEvent> Events(string? kind = RemediationEvents.Kind) => Alerts.Events(new EventQuery { Kind = kind, Limit = 1000 });

    /// <summary>The files of a .tar.gz, by entry name, as UTF-8 text.</summary>
    public static Dictionary<string, string> ReadTarGz(byte[] bytes)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            using var reader = new StreamReader(entry.DataStream ?? Stream.Null, Encoding.UTF8);
            files[entry.Name] = reader.ReadToEnd();
        }

        return files;
    }

    public void Dispose()
    {
        foreach (var db in _databases)
        {
            db.Dispose();
        }

        _dir.Dispose();
    }
}
