using System.Net.Sockets;
using Psistats.CgminerSimulator.Api;
using Psistats.CgminerSimulator.Faults;
using Psistats.CgminerSimulator.Miner;

namespace Psistats.CgminerSimulator;

/// <summary>State of the simulated miner as the control API reports it.</summary>
internal enum MinerState
{
    /// <summary>cgminer runs; the API port is open unless <c>refuse</c> is on.</summary>
    Running,

    /// <summary>The miner reboots: the API port is closed until the reboot delay has passed.</summary>
    Rebooting,

    /// <summary>cgminer quit (privileged <c>quit</c>) or could not reopen its port: closed until the next reboot.</summary>
    Stopped,
}

/// <summary>What <c>GET /status</c> reports.</summary>
/// <param name="Name">The miner's name.</param>
/// <param name="State">running, rebooting or stopped.</param>
/// <param name="Faults">Names of the faults on.</param>
/// <param name="Elapsed">cgminer's <c>Elapsed</c>, seconds (0 unless running).</param>
/// <param name="Reboots">Reboots since the simulator started.</param>
internal sealed record SimulatorStatus(string Name, string State, IReadOnlyList<string> Faults, long Elapsed, int Reboots);

/// <summary>
/// The simulated TerraMiner as a whole: the miner's readings, its faults, its API port, and the life cycle the control
/// API drives: faults on and off, a reboot (port closed for the reboot delay, then back with every fault off and
/// counters from zero), and what the privileged <c>restart</c>/<c>quit</c> commands do. State changes are serialised;
/// each is logged.
/// </summary>
internal sealed class Simulator : IAsyncDisposable
{
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly SimulatorLog _log;
    private readonly ApiServer _api;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private Task _reboot = Task.CompletedTask;
    private int _state = (int)MinerState.Running;
    private int _reboots;

    /// <summary>A simulator for <paramref name="options"/>; <see cref="StartAsync"/> opens its API port.</summary>
    public Simulator(SimulatorOptions options, TimeProvider time, SimulatorLog log)
    {
        _options = options;
        _time = time;
        _log = log;
        Miner = new TerraMiner(options.Name, options.Seed, time);
        _api = new ApiServer(options.Listen, options.Port, new ApiDispatcher(Miner, time, options.AllowPrivileged), Faults, time, log, OnAfterReply);
    }

    /// <summary>The simulated miner.</summary>
    public TerraMiner Miner { get; }

    /// <summary>The switchable faults.</summary>
    public FaultSet Faults { get; } = new();

    /// <summary>The API port (the chosen one when started with port 0).</summary>
    public int ApiPort => _api.Port;

    /// <summary>True while the API port accepts connections.</summary>
    public bool ApiOpen => _api.IsOpen;

    /// <summary>Current state.</summary>
    public MinerState State => (MinerState)Volatile.Read(ref _state);

    /// <summary>Completes when the reboot in progress (if any) is over.</summary>
    public Task RebootCompletion => Volatile.Read(ref _reboot);

    /// <summary>Opens the API port.</summary>
    /// <exception cref="SocketException">The address or port cannot be bound.</exception>
    public async Task StartAsync()
    {
        await _api.OpenAsync().ConfigureAwait(false);
        _log.Event($"Started cgminer {TerraMiner.CgminerVersion} (simulated TerraMiner {_options.Name}, seed {_options.Seed}); API on {_options.Listen}:{_api.Port}");
    }

    /// <summary>Switches a fault on (again: its start time is reset); null while rebooting.</summary>
    public async Task<ActiveFault?> SwitchOnAsync(string name, TimeSpan? delay)
    {
        return await UnderGateAsync(async () =>
        {
            if (State == MinerState.Rebooting)
            {
                return null;
            }

            var fault = Faults.On(name, _time.GetUtcNow(), delay);
            _log.Event($"Simulator: fault {name} on" + (fault.Delay is { } d ? $" ({d.TotalSeconds:0.###} s)" : ""));
            await ReconcileAsync().ConfigureAwait(false);
            return fault;
        }).ConfigureAwait(false);
    }

