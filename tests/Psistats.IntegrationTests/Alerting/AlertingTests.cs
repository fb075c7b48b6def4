using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests.Alerting;

/// <summary>
/// Issue 5 end to end: frames on the real broker -> the real aggregator's rules -> SQLite -> emails in a real SMTP server's
/// Maildir (aiosmtpd), through repeat interval, resolve notices, digests, an SMTP outage, SIGKILL, silences and hostile hostnames.
/// </summary>
public sealed class AlertingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    private static string Ini(SmtpServer smtp, double repeatSeconds, string extra = "") => smtp.AggregatorIni(digestInterval: 3, repeatSeconds) + $"""
        [rule:cpu_busy]
        description = A web server's CPU is saturated
        hosts = web*
        reporter = cpu
        condition = cpu > 90
        clear = cpu < 50
        severity = error
        [rule:disk_busy]
        reporter = diskio
        condition = *.%util > 90
        severity = warning
        {extra}
        """;

    private static IReadOnlyList<ReceivedMail> About(SmtpServer smtp, string text) =>
        smtp.Messages().Where(m => m.Subject.Contains(text, StringComparison.Ordinal)).ToList();

    private static async Task<ReceivedMail> WaitForMailAsync(SmtpServer smtp, Func<ReceivedMail, bool> match, string what)
    {
        return await Eventually.ValueAsync(() => Task.FromResult(smtp.Messages().FirstOrDefault(match)), Wait, what);
    }

    /// <summary>Publishes <paramref name="cpu"/> for <paramref name="host"/> every 0.5 s for <paramref name="seconds"/>.</summary>
    private static async Task KeepPublishingAsync(FramePublisher publisher, string host, double cpu, double seconds)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await publisher.CpuAsync(host, cpu);
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task A_threshold_crossed_mails_once_repeats_after_the_repeat_interval_and_mails_a_resolve_notice()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var scenario = new Scenario(Ini(smtp, repeatSeconds: 12));
        await scenario.StartAggregatorAsync();
        await using var publisher = await FramePublisher.ConnectAsync(scenario);

        await publisher.CpuAsync("web01", 95.5);
        var first = await WaitForMailAsync(smtp, m => m.Subject.Contains("cpu_busy", StringComparison.Ordinal), "the firing email");
        var firstSeen = Stopwatch.StartNew();
        Assert.Contains("web01", first.Subject, StringComparison.Ordinal);
        Assert.Contains("FIRING", first.Subject, StringComparison.Ordinal);
        Assert.Contains("95.5", first.Body, StringComparison.Ordinal);
        Assert.Contains("> 90", first.Body, StringComparison.Ordinal);
        Assert.Contains("error", first.Body, StringComparison.Ordinal);
        Assert.Equal(["ops@example.test"], first.To);

        // Still firing, a frame every 0.5 s: no second email before the repeat interval.
        await KeepPublishingAsync(publisher, "web01", 96, 6);
        Assert.Single(About(smtp, "cpu_busy"));

        // Between the clear condition and the threshold: still firing (hysteresis), and the repeat arrives after 12 s.
        var publishing = KeepPublishingAsync(publisher, "web01", 70, 14);
        await Eventually.TrueAsync(() => About(smtp, "cpu_busy").Count == 2, Wait, "the repeat email");
        Assert.True(firstSeen.Elapsed >= TimeSpan.FromSeconds(10), $"repeat after {firstSeen.Elapsed}, before the 12 s repeat interval");
        await publishing;

        var alerts = (await scenario.GetJsonAsync("/api/alerts"))!.AsArray();
        var alert = Assert.Single(alerts, a => a!["rule"]!.GetValue<string>() == "cpu_busy");
        Assert.Equal("firing", alert!["state"]!.GetValue<string>());

        await publisher.CpuAsync("web01", 10);
        var resolved = await WaitForMailAsync(smtp, m => m.Subject.Contains("RESOLVED", StringComparison.Ordinal) && m.Subject.Contains("cpu_busy", StringComparison.Ordinal),
            "the resolve notice");
        Assert.Contains("web01", resolved.Body, StringComparison.Ordinal);
        Assert.Matches(@"\d+ (s|min)", resolved.Body);
        await Eventually.TrueAsync(() => scenario.GetJsonAsync("/api/alerts").Result!.AsArray().All(a => a!["rule"]!.GetValue<string>() != "cpu_busy"),
            Wait, "cpu_busy gone from /api/alerts");

        var events = (await scenario.GetJsonAsync("/api/events?host=web01&rule=cpu_busy"))!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(["firing", "resolved"], events);
        Assert.Equal(3, About(smtp, "cpu_busy").Count);
    }

    [Fact]
    public async Task Warnings_within_one_digest_window_come_as_one_email_with_a_line_each()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var scenario = new Scenario(Ini(smtp, repeatSeconds: 3600));
        await scenario.StartAggregatorAsync();
        await using var publisher = await FramePublisher.ConnectAsync(scenario);

        await publisher.PublishAsync("store01", "diskio", """
            {"hostname":"store01","reporter":"diskio","timestamp":1,"interval":5,
             "diskio":{"sda":{"%util":95.1,"r/s":10},"sdb":{"%util":97.2,"r/s":11},"sdc":{"%util":99.3,"r/s":12},"sdd":{"%util":5,"r/s":1}}}
            """);

        var digest = await WaitForMailAsync(smtp, m => m.Body.Contains("disk_busy", StringComparison.Ordinal), "the digest");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Single(smtp.Messages(), m => m.Body.Contains("disk_busy", StringComparison.Ordinal));
        var lines = digest.Body.Split('\n').Where(l => l.Contains("disk_busy", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains(lines, l => l.Contains("sda", StringComparison.Ordinal) && l.Contains("95.1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sdb", StringComparison.Ordinal) && l.Contains("97.2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sdc", StringComparison.Ordinal) && l.Contains("99.3", StringComparison.Ordinal));
        Assert.DoesNotContain("sdd", digest.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_that_fires_while_the_smtp_server_is_down_arrives_once_it_is_back()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var scenario = new Scenario(Ini(smtp, repeatSeconds: 3600));
        var aggregator = await scenario.StartAggregatorAsync();
        await using var publisher = await FramePublisher.ConnectAsync(scenario);
        smtp.Stop();

        await publisher.CpuAsync("web02", 99);
        await Eventually.TrueAsync(() => scenario.GetJsonAsync("/api/events?rule=cpu_busy&kind=firing").Result!.AsArray().Count == 1, Wait, "the firing event");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var health = (await scenario.GetJsonAsync("/healthz"))!;
        Assert.True(health["notifications"]!["pending"]!.GetValue<long>() >= 1, health.ToJsonString());

        await smtp.StartAgainAsync();
        await WaitForMailAsync(smtp, m => m.Subject.Contains("cpu_busy", StringComparison.Ordinal), "the email after the SMTP server came back");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(About(smtp, "cpu_busy"));
        Assert.False(aggregator.HasExited);
    }

    [Fact]
    public async Task After_SIGKILL_and_a_restart_no_email_is_sent_twice_and_firing_alerts_are_still_listed()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var scenario = new Scenario(Ini(smtp, repeatSeconds: 3600));
        var aggregator = await scenario.StartAggregatorAsync();
        await using var publisher = await FramePublisher.ConnectAsync(scenario);

        await publisher.CpuAsync("web03", 97);
        await WaitForMailAsync(smtp, m => m.Subject.Contains("cpu_busy", StringComparison.Ordinal), "the firing email");
        await aggregator.KillAsync();

        // Frames keep coming while it is dead and after it is back: the alert is already firing, so nothing is sent again.
        await KeepPublishingAsync(publisher, "web03", 98, 2);
        await scenario.StartAggregatorAsync();
        await KeepPublishingAsync(publisher, "web03", 98, 5);

        var alerts = (await scenario.GetJsonAsync("/api/alerts"))!.AsArray();
        var alert = Assert.Single(alerts, a => a!["rule"]!.GetValue<string>() == "cpu_busy");
        Assert.Equal(("web03", "firing"), (alert!["host"]!.GetValue<string>(), alert["state"]!.GetValue<string>()));
        Assert.Single(About(smtp, "cpu_busy"));
        var firing = (await scenario.GetJsonAsync("/api/events?rule=cpu_busy"))!.AsArray();
        Assert.Single(firing, e => e!["kind"]!.GetValue<string>() == "firing");
    }

    [Fact]
    public async Task A_hostname_carrying_CR_LF_cannot_inject_a_mail_header()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var scenario = new Scenario(Ini(smtp, repeatSeconds: 3600));
        await scenario.StartAggregatorAsync();
        await using var publisher = await FramePublisher.ConnectAsync(scenario);

        const string evil = "web-evil\r\nBcc: victim@example.test\r\nX-Injected: yes\r\n\r\nforged body";
        await publisher.CpuAsync(evil, 99);

        var mail = await WaitForMailAsync(smtp, m => m.Subject.Contains("cpu_busy", StringComparison.Ordinal), "the email about the evil host");
        Assert.Empty(mail.Header("Bcc"));
        Assert.Empty(mail.Header("X-Injected"));
        Assert.Equal(["ops@example.test"], mail.To);
        Assert.Equal(["<ops@example.test>"], mail.Header("X-RcptTo").Select(v => $"<{v.Trim('<', '>')}>"));
        Assert.Contains("web-evil", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', mail.Subject);
        Assert.DoesNotContain("\nBcc:", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silence_set_through_the_API_records_the_alert_but_sends_nothing()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var scenario = new Scenario(Ini(smtp, repeatSeconds: 3600));
        await scenario.StartAggregatorAsync();
        await using var publisher = await FramePublisher.ConnectAsync(scenario);

        var created = await scenario.Http.PostAsJsonAsync("/api/silences",
            new { host = "web04", rule = "cpu_busy", until = DateTimeOffset.UtcNow.AddHours(1), comment = "maintenance", created_by = "it-test" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var silence = (await created.Content.ReadFromJsonAsync<JsonNode>())!;
        var listed = (await scenario.GetJsonAsync("/api/silences"))!.AsArray();
        Assert.Contains(listed, s => s!["id"]!.GetValue<long>() == silence["id"]!.GetValue<long>());

        await publisher.CpuAsync("web04", 99);
        await publisher.CpuAsync("web05", 99);
        await WaitForMailAsync(smtp, m => m.Subject.Contains("web05", StringComparison.Ordinal), "the email about the host that is not silenced");
        await Eventually.TrueAsync(() => scenario.GetJsonAsync("/api/events?host=web04&kind=silenced").Result!.AsArray().Count == 1, Wait, "the silenced event");
        Assert.DoesNotContain(smtp.Messages(), m => m.Subject.Contains("web04", StringComparison.Ordinal));
        Assert.Single((await scenario.GetJsonAsync("/api/alerts?host=web04"))!.AsArray());

        var removed = await scenario.Http.DeleteAsync($"/api/silences/{silence["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.DoesNotContain((await scenario.GetJsonAsync("/api/silences"))!.AsArray(), s => s!["id"]!.GetValue<long>() == silence["id"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NotFound, (await scenario.Http.DeleteAsync($"/api/silences/{silence["id"]}")).StatusCode);
    }

    [Fact]
    public async Task The_rules_endpoint_lists_the_built_ins_and_the_files_rules()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var scenario = new Scenario(Ini(smtp, repeatSeconds: 3600, "[rule:disk_space]\nthreshold = 95\n[rule:cointerra_ambient]\nenabled = no\n"));
        await scenario.StartAggregatorAsync();

        var rules = (await scenario.GetJsonAsync("/api/rules"))!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>());
        Assert.Equal("file", rules["cpu_busy"]!["source"]!.GetValue<string>());
        Assert.Equal("builtin", rules["host_down"]!["source"]!.GetValue<string>());
        Assert.Contains("95", rules["disk_space"]!["condition"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(rules.ContainsKey("cointerra_ambient") && rules["cointerra_ambient"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("cointerra_dies_lost", rules.Keys);
    }

    [Fact]
    public async Task Check_config_names_a_bad_rule_by_section_and_key()
    {
        using var dir = new TempDir();
        var ini = dir.File("bad.ini");
        await File.WriteAllTextAsync(ini, $"[aggregator]\nstate_dir = {dir.Path}\n[rule:broken]\nreporter = cpu\ncondition = cpu >> 90\nseverity = loud\n");

        var (exitCode, output) = await ProgramProcess.RunAsync(RepoPaths.Program("Aggregator", "psistats-aggregator"), ["--config", ini, "--check-config"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains("[rule:broken] condition", output, StringComparison.Ordinal);
        Assert.Contains("[rule:broken] severity", output, StringComparison.Ordinal);
    }
}
