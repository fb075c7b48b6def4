using System.Globalization;

namespace Psistats.CgminerSimulator;

/// <summary>
/// The simulated miner's log, in cgminer's line format (<c> [yyyy-MM-dd HH:mm:ss] message</c>, local time): a line per
/// API request (file only) and per state change (file and console). The file is what the remediation issue copies from
/// the miner, like /Angstrom/Cointerra/logs/cgminer.log on a TerraMiner. Thread-safe; each line is flushed.
/// </summary>
internal sealed class SimulatorLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TextWriter? _console;
    private readonly StreamWriter? _file;

    /// <summary>A log appending to <paramref name="path"/> (none when null) and echoing state changes to <paramref name="console"/> (none when null).</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public SimulatorLog(string? path, TimeProvider time, TextWriter? console)
    {
        _time = time;
        _console = console;
        if (path is not null)
        {
            _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    /// <summary>A request line (log file only: one per request would flood the console).</summary>
    public void Request(string message) => Write(message, toConsole: false);

    /// <summary>A state change: start, fault switched, reboot, restart, quit.</summary>
    public void Event(string message) => Write(message, toConsole: true);

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();

    private void Write(string message, bool toConsole)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $" [{_time.GetLocalNow():yyyy-MM-dd HH:mm:ss}] {message}");
        lock (_lock)
        {
            _file?.WriteLine(line);
            if (toConsole)
            {
                _console?.WriteLine(line);
            }
        }
    }
}
