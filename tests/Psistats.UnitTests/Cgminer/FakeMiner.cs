using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Cgminer;

/// <summary>What a <see cref="FakeMiner"/> does with one request.</summary>
public abstract record FakeReply
{
    /// <summary>Sends these bytes, then closes.</summary>
    public sealed record Bytes(byte[] Data) : FakeReply;

    /// <summary>Reads the request and never answers; the socket stays open until the client goes or the miner is disposed.</summary>
    public sealed record Hang : FakeReply;

    /// <summary>Closes with a TCP reset (SO_LINGER 0) without answering.</summary>
    public sealed record Reset : FakeReply;

    /// <summary>Sends the bytes one at a time, <paramref name="Gap"/> apart.</summary>
    public sealed record Drip(byte[] Data, TimeSpan Gap) : FakeReply;

    /// <summary>The bytes of a committed fixture under tests/fixtures/cgminer/.</summary>
    public static Bytes Fixture(string relative) => new(File.ReadAllBytes(RepoPaths.Fixture("cgminer", relative)));
}

/// <summary>
/// A TCP server on loopback that reads one request per connection as cgminer does (a single read) and answers what
/// the test's responder says for the request's command and parameter.
/// </summary>
public sealed class FakeMiner : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, string?, FakeReply> _responder;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<Task> _connections = [];
    private int _requests;

    public FakeMiner(Func<string, string?, FakeReply> responder)
    {
        _responder = responder;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    /// <summary>The fixture set of a Cointerra TerraMiner (tests/fixtures/cgminer/cointerra-4.3.5/).</summary>
    public static FakeMiner Cointerra() => new((command, parameter) => FakeReply.Fixture($"cointerra-4.3.5/{command}{parameter}.reply"));

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests read so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var socket = client;
        try
        {
            var buffer = new byte[4095];
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (length == 0)
            {
                // The client closed before sending a command (its own timeout passed first, on a loaded machine).
                return;
            }

            Interlocked.Increment(ref _requests);
            using var request = JsonDocument.Parse(buffer.AsMemory(0, length));
            var command = request.RootElement.GetProperty("command").GetString()!;
            var parameter = request.RootElement.TryGetProperty("parameter", out var p) ? p.GetString() : null;
            switch (_responder(command, parameter))
            {
                case FakeReply.Bytes bytes:
                    await socket.SendAsync(bytes.Data, SocketFlags.None, _stop.Token);
                    socket.Shutdown(SocketShutdown.Both);
                    break;
                case FakeReply.Hang:
                    // Wait for the client to close (a read of 0) or the test to end.
                    await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    break;
                case FakeReply.Reset:
                    socket.LingerState = new LingerOption(true, 0);
                    break;
                case FakeReply.Drip drip:
                    foreach (var b in drip.Data)
                    {
                        await socket.SendAsync(new[] { b }, SocketFlags.None, _stop.Token);
                        await Task.Delay(drip.Gap, _stop.Token);
                    }

                    break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
        {
            // The client went, or the test ended.
        }
    }
}
