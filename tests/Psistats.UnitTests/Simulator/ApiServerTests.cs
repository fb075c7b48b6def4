using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Psistats.CgminerSimulator;
using Psistats.CgminerSimulator.Api;
using Psistats.CgminerSimulator.Faults;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Simulator;

/// <summary>
/// The simulator over real loopback sockets, on a fake clock: one reply per connection, connections served
/// independently, the read timeout, the API faults on the wire, reboot, restart and quit.
/// </summary>
public sealed class ApiServerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new();
    private readonly TempDir _dir = new();
    private SimulatorLog _log = null!;
    private Psistats.CgminerSimulator.Simulator _simulator = null!;

    private int Port => _simulator.ApiPort;

    public Task InitializeAsync() => StartAsync(allowPrivileged: false);

    public async Task DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }

    private async Task StopAsync()
    {
        await _simulator.DisposeAsync();
        _log.Dispose();
    }

    private async Task StartAsync(bool allowPrivileged)
    {
        _log = new SimulatorLog(_dir.File("cgminer.log"), _clock, console: null);
        var options = new SimulatorOptions { Port = 0, Name = "rig1", Seed = 42, AllowPrivileged = allowPrivileged };
        _simulator = new Psistats.CgminerSimulator.Simulator(options, _clock, _log);
        await _simulator.StartAsync();
    }

    private async Task RestartWithPrivilegesAsync()
    {
        await StopAsync();
        await StartAsync(allowPrivileged: true);
    }

    private string LogText()
    {
        using var reader = new StreamReader(new FileStream(_dir.File("cgminer.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    private static async Task<Socket> SendAsync(int port, string request)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        if (request.Length > 0)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(request));
        }

        return socket;
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reply = new List<byte>();
        var buffer = new byte[8192];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            reply.AddRange(buffer.AsSpan(0, n));
        }

        return reply.ToArray();
    }

    private static async Task<byte[]> AskAsync(int port, string request)
    {
        using var socket = await SendAsync(port, request);
        return await ReadToEndAsync(socket);
    }

    private static bool ClosedByPeer(Socket socket) => socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;

    /// <summary>Moves the fake clock a second at a time until <paramref name="done"/> holds; returns how far it moved.</summary>
    private async Task<TimeSpan> AdvanceUntilAsync(Func<bool> done, string what)
    {
        var moved = TimeSpan.Zero;
        await Eventually.TrueAsync(() =>
        {
            if (done())
            {
                return true;
            }

            _clock.Advance(TimeSpan.FromSeconds(1));
            moved += TimeSpan.FromSeconds(1);
            return false;
        }, TimeSpan.FromSeconds(20), what);
        return moved;
    }

    [Fact]
    public async Task Each_connection_gets_one_reply_ending_with_a_nul_then_is_closed()
    {
        var reply = await AskAsync(Port, "{\"command\":\"summary\"}");

        Assert.Equal(0, reply[^1]);
        Assert.Equal(11, JsonDocument.Parse(reply.AsMemory(0, reply.Length - 1)).RootElement.GetProperty("STATUS")[0].GetProperty("Code").GetInt32());
        Assert.EndsWith("|", Encoding.UTF8.GetString(await AskAsync(Port, "asccount")).TrimEnd('\0'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_request_blocks_neither_other_clients_nor_the_control_of_the_miner()
    {
        await _simulator.SwitchOnAsync(FaultNames.Hang, null);
        using var first = await SendAsync(Port, "summary");
        using var second = await SendAsync(Port, "pools");
        await Eventually.TrueAsync(() => LogText().Contains("'pools'", StringComparison.Ordinal) && LogText().Contains("'summary'", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "both requests read while both hang");

        await _simulator.SwitchOffAsync(FaultNames.Hang);
        var third = await AskAsync(Port, "asccount");

        Assert.Contains("ASCS,Count=2|", Encoding.UTF8.GetString(third), StringComparison.Ordinal);
        Assert.False(ClosedByPeer(first));
        Assert.Equal(0, first.Available);
        first.Shutdown(SocketShutdown.Send);
        Assert.Empty(await ReadToEndAsync(first));
    }

    [Fact]
    public async Task A_client_that_sends_nothing_is_closed_after_the_read_timeout()
    {
        using var silent = await SendAsync(Port, "");
        Assert.Contains("Summary", Encoding.UTF8.GetString(await AskAsync(Port, "summary")), StringComparison.Ordinal);

        var waited = await AdvanceUntilAsync(() => ClosedByPeer(silent), "the silent connection closed");

        Assert.True(waited >= ApiServer.ReadTimeout, $"closed after {waited}");
        Assert.Contains("sent no request within 10 s", LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_answers_after_its_delay()
    {
        await _simulator.SwitchOnAsync(FaultNames.Slow, TimeSpan.FromSeconds(3));
        using var client = await SendAsync(Port, "summary");
        await Eventually.TrueAsync(() => LogText().Contains("'summary'", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "request read");

        var waited = await AdvanceUntilAsync(() => ClosedByPeer(client) || client.Available > 0, "the slow reply");

        Assert.True(waited >= TimeSpan.FromSeconds(3), $"answered after {waited}");
        Assert.Contains("Msg=Summary", Encoding.UTF8.GetString(await ReadToEndAsync(client)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuse_closes_the_port_and_switching_it_off_reopens_the_same_port()
    {
        var port = Port;
        await _simulator.SwitchOnAsync(FaultNames.Refuse, null);

        var refused = await Assert.ThrowsAsync<SocketException>(() => AskAsync(port, "summary"));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        await _simulator.SwitchOffAsync(FaultNames.Refuse);
        Assert.Equal(port, Port);
        Assert.Contains("Msg=Summary", Encoding.UTF8.GetString(await AskAsync(port, "summary")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_and_no_nul_replies_end_with_the_connection()
    {
        var whole = await AskAsync(Port, "{\"command\":\"pools\"}");
        await _simulator.SwitchOnAsync(FaultNames.Truncated, null);
        var truncated = await AskAsync(Port, "{\"command\":\"pools\"}");
        await _simulator.SwitchOffAsync(null);
        await _simulator.SwitchOnAsync(FaultNames.NoNul, null);
        var noNul = await AskAsync(Port, "{\"command\":\"pools\"}");

        Assert.Equal(whole.Length / 2, truncated.Length, 1.0);
        Assert.DoesNotContain((byte)0, truncated);
        Assert.Equal(whole.Length - 1, noNul.Length);
        Assert.Equal((byte)'}', noNul[^1]);
    }

    [Fact]
    public async Task Reboot_refuses_connections_then_comes_back_healthy()
    {
        await _simulator.SwitchOnAsync(FaultNames.AsicSick, null);
        _clock.Advance(TimeSpan.FromMinutes(10));
        await _simulator.SwitchOnAsync(FaultNames.Hang, null);
        using var dropped = await SendAsync(Port, "pools");
        await Eventually.TrueAsync(() => LogText().Contains("'pools'", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "request read");

        Assert.True(await _simulator.RebootAsync());

        Assert.Equal("rebooting", _simulator.Status().State);
        Assert.Equal(1, _simulator.Status().Reboots);
        Assert.False(_simulator.ApiOpen);
        Assert.Equal(SocketError.ConnectionRefused, (await Assert.ThrowsAsync<SocketException>(() => AskAsync(Port, "summary"))).SocketErrorCode);
        Assert.Empty(await ReadToEndAsync(dropped));
        Assert.False(await _simulator.RebootAsync());
        Assert.Null(await _simulator.SwitchOnAsync(FaultNames.Slow, null));

        var waited = await AdvanceUntilAsync(() => _simulator.RebootCompletion.IsCompleted, "the end of the reboot");

        Assert.True(waited >= TimeSpan.FromSeconds(20), $"back after {waited}");
        await _simulator.RebootCompletion;
        var status = _simulator.Status();
        Assert.Equal(("running", 1), (status.State, status.Reboots));
        Assert.Empty(status.Faults);
        var asc = Encoding.UTF8.GetString(await AskAsync(Port, "asc|0"));
        Assert.Contains("Status=Alive,", asc, StringComparison.Ordinal);
        Assert.Contains("Device Elapsed=0|", asc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_when_allowed_starts_the_counters_from_zero()
    {
        await RestartWithPrivilegesAsync();
        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal("RESTART\0", Encoding.UTF8.GetString(await AskAsync(Port, "restart")));

        await Eventually.TrueAsync(() => _simulator.Miner.Elapsed == 0, TimeSpan.FromSeconds(10), "cgminer restarted");
        Assert.Equal("running", _simulator.Status().State);
        Assert.Contains("SUMMARY,Elapsed=0,", Encoding.UTF8.GetString(await AskAsync(Port, "summary")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quit_when_allowed_stops_the_api_until_a_reboot()
    {
        await RestartWithPrivilegesAsync();

        Assert.Equal("{\"STATUS\":\"BYE\",\"id\":1}\0", Encoding.UTF8.GetString(await AskAsync(Port, "{\"command\":\"quit\"}")));

        await Eventually.TrueAsync(() => !_simulator.ApiOpen, TimeSpan.FromSeconds(10), "API closed");
        Assert.Equal("stopped", _simulator.Status().State);
        Assert.True(await _simulator.RebootAsync());
        await AdvanceUntilAsync(() => _simulator.RebootCompletion.IsCompleted, "the end of the reboot");
        Assert.Contains("Msg=Summary", Encoding.UTF8.GetString(await AskAsync(Port, "summary")), StringComparison.Ordinal);
    }
}
