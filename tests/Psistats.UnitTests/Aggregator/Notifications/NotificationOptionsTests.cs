using Microsoft.Extensions.Configuration;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.Contracts.Configuration;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Notifications;

public sealed class NotificationOptionsTests
{
    private static (NotificationOptions Options, IReadOnlyList<string> Errors) Read(string ini)
    {
        using var dir = new TempDir();
        var path = dir.File("psistats.ini");
        File.WriteAllText(path, ini);
        var reader = new SettingsReader(new ConfigurationBuilder().AddIniFile(path).Build());
        var options = NotificationOptions.Read(reader);
        return (options, reader.Errors.Select(e => e.ToString()).ToList());
    }

    [Fact]
    public void Defaults_are_alertmanager_like_and_email_is_off()
    {
        var (options, errors) = Read("");

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromHours(4), options.RepeatInterval);
        Assert.True(options.SendResolved);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5)), (options.RetryInitial, options.RetryMax));
        Assert.Equal((TimeSpan.FromSeconds(10), 1000, true), (options.GroupWait, options.GroupMax, options.Grouping));
        Assert.False(options.Email.Enabled);
        Assert.Equal(("localhost", 25, false), (options.Email.SmtpHost, options.Email.SmtpPort, options.Email.StartTls));
        Assert.Equal(TimeSpan.FromSeconds(60), options.Email.DigestInterval);
        Assert.StartsWith("psistats@", options.Email.From.Address, StringComparison.Ordinal);
        Assert.Empty(options.Webhooks);
        Assert.Empty(options.Silences);
        Assert.Equal(["email"], options.NotifierNames);
    }

    [Fact]
    public void A_full_configuration_reads_every_key()
    {
        var (options, errors) = Read("""
            [notifications]
            repeat_interval = 0
            send_resolved = no
            retry_initial = 2
            retry_max = 30
            group_wait = 0
            group_max = 50
            [email]
            enabled = yes
            smtp_host = mail.example.org
            smtp_port = 587
            starttls = yes
            username = psistats
            password = secret
            from = Psistats <psistats@example.org>
            to = Ops <ops@example.org>, oncall@example.org
            to_critical = pager@example.org
            to_info = noc@example.org
            digest_interval = 120
            timeout = 15
            [webhook:chat]
            url = https://chat.example.org/hooks/x
            timeout = 3
            min_severity = error
            [webhook:sms]
            url = http://127.0.0.1:9000/sms
            enabled = no
            [silence:swap]
            host = server1
            instance = /var*
            until = 2026-03-01T18:00:00Z
            comment = disk swap
            """);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.Zero, options.RepeatInterval);
        Assert.False(options.SendResolved);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryInitial);
        Assert.Equal((TimeSpan.Zero, 50, false), (options.GroupWait, options.GroupMax, options.Grouping));
        var email = options.Email;
        Assert.True(email.Enabled && email.StartTls);
        Assert.Equal(("mail.example.org", 587, "psistats", "secret"), (email.SmtpHost, email.SmtpPort, email.Username, email.Password));
        Assert.Equal(("psistats@example.org", "Psistats"), (email.From.Address, email.From.DisplayName));
        Assert.Equal(["ops@example.org", "oncall@example.org"], email.To.Select(a => a.Address));
        Assert.Equal(["pager@example.org"], email.RecipientsFor(Severity.Critical).Select(a => a.Address));
        Assert.Equal(["ops@example.org", "oncall@example.org"], email.RecipientsFor(Severity.Error).Select(a => a.Address));
        Assert.Equal(["noc@example.org"], email.RecipientsFor(Severity.Info).Select(a => a.Address));
        Assert.Equal((TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(15)), (email.DigestInterval, email.Timeout));
        var chat = Assert.Single(options.Webhooks, w => w.Name == "chat");
        Assert.Equal((new Uri("https://chat.example.org/hooks/x"), TimeSpan.FromSeconds(3), Severity.Error, true), (chat.Url, chat.Timeout, chat.MinSeverity, chat.Enabled));
        Assert.False(Assert.Single(options.Webhooks, w => w.Name == "sms").Enabled);
        Assert.Equal(["chat", "email", "sms"], options.NotifierNames.Order());
        Assert.Contains("CHAT", options.NotifierNames);
        var silence = Assert.Single(options.Silences);
        Assert.Equal(new SilenceSpec { Name = "swap", Host = "server1", Instance = "/var*", Until = new DateTimeOffset(2026, 3, 1, 18, 0, 0, TimeSpan.Zero), Comment = "disk swap" }, silence);
    }

    [Theory]
    [InlineData("[email]\nenabled = yes\n", "[email] to: no recipient: set to (or to_critical, to_error, to_warning, to_info)")]
    [InlineData("[email]\nto = not an address\n", "[email] to: 'not an address' is not a comma-separated list of email addresses")]
    [InlineData("[email]\nfrom = a@x.org, b@x.org\n", "[email] from: 'a@x.org, b@x.org' must be exactly one address")]
    [InlineData("[email]\nusername = u\n", "[email] password: required when username is set")]
    [InlineData("[email]\nsmtp_port = 0\n", "[email] smtp_port: 0 is out of range [1, 65535]")]
    [InlineData("[email]\nstarttls = maybe\n", "[email] starttls: 'maybe' is not a boolean")]
    [InlineData("[email]\nsmtp_server = x\n", "[email] smtp_server: unknown key")]
    [InlineData("[notifications]\nretry_initial = 60\nretry_max = 10\n", "[notifications] retry_max: 10 s is below retry_initial (60 s)")]
    [InlineData("[notifications]\nrepeat_interval = -1\n", "[notifications] repeat_interval: -1 s is out of range")]
    [InlineData("[notifications]\ngroup_wait = -1\n", "[notifications] group_wait: -1 s is out of range")]
    [InlineData("[notifications]\ngroup_max = 0\n", "[notifications] group_max: 0 is out of range [1, 100000]")]
    [InlineData("[webhook:chat]\ntimeout = 3\n", "[webhook:chat] url: required")]
    [InlineData("[webhook:chat]\nurl = ftp://x/\n", "[webhook:chat] url: 'ftp://x/' is not an http:// or https:// URL")]
    [InlineData("[webhook:chat]\nurl = http://x/\nmin_severity = fatal\n", "[webhook:chat] min_severity: 'fatal' is not one of: info, warning, error, critical")]
    [InlineData("[webhook:email]\nurl = http://x/\n", "[webhook:email] url: 'email' is the email notifier's name")]
    [InlineData("[silence:s]\nhost = a\n", "[silence:s] until: a silence needs an end")]
    [InlineData("[silence:s]\nuntil = tomorrow\n", "[silence:s] until: 'tomorrow' is not an ISO-8601 time")]
    [InlineData("[silence:s]\nuntil_resolved = yes\nowner = me\n", "[silence:s] owner: unknown key")]
    public void Bad_values_are_reported_with_section_and_key(string ini, string expected)
    {
        var (_, errors) = Read(ini);

        Assert.StartsWith(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_doubles_from_retry_initial_up_to_retry_max()
    {
        var options = new NotificationOptions { RetryInitial = TimeSpan.FromSeconds(5), RetryMax = TimeSpan.FromMinutes(5) };

        Assert.Equal([5, 10, 20, 40, 80, 160, 300, 300], Enumerable.Range(1, 8).Select(a => options.Backoff(a).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(5), options.Backoff(1000));
    }

    [Fact]
    public void The_shipped_psistats_ini_reads_without_errors_and_documents_the_commented_sections_keys()
    {
        var path = Path.Combine(RepoPaths.Root, "psistats.ini");
        var reader = new SettingsReader(ConfigLoader.Load(path));

        NotificationOptions.Read(reader);

        Assert.Empty(reader.Errors);
        Assert.Equal(WebhookOptions.Keys.Order(), CommentedExample(path, ";[webhook:NAME]").Keys.Order());
        Assert.Equal(SilenceSpec.Keys.Order(), CommentedExample(path, ";[silence:NAME]").Keys.Order());
    }

    [Fact]
    public void The_commented_examples_uncommented_are_valid_and_show_the_defaults()
    {
        var path = Path.Combine(RepoPaths.Root, "psistats.ini");
        var webhook = CommentedExample(path, ";[webhook:NAME]");
        var silence = CommentedExample(path, ";[silence:NAME]");
        var ini = "[webhook:NAME]\n" + string.Concat(webhook.Select(kv => $"{kv.Key} = {kv.Value}\n"))
            + "[silence:NAME]\n" + string.Concat(silence.Select(kv => $"{kv.Key} = {kv.Value}\n"));

        var (options, errors) = Read(ini);

        Assert.Empty(errors);
        var hook = Assert.Single(options.Webhooks);
        Assert.Equal(new WebhookOptions { Name = "NAME", Url = hook.Url }, hook);
        var spec = Assert.Single(options.Silences);
        Assert.Equal(new SilenceSpec { Name = "NAME", Until = spec.Until, Comment = spec.Comment }, spec);
    }

    /// <summary>The key = value lines of a commented section example of psistats.ini.</summary>
    private static Dictionary<string, string> CommentedExample(string path, string header)
    {
        var lines = File.ReadAllLines(path);
        var start = Array.IndexOf(lines, header);
        Assert.True(start >= 0, $"psistats.ini has no commented {header} example");
        return lines.Skip(start + 1)
            .TakeWhile(l => l.StartsWith(';'))
            .Where(l => !l.StartsWith("; ", StringComparison.Ordinal) && l.Contains(" = ", StringComparison.Ordinal))
            .Select(l => l[1..].Split(" = ", 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }
}
