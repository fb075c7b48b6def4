using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Psistats.CgminerSimulator.Faults;

namespace Psistats.CgminerSimulator.Control;

/// <summary>
/// The HTTP control API (JSON), on 127.0.0.1 only:
/// <c>GET /status</c>; <c>GET /faults</c>; <c>PUT /faults/{name}[?seconds=N]</c> switches a fault on (N: delay of <c>slow</c>,
/// 1..86400, default 10); <c>DELETE /faults/{name}</c> and <c>DELETE /faults</c> switch off; <c>POST /reboot</c> (202)
/// reboots the miner. An unknown fault is 404 naming the valid ones; a change while rebooting is 409.
/// </summary>
internal static class ControlApi
{
    /// <summary>Maps every route on <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, Simulator simulator)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(simulator);
        var json = ControlJsonContext.Default;

        app.MapGet("/status", () => Results.Json(simulator.Status(), json.SimulatorStatus));

        app.MapGet("/faults", () => Results.Json(Views(simulator), json.IReadOnlyListFaultView));

        app.MapPut("/faults/{name}", async (string name, string? seconds) =>
        {
            if (FaultCatalog.Find(name) is null)
            {
                return UnknownFault(name);
            }

            TimeSpan? delay = null;
            if (seconds is not null)
            {
                if (name != FaultNames.Slow)
                {
                    return Error(StatusCodes.Status400BadRequest, $"?seconds= applies to {FaultNames.Slow} only");
                }

                if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 86400)
                {
                    return Error(StatusCodes.Status400BadRequest, "seconds must be a number from 1 to 86400");
                }

                delay = TimeSpan.FromSeconds(value);
            }

            return await simulator.SwitchOnAsync(name, delay).ConfigureAwait(false) is null
                ? Rebooting()
                : Results.Json(View(simulator, name), json.FaultView);
        });

        app.MapDelete("/faults/{name}", async (string name) =>
        {
            if (FaultCatalog.Find(name) is null)
            {
                return UnknownFault(name);
            }

            return await simulator.SwitchOffAsync(name).ConfigureAwait(false)
                ? Results.Json(View(simulator, name), json.FaultView)
                : Rebooting();
        });

        app.MapDelete("/faults", async () => await simulator.SwitchOffAsync(null).ConfigureAwait(false)
            ? Results.Json(Views(simulator), json.IReadOnlyListFaultView)
            : Rebooting());

        app.MapPost("/reboot", async () => await simulator.RebootAsync().ConfigureAwait(false)
            ? Results.Json(simulator.Status(), json.SimulatorStatus, statusCode: StatusCodes.Status202Accepted)
            : Rebooting());
    }

    private static IReadOnlyList<FaultView> Views(Simulator simulator) => FaultCatalog.All.Select(f => View(simulator, f.Name)).ToList();

    private static FaultView View(Simulator simulator, string name)
    {
        var info = FaultCatalog.Find(name)!;
        var active = simulator.Faults.Snapshot().Get(name);
        return new FaultView(name, active is not null, active?.Since, active?.Delay?.TotalSeconds, info.Layer.ToString().ToLowerInvariant(), info.Description);
    }

    private static IResult UnknownFault(string name) =>
        Error(StatusCodes.Status404NotFound, $"unknown fault '{name}'; valid faults: {FaultCatalog.NameList}");

    private static IResult Rebooting() => Error(StatusCodes.Status409Conflict, "the miner is rebooting; try again when GET /status says running");

    private static IResult Error(int status, string message) => Results.Json(new ErrorView(message), ControlJsonContext.Default.ErrorView, statusCode: status);
}
