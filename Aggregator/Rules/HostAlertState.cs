namespace Psistats.Aggregator.Rules;

/// <summary>One pending or firing alert as the engine keeps it (mutable, under the engine's lock).</summary>
internal sealed class AlertSlot(Rule rule, string instance)
{
    public Rule Rule { get; } = rule;

    public string Instance { get; } = instance;

    public AlertState State { get; set; } = AlertState.Pending;

    public DateTimeOffset PendingSince { get; set; }

    public DateTimeOffset? FiringSince { get; set; }

    public string? Value { get; set; }

    public string? Threshold { get; set; }

    public int Matches { get; set; }

    public DateTimeOffset LastMatch { get; set; }

    /// <summary>The summary of an external alert (its raiser's words).</summary>
    public string? Text { get; set; }

    /// <summary>The evaluation that last saw the instance in a frame (instances not seen by the latest are gone).</summary>
    public long Seen { get; set; }
}

/// <summary>The last frame of one reporter of a host (24 bytes).</summary>
internal struct ReporterSeen
{
    public string Reporter;

    /// <summary>Receive time of its last frame, <see cref="DateTimeOffset.UtcTicks"/>.</summary>
    public long LastTicks;

    public double IntervalSeconds;

    public readonly DateTimeOffset Last => new(LastTicks, TimeSpan.Zero);
}

/// <summary>A die alive (live engines &gt; 0) at the host's first good poll: instance <c>board/die</c>.</summary>
internal sealed record DieBaseline(string Instance, string Board, string Die);

/// <summary>The members (disks) a rule of kind missing has seen in a host's frames.</summary>
internal sealed record MemberSet(Rule Rule, List<string> Names);

/// <summary>
/// The rules that apply to a host, by reporter: hosts whose <c>hosts</c> globs give the same answers share one profile, so
/// a host costs one reference and the globs run once per host.
/// </summary>
internal sealed class HostProfile
{
    public required Dictionary<string, Rule[]> ByReporter { get; init; }

    /// <summary>Threshold rules without a reporter: tried on every frame.</summary>
    public required Rule[] AnyReporter { get; init; }

    public Rule? HostDown { get; init; }

    public Rule? Stale { get; init; }
}

/// <summary>What the engine keeps per host: about 0.5 KB plus 0.2 KB per alert (docs/rules.md).</summary>
internal sealed class HostState(string name, HostProfile profile)
{
    private ReporterSeen[] _reporters = [];

    public string Name { get; } = name;

    public HostProfile Profile { get; } = profile;

    /// <summary>Declared DOWN (<see cref="AlertEngine.OnHostDown"/>) and no frame since.</summary>
    public bool Down { get; set; }

    /// <summary>Receive time of the host's latest frame, any reporter.</summary>
    public DateTimeOffset LastFrame { get; set; }

    public int ReporterCount { get; private set; }

    /// <summary>Pending and firing alerts; null while there are none (the common case).</summary>
    public List<AlertSlot>? Alerts { get; set; }

    public List<MemberSet>? Members { get; set; }

    /// <summary>Dies alive at the first good poll (plus dies of restored alerts); null before any.</summary>
    public List<DieBaseline>? Baseline { get; set; }

    /// <summary>Whether the first good poll's baseline was taken.</summary>
    public bool BaselineTaken { get; set; }

    public ref ReporterSeen Reporter(int index) => ref _reporters[index];

    /// <summary>Records a frame of a known <paramref name="reporter"/>; false when the host has not sent that reporter before.</summary>
    public bool Saw(string reporter, DateTimeOffset at, double? interval)
    {
        for (var i = 0; i < ReporterCount; i++)
        {
            ref var seen = ref _reporters[i];
            if (string.Equals(seen.Reporter, reporter, StringComparison.Ordinal))
            {
                seen.LastTicks = at.UtcTicks;
                seen.IntervalSeconds = interval ?? 0;
                return true;
            }
        }

        return false;
    }

    /// <summary>Records the first frame of <paramref name="reporter"/> (a name shared between hosts).</summary>
    public void AddReporter(string reporter, DateTimeOffset at, double? interval)
    {
        if (ReporterCount == _reporters.Length)
        {
            Array.Resize(ref _reporters, Math.Max(4, ReporterCount + (ReporterCount / 2)));
        }

        _reporters[ReporterCount++] = new ReporterSeen { Reporter = reporter, LastTicks = at.UtcTicks, IntervalSeconds = interval ?? 0 };
    }

    public bool HasAlerts(Rule rule)
    {
        if (Alerts is null)
        {
            return false;
        }

        foreach (var slot in Alerts)
        {
            if (ReferenceEquals(slot.Rule, rule))
            {
                return true;
            }
        }

        return false;
    }

    public AlertSlot? Find(Rule rule, string instance)
    {
        if (Alerts is null)
        {
            return null;
        }

        foreach (var slot in Alerts)
        {
            if (ReferenceEquals(slot.Rule, rule) && string.Equals(slot.Instance, instance, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        return null;
    }

    public void Add(AlertSlot slot) => (Alerts ??= []).Add(slot);

    public void Remove(AlertSlot slot)
    {
        Alerts!.Remove(slot);
        if (Alerts.Count == 0)
        {
            Alerts = null;
        }
    }

    public List<string> MembersOf(Rule rule)
    {
        Members ??= [];
        foreach (var set in Members)
        {
            if (ReferenceEquals(set.Rule, rule))
            {
                return set.Names;
            }
        }

        var names = new List<string>();
        Members.Add(new MemberSet(rule, names));
        return names;
    }
}
