using Microsoft.Extensions.Logging;

namespace Psistats.Contracts.Configuration;

/// <summary>Console logging both daemons share: systemd's format under systemd, single lines with timestamps otherwise.</summary>
public static class LoggingSetup
{
    /// <summary>
    /// Adds the console logger: <c>AddSystemdConsole</c> (journal priority prefixes) when started by systemd
    /// (<c>JOURNAL_STREAM</c> or <c>INVOCATION_ID</c> set), else single-line output with UTC timestamps.
    /// Microsoft.* and RabbitMQ.* categories are kept at Warning.
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

        return logging.SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("RabbitMQ", LogLevel.Warning);
    }
}
