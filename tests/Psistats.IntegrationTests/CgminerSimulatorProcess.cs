using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests;

/// <summary>
/// The cgminer simulator (tests/CgminerSimulator) run as a real process on free ports: waits for its ready line,
/// then talks to its API port (one request per connection) and its HTTP control port. Disposing stops it (SIGTERM).
/// </summary>
public sealed partial class CgminerSimulatorProcess : IAsyncDisposable
{
    private CgminerSimulatorProcess(ProgramProcess process, string name, int apiPort, int controlPort)
    {
        Process = process;
        Name = name;
        ApiPort = apiPort;
        ControlPort = controlPort;
        Control = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controlPort}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The simulator's main dll.</summary>
    public static string Dll => RepoPaths.Program("tests/CgminerSimulator", "CgminerSimulator", "cgminer-simulator");

    /// <summary>The process (its output lines include the simulator's state changes).</summary>
    public ProgramProcess Process { get; }

    /// <summary>The miner's name.</summary>
    public string Name { get; }

    /// <summary>The API port (cgminer's 4028).</summary>
    public int ApiPort { get; }

    /// <summary>The control port.</summary>
    public int ControlPort { get; }

    /// <summary>A client of the control API.</summary>
    public HttpClient Control { get; }

    /// <summary>Starts the simulator with <c>--port 0 --control-port 0</c> plus <paramref name="args"/> and waits until it is ready.</summary>
    public static async Task<CgminerSimulatorProcess> StartAsync(params string[] args)
    {
        var process = ProgramProcess.Start(Dll, ["--port", "0", "--control-port", "0", .. args]);
        try
        {
            await process.WaitForLineAsync(" listening on ", TimeSpan.FromSeconds(30));
            var ready = process.Lines.Select(l => ReadyLine().Match(l)).First(m => m.Success);
            return new CgminerSimulatorProcess(process, ready.Groups["name"].Value, int.Parse(ready.Groups["api"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(ready.Groups["control"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends <paramref name="request"/> in one write and reads the reply until the server closes.</summary>
    /// <exception cref="SocketException">Connection refused (the port is closed).</exception>
    public async Task<byte[]> AskRawAsync(string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", ApiPort, timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes(request), SocketFlags.None, timeout.Token);
        var reply = new List<byte>();
        var buffer = new byte[16384];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            reply.AddRange(buffer.AsSpan(0, n));
        }

        return reply.ToArray();
    }

    /// <summary>The reply to <paramref name="request"/> as text, after checking it ends with its NUL.</summary>
    public async Task<string> AskAsync(string request)
    {
        var reply = await AskRawAsync(request);
        if (reply.Length == 0 || reply[^1] != 0)
        {
            throw new InvalidDataException($"reply without its NUL: {Encoding.UTF8.GetString(reply)}");
        }

        return Encoding.UTF8.GetString(reply, 0, reply.Length - 1);
    }

    /// <summary>Stops the simulator with SIGTERM and returns its exit code (null if it did not exit within 5 s).</summary>
    public async Task<int?> StopAsync()
    {
        Process.Terminate();
        return await Process.WaitForExitAsync(TimeSpan.FromSeconds(5)) ? Process.ExitCode : null;
    }

    /// <summary>Stops the simulator (SIGTERM, then SIGKILL if it is still running).</summary>
    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        if (!Process.HasExited)
        {
            await StopAsync();
        }

        await Process.DisposeAsync();
    }

    [GeneratedRegex(@"^cgminer-simulator (?<name>\S+) listening on \S+:(?<api>\d+), control on 127\.0\.0\.1:(?<control>\d+)$")]
    private static partial Regex ReadyLine();
}
