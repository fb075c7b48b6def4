using System.Globalization;
using System.Text.Json;
using Psistats.Contracts.Frames;

namespace Psistats.Aggregator.Rules;

/// <summary>
/// The alert state machine: each (rule, host, instance) moves ok → pending → firing → resolved (or pending → ok) as frames
/// arrive, hosts go down and come back, and reporters fall silent. Pure and in memory: the caller passes the times
/// (aggregator receive times) and stores the transitions. Thread-safe (one lock).
/// <para>Per frame: the rules of the frame's reporter that apply to its host (glob answers cached per host) are evaluated
/// on pre-parsed paths; a frame that matches nothing on a host without alerts allocates nothing. An instance that was
/// pending or firing and is no longer in a frame that carries the rule's field resolves (pending → ok, firing → resolved
/// with a null value), except for kind missing; a frame that does not carry the field at all (a cgminer frame with
/// <c>api_ok</c> false has no <c>asc</c>) leaves the rule's alerts as they are.</para>
/// <para>A firing alert resolves when its condition no longer holds, or, with <c>clear</c>, only when the clear condition
/// holds, or, with <c>hysteresis</c> h, only when the condition relaxed by h no longer holds. A pending alert goes back to
/// ok on the first frame where its condition does not hold (<c>for</c> counts consecutive frames).</para>
/// </summary>
public sealed class AlertEngine
{
    private const int MaxSharedNames = 65_536;

    private static readonly List<DieBaseline> NoDies = [];

    private readonly Lock _lock = new();
    private readonly RuleSet _rules;
    private readonly double _staleFactor;
    private readonly Rule[] _active;
    private readonly bool _everyRuleForEveryHost;
    private readonly Dictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HostProfile> _profiles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly PathResolver _resolver = new();
    private readonly List<AlertTransition> _transitions = [];
    private readonly List<RuleMatch> _matches = [];
    private long _stamp;

