using Microsoft.Extensions.Logging;

namespace Psistats.Contracts.Configuration;

/// <summary>
/// Wraps a logger provider so that no control character from a logged value reaches the log: a hostname or frame field holding
/// ESC (0x1b), CR, LF or any other C0/C1 control character is written as <c>\u001b</c>, <c>\r</c>, <c>\n</c>... (terminal
/// escape injection, forged log lines). Applies to the formatted message and to the exception text.
/// </summary>
public sealed class SanitizingLoggerProvider(ILoggerProvider inner) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new SanitizingLogger(inner.CreateLogger(categoryName));

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();

    /// <summary>
    /// <paramref name="text"/> with every control character (<see cref="char.IsControl(char)"/>: U+0000-U+001F, U+007F-U+009F)
    /// escaped as in JSON (<c>\n</c>, <c>\r</c>, <c>\t</c>, else <c>\uXXXX</c>); the text itself when it holds none.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAnyInRange('\u0000', '\u001f');
        var c1 = text.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');
        if (first < 0 && c1 < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private sealed class SanitizingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var safeException = exception is null ? null : new SanitizedException(exception);
            inner.Log(logLevel, eventId, state, safeException, (s, _) => Escape(formatter(s, exception)));
        }
    }

    /// <summary>An exception whose text (<see cref="ToString"/>, what console formatters write) is escaped.</summary>
    private sealed class SanitizedException(Exception original) : Exception(Escape(original.Message), original)
    {
        public override string? StackTrace => InnerException!.StackTrace;

        public override string ToString() => Escape(InnerException!.ToString());
    }
}
