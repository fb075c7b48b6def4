using System.Diagnostics;
using RabbitMQ.Client;

namespace Psistats.IntegrationTests;

/// <summary>
/// The private RabbitMQ node that <c>./run.sh test</c> starts (scripts/broker.sh). These tests never
/// skip: without the node they fail and say how to run them.
/// </summary>
public static class Broker
{
    /// <summary>AMQP URL of the test node, from PSISTATS_TEST_AMQP_URL.</summary>
    public static Uri Url => new(Environment.GetEnvironmentVariable("PSISTATS_TEST_AMQP_URL")
        ?? throw new InvalidOperationException(
            "PSISTATS_TEST_AMQP_URL is not set: run the integration tests with ./run.sh test, which starts a private RabbitMQ node on loopback"));

    private static string Script => Environment.GetEnvironmentVariable("PSISTATS_TEST_BROKER_SCRIPT")
        ?? throw new InvalidOperationException("PSISTATS_TEST_BROKER_SCRIPT is not set: run the integration tests with ./run.sh test");

    /// <summary>Opens a connection for the test's own publishing and consuming.</summary>
    public static Task<IConnection> ConnectAsync() =>
        new ConnectionFactory { Uri = Url, AutomaticRecoveryEnabled = false, ClientProvidedName = "psistats-integration-test" }.CreateConnectionAsync();

    /// <summary>Messages ready in <paramref name="queue"/> (not counting those delivered and not yet acknowledged).</summary>
    public static async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>Stops the RabbitMQ application (connections drop, the port refuses) without losing durable state.</summary>
    public static Task StopAppAsync() => RunScriptAsync("stop_app");

    /// <summary>Starts the RabbitMQ application again and waits until the port accepts connections.</summary>
    public static Task StartAppAsync() => RunScriptAsync("start_app");

    private static async Task RunScriptAsync(string verb)
    {
        var info = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(verb);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Script} {verb} exited {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
