using System.Net.Mail;
using System.Text.Json.Nodes;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;

namespace Psistats.UnitTests.Aggregator.Notifications;

public sealed class NotificationPolicyTests
{
    [Fact]
    public void An_error_fires_at_once_to_email_and_to_the_webhook_that_takes_errors()
    {
        using var bed = new NotificationBed();

        var outcome = bed.Commit(NotificationBed.Firing(severity: Severity.Error));

        Assert.Null(outcome.NotSentReason);
        var rows = bed.Pending();
        Assert.Equal(outcome.OutboxIds, rows.Select(r => r.Id));
        var email = Assert.Single(rows, r => r.Notifier == "email");
        Assert.False(email.Digest);
        Assert.Equal(bed.Now, email.NextAttemptAt);
        Assert.Equal("ops@example.org", email.Recipients);
        Assert.Equal("[psistats] FIRING error: server1 disk_space /var (93 > 90)", email.Subject);
        Assert.Equal((NotificationKinds.Firing, "disk_space", "server1", "/var"), (email.Kind, email.Rule, email.Host, email.Instance));
        var hook = Assert.Single(rows, r => r.Notifier == "chat");
        var payload = JsonNode.Parse(hook.Payload!)!.AsObject();
        Assert.Equal("firing", (string?)payload["kind"]);
        Assert.Equal("error", (string?)payload["severity"]);
        Assert.Equal("server1", (string?)payload["host"]);
        Assert.Equal("93", (string?)payload["value"]);
        Assert.Equal("> 90", (string?)payload["threshold"]);
        Assert.Equal("2026-01-01T00:00:00Z", (string?)payload["since"]);
    }

    [Theory]
    [InlineData(Severity.Warning)]
    [InlineData(Severity.Info)]
    public void Warnings_and_infos_become_digest_members_due_when_the_digest_window_ends_and_skip_an_error_webhook(Severity severity)
    {
        using var bed = new NotificationBed();

        bed.Commit(NotificationBed.Firing(severity: severity));

        var row = Assert.Single(bed.Pending());
        Assert.Equal("email", row.Notifier);
        Assert.True(row.Digest);
        Assert.Equal(bed.Now + TimeSpan.FromSeconds(60), row.NextAttemptAt);
    }

    [Fact]
    public void Critical_goes_to_its_own_recipients_and_others_fall_back_to_to()
    {
        var options = NotificationBed.DefaultOptions();
        options = options with
        {
            Email = options.Email with
            {
                ToBySeverity = new Dictionary<Severity, IReadOnlyList<MailAddress>> { [Severity.Critical] = [new("pager@example.org"), new("boss@example.org")] },
            },
        };
        using var bed = new NotificationBed(options);

        bed.Commit(NotificationBed.Firing(host: "a", severity: Severity.Critical));
        bed.Commit(NotificationBed.Firing(host: "b", severity: Severity.Error));

        var emails = bed.Pending().Where(r => r.Notifier == "email").ToDictionary(r => r.Host);
        Assert.Equal("pager@example.org, boss@example.org", emails["a"].Recipients);
        Assert.Equal("ops@example.org", emails["b"].Recipients);
    }

    [Fact]
    public void The_rules_notifier_list_picks_notifiers_and_an_empty_one_sends_nothing()
    {
        using var bed = new NotificationBed();

        bed.Commit(NotificationBed.Firing(host: "only-chat"), ["chat"]);
        var none = bed.Commit(NotificationBed.Firing(host: "none"), []);

        Assert.Equal(["chat"], bed.Pending().Select(r => r.Notifier));
        Assert.Equal("no enabled notifier takes it", none.NotSentReason);
    }

    [Theory]
    [InlineData(TransitionKinds.Pending)]
    [InlineData(TransitionKinds.Ok)]
    public void Pending_and_ok_transitions_send_nothing(string kind)
    {
        using var bed = new NotificationBed();

        var outcome = bed.Commit(NotificationBed.Firing() with { Kind = kind, FiringSince = null });

        Assert.Equal(NotificationOutcome.None, outcome);
        Assert.Empty(bed.Pending());
    }

