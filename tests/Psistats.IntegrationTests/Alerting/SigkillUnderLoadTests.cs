using System.Diagnostics;
using System.Text;
using Psistats.TestSupport;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Psistats.IntegrationTests.Alerting;

/// <summary>
/// The aggregator killed with SIGKILL at random moments while 200 frames/s make an alert flap: every frame's effects are
/// committed once (the broker redelivers what was not acknowledged, and the aggregator skips what it had applied), so the
/// alert's transitions and emails are exactly those of the published values, none twice, none missing.
/// </summary>
public sealed class SigkillUnderLoadTests(ITestOutputHelper output)
{
    private const int Rounds = 20;
    private const int FramesPerSecond = 200;
    private const int FramesPerState = 100; // the value flips every 0.5 s

    [Fact]
    public async Task Twenty_sigkills_under_200_frames_per_second_repeat_and_lose_no_transition_and_no_email()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var scenario = new Scenario(smtp.AggregatorIni(digestInterval: 3, repeatInterval: 0) + """
            [rule:cpu_flap]
            reporter = cpu
            condition = cpu > 90
            severity = error
            """);
        var aggregator = await scenario.StartAggregatorAsync();
        var random = new Random(20261208);
        output.WriteLine("seed 20261208");

        using var stop = new CancellationTokenSource();
        var publishing = PublishFlappingAsync(scenario, "flap01", stop.Token);
        for (var round = 0; round < Rounds; round++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 1500)));
            await aggregator.KillAsync();
            aggregator = await scenario.StartAggregatorAsync();
        }

        await stop.CancelAsync();
        var published = await publishing;
        await WaitUntilDrainedAsync(scenario, TimeSpan.FromSeconds(120));

        var expected = ExpectedTransitions(published);
        var events = (await scenario.GetJsonAsync("/api/events?rule=cpu_flap&limit=10000"))!.AsArray()
            .Select(e => e!["kind"]!.GetValue<string>()).Where(k => k is "firing" or "resolved").ToList();
        var health = await scenario.GetJsonAsync("/healthz");
        output.WriteLine($"{published.Count} frames published, {expected} transitions expected, {events.Count} recorded; healthz {health}");

        Assert.Equal(expected, events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            Assert.True(events[i] == (i % 2 == 0 ? "firing" : "resolved"), $"transition {i} is {events[i]}: a frame applied twice");
        }

        var mails = await Eventually.ValueAsync(() =>
        {
            var about = smtp.Messages().Where(m => m.Subject.Contains("cpu_flap", StringComparison.Ordinal)).ToList();
            return Task.FromResult(about.Select(m => m.Header("Message-ID").Single()).Distinct().Count() >= expected ? about : null);
        }, TimeSpan.FromSeconds(120), $"{expected} emails");
        var ids = mails.Select(m => m.Header("Message-ID").Single()).ToList();
        output.WriteLine($"{mails.Count} emails, {ids.Distinct().Count()} distinct Message-IDs (a copy with the same Message-ID is the documented "
            + "at-least-once window between the SMTP server's accept and the outbox's mark)");
        Assert.Equal(expected, ids.Distinct().Count());
        Assert.True(mails.Count - expected <= Rounds, $"{mails.Count - expected} repeated emails for {Rounds} kills");
    }

    /// <summary>Firing at each low→high flip, resolved at each high→low flip, from no alert.</summary>
    private static int ExpectedTransitions(IReadOnlyList<bool> highs)
    {
        var count = 0;
        var firing = false;
        foreach (var high in highs)
        {
            if (high != firing)
            {
                firing = high;
                count++;
            }
        }

        return count;
    }

    /// <summary>Publishes numbered cpu frames at 200/s (10 every 50 ms) until cancelled, then 50 low ones; returns each frame's state.</summary>
    private static async Task<List<bool>> PublishFlappingAsync(Scenario scenario, string host, CancellationToken stop)
    {
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var highs = new List<bool>();
        var clock = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        async Task PublishAsync(bool high)
        {
            var seq = highs.Count + 1;
            var cpu = high ? 97 : 12;
            var timestamp = (start + (seq / (double)FramesPerSecond)).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
            var json = $$"""{"hostname":"{{host}}","reporter":"cpu","timestamp":{{timestamp}},"interval":1,"seq":{{seq}},"cpu":{{cpu}},"cpu_cores":[{{cpu}}]}""";
            await channel.BasicPublishAsync(scenario.Exchange, $"{scenario.Prefix}.{host}.cpu", mandatory: true, new BasicProperties { Persistent = true },
                Encoding.UTF8.GetBytes(json));
            highs.Add(high);
        }

        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < FramesPerSecond / 20; i++)
            {
                await PublishAsync((highs.Count / FramesPerState) % 2 == 1);
            }

            var due = TimeSpan.FromSeconds(highs.Count / (double)FramesPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, CancellationToken.None);
            }
        }

        for (var i = 0; i < 50; i++)
        {
            await PublishAsync(false);
        }

        return highs;
    }

    /// <summary>Waits until the aggregator's queue is empty and its acknowledgements are in (no message ready or unacknowledged).</summary>
    private static async Task WaitUntilDrainedAsync(Scenario scenario, TimeSpan timeout)
    {
        await Eventually.ValueAsync(async () => await Broker.MessageCountAsync($"{scenario.Prefix}.aggregator") == 0 ? "drained" : null,
            timeout, "the aggregator's queue drained");
        // Ready is 0; the last deliveries may still be in flight: their acks come within the 200 ms flush.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }
}
