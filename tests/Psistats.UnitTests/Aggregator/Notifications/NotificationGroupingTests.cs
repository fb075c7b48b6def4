using System.Net.Mail;
using System.Text.Json.Nodes;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;

namespace Psistats.UnitTests.Aggregator.Notifications;

/// <summary>group_wait and group_max: a burst of immediate notifications of one rule goes out as one message (Alertmanager's group_wait).</summary>
public sealed class NotificationGroupingTests
{
    private const string GroupMessageId = @"^<psistats-outbox-\d+-group-[0-9a-f]{12}@aggregator\.example\.org>$";

    private static readonly TimeSpan GroupWait = TimeSpan.FromSeconds(10);

    private static NotificationOptions Grouped(int groupMax = 1000) => NotificationBed.DefaultOptions() with { GroupWait = GroupWait, GroupMax = groupMax };

    private static AlertTransition HostDown(NotificationBed bed, string host) =>
        NotificationBed.Firing(host: host, rule: "host_down", instance: "", at: bed.Now);

    private static IEnumerable<AlertTransition> HostsDown(NotificationBed bed, int from, int count) =>
        Enumerable.Range(from, count).Select(i => HostDown(bed, $"h{i:0000}"));

    [Fact]
    public async Task A_burst_of_2000_host_down_alerts_is_two_emails_of_group_max_1000_and_every_row_is_marked_sent()
    {
        using var bed = new NotificationBed(Grouped(groupMax: 1000));
        var (dispatcher, senders, _) = FakeSenders.Dispatcher(bed);
        var ids = bed.CommitAll(HostsDown(bed, 0, 1000), ["email"]).ToList();
        bed.Clock.Advance(TimeSpan.FromSeconds(5));
        // Queued within the window the first row opened: they go with it.
        ids.AddRange(bed.CommitAll(HostsDown(bed, 1000, 1000), ["email"]));

        bed.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        bed.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2000, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        Assert.Equal(2, senders.Emails.Count);
        Assert.Equal("[psistats] FIRING error: host_down on 1000 hosts (h0000, h0001, h0002 +997 more)", senders.Emails[0].Subject);
        Assert.Equal("[psistats] FIRING error: host_down on 1000 hosts (h1000, h1001, h1002 +997 more)", senders.Emails[1].Subject);
        Assert.All(senders.Emails, e => Assert.Matches(GroupMessageId, e.MessageId));
        Assert.Equal("ops@example.org", senders.Emails[0].Recipients);
        var lines = senders.Emails[0].Body.Split('\n');
        Assert.Equal("FIRING (error): host_down on 1000 hosts (h0000, h0001, h0002 +997 more)", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.All(Enumerable.Range(0, MessageText.MaxGroupLines),
            i => Assert.StartsWith($"[FIRING error] Host: h{i:0000}, rule host_down: value 93", lines[2 + i], StringComparison.Ordinal));
        Assert.Equal("... and 900 more", lines[2 + MessageText.MaxGroupLines]);
        Assert.Equal("1000 more of this group follow in further messages.", lines[4 + MessageText.MaxGroupLines]);
        Assert.DoesNotContain("follow in further messages", senders.Emails[1].Body, StringComparison.Ordinal);
        Assert.All(ids, id => Assert.Equal(bed.Now, bed.Outbox.Get(id)!.SentAt));
        var health = dispatcher.Health();
        Assert.Equal((0L, 2000L, 0L), (health.Pending, health.Sent, health.FailedAttempts));
    }

    [Fact]
    public async Task A_notification_alone_in_its_window_goes_out_after_group_wait_as_the_same_single_message_as_without_grouping()
    {
        using var bed = new NotificationBed(Grouped());
        var (dispatcher, senders, _) = FakeSenders.Dispatcher(bed);
        var ids = bed.Commit(NotificationBed.Firing()).OutboxIds;
        var (emailRow, hookRow) = (bed.Outbox.Get(ids[0])!, bed.Outbox.Get(ids[1])!);
        Assert.Equal(("email", bed.Now + GroupWait), (emailRow.Notifier, emailRow.NextAttemptAt));
        Assert.Equal(("chat", bed.Now + GroupWait), (hookRow.Notifier, hookRow.NextAttemptAt));

        bed.Clock.Advance(GroupWait - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        bed.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        var email = Assert.Single(senders.Emails);
        Assert.Equal($"<psistats-outbox-{emailRow.Id}@aggregator.example.org>", email.MessageId);
        Assert.Equal("[psistats] FIRING error: server1 disk_space /var (93 > 90)", email.Subject);
        Assert.Equal(emailRow.Body, email.Body);
        var payload = JsonNode.Parse(Assert.Single(senders.Posts).Json)!.AsObject();
        Assert.Equal(["kind", "severity", "rule", "host", "instance", "value", "threshold", "since", "at", "duration_seconds", "summary", "subject", "body", "message_id"],
            payload.Select(p => p.Key));
        Assert.Equal($"<psistats-outbox-{hookRow.Id}@aggregator.example.org>", (string?)payload["message_id"]);
    }

    [Fact]
    public async Task A_row_queued_after_its_group_went_out_opens_the_next_window()
    {
        using var bed = new NotificationBed(Grouped());
        var (dispatcher, senders, _) = FakeSenders.Dispatcher(bed);
        bed.Commit(HostDown(bed, "a"), ["email"]);
        bed.Clock.Advance(GroupWait);
        Assert.Equal(1, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        bed.CommitAll([HostDown(bed, "b"), HostDown(bed, "c")], ["email"]);
        bed.Clock.Advance(GroupWait - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        bed.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        Assert.Equal(["[psistats] FIRING error: a host_down (93 > 90)", "[psistats] FIRING error: host_down on 2 hosts (b, c)"],
            senders.Emails.Select(e => e.Subject));
    }

    [Fact]
    public async Task Rules_severities_and_notifiers_are_not_mixed_and_a_webhook_gets_one_post_listing_the_members()
    {
        using var bed = new NotificationBed(Grouped());
        var (dispatcher, senders, _) = FakeSenders.Dispatcher(bed);
        var hostDownIds = bed.CommitAll(new[] { "a", "b", "c" }.Select(h => HostDown(bed, h)));
        bed.CommitAll([
            NotificationBed.Firing(host: "a", instance: "/var"),
            NotificationBed.Firing(host: "a", instance: "/home"),
            NotificationBed.Firing(host: "b", instance: "/var"),
            NotificationBed.Firing(host: "d", rule: "host_down", instance: "", severity: Severity.Critical),
            NotificationBed.Firing(host: "e", rule: "host_down", instance: "", severity: Severity.Warning),
        ]);

        bed.Clock.Advance(GroupWait);
        Assert.Equal(14, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        Assert.Equal([
                "[psistats] FIRING critical: d host_down (93 > 90)",
                "[psistats] FIRING error: disk_space, 3 alerts on 2 hosts (a, b)",
                "[psistats] FIRING error: host_down on 3 hosts (a, b, c)",
            ],
            senders.Emails.Select(e => e.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(3, senders.Posts.Count);
        Assert.All(senders.Posts, p => Assert.Equal("chat", p.Hook));
        var group = senders.Posts.Select(p => JsonNode.Parse(p.Json)!.AsObject()).Single(p => (string?)p["rule"] == "host_down" && p["alerts"] is not null);
        Assert.Equal(["kind", "severity", "rule", "count", "subject", "body", "alerts", "message_id"], group.Select(p => p.Key));
        Assert.Equal(("firing", "error", 3), ((string?)group["kind"], (string?)group["severity"], (int)group["count"]!));
        Assert.Equal("[psistats] FIRING error: host_down on 3 hosts (a, b, c)", (string?)group["subject"]);
        Assert.Matches(GroupMessageId, (string?)group["message_id"]);
        var alerts = group["alerts"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.Equal(["a", "b", "c"], alerts.Select(a => (string?)a["host"]));
        var chatIds = hostDownIds.Where(id => bed.Outbox.Get(id)!.Notifier == "chat");
        Assert.Equal(chatIds.Select(id => $"<psistats-outbox-{id}@aggregator.example.org>"), alerts.Select(a => (string?)a["message_id"]));

        // The warning is a digest member, not part of any group.
        Assert.Single(bed.Pending(), r => r.Host == "e" && r.Digest);
    }

    [Fact]
    public async Task Resolve_notices_of_a_burst_are_one_message_apart_from_firings_queued_with_them()
    {
        using var bed = new NotificationBed(Grouped());
        var (dispatcher, senders, _) = FakeSenders.Dispatcher(bed);
        var firings = new[] { "a", "b", "c" }.Select(h => HostDown(bed, h)).ToList();
        bed.CommitAll(firings, ["email"]);
        bed.Clock.Advance(GroupWait);
        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        bed.Clock.Advance(TimeSpan.FromMinutes(5));
        bed.CommitAll([.. firings.Select(f => NotificationBed.Resolved(f, bed.Now)), HostDown(bed, "d")], ["email"]);
        bed.Clock.Advance(GroupWait);
        Assert.Equal(4, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        Assert.Equal([
                "[psistats] FIRING error: d host_down (93 > 90)",
                "[psistats] FIRING error: host_down on 3 hosts (a, b, c)",
                "[psistats] RESOLVED error: host_down on 3 hosts (a, b, c)",
            ],
            senders.Emails.Select(e => e.Subject).Order(StringComparer.Ordinal));
        var resolved = senders.Emails.Single(e => e.Subject.Contains("RESOLVED", StringComparison.Ordinal));
        Assert.Contains("[RESOLVED error] Host: b, rule host_down: value 80, threshold > 90, since 2026-01-01T00:00:00Z, after 5 min 10 s",
            resolved.Body.Split('\n'));
    }

    [Fact]
    public async Task A_failing_grouped_send_keeps_every_member_unsent_for_the_retry_and_sends_them_all_once_back()
    {
        using var bed = new NotificationBed(Grouped(groupMax: 1000) with { RetryInitial = TimeSpan.FromSeconds(5) });
        var (dispatcher, senders, logs) = FakeSenders.Dispatcher(bed);
        var ids = bed.CommitAll(HostsDown(bed, 0, 1500), ["email"]);
        senders.Failure = new SmtpException("Failure sending mail.", new IOException("Connection refused"));

        bed.Clock.Advance(GroupWait);
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        // One attempt for the first 1000; the other 500 wait with their notifier instead of trying too.
        Assert.Equal(1, senders.Attempts);
        var rows = ids.Select(id => bed.Outbox.Get(id)!).ToArray();
        Assert.All(rows, r => Assert.Null(r.SentAt));
        Assert.All(rows[..1000], r => Assert.Equal((1, "Failure sending mail.: Connection refused", bed.Now + TimeSpan.FromSeconds(5)), (r.Attempts, r.LastError, r.NextAttemptAt)));
        Assert.All(rows[1000..], r => Assert.Equal(0, r.Attempts));
        var health = dispatcher.Health();
        Assert.Equal((1500L, 1000L, 1L, 0L), (health.Pending, health.Failing, health.FailedAttempts, health.Sent));
        Assert.Single(logs.Lines, l => l.StartsWith("Warning: Notifier email failing", StringComparison.Ordinal));

        bed.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal(1, senders.Attempts);

        senders.Failure = null;
        bed.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1500, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        Assert.Equal(["host_down on 1000 hosts", "host_down on 500 hosts"], senders.Emails.Select(e => e.Subject[(e.Subject.IndexOf("host_down", StringComparison.Ordinal))..e.Subject.IndexOf(" (", StringComparison.Ordinal)]));
        Assert.All(ids, id => Assert.NotNull(bed.Outbox.Get(id)!.SentAt));
        Assert.Equal((0L, 1500L), (dispatcher.Health().Pending, dispatcher.Health().Sent));
        Assert.Contains(logs.Lines, l => l.Contains("Notifier email delivering again after 1 failed attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_group_wait_0_every_notification_goes_out_at_once_on_its_own()
    {
        using var bed = new NotificationBed(Grouped() with { GroupWait = TimeSpan.Zero });
        var (dispatcher, senders, _) = FakeSenders.Dispatcher(bed);
        bed.CommitAll(new[] { "a", "b", "c" }.Select(h => HostDown(bed, h)), ["email"]);

        Assert.Equal(3, await dispatcher.DispatchOnceAsync(CancellationToken.None));

        Assert.Equal(["a", "b", "c"], senders.Emails.Select(e => e.Subject.Split(' ')[3]));
    }

    [Fact]
    public async Task A_remediation_notice_is_not_held_back_by_group_wait()
    {
        using var bed = new NotificationBed(Grouped());
        var (dispatcher, senders, _) = FakeSenders.Dispatcher(bed);
        bed.Policy.Notify(new Notice
        {
            Kind = NotificationKinds.Remediation,
            Severity = Severity.Error,
            Key = new AlertKey("", "miner1", ""),
            At = bed.Now,
            Subject = "Psistats miner1: Error",
            Body = "Done: reboot\n",
        }, ["email"]);

        Assert.Equal(1, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal("Psistats miner1: Error", Assert.Single(senders.Emails).Subject);
    }
}
