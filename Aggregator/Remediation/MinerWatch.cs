using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;
using Psistats.Contracts.Frames;

namespace Psistats.Aggregator.Remediation;

/// <summary>
/// The per-miner watch of issue 6: counts each configured miner's cgminer error polls and decides when a remediation runs,
/// with which action, and which guard refuses it. It only decides and records; the <see cref="RemediationService"/> runs the
/// plans it queues on <see cref="Plans"/>, off the frame-consuming path.
/// <list type="bullet">
/// <item>Counting (cointerra-monitor's cycle): an error poll adds one to the miner's consecutive count, a clean poll resets
/// it, a warning-only poll does neither. When the count reaches <c>max_errors</c>, one remediation starts. While it runs and
/// during the <c>cooldown</c> after it, polls are not counted and the miner's alerts are held (<see cref="IsHeld"/>); when the
/// cooldown is over the count starts again from 0.</item>
/// <item>Escalation: the action is the <c>restart_command</c> when one is configured, unless the last action sent to the
/// miner was a restart that did not heal it — no clean poll came after that restart's cooldown — in which case it is the
/// <c>reboot_command</c>; without a restart_command it is always the reboot.</item>
/// <item>max_reboots: every reboot command sent counts (whether or not it worked). With <c>max_reboots</c> reboots in the last
/// 24 h a further reboot is refused and one critical alert <c>remediation_max_reboots</c> (host = the miner) says a person is
/// needed; it resolves at the miner's next clean poll, or once the 24 h window has room again.</item>
/// <item>Fleet guard: a miner is <em>failing</em> when it is not running a remediation nor in its cooldown, has polled since the
/// aggregator started, and either its last poll was an error poll that was counted (count ≥ 1) or said the API did not answer
/// (<c>api_ok</c> false), or no poll came for <see cref="SilentIntervals"/> of its poll intervals (the proxy agent, the network
/// or the broker stopped delivering). When at least two miners and at least <c>fleet_guard</c> percent of the enabled miners
/// are failing, no remediation starts (automatic or manual) and one critical alert <c>remediation_fleet_guard</c> (host
/// <see cref="FleetHost"/>) fires; it resolves when the share drops below (just after a start, not before every miner has
/// polled or three default poll intervals have passed). A refused miner keeps its count and is reconsidered at its next error
/// poll.</item>
/// <item>Restarts: the state lives in SQLite (<see cref="RemediationStore"/>); the action is recorded as sent before its command
/// runs (<see cref="ActionSending"/>). At construction, a run still marked running (the process died, SIGKILL included) is
/// recorded as interrupted and its miner put into cooldown: nothing is ever re-run, so a miner is never rebooted twice.</item>
/// </list>
/// Commands and targets come only from the configuration (<see cref="MinerOptions"/>); frames only decide whether and when.
/// Thread-safe. <see cref="IsHeld"/> takes no lock (the notification policy calls it inside database transactions).
/// </summary>
public sealed class MinerWatch
{
    /// <summary>Error polls kept per miner for the bundle (the newest).</summary>
    public const int KeptErrorPolls = 20;

    /// <summary>Rule name of the critical alert "max_reboots reached: a person is needed".</summary>
    public const string MaxRebootsRule = "remediation_max_reboots";

    /// <summary>Rule name of the critical alert "fleet guard holds".</summary>
    public const string FleetGuardRule = "remediation_fleet_guard";

    /// <summary>The host of the fleet guard's alert (it is about every miner, not one).</summary>
    public const string FleetHost = "fleet";

    /// <summary>A miner silent for this many poll intervals counts as failing for the fleet guard.</summary>
    public const int SilentIntervals = 3;

    /// <summary>Longest <c>requested_by</c> kept, characters.</summary>
    public const int MaxRequestedByLength = 200;

    /// <summary>The window of max_reboots.</summary>
    public static readonly TimeSpan RebootWindow = TimeSpan.FromHours(24);

    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, MinerState> _miners = new(StringComparer.OrdinalIgnoreCase);
    private readonly RemediationOptions _options;
    private readonly RemediationStore _store;
    private readonly RuleSet _rules;
    private readonly ILogger _logger;
    private readonly Channel<RemediationPlan> _plans = Channel.CreateUnbounded<RemediationPlan>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<ActiveAlert> _orphans = [];
    private readonly DateTimeOffset _startedAt;
    private ActiveAlert? _fleetGuard;

