using Psistats.Contracts.Configuration;
using RabbitMQ.Client;

namespace Psistats.Contracts.Amqp;

/// <summary>
/// The connection loop both programs use instead of RabbitMQ.Client's automatic recovery: that recovery
/// does not retry a failed first connect, and topology must not be redeclared from its events
/// (rabbitmq-dotnet-client issue 2038). Here every connection is fresh, and the session redeclares
/// what it needs each time.
/// </summary>
public static class ReconnectLoop
{
    /// <summary>A connection factory for <paramref name="broker"/>, automatic recovery off.</summary>
    public static ConnectionFactory CreateFactory(BrokerOptions broker, string clientName)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return new ConnectionFactory
        {
            Uri = broker.Url,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedHeartbeat = broker.Heartbeat,
            RequestedConnectionTimeout = broker.ConnectTimeout,
            ClientProvidedName = clientName,
        };
    }

    /// <summary>
    /// Until <paramref name="stoppingToken"/> fires: connects, runs <paramref name="session"/> on the connection
    /// until it returns or throws, disposes the connection, waits <c>[app] retry_timer</c>, and starts over.
    /// Connect failures and session exceptions go to <paramref name="onFailure"/>; nothing escapes but cancellation.
    /// </summary>
    /// <param name="factory">Creates each connection.</param>
    /// <param name="retryTimer">Wait between two attempts.</param>
    /// <param name="time">Clock for the wait.</param>
    /// <param name="session">The work done on one connection; returns when the connection is lost.</param>
    /// <param name="onFailure">Told of every failed attempt or session (the caller decides what to log).</param>
    /// <param name="stoppingToken">Stops the loop.</param>
    public static async Task RunAsync(IConnectionFactory factory, TimeSpan retryTimer, TimeProvider time,
        Func<IConnection, CancellationToken, Task> session, Action<Exception> onFailure, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(onFailure);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync(stoppingToken).ConfigureAwait(false);
                await session(connection, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                onFailure(ex);
            }

            try
            {
                await Task.Delay(retryTimer, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
