using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Psistats.CgminerSimulator.Faults;

namespace Psistats.CgminerSimulator.Api;

/// <summary>
/// The cgminer API port: one request per connection, answered and closed, as api.c does — a single read of at most
/// <see cref="ApiRequest.MaxBytes"/> bytes, the reply, close. Unlike cgminer (one thread that serves connections in
/// turn and waits for ever on a silent client), each connection is served on its own, so a <c>hang</c> or <c>slow</c>
/// reply never delays another client or the control port, and a client that sends nothing is closed after
/// <see cref="ReadTimeout"/>. The listener can be closed and opened again on the same port (<c>refuse</c>, reboot);
/// closing it also drops the connections in progress, as a reboot would.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    /// <summary>How long a connection may stay silent before it is closed without a reply.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private const int Backlog = 100;
    private readonly IPAddress _address;
    private readonly ApiDispatcher _dispatcher;
    private readonly FaultSet _faults;
    private readonly TimeProvider _time;
    private readonly SimulatorLog _log;
    private readonly Action<ApiAfter> _afterReply;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private int _port;
    private int _nextConnection;
    private Socket? _listener;
    private CancellationTokenSource? _stop;
    private Task? _acceptLoop;

    /// <summary>A server for <paramref name="address"/>:<paramref name="port"/> (0 = any free port, kept for later reopenings).</summary>
    /// <param name="address">Address to listen on.</param>
    /// <param name="port">TCP port, 0 for a free one.</param>
    /// <param name="dispatcher">Answers requests.</param>
    /// <param name="faults">The faults; read once per request.</param>
    /// <param name="time">Clock of the read timeout and of <c>slow</c>.</param>
    /// <param name="log">Gets a line per request.</param>
    /// <param name="afterReply">Called (on another task) once a restart or quit reply is sent.</param>
    public ApiServer(IPAddress address, int port, ApiDispatcher dispatcher, FaultSet faults, TimeProvider time, SimulatorLog log, Action<ApiAfter> afterReply)
    {
        _address = address;
        _port = port;
        _dispatcher = dispatcher;
        _faults = faults;
        _time = time;
        _log = log;
        _afterReply = afterReply;
    }

    /// <summary>The port (the one chosen by the system once opened with port 0).</summary>
    public int Port => Volatile.Read(ref _port);

    /// <summary>True while connections are accepted.</summary>
    public bool IsOpen => Volatile.Read(ref _listener) is not null;

    /// <summary>Starts accepting connections (nothing if already open).</summary>
    /// <exception cref="SocketException">The address or port cannot be bound.</exception>
    public async Task OpenAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new Socket(_address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // Reopening after refuse or a reboot must not wait for old connections in TIME_WAIT.
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                listener.Bind(new IPEndPoint(_address, Port));
                listener.Listen(Backlog);
            }
            catch
            {
                listener.Dispose();
                throw;
            }

            Volatile.Write(ref _port, ((IPEndPoint)listener.LocalEndPoint!).Port);
            _stop = new CancellationTokenSource();
            Volatile.Write(ref _listener, listener);
            _acceptLoop = AcceptLoopAsync(listener, _stop.Token);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops accepting (new connections are refused) and drops the connections in progress (nothing if already closed).</summary>
    public async Task CloseAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_listener is not { } listener)
            {
                return;
            }

            await _stop!.CancelAsync().ConfigureAwait(false);
            listener.Dispose();
            Volatile.Write(ref _listener, null);
            await _acceptLoop!.ConfigureAwait(false);
            await Task.WhenAll(_connections.Values).ConfigureAwait(false);
            _stop.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                _log.Event($"API failed ({ex.Message}), still accepting");
                continue;
            }

            var id = Interlocked.Increment(ref _nextConnection);
            var connection = ServeAsync(client, stop);
            _connections[id] = connection;
            _ = connection.ContinueWith(_ => _connections.TryRemove(id, out Task? _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        var after = ApiAfter.None;
        using (client)
        {
            var remote = client.RemoteEndPoint?.ToString() ?? "?";
            try
            {
                var buffer = new byte[ApiRequest.MaxBytes];
                var read = await ReadRequestAsync(client, buffer, stop).ConfigureAwait(false);
                if (read is not { } length)
                {
                    _log.Request($"API: connection from {remote} sent no request within {ReadTimeout.TotalSeconds:0} s, closed");
                    return;
                }

                if (length == 0)
                {
                    return;
                }

                var faults = _faults.Snapshot();
                var plan = ApiFaultPlan.For(faults);
                var reply = _dispatcher.Handle(buffer.AsSpan(0, length), faults, plan.BraceQuirk);
                var applied = faults.Names.Where(n => FaultCatalog.Find(n)!.Layer == FaultLayer.Api && n != FaultNames.Refuse).ToList();
                _log.Request($"API: recv command: ({length}) '{Printable(buffer.AsSpan(0, length))}' from {remote}: {reply.Description}"
                    + (applied.Count > 0 ? $" [{string.Join(", ", applied)}]" : ""));
                if (plan.Hang)
                {
                    await WaitForClientToCloseAsync(client, stop).ConfigureAwait(false);
                    return;
                }

                if (plan.Delay is { } delay)
                {
                    await Task.Delay(delay, _time, stop).ConfigureAwait(false);
                }

                var bytes = plan.ShapeReply(reply.Bytes);
                while (!bytes.IsEmpty)
                {
                    var sent = await client.SendAsync(bytes, SocketFlags.None, stop).ConfigureAwait(false);
                    bytes = bytes[sent..];
                }

                after = reply.After;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away, or the listener closed (refuse, reboot, quit, shutdown).
            }
        }

        if (after != ApiAfter.None)
        {
            _ = Task.Run(() => _afterReply(after), CancellationToken.None);
        }
    }

    /// <summary>One read, as cgminer does; null when nothing came within <see cref="ReadTimeout"/>, 0 when the client closed first.</summary>
    private async Task<int?> ReadRequestAsync(Socket client, byte[] buffer, CancellationToken stop)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        try
        {
            return await client.ReceiveAsync(buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task WaitForClientToCloseAsync(Socket client, CancellationToken stop)
    {
        var discard = new byte[512];
        while (await client.ReceiveAsync(discard, SocketFlags.None, stop).ConfigureAwait(false) > 0)
        {
        }
    }

    private static string Printable(ReadOnlySpan<byte> request)
    {
        var text = new StringBuilder();
        foreach (var b in request[..Math.Min(request.Length, 200)])
        {
            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"));
        }

        return request.Length > 200 ? text.Append("...").ToString() : text.ToString();
    }
}