    /// <summary>
    /// Loads the state of every enabled miner from <paramref name="store"/> and the firing remediation alerts from
    /// <paramref name="alerts"/>, then resumes: runs left <c>running</c> become <c>interrupted</c> and their miners go into cooldown.
    /// </summary>
    /// <param name="options">[remediation] and the [miner:NAME] sections.</param>
    /// <param name="store">The remediation tables.</param>
    /// <param name="alerts">The alert store (the events table and the firing alerts; must exist before the resume writes events).</param>
    /// <param name="rules">
    /// The rule set: the critical alerts take the severity of their rules (kind external, <see cref="MaxRebootsRule"/>,
    /// <see cref="FleetGuardRule"/>), and are not raised when their rule is switched off.
    /// </param>
    /// <param name="time">The aggregator's clock (the resume's time).</param>
    /// <param name="logger">Log.</param>
    public MinerWatch(RemediationOptions options, RemediationStore store, AlertStore alerts, RuleSet rules, TimeProvider time, ILogger<MinerWatch> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _store = store;
        _rules = rules;
        _logger = logger;
        _startedAt = time.GetUtcNow();
        foreach (var miner in options.Miners.Where(m => m.Enabled))
        {
            _miners[miner.Name] = new MinerState(miner);
        }

        Resume(alerts, _startedAt);
        if (_miners.Count > 0)
        {
            RemediationLog.Watching(logger, _miners.Count, string.Join(", ", _miners.Keys), options.FleetGuardPercent);
        }
    }

    /// <summary>
    /// Raised (outside any lock) with the remediation's critical alerts, <c>firing</c> and <c>resolved</c>, for the aggregator to
    /// record through the same events, alerts and notifications path as the rules' (<c>AlertPipeline.Raise</c>). When the
    /// handler throws, the alert is raised again at the next check.
    /// </summary>
    public event Action<IReadOnlyList<AlertTransition>, DateTimeOffset>? AlertsRaised;

    /// <summary>The remediations decided, in order, for the <see cref="RemediationService"/> (single reader).</summary>
    public ChannelReader<RemediationPlan> Plans => _plans.Reader;

    /// <summary>The names of the watched (enabled) miners.</summary>
    public IReadOnlyCollection<string> Miners => _miners.Keys;

    /// <summary>
    /// Counts one evaluated frame (subscribe it to <c>AlertPipeline.Evaluated</c>). Frames that are not cgminer polls of a
    /// configured miner cost one string comparison and one dictionary lookup. A poll is an error poll when a matched rule
    /// has severity error or critical (the Cointerra error rules: cointerra_asic_status, cointerra_rejected, cointerra_enabled,
    /// cointerra_api, cointerra_dies_lost, or a user rule of that severity), warning-only when the worst match is a warning,
    /// clean otherwise. Never throws: a database failure is logged.
    /// </summary>
    /// <param name="frame">The frame.</param>
    /// <param name="verdict">What the rules made of it.</param>
    /// <param name="receivedAt">Its receive time (aggregator's clock).</param>
    public void OnPoll(FrameEnvelope frame, FrameVerdict verdict, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(verdict);
        if (frame.Reporter != "cgminer" || !_miners.ContainsKey(frame.Hostname))
        {
            return;
        }

        var errors = verdict.Matches.Where(m => m.Severity >= Severity.Error).Select(Describe).ToList();
        var kind = errors.Count > 0 ? PollKind.Error : verdict.Worst == Severity.Warning ? PollKind.WarningOnly : PollKind.Clean;
        Observe(frame, kind, errors, receivedAt);
    }

    /// <summary>
    /// Counts one cgminer poll already classified (<see cref="OnPoll"/> classifies from the rules' verdict). Frames of hosts
    /// that are not configured miners are ignored. Never throws: a database failure is logged.
    /// </summary>
    /// <param name="frame">The cgminer frame.</param>
    /// <param name="kind">Clean, warning-only or error.</param>
    /// <param name="errors">For an error poll, one line per error that held.</param>
    /// <param name="receivedAt">Its receive time (aggregator's clock).</param>
    public void Observe(FrameEnvelope frame, PollKind kind, IReadOnlyList<string> errors, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(errors);
        if (!_miners.TryGetValue(frame.Hostname, out var miner))
        {
            return;
        }

        var raised = new List<AlertTransition>();
        try
        {
            lock (_lock)
            {
                ExpireCooldown(miner, receivedAt);
                miner.LastPollAt = receivedAt;
                miner.LastKind = kind;
                miner.ApiAnswered = !(frame.Body.TryGetProperty("api_ok", out var ok) && ok.ValueKind == JsonValueKind.False);
                miner.PollInterval = frame.Interval is > 0 and < 86400 ? TimeSpan.FromSeconds(frame.Interval.Value) : DefaultPollInterval;
                if (kind == PollKind.Clean)
                {
                    miner.LastGood = frame.Body.Clone(); // the frame's body lives only as long as its delivery
                    miner.LastGoodAt = receivedAt;
                }

                if (!miner.Busy(receivedAt))
                {
                    if (kind == PollKind.Clean)
                    {
                        OnClean(miner, receivedAt, raised);
                    }
                    else if (kind == PollKind.Error)
                    {
                        OnError(miner, frame, errors, receivedAt, raised);
                    }
                }

                ReleaseFleetGuard(receivedAt, raised);
            }
        }
        catch (SqliteException ex)
        {
            RemediationLog.StateWriteFailed(_logger, ex, miner.Options.Name);
        }

        Raise(raised, receivedAt);
    }

