using System.Diagnostics;
using System.Net.Mail;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Consuming;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Pipeline;
using Psistats.Aggregator.Remediation;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.State;
using Psistats.Aggregator.Storage;
using Psistats.Aggregator.Web;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;
using Psistats.UnitTests.Aggregator.Remediation;
using Psistats.UnitTests.Aggregator.Rules;

namespace Psistats.UnitTests.Aggregator.Fuzzing;

/// <summary>Something of the aggregator threw (or answered wrongly) while a generated run was replayed.</summary>
internal sealed class FuzzFailure(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The aggregator's frame path without the broker, wired as Program.cs wires it, over a real state database in a temporary
/// directory and a fake clock: the consumer's parse (<see cref="FrameEnvelope.TryParseInPlace"/> and its counts), the
/// <see cref="AlertPipeline"/> with the miner watch subscribed, the periodic work (the pipeline's tick, the watch's tick, the
/// notification dispatcher's pass with senders that build the real email and check the webhook JSON), a remediation
/// runner's frame-derived work (reports and bundle, SSH left out), and every GET route of the HTTP API (<see cref="ApiRoutes"/>).
/// A step that throws (a SqliteException from OnFrame excepted: the consumer requeues the frame) is a failure, named with
/// the line of the aggregator that threw.
/// </summary>
internal sealed class AggregatorBed : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Ticks come this often while the aggregator waits (DownDetector: every second; more than 5 s apart is a stall).</summary>
    public static readonly TimeSpan TickEvery = TimeSpan.FromSeconds(5);

    /// <summary>Waits are ticked finely up to this long (DOWN detection, staleness), then jump to their end.</summary>
    public static readonly TimeSpan FineWait = TimeSpan.FromMinutes(3);

    /// <summary>User rules of every kind of condition, on every reporter, beside the built-ins (the Diskmonitor ones switched on).</summary>
    public const string RulesIni = """
        [rule:cpu_busy]
        reporter = cpu
        condition = cpu > 90
        for = 2
        severity = error
        [rule:core_busy]
        reporter = cpu
        condition = cpu_cores[*] >= 99
        hysteresis = 5
        [rule:mem_full]
        reporter = mem
        condition = mem > 95
        for = 30s
        clear = mem < 80
        severity = critical
        [rule:swap_used]
        reporter = mem
        condition = swap_used > 1Gi
        [rule:uptime_reset]
        condition = uptime < 600
        severity = info
        [rule:cpu_hot]
        reporter = cpu_temp
        condition = cpu_temp >= 80
        severity = error
        [rule:no_cpu_sensor]
        reporter = cpu_temp
        condition = cpu_temp == null
        severity = info
        [rule:sensor_hot]
        reporter = sensors
        condition = sensors[*].temperatures[*].value > 90
        [rule:zone_hot]
        reporter = sensors
        condition = thermal_zones[*].temp >= 95
        for = 1m
        [rule:drive_hot]
        reporter = hddtemp
        condition = hddtemp.*.temp > 50
        severity = error
        [rule:load_high]
        hosts = web*, db*
        condition = load1 > 10
        [rule:net_errors]
        reporter = net
        condition = *.rx_errors/s > 0
        [rule:kernel]
        reporter = os
        condition = kernel != 6.1.0-18-amd64
        severity = info
        [rule:loopback_address]
        reporter = ipaddr
        condition = interfaces.*.ipv4[*] == 127.0.0.1
        [rule:pool_dead]
        hosts = terra*
        reporter = cgminer
        condition = pools[*].Status != Alive
        severity = error
        [rule:fan_slow]
        reporter = cgminer
        condition = boards[*].fan_speed < 1k
        [rule:disk_io_util]
        threshold = 80
        [rule:disk_io_r_await]
        threshold = 100
        [rule:disk_space]
        threshold = 95
        """;

    private static readonly MailAddress From = new("psistats@example.org");

    private readonly TempDir _dir = new();
    private readonly StateDatabase _db;
    private readonly HostStateStore _hosts;
    private readonly AlertEngine _engine;
    private readonly AlertStore _alerts;
    private readonly SilenceStore _silences;
    private readonly MinerWatch _watch;
    private readonly AlertPipeline _pipeline;
    private readonly ConsumerStats _stats = new() { Connected = true };
    private readonly NotificationDispatcher _dispatcher;
    private readonly Senders _senders;
    private readonly IServiceProvider _services;
    private readonly HashSet<string> _hostnames = new(StringComparer.Ordinal);
    private readonly List<(string Key, string Text, Exception? Error)> _failures = [];
    private readonly HashSet<string> _served = new(StringComparer.Ordinal);
    private int _frame;
    private int _remediations;

    public AggregatorBed()
    {
        var notifications = new NotificationOptions
        {
            Email = new EmailOptions { Enabled = true, From = From, To = [new MailAddress("ops@example.org")] },
            Webhooks = [new WebhookOptions { Name = "chat", Url = new Uri("http://127.0.0.1:1/hook"), MinSeverity = Severity.Warning }],
            Silences = [new SilenceSpec { Name = "db-maintenance", Host = "db*", Until = T0.AddYears(10), Comment = "planned" }],
        };
        Options = new AggregatorOptions
        {
            StateDir = _dir.Path,
            Notifications = notifications,
            Rules = RuleFrames.Valid(RulesIni, "email", "chat"),
            Remediation = new RemediationOptions
            {
                WorkDir = Path.Combine(_dir.Path, "remediation"),
                Miners = [RemediationBed.Miner("terra01", restart: "/etc/init.d/cgminer restart", maxErrors: 2, maxReboots: 1), RemediationBed.Miner("terra02")],
            },
        };

        _db = new StateDatabase(Options.StateDir);
        _alerts = new AlertStore(_db);
        _engine = new AlertEngine(Options.Rules, Options.StaleFactor);
        var outbox = new NotificationOutbox(_db);
        _silences = new SilenceStore(_db);
        _watch = new MinerWatch(Options.Remediation, new RemediationStore(_db), _alerts, Options.Rules, Clock, NullLogger<MinerWatch>.Instance);
        var policy = new NotificationPolicy(outbox, notifications, Clock, host => _watch.IsHeld(host, Clock.GetUtcNow()));
        _hosts = new HostStateStore(Options, NullLogger<HostStateStore>.Instance);
        _pipeline = new AlertPipeline(_hosts, _engine, _alerts, _db, policy, Options.Rules, Options, NullLogger<AlertPipeline>.Instance);
        _senders = new Senders(Path.Combine(_dir.Path, "mail"));
        _dispatcher = new NotificationDispatcher(outbox, notifications, _senders, _senders, Clock, NullLogger<NotificationDispatcher>.Instance, "aggregator.example.org");

        _silences.LoadConfigured(notifications.Silences, Now);
        _pipeline.Resume(Now);
        _pipeline.Evaluated += _watch.OnPoll;
        _watch.AlertsRaised += _pipeline.Raise;
        _services = ApiRoutes.Services(new Dictionary<Type, object>
        {
            [typeof(HostStateStore)] = _hosts,
            [typeof(AlertStore)] = _alerts,
            [typeof(AlertEngine)] = _engine,
            [typeof(SilenceStore)] = _silences,
            [typeof(TimeProvider)] = Clock,
            [typeof(RuleSet)] = Options.Rules,
            [typeof(MinerWatch)] = _watch,
            [typeof(ConsumerStats)] = _stats,
            [typeof(NotificationDispatcher)] = _dispatcher,
            [typeof(AggregatorOptions)] = Options,
            [typeof(DownDetector)] = new DownDetector(_pipeline, _stats, Clock, NullLogger<DownDetector>.Instance),
        });
    }

    private FakeTimeProvider Clock { get; } = new(T0);

    private AggregatorOptions Options { get; }

    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The route patterns <see cref="Serve"/> requested.</summary>
    public IReadOnlyCollection<string> Served => _served;

    /// <summary>
    /// Replays a run: each frame received and every route served at once, then <paramref name="gapsSeconds"/> of ticks
    /// (<see cref="Wait"/>); every route served again at the end. A step that fails is recorded and the run goes on, as the
    /// aggregator does (the consumer takes the next frame, the API the next request); then one <see cref="FuzzFailure"/> lists
    /// every distinct failure.
    /// </summary>
    public static void Replay(IReadOnlyList<string> frames, IReadOnlyList<int> gapsSeconds, FuzzCoverage? coverage = null)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(gapsSeconds.Count, frames.Count);
        using var bed = new AggregatorBed();
        for (var i = 0; i < frames.Count; i++)
        {
            bed.Receive(System.Text.Encoding.UTF8.GetBytes(frames[i]));
            bed.Serve();
            bed.Wait(TimeSpan.FromSeconds(gapsSeconds[i]));
        }

        bed.Serve();
        if (coverage is not null)
        {
            bed.Count(coverage);
        }

        if (bed._failures.Count > 0)
        {
            throw new FuzzFailure(
                $"{bed._failures.Count} distinct failure(s):\n" + string.Join("\n", bed._failures.Select((f, n) => $"{n + 1}. {f.Text}")),
                bed._failures.Select(f => f.Error).FirstOrDefault(e => e is not null));
        }
    }

    /// <summary>
    /// What the consumer does with one delivery (FrameConsumer.HandleAsync): parse in place, count a rejection, or apply the
    /// frame through the pipeline (the watch counting cgminer polls from its verdict), then run the remediations it decided.
    /// </summary>
    private void Receive(byte[] body)
    {
        _frame++;
        FrameRejection rejection;
        ParsedFrame? parsed;
        string? detail;
        try
        {
            rejection = FrameEnvelope.TryParseInPlace(body, Options.MaxFrameBytes, out parsed, out detail);
        }
        catch (Exception ex)
        {
            Fail("FrameEnvelope.TryParseInPlace threw", ex);
            return;
        }

        if (rejection != FrameRejection.None)
        {
            if (!Enum.IsDefined(rejection) || parsed is not null || string.IsNullOrWhiteSpace(detail))
            {
                Fail($"FrameEnvelope.TryParseInPlace rejected as {rejection} with parsed {(parsed is null ? "null" : "set")} and detail '{detail}'");
            }

            _stats.CountRejected(ConsumerStats.ReasonName(rejection));
            return;
        }

        if (parsed is null)
        {
            Fail("FrameEnvelope.TryParseInPlace accepted without a parsed frame");
            return;
        }

        using (parsed)
        {
            _hostnames.Add(parsed.Envelope.Hostname);
            try
            {
                _pipeline.OnFrame(parsed.Envelope, Now);
                _stats.CountAccepted();
            }
            catch (SqliteException)
            {
                // Documented: the consumer requeues the frame.
                _stats.CountRejected("state_db_error");
            }
            catch (Exception ex)
            {
                _stats.CountRejected("internal_error");
                Fail("AlertPipeline.OnFrame threw", ex);
            }
        }

        RunPlans();
    }

    /// <summary>
    /// The aggregator running for <paramref name="gap"/>: a tick now, then one every <see cref="TickEvery"/> for up to
    /// <see cref="FineWait"/>, then (for a longer gap) one at its end: to the aggregator a stall, then the clock moving on.
    /// </summary>
    private void Wait(TimeSpan gap)
    {
        var end = Now + gap;
        var fineEnd = Now + (gap < FineWait ? gap : FineWait);
        Tick();
        while (Now + TickEvery <= fineEnd)
        {
            Clock.Advance(TickEvery);
            Tick();
        }

        if (Now < end)
        {
            Clock.Advance(end - Now);
            Tick();
        }
    }

    /// <summary>Every GET route of the API, as a client would call it (hosts by the names the frames carried).</summary>
    public void Serve()
    {
        Get("/api/hosts");
        var kept = _hosts.Hosts(Now).Select(h => h.Hostname).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var host in _hostnames.Where(IsWellFormed))
        {
            // A URL path can only carry well-formed text: a name with a lone surrogate cannot be asked for. A host silent for
            // longer than forget_after is forgotten: 404 then.
            Get("/api/hosts/{host}", kept.Contains(host) ? 200 : 404, route: ("host", host));
        }

        Get("/api/hosts/{host}", 404, route: ("host", "no-such-host"));
        Get("/api/alerts");
        Get("/api/alerts", query: "?state=firing&severity=error");
        Get("/api/events", query: "?limit=10000");
        Get("/api/events", query: "?host=terra01&kind=remediation&limit=50");
        Get("/api/downtimes", query: "?limit=10000");
        Get("/api/downtimes", query: "?current=true");
        Get("/api/rules");
        Get("/api/silences");
        Get("/api/silences", query: "?ended=true");
        Get("/api/miners");
        Get("/healthz");
    }

    /// <summary>Adds what this bed went through to <paramref name="coverage"/>.</summary>
    private void Count(FuzzCoverage coverage)
    {
        coverage.Add("runs");
        coverage.Add("frames accepted", _stats.Accepted);
        foreach (var (reason, count) in _stats.Rejected)
        {
            coverage.Add($"frames rejected {reason}", count);
        }

        foreach (var kind in _alerts.Events(new EventQuery { Limit = Api.MaxEventLimit }).GroupBy(e => e.Kind))
        {
            coverage.Add($"events {kind.Key}", kind.Count());
        }

        coverage.Add("remediations", _remediations);
        coverage.Add("emails", _senders.Emails);
        coverage.Add("webhooks", _senders.Webhooks);
        coverage.Add("failures", _failures.Count);
    }

    public void Dispose()
    {
        _dispatcher.Dispose();
        _db.Dispose();
        _dir.Dispose();
    }

    private void Tick()
    {
        try
        {
            _pipeline.Tick(Now, consuming: true, connectedOnce: true);
        }
        catch (Exception ex)
        {
            Fail("AlertPipeline.Tick threw", ex);
        }

        try
        {
            _watch.Tick(Now);
        }
        catch (Exception ex)
        {
            Fail("MinerWatch.Tick threw", ex);
        }

        RunPlans();
        try
        {
            _dispatcher.DispatchOnceAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            Fail("NotificationDispatcher.DispatchOnceAsync threw", ex);
        }

        if (_senders.TakeFailure() is { } failure)
        {
            Fail("a notification could not be built for sending", failure);
        }
    }

    /// <summary>What RemediationRunner does with a plan that depends on the frames: the reports and the bundle (no SSH).</summary>
    private void RunPlans()
    {
        while (_watch.Plans.TryRead(out var plan))
        {
            try
            {
                _ = RemediationReport.StartSubject(plan) + RemediationReport.StartBody(plan);
                _watch.ActionSending(plan, Now);
                var action = new StepResult(RemediationStore.ActionName(plan.Action), false, "exit 0");
                var report = RemediationReport.ReportBody(plan, [action], plan.Miner.Cooldown, 1);
                var bundle = RemediationBundle.Build(new BundleContent
                {
                    Root = RemediationRunner.BundleName(plan),
                    At = Now,
                    Report = report,
                    LastGoodFrame = plan.LastGoodFrame,
                    LastGoodAt = plan.LastGoodAt,
                    ErrorPolls = plan.ErrorPolls,
                }, Options.Remediation!.BundleMaxBytes);
                _ = RemediationReport.ReportSubject(plan, action, bundle.Content is not null);
                _watch.Finish(plan, Now, interrupted: false);
                _remediations++;
            }
            catch (Exception ex)
            {
                Fail($"the remediation of {plan.Miner.Name} failed", ex);
            }
        }
    }

    private void Get(string pattern, int status = 200, string query = "", (string Name, string Value)? route = null)
    {
        _served.Add(pattern);
        int answered;
        string body;
        try
        {
            (answered, body) = ApiRoutes.Get(_services, pattern, query, route);
        }
        catch (Exception ex)
        {
            Fail($"GET {pattern}{query} threw", ex);
            return;
        }

        if (answered != status)
        {
            Fail($"GET {pattern}{query} answered {answered}, not {status}: {(body.Length > 300 ? body[..300] + "..." : body)}");
            return;
        }

        try
        {
            using var _ = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 1000 });
        }
        catch (JsonException ex)
        {
            Fail($"GET {pattern}{query} answered invalid JSON", ex);
        }
    }

    /// <summary>Records a failure, once per step, exception type and throwing line.</summary>
    private void Fail(string step, Exception? ex = null)
    {
        var where = ex is null ? "" : Where(ex);
        var key = $"{step}|{ex?.GetType().Name}|{where}";
        if (_failures.Exists(f => f.Key == key))
        {
            return;
        }

        var text = $"{step} (frame {_frame}, clock {Now:yyyy-MM-dd'T'HH:mm:ss'Z'})";
        if (ex is not null)
        {
            var inner = ex;
            while (inner.InnerException is { } next)
            {
                inner = next;
            }

            text += $": {ex.GetType().Name}: {ex.Message}{(ReferenceEquals(inner, ex) ? "" : $" ({inner.GetType().Name}: {inner.Message})")} at {where}";
        }

        _failures.Add((key, text, ex));
    }

    /// <summary>The first frame of the aggregator's own code in the exception's stack (innermost exception first).</summary>
    private static string Where(Exception ex)
    {
        var chain = new List<Exception>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            chain.Insert(0, e);
        }

        foreach (var e in chain)
        {
            var frame = new StackTrace(e, fNeedFileInfo: true).GetFrames().FirstOrDefault(f =>
                f.GetMethod()?.DeclaringType?.Namespace is { } ns && ns.StartsWith("Psistats.", StringComparison.Ordinal) && !ns.StartsWith("Psistats.UnitTests", StringComparison.Ordinal));
            if (frame is not null)
            {
                var method = frame.GetMethod()!;
                return $"{method.DeclaringType!.Name}.{method.Name} ({Path.GetFileName(frame.GetFileName())}:{frame.GetFileLineNumber()})";
            }
        }

        return "System.Text.Json, serialising the route's result";
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The notifiers: an email is built as EmailSender builds it and written by SmtpClient to a pickup directory (the whole
    /// MIME encoding, no SMTP server); a webhook's body must be JSON. The dispatcher catches a sender's exception (the row is
    /// retried later): the first one is kept for the bed to report.
    /// </summary>
    private sealed class Senders(string pickup) : IEmailSender, IWebhookSender
    {
        private Exception? _failure;

        public int Emails { get; private set; }

        public int Webhooks { get; private set; }

        public Exception? TakeFailure()
        {
            var failure = _failure;
            _failure = null;
            return failure;
        }

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            try
            {
                Directory.CreateDirectory(pickup);
                using var mail = EmailSender.Build(message, From);
                using var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = pickup };
                client.Send(mail);
                Emails++;
            }
            catch (Exception ex)
            {
                _failure ??= ex;
                throw;
            }

            return Task.CompletedTask;
        }

        public Task SendAsync(WebhookOptions hook, string json, CancellationToken cancellationToken)
        {
            try
            {
                using var _ = JsonDocument.Parse(json);
                Webhooks++;
            }
            catch (Exception ex)
            {
                _failure ??= ex;
                throw;
            }

            return Task.CompletedTask;
        }
    }
}
