using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Psistats.Contracts.Configuration;

/// <summary>Console logging both daemons share: systemd's format under systemd, single lines with timestamps otherwise.</summary>
public static class LoggingSetup
{
    /// <summary>
    /// Adds the console logger: <c>AddSystemdConsole</c> (journal priority prefixes) when started by systemd
    /// (<c>JOURNAL_STREAM</c> or <c>INVOCATION_ID</c> set), else single-line output with UTC timestamps.
    /// Microsoft.* and RabbitMQ.* categories are kept at Warning. Control characters in logged values are escaped
    /// (<see cref="SanitizingLoggerProvider"/>).
    /// </summary>
    public static ILoggingBuilder AddPsistatsConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null || Environment.GetEnvironmentVariable("INVOCATION_ID") is not null)
        {
            logging.AddSystemdConsole();
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        // The console provider writes through the escaping wrapper.
        var console = logging.Services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        logging.Services.Remove(console);
        logging.Services.AddSingleton<ILoggerProvider>(sp => new SanitizingLoggerProvider(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(sp)));

        return logging.SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("RabbitMQ", LogLevel.Warning);
    }
}
