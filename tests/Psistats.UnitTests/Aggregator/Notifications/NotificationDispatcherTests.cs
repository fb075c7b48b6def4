using System.Net.Mail;
using System.Text.Json.Nodes;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Notifications;

public sealed class NotificationDispatcherTests
{
    private static (NotificationDispatcher Dispatcher, FakeSenders Senders, CapturingLoggerProvider Logs) Dispatcher(NotificationBed bed) => FakeSenders.Dispatcher(bed);

    [Fact]
    public async Task An_immediate_email_is_sent_once_with_a_stable_message_id_and_marked_sent()
    {
        using var bed = new NotificationBed();
        var (dispatcher, senders, _) = Dispatcher(bed);
        var ids = bed.Commit(NotificationBed.Firing(), ["email"]).OutboxIds;

        Assert.Equal(1, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        var email = Assert.Single(senders.Emails);
        Assert.Equal($"<psistats-outbox-{ids[0]}@aggregator.example.org>", email.MessageId);
        Assert.Equal("ops@example.org", email.Recipients);
        Assert.Equal("[psistats] FIRING error: server1 disk_space /var (93 > 90)", email.Subject);
        Assert.Equal(bed.Now, bed.Outbox.Get(ids[0])!.SentAt);
        Assert.Empty(bed.Pending());
        Assert.Equal(1, dispatcher.Health().Sent);
    }

    [Fact]
    public async Task Warnings_within_one_digest_window_are_one_email_with_a_line_each()
    {
        using var bed = new NotificationBed();
        var (dispatcher, senders, _) = Dispatcher(bed);
        bed.Commit(NotificationBed.Firing(host: "server1", severity: Severity.Warning));
        bed.Clock.Advance(TimeSpan.FromSeconds(20));
        bed.Commit(NotificationBed.Firing(host: "server2", severity: Severity.Warning));
        bed.Clock.Advance(TimeSpan.FromSeconds(20));
        bed.Commit(NotificationBed.Firing(host: "server3", instance: "", rule: "load", severity: Severity.Info));

        bed.Clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        bed.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        var digest = Assert.Single(senders.Emails);
        Assert.Equal("[psistats] DIGEST: 3 notifications (2 warning, 1 info) on server1, server2, server3", digest.Subject);
        Assert.Matches(@"^<psistats-outbox-\d+-digest-[0-9a-f]{12}@aggregator\.example\.org>$", digest.MessageId);
        var lines = digest.Body.Split('\n');
        Assert.Equal("3 notifications since 2026-01-01T00:00:00Z:", lines[0]);
        Assert.Equal("[FIRING warning] Host: server1, rule disk_space, instance /var: value 93, threshold > 90, since 2026-01-01T00:00:00Z", lines[2]);
        Assert.Equal("[FIRING warning] Host: server2, rule disk_space, instance /var: value 93, threshold > 90, since 2026-01-01T00:00:00Z", lines[3]);
        Assert.Equal("[FIRING info] Host: server3, rule load: value 93, threshold > 90, since 2026-01-01T00:00:00Z", lines[4]);
        Assert.Empty(bed.Pending());
    }

    [Fact]
    public async Task Digests_are_grouped_per_recipient_set()
    {
        var options = NotificationBed.DefaultOptions();
        options = options with
        {
            Email = options.Email with { ToBySeverity = new Dictionary<Severity, IReadOnlyList<MailAddress>> { [Severity.Info] = [new("noc@example.org")] } },
        };
        using var bed = new NotificationBed(options);
        var (dispatcher, senders, _) = Dispatcher(bed);
        bed.Commit(NotificationBed.Firing(host: "a", severity: Severity.Warning));
        bed.Commit(NotificationBed.Firing(host: "b", severity: Severity.Info));
        bed.Commit(NotificationBed.Firing(host: "c", severity: Severity.Warning));

        bed.Clock.Advance(TimeSpan.FromMinutes(1));
        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(2, senders.Emails.Count);
        Assert.Contains(senders.Emails, e => e.Recipients == "ops@example.org" && e.Subject.Contains("2 notifications (2 warning) on a, c", StringComparison.Ordinal));
        Assert.Contains(senders.Emails, e => e.Recipients == "noc@example.org" && e.Subject.Contains("1 notification (1 info) on b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_send_is_retried_with_doubling_backoff_up_to_retry_max_logged_once_and_sent_once_back()
    {
        using var bed = new NotificationBed(NotificationBed.DefaultOptions() with { RetryInitial = TimeSpan.FromSeconds(5), RetryMax = TimeSpan.FromSeconds(60) });
        var (dispatcher, senders, logs) = Dispatcher(bed);
        var id = bed.Commit(NotificationBed.Firing(), ["email"]).OutboxIds[0];
        senders.Failure = new SmtpException("Failure sending mail.", new IOException("Connection refused"));
        var attemptTimes = new List<double>();

        for (var second = 0; second <= 200; second++)
        {
            var before = senders.Attempts;
            await dispatcher.DispatchOnceAsync(CancellationToken.None);
            if (senders.Attempts > before)
            {
                attemptTimes.Add((bed.Now - NotificationBed.T0).TotalSeconds);
            }

            bed.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        // 0, +5, +10, +20, +40, then every 60 s (retry_max).
        Assert.Equal([0, 5, 15, 35, 75, 135, 195], attemptTimes);
        var row = bed.Outbox.Get(id)!;
        Assert.Null(row.SentAt);
        Assert.Equal(7, row.Attempts);
        Assert.Equal(NotificationBed.T0.AddSeconds(255), row.NextAttemptAt);
        Assert.Equal("Failure sending mail.: Connection refused", row.LastError);
        var health = dispatcher.Health();
        Assert.Equal((1L, 1L, 7L, 0L), (health.Pending, health.Failing, health.FailedAttempts, health.Sent));
        Assert.Equal("email: Failure sending mail.: Connection refused", health.LastError);
        Assert.Equal(["email"], health.FailingNotifiers);
        Assert.Single(logs.Lines, l => l.StartsWith("Warning: Notifier email failing", StringComparison.Ordinal));

        senders.Failure = null;
        bed.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Single(senders.Emails);
        Assert.NotNull(bed.Outbox.Get(id)!.SentAt);
        Assert.Single(logs.Lines, l => l.Contains("Notifier email delivering again after 7 failed attempts", StringComparison.Ordinal));
        Assert.Empty(dispatcher.Health().FailingNotifiers);
    }

    [Fact]
    public async Task While_a_notifier_fails_its_other_rows_wait_instead_of_each_trying()
    {
        using var bed = new NotificationBed();
        var (dispatcher, senders, _) = Dispatcher(bed);
        foreach (var host in new[] { "a", "b", "c" })
        {
            bed.Commit(NotificationBed.Firing(host: host), ["email"]);
        }

        senders.Failure = new SmtpException("down");
        await dispatcher.DispatchOnceAsync(CancellationToken.None);
        bed.Clock.Advance(TimeSpan.FromSeconds(5));
        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(2, senders.Attempts);
        senders.Failure = null;
        bed.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal(["a", "b", "c"], senders.Emails.Select(e => e.Subject.Split(' ')[3]).Order());
    }

    [Fact]
    public async Task A_webhook_gets_the_json_payload_with_its_message_id()
    {
        using var bed = new NotificationBed();
        var (dispatcher, senders, _) = Dispatcher(bed);
        var id = bed.Commit(NotificationBed.Firing(severity: Severity.Critical), ["chat"]).OutboxIds[0];

        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        var (hook, json) = Assert.Single(senders.Posts);
        Assert.Equal("chat", hook);
        var payload = JsonNode.Parse(json)!.AsObject();
        Assert.Equal($"<psistats-outbox-{id}@aggregator.example.org>", (string?)payload["message_id"]);
        Assert.Equal(["kind", "severity", "rule", "host", "instance", "value", "threshold", "since", "at", "duration_seconds", "summary", "subject", "body", "message_id"],
            payload.Select(p => p.Key));
        Assert.Equal("critical", (string?)payload["severity"]);
    }

    [Fact]
    public async Task A_row_for_a_webhook_no_longer_configured_is_kept_and_retried_not_dropped()
    {
        using var bed = new NotificationBed();
        var id = bed.Commit(NotificationBed.Firing(), ["chat"]).OutboxIds[0];
        var senders = new FakeSenders();
        var logs = new CapturingLoggerProvider();
        var withoutHook = new NotificationDispatcher(bed.Outbox, bed.Options with { Webhooks = [] }, senders, senders, bed.Clock, logs.CreateLogger<NotificationDispatcher>());

        await withoutHook.DispatchOnceAsync(CancellationToken.None);

        var row = bed.Outbox.Get(id)!;
        Assert.Null(row.SentAt);
        Assert.Equal(1, row.Attempts);
        Assert.Equal("no enabled [webhook:chat] in the configuration", row.LastError);
    }

    [Fact]
    public async Task Sent_rows_are_pruned_after_the_retention_and_unsent_ones_never()
    {
        using var bed = new NotificationBed();
        var (dispatcher, senders, _) = Dispatcher(bed);
        var sentId = bed.Commit(NotificationBed.Firing(host: "a"), ["email"]).OutboxIds[0];
        await dispatcher.DispatchOnceAsync(CancellationToken.None);
        senders.Failure = new SmtpException("down");
        var failingId = bed.Commit(NotificationBed.Firing(host: "b"), ["email"]).OutboxIds[0];

        bed.Clock.Advance(NotificationOutbox.SentRetention + TimeSpan.FromHours(2));
        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Null(bed.Outbox.Get(sentId));
        Assert.NotNull(bed.Outbox.Get(failingId));
    }

    [Fact]
    public async Task The_background_loop_sends_on_its_own_clock_ticks()
    {
        using var bed = new NotificationBed();
        var (dispatcher, senders, _) = Dispatcher(bed);
        using var stop = new CancellationTokenSource();
        await dispatcher.StartAsync(stop.Token);
        try
        {
            bed.Commit(NotificationBed.Firing(severity: Severity.Warning), ["email"]);
            bed.Clock.Advance(TimeSpan.FromSeconds(30));
            bed.Clock.Advance(TimeSpan.FromSeconds(30));

            await Eventually.TrueAsync(() => senders.Emails.Count == 1, TimeSpan.FromSeconds(10), "the digest sent by the loop");
            Assert.StartsWith("[psistats] DIGEST: 1 notification", senders.Emails[0].Subject, StringComparison.Ordinal);
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
            dispatcher.Dispose();
        }
    }
}
