using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Psistats.TestSupport;

/// <summary>
/// A program under test run as a real process (<c>dotnet X.dll args</c>), its stdout and stderr
/// collected line by line. Disposing kills it (SIGKILL) if it is still running.
/// </summary>
public sealed partial class ProgramProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private bool _disposed;

    private ProgramProcess(Process process) => _process = process;

    /// <summary>Every output line so far (stdout and stderr interleaved as received).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    /// <summary>All output so far, for assertion messages.</summary>
    public string Output => string.Join('\n', Lines);

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code (only after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="dll"/> with <paramref name="args"/>; <paramref name="environment"/> adds or overrides variables.</summary>
    public static ProgramProcess Start(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Tests must not inherit overrides meant for the test runner's own programs.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("PSISTATS_", StringComparison.Ordinal) && !k.StartsWith("PSISTATS_TEST", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var wrapper = new ProgramProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Add(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs to completion (at most <paramref name="timeout"/>) and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string dll, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var process = Start(dll, args, environment);
        using var cts = new CancellationTokenSource(timeout);
        await process._process.WaitForExitAsync(cts.Token);
        process._process.WaitForExit();
        return (process.ExitCode, process.Output);
    }

    /// <summary>Waits until an output line contains <paramref name="text"/>.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        try
        {
            await Eventually.TrueAsync(() => Lines.Any(l => l.Contains(text, StringComparison.Ordinal)), timeout, $"output line containing '{text}'");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; exited: {HasExited}; output:\n{Output}", ex);
        }
    }

    /// <summary>Sends SIGTERM, as systemd does on stop.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for exit; returns false if it did not exit within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process with SIGKILL (as the OOM killer or a power cut would) and waits for it to end.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Kills the process with SIGKILL if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
