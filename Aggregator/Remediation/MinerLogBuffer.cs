using Microsoft.Extensions.Logging;

namespace Psistats.Aggregator.Remediation;

/// <summary>
/// The aggregator's own log lines about each configured miner, for the remediation bundle (<c>aggregator.log</c>): a logger
/// provider that keeps, per miner, the last <see cref="Capacity"/> lines of Information or above whose message names the miner
/// as a whole word (so <c>terra1</c> does not collect <c>terra10</c>'s lines). With no miner configured it keeps nothing and
/// costs nothing (<see cref="ILogger.IsEnabled"/> is false). Thread-safe.
/// </summary>
/// <remarks>Add it to the logging builder after the console provider (<c>AddPsistatsConsole</c> clears providers).</remarks>
public sealed class MinerLogBuffer : ILoggerProvider
{
    /// <summary>Default lines kept per miner.</summary>
    public const int DefaultCapacity = 2000;

    private readonly Dictionary<string, Queue<string>> _lines = new(StringComparer.OrdinalIgnoreCase);
    private readonly string[] _names;
    private readonly TimeProvider _time;

    /// <summary>Keeps lines about each enabled miner of <paramref name="options"/>, stamped with <paramref name="time"/>.</summary>
    public MinerLogBuffer(RemediationOptions options, TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _names = options.Miners.Where(m => m.Enabled).Select(m => m.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        foreach (var name in _names)
        {
            _lines[name] = new Queue<string>();
        }

        _time = time;
        Capacity = capacity;
    }

    /// <summary>Lines kept per miner; older ones are dropped.</summary>
    public int Capacity { get; }

    /// <summary>The kept lines about <paramref name="miner"/>, oldest first (<c>2026-01-01T00:00:00.000Z warn Category: message</c>); empty for an unknown miner.</summary>
    public IReadOnlyList<string> Lines(string miner)
    {
        ArgumentNullException.ThrowIfNull(miner);
        if (!_lines.TryGetValue(miner, out var queue))
        {
            return [];
        }

        lock (queue)
        {
            return queue.ToList();
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new MinerLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Whether <paramref name="text"/> contains <paramref name="name"/> not preceded or followed by a hostname character.</summary>
    internal static bool Mentions(string text, string name)
    {
        var start = 0;
        while ((start = text.IndexOf(name, start, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = start + name.Length;
            if ((start == 0 || !IsHostnameChar(text[start - 1])) && (end == text.Length || !IsHostnameChar(text[end])))
            {
                return true;
            }

            start++;
        }

        return false;
    }

    private static bool IsHostnameChar(char c) => char.IsLetterOrDigit(c) || c is '-' or '_';

    private void Add(LogLevel level, string category, string message)
    {
        string? line = null;
        foreach (var name in _names)
        {
            if (!Mentions(message, name))
            {
                continue;
            }

            line ??= $"{_time.GetUtcNow().UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {LevelName(level)} {category}: {message}";
            var queue = _lines[name];
            lock (queue)
            {
                queue.Enqueue(line);
                while (queue.Count > Capacity)
                {
                    queue.Dequeue();
                }
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString().ToLowerInvariant(),
    };

    private sealed class MinerLogger(MinerLogBuffer owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None && owner._names.Length > 0;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = $"{message} ({exception.GetType().Name}: {exception.Message})";
            }

            owner.Add(logLevel, category, message);
        }
    }
}
