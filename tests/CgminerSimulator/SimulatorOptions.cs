using System.Globalization;
using System.Net;
using Psistats.CgminerSimulator.Faults;

namespace Psistats.CgminerSimulator;

/// <summary>The simulator's command line.</summary>
internal sealed record SimulatorOptions
{
    /// <summary>cgminer's default API port.</summary>
    public const int DefaultPort = 4028;

    /// <summary>Default control port.</summary>
    public const int DefaultControlPort = 4029;

    /// <summary>Default name.</summary>
    public const string DefaultName = "terraminer";

    /// <summary>The usage text of <c>--help</c>, ending with every fault and what it does.</summary>
    public static string Usage => UsageHead + string.Concat(FaultCatalog.All.Select(f => $"  {f.Name,-14} {f.Description}{Environment.NewLine}"))
        + "Stops on SIGTERM or Ctrl-C.";

    private const string UsageHead = """
        Usage: cgminer-simulator [--port 4028] [--control-port 4029] [--listen 127.0.0.1] [--name NAME]
                                 [--reboot-delay SECONDS] [--log-file PATH] [--seed N] [--allow-privileged]
                                 [--help] [--version]

        A simulated Cointerra TerraMiner running cgminer 4.3.5: its API port answers cgminer's API (JSON
        {"command":"summary"} or text summary, asc|0; one request per connection; replies end with a NUL)
        with two boards (CTA0, CTA1), two pools and live counters. Faults can be switched on and off while it
        runs, and the miner "rebooted", through an HTTP control port on 127.0.0.1.

          --port N            API port (default 4028; 0 = any free port, printed when ready)
          --control-port N    HTTP control port on 127.0.0.1 (default 4029; 0 = any free port)
          --listen ADDRESS    address of the API port (default 127.0.0.1; 0.0.0.0 for every interface)
          --name NAME         the miner's name, in the ready line, the pools' worker and /status (default terraminer)
          --reboot-delay S    seconds the API stays down after POST /reboot (default 20)
          --log-file PATH     append a cgminer-style log: a line per request and per state change
          --seed N            seed of the boards' serials, hash rates, temperatures and noise (default: from the name)
          --allow-privileged  accept restart, quit and privileged (as cgminer --api-allow W:...); else Access denied (45)
          --version           print the version

        When ready it prints one line:
          cgminer-simulator NAME listening on 127.0.0.1:PORT, control on 127.0.0.1:CPORT

        Try it:
          echo -n summary | nc 127.0.0.1 4028 | tr '\0' '\n'
          echo -n '{"command":"summary+pools"}' | nc 127.0.0.1 4028 | tr '\0' '\n'

        Control API (JSON):
          GET    /status                   {name, state, faults, elapsed, reboots}
          GET    /faults                   every fault, on or off
          PUT    /faults/NAME[?seconds=N]  switch a fault on (seconds: delay of slow, default 10)
          DELETE /faults/NAME              switch it off
          DELETE /faults                   switch every fault off
          POST   /reboot                   API down for the reboot delay, then back healthy (faults off, counters from 0)
          e.g. curl -X PUT 'http://127.0.0.1:4029/faults/slow?seconds=3'

        Faults (docs/cgminer-simulator.md tells more):

        """;

    /// <summary>API port (0 = any).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Control port (0 = any).</summary>
    public int ControlPort { get; init; } = DefaultControlPort;

    /// <summary>Address of the API port.</summary>
    public IPAddress Listen { get; init; } = IPAddress.Loopback;

    /// <summary>The miner's name.</summary>
    public string Name { get; init; } = DefaultName;

    /// <summary>How long a reboot keeps the API down.</summary>
    public TimeSpan RebootDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Log file, or null.</summary>
    public string? LogFile { get; init; }

    /// <summary>Seed of everything random.</summary>
    public long Seed { get; init; } = SeedOf(DefaultName);

    /// <summary>Accept privileged commands.</summary>
    public bool AllowPrivileged { get; init; }

    /// <summary><c>--help</c> was given.</summary>
    public bool Help { get; init; }

    /// <summary><c>--version</c> was given.</summary>
    public bool Version { get; init; }

    /// <summary>Parses <paramref name="args"/> (<c>--option value</c> or <c>--option=value</c>).</summary>
    /// <exception cref="ArgumentException">An unknown option, a missing or bad value; the message names it.</exception>
    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SimulatorOptions();
        var seedGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var (option, inline) = args[i].IndexOf('=', StringComparison.Ordinal) is var eq and > 0 && args[i].StartsWith("--", StringComparison.Ordinal)
                ? (args[i][..eq], args[i][(eq + 1)..])
                : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option} needs a value"));
            options = option switch
            {
                "--port" => options with { Port = ParsePort(option, Value()) },
                "--control-port" => options with { ControlPort = ParsePort(option, Value()) },
                "--listen" => options with { Listen = IPAddress.TryParse(Value(), out var address) ? address : throw new ArgumentException($"{option}: not an IP address") },
                "--name" => options with { Name = Value() is { Length: > 0 } name && !name.Any(char.IsWhiteSpace) ? name : throw new ArgumentException($"{option}: a non-empty name without spaces") },
                "--reboot-delay" => options with { RebootDelay = ParseSeconds(option, Value()) },
                "--log-file" => options with { LogFile = Value() },
                "--seed" => options with { Seed = long.TryParse(Value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{option}: not an integer") },
                "--allow-privileged" when inline is null => options with { AllowPrivileged = true },
                "--help" or "-h" => options with { Help = true },
                "--version" => options with { Version = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}' (see --help)"),
            };
            seedGiven |= option == "--seed";
        }

        return seedGiven ? options : options with { Seed = SeedOf(options.Name) };
    }

    /// <summary>The default seed of a miner named <paramref name="name"/> (FNV-1a of its UTF-16 code units): different names look different, the same name the same.</summary>
    public static long SeedOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return (long)(hash >> 1);
    }

    private static int ParsePort(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new ArgumentException($"{option}: a port number from 0 to 65535");

    private static TimeSpan ParseSeconds(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{option}: seconds from 0 to 86400");
}
