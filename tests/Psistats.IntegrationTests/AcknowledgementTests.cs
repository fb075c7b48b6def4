using Psistats.IntegrationTests.Alerting;
using Psistats.TestSupport;
using RabbitMQ.Client;

namespace Psistats.IntegrationTests;

/// <summary>The aggregator's batched acknowledgements, seen from the real broker.</summary>
public sealed class AcknowledgementTests
{
    [Fact]
    public async Task Every_accepted_frame_is_acknowledged_also_a_batch_that_never_fills_so_a_sigkill_redelivers_nothing()
    {
        // prefetch 200 -> one basic.ack per 50 frames; 120 frames = two full batches and 20 left to the 200 ms flush.
        await using var scenario = new Scenario("[aggregator]\nprefetch = 200\n");
        var aggregator = await scenario.StartAggregatorAsync();
        await aggregator.WaitForLineAsync("Consuming", TimeSpan.FromSeconds(30));
        const int Frames = 120;
        await using (var publisher = await FramePublisher.ConnectAsync(scenario))
        {
            for (var i = 0; i < Frames; i++)
            {
                await publisher.CpuAsync($"ack{i}", i);
            }
        }

        await Eventually.ValueAsync(
            async () => (await scenario.GetJsonAsync("/healthz"))!["frames_accepted"]!.GetValue<long>() == Frames ? "accepted" : null,
            TimeSpan.FromSeconds(30), $"the aggregator accepting the {Frames} frames");

        // Well past the flush interval (200 ms), then killed as a power cut would: what was acknowledged stays consumed,
        // anything not acknowledged goes back to the queue as ready.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await aggregator.KillAsync();
        var queue = $"{scenario.Prefix}.aggregator";
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var state = await Eventually.ValueAsync<QueueDeclareOk>(async () =>
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue);
            return ok.ConsumerCount == 0 ? ok : null;
        }, TimeSpan.FromSeconds(30), "the broker noticing the killed consumer");

        Assert.Equal(0u, state.MessageCount);
    }
}
