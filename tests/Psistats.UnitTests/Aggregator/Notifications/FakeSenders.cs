using Psistats.Aggregator.Notifications;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Notifications;

/// <summary>Records what it is asked to send; fails while <see cref="Failure"/> is set.</summary>
internal sealed class FakeSenders : IEmailSender, IWebhookSender
{
    public List<EmailMessage> Emails { get; } = [];

    public List<(string Hook, string Json)> Posts { get; } = [];

    public int Attempts { get; private set; }

    public Exception? Failure { get; set; }

    /// <summary>A dispatcher over <paramref name="bed"/> sending through new fake senders, Message-IDs <c>@aggregator.example.org</c>.</summary>
    public static (NotificationDispatcher Dispatcher, FakeSenders Senders, CapturingLoggerProvider Logs) Dispatcher(NotificationBed bed)
    {
        var senders = new FakeSenders();
        var logs = new CapturingLoggerProvider();
        var dispatcher = new NotificationDispatcher(bed.Outbox, bed.Options, senders, senders, bed.Clock, logs.CreateLogger<NotificationDispatcher>(), "aggregator.example.org");
        return (dispatcher, senders, logs);
    }

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        Attempts++;
        if (Failure is not null)
        {
            throw Failure;
        }

        Emails.Add(message);
        return Task.CompletedTask;
    }

    public Task SendAsync(WebhookOptions hook, string json, CancellationToken cancellationToken)
    {
        Attempts++;
        if (Failure is not null)
        {
            throw Failure;
        }

        Posts.Add((hook.Name, json));
        return Task.CompletedTask;
    }
}
