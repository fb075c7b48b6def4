using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Psistats.Agent;
using Psistats.Agent.Configuration;
using Psistats.Agent.Publishing;
using Psistats.Agent.Scheduling;
using Psistats.Contracts.Configuration;

const string Usage = """
    Usage: psistats-agent [--config PATH] [--once | --check-config] [--help] [--version]

    Reads this host (cpu, mem, uptime, ipaddr, cpu_temp, ...) and publishes psistats frames
    to a RabbitMQ topic exchange. With [cgminer:NAME] sections it also polls those miners'
    cgminer API and publishes each as host NAME (proxy mode).

      --config PATH   configuration file (default /etc/psistats/psistats.ini, then ./psistats.ini)
      --once          print one frame of every enabled reporter and miner as JSON lines and exit (no broker)
      --check-config  validate the configuration; exit 2 naming each bad key or value
      --version       print the version

    Any option can be overridden by PSISTATS_<section>__<key>, e.g. PSISTATS_server__url.
    """;

var startup = ProgramStartup.Prepare("psistats-agent", Usage, AmqpPublisher.Version, args, allowOnce: true,
    reader => AgentOptions.Read(reader, Dns.GetHostName), Console.Out, Console.Error);
if (startup.ExitCode is { } exitCode)
{
    return exitCode;
}

var options = startup.Options!;
var configPath = startup.ConfigPath;
if (startup.CommandLine!.Once)
{
    // stdout carries the frames only; diagnostics go to stderr.
    using var stderrLogging = LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true);
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });
    return await OnceRunner.RunAsync(options, Console.Out, stderrLogging, TimeProvider.System, CancellationToken.None);
}

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Logging.AddPsistatsConsole();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(options.Broker);
builder.Services.AddSingleton<IOutbox>(sp => options.SpoolDir is { } spoolDir
    ? new SpoolOutbox(spoolDir, options.SpoolMaxBytes, options.Broker, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SpoolOutbox>>())
    : new MemoryOutbox(options.OutboxSize, options.Broker, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<MemoryOutbox>>()));
builder.Services.AddSingleton<IFrameSink>(sp => sp.GetRequiredService<IOutbox>());
var scheduled = ReporterFactory.Create(options, TimeProvider.System);
builder.Services.AddSingleton(scheduled);
builder.Services.AddHostedService<AmqpPublisher>();
builder.Services.AddHostedService<ReporterScheduler>();

using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILogger<AmqpPublisher>>();
Log.Starting(logger, AmqpPublisher.Version, options.Hostname, configPath ?? "(none)",
    string.Join(", ", scheduled.Select(r => $"{r.Key}/{r.Interval.TotalSeconds}s")));
var hostedServices = HostedServiceFailures.Of(host.Services);
await host.RunAsync();
return HostedServiceFailures.ExitCodeAfterStop(hostedServices, "psistats-agent", Console.Error);