    /// <summary>
    /// Whether the alerts of <paramref name="host"/> are held at <paramref name="now"/>: it is a watched miner running a
    /// remediation or in its cooldown. Lock-free (one dictionary lookup and one volatile read): the notification policy calls it
    /// inside database transactions.
    /// </summary>
    public bool IsHeld(string host, DateTimeOffset now) =>
        host is not null && _miners.TryGetValue(host, out var miner) && StateDatabase.ToUnixMs(now) < Volatile.Read(ref miner.HeldUntilMs);

    /// <summary>
    /// A remediation asked for by a person (<c>POST /api/miners/{name}/reboot</c> or <c>/restart</c>): the same sequence as an
    /// automatic one with the requested action, through the same guards — refused while the miner runs a remediation or is in its
    /// cooldown, when the action is a restart and no restart_command is configured, while the fleet guard holds, and for a
    /// reboot when max_reboots reboots were sent in the last 24 h. Recorded (run row and event) with <paramref name="requestedBy"/>.
    /// </summary>
    /// <param name="miner">NAME of the <c>[miner:NAME]</c> section (case-insensitive).</param>
    /// <param name="action">Restart or reboot.</param>
    /// <param name="requestedBy">
    /// Who asked, as the API gives it (e.g. <c>alice (127.0.0.1)</c>); kept as text (control characters escaped, at most
    /// <see cref="MaxRequestedByLength"/> characters), never executed.
    /// </param>
    /// <param name="now">The request's time.</param>
    /// <returns>Accepted with the run id, unknown miner, or refused with the reason.</returns>
    public ManualRequestResult RequestManual(string miner, RemediationAction action, string requestedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(miner);
        ArgumentNullException.ThrowIfNull(requestedBy);
        requestedBy = MessageText.Clean(requestedBy, MaxRequestedByLength);
        if (!_miners.TryGetValue(miner, out var state))
        {
            return new ManualRequestResult(ManualRequestStatus.UnknownMiner, null, $"no enabled [miner:{miner}] section");
        }

        var name = state.Options.Name;
        var actionName = RemediationStore.ActionName(action);
        ManualRequestResult result;
        lock (_lock)
        {
            ExpireCooldown(state, now);
            var refusal = ManualRefusal(state, action, now);
            if (refusal is not null)
            {
                result = new ManualRequestResult(ManualRequestStatus.Refused, null, refusal);
                _store.Database.Write((connection, transaction) => RemediationEvents.Add(connection, transaction, name, now, "refused", true,
                    $"manual {actionName} of {name} requested by {requestedBy} refused: {refusal}",
                    new JsonObject { ["trigger"] = RemediationTriggers.Manual, ["requested_by"] = requestedBy, ["action"] = actionName }, null));
            }
            else
            {
                var runId = Start(state, action, $"{requestedBy} asked for it", RemediationTriggers.Manual, requestedBy, now);
                result = new ManualRequestResult(ManualRequestStatus.Accepted, runId, $"remediation {runId} of {name} started: {actionName}");
            }
        }

        RemediationLog.Manual(_logger, actionName, name, requestedBy, result.Reason);
        return result;
    }

    /// <summary>
    /// The periodic checks at <paramref name="now"/> (the <see cref="RemediationService"/> calls it every few seconds): cooldowns
    /// that are over, max_reboots alerts whose window has room again, the fleet guard's release, and the resolution of
    /// remediation alerts restored for miners no longer configured.
    /// </summary>
    public void Tick(DateTimeOffset now)
    {
        var raised = new List<AlertTransition>();
        try
        {
            lock (_lock)
            {
                foreach (var orphan in _orphans)
                {
                    raised.Add(Resolved(orphan.Key, $"{orphan.Key.Host} is no longer a configured miner", orphan.Value ?? "", orphan.Threshold ?? "",
                        orphan.FiringSince ?? orphan.PendingSince, now));
                }

                _orphans.Clear();
                foreach (var miner in _miners.Values)
                {
                    ExpireCooldown(miner, now);
                    ReleasePersonNeeded(miner, now, raised);
                }

                ReleaseFleetGuard(now, raised);
            }
        }
        catch (SqliteException ex)
        {
            RemediationLog.StateWriteFailed(_logger, ex, string.Join(", ", _miners.Keys));
        }

        Raise(raised, now);
    }