    [Fact]
    public void A_resolve_notice_carries_the_alerts_duration()
    {
        using var bed = new NotificationBed();
        var firing = NotificationBed.Firing();
        bed.Commit(firing);

        var outcome = bed.Commit(NotificationBed.Resolved(firing, firing.At + TimeSpan.FromSeconds(723)));

        Assert.Null(outcome.NotSentReason);
        var email = Assert.Single(bed.Pending(), r => r.Notifier == "email" && r.Kind == NotificationKinds.Resolved);
        Assert.Equal("[psistats] RESOLVED error: server1 disk_space /var after 12 min 3 s", email.Subject);
        Assert.Contains("Duration:   12 min 3 s\n", email.Body, StringComparison.Ordinal);
        Assert.Contains("Since:      2026-01-01T00:00:00Z\n", email.Body, StringComparison.Ordinal);
        Assert.Contains("Resolved:   2026-01-01T00:12:03Z\n", email.Body, StringComparison.Ordinal);
        var hook = Assert.Single(bed.Pending(), r => r.Notifier == "chat" && r.Kind == NotificationKinds.Resolved);
        Assert.Equal(723, (double)JsonNode.Parse(hook.Payload!)!["duration_seconds"]!);
    }

    [Fact]
    public void A_warnings_resolve_notice_is_a_digest_member()
    {
        using var bed = new NotificationBed();
        var firing = NotificationBed.Firing(severity: Severity.Warning);
        bed.Commit(firing);

        bed.Commit(NotificationBed.Resolved(firing, firing.At + TimeSpan.FromMinutes(5)));

        var resolved = Assert.Single(bed.Pending(), r => r.Kind == NotificationKinds.Resolved);
        Assert.True(resolved.Digest);
        Assert.Contains("after 5 min 0 s", resolved.Line, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_resolved_no_sends_no_resolve_notice()
    {
        using var bed = new NotificationBed(NotificationBed.DefaultOptions() with { SendResolved = false });
        var firing = NotificationBed.Firing();
        bed.Commit(firing);

        var outcome = bed.Commit(NotificationBed.Resolved(firing, firing.At.AddMinutes(1)));

        Assert.Equal("send_resolved = no", outcome.NotSentReason);
        Assert.DoesNotContain(bed.Pending(), r => r.Kind == NotificationKinds.Resolved);
    }

    [Fact]
    public void A_silenced_alert_is_not_sent_its_resolve_neither_and_the_reason_names_the_silence()
    {
        using var bed = new NotificationBed();
        var id = bed.Silences.Add(new SilenceSpec { Host = "server*", Rule = "disk_*", Until = bed.Now.AddHours(1), Comment = "disk swap" }, "test", bed.Now);
        var firing = NotificationBed.Firing();

        var fired = bed.Commit(firing);
        var resolved = bed.Commit(NotificationBed.Resolved(firing, firing.At.AddMinutes(10)));

        Assert.Equal($"silenced by silence {id} (disk swap)", fired.NotSentReason);
        Assert.Equal("its firing was never sent (silenced or held)", resolved.NotSentReason);
        Assert.Empty(bed.Pending());
    }

    [Fact]
    public void A_silence_set_after_the_firing_mutes_the_resolve_notice()
    {
        using var bed = new NotificationBed();
        var firing = NotificationBed.Firing();
        bed.Commit(firing);
        var sent = bed.Pending().Count;
        var id = bed.Silences.Add(new SilenceSpec { Host = "server1", UntilResolved = true }, "test", bed.Now);

        var resolved = bed.Commit(NotificationBed.Resolved(firing, firing.At.AddMinutes(10)));

        Assert.StartsWith($"silenced by silence {id}", resolved.NotSentReason, StringComparison.Ordinal);
        Assert.Equal(sent, bed.Pending().Count);
    }

    [Fact]
    public void An_until_resolved_silence_ends_when_the_last_alert_it_matches_resolves()
    {
        using var bed = new NotificationBed();
        bed.Silences.Add(new SilenceSpec { Host = "server1", UntilResolved = true }, "test", bed.Now);
        var varDisk = NotificationBed.Firing(instance: "/var");
        var home = NotificationBed.Firing(instance: "/home");
        var other = NotificationBed.Firing(host: "server2");
        bed.Commit(varDisk);
        bed.Commit(home);
        bed.Commit(other);

        bed.Commit(NotificationBed.Resolved(varDisk, varDisk.At.AddMinutes(1)));
        Assert.True(bed.Silences.IsSilenced(home.Key, bed.Now));

        bed.Commit(NotificationBed.Resolved(home, home.At.AddMinutes(2)));
        Assert.False(bed.Silences.IsSilenced(home.Key, bed.Now));
        var ended = Assert.Single(bed.Silences.List(bed.Now, includeEnded: true));
        Assert.Equal("resolved", ended.EndReason);
        Assert.Empty(bed.Silences.List(bed.Now));
    }

    [Fact]
    public void An_alert_still_firing_when_its_silence_expires_is_sent_then()
    {
        using var bed = new NotificationBed();
        bed.Silences.Add(new SilenceSpec { Host = "server1", Until = bed.Now.AddMinutes(30) }, "test", bed.Now);
        var firing = NotificationBed.Firing();
        bed.Commit(firing);
        IReadOnlyList<ActiveAlert> active = [firing.Alert!];

        bed.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, bed.Policy.EnqueueDue(active, _ => null, bed.Now));
        Assert.Empty(bed.Pending());

        bed.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, bed.Policy.EnqueueDue(active, _ => null, bed.Now));

        var email = Assert.Single(bed.Pending(), r => r.Notifier == "email");
        Assert.Equal(NotificationKinds.Firing, email.Kind);
        Assert.Equal(1, bed.Silences.EndExpired(bed.Now));
    }