    /// <summary>An engine for the active rules of <paramref name="rules"/>.</summary>
    /// <param name="rules">The rules (<see cref="RuleSet.Read"/>).</param>
    /// <param name="staleFactor"><c>[aggregator] stale_factor</c>: a reporter is stale when its last frame is older than this many of its intervals.</param>
    public AlertEngine(RuleSet rules, double staleFactor)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(staleFactor, 0);
        _rules = rules;
        _staleFactor = staleFactor;
        _active = [.. rules.Rules.Where(r => r.Active)];
        _everyRuleForEveryHost = _active.All(r => r.Hosts is ["*"]);
    }

    /// <summary>The rules the engine was built with.</summary>
    public RuleSet Rules => _rules;

    /// <summary>The rule named <paramref name="name"/> (case-insensitive), active or not; null when there is none.</summary>
    public Rule? Find(string name) => _rules.Find(name);

    /// <summary>
    /// Evaluates a frame received at <paramref name="receivedAt"/>: the rules of its reporter, the resolution of the host's
    /// <c>host_down</c> alert (a frame proves the host is up) and of the reporter's <c>reporter_stale</c> alert.
    /// </summary>
    public FrameVerdict OnFrame(FrameEnvelope frame, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_lock)
        {
            _transitions.Clear();
            _matches.Clear();
            var host = HostFor(frame.Hostname);
            if (host.Down)
            {
                host.Down = false;
                ResolveHostDown(host, receivedAt);
            }

            if (receivedAt > host.LastFrame)
            {
                host.LastFrame = receivedAt;
            }

            if (!host.Saw(frame.Reporter, receivedAt, frame.Interval))
            {
                host.AddReporter(Shared(frame.Reporter), receivedAt, frame.Interval);
            }

            if (host.Alerts is not null && host.Profile.Stale is { } stale && host.Find(stale, frame.Reporter) is { } staleSlot)
            {
                Resolve(host, staleSlot, receivedAt, null, "a frame arrived");
            }

            if (host.Profile.ByReporter.TryGetValue(frame.Reporter, out var rules))
            {
                foreach (var rule in rules)
                {
                    Evaluate(host, rule, frame, receivedAt);
                }
            }

            foreach (var rule in host.Profile.AnyReporter)
            {
                Evaluate(host, rule, frame, receivedAt);
            }

            return _transitions.Count == 0 && _matches.Count == 0 ? FrameVerdict.Clean : new FrameVerdict([.. _transitions], [.. _matches]);
        }
    }

    /// <summary>
    /// The host was declared DOWN at <paramref name="at"/> (its last frame arrived at <paramref name="lastSeen"/>): fires its
    /// <c>host_down</c> alert (instance <c>""</c>) unless already firing, and stops staleness checks for it until a frame arrives.
    /// </summary>
    public IReadOnlyList<AlertTransition> OnHostDown(string host, DateTimeOffset lastSeen, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            _transitions.Clear();
            var state = HostFor(host);
            state.Down = true;
            if (state.Profile.HostDown is { } rule && state.Find(rule, "") is null)
            {
                var slot = new AlertSlot(rule, "")
                {
                    PendingSince = lastSeen,
                    Matches = 1,
                    LastMatch = at,
                    Value = Seconds(at - lastSeen),
                };
                state.Add(slot);
                Fire(state, slot, at);
            }

            return [.. _transitions];
        }
    }

    /// <summary>
    /// Forgets <paramref name="host"/> (DOWN longer than <c>forget_after</c>): resolves every alert it still has, then drops its
    /// state; returns the transitions.
    /// </summary>
    public IReadOnlyList<AlertTransition> Forget(string host, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            _transitions.Clear();
            if (_hosts.Remove(host, out var state) && state.Alerts is { } alerts)
            {
                foreach (var slot in alerts.ToList())
                {
                    Resolve(state, slot, at, null, "host forgotten after forget_after");
                }
            }

            return [.. _transitions];
        }
    }

    /// <summary>The host is UP again at <paramref name="at"/>: resolves its <c>host_down</c> alert (nothing when a frame already did).</summary>
    public IReadOnlyList<AlertTransition> OnHostUp(string host, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            _transitions.Clear();
            if (_hosts.TryGetValue(host, out var state))
            {
                state.Down = false;
                ResolveHostDown(state, at);
            }

            return [.. _transitions];
        }
    }

    /// <summary>
    /// Staleness at <paramref name="now"/>: fires <c>reporter_stale</c> (instance = the reporter) for every reporter whose last
    /// frame is older than stale_factor × its interval while the host still sends other frames within that time (a host
    /// silent altogether is host_down's business; a host that is down is skipped). The alert resolves at the reporter's next frame.
    /// </summary>
    public IReadOnlyList<AlertTransition> Tick(DateTimeOffset now)
    {
        lock (_lock)
        {
            _transitions.Clear();
            foreach (var host in _hosts.Values)
            {
                if (host.Down || host.Profile.Stale is not { } rule)
                {
                    continue;
                }

                for (var i = 0; i < host.ReporterCount; i++)
                {
                    ref var seen = ref host.Reporter(i);
                    var limit = TimeSpan.FromSeconds(_staleFactor * seen.IntervalSeconds);
                    if (seen.IntervalSeconds <= 0 || now - seen.Last <= limit || now - host.LastFrame > limit
                        || (rule.Reporter is not null && rule.Reporter != seen.Reporter) || host.Find(rule, seen.Reporter) is not null)
                    {
                        continue;
                    }

                    var slot = new AlertSlot(rule, seen.Reporter)
                    {
                        PendingSince = seen.Last + limit,
                        Matches = 1,
                        LastMatch = now,
                        Value = Seconds(now - seen.Last),
                        Threshold = $"> {Seconds(limit)} s ({_staleFactor.ToString(CultureInfo.InvariantCulture)} × {seen.IntervalSeconds.ToString(CultureInfo.InvariantCulture)} s)",
                    };
                    host.Add(slot);
                    Fire(host, slot, now);
                }
            }

            return [.. _transitions];
        }
    }

    /// <summary>
    /// Continues from the pending and firing alerts persisted before a restart: an alert already firing does not fire
    /// again. A die or disk of a restored alert stays watched (it was alive, or seen, before). Returns the transitions that
    /// end restored alerts whose rule is gone, no longer active, or no longer applies to the host (resolved for a firing
    /// alert, ok for a pending one, dated at the alert's last match): the caller stores them like any other.
    /// </summary>
    public IReadOnlyList<AlertTransition> Restore(IEnumerable<ActiveAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        lock (_lock)
        {
            _transitions.Clear();
            foreach (var alert in alerts)
            {
                var host = HostFor(alert.Key.Host);
                var rule = _rules.Find(alert.Key.Rule);
                var reason = rule is null ? "its rule is no longer configured"
                    : !rule.Active ? "its rule is no longer active"
                    : !rule.AppliesTo(host.Name) ? "its rule no longer applies to this host"
                    : null;
                if (reason is not null)
                {
                    Drop(alert, reason);
                    continue;
                }

                var existing = host.Find(rule!, alert.Key.Instance);
                if (existing is not null)
                {
                    host.Remove(existing);
                }

                host.Add(new AlertSlot(rule!, alert.Key.Instance)
                {
                    Text = rule!.Kind == RuleKinds.External ? StripPrefix(alert) : null,
                    State = alert.State == AlertState.Firing ? AlertState.Firing : AlertState.Pending,
                    PendingSince = alert.PendingSince,
                    FiringSince = alert.FiringSince,
                    Value = alert.Value,
                    Threshold = alert.Threshold,
                    Matches = alert.Matches,
                    LastMatch = alert.LastMatch,
                });
                RestoreWatch(host, rule!, alert);
            }

            return [.. _transitions];
        }
    }

    /// <summary>
    /// Takes note of a transition of a rule of kind <see cref="RuleKinds.External"/> that the caller raised and stores (the
    /// remediation's critical alerts), so that <see cref="Active"/> lists it while it fires and <see cref="Restore"/> keeps it.
    /// </summary>
    /// <exception cref="ArgumentException">The transition's rule is not a configured rule of kind external.</exception>
    public void RecordExternal(AlertTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        lock (_lock)
        {
            var rule = _rules.Find(transition.Key.Rule);
            if (rule is null || rule.Kind != RuleKinds.External)
            {
                throw new ArgumentException($"'{transition.Key.Rule}' is not a rule of kind {RuleKinds.External}", nameof(transition));
            }

            var host = HostFor(transition.Key.Host);
            if (host.Find(rule, transition.Key.Instance) is { } existing)
            {
                host.Remove(existing);
            }

            if (transition.Alert is { } alert)
            {
                host.Add(new AlertSlot(rule, alert.Key.Instance)
                {
                    Text = StripPrefix(alert),
                    State = alert.State,
                    PendingSince = alert.PendingSince,
                    FiringSince = alert.FiringSince,
                    Value = alert.Value,
                    Threshold = alert.Threshold,
                    Matches = alert.Matches,
                    LastMatch = alert.LastMatch,
                });
            }
        }
    }

    private static string StripPrefix(ActiveAlert alert)
    {
        var prefix = Prefix(alert.Key.Host, alert.Key.Rule, alert.Key.Instance);
        return alert.Summary.StartsWith(prefix, StringComparison.Ordinal) ? alert.Summary[prefix.Length..] : alert.Summary;
    }

    /// <summary>Every pending and firing alert, by host then in the order they started.</summary>
    public IReadOnlyList<ActiveAlert> Active()
    {
        lock (_lock)
        {
            var list = new List<ActiveAlert>();
            foreach (var host in _hosts.Values)
            {
                foreach (var slot in host.Alerts ?? [])
                {
                    list.Add(Snapshot(host, slot));
                }
            }

            return list;
        }
    }

    private void RestoreWatch(HostState host, Rule rule, ActiveAlert alert)
    {
        switch (rule.Kind)
        {
            case RuleKinds.HostDown when alert.State == AlertState.Firing:
                host.Down = true;
                break;
            case RuleKinds.Missing:
                var names = host.MembersOf(rule);
                if (!names.Contains(alert.Key.Instance, StringComparer.Ordinal))
                {
                    names.Add(alert.Key.Instance);
                }

                break;
            case RuleKinds.DiesLost when alert.Key.Instance.IndexOf('/', StringComparison.Ordinal) is var slash and > 0:
                host.Baseline ??= [];
                if (!host.Baseline.Any(d => d.Instance == alert.Key.Instance))
                {
                    host.Baseline.Add(new DieBaseline(alert.Key.Instance, alert.Key.Instance[..slash], alert.Key.Instance[(slash + 1)..]));
                }

                break;
        }
    }

    private void Drop(ActiveAlert alert, string reason)
    {
        var firing = alert.State == AlertState.Firing;
        _transitions.Add(new AlertTransition
        {
            Key = alert.Key,
            Severity = alert.Severity,
            Kind = firing ? TransitionKinds.Resolved : TransitionKinds.Ok,
            At = alert.LastMatch,
            Value = null,
            Threshold = alert.Threshold,
            Message = $"{Prefix(alert.Key.Host, alert.Key.Rule, alert.Key.Instance)}{(firing ? "resolved" : "back to ok")}: {reason}",
            FiringSince = alert.FiringSince,
            Duration = firing && alert.FiringSince is { } since ? alert.LastMatch - since : null,
        });
    }

    private HostState HostFor(string name)
    {
        if (!_hosts.TryGetValue(name, out var host))
        {
            host = new HostState(name, ProfileFor(name));
            _hosts[name] = host;
        }

        return host;
    }

    /// <summary>The shared profile of the rules whose globs match <paramref name="host"/>.</summary>
    private HostProfile ProfileFor(string host)
    {
        var key = _everyRuleForEveryHost ? "" : string.Concat(_active.Select(r => r.AppliesTo(host) ? '1' : '0'));
        if (!_profiles.TryGetValue(key, out var profile))
        {
            var rules = _active.Where(r => _everyRuleForEveryHost || r.AppliesTo(host)).ToList();
            var frameRules = rules.Where(r => r.Kind is RuleKinds.Threshold or RuleKinds.Missing or RuleKinds.DiesLost).ToList();
            profile = new HostProfile
            {
                ByReporter = frameRules.Where(r => r.Reporter is not null)
                    .GroupBy(r => r.Reporter!, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal),
                AnyReporter = [.. frameRules.Where(r => r.Reporter is null)],
                HostDown = rules.FirstOrDefault(r => r.Kind == RuleKinds.HostDown),
                Stale = rules.FirstOrDefault(r => r.Kind == RuleKinds.Stale),
            };
            _profiles[key] = profile;
        }

        return profile;
    }

    /// <summary>One shared copy of a reporter or member name (bounded, so odd frames cannot grow it without end).</summary>
    private string Shared(string name)
    {
        if (_names.TryGetValue(name, out var shared))
        {
            return shared;
        }

        if (_names.Count < MaxSharedNames)
        {
            _names.Add(name);
        }

        return name;
    }

    private void Evaluate(HostState host, Rule rule, FrameEnvelope frame, DateTimeOffset at)
    {
        switch (rule.Kind)
        {
            case RuleKinds.Threshold:
                EvaluateThreshold(host, rule, frame, at);
                break;
            case RuleKinds.Missing:
                EvaluateMissing(host, rule, frame, at);
                break;
            default:
                EvaluateDiesLost(host, rule, frame.Body, at);
                break;
        }
    }

    private void EvaluateThreshold(HostState host, Rule rule, FrameEnvelope frame, DateTimeOffset at)
    {
        var condition = rule.Compiled!;
        if (!PathResolver.TryRoot(condition.Path, frame.Body, rule.Reporter ?? frame.Reporter, out var root))
        {
            return;
        }

        var count = _resolver.Collect(condition.Path, root);
        var hadAlerts = host.HasAlerts(rule);
        var stamp = ++_stamp;
        for (var i = 0; i < count; i++)
        {
            var value = _resolver.Value(i);
            var holds = condition.Holds(value);
            if (!holds && !hadAlerts)
            {
                continue;
            }

            var instance = _resolver.Instance(i);
            var slot = hadAlerts ? host.Find(rule, instance) : null;
            if (holds || slot is not null)
            {
                var clears = !holds && (rule.ClearCompiled is { } clear ? clear.Holds(value) : rule.Relaxed is not { } relaxed || !relaxed.Holds(value));
                Observe(host, rule, slot, instance, holds, clears, Text(value), condition.Threshold, at, stamp);
            }
        }

        if (hadAlerts)
        {
            ResolveUnseen(host, rule, stamp, at);
        }
    }

    /// <summary>Kind missing: members of the watched object seen before and absent now fire; back, they resolve.</summary>
    private void EvaluateMissing(HostState host, Rule rule, FrameEnvelope frame, DateTimeOffset at)
    {
        var path = rule.Compiled!.Path;
        if (!PathResolver.TryRoot(path, frame.Body, rule.Reporter ?? frame.Reporter, out var node))
        {
            return;
        }

        for (var i = 0; i < path.Segments.Count - 1; i++)
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(path.Segments[i].Utf8, out node))
            {
                return;
            }
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var names = host.MembersOf(rule);
        var hadAlerts = host.HasAlerts(rule);
        var stamp = ++_stamp;
        var present = 0;
        foreach (var name in names)
        {
            var here = node.TryGetProperty(name, out _);
            present += here ? 1 : 0;
            var slot = hadAlerts ? host.Find(rule, name) : null;
            if (!here || slot is not null)
            {
                Observe(host, rule, slot, name, !here, here, here ? "present" : "absent", null, at, stamp);
            }
        }

        if (node.GetPropertyCount() > present)
        {
            foreach (var member in node.EnumerateObject())
            {
                if (!names.Exists(member.NameEquals))
                {
                    names.Add(Shared(member.Name));
                }
            }
        }
    }

    /// <summary>
    /// Kind dies_lost (cointerra-monitor): a board whose <c>DiesActive</c> is below <c>Dies</c> (instance: the board), and a
    /// die alive at the host's first good poll (<c>api_ok</c> true, boards present) whose <c>live_engines</c> count is now 0
    /// or missing (instance: <c>board/die</c>).
    /// </summary>
    private void EvaluateDiesLost(HostState host, Rule rule, JsonElement body, DateTimeOffset at)
    {
        if (!body.TryGetProperty("boards"u8, out var boards) || boards.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        if (!host.BaselineTaken && body.TryGetProperty("api_ok"u8, out var ok) && ok.ValueKind == JsonValueKind.True)
        {
            host.BaselineTaken = true;
            TakeBaseline(host, boards);
        }

        var hadAlerts = host.HasAlerts(rule);
        var stamp = ++_stamp;
        var index = 0;
        foreach (var board in boards.EnumerateArray())
        {
            var i = index++;
            if (board.ValueKind != JsonValueKind.Object || Number(board, "Dies"u8) is not { } dies || Number(board, "DiesActive"u8) is not { } active)
            {
                continue;
            }

            var holds = active < dies;
            if (!holds && !hadAlerts)
            {
                continue;
            }

            var instance = PathResolver.ElementName(boards, i);
            var slot = hadAlerts ? host.Find(rule, instance) : null;
            if (holds || slot is not null)
            {
                Observe(host, rule, slot, instance, holds, !holds, active.ToString(CultureInfo.InvariantCulture),
                    $"< Dies {dies.ToString(CultureInfo.InvariantCulture)}", at, stamp);
            }
        }

        foreach (var die in host.Baseline ?? NoDies)
        {
            var live = FindBoard(boards, die.Board) is { } board && board.TryGetProperty("live_engines"u8, out var engines)
                && engines.ValueKind == JsonValueKind.Object && engines.TryGetProperty(die.Die, out var count)
                && Condition.TryGetNumber(count, out var n) ? n : (double?)null;
            var holds = live is null or 0;
            var slot = hadAlerts ? host.Find(rule, die.Instance) : null;
            if (holds || slot is not null)
            {
                Observe(host, rule, slot, die.Instance, holds, !holds, live?.ToString(CultureInfo.InvariantCulture) ?? "missing", "> 0", at, stamp);
            }
        }

        if (hadAlerts)
        {
            ResolveUnseen(host, rule, stamp, at);
        }
    }

    private void TakeBaseline(HostState host, JsonElement boards)
    {
        host.Baseline ??= [];
        var index = 0;
        foreach (var board in boards.EnumerateArray())
        {
            var i = index++;
            if (board.ValueKind != JsonValueKind.Object || !board.TryGetProperty("live_engines"u8, out var engines) || engines.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var name = PathResolver.ElementName(boards, i);
            foreach (var die in engines.EnumerateObject())
            {
                var instance = $"{name}/{die.Name}";
                if (Condition.TryGetNumber(die.Value, out var live) && live > 0 && !host.Baseline.Any(d => d.Instance == instance))
                {
                    host.Baseline.Add(new DieBaseline(instance, name, die.Name));
                }
            }
        }
    }

    private static JsonElement? FindBoard(JsonElement boards, string name)
    {
        var index = 0;
        foreach (var board in boards.EnumerateArray())
        {
            var i = index++;
            if (board.ValueKind == JsonValueKind.Object && board.TryGetProperty("ID"u8, out var id) && id.ValueKind == JsonValueKind.String
                ? id.ValueEquals(name)
                : PathResolver.ElementName(boards, i) == name)
            {
                return board;
            }
        }

        return null;
    }

    private static double? Number(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && Condition.TryGetNumber(value, out var number) ? number : null;

    /// <summary>
    /// One instance on one frame. <paramref name="holds"/>: the raw condition held; <paramref name="clears"/>: a firing alert
    /// may resolve (the condition no longer holds, with clear and hysteresis applied).
    /// </summary>
    private void Observe(HostState host, Rule rule, AlertSlot? slot, string instance, bool holds, bool clears, string? value, string? threshold,
        DateTimeOffset at, long stamp)
    {
        if (slot is not null)
        {
            slot.Seen = stamp;
        }

        if (holds)
        {
            _matches.Add(new RuleMatch(rule.Name, instance, value, threshold, rule.Severity));
            slot ??= host.Find(rule, instance);
            if (slot is null)
            {
                slot = new AlertSlot(rule, instance) { PendingSince = at, Seen = stamp };
                host.Add(slot);
            }

            slot.Matches = slot.Matches == int.MaxValue ? int.MaxValue : slot.Matches + 1;
            slot.LastMatch = at;
            slot.Value = value;
            slot.Threshold = threshold;
            if (slot.State == AlertState.Firing)
            {
                return;
            }

            var due = rule.ForDuration is { } duration ? at - slot.PendingSince >= duration : slot.Matches >= rule.ForFrames;
            if (due)
            {
                Fire(host, slot, at);
            }
            else if (slot.Matches == 1)
            {
                Emit(host, slot, TransitionKinds.Pending, at, value, $"{Describe(host, slot)} (pending: fires after {ForText(rule)})", keep: true);
            }
        }
        else if (slot is not null && (slot.State == AlertState.Pending || clears))
        {
            Resolve(host, slot, at, value, null);
        }
    }

    /// <summary>Instances of <paramref name="rule"/> with an alert that the latest evaluation did not see: gone from the frame.</summary>
    private void ResolveUnseen(HostState host, Rule rule, long stamp, DateTimeOffset at)
    {
        if (rule.Kind == RuleKinds.Missing)
        {
            return;
        }

        for (var i = host.Alerts?.Count - 1 ?? -1; i >= 0; i--)
        {
            var slot = host.Alerts![i];
            if (ReferenceEquals(slot.Rule, rule) && slot.Seen != stamp)
            {
                Resolve(host, slot, at, null, "no longer reported");
            }
        }
    }

    private void ResolveHostDown(HostState host, DateTimeOffset at)
    {
        if (host.Alerts is not null && host.Profile.HostDown is { } rule && host.Find(rule, "") is { } slot)
        {
            Resolve(host, slot, at, null, "frames again");
        }
    }

    private void Fire(HostState host, AlertSlot slot, DateTimeOffset at)
    {
        slot.State = AlertState.Firing;
        slot.FiringSince = at;
        Emit(host, slot, TransitionKinds.Firing, at, slot.Value, Describe(host, slot), keep: true);
    }

    /// <summary>Ends an alert: firing → resolved, pending → ok. <paramref name="why"/> replaces the value clause (null value = gone).</summary>
    private void Resolve(HostState host, AlertSlot slot, DateTimeOffset at, string? value, string? why)
    {
        host.Remove(slot);
        var clause = why ?? ValueClause(slot.Rule, slot.Instance, value);
        if (slot.State == AlertState.Firing)
        {
            var duration = at - slot.FiringSince!.Value;
            Emit(host, slot, TransitionKinds.Resolved, at, value,
                $"{Prefix(host.Name, slot.Rule.Name, slot.Instance)}resolved after {FormatDuration(duration)} ({clause})", keep: false, duration);
        }
        else
        {
            Emit(host, slot, TransitionKinds.Ok, at, value, $"{Prefix(host.Name, slot.Rule.Name, slot.Instance)}back to normal before firing ({clause})", keep: false);
        }
    }

    private void Emit(HostState host, AlertSlot slot, string kind, DateTimeOffset at, string? value, string message, bool keep, TimeSpan? duration = null) =>
        _transitions.Add(new AlertTransition
        {
            Key = new AlertKey(slot.Rule.Name, host.Name, slot.Instance),
            Severity = slot.Rule.Severity,
            Kind = kind,
            At = at,
            Value = value,
            Threshold = slot.Threshold,
            Message = message,
            FiringSince = slot.FiringSince,
            Duration = duration,
            Alert = keep ? Snapshot(host, slot) : null,
        });

    private static ActiveAlert Snapshot(HostState host, AlertSlot slot) => new()
    {
        Key = new AlertKey(slot.Rule.Name, host.Name, slot.Instance),
        Severity = slot.Rule.Severity,
        State = slot.State,
        PendingSince = slot.PendingSince,
        FiringSince = slot.FiringSince,
        Value = slot.Value,
        Threshold = slot.Threshold,
        Summary = Describe(host, slot),
        Matches = slot.Matches,
        LastMatch = slot.LastMatch,
    };

    /// <summary>The one-line statement of a holding alert: <c>server1 disk_space /var: pcent 93 &gt; 90</c>.</summary>
    private static string Describe(HostState host, AlertSlot slot)
    {
        var rule = slot.Rule;
        var what = rule.Kind switch
        {
            RuleKinds.HostDown => $"no frame for {slot.Value} s",
            RuleKinds.Stale => $"last frame {slot.Value} s ago {slot.Threshold}",
            RuleKinds.Missing => $"absent from the latest {rule.Reporter} frame",
            RuleKinds.DiesLost when slot.Instance.Contains('/', StringComparison.Ordinal) =>
                $"live engines {slot.Value}, alive at the first good poll",
            RuleKinds.DiesLost => $"DiesActive {slot.Value} {slot.Threshold}",
            RuleKinds.External => slot.Text ?? slot.Value ?? "",
            _ => $"{rule.Compiled!.Path.Leaf} {slot.Value ?? "null"} {slot.Threshold}",
        };
        return Prefix(host.Name, rule.Name, slot.Instance) + what;
    }

    /// <summary>What a resolving frame showed: <c>pcent 85; threshold &gt; 90, hysteresis 2</c>.</summary>
    private static string ValueClause(Rule rule, string instance, string? value) => rule.Kind switch
    {
        RuleKinds.Missing => "reporting again",
        RuleKinds.DiesLost when instance.Contains('/', StringComparison.Ordinal) => $"live engines {value}",
        RuleKinds.DiesLost => $"DiesActive {value}",
        _ => $"{rule.Compiled!.Path.Leaf} {value ?? "null"}; threshold {rule.Compiled.Threshold}"
             + (rule.Clear is not null ? $", clear {rule.ClearCompiled!.Threshold}" : rule.Hysteresis is { } h ? $", hysteresis {h.ToString(CultureInfo.InvariantCulture)}" : ""),
    };

    private static string Prefix(string host, string rule, string instance) =>
        instance.Length == 0 ? $"{host} {rule}: " : $"{host} {rule} {instance}: ";

    private static string ForText(Rule rule) =>
        rule.ForDuration is { } d ? FormatDuration(d) : $"{rule.ForFrames.ToString(CultureInfo.InvariantCulture)} consecutive frames";

    private static string Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 1).ToString(CultureInfo.InvariantCulture);

    /// <summary><c>42s</c>, <c>5m 10s</c>, <c>2h 5m</c>, <c>3d 4h</c>.</summary>
    internal static string FormatDuration(TimeSpan span)
    {
        var s = Math.Max(0, span.TotalSeconds);
        return s switch
        {
            < 60 => $"{Math.Round(s, 1).ToString(CultureInfo.InvariantCulture)}s",
            < 3600 => $"{(int)(s / 60)}m {(int)(s % 60)}s",
            < 86400 => $"{(int)(s / 3600)}h {(int)(s % 3600 / 60)}m",
            _ => $"{(int)(s / 86400)}d {(int)(s % 86400 / 3600)}h",
        };
    }

    /// <summary>A JSON value as text: a number as sent, a string's value, true/false/null.</summary>
    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText() is { Length: > 100 } raw ? raw[..100] + "..." : value.GetRawText(),
    };
}
