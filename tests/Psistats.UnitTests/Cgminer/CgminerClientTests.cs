using System.Net;
using System.Net.Sockets;
using System.Text;
using Psistats.Agent.Cgminer;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Cgminer;

public sealed class CgminerClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static CgminerClient Client(FakeMiner miner, TimeProvider? time = null, TimeSpan? timeout = null) =>
        new("127.0.0.1", miner.Port, timeout ?? Timeout, time ?? TimeProvider.System);

    [Fact]
    public async Task A_command_over_a_real_socket_gives_the_typed_reply()
    {
        await using var miner = FakeMiner.Cointerra();

        var result = await Client(miner).RunAsync("asc", "1", CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal("ASC1", result.Reply!.Status.Msg);
        Assert.Equal(1, CgminerReplies.Asc(result.Reply)!.Id);
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = await new CgminerClient("127.0.0.1", port, Timeout, TimeProvider.System).RunAsync("summary", null, CancellationToken.None);

        Assert.Equal(CgminerErrorKind.Refused, result.Error!.Kind);
        Assert.True(result.IsUnreachable);
        Assert.Contains($"127.0.0.1:{port}", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_miner_that_accepts_and_never_answers_times_out_when_the_timeout_has_passed()
    {
        var clock = new FakeTimeProvider();
        await using var miner = new FakeMiner((_, _) => new FakeReply.Hang());
        var run = Client(miner, clock).RunAsync("summary", null, CancellationToken.None);
        await Eventually.TrueAsync(() => miner.Requests == 1, TimeSpan.FromSeconds(5), "the request reaches the miner");

        clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        await Task.Delay(100);
        Assert.False(run.IsCompleted, "no reply yet, and the timeout has not passed");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(CgminerErrorKind.Timeout, result.Error!.Kind);
        Assert.Equal($"no complete reply from 127.0.0.1:{miner.Port} within 5 s", result.Error.Message);
        Assert.True(result.IsUnreachable);
    }

    [Fact]
    public async Task The_whole_reply_is_bounded_not_each_read()
    {
        // One byte every 50 ms: each read is quick, the reply would take half a minute.
        var reply = File.ReadAllBytes(RepoPaths.Fixture("cgminer", "cointerra-4.3.5", "summary.reply"));
        await using var miner = new FakeMiner((_, _) => new FakeReply.Drip(reply, TimeSpan.FromMilliseconds(50)));

        var result = await Client(miner, timeout: TimeSpan.FromSeconds(0.5)).RunAsync("summary", null, CancellationToken.None);

        Assert.Equal(CgminerErrorKind.Timeout, result.Error!.Kind);
    }

    [Fact]
    public async Task A_close_without_reply_is_empty_and_a_reset_is_reset()
    {
        await using var silent = new FakeMiner((_, _) => new FakeReply.Bytes([]));
        await using var resetting = new FakeMiner((_, _) => new FakeReply.Reset());

        var empty = await Client(silent).RunAsync("summary", null, CancellationToken.None);
        var reset = await Client(resetting).RunAsync("summary", null, CancellationToken.None);

        Assert.Equal(CgminerErrorKind.Empty, empty.Error!.Kind);
        Assert.Equal(CgminerErrorKind.Reset, reset.Error!.Kind);
    }

    [Fact]
    public async Task A_reply_over_the_cap_is_too_large()
    {
        var huge = Encoding.ASCII.GetBytes("{\"STATUS\":[{\"STATUS\":\"S\"}],\"X\":\"" + new string('x', CgminerClient.MaxReplyBytes) + "\"}\0");
        await using var miner = new FakeMiner((_, _) => new FakeReply.Bytes(huge));

        var result = await Client(miner).RunAsync("summary", null, CancellationToken.None);

        Assert.Equal(CgminerErrorKind.TooLarge, result.Error!.Kind);
        Assert.False(result.IsUnreachable);
    }

    [Fact]
    public async Task Bytes_after_the_nul_are_not_read_into_the_reply()
    {
        var reply = File.ReadAllBytes(RepoPaths.Fixture("cgminer", "cointerra-4.3.5", "summary.reply")).Concat("garbage"u8.ToArray()).ToArray();
        await using var miner = new FakeMiner((_, _) => new FakeReply.Bytes(reply));

        var result = await Client(miner).RunAsync("summary", null, CancellationToken.None);

        Assert.Null(result.Error);
    }

    [Fact]
    public async Task Only_the_callers_cancellation_throws()
    {
        await using var miner = new FakeMiner((_, _) => new FakeReply.Hang());
        using var cancel = new CancellationTokenSource();
        var run = Client(miner).RunAsync("summary", null, cancel.Token);
        await Eventually.TrueAsync(() => miner.Requests == 1, TimeSpan.FromSeconds(5), "the request reaches the miner");

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
