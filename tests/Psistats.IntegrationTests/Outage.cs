using Psistats.TestSupport;

namespace Psistats.IntegrationTests;

/// <summary>A broker outage played against a running, connected agent.</summary>
public static class Outage
{
    /// <summary>
    /// Stops the broker application for <paramref name="length"/> (connections drop, the port refuses), starts it
    /// again, waits until the agent has reconnected and published for a few seconds, then stops the agent with
    /// SIGTERM. Returns the outage window by the test machine's clock.
    /// </summary>
    public static async Task<(DateTimeOffset Start, DateTimeOffset End)> RunAsync(ProgramProcess agent, TimeSpan length)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var connections = agent.Lines.Count(l => l.Contains("Connected to", StringComparison.Ordinal));
        var start = DateTimeOffset.UtcNow;
        await Broker.StopAppAsync();
        try
        {
            await agent.WaitForLineAsync("Connection to the broker lost", TimeSpan.FromSeconds(15));
            await Task.Delay(length - (DateTimeOffset.UtcNow - start));
        }
        finally
        {
            await Broker.StartAppAsync();
        }

        var end = DateTimeOffset.UtcNow;
        await Eventually.TrueAsync(() => agent.Lines.Count(l => l.Contains("Connected to", StringComparison.Ordinal)) > connections,
            TimeSpan.FromSeconds(30), "agent reconnected");
        await Task.Delay(TimeSpan.FromSeconds(3));
        agent.Terminate();
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(6)), agent.Output);
        return (start, end);
    }

    /// <summary>True when the frame's timestamp lies in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static bool Within(System.Text.Json.Nodes.JsonNode frame, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var t = frame["timestamp"]!.GetValue<double>();
        return t >= from.ToUnixTimeMilliseconds() / 1000.0 && t <= to.ToUnixTimeMilliseconds() / 1000.0;
    }
}
