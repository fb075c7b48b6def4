using System.Globalization;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Notifications;

public sealed class MessageTextTests
{
    private const string Injected = "web01\r\nBcc: evil@x";

    private static Notice Firing(string host, string instance = "/var", string value = "93") => Notice.From(NotificationBed.Firing(host: host, instance: instance) with { Value = value })!;

    [Theory]
    [InlineData("web01\r\nBcc: evil@x", "web01\\r\\nBcc: evil@x")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("esc\u001b[31m", "esc\\u001b[31m")]
    [InlineData("nel\u0085ls\u2028ps\u2029", "nel\\u0085ls\\u2028ps\\u2029")]
    [InlineData("müller-straße ☃", "müller-straße ☃")]
    [InlineData(null, "")]
    public void Clean_turns_every_control_character_into_a_visible_escape(string? text, string expected) =>
        Assert.Equal(expected, MessageText.Clean(text));

    [Fact]
    public void Clean_cuts_long_fields_without_splitting_a_surrogate_pair()
    {
        var cut = MessageText.Clean(new string('x', 9) + "😀😀", 11);

        Assert.Equal(new string('x', 9) + "…", cut);
        Assert.Equal(new string('y', 600)[..(MessageText.MaxFieldLength - 1)] + "…", MessageText.Clean(new string('y', 600)));
    }