    /// <summary>
    /// Records, before the command is sent, that run <paramref name="plan"/> sends its action at <paramref name="at"/>: the run's
    /// <c>action_sent_at</c>, the miner's last action (and, for a reboot, one more reboot in the 24 h window), in one
    /// transaction. After a crash the action is known as sent and never sent again.
    /// </summary>
    /// <exception cref="SqliteException">It could not be recorded: the caller must not send the command.</exception>
    public void ActionSending(RemediationPlan plan, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var miner = _miners[plan.Miner.Name];
        lock (_lock)
        {
            var row = miner.ToRow() with { LastAction = plan.Action, LastActionAt = at, LastActionHealed = false };
            _store.Database.Write((connection, transaction) =>
            {
                RemediationStore.MarkActionSent(connection, transaction, plan.RunId, at);
                RemediationStore.SaveMiner(connection, transaction, row);
                return 0;
            });
            miner.LastAction = plan.Action;
            miner.LastActionAt = at;
            miner.LastActionHealed = false;
            if (plan.Action == RemediationAction.Reboot)
            {
                miner.Reboots.Add(at);
            }
        }
    }

    /// <summary>
    /// Ends run <paramref name="plan"/> at <paramref name="at"/> (<c>done</c>, or <c>interrupted</c> when the aggregator is
    /// stopping): the miner's cooldown starts (errors not counted, alerts held) and its count is back to 0. Returns the
    /// cooldown's end.
    /// </summary>
    public DateTimeOffset Finish(RemediationPlan plan, DateTimeOffset at, bool interrupted)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var miner = _miners[plan.Miner.Name];
        var until = at + miner.Options.Cooldown;
        lock (_lock)
        {
            miner.RunningRunId = null;
            miner.CooldownUntil = until;
            miner.ErrorCount = 0;
            miner.ErrorPolls.Clear();
            miner.UpdateHeld();
            var row = miner.ToRow();
            _store.Database.Write((connection, transaction) =>
            {
                RemediationStore.FinishRun(connection, transaction, plan.RunId, interrupted ? RemediationStore.Interrupted : RemediationStore.Done, at);
                RemediationStore.SaveMiner(connection, transaction, row);
                RemediationEvents.Add(connection, transaction, miner.Options.Name, at, "cooldown", false,
                    $"{miner.Options.Name} in cooldown until {Iso(until)}: errors not counted, alerts held",
                    new JsonObject { ["until"] = until, ["cooldown_seconds"] = miner.Options.Cooldown.TotalSeconds }, plan.RunId);
                return 0;
            });
        }

