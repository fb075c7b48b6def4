using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using Psistats.Aggregator.Configuration;
using Psistats.Bench;
using Psistats.Contracts.Frames;
using Psistats.Contracts.Topology;
using RabbitMQ.Client;

namespace Psistats.LoadGen;

/// <summary>
/// Publishes the fleet's frames into the exchange as agents do (routing key <c>prefix.host.reporter</c>, content type
/// application/json, type = reporter, transient; each frame with its host's next <c>seq</c> and a later timestamp), with publisher confirms, so that every frame is in the bound queues
/// when it returns: first one frame of every reporter of every host (<see cref="Fleet.FirstRound"/>), then
/// <c>frames</c> frames of <see cref="Fleet.Schedule"/>.
/// </summary>
internal static class Publisher
{
    /// <summary>Publishes waiting for at most this many confirms at once.</summary>
    private const int InFlight = 1000;

    /// <summary>Runs the command; prints <c>publish first_round=W measured=M bytes=B seconds=S frames_per_s=R</c>.</summary>
    public static async Task RunAsync(AggregatorOptions options, int hosts, long frames, CancellationToken cancellationToken)
    {
        var fleet = new Fleet(FixtureFrames.Load(), hosts);
        var broker = options.Broker;
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = InFlight,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        await using var connection = await Broker.ConnectAsync(options, "psistats-loadgen-publish", cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, limiter),
            cancellationToken).ConfigureAwait(false);
        await Topology.DeclareExchangeAsync(channel, broker, cancellationToken).ConfigureAwait(false);

        var firstRound = fleet.FirstRound().ToList();
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(InFlight);
        long bytes = 0;
        long seq = 0;
        // Each host numbers its frames as an agent does, and time moves on by 10 µs a frame (3 s for 310,000 frames, less than a
        // publishing round takes): no frame repeats another, in this round or the next.
        var hostSeq = new Dictionary<string, long>(StringComparer.Ordinal);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        foreach (var (host, frame) in firstRound.Concat(fleet.Schedule().Take((int)frames)))
        {
            hostSeq[host] = hostSeq.GetValueOrDefault(host) + 1;
            var body = frame.For(host, hostSeq[host], start + (seq / 100_000.0));
            bytes += body.Length;
            var properties = new BasicProperties
            {
                ContentType = FrameSerializer.ContentType,
                ContentEncoding = FrameSerializer.ContentEncoding,
                Type = frame.Reporter,
                AppId = "psistats-loadgen",
                MessageId = (++seq).ToString(CultureInfo.InvariantCulture),
                Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                DeliveryMode = DeliveryModes.Transient,
            };
            pending.Add(channel.BasicPublishAsync(broker.ExchangeName, RoutingKeys.ForFrame(broker.Prefix, host, frame.Reporter), mandatory: false,
                properties, body, cancellationToken).AsTask());
            if (pending.Count == InFlight)
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"publish hosts={hosts} first_round={firstRound.Count} measured={frames} bytes={bytes} seconds={seconds:F3} frames_per_s={seq / seconds:F0}"));
    }
}
