using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator;
using Psistats.Aggregator.Configuration;
using Microsoft.Data.Sqlite;
using Psistats.Aggregator.Consuming;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Remediation;
using Psistats.Aggregator.Remediation.Ssh;
using Psistats.Aggregator.Pipeline;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;
using Psistats.Aggregator.State;
using Psistats.Aggregator.Terminal;
using Psistats.Aggregator.Web;
using Psistats.Contracts.Configuration;

const string Usage = """
    Usage: psistats-aggregator [--config PATH] [--check-config] [--help] [--version]

    Consumes every psistats frame from RabbitMQ, keeps each host's live state (up/down, last values),
    applies the alarm rules ([rule:NAME] and the built-ins), keeps events, alerts, downtimes and the
    notification outbox in SQLite ([aggregator] state_dir), sends email and webhook notifications, and
    serves it all over an HTTP API ([aggregator] listen, default http://127.0.0.1:8080).

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
    builder.Logging.ClearProviders().AddProvider(new SanitizingLoggerProvider(recentLines)).AddFilter("Microsoft", LogLevel.Warning).AddFilter("RabbitMQ", LogLevel.Warning);
}
else
{
    builder.Logging.AddPsistatsConsole();
}

var remediation = options.Remediation!;
var minerLog = new MinerLogBuffer(remediation, TimeProvider.System);
builder.Logging.AddProvider(new SanitizingLoggerProvider(minerLog));

StateDatabase database;
try
{
    database = new StateDatabase(options.StateDir);
}
catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"psistats-aggregator: cannot open the state database in [aggregator] state_dir {options.StateDir}: {ex.Message}");
    return 1;
}

var notifications = options.Notifications;
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(notifications);
builder.Services.AddSingleton(options.Rules);
builder.Services.AddSingleton(database);
builder.Services.AddSingleton<AlertStore>();
builder.Services.AddSingleton(_ => new AlertEngine(options.Rules, options.StaleFactor));
builder.Services.AddSingleton<NotificationOutbox>();
builder.Services.AddSingleton<SilenceStore>();
builder.Services.AddSingleton(sp => new NotificationPolicy(sp.GetRequiredService<NotificationOutbox>(), notifications, sp.GetRequiredService<TimeProvider>(),
    host => sp.GetRequiredService<MinerWatch>().IsHeld(host, sp.GetRequiredService<TimeProvider>().GetUtcNow())));
builder.Services.AddSingleton(remediation);
builder.Services.AddSingleton(minerLog);
builder.Services.AddSingleton<RemediationStore>();
builder.Services.AddSingleton<MinerWatch>();
builder.Services.AddSingleton(new OpenSshClient());
builder.Services.AddSingleton<RemediationRunner>();
builder.Services.AddHostedService<RemediationService>();
builder.Services.AddSingleton<HostStateStore>();
builder.Services.AddSingleton<AlertPipeline>();
builder.Services.AddSingleton<ConsumerStats>();
builder.Services.AddSingleton(recentLines);
builder.Services.AddHttpClient();
builder.Services.AddSingleton(sp => new NotificationDispatcher(sp.GetRequiredService<NotificationOutbox>(), notifications,
    new EmailSender(notifications.Email), new WebhookSender(sp.GetRequiredService<IHttpClientFactory>().CreateClient("webhooks")),
    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NotificationDispatcher>>()));
builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
builder.Services.AddHostedService(sp => new RepeatScheduler(sp.GetRequiredService<NotificationPolicy>(), sp.GetRequiredService<SilenceStore>(),
    sp.GetRequiredService<AlertEngine>().Active, rule => options.Rules.Find(rule)?.Notifiers, sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<ILogger<RepeatScheduler>>()));
builder.Services.AddHostedService<FrameConsumer>();
builder.Services.AddSingleton<DownDetector>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<DownDetector>());
if (table)
{
    builder.Services.AddHostedService<LiveTable>();
}

await using var app = builder.Build();
Api.Map(app);
var startedAt = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
app.Services.GetRequiredService<SilenceStore>().LoadConfigured(notifications.Silences, startedAt);
// The watch resumes its own state (interrupted runs, cooldowns) when built: build it before anything runs a transaction.
var watch = app.Services.GetRequiredService<MinerWatch>();
var pipeline = app.Services.GetRequiredService<AlertPipeline>();
pipeline.Resume(startedAt);
pipeline.Evaluated += watch.OnPoll;
watch.AlertsRaised += pipeline.Raise;
Log.Starting(app.Services.GetRequiredService<ILogger<FrameConsumer>>(), version, configPath ?? "(none)", options.Listen.ToString());
var hostedServices = HostedServiceFailures.Of(app.Services);
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

return HostedServiceFailures.ExitCodeAfterStop(hostedServices, "psistats-aggregator", Console.Error);
