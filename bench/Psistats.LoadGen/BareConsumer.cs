using System.Diagnostics;
using System.Globalization;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Consuming;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Psistats.LoadGen;

/// <summary>
/// The yardstick: a consumer that only acknowledges, set up as the aggregator's <c>FrameConsumer</c> is (RabbitMQ.Client,
/// a connection from the same factory, basic.qos with the aggregator's prefetch, manual acks from an
/// <see cref="AsyncEventingBasicConsumer"/>): one by one (<c>ackBatch</c> 1), or batched as the aggregator batches them
/// (<see cref="AckBatcher"/>, one <c>basic.ack</c> with <c>multiple</c> per <c>ackBatch</c> deliveries). It times the frames after
/// the first <c>skip</c>: from the handling of frame <c>skip</c> to the handling of frame <c>skip + count</c>.
/// </summary>
internal static class BareConsumer
{
    /// <summary>Runs the command; prints <c>bare frames=M seconds=S frames_per_s=R</c> and the CPU of the <paramref name="cpu"/> processes over those frames.</summary>
    /// <exception cref="TimeoutException">No delivery for <paramref name="idle"/>.</exception>
    public static async Task RunAsync(AggregatorOptions options, string queue, long skip, long count, int ackBatch, TimeSpan idle,
        CpuMeter cpu, CancellationToken cancellationToken)
    {
        await using var connection = await Broker.ConnectAsync(options, "psistats-loadgen-bare", cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.BasicQosAsync(0, options.Prefetch, global: false, cancellationToken).ConfigureAwait(false);

        var clock = new Stopwatch();
        var started = TimeSpan.Zero;
        var cpuStart = Array.Empty<TimeSpan>();
        var cpuEnd = Array.Empty<TimeSpan>();
        var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        long received = 0;
        using var acks = new AckBatcher(
            (tag, multiple) => channel.BasicAckAsync(tag, multiple),
            (tag, requeue) => channel.BasicNackAsync(tag, multiple: false, requeue),
            ackBatch);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var n = Interlocked.Increment(ref received);
            if (n == 1)
            {
                clock.Start();
            }

            await acks.AckAsync(delivery.DeliveryTag).ConfigureAwait(false);
            if (n == skip)
            {
                started = clock.Elapsed;
                cpuStart = cpu.Snapshot();
            }

            if (n == skip + count)
            {
                var ended = clock.Elapsed;
                cpuEnd = cpu.Snapshot();
                done.TrySetResult(ended);
            }
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumerTag: "", noLocal: false, exclusive: false, arguments: null, consumer,
            cancellationToken).ConfigureAwait(false);

        long seen = -1;
        while (!done.Task.IsCompleted)
        {
            await Task.WhenAny(done.Task, Task.Delay(idle, cancellationToken)).ConfigureAwait(false);
            var now = Interlocked.Read(ref received);
            if (!done.Task.IsCompleted && now == seen)
            {
                throw new TimeoutException($"no delivery from queue {queue} for {idle.TotalSeconds} s after {now} of {skip + count} frames");
            }

            seen = now;
        }

        var seconds = (await done.Task.ConfigureAwait(false) - started).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bare ack_batch={ackBatch} skipped={skip} frames={count} seconds={seconds:F3} frames_per_s={count / seconds:F0}") + cpu.Report(cpuStart, cpuEnd, count));
    }
}
