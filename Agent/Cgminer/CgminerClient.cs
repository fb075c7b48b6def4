using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Cgminer;

/// <summary>
/// A client of one miner's cgminer RPC API (API-README): one TCP connection per command, the JSON request in one
/// write (the miner does a single read), the reply read up to its terminating NUL or the close, at most
/// <see cref="MaxReplyBytes"/>. Connecting may take at most <c>timeout</c>, and sending plus reading the whole reply at
/// most <c>timeout</c> again, so a command never takes longer than twice the timeout, even against a miner that
/// accepts and never answers or answers a byte at a time. Failures are values (<see cref="CgminerResult.Error"/>),
/// never exceptions; only the caller's cancellation throws.
/// </summary>
public sealed class CgminerClient
{
    /// <summary>Largest reply accepted, bytes; a longer one is <c>too_large</c>. cgminer's own buffer was 64 KiB (api.c SOCKBUFSIZ).</summary>
    public const int MaxReplyBytes = 256 * 1024;

    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>A client of <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="host">Host name or address of the miner.</param>
    /// <param name="port">Its API port (cgminer's default 4028).</param>
    /// <param name="timeout">Bound of the connect, and of the send and read that follow.</param>
    /// <param name="time">The clock the timeouts run on.</param>
    public CgminerClient(string host, int port, TimeSpan timeout, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _host = host;
        _port = port;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Runs one command, e.g. <c>summary</c>, or <c>asc</c> with parameter <c>0</c>.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<CgminerResult> RunAsync(string command, string? parameter, CancellationToken cancellationToken)
    {
        var request = CgminerProtocol.JsonRequest(command, parameter);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var phase = "connect";
        try
        {
            using (var connectTimeout = new CancellationTokenSource(_timeout, _time))
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token))
            {
                await socket.ConnectAsync(_host, _port, connect.Token).ConfigureAwait(false);
            }

            phase = "reply";
            using var readTimeout = new CancellationTokenSource(_timeout, _time);
            using var read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, readTimeout.Token);
            await socket.SendAsync(request, SocketFlags.None, read.Token).ConfigureAwait(false);
            return await ReadReplyAsync(socket, command, parameter, read.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seconds = _timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return CgminerResult.Failed(command, parameter, CgminerErrorKind.Timeout, phase == "connect"
                ? $"no connection to {_host}:{_port} within {seconds} s"
                : $"no complete reply from {_host}:{_port} within {seconds} s");
        }
        catch (SocketException ex)
        {
            return CgminerResult.Failed(command, parameter, Kind(ex.SocketErrorCode), $"{_host}:{_port}: {ex.Message}");
        }
    }

    private static async Task<CgminerResult> ReadReplyAsync(Socket socket, string command, string? parameter, CancellationToken cancellationToken)
    {
        var reply = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var room = reply.GetMemory(16 * 1024);
            var received = await socket.ReceiveAsync(room, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                return CgminerProtocol.Parse(command, parameter, reply.WrittenSpan, terminated: false);
            }

            var nul = room.Span[..received].IndexOf((byte)0);
            reply.Advance(nul >= 0 ? nul + 1 : received);
            if (reply.WrittenCount > MaxReplyBytes)
            {
                return CgminerResult.Failed(command, parameter, CgminerErrorKind.TooLarge,
                    $"the reply exceeds {MaxReplyBytes} bytes");
            }

            if (nul >= 0)
            {
                return CgminerProtocol.Parse(command, parameter, reply.WrittenSpan, terminated: true);
            }
        }
    }

    private static CgminerErrorKind Kind(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => CgminerErrorKind.Refused,
        SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown
            or SocketError.HostDown or SocketError.TryAgain or SocketError.NoData or SocketError.AddressNotAvailable => CgminerErrorKind.Unreachable,
        SocketError.TimedOut => CgminerErrorKind.Timeout,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => CgminerErrorKind.Reset,
        _ => CgminerErrorKind.SocketError,
    };
}
