using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Psistats.Aggregator.Consuming;
using Psistats.Aggregator.State;
using Spectre.Console;

namespace Psistats.Aggregator.Terminal;

/// <summary>
/// The terminal view: a table of hosts (state, cpu, mem, uptime, temperature, addresses, last seen),
/// refreshed every second, with the broker status and the latest log lines under it.
/// </summary>
public sealed class LiveTable(HostStateStore store, ConsumerStats stats, RecentLogLines logLines, TimeProvider time) : BackgroundService
{
    /// <summary>Refresh period.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await AnsiConsole.Live(Render()).AutoClear(false).StartAsync(async context =>
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    context.UpdateTarget(Render());
                    await Task.Delay(Period, time, stoppingToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Builds the whole screen for the current state.</summary>
    internal Rows Render()
    {
        var now = time.GetUtcNow();
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Host", "State", "CPU %", "Mem %", "Uptime", "Temp °C", "Addresses", "Last seen");
        foreach (var host in store.Hosts(now))
        {
            var up = host.State == "up";
            table.AddRow(
                Markup.Escape(host.Hostname),
                up ? "[green]up[/]" : "[red]DOWN[/]",
                Number(host.Values["cpu"], "0.0"),
                Number(host.Values["mem"], "0.0"),
                host.Values["uptime"] is JsonValue u && u.TryGetValue<double>(out var seconds) ? Markup.Escape(Uptime(seconds)) : "-",
                Number(host.Values["cpu_temp"], "0.0"),
                Markup.Escape(host.Values["ipaddr"] is JsonArray a ? string.Join(' ', a.Take(3).Select(x => x?.ToString())) : "-"),
                $"{host.LastSeenAgeSeconds.ToString("0", CultureInfo.InvariantCulture)} s ago");
        }

        var rejected = stats.Rejected.Values.Sum();
        var status = stats.Connected
            ? $"[green]broker connected[/]  frames accepted {stats.Accepted}, rejected {rejected}"
            : $"[red]broker disconnected[/] {Markup.Escape(stats.LastBrokerError ?? "")}";
        var log = string.Join('\n', logLines.Lines.Select(Markup.Escape));
        return new Rows(new Markup($"[bold]psistats-aggregator[/]  {now:yyyy-MM-dd HH:mm:ss}Z  {status}"), table, new Markup($"[grey]{log}[/]"));
    }

    private static string Number(JsonNode? node, string format) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Uptime(double seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h" : $"{span.Hours}h {span.Minutes}m";
    }
}
