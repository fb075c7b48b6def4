using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Psistats.CgminerSimulator;
using Psistats.CgminerSimulator.Control;

SimulatorOptions options;
try
{
    options = SimulatorOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"cgminer-simulator: {ex.Message}");
    return 2;
}

if (options.Help)
{
    await Console.Out.WriteAsync(SimulatorOptions.Usage + Environment.NewLine);
    return 0;
}

if (options.Version)
{
    var version = typeof(Simulator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
    await Console.Out.WriteLineAsync($"cgminer-simulator {version} (simulates cgminer {Psistats.CgminerSimulator.Miner.TerraMiner.CgminerVersion})");
    return 0;
}

SimulatorLog log;
try
{
    log = new SimulatorLog(options.LogFile, TimeProvider.System, Console.Out);
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"cgminer-simulator: cannot open the log file {options.LogFile}: {ex.Message}");
    return 2;
}

using (log)
{
    await using var simulator = new Simulator(options, TimeProvider.System, log);
    try
    {
        await simulator.StartAsync();
    }
    catch (SocketException ex)
    {
        await Console.Error.WriteLineAsync($"cgminer-simulator: cannot listen on {new IPEndPoint(options.Listen, options.Port)}: {ex.Message}");
        return 1;
    }

    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
    builder.Logging.ClearProviders()
        .AddSimpleConsole(o => o.SingleLine = true)
        .SetMinimumLevel(LogLevel.Warning);
    builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
    builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.ControlPort));
    await using var app = builder.Build();
    ControlApi.Map(app, simulator);
    try
    {
        await app.StartAsync();
    }
    catch (IOException ex)
    {
        await Console.Error.WriteLineAsync($"cgminer-simulator: cannot listen on 127.0.0.1:{options.ControlPort} (control): {ex.Message}");
        return 1;
    }

    var controlPort = new Uri(app.Urls.First()).Port;
    await Console.Out.WriteLineAsync(
        $"cgminer-simulator {options.Name} listening on {new IPEndPoint(options.Listen, simulator.ApiPort)}, control on 127.0.0.1:{controlPort}");
    await app.WaitForShutdownAsync();
}

return 0;
