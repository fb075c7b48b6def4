using Microsoft.Extensions.Logging;

namespace Psistats.Aggregator.Terminal;

/// <summary>
/// Keeps the last few log lines in memory for the live table, which owns the terminal while it runs
/// (a console logger would scroll it away).
/// </summary>
public sealed class RecentLogLines : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;

    /// <summary>Keeps the last <paramref name="capacity"/> lines.</summary>
    public RecentLogLines(int capacity = 8) => _capacity = capacity;

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return _lines.ToList();
            }
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new LineLogger(this);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > _capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    private sealed class LineLogger(RecentLogLines owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Add($"{DateTime.UtcNow:HH:mm:ss} {logLevel.ToString()[..4].ToLowerInvariant()}: {formatter(state, exception)}");
            }
        }
    }
}
