using Psistats.Contracts.Configuration;

namespace Psistats.Aggregator.Notifications;

/// <summary>
/// Everything the notifications read from psistats.ini: <c>[notifications]</c> (repeat interval, resolve notices, retry
/// backoff, grouping), <c>[email]</c>, each <c>[webhook:NAME]</c> and each <c>[silence:NAME]</c>. Names follow Alertmanager
/// (<c>repeat_interval</c>, <c>send_resolved</c>, <c>group_wait</c>).
/// </summary>
public sealed record NotificationOptions
{
    /// <summary>The section of the shared settings.</summary>
    public const string Section = "notifications";

    /// <summary>Keys of <c>[notifications]</c>.</summary>
    public static readonly string[] Keys = ["repeat_interval", "send_resolved", "retry_initial", "retry_max", "group_wait", "group_max"];

    /// <summary>
    /// <c>repeat_interval</c>: an alert still firing is notified again when its last notification is this old, default 4 h;
    /// <see cref="TimeSpan.Zero"/> = never.
    /// </summary>
    public TimeSpan RepeatInterval { get; init; } = TimeSpan.FromHours(4);

    /// <summary><c>send_resolved</c>: send a resolve notice (with the alert's duration) when a notified alert resolves, default yes.</summary>
    public bool SendResolved { get; init; } = true;

    /// <summary><c>retry_initial</c>: wait after a first failed send, default 5 s; doubled after each further failure.</summary>
    public TimeSpan RetryInitial { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>retry_max</c>: the longest wait between two attempts, default 5 min.</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>group_wait</c>: how long an immediate alert notification (firing, repeat or resolve notice sent at once: email of error
    /// and critical, every webhook) waits so that others of the same group (notifier, recipients, rule, kind, severity) join it
    /// in one message, default 10 s (Alertmanager's group_wait); <see cref="TimeSpan.Zero"/> = no grouping, one message per
    /// notification at once.
    /// </summary>
    public TimeSpan GroupWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>group_max</c>: the most notifications in one grouped message, default 1000; the rest of the group follow in the next ones.</summary>
    public int GroupMax { get; init; } = 1000;

    /// <summary>Whether immediate alert notifications are grouped (<see cref="GroupWait"/> above 0).</summary>
    public bool Grouping => GroupWait > TimeSpan.Zero;

    /// <summary><c>[email]</c>.</summary>
    public EmailOptions Email { get; init; } = new();

    /// <summary>Each <c>[webhook:NAME]</c>.</summary>
    public IReadOnlyList<WebhookOptions> Webhooks { get; init; } = [];

    /// <summary>Each <c>[silence:NAME]</c> (loaded into the silence store at start-up, upserted by name).</summary>
    public IReadOnlyList<SilenceSpec> Silences { get; init; } = [];

    /// <summary>
    /// Every notifier name a rule's <c>notifiers</c> may list: <c>email</c> and each webhook NAME (disabled ones too:
    /// naming them is not an error, they are just not sent to). Case-insensitive.
    /// </summary>
    public IReadOnlySet<string> NotifierNames =>
        new HashSet<string>([EmailOptions.Section, .. Webhooks.Select(w => w.Name)], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The wait before attempt <paramref name="attempts"/> + 1 after <paramref name="attempts"/> (≥ 1) failed ones:
    /// <see cref="RetryInitial"/> × 2^(attempts − 1), at most <see cref="RetryMax"/>.
    /// </summary>
    public TimeSpan Backoff(int attempts)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 30);
        var wait = RetryInitial * Math.Pow(2, doublings);
        return wait < RetryMax ? wait : RetryMax;
    }

    /// <summary>Reads and validates every notification section; problems go to <paramref name="reader"/> as <c>[section] key: message</c>.</summary>
    public static NotificationOptions Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.CheckUnknownKeys(Section, Keys);
        var defaults = new NotificationOptions();
        var retryInitial = reader.GetSeconds(Section, "retry_initial", defaults.RetryInitial.TotalSeconds, 0.1, 3600);
        var retryMax = reader.GetSeconds(Section, "retry_max", defaults.RetryMax.TotalSeconds, 0.1, 86400);
        if (retryMax < retryInitial)
        {
            reader.AddError(Section, "retry_max", $"{retryMax.TotalSeconds} s is below retry_initial ({retryInitial.TotalSeconds} s)");
            retryMax = retryInitial;
        }

        return new NotificationOptions
        {
            RepeatInterval = reader.GetSeconds(Section, "repeat_interval", defaults.RepeatInterval.TotalSeconds, 0, 86400 * 365),
            SendResolved = reader.GetBool(Section, "send_resolved", defaults.SendResolved),
            RetryInitial = retryInitial,
            RetryMax = retryMax,
            GroupWait = reader.GetSeconds(Section, "group_wait", defaults.GroupWait.TotalSeconds, 0, 3600),
            GroupMax = (int)reader.GetInt(Section, "group_max", defaults.GroupMax, 1, 100_000),
            Email = EmailOptions.Read(reader),
            Webhooks = WebhookOptions.ReadAll(reader),
            Silences = SilenceSpec.ReadAll(reader),
        };
    }
}
