using Psistats.Aggregator.Configuration;
using Psistats.Contracts.Amqp;
using Psistats.Contracts.Configuration;
using RabbitMQ.Client;

namespace Psistats.LoadGen;

/// <summary>The aggregator's broker settings, read from its psistats.ini the way it reads them (environment overrides too).</summary>
internal static class Broker
{
    /// <summary>The aggregator's options from <paramref name="configPath"/>.</summary>
    /// <exception cref="UsageException">The configuration has errors (each as <c>[section] key: message</c>).</exception>
    public static AggregatorOptions Options(string configPath)
    {
        var reader = new SettingsReader(ConfigLoader.Load(configPath));
        var options = AggregatorOptions.Read(reader);
        return reader.Errors.Count == 0
            ? options
            : throw new UsageException($"{configPath}: " + string.Join("; ", reader.Errors));
    }

    /// <summary>A connection made like the aggregator's (ReconnectLoop.CreateFactory: same heartbeat, no recovery).</summary>
    public static Task<IConnection> ConnectAsync(AggregatorOptions options, string clientName, CancellationToken cancellationToken) =>
        ReconnectLoop.CreateFactory(options.Broker, clientName).CreateConnectionAsync(cancellationToken);
}
