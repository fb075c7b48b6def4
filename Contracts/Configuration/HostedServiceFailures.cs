using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Psistats.Contracts.Configuration;

/// <summary>
/// Why a daemon stopped on its own. A <see cref="BackgroundService"/> that fails stops the host
/// (<c>BackgroundServiceExceptionBehavior.StopHost</c>) and <c>RunAsync</c> returns normally; without this check the process
/// would exit 0 and systemd's <c>Restart=on-failure</c> would leave it down.
/// </summary>
public static class HostedServiceFailures
{
    /// <summary>Exit code of a daemon stopped by an unexpected error: 70, EX_SOFTWARE of sysexits.h.</summary>
    public const int ExitCode = 70;

    /// <summary>
    /// The hosted services of <paramref name="services"/>, taken before the host runs (<c>RunAsync</c> disposes the service
    /// provider when it returns).
    /// </summary>
    public static IReadOnlyList<IHostedService> Of(IServiceProvider services) => [.. services.GetServices<IHostedService>()];

    /// <summary>The first of <paramref name="services"/> that is a background service whose run ended with an exception, or null.</summary>
    public static (string Service, Exception Error)? Find(IEnumerable<IHostedService> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var service in services)
        {
            if (service is BackgroundService { ExecuteTask: { IsFaulted: true } task })
            {
                return (service.GetType().Name, task.Exception!.GetBaseException());
            }
        }

        return null;
    }

    /// <summary>
    /// After the host stopped: when a background service failed, writes it to <paramref name="error"/> as
    /// <c>&lt;program&gt;: fatal: &lt;service&gt; failed: &lt;message&gt;</c> and returns <see cref="ExitCode"/>; else 0.
    /// </summary>
    public static int ExitCodeAfterStop(IEnumerable<IHostedService> services, string program, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Find(services) is not { } failure)
        {
            return 0;
        }

        error.WriteLine($"{program}: fatal: {failure.Service} failed, stopping: {SanitizingLoggerProvider.Escape(failure.Error.ToString())}");
        return ExitCode;
    }
}
