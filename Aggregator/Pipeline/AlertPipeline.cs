using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.State;
using Psistats.Aggregator.Storage;
using Psistats.Contracts.Frames;

namespace Psistats.Aggregator.Pipeline;

/// <summary>
/// From a received frame to stored history and queued notifications: the host's live state (<see cref="HostStateStore"/>), the
/// rules (<see cref="AlertEngine"/>), then ONE SQLite transaction holding the events, the alert rows and the outbox rows the
/// <see cref="NotificationPolicy"/> plans for them. The consumer acknowledges the frame only after that commit, so a crash
/// (even SIGKILL) either keeps all of it or none of it and the broker redelivers the frame. A frame that changes nothing
/// (the common case) touches no database.
/// Also the periodic work (<see cref="Tick"/>): DOWN detection, reporter staleness, the batched save of hosts' last-seen times
/// and the pruning of old events.
/// </summary>
public sealed class AlertPipeline(
    HostStateStore hosts,
    AlertEngine engine,
    AlertStore store,
    StateDatabase db,
    NotificationPolicy policy,
    RuleSet rules,
    AggregatorOptions options,
    ILogger<AlertPipeline> logger)
{
    /// <summary>How often hosts' last-seen times are saved.</summary>
    public static readonly TimeSpan HostSavePeriod = TimeSpan.FromSeconds(5);

    /// <summary>How often old events are pruned beyond events_kept.</summary>
    public static readonly TimeSpan PrunePeriod = TimeSpan.FromMinutes(1);

    /// <summary>A gap this long between two ticks (normally 1 s apart) is a stall of the aggregator itself (<see cref="BlindSpot"/>).</summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(5);

    private readonly Lock _tickLock = new();
    private readonly BlindSpot _blind = new(options.DownAfter, StallAfter);
    private DateTimeOffset _lastHostSave = DateTimeOffset.MinValue;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;
    private long _replays;

    private readonly System.Threading.RateLimiting.TokenBucketRateLimiter _replayLogBudget = LogBudget.PerMinute(20);

    /// <summary>
    /// Raised after each frame's verdict is committed (the remediation watch counts cgminer error polls from it). Handlers run on
    /// the consumer's path and must be quick. The frame's body may be valid only during the call
    /// (<see cref="FrameEnvelope.TryParseInPlace"/>): a handler that keeps part of it copies it.
    /// </summary>
    public event Action<FrameEnvelope, FrameVerdict, DateTimeOffset>? Evaluated;

    /// <summary>Loads hosts and pending/firing alerts from the database, so that nothing is re-sent and nothing forgotten.</summary>
    public void Resume(DateTimeOffset startedAt)
    {
        var storedHosts = store.LoadHosts();
        foreach (var host in storedHosts)
        {
            hosts.Restore(host, startedAt);
        }

        foreach (var (host, reporter, position) in store.LoadApplied())
        {
            hosts.RestoreApplied(host, reporter, position, startedAt);
        }

        var alerts = store.LoadAlerts();
        var ended = engine.Restore(alerts);
        if (alerts.FirstOrDefault(a => a.Key.Rule == BlindSpot.Rule && a.Key.Host == BlindSpot.Host) is { } blind)
        {
            // Fired before the restart: resolved once the consumer is back.
            lock (_tickLock)
            {
                _blind.RestoreFiring(blind.FiringSince ?? startedAt);
            }
        }

        if (ended.Count > 0)
        {
            Commit([], ended, startedAt);
        }

        PipelineLog.Resumed(logger, db.Path, storedHosts.Count, alerts.Count - ended.Count);
    }

    /// <summary>
    /// Applies one accepted frame received at <paramref name="receivedAt"/>; returns once everything it caused is committed, with
    /// the frame's position (<see cref="FramePosition"/>) in the same transaction. A frame at or below the last applied position of
    /// its host and reporter (a broker redelivery after a crash or reconnect, an agent's re-send) is a replay: it is skipped
    /// (<see cref="FrameOutcome.Replay"/>), so no effect is ever committed twice.
    /// </summary>
    /// <returns>Applied; skipped as a replay; or refused (a new host past max_hosts or new_hosts_per_minute: the caller dead-letters it).</returns>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The database could not be written (the caller does not ack the frame).</exception>
    public FrameOutcome OnFrame(FrameEnvelope frame, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!hosts.Admit(frame.Hostname, receivedAt))
        {
            return FrameOutcome.TooManyHosts;
        }

        if (hosts.IsReplay(frame, out var applied))
        {
            var count = Interlocked.Increment(ref _replays);
            using var lease = _replayLogBudget.AttemptAcquire();
            if (lease.IsAcquired)
            {
                PipelineLog.ReplaySkipped(logger, frame.Hostname, frame.Reporter, frame.Seq ?? 0, applied.Seq, count);
            }

            return FrameOutcome.Replay;
        }

        var up = hosts.Apply(frame, receivedAt);
        var verdict = engine.OnFrame(frame, receivedAt);
        if (up is not null || verdict.Transitions.Count > 0)
        {
            var transitions = up is null ? verdict.Transitions : [.. engine.OnHostUp(up.Host, receivedAt), .. verdict.Transitions];
            var position = FramePosition.Of(frame.Seq, frame.Timestamp);
            try
            {
                Commit(up is null ? [] : [up], transitions, receivedAt, position is { } p ? (frame.Hostname, frame.Reporter, p) : null);
            }
            catch (Microsoft.Data.Sqlite.SqliteException) when (position is not null)
            {
                // Not committed: the consumer requeues the frame, and its redelivery must not count as a replay.
                hosts.RestoreApplied(frame.Hostname, frame.Reporter, applied, receivedAt, keep: applied.Seq > 0);
                throw;
            }
        }

        Evaluated?.Invoke(frame, verdict, receivedAt);
        return FrameOutcome.Applied;
    }

    /// <summary>Frames skipped as replays since start (<see cref="OnFrame"/>).</summary>
    public long Replays => Interlocked.Read(ref _replays);

    /// <summary>
    /// Records transitions raised outside the rules (the remediation's critical alerts, rules of kind external), through the same
    /// events, alerts and notifications path.
    /// </summary>
    public void Raise(IReadOnlyList<AlertTransition> transitions, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        if (transitions.Count > 0)
        {
            Commit([], transitions, at);
            foreach (var t in transitions)
            {
                engine.RecordExternal(t);
            }
        }
    }

    /// <summary>
    /// The periodic work at <paramref name="now"/>: DOWN hosts (not while the aggregator is blind, see <see cref="BlindSpot"/>:
    /// <paramref name="consuming"/> false, or a stall), stale reporters, saving hosts, pruning events. <paramref name="connectedOnce"/>
    /// false (the first connection is still being made) keeps the blindness out of the log while shorter than down_after.
    /// </summary>
    public void Tick(DateTimeOffset now, bool consuming, bool connectedOnce)
    {
        lock (_tickLock)
        {
            var step = _blind.Observe(now, consuming, startup: !connectedOnce);
            if (step.RebaseFrom is { } from)
            {
                hosts.Rebase(from);
            }

            LogBlindness(step);
            var downs = step.CheckDown ? hosts.CheckDown(now) : [];
            var transitions = new List<AlertTransition>();
            foreach (var down in downs)
            {
                transitions.AddRange(engine.OnHostDown(down.Host, down.LastSeen, now));
            }

            transitions.AddRange(engine.Tick(now));
            var blind = BlindTransitions(step, now);
            transitions.AddRange(blind);
            if (downs.Count > 0 || transitions.Count > 0)
            {
                Commit(downs, transitions, now);
            }

            foreach (var t in blind)
            {
                engine.RecordExternal(t);
            }

            if (now - _lastHostSave >= HostSavePeriod)
            {
                _lastHostSave = now;
                var changed = hosts.TakeChanged();
                if (changed.Count > 0)
                {
                    store.SaveHosts(changed);
                }
            }

            if (now - _lastPrune >= PrunePeriod)
            {
                _lastPrune = now;
                Forget(now);
                var pruned = store.PruneEvents(options.EventsKept);
                if (pruned > 0)
                {
                    PipelineLog.Pruned(logger, pruned, options.EventsKept);
                }
            }
        }
    }

    /// <summary>Forgets the hosts DOWN for longer than forget_after: their alerts resolved, a FORGOTTEN event each, their rows deleted.</summary>
    private void Forget(DateTimeOffset now)
    {
        var forgotten = hosts.Forget(now);
        if (forgotten.Count == 0)
        {
            return;
        }

        var transitions = new List<AlertTransition>();
        var events = new List<HostEvent>(forgotten.Count);
        var after = HostStateStore.FormatDuration(options.ForgetAfter.TotalSeconds);
        foreach (var host in forgotten)
        {
            transitions.AddRange(engine.Forget(host, now));
            events.Add(new HostEvent(now, host, HostEventKinds.Forgotten, $"{host} forgotten: DOWN and silent for longer than forget_after ({after})", null, now));
        }

        Commit(events, transitions, now);
        PipelineLog.Forgotten(logger, forgotten.Count, after);
    }

    private void LogBlindness(BlindSpotStep step)
    {
        if (step.Startup && step.BlindFor < options.DownAfter)
        {
            // Not consuming yet because the first connection is being made: not news.
        }
        else if (step.Began)
        {
            PipelineLog.BlindBegan(logger);
        }
        else if (step.Ended)
        {
            PipelineLog.BlindEnded(logger, Math.Round(step.BlindFor.TotalSeconds, 1));
        }
        else if (step.Stall is { } stall)
        {
            PipelineLog.Stalled(logger, Math.Round(stall.TotalSeconds, 1));
        }
    }

    /// <summary>The <see cref="BlindSpot.Rule"/> alert's firing or resolve, unless the rule is switched off.</summary>
    private List<AlertTransition> BlindTransitions(BlindSpotStep step, DateTimeOffset now)
    {
        var rule = rules.Find(BlindSpot.Rule);
        if (rule is not { Active: true } || (!step.Fire && step.Resolve is null))
        {
            return [];
        }

        var key = new AlertKey(BlindSpot.Rule, BlindSpot.Host, "");
        var threshold = $"> down_after {options.DownAfter.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s";
        var value = $"{Math.Round(step.BlindFor.TotalSeconds):0} s";
        return
        [
            step.Fire
                ? AlertTransition.ExternalFiring(key, rule.Severity,
                    $"the aggregator has not been consuming from the broker for {value}: no host can be declared DOWN until it is back",
                    value, threshold, now)
                : AlertTransition.ExternalResolved(key, rule.Severity,
                    $"the aggregator is consuming from the broker again (after {value} without)", value, threshold, step.Resolve!.Value, now),
        ];
    }

    private void Commit(IReadOnlyList<HostEvent> hostEvents, IReadOnlyList<AlertTransition> transitions, DateTimeOffset now,
        (string Host, string Reporter, FramePosition Position)? applied = null)
    {
        db.Write((connection, transaction) =>
        {
            if (applied is { } a)
            {
                AlertStore.SaveApplied(connection, transaction, a.Host, a.Reporter, a.Position);
            }

            foreach (var e in hostEvents)
            {
                AlertStore.AddEvent(connection, transaction, new StoredEvent
                {
                    Time = e.Time,
                    Host = e.Host,
                    Kind = e.Kind,
                    Severity = e.Kind == HostEventKinds.Down ? "error" : null,
                    Message = e.Message,
                    Value = e.DowntimeSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                if (e.Kind == HostEventKinds.Down)
                {
                    AlertStore.OpenDowntime(connection, transaction, e.Host, e.LastSeen, e.Time);
                }
                else if (e.Kind == HostEventKinds.Forgotten)
                {
                    AlertStore.DeleteHost(connection, transaction, e.Host);
                }
                else if (e.DowntimeSeconds is not null)
                {
                    AlertStore.CloseDowntime(connection, transaction, e.Host, e.Time);
                }
            }

            foreach (var t in transitions)
            {
                AlertStore.ApplyTransition(connection, transaction, t);
                var outcome = policy.Plan(connection, transaction, t, rules.Find(t.Key.Rule)?.Notifiers, now);
                // Silences and remediation holds are recorded; "nothing configured takes it" is not news worth an event.
                if (outcome.NotSentReason is { } reason && (reason.StartsWith("silenced", StringComparison.Ordinal) || reason.StartsWith("held", StringComparison.Ordinal)))
                {
                    AlertStore.AddEvent(connection, transaction, new StoredEvent
                    {
                        Time = t.At,
                        Host = t.Key.Host,
                        Rule = t.Key.Rule,
                        Instance = t.Key.Instance,
                        Severity = AlertStore.SeverityName(t.Severity),
                        Kind = reason.StartsWith("silenced", StringComparison.Ordinal) ? "silenced" : "held",
                        Message = $"{t.Kind} {t.Key} not sent: {reason}",
                    });
                }
            }

            return 0;
        });

        foreach (var t in transitions)
        {
            if (t.Kind is TransitionKinds.Firing or TransitionKinds.Resolved)
            {
                PipelineLog.Transition(logger, t.Kind.ToUpperInvariant(), t.Key.ToString(), t.Message);
            }
            else
            {
                PipelineLog.QuietTransition(logger, t.Kind.ToUpperInvariant(), t.Key.ToString(), t.Message);
            }
        }
    }
}

/// <summary>What <see cref="AlertPipeline.OnFrame"/> did with a frame.</summary>
public enum FrameOutcome
{
    /// <summary>Applied; its effects are committed.</summary>
    Applied,

    /// <summary>Skipped: at or below the last applied frame of its host and reporter (acknowledged, counted).</summary>
    Replay,

    /// <summary>Refused: a new host past <c>max_hosts</c> or <c>new_hosts_per_minute</c> (dead-lettered as <c>too_many_hosts</c>).</summary>
    TooManyHosts,
}