    [Fact]
    public void Clean_body_keeps_lines_and_tabs_and_neutralises_other_controls() =>
        Assert.Equal("a\nb\nc\td\\u0007", MessageText.CleanBody("a\r\nb\rc\td\a"));

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(45.9, "45 s")]
    [InlineData(723, "12 min 3 s")]
    [InlineData(7205, "2 h 0 min 5 s")]
    [InlineData(273600, "3 d 4 h 0 min 0 s")]
    public void Durations_read_like_people_write_them(double seconds, string expected) =>
        Assert.Equal(expected, MessageText.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void The_body_names_host_rule_instance_severity_value_threshold_and_since()
    {
        var body = MessageText.Body(Firing("server1"));

        Assert.StartsWith(
            "FIRING (error): server1 disk_space /var\n\n" +
            "Host:       server1\n" +
            "Rule:       disk_space\n" +
            "Instance:   /var\n" +
            "Severity:   error\n" +
            "Value:      93\n" +
            "Threshold:  > 90\n" +
            "Since:      2026-01-01T00:00:00Z\n" +
            "Summary:    pcent 93 > 90\n" +
            "\n-- \npsistats-aggregator on ",
            body,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostname_with_crlf_stays_on_its_line_in_subject_body_digest_line_and_payload()
    {
        var notice = Firing(Injected, instance: "/x\r\nX-Evil: 1", value: "9\n3");

        var subject = MessageText.Subject(notice);
        var body = MessageText.Body(notice);
        var line = MessageText.Line(notice);
        var payload = MessageText.Payload(notice).ToJsonString();

        Assert.Equal("[psistats] FIRING error: web01\\r\\nBcc: evil@x disk_space /x\\r\\nX-Evil: 1 (9\\n3 > 90)", subject);
        Assert.DoesNotContain('\r', subject + body + line);
        Assert.DoesNotContain('\n', subject + line);
        Assert.DoesNotContain(body.Split('\n'), l => l.StartsWith("Bcc:", StringComparison.Ordinal) || l.StartsWith("X-Evil:", StringComparison.Ordinal));
        Assert.Contains("Host:       web01\\r\\nBcc: evil@x\n", body, StringComparison.Ordinal);
        Assert.Contains("\"host\":\"web01\\\\r\\\\nBcc: evil@x\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mail_message_of_an_injected_hostname_has_one_recipient_no_bcc_and_an_intact_encoded_subject()
    {
        using var dir = new TempDir();
        var notice = Firing(Injected + " Grüße");
        var email = new EmailMessage("<psistats-outbox-7@agg\r\nBcc: x>", "ops@example.org", MessageText.Subject(notice), MessageText.Body(notice), []);

        using var mail = EmailSender.Build(email, new MailAddress("psistats@example.org"));
        using (var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = dir.Path })
        {
            client.Send(mail);
        }

        Assert.Equal(["ops@example.org"], mail.To.Select(a => a.Address));
        Assert.Empty(mail.Bcc);
        Assert.Equal(Encoding.UTF8, mail.SubjectEncoding);
        Assert.Equal(Encoding.UTF8, mail.BodyEncoding);
        var raw = File.ReadAllText(Assert.Single(Directory.GetFiles(dir.Path)));
        var headers = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        Assert.DoesNotContain(headers, h => h.StartsWith("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Message-ID: <psistats-outbox-7@agg\\r\\nBcc: x>", headers);
        Assert.Contains(headers, h => h.StartsWith("Subject: =?utf-8?", StringComparison.Ordinal));
        Assert.Contains("Auto-Submitted: auto-generated", headers);
        Assert.Equal("[psistats] FIRING error: web01\\r\\nBcc: evil@x Grüße disk_space /var (93 > 90)", mail.Subject);
    }

    [Fact]
    public void An_attachment_keeps_its_name_content_type_and_bytes()
    {
        byte[] gzip = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        var email = new EmailMessage("<psistats-outbox-1@h>", "ops@example.org", "s", "b",
            [new NotificationAttachment("miner1 logs.tar.gz", NotificationAttachment.Gzip, gzip)]);

        using var mail = EmailSender.Build(email, new MailAddress("psistats@example.org"));

        var attachment = Assert.Single(mail.Attachments);
        Assert.Equal("application/gzip", attachment.ContentType.MediaType);
        Assert.Equal("miner1 logs.tar.gz", attachment.ContentDisposition!.FileName);
        using var copy = new MemoryStream();
        attachment.ContentStream.CopyTo(copy);
        Assert.Equal(gzip, copy.ToArray());
    }

    [Theory]
    [InlineData("plain ASCII\nlines\n", TransferEncoding.SevenBit)]
    [InlineData("Grüße\n", TransferEncoding.QuotedPrintable)]
    [InlineData("a line longer than SMTP allows: {0}\n", TransferEncoding.QuotedPrintable)]
    public void Bodies_go_as_plain_7bit_with_crlf_when_they_can_else_quoted_printable(string body, TransferEncoding expected)
    {
        var text = string.Format(CultureInfo.InvariantCulture, body, new string('x', 1000));

        using var mail = EmailSender.Build(new EmailMessage("<m@h>", "ops@example.org", "s", text, []), new MailAddress("psistats@example.org"));

        Assert.Equal(expected, mail.BodyTransferEncoding);
        Assert.Equal(text.ReplaceLineEndings("\r\n"), mail.Body);
    }

    [Theory]
    [InlineData("agg01.example.org", "<psistats-outbox-42@agg01.example.org>")]
    [InlineData("bad host\r\n", "<psistats-outbox-42@badhost>")]
    [InlineData("", "<psistats-outbox-42@localhost>")]
    public void Message_ids_are_stable_and_hold_only_domain_characters(string host, string expected) =>
        Assert.Equal(expected, MessageText.MessageId(42, host));

    [Fact]
    public void A_digest_message_id_depends_on_exactly_its_members()
    {
        var a = MessageText.DigestMessageId([3, 1, 2], "h");

        Assert.Equal(a, MessageText.DigestMessageId([1, 2, 3], "h"));
        Assert.NotEqual(a, MessageText.DigestMessageId([1, 2, 3, 4], "h"));
        Assert.StartsWith("<psistats-outbox-1-digest-", a, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_message_id_depends_on_exactly_its_members_and_differs_from_a_digests()
    {
        var a = MessageText.GroupMessageId([3, 1, 2], "h");

        Assert.Equal(a, MessageText.GroupMessageId([1, 2, 3], "h"));
        Assert.NotEqual(a, MessageText.GroupMessageId([1, 2, 3, 4], "h"));
        Assert.StartsWith("<psistats-outbox-1-group-", a, StringComparison.Ordinal);
        Assert.Equal(a.Replace("-group-", "-digest-", StringComparison.Ordinal), MessageText.DigestMessageId([1, 2, 3], "h"));
    }

    [Fact]
    public void A_digest_subject_names_at_most_three_hosts()
    {
        var rows = new[] { "a", "b", "c", "d", "e" }.Select((h, i) => new OutboxRow
        {
            Id = i + 1,
            CreatedAt = NotificationBed.T0,
            Notifier = "email",
            Kind = NotificationKinds.Firing,
            Rule = "r",
            Host = h,
            Instance = "",
            Severity = i == 0 ? Severity.Info : Severity.Warning,
            Subject = "s",
            Body = "b",
            Line = $"line {h}",
            Digest = true,
            Attempts = 0,
            NextAttemptAt = NotificationBed.T0,
        }).ToList();

        Assert.Equal("[psistats] DIGEST: 5 notifications (4 warning, 1 info) on a, b, c +2 more", MessageText.DigestSubject(rows));
        Assert.StartsWith("5 notifications since 2026-01-01T00:00:00Z:\n\nline a\nline b\nline c\nline d\nline e\n\n-- \n", MessageText.DigestBody(rows), StringComparison.Ordinal);
    }
}
