using Psistats.Aggregator.Consuming;

namespace Psistats.UnitTests.Aggregator;

public sealed class AckBatcherTests
{
    /// <summary>What the batcher sent, in order: "ack 4 multiple", "ack 5", "nack 6 requeue".</summary>
    private readonly List<string> _sent = [];

    private AckBatcher Batcher(int size) => new(
        (tag, multiple) =>
        {
            _sent.Add(multiple ? $"ack {tag} multiple" : $"ack {tag}");
            return ValueTask.CompletedTask;
        },
        (tag, requeue) =>
        {
            _sent.Add(requeue ? $"nack {tag} requeue" : $"nack {tag}");
            return ValueTask.CompletedTask;
        },
        size);

    [Fact]
    public async Task A_full_batch_is_one_multiple_ack_of_its_last_tag()
    {
        using var acks = Batcher(3);
        await acks.AckAsync(1);
        await acks.AckAsync(2);
        Assert.Empty(_sent);
        Assert.Equal(2, acks.Pending);

        await acks.AckAsync(3);
        Assert.Equal(["ack 3 multiple"], _sent);
        Assert.Equal(0, acks.Pending);

        await acks.AckAsync(4);
        await acks.AckAsync(5);
        await acks.AckAsync(6);
        Assert.Equal(["ack 3 multiple", "ack 6 multiple"], _sent);
    }

    [Fact]
    public async Task A_flush_sends_what_is_pending_and_nothing_when_nothing_is()
    {
        using var acks = Batcher(50);
        await acks.FlushAsync();
        Assert.Empty(_sent);

        await acks.AckAsync(7);
        await acks.FlushAsync();
        Assert.Equal(["ack 7"], _sent); // one delivery: not multiple

        await acks.AckAsync(8);
        await acks.AckAsync(9);
        await acks.FlushAsync();
        await acks.FlushAsync();
        Assert.Equal(["ack 7", "ack 9 multiple"], _sent);
    }

    [Fact]
    public async Task A_nack_first_settles_the_earlier_accepted_deliveries_so_the_broker_sees_delivery_order()
    {
        using var acks = Batcher(10);
        await acks.AckAsync(1);
        await acks.AckAsync(2);
        await acks.NackAsync(3, requeue: false);
        await acks.NackAsync(4, requeue: true);
        await acks.AckAsync(5);
        await acks.FlushAsync();

        Assert.Equal(["ack 2 multiple", "nack 3", "nack 4 requeue", "ack 5"], _sent);
    }

    [Fact]
    public async Task A_batch_of_one_acks_each_delivery_on_its_own()
    {
        using var acks = Batcher(1);
        await acks.AckAsync(1);
        await acks.AckAsync(2);
        Assert.Equal(["ack 1", "ack 2"], _sent);
    }

    [Fact]
    public async Task When_the_channel_is_closed_the_send_throws_and_the_pending_acks_are_dropped_for_redelivery()
    {
        var calls = 0;
        using var acks = new AckBatcher(
            (_, _) =>
            {
                calls++;
                throw new ObjectDisposedException("channel");
            },
            (_, _) => ValueTask.CompletedTask,
            2);
        await acks.AckAsync(1);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => acks.AckAsync(2).AsTask());
        Assert.Equal(0, acks.Pending);

        await acks.FlushAsync(); // nothing left to send; the lock was released
        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData(200, 50)]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(8, 2)]
    [InlineData(2000, 100)]
    public void The_batch_is_a_quarter_of_the_prefetch_from_1_to_100(int prefetch, int batch) =>
        Assert.Equal(batch, AckBatcher.BatchSizeFor((ushort)prefetch));

    [Fact]
    public void A_batch_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Batcher(0));
}