        return until;
    }

    /// <summary>Each watched miner's state at <paramref name="now"/>, by name (for <c>GET /api/miners</c> and the tests).</summary>
    public IReadOnlyList<MinerStatus> Status(DateTimeOffset now)
    {
        lock (_lock)
        {
            var failing = FailingMiners(now);
            return _miners.Values.OrderBy(m => m.Options.Name, StringComparer.Ordinal).Select(m => new MinerStatus
            {
                Name = m.Options.Name,
                State = m.RunningRunId is not null ? "running"
                    : m.CooldownUntil > now ? "cooldown"
                    : failing.Contains(m) ? "failing"
                    : "ok",
                ErrorCount = m.ErrorCount,
                MaxErrors = m.Options.MaxErrors,
                RunningRun = m.RunningRunId,
                CooldownUntil = m.CooldownUntil > now ? m.CooldownUntil : null,
                LastPoll = m.LastKind switch
                {
                    PollKind.Clean => "clean",
                    PollKind.WarningOnly => "warning",
                    PollKind.Error => "error",
                    _ => null,
                },
                LastPollAt = m.LastPollAt,
                LastAction = m.LastAction,
                LastActionAt = m.LastActionAt,
                LastActionHealed = m.LastAction is null ? null : m.LastActionHealed,
                Reboots24h = m.RebootsInWindow(now),
                MaxReboots = m.Options.MaxReboots,
                PersonNeededSince = m.PersonNeeded?.FiringSince,
            }).ToList();
        }
    }

    private void Resume(AlertStore alerts, DateTimeOffset now)
    {
        foreach (var row in _store.LoadMiners())
        {
            if (!_miners.TryGetValue(row.Miner, out var miner))
            {
                continue;
            }

            miner.ErrorCount = row.ErrorCount;
            miner.CooldownUntil = row.CooldownUntil;
            miner.LastAction = row.LastAction;
            miner.LastActionAt = row.LastActionAt;
            miner.LastActionHealed = row.LastActionHealed;
            miner.LastGoodAt = row.LastGoodAt;
            if (row.LastGoodFrame is { } json)
            {
                using var document = JsonDocument.Parse(json);
                miner.LastGood = document.RootElement.Clone();
            }
        }

        foreach (var (name, times) in _store.RebootsSince(now - RebootWindow))
        {
            if (_miners.TryGetValue(name, out var miner))
            {
                miner.Reboots.AddRange(times);
            }
        }

        foreach (var alert in alerts.LoadAlerts().Where(a => a.Key.Rule is MaxRebootsRule or FleetGuardRule))
        {
            if (alert.Key.Rule == MaxRebootsRule && _miners.TryGetValue(alert.Key.Host, out var miner))
            {
                miner.PersonNeeded = alert;
            }
            else if (alert.Key.Rule == FleetGuardRule && _miners.Count >= 2)
            {
                _fleetGuard = alert;
            }
            else
            {
                _orphans.Add(alert);
            }
        }

        foreach (var run in _store.Runs(state: RemediationStore.Running, limit: int.MaxValue))
        {
            _miners.TryGetValue(run.Miner, out var miner);
            var until = now + (miner?.Options.Cooldown ?? TimeSpan.Zero);
            var actionName = RemediationStore.ActionName(run.Action);
            var sent = run.ActionSentAt is { } sentAt ? $"was sent at {Iso(sentAt)}" : "was not sent";
            if (miner is not null)
            {
                miner.CooldownUntil = until;
                miner.ErrorCount = 0;
            }

            _store.Database.Write((connection, transaction) =>
            {
                RemediationStore.FinishRun(connection, transaction, run.Id, RemediationStore.Interrupted, now);
                if (miner is not null)
                {
                    RemediationStore.SaveMiner(connection, transaction, miner.ToRow());
                }

                RemediationEvents.Add(connection, transaction, run.Miner, now, "interrupted", true,
                    $"remediation {run.Id} of {run.Miner} was interrupted by an aggregator stop: its {actionName} {sent}; nothing is re-run"
                    + (miner is null ? "" : $", {run.Miner} is in cooldown until {Iso(until)}"),
                    new JsonObject { ["action"] = actionName, ["action_sent_at"] = run.ActionSentAt, ["cooldown_until"] = miner is null ? null : until },
                    run.Id);
                return 0;
            });
            RemediationLog.Interrupted(_logger, run.Id, run.Miner, actionName, sent, until);
        }

        foreach (var miner in _miners.Values)
        {
            miner.UpdateHeld();
        }
    }

    private void OnClean(MinerState miner, DateTimeOffset at, List<AlertTransition> raised)
    {
        var name = miner.Options.Name;
        var events = new List<(string Step, string Message)>();
        var dirty = false;
        if (miner.ErrorCount > 0)
        {
            RemediationLog.Reset(_logger, name, miner.ErrorCount);
            miner.ErrorCount = 0;
            miner.ErrorPolls.Clear();
            dirty = true;
        }

        if (miner.LastAction is { } action && !miner.LastActionHealed)
        {
            miner.LastActionHealed = true;
            dirty = true;
            var actionName = RemediationStore.ActionName(action);
            events.Add(("healed", $"{name} is clean after the {actionName} sent at {Iso(miner.LastActionAt ?? at)}: it healed"));
            RemediationLog.Healed(_logger, name, actionName, Iso(miner.LastActionAt ?? at));
        }

        if (miner.PersonNeeded?.FiringSince is { } since)
        {
            miner.PersonNeeded = null;
            raised.Add(Resolved(new AlertKey(MaxRebootsRule, name, ""), $"{name} is clean again: automatic reboots are allowed again",
                miner.RebootsInWindow(at).ToString(CultureInfo.InvariantCulture), MaxRebootsThreshold(miner), since, at));
            RemediationLog.PersonNoLongerNeeded(_logger, name, "a clean poll");
        }

        if (dirty)
        {
            var row = miner.ToRow();
            _store.Database.Write((connection, transaction) =>
            {
                RemediationStore.SaveMiner(connection, transaction, row);
                foreach (var (step, message) in events)
                {
                    RemediationEvents.Add(connection, transaction, name, at, step, false, message, null, null);
                }

                return 0;
            });
        }
    }

    private void OnError(MinerState miner, FrameEnvelope frame, IReadOnlyList<string> errors, DateTimeOffset at, List<AlertTransition> raised)
    {
        miner.ErrorCount++;
        miner.ErrorPolls.Add(new ErrorPoll(at, errors, frame.Body.Clone()));
        if (miner.ErrorPolls.Count > KeptErrorPolls)
        {
            miner.ErrorPolls.RemoveAt(0);
        }

        RemediationLog.ErrorPoll(_logger, miner.Options.Name, miner.ErrorCount, miner.Options.MaxErrors, errors.Count == 0 ? "(no detail)" : string.Join("; ", errors));
        ReleasePersonNeeded(miner, at, raised);
        if (miner.ErrorCount < miner.Options.MaxErrors || !TryStartAutomatic(miner, at, raised))
        {
            var row = miner.ToRow();
            _store.Database.Write((connection, transaction) =>
            {
                RemediationStore.SaveMiner(connection, transaction, row);
                return 0;
            });
        }
    }

    private bool TryStartAutomatic(MinerState miner, DateTimeOffset at, List<AlertTransition> raised)
    {
        var name = miner.Options.Name;
        var failing = FailingMiners(at);
        if (FleetGuardHolds(failing))
        {
            if (_fleetGuard is null)
            {
                var summary = FleetSummary(failing) + ": no miner is remediated, the cause is likely the network, the broker or the proxy agent";
                var firing = Firing(new AlertKey(FleetGuardRule, FleetHost, ""), summary, FleetValue(failing), FleetThreshold(), at);
                _fleetGuard = firing.Alert;
                raised.Add(firing);
                RemediationLog.FleetGuardHolds(_logger, name, summary);
            }

            return false;
        }

        var (action, reason) = NextAction(miner);
        if (action == RemediationAction.Reboot && miner.RebootsInWindow(at) >= miner.Options.MaxReboots)
        {
            if (miner.PersonNeeded is null)
            {
                var reboots = miner.RebootsInWindow(at);
                var summary = $"{reboots} reboots in the last 24 h ({MaxRebootsThreshold(miner)}): no more automatic reboots of {name}; a person is needed";
                var firing = Firing(new AlertKey(MaxRebootsRule, name, ""), summary, reboots.ToString(CultureInfo.InvariantCulture), MaxRebootsThreshold(miner), at);
                miner.PersonNeeded = firing.Alert;
                raised.Add(firing);
                RemediationLog.PersonNeeded(_logger, name, summary);
            }

            return false;
        }

        Start(miner, action, reason, RemediationTriggers.Auto, null, at);
        return true;
    }

    private static (RemediationAction Action, string Reason) NextAction(MinerState miner)
    {
        var errors = $"{miner.ErrorCount} consecutive error polls (max_errors {miner.Options.MaxErrors})";
        if (miner.Options.RestartCommand is null)
        {
            return (RemediationAction.Reboot, $"{errors}; no restart_command is configured");
        }

        if (miner.LastAction == RemediationAction.Restart && !miner.LastActionHealed)
        {
            return (RemediationAction.Reboot, $"{errors}; the restart sent at {Iso(miner.LastActionAt!.Value)} did not heal it");
        }

        return (RemediationAction.Restart, $"{errors}; restart_command first (a reboot follows if the restart does not heal it)");
    }

    private string? ManualRefusal(MinerState miner, RemediationAction action, DateTimeOffset now)
    {
        var name = miner.Options.Name;
        if (miner.RunningRunId is { } running)
        {
            return $"remediation {running} of {name} is running";
        }

        if (miner.CooldownUntil is { } until && until > now)
        {
            return $"{name} is in its cooldown until {Iso(until)}";
        }

        if (action == RemediationAction.Restart && miner.Options.RestartCommand is null)
        {
            return $"no restart_command is configured for {name}";
        }

        var failing = FailingMiners(now);
        if (FleetGuardHolds(failing))
        {
            return $"the fleet guard holds: {FleetSummary(failing)}";
        }

        if (action == RemediationAction.Reboot && miner.RebootsInWindow(now) >= miner.Options.MaxReboots)
        {
            return $"{miner.RebootsInWindow(now)} reboots of {name} in the last 24 h ({MaxRebootsThreshold(miner)})";
        }

        return null;
    }

    private long Start(MinerState miner, RemediationAction action, string reason, string trigger, string? requestedBy, DateTimeOffset at)
    {
        var name = miner.Options.Name;
        var actionName = RemediationStore.ActionName(action);
        var errorPolls = miner.ErrorPolls.ToList();
        var row = miner.ToRow();
        var runId = _store.Database.Write((connection, transaction) =>
        {
            var id = RemediationStore.InsertRun(connection, transaction, name, trigger, requestedBy, action, reason, at);
            RemediationStore.SaveMiner(connection, transaction, row);
            RemediationEvents.Add(connection, transaction, name, at, "start", false,
                $"remediation {id} of {name} starts ({trigger}{(requestedBy is null ? "" : $", requested by {requestedBy}")}): {actionName}, because {reason}",
                new JsonObject
                {
                    ["trigger"] = trigger,
                    ["requested_by"] = requestedBy,
                    ["action"] = actionName,
                    ["reason"] = reason,
                    ["error_count"] = miner.ErrorCount,
                    ["errors"] = new JsonArray(errorPolls.LastOrDefault()?.Errors.Select(e => (JsonNode?)e).ToArray() ?? []),
                },
                id);
            return id;
        });
        miner.RunningRunId = runId;
        miner.UpdateHeld();
        _plans.Writer.TryWrite(new RemediationPlan
        {
            RunId = runId,
            Miner = miner.Options,
            Action = action,
            Reason = reason,
            Trigger = trigger,
            RequestedBy = requestedBy,
            StartedAt = at,
            ErrorPolls = errorPolls,
            LastGoodFrame = miner.LastGood,
            LastGoodAt = miner.LastGoodAt,
        });
        RemediationLog.Started(_logger, runId, name, trigger, actionName, reason);
        return runId;
    }

    private void ExpireCooldown(MinerState miner, DateTimeOffset now)
    {
        if (miner.RunningRunId is null && miner.CooldownUntil is { } until && until <= now)
        {
            miner.CooldownUntil = null;
            miner.ErrorCount = 0;
            miner.ErrorPolls.Clear();
            miner.UpdateHeld();
            var row = miner.ToRow();
            _store.Database.Write((connection, transaction) =>
            {
                RemediationStore.SaveMiner(connection, transaction, row);
                return 0;
            });
            RemediationLog.CooldownOver(_logger, miner.Options.Name);
        }
    }

    private void ReleasePersonNeeded(MinerState miner, DateTimeOffset now, List<AlertTransition> raised)
    {
        if (miner.PersonNeeded?.FiringSince is { } since && miner.RebootsInWindow(now) < miner.Options.MaxReboots)
        {
            miner.PersonNeeded = null;
            var reboots = miner.RebootsInWindow(now);
            var reason = $"{reboots} reboots in the last 24 h, below max_reboots {miner.Options.MaxReboots}";
            raised.Add(Resolved(new AlertKey(MaxRebootsRule, miner.Options.Name, ""), $"{miner.Options.Name}: {reason}: automatic reboots are allowed again",
                reboots.ToString(CultureInfo.InvariantCulture), MaxRebootsThreshold(miner), since, now));
            RemediationLog.PersonNoLongerNeeded(_logger, miner.Options.Name, reason);
        }
    }

    private void ReleaseFleetGuard(DateTimeOffset now, List<AlertTransition> raised)
    {
        // Just after a start, miners not heard from yet are unknown, not healthy: the guard waits for them.
        var settling = now - _startedAt < DefaultPollInterval * SilentIntervals && _miners.Values.Any(m => m.LastPollAt is null);
        if (_fleetGuard?.FiringSince is { } since && !settling)
        {
            var failing = FailingMiners(now);
            if (!FleetGuardHolds(failing))
            {
                _fleetGuard = null;
                var summary = FleetSummary(failing);
                raised.Add(Resolved(new AlertKey(FleetGuardRule, FleetHost, ""), $"{summary}: remediations may run again", FleetValue(failing),
                    FleetThreshold(), since, now));
                RemediationLog.FleetGuardReleased(_logger, summary);
            }
        }
    }

    private List<MinerState> FailingMiners(DateTimeOffset now) => _miners.Values.Where(m => m.IsFailing(now)).ToList();

    private bool FleetGuardHolds(List<MinerState> failing) =>
        failing.Count >= 2 && failing.Count * 100.0 >= _options.FleetGuardPercent * _miners.Count;

    private string FleetSummary(List<MinerState> failing) =>
        $"{failing.Count} of {_miners.Count} miners failing at once"
        + (failing.Count == 0 ? "" : $" ({string.Join(", ", failing.Select(m => m.Options.Name).Order(StringComparer.Ordinal))})")
        + $"; fleet_guard {_options.FleetGuardPercent.ToString(CultureInfo.InvariantCulture)} %";

    private string FleetValue(List<MinerState> failing) =>
        $"{failing.Count}/{_miners.Count}";

    private string FleetThreshold() => $">= {_options.FleetGuardPercent.ToString(CultureInfo.InvariantCulture)} % of {_miners.Count} miners";

    private static string MaxRebootsThreshold(MinerState miner) => $"max_reboots {miner.Options.MaxReboots} per 24 h";

    /// <summary>The severity of <paramref name="rule"/> as configured (<c>[rule:NAME] severity</c>), critical by default.</summary>
    private Severity SeverityOf(string rule) => _rules.Find(rule)?.Severity ?? Severity.Critical;

    private AlertTransition Firing(AlertKey key, string message, string value, string threshold, DateTimeOffset at) =>
        AlertTransition.ExternalFiring(key, SeverityOf(key.Rule), message, value, threshold, at);

    private AlertTransition Resolved(AlertKey key, string message, string value, string threshold, DateTimeOffset since, DateTimeOffset at) =>
        AlertTransition.ExternalResolved(key, SeverityOf(key.Rule), message, value, threshold, since, at);

    private void Raise(List<AlertTransition> raised, DateTimeOffset at)
    {
        // A rule switched off in the file ([rule:remediation_max_reboots] enabled = no): the guard still holds, nobody is told.
        raised.RemoveAll(t => _rules.Find(t.Key.Rule) is { Active: false });
        if (raised.Count == 0)
        {
            return;
        }

        try
        {
            AlertsRaised?.Invoke(raised, at);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not recorded: undo the in-memory change so that the next check raises it again.
            lock (_lock)
            {
                foreach (var t in raised)
                {
                    RemediationLog.RaiseFailed(_logger, ex, $"{t.Kind} {t.Key}", ex.Message);
                    var before = t.Kind == TransitionKinds.Firing ? null : Restored(t);
                    if (t.Key.Rule == FleetGuardRule)
                    {
                        _fleetGuard = before;
                    }
                    else if (_miners.TryGetValue(t.Key.Host, out var miner))
                    {
                        miner.PersonNeeded = before;
                    }
                }
            }
        }
    }

    /// <summary>The firing alert a <c>resolved</c> transition ended.</summary>
    private static ActiveAlert Restored(AlertTransition resolved) => new()
    {
        Key = resolved.Key,
        Severity = resolved.Severity,
        State = AlertState.Firing,
        PendingSince = resolved.FiringSince ?? resolved.At,
        FiringSince = resolved.FiringSince ?? resolved.At,
        Value = resolved.Value,
        Threshold = resolved.Threshold,
        Summary = resolved.Message,
        Matches = 1,
        LastMatch = resolved.At,
    };

    /// <summary>One line per match: <c>cointerra_asic_status 0: Sick != Alive</c> (rule, instance, value, threshold).</summary>
    internal static string Describe(RuleMatch match) =>
        $"{match.Rule}{(match.Instance.Length == 0 ? "" : " " + match.Instance)}: {match.Value ?? "(none)"} {match.Threshold}".TrimEnd();

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>One miner's live state (under the watch's lock, except <see cref="HeldUntilMs"/>).</summary>
    private sealed class MinerState(MinerOptions options)
    {
        /// <summary>Unix ms before which the miner's alerts are held; long.MaxValue while a run is going; read without the lock.</summary>
        public long HeldUntilMs = long.MinValue;

        public MinerOptions Options { get; } = options;

        public int ErrorCount { get; set; }

        public List<ErrorPoll> ErrorPolls { get; } = [];

        public PollKind? LastKind { get; set; }

        public DateTimeOffset? LastPollAt { get; set; }

        public bool ApiAnswered { get; set; } = true;

        public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

        public DateTimeOffset? CooldownUntil { get; set; }

        public long? RunningRunId { get; set; }

        public RemediationAction? LastAction { get; set; }

        public DateTimeOffset? LastActionAt { get; set; }

        public bool LastActionHealed { get; set; }

        public List<DateTimeOffset> Reboots { get; } = [];

        /// <summary>The <c>remediation_max_reboots</c> alert while it fires.</summary>
        public ActiveAlert? PersonNeeded { get; set; }

        public JsonElement? LastGood { get; set; }

        public DateTimeOffset? LastGoodAt { get; set; }

        public bool Busy(DateTimeOffset now) => RunningRunId is not null || CooldownUntil > now;

        public bool IsFailing(DateTimeOffset now)
        {
            if (Busy(now) || LastPollAt is not { } last)
            {
                return false;
            }

            return now - last > PollInterval * SilentIntervals || (LastKind == PollKind.Error && ErrorCount >= 1) || !ApiAnswered;
        }

        public int RebootsInWindow(DateTimeOffset now)
        {
            Reboots.RemoveAll(t => t <= now - RebootWindow);
            return Reboots.Count;
        }

        public void UpdateHeld() => Volatile.Write(ref HeldUntilMs,
            RunningRunId is not null ? long.MaxValue : CooldownUntil is { } until ? StateDatabase.ToUnixMs(until) : long.MinValue);

        public MinerRow ToRow() => new()
        {
            Miner = Options.Name,
            ErrorCount = ErrorCount,
            CooldownUntil = CooldownUntil,
            LastAction = LastAction,
            LastActionAt = LastActionAt,
            LastActionHealed = LastActionHealed,
            LastGoodFrame = LastGood?.GetRawText(),
            LastGoodAt = LastGoodAt,
        };
    }
}