    /// <summary>Switches faults off: one by name, or all when <paramref name="name"/> is null; false while rebooting.</summary>
    public async Task<bool> SwitchOffAsync(string? name)
    {
        return await UnderGateAsync(async () =>
        {
            if (State == MinerState.Rebooting)
            {
                return false;
            }

            var off = name is null ? Faults.AllOff() : Faults.Off(name) ? [name] : [];
            if (off.Count > 0)
            {
                _log.Event($"Simulator: fault {string.Join(", ", off)} off");
            }

            await ReconcileAsync().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a reboot: the API port closes at once (connections in progress are dropped), and after the reboot delay
    /// the miner comes back healthy: every fault off, cgminer's counters from zero. False if a reboot is already in progress.
    /// </summary>
    public async Task<bool> RebootAsync()
    {
        return await UnderGateAsync(async () =>
        {
            if (State == MinerState.Rebooting)
            {
                return false;
            }

            Volatile.Write(ref _state, (int)MinerState.Rebooting);
            Interlocked.Increment(ref _reboots);
            _log.Event($"Simulator: reboot requested; API down for {_options.RebootDelay.TotalSeconds:0.###} s");
            await ReconcileAsync().ConfigureAwait(false);
            Volatile.Write(ref _reboot, FinishRebootAsync());
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>The status the control API reports.</summary>
    public SimulatorStatus Status() => new(
        _options.Name,
        State.ToString().ToLowerInvariant(),
        Faults.Snapshot().Names,
        State == MinerState.Running ? (long)Math.Floor(Miner.Elapsed) : 0,
        Volatile.Read(ref _reboots));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync().ConfigureAwait(false);
        try
        {
            await RebootCompletion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped in the middle of a reboot.
        }

        await _api.DisposeAsync().ConfigureAwait(false);
        _disposing.Dispose();
        _gate.Dispose();
    }

    private async Task FinishRebootAsync()
    {
        await Task.Delay(_options.RebootDelay, _time, _disposing.Token).ConfigureAwait(false);
        await UnderGateAsync(async () =>
        {
            Faults.AllOff();
            Miner.Restart();
            Volatile.Write(ref _state, (int)MinerState.Running);
            await ReconcileAsync().ConfigureAwait(false);
            if (State == MinerState.Running)
            {
                _log.Event($"Started cgminer {TerraMiner.CgminerVersion} after reboot {Volatile.Read(ref _reboots)}; API on {_options.Listen}:{_api.Port}");
            }

            return true;
        }).ConfigureAwait(false);
    }

    private void OnAfterReply(ApiAfter after)
    {
        _ = UnderGateAsync(async () =>
        {
            if (State != MinerState.Running)
            {
                return false;
            }

            if (after == ApiAfter.Restart)
            {
                Miner.Restart();
                _log.Event("API: restart requested; cgminer restarted, counters from zero");
            }
            else
            {
                Volatile.Write(ref _state, (int)MinerState.Stopped);
                _log.Event("API: quit requested; cgminer stopped until the next reboot");
                await ReconcileAsync().ConfigureAwait(false);
            }

            return true;
        });
    }

    /// <summary>Opens the API port when cgminer runs and <c>refuse</c> is off; closes it otherwise.</summary>
    private async Task ReconcileAsync()
    {
        if (State == MinerState.Running && ApiFaultPlan.ListenerOpen(Faults.Snapshot()))
        {
            try
            {
                await _api.OpenAsync().ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                Volatile.Write(ref _state, (int)MinerState.Stopped);
                _log.Event($"API bind to port {_api.Port} failed ({ex.Message}) - API will not be available");
            }
        }
        else
        {
            await _api.CloseAsync().ConfigureAwait(false);
        }
    }

    private async Task<T> UnderGateAsync<T>(Func<Task<T>> action)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