    [Fact]
    public void A_held_alert_is_not_sent_and_goes_out_when_the_hold_ends_if_still_firing()
    {
        var holding = true;
        using var bed = new NotificationBed(held: host => holding && host == "miner1");
        var firing = NotificationBed.Firing(host: "miner1", rule: "asic_status", instance: "0");

        var outcome = bed.Commit(firing);
        Assert.Equal("held while miner1 is in remediation cooldown", outcome.NotSentReason);
        Assert.Equal(0, bed.Policy.EnqueueDue([firing.Alert!], _ => null, bed.Now));

        holding = false;
        bed.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, bed.Policy.EnqueueDue([firing.Alert!], _ => null, bed.Now));
        Assert.All(bed.Pending(), r => Assert.Equal(NotificationKinds.Firing, r.Kind));
        Assert.Equal(2, bed.Pending().Count);
    }

    [Fact]
    public void A_firing_alert_is_repeated_once_per_repeat_interval_not_every_check()
    {
        using var bed = new NotificationBed();
        var firing = NotificationBed.Firing();
        bed.Commit(firing);
        IReadOnlyList<ActiveAlert> active = [firing.Alert!];
        var repeats = new List<DateTimeOffset>();

        for (var i = 0; i < 12 * 60 * 9; i++)
        {
            bed.Clock.Advance(TimeSpan.FromSeconds(5));
            if (bed.Policy.EnqueueDue(active, _ => ["email"], bed.Now) > 0)
            {
                repeats.Add(bed.Now);
            }
        }

        Assert.Equal([NotificationBed.T0.AddHours(4), NotificationBed.T0.AddHours(8)], repeats);
        var repeat = bed.Pending().Where(r => r.Kind == NotificationKinds.Repeat).ToList();
        Assert.Equal(2, repeat.Count);
        Assert.All(repeat, r => Assert.Equal("email", r.Notifier));
        Assert.Equal("[psistats] STILL FIRING error: server1 disk_space /var (93 > 90), firing for 4 h 0 min 0 s", repeat[0].Subject);
    }

    [Fact]
    public void Repeat_interval_zero_never_repeats_and_alerts_not_yet_committed_are_left_alone()
    {
        using var bed = new NotificationBed(NotificationBed.DefaultOptions() with { RepeatInterval = TimeSpan.Zero });
        var firing = NotificationBed.Firing();
        bed.Commit(firing);
        var uncommitted = NotificationBed.Active(new AlertKey("cpu", "server9", ""), Severity.Critical, bed.Now);

        bed.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(0, bed.Policy.EnqueueDue([firing.Alert!, uncommitted], _ => null, bed.Now));
    }

    [Fact]
    public void A_resolved_alert_is_not_repeated()
    {
        using var bed = new NotificationBed();
        var firing = NotificationBed.Firing();
        bed.Commit(firing);
        bed.Commit(NotificationBed.Resolved(firing, bed.Now.AddMinutes(1)));
        var before = bed.Pending().Count;

        bed.Clock.Advance(TimeSpan.FromHours(5));

        Assert.Equal(0, bed.Policy.EnqueueDue([firing.Alert!], _ => null, bed.Now));
        Assert.Equal(before, bed.Pending().Count);
    }

    [Fact]
    public void A_remediation_notice_goes_out_at_once_with_its_attachment_and_own_subject()
    {
        using var bed = new NotificationBed();
        byte[] gzip = [0x1f, 0x8b, 8, 0, 1, 2, 3];

        var ids = bed.Policy.Notify(new Notice
        {
            Kind = NotificationKinds.Remediation,
            Severity = Severity.Warning,
            Key = new AlertKey("", "miner1", ""),
            At = bed.Now,
            Subject = "Psistats miner1: Error",
            Body = "ASIC 0 Dead\r\nrebooted\n",
            Attachments = [new NotificationAttachment("miner1.tar.gz", NotificationAttachment.Gzip, gzip)],
        }, ["email"]);

        var row = bed.Outbox.Get(Assert.Single(ids))!;
        Assert.False(row.Digest);
        Assert.Equal("Psistats miner1: Error", row.Subject);
        Assert.StartsWith("ASIC 0 Dead\nrebooted\n", row.Body, StringComparison.Ordinal);
        var attachment = Assert.Single(bed.Outbox.Attachments(row.Id));
        Assert.Equal(("miner1.tar.gz", "application/gzip"), (attachment.Name, attachment.ContentType));
        Assert.Equal(gzip, attachment.Content.ToArray());
    }

    [Fact]
    public void Disabled_email_and_webhooks_get_nothing()
    {
        var options = NotificationBed.DefaultOptions();
        options = options with { Email = options.Email with { Enabled = false }, Webhooks = [options.Webhooks[0] with { Enabled = false }] };
        using var bed = new NotificationBed(options);

        var outcome = bed.Commit(NotificationBed.Firing(severity: Severity.Critical));

        Assert.Empty(bed.Pending());
        Assert.Equal("no enabled notifier takes it", outcome.NotSentReason);
    }

    [Fact]
    public void Outbox_rows_roll_back_with_the_callers_transaction()
    {
        using var bed = new NotificationBed();

        Assert.Throws<InvalidOperationException>(() => bed.Db.Write<int>((connection, transaction) =>
        {
            bed.Policy.Plan(connection, transaction, NotificationBed.Firing(), null, bed.Now);
            throw new InvalidOperationException("the lead's event insert failed");
        }));

        Assert.Empty(bed.Pending());
        Assert.Equal(0, bed.Policy.EnqueueDue([NotificationBed.Firing().Alert!], _ => null, bed.Now));
    }
}
