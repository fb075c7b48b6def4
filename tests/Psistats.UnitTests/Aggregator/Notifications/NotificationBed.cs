using System.Net.Mail;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Notifications;

/// <summary>A real state database in a temporary directory, the notification pieces over it, and a fake clock.</summary>
internal sealed class NotificationBed : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = new();

    public NotificationBed(NotificationOptions? options = null, Func<string, bool>? held = null)
    {
        Options = options ?? DefaultOptions();
        Db = new StateDatabase(_dir.Path);
        Outbox = new NotificationOutbox(Db);
        Silences = new SilenceStore(Db);
        Policy = new NotificationPolicy(Outbox, Options, Clock, held);
    }

    public FakeTimeProvider Clock { get; } = new(T0);

    public NotificationOptions Options { get; }

    public StateDatabase Db { get; }

    public NotificationOutbox Outbox { get; }

    public SilenceStore Silences { get; }

    public NotificationPolicy Policy { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>
    /// Email to ops@example.org, one webhook "chat" for errors and up; group_wait 0 (one message per notification at once:
    /// the grouping tests set it).
    /// </summary>
    public static NotificationOptions DefaultOptions() => new()
    {
        GroupWait = TimeSpan.Zero,
        Email = new EmailOptions
        {
            Enabled = true,
            From = new MailAddress("psistats@example.org"),
            To = [new MailAddress("ops@example.org")],
        },
        Webhooks = [new WebhookOptions { Name = "chat", Url = new Uri("http://127.0.0.1:1/hook"), MinSeverity = Severity.Error }],
    };

    public static AlertTransition Firing(string host = "server1", string rule = "disk_space", string instance = "/var",
        Severity severity = Severity.Error, DateTimeOffset? at = null)
    {
        var when = at ?? T0;
        var key = new AlertKey(rule, host, instance);
        return new AlertTransition
        {
            Key = key,
            Severity = severity,
            Kind = TransitionKinds.Firing,
            At = when,
            Value = "93",
            Threshold = "> 90",
            Message = "pcent 93 > 90",
            FiringSince = when,
            Alert = Active(key, severity, when),
        };
    }

    public static ActiveAlert Active(AlertKey key, Severity severity, DateTimeOffset firingSince) => new()
    {
        Key = key,
        Severity = severity,
        State = AlertState.Firing,
        PendingSince = firingSince,
        FiringSince = firingSince,
        Value = "93",
        Threshold = "> 90",
        Summary = "pcent 93 > 90",
        Matches = 1,
        LastMatch = firingSince,
    };

    public static AlertTransition Resolved(AlertTransition firing, DateTimeOffset at) => firing with
    {
        Kind = TransitionKinds.Resolved,
        At = at,
        Value = "80",
        Message = "pcent 80 <= 90",
        Duration = at - firing.At,
        Alert = null,
    };

    /// <summary>Runs the policy on <paramref name="transition"/> in one transaction, as the lead's pipeline does.</summary>
    public NotificationOutcome Commit(AlertTransition transition, IReadOnlyList<string>? notifiers = null) =>
        Db.Write((connection, transaction) => Policy.Plan(connection, transaction, transition, notifiers, Now));

    /// <summary>Runs the policy on every transition in one transaction (a burst the pipeline commits in one batch); returns the outbox ids.</summary>
    public IReadOnlyList<long> CommitAll(IEnumerable<AlertTransition> transitions, IReadOnlyList<string>? notifiers = null) =>
        Db.Write((connection, transaction) => transitions.SelectMany(t => Policy.Plan(connection, transaction, t, notifiers, Now).OutboxIds).ToList());

    public IReadOnlyList<OutboxRow> Pending() => Outbox.Pending(1000);

    public void Dispose()
    {
        Db.Dispose();
        _dir.Dispose();
    }
}
