using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Consuming;
using Psistats.Aggregator.State;
using Psistats.Aggregator.Terminal;
using Psistats.Aggregator.Web;
using Psistats.Contracts.Configuration;

const string Usage = """
    Usage: psistats-aggregator [--config PATH] [--check-config] [--help] [--version]

    Consumes every psistats frame from RabbitMQ, keeps each host's live state (up/down, last values)
    and serves it over a read-only HTTP API ([aggregator] listen, default http://127.0.0.1:8080).

      --config PATH   configuration file (default /etc/psistats/psistats.ini, then ./psistats.ini)
      --check-config  validate the configuration; exit 2 naming each bad key or value
      --version       print the version

    Any option can be overridden by PSISTATS_<section>__<key>, e.g. PSISTATS_aggregator__listen.
    """;

var version = typeof(AggregatorOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
var startup = ProgramStartup.Prepare("psistats-aggregator", Usage, version, args, allowOnce: false, AggregatorOptions.Read, Console.Out, Console.Error);
if (startup.ExitCode is { } exitCode)
{
    return exitCode;
}

var options = startup.Options!;
var configPath = startup.ConfigPath;
var table = options.Console == "table" || (options.Console == "auto" && !Console.IsOutputRedirected && !Console.IsInputRedirected);
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.WebHost.UseUrls(options.Listen.ToString());
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
var recentLines = new RecentLogLines();
if (table)
{
    builder.Logging.ClearProviders().AddProvider(recentLines).AddFilter("Microsoft", LogLevel.Warning).AddFilter("RabbitMQ", LogLevel.Warning);
}
else
{
    builder.Logging.AddPsistatsConsole();
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton<HostStateStore>();
builder.Services.AddSingleton<ConsumerStats>();
builder.Services.AddSingleton(recentLines);
builder.Services.AddHostedService<FrameConsumer>();
builder.Services.AddHostedService<DownDetector>();
if (table)
{
    builder.Services.AddHostedService<LiveTable>();
}

await using var app = builder.Build();
Api.Map(app);
Log.Starting(app.Services.GetRequiredService<ILogger<FrameConsumer>>(), version, configPath ?? "(none)", options.Listen.ToString());
try
{
    await app.RunAsync();
}
catch (IOException ex)
{
    // Kestrel could not bind (address in use, permission): say so plainly.
    await Console.Error.WriteLineAsync($"psistats-aggregator: cannot listen on {options.Listen}: {ex.Message}");
    return 1;
}

return 0;
