using System.Net.Mail;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests.Notifications;

/// <summary>
/// The aggregator's notification pieces, for real: a state database in a temporary directory, the policy, and the dispatcher
/// running as a hosted loop on the system clock with the real EmailSender and WebhookSender.
/// </summary>
internal sealed class NotificationRig : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public NotificationRig(NotificationOptions options)
    {
        Options = options;
        Db = new StateDatabase(_dir.Path);
        Outbox = new NotificationOutbox(Db);
        Policy = new NotificationPolicy(Outbox, options, TimeProvider.System);
        Dispatcher = new NotificationDispatcher(Outbox, options, new EmailSender(options.Email), new WebhookSender(_http), TimeProvider.System,
            Logs.CreateLogger<NotificationDispatcher>(), "aggregator.example.test");
    }

    public NotificationOptions Options { get; }

    public StateDatabase Db { get; }

    public NotificationOutbox Outbox { get; }

    public NotificationPolicy Policy { get; }

    public NotificationDispatcher Dispatcher { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>
    /// Email to ops@example.test through the server on 127.0.0.1:<paramref name="smtpPort"/>; fast retries and digests; group_wait
    /// 0 (one email per alert) unless a test sets it.
    /// </summary>
    public static NotificationOptions WithEmail(int smtpPort) => new()
    {
        GroupWait = TimeSpan.Zero,
        RetryInitial = TimeSpan.FromSeconds(0.2),
        RetryMax = TimeSpan.FromSeconds(1),
        Email = new EmailOptions
        {
            Enabled = true,
            SmtpHost = "127.0.0.1",
            SmtpPort = smtpPort,
            From = new MailAddress("psistats@example.test"),
            To = [new MailAddress("ops@example.test")],
            DigestInterval = TimeSpan.FromSeconds(1),
            Timeout = TimeSpan.FromSeconds(5),
        },
    };

    public static AlertTransition Firing(string host, Severity severity, string rule = "disk_space", string instance = "/var")
    {
        var now = DateTimeOffset.UtcNow;
        var key = new AlertKey(rule, host, instance);
        return new AlertTransition
        {
            Key = key,
            Severity = severity,
            Kind = TransitionKinds.Firing,
            At = now,
            Value = "93",
            Threshold = "> 90",
            Message = "pcent 93 > 90",
            FiringSince = now,
            Alert = new ActiveAlert
            {
                Key = key,
                Severity = severity,
                State = AlertState.Firing,
                PendingSince = now,
                FiringSince = now,
                Value = "93",
                Threshold = "> 90",
                Summary = "pcent 93 > 90",
                LastMatch = now,
            },
        };
    }

    /// <summary>Runs the policy on <paramref name="transition"/> in one transaction, as the aggregator's pipeline does.</summary>
    public NotificationOutcome Commit(AlertTransition transition, IReadOnlyList<string>? notifiers = null) =>
        Db.Write((connection, transaction) => Policy.Plan(connection, transaction, transition, notifiers, DateTimeOffset.UtcNow));

    public Task StartAsync() => Dispatcher.StartAsync(CancellationToken.None);

    /// <summary>Waits until every outbox row is sent.</summary>
    public Task AllSentAsync() =>
        Eventually.TrueAsync(() => Outbox.Counts().Pending == 0, TimeSpan.FromSeconds(30), $"an empty outbox (log: {string.Join(" | ", Logs.Lines)})");

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.StopAsync(CancellationToken.None);
        Dispatcher.Dispose();
        _http.Dispose();
        Db.Dispose();
        _dir.Dispose();
    }
}
