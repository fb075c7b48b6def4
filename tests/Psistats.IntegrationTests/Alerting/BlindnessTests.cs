using System.Globalization;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests.Alerting;

/// <summary>
/// The aggregator cut off from the broker (the real node's application stopped) is blind, not surrounded by dead hosts:
/// one aggregator_blind email instead of a host_down per host, and DOWN detection back when the broker is.
/// </summary>
public sealed class BlindnessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    /// <summary>Long enough that a loaded machine's delay between the last frame and the consumer noticing the outage stays below it.</summary>
    private static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_broker_outage_longer_than_down_after_is_one_aggregator_blind_alert_and_no_host_goes_down_until_it_is_over()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var scenario = new Scenario($"[aggregator]\ndown_after = {DownAfter.TotalSeconds}\n" + smtp.AggregatorIni());
        var aggregator = await scenario.StartAggregatorAsync();
        await aggregator.WaitForLineAsync("Consuming", Wait);
        string[] hosts = ["blind1", "blind2", "blind3"];
        // The hosts are alive until the broker goes: a frame each every 0.5 s until the publisher's connection is closed by
        // the broker's stop (its connection does not recover, so the hosts are silent after the outage).
        await using var publisher = await FramePublisher.ConnectAsync(scenario);
        using var stopPublishing = new CancellationTokenSource();
        var alive = Task.Run(async () =>
        {
            try
            {
                while (!stopPublishing.IsCancellationRequested)
                {
                    foreach (var host in hosts)
                    {
                        await publisher.CpuAsync(host, 5);
                    }

                    await Task.Delay(500, stopPublishing.Token);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Stopped, or the broker went (whatever the client throws then).
            }
        });
        foreach (var host in hosts)
        {
            await scenario.WaitForHostAsync(host, h => h["state"]?.GetValue<string>() == "up", Wait, $"{host} up");
        }

        DateTimeOffset back;
        try
        {
            await Broker.StopAppAsync();
            await stopPublishing.CancelAsync();
            await alive;

            var firing = await Eventually.ValueAsync(
                () => Task.FromResult(smtp.Messages().FirstOrDefault(m => m.Subject.Contains("aggregator_blind", StringComparison.Ordinal))),
                Wait, "the aggregator_blind email while the broker is stopped");
            Assert.Contains("FIRING", firing.Subject, StringComparison.Ordinal);

            // Well past down_after without a frame from anyone: nobody is DOWN, the one alert says why.
            await Task.Delay(DownAfter + TimeSpan.FromSeconds(1));
            foreach (var host in hosts)
            {
                Assert.Equal("up", (await scenario.GetJsonAsync($"/api/hosts/{host}"))!["state"]!.GetValue<string>());
            }

            var alert = Assert.Single((await scenario.GetJsonAsync("/api/alerts"))!.AsArray());
            Assert.Equal(("aggregator_blind", "aggregator"), (alert!["rule"]!.GetValue<string>(), alert["host"]!.GetValue<string>()));
            Assert.Contains(aggregator.Lines, l => l.Contains("Not consuming from the broker", StringComparison.Ordinal));
        }
        finally
        {
            await Broker.StartAppAsync();
            back = DateTimeOffset.UtcNow;
        }

        await Eventually.ValueAsync(
            () => Task.FromResult(smtp.Messages().FirstOrDefault(m =>
                m.Subject.Contains("aggregator_blind", StringComparison.Ordinal) && m.Subject.Contains("RESOLVED", StringComparison.Ordinal))),
            Wait, "the aggregator_blind resolve notice once the broker is back");

        // The hosts really are silent: DOWN detection resumes, each host going DOWN one down_after after the consumer was back.
        foreach (var host in hosts)
        {
            await scenario.WaitForHostAsync(host, h => h["state"]?.GetValue<string>() == "down", Wait, $"{host} down after the outage");
        }

        var resumed = (await scenario.GetJsonAsync("/api/events?rule=aggregator_blind&kind=resolved"))!.AsArray();
        var resumedAt = DateTimeOffset.Parse(Assert.Single(resumed)!["time"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        foreach (var host in hosts)
        {
            var down = Assert.Single((await scenario.GetJsonAsync($"/api/events?host={host}&kind=DOWN"))!.AsArray());
            var downAt = DateTimeOffset.Parse(down!["time"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            Assert.True(downAt - resumedAt >= DownAfter,
                $"{host} DOWN at {downAt:O}, less than down_after after the consumer was back at {resumedAt:O} (broker started {back:O})");
        }

        static bool HostDownFiring(ReceivedMail m) =>
            m.Subject.Contains("host_down", StringComparison.Ordinal) && m.Subject.Contains("FIRING", StringComparison.Ordinal);
        await Eventually.TrueAsync(() => smtp.Messages().Count(HostDownFiring) >= hosts.Length, Wait, "the host_down emails after the outage");
        Assert.Equal(hosts.Length, smtp.Messages().Count(HostDownFiring));
        Assert.Single(smtp.Messages(), m => m.Subject.Contains("aggregator_blind", StringComparison.Ordinal) && m.Subject.Contains("FIRING", StringComparison.Ordinal));
        Assert.Contains(aggregator.Lines, l => l.Contains("Consuming again after", StringComparison.Ordinal));
    }
}
