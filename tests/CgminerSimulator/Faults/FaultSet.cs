using System.Collections.Immutable;

namespace Psistats.CgminerSimulator.Faults;

/// <summary>A fault that is on.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Since">When it was switched on (UTC).</param>
/// <param name="Delay">For <c>slow</c>: how long each reply waits; null for the others.</param>
internal sealed record ActiveFault(string Name, DateTimeOffset Since, TimeSpan? Delay);

/// <summary>The faults on at one instant; a request uses one snapshot from start to end.</summary>
internal sealed class FaultSnapshot(ImmutableDictionary<string, ActiveFault> active)
{
    /// <summary>True when <paramref name="name"/> is on.</summary>
    public bool IsOn(string name) => active.ContainsKey(name);

    /// <summary>The fault if it is on, else null.</summary>
    public ActiveFault? Get(string name) => active.GetValueOrDefault(name);

    /// <summary>Names of the faults on, in catalog order.</summary>
    public IReadOnlyList<string> Names => FaultCatalog.All.Where(f => active.ContainsKey(f.Name)).Select(f => f.Name).ToList();
}

/// <summary>The switchable faults (thread-safe). Changes are read by the next request; a request in progress keeps its snapshot.</summary>
internal sealed class FaultSet
{
    private ImmutableDictionary<string, ActiveFault> _active = ImmutableDictionary<string, ActiveFault>.Empty;

    /// <summary>The faults on now.</summary>
    public FaultSnapshot Snapshot() => new(Volatile.Read(ref _active));

    /// <summary>Switches <paramref name="name"/> on (again: its start time and delay are replaced).</summary>
    /// <exception cref="ArgumentException">The name is not in <see cref="FaultCatalog"/>.</exception>
    public ActiveFault On(string name, DateTimeOffset since, TimeSpan? delay = null)
    {
        if (FaultCatalog.Find(name) is null)
        {
            throw new ArgumentException($"unknown fault '{name}'", nameof(name));
        }

        var fault = new ActiveFault(name, since, name == FaultNames.Slow ? delay ?? FaultCatalog.DefaultSlowDelay : null);
        ImmutableInterlocked.AddOrUpdate(ref _active, name, fault, (_, _) => fault);
        return fault;
    }

    /// <summary>Switches <paramref name="name"/> off; false if it was not on.</summary>
    public bool Off(string name) => ImmutableInterlocked.TryRemove(ref _active, name, out _);

    /// <summary>Switches every fault off and returns the names that were on.</summary>
    public IReadOnlyList<string> AllOff()
    {
        var previous = Interlocked.Exchange(ref _active, ImmutableDictionary<string, ActiveFault>.Empty);
        return new FaultSnapshot(previous).Names;
    }
}
