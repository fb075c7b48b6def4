using System.IO.Compression;
using System.Text;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests.Notifications;

/// <summary>The outbox, dispatcher and EmailSender against a real SMTP server (Debian's aiosmtpd writing a Maildir).</summary>
public sealed class EmailDeliveryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_error_arrives_at_once_with_subject_body_and_a_stable_message_id()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var rig = new NotificationRig(NotificationRig.WithEmail(smtp.Port));
        await rig.StartAsync();

        var id = Assert.Single(rig.Commit(NotificationRig.Firing("server1", Severity.Error)).OutboxIds);

        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1, Wait));
        Assert.Equal("[psistats] FIRING error: server1 disk_space /var (93 > 90)", mail.Subject);
        Assert.Equal("psistats@example.test", mail.From);
        Assert.Equal(["ops@example.test"], mail.To);
        Assert.Equal([$"<psistats-outbox-{id}@aggregator.example.test>"], mail.Header("Message-ID"));
        Assert.Equal(["ops@example.test"], mail.Header("X-RcptTo"));
        var lines = mail.Body.Split('\n');
        Assert.Equal("FIRING (error): server1 disk_space /var", lines[0]);
        Assert.Contains("Host:       server1", lines);
        Assert.Contains("Rule:       disk_space", lines);
        Assert.Contains("Instance:   /var", lines);
        Assert.Contains("Value:      93", lines);
        Assert.Contains("Threshold:  > 90", lines);
        Assert.Contains(lines, l => l.StartsWith("Since:      20", StringComparison.Ordinal) && l.EndsWith('Z'));
        await rig.AllSentAsync();
    }

    [Fact]
    public async Task Three_warnings_within_one_digest_window_are_one_email()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var rig = new NotificationRig(NotificationRig.WithEmail(smtp.Port));
        await rig.StartAsync();

        foreach (var host in new[] { "server1", "server2", "server3" })
        {
            rig.Commit(NotificationRig.Firing(host, Severity.Warning));
        }

        await rig.AllSentAsync();
        var mail = Assert.Single(smtp.Messages());
        Assert.Equal("[psistats] DIGEST: 3 notifications (3 warning) on server1, server2, server3", mail.Subject);
        var alertLines = mail.Body.Split('\n').Where(l => l.StartsWith("[FIRING warning] Host: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, alertLines.Count);
        Assert.All(alertLines, l => Assert.Contains(", rule disk_space, instance /var: value 93, threshold > 90, since ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fifty_host_down_alerts_firing_together_arrive_as_one_email_listing_the_fifty_hosts()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var rig = new NotificationRig(NotificationRig.WithEmail(smtp.Port) with { GroupWait = TimeSpan.FromSeconds(5) });
        await rig.StartAsync();
        var hosts = Enumerable.Range(1, 50).Select(i => $"node{i:00}").ToList();

        var ids = hosts.SelectMany(h => rig.Commit(NotificationRig.Firing(h, Severity.Error, rule: "host_down", instance: "")).OutboxIds).ToList();

        await rig.AllSentAsync();
        // A few more dispatcher ticks: nothing else is sent.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var mail = Assert.Single(smtp.Messages());
        Assert.Equal("[psistats] FIRING error: host_down on 50 hosts (node01, node02, node03 +47 more)", mail.Subject);
        Assert.Matches(@"^<psistats-outbox-\d+-group-[0-9a-f]{12}@aggregator\.example\.test>$", Assert.Single(mail.Header("Message-ID")));
        Assert.Equal(["ops@example.test"], mail.Header("X-RcptTo"));
        var listed = mail.Body.Split('\n').Where(l => l.StartsWith("[FIRING error] Host: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(hosts, listed.Select(l => l["[FIRING error] Host: ".Length..l.IndexOf(',', StringComparison.Ordinal)]));
        Assert.All(listed, l => Assert.Contains(", rule host_down: value 93", l, StringComparison.Ordinal));
        Assert.DoesNotContain(mail.Body.Split('\n'), l => l.StartsWith("... and", StringComparison.Ordinal));
        Assert.Equal(50, ids.Count);
        Assert.All(ids, id => Assert.NotNull(rig.Outbox.Get(id)!.SentAt));
        Assert.Equal(50, rig.Dispatcher.Health().Sent);
    }

    [Fact]
    public async Task With_the_smtp_server_down_the_email_waits_retries_and_arrives_exactly_once_when_it_is_back()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var rig = new NotificationRig(NotificationRig.WithEmail(smtp.Port));
        smtp.Stop();
        await rig.StartAsync();

        var id = Assert.Single(rig.Commit(NotificationRig.Firing("server1", Severity.Critical)).OutboxIds);
        await Eventually.TrueAsync(() => rig.Outbox.Get(id)!.Attempts >= 3, Wait, "three failed attempts while the SMTP server is down");
        var failing = rig.Outbox.Get(id)!;
        Assert.Null(failing.SentAt);
        Assert.NotNull(failing.LastError);
        Assert.Single(rig.Logs.Lines, l => l.StartsWith("Warning: Notifier email failing", StringComparison.Ordinal));
        Assert.True(rig.Dispatcher.Health().FailedAttempts >= 3);

        await smtp.StartAgainAsync();
        await rig.AllSentAsync();
        // A few more dispatcher ticks: nothing is sent again.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var mail = Assert.Single(smtp.Messages());
        Assert.StartsWith("[psistats] FIRING critical: server1", mail.Subject, StringComparison.Ordinal);
        Assert.Equal([$"<psistats-outbox-{id}@aggregator.example.test>"], mail.Header("Message-ID"));
        Assert.Contains(rig.Logs.Lines, l => l.Contains("Notifier email delivering again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gzip_attachment_arrives_byte_for_byte()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var rig = new NotificationRig(NotificationRig.WithEmail(smtp.Port));
        await rig.StartAsync();
        var gzip = Gzip(string.Concat(Enumerable.Range(0, 5000).Select(i => $"cgminer log line {i}: ASIC 0 Dead\n")));

        rig.Policy.Notify(new Notice
        {
            Kind = NotificationKinds.Remediation,
            Severity = Severity.Error,
            Key = new AlertKey("", "miner1", ""),
            At = DateTimeOffset.UtcNow,
            Subject = "Psistats miner1: Error",
            Body = "Errors: ASIC 0 Dead\n.\nDone: reboot\n",
            Attachments = [new NotificationAttachment("miner1-logs.tar.gz", NotificationAttachment.Gzip, gzip)],
        }, null);

        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1, Wait));
        Assert.Equal("Psistats miner1: Error", mail.Subject);
        // A line of a single dot ends an SMTP message unless the client dot-stuffs it: it must arrive intact.
        Assert.StartsWith("Errors: ASIC 0 Dead\n.\nDone: reboot\n", mail.Body, StringComparison.Ordinal);
        var attachment = Assert.Single(mail.Attachments);
        Assert.Equal(("miner1-logs.tar.gz", "application/gzip"), (attachment.Name, attachment.ContentType));
        Assert.Equal(gzip, attachment.Content);
    }

    [Fact]
    public async Task A_hostname_carrying_crlf_injects_no_header_and_non_ascii_survives()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var rig = new NotificationRig(NotificationRig.WithEmail(smtp.Port));
        await rig.StartAsync();

        rig.Commit(NotificationRig.Firing("web01\r\nBcc: evil@x\r\nSubject: pwned", Severity.Error));
        rig.Commit(NotificationRig.Firing("sérveur-Grüße-☃", Severity.Error, instance: "/dätä\n"));

        var mails = await smtp.WaitForMessagesAsync(2, Wait);
        Assert.All(mails, m =>
        {
            Assert.Empty(m.Header("Bcc"));
            Assert.Single(m.Header("Subject"));
            Assert.Equal(["ops@example.test"], m.Header("X-RcptTo"));
            Assert.Equal(["ops@example.test"], m.To);
        });
        var injected = Assert.Single(mails, m => m.Subject.Contains("web01", StringComparison.Ordinal));
        Assert.Equal("[psistats] FIRING error: web01\\r\\nBcc: evil@x\\r\\nSubject: pwned disk_space /var (93 > 90)", injected.Subject);
        Assert.Contains("Host:       web01\\r\\nBcc: evil@x\\r\\nSubject: pwned", injected.Body.Split('\n'));
        var unicode = Assert.Single(mails, m => m.Subject.Contains("sérveur", StringComparison.Ordinal));
        Assert.Equal("[psistats] FIRING error: sérveur-Grüße-☃ disk_space /dätä\\n (93 > 90)", unicode.Subject);
        Assert.Contains("Host:       sérveur-Grüße-☃", unicode.Body.Split('\n'));
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
