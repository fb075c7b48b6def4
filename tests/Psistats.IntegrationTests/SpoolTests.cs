using System.Globalization;
using System.Text.Json.Nodes;
using Psistats.TestSupport;
using Xunit.Abstractions;

namespace Psistats.IntegrationTests;

/// <summary>The disk spool on the real broker: long outages and an agent killed while the broker is away.</summary>
public sealed class SpoolTests(ITestOutputHelper output)
{
    // Frames published before the outage stay in the queue across the broker restart only if persistent.
    private static string SpoolIni(string spoolDir) => $"[exchange]\ndurable = yes\n[app]\npersistent = yes\nspool_dir = {spoolDir}\n"
        + "[cpu]\ninterval = 0.2\n[mem]\ninterval = 0.2\n[uptime]\nenabled = no\n[ipaddr]\nenabled = no\n[cpu_temp]\nenabled = no\n";

    [Fact]
    public async Task After_a_three_minute_outage_every_frame_produced_meanwhile_arrives_exactly_once_in_order()
    {
        using var spool = new TempDir();
        await using var scenario = new Scenario(SpoolIni(spool.Path));
        var host = $"spool-{scenario.Id}";
        var queue = await FrameQueue.DeclareAsync(scenario, $"{scenario.Prefix}.{host}.#");
        var agent = scenario.StartAgent(new Dictionary<string, string> { ["PSISTATS_app__hostname"] = host });
        await agent.WaitForLineAsync("Connected to", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var (outageStart, outageEnd) = await Outage.RunAsync(agent, TimeSpan.FromMinutes(3));

        var frames = (await FrameQueue.DrainAsync(queue)).Select(f => f.Frame).ToList();
        var (distinct, duplicates) = FrameQueue.AssertInOrderWithoutGaps(frames);
        var during = frames.Where(f => Outage.Within(f, outageStart.AddSeconds(2), outageEnd.AddSeconds(-2))).ToList();
        var duringSeqs = during.Select(f => f["seq"]!.GetValue<long>()).ToList();
        output.WriteLine($"{distinct} distinct frames, {duplicates} duplicates overall, {during.Count} from inside the outage");
        // 2 reporters every 0.2 s over the 176 s strictly inside the outage: about 1760 frames.
        Assert.True(during.Count >= 1500, $"only {during.Count} frames from inside the outage arrived");
        Assert.Equal(duringSeqs.Count, duringSeqs.Distinct().Count());
        Assert.Equal(0, UnconfirmedInSpool(spool.Path));
    }

    [Fact]
    public async Task Frames_spooled_by_an_agent_killed_with_sigkill_arrive_after_it_restarts()
    {
        using var spool = new TempDir();
        await using var scenario = new Scenario(SpoolIni(spool.Path));
        var host = $"killed-{scenario.Id}";
        var env = new Dictionary<string, string> { ["PSISTATS_app__hostname"] = host };
        var queue = await FrameQueue.DeclareAsync(scenario, $"{scenario.Prefix}.{host}.#");
        await Broker.StopAppAsync();
        try
        {
            var first = scenario.StartAgent(env);
            await first.WaitForLineAsync("unreachable", TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(3));
            await first.KillAsync();
            Assert.Equal(137, first.ExitCode);
            var spooled = Directory.GetFiles(spool.Path, "segment-*.log").Sum(f => File.ReadAllLines(f).Length);
            output.WriteLine($"{spooled} frames in the spool when the agent was killed");
            Assert.True(spooled >= 20, $"{spooled} frames spooled in 3 s");

            var second = scenario.StartAgent(env);
            await second.WaitForLineAsync($"{spooled} frames waiting from before this start", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await Broker.StartAppAsync();
        }

        await Eventually.TrueAsync(() => UnconfirmedInSpool(spool.Path) == 0, TimeSpan.FromSeconds(60), "spool drained");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var frames = (await FrameQueue.DrainAsync(queue)).Select(f => f.Frame).ToList();

        var (distinct, duplicates) = FrameQueue.AssertInOrderWithoutGaps(frames);
        output.WriteLine($"{distinct} distinct frames, {duplicates} duplicates");
        Assert.Equal(1, frames[0]["seq"]!.GetValue<long>());
        Assert.Equal(0, duplicates);
    }

    /// <summary>Lines in the spool's segments above its <c>confirmed</c> marker (read as the format doc says).</summary>
    private static int UnconfirmedInSpool(string directory)
    {
        var marker = Path.Combine(directory, "confirmed");
        var confirmed = File.Exists(marker) ? long.Parse(File.ReadAllText(marker), CultureInfo.InvariantCulture) : 0;
        return Directory.GetFiles(directory, "segment-*.log")
            .SelectMany(File.ReadAllLines)
            .Count(line => long.Parse(line.Split('\t')[0], CultureInfo.InvariantCulture) > confirmed);
    }
}
