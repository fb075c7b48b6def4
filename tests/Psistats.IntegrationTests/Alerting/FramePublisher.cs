using System.Text;
using RabbitMQ.Client;

namespace Psistats.IntegrationTests.Alerting;

/// <summary>Publishes hand-made frames to a scenario's exchange, as an agent would (routing key prefix.host.reporter).</summary>
public sealed class FramePublisher : IAsyncDisposable
{
    private readonly Scenario _scenario;
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private FramePublisher(Scenario scenario, IConnection connection, IChannel channel)
    {
        _scenario = scenario;
        _connection = connection;
        _channel = channel;
    }

    /// <summary>Connects to the test broker.</summary>
    public static async Task<FramePublisher> ConnectAsync(Scenario scenario)
    {
        var connection = await Broker.ConnectAsync();
        var channel = await connection.CreateChannelAsync();
        return new FramePublisher(scenario, connection, channel);
    }

    /// <summary>Publishes one frame body (JSON) for <paramref name="host"/>'s <paramref name="reporter"/>.</summary>
    public async Task PublishAsync(string host, string reporter, string json)
    {
        var key = $"{_scenario.Prefix}.{new string(host.Where(char.IsLetterOrDigit).ToArray())}.{reporter}";
        await _channel.BasicPublishAsync(_scenario.Exchange, key, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>A cpu frame with <paramref name="cpu"/> percent busy.</summary>
    public Task CpuAsync(string host, double cpu) =>
        PublishAsync(host, "cpu", $$"""{"hostname":{{System.Text.Json.JsonSerializer.Serialize(host)}},"reporter":"cpu","timestamp":1,"interval":1,"cpu":{{cpu}},"cpu_cores":[{{cpu}}]}""");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
