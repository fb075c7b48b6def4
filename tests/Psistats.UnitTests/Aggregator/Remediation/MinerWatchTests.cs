using Psistats.Aggregator.Remediation;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;

namespace Psistats.UnitTests.Aggregator.Remediation;

public sealed class MinerWatchTests
{
    private const string Miner = "terra01";

    [Fact]
    public void Error_polls_count_consecutively_a_clean_poll_resets_and_a_warning_only_poll_does_neither()
    {
        using var bed = new RemediationBed();

        bed.Polls(Miner, PollKind.Error, 2);
        Assert.Equal(2, bed.Status(Miner).ErrorCount);
        bed.Poll(Miner, PollKind.WarningOnly);
        Assert.Equal(2, bed.Status(Miner).ErrorCount);
        bed.Poll(Miner, PollKind.Clean);
        Assert.Equal(0, bed.Status(Miner).ErrorCount);
        bed.Polls(Miner, PollKind.Error, 2);
        bed.Poll(Miner, PollKind.WarningOnly);

        Assert.Equal(2, bed.Status(Miner).ErrorCount);
        Assert.Empty(bed.TakePlans());
    }

    [Fact]
    public void Reaching_max_errors_starts_one_remediation_and_the_polls_during_it_are_not_counted()
    {
        using var bed = new RemediationBed();

        bed.Polls(Miner, PollKind.Error, 3);
        bed.Polls(Miner, PollKind.Error, 5);

        var plan = Assert.Single(bed.TakePlans());
        Assert.Equal((RemediationAction.Reboot, RemediationTriggers.Auto, 3), (plan.Action, plan.Trigger, plan.ErrorPolls.Count));
        Assert.Contains("no restart_command", plan.Reason, StringComparison.Ordinal);
        Assert.Equal(("running", 3), (bed.Status(Miner).State, bed.Status(Miner).ErrorCount));
        Assert.True(bed.Watch.IsHeld(Miner, bed.Now));
        var run = Assert.Single(bed.Store.Runs(Miner));
        Assert.Equal((plan.RunId, RemediationStore.Running, "reboot"), (run.Id, run.State, RemediationStore.ActionName(run.Action)));
        Assert.Single(bed.Events(), e => e.Instance == "start" && e.Message.Contains("reboot", StringComparison.Ordinal));
    }

    [Fact]
    public void Warning_only_polls_never_start_a_remediation()
    {
        using var bed = new RemediationBed();

        bed.Polls(Miner, PollKind.WarningOnly, 20);

        Assert.Empty(bed.TakePlans());
        Assert.Equal("ok", bed.Status(Miner).State);
    }

    [Fact]
    public void During_the_cooldown_errors_are_not_counted_and_alerts_are_held_then_the_count_starts_from_zero()
    {
        using var bed = new RemediationBed();
        bed.Polls(Miner, PollKind.Error, 3);
        var plan = Assert.Single(bed.TakePlans());

        var until = bed.Complete(plan);

        Assert.Equal(bed.Now + TimeSpan.FromSeconds(120), until);
        Assert.True(bed.Watch.IsHeld(Miner, bed.Now));
        Assert.False(bed.Watch.IsHeld("someone-else", bed.Now));
        bed.Polls(Miner, PollKind.Error, 3);
        Assert.Equal(("cooldown", 0), (bed.Status(Miner).State, bed.Status(Miner).ErrorCount));
        Assert.Empty(bed.TakePlans());

        bed.Clock.Advance(TimeSpan.FromSeconds(40));
        Assert.False(bed.Watch.IsHeld(Miner, bed.Now));
        bed.Polls(Miner, PollKind.Error, 2);
        Assert.Equal(2, bed.Status(Miner).ErrorCount);
        Assert.Empty(bed.TakePlans());
        bed.Poll(Miner, PollKind.Error);
        Assert.Single(bed.TakePlans());
    }

    [Fact]
    public void The_tick_ends_a_cooldown_without_a_poll()
    {
        using var bed = new RemediationBed();
        bed.Polls(Miner, PollKind.Error, 3);
        bed.Complete(Assert.Single(bed.TakePlans()));

        bed.Clock.Advance(TimeSpan.FromSeconds(121));
        bed.Watch.Tick(bed.Now);

        Assert.Null(bed.Status(Miner).CooldownUntil);
        Assert.Contains(bed.Logs.Lines, l => l.Contains("terra01: cooldown over", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restart_comes_first_and_a_restart_that_did_not_heal_is_followed_by_a_reboot()
    {
        using var bed = new RemediationBed(RemediationBed.Miner(Miner, restart: "/etc/init.d/S99cgminer restart"));
        bed.Polls(Miner, PollKind.Error, 3);
        var first = Assert.Single(bed.TakePlans());
        Assert.Equal(RemediationAction.Restart, first.Action);
        bed.Complete(first);

        bed.Clock.Advance(TimeSpan.FromSeconds(120));
        bed.Polls(Miner, PollKind.Error, 3);

        var second = Assert.Single(bed.TakePlans());
        Assert.Equal(RemediationAction.Reboot, second.Action);
        Assert.Contains("did not heal", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restart_that_healed_is_tried_again_next_time()
    {
        using var bed = new RemediationBed(RemediationBed.Miner(Miner, restart: "/etc/init.d/S99cgminer restart"));
        bed.Polls(Miner, PollKind.Error, 3);
        bed.Complete(Assert.Single(bed.TakePlans()));
        bed.Clock.Advance(TimeSpan.FromSeconds(120));

        bed.Poll(Miner, PollKind.Clean);
        Assert.True(bed.Status(Miner).LastActionHealed);
        bed.Polls(Miner, PollKind.Error, 3);

        Assert.Equal(RemediationAction.Restart, Assert.Single(bed.TakePlans()).Action);
        Assert.Single(bed.Events(), e => e.Instance == "healed");
    }

    [Fact]
    public void After_max_reboots_in_24_h_no_more_reboot_and_one_critical_alert_until_the_miner_is_clean()
    {
        using var bed = new RemediationBed(RemediationBed.Miner(Miner, maxReboots: 2));
        for (var i = 0; i < 2; i++)
        {
            bed.Polls(Miner, PollKind.Error, 3);
            bed.Complete(Assert.Single(bed.TakePlans()));
            bed.Clock.Advance(TimeSpan.FromSeconds(120));
        }

        bed.Polls(Miner, PollKind.Error, 10);

        Assert.Empty(bed.TakePlans());
        var alert = Assert.Single(bed.Raised);
        Assert.Equal((MinerWatch.MaxRebootsRule, Miner, "", Severity.Critical, TransitionKinds.Firing),
            (alert.Key.Rule, alert.Key.Host, alert.Key.Instance, alert.Severity, alert.Kind));
        Assert.Contains("a person is needed", alert.Message, StringComparison.Ordinal);
        Assert.Equal(2, bed.Status(Miner).Reboots24h);
        Assert.Single(bed.Alerts.LoadAlerts(), a => a.Key.Rule == MinerWatch.MaxRebootsRule);

        bed.Poll(Miner, PollKind.Clean);

        Assert.Equal([TransitionKinds.Firing, TransitionKinds.Resolved], bed.Raised.Select(t => t.Kind));
        Assert.Empty(bed.Alerts.LoadAlerts());
    }

    [Fact]
    public void The_max_reboots_alert_resolves_when_the_24_h_window_has_room_again_and_then_a_reboot_may_run()
    {
        using var bed = new RemediationBed(RemediationBed.Miner(Miner, maxReboots: 1));
        bed.Polls(Miner, PollKind.Error, 3);
        bed.Complete(Assert.Single(bed.TakePlans()));
        bed.Clock.Advance(TimeSpan.FromSeconds(120));
        bed.Polls(Miner, PollKind.Error, 3);
        Assert.Single(bed.Raised);

        bed.Clock.Advance(TimeSpan.FromHours(24));
        bed.Watch.Tick(bed.Now);
        Assert.Equal(TransitionKinds.Resolved, bed.Raised[^1].Kind);
        bed.Poll(Miner, PollKind.Error);

        Assert.Equal(RemediationAction.Reboot, Assert.Single(bed.TakePlans()).Action);
    }

    [Fact]
    public void The_critical_alerts_take_their_rules_severity_and_are_not_raised_when_their_rule_is_switched_off()
    {
        var settings = new Dictionary<string, string?>
        {
            ["rule:remediation_max_reboots:enabled"] = "no",
            ["rule:remediation_fleet_guard:severity"] = "error",
        };
        using var bed = new RemediationBed(50, settings, RemediationBed.Miner("m1", maxReboots: 0), RemediationBed.Miner("m2"));

        bed.Polls("m1", PollKind.Error, 5);
        Assert.Empty(bed.TakePlans());
        Assert.Empty(bed.Raised);
        Assert.NotNull(bed.Status("m1").PersonNeededSince);
        bed.Watch.Observe(RemediationBed.Frame("m2", apiOk: false), PollKind.Error, [], bed.Now);
        bed.Poll("m1", PollKind.Error);

        var fleet = Assert.Single(bed.Raised);
        Assert.Equal((MinerWatch.FleetGuardRule, Severity.Error, Severity.Error), (fleet.Key.Rule, fleet.Severity, fleet.Alert!.Severity));
    }

    [Fact]
    public void Max_reboots_zero_never_reboots_automatically()
    {
        using var bed = new RemediationBed(RemediationBed.Miner(Miner, maxReboots: 0));

        bed.Polls(Miner, PollKind.Error, 3);

        Assert.Empty(bed.TakePlans());
        Assert.Equal(MinerWatch.MaxRebootsRule, Assert.Single(bed.Raised).Key.Rule);
    }

    [Fact]
    public void When_half_the_miners_fail_at_once_the_fleet_guard_holds_with_one_critical_alert_and_releases_when_they_recover()
    {
        using var bed = new RemediationBed(RemediationBed.Miner("m1"), RemediationBed.Miner("m2"), RemediationBed.Miner("m3"), RemediationBed.Miner("m4"));
        foreach (var healthy in new[] { "m3", "m4" })
        {
            bed.Watch.Observe(RemediationBed.Frame(healthy), PollKind.Clean, [], bed.Now);
        }

        for (var i = 0; i < 6; i++)
        {
            bed.Watch.Observe(RemediationBed.Frame("m1", apiOk: false), PollKind.Error, ["cointerra_api: false == false"], bed.Now);
            bed.Watch.Observe(RemediationBed.Frame("m2", apiOk: false), PollKind.Error, ["cointerra_api: false == false"], bed.Now);
            bed.Watch.Observe(RemediationBed.Frame("m3"), PollKind.Clean, [], bed.Now);
            bed.Watch.Observe(RemediationBed.Frame("m4"), PollKind.Clean, [], bed.Now);
            bed.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Empty(bed.TakePlans());
        var alert = Assert.Single(bed.Raised);
        Assert.Equal((MinerWatch.FleetGuardRule, MinerWatch.FleetHost, Severity.Critical, TransitionKinds.Firing),
            (alert.Key.Rule, alert.Key.Host, alert.Severity, alert.Kind));
        Assert.Contains("2 of 4 miners failing at once (m1, m2)", alert.Message, StringComparison.Ordinal);

        bed.Watch.Observe(RemediationBed.Frame("m2"), PollKind.Clean, [], bed.Now);

        Assert.Equal(TransitionKinds.Resolved, bed.Raised[^1].Kind);
        bed.Watch.Observe(RemediationBed.Frame("m1", apiOk: false), PollKind.Error, ["cointerra_api: false == false"], bed.Now);
        Assert.Equal("m1", Assert.Single(bed.TakePlans()).Miner.Name);
    }

    [Fact]
    public void After_a_restart_the_fleet_guard_waits_for_the_miners_to_report_before_it_releases()
    {
        using var bed = new RemediationBed(RemediationBed.Miner("m1"), RemediationBed.Miner("m2"), RemediationBed.Miner("m3"));
        for (var i = 0; i < 3; i++)
        {
            bed.Watch.Observe(RemediationBed.Frame("m1", apiOk: false), PollKind.Error, [], bed.Now);
            bed.Watch.Observe(RemediationBed.Frame("m2", apiOk: false), PollKind.Error, [], bed.Now);
            bed.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        bed.Restart();
        bed.Clock.Advance(TimeSpan.FromSeconds(5));
        bed.Watch.Tick(bed.Now);

        Assert.Equal([TransitionKinds.Firing], bed.Raised.Select(t => t.Kind));
        Assert.Equal(MinerWatch.FleetGuardRule, Assert.Single(bed.Alerts.LoadAlerts()).Key.Rule);
        foreach (var miner in new[] { "m1", "m2", "m3" })
        {
            bed.Watch.Observe(RemediationBed.Frame(miner), PollKind.Clean, [], bed.Now);
        }

        Assert.Equal([TransitionKinds.Firing, TransitionKinds.Resolved], bed.Raised.Select(t => t.Kind));
        Assert.Empty(bed.Alerts.LoadAlerts());
    }

    [Fact]
    public void A_max_reboots_alert_of_a_miner_no_longer_configured_is_resolved_at_the_first_check()
    {
        using var bed = new RemediationBed(RemediationBed.Miner("gone", maxReboots: 0), RemediationBed.Miner("kept"));
        bed.Polls("gone", PollKind.Error, 3);
        Assert.Equal(MinerWatch.MaxRebootsRule, Assert.Single(bed.Alerts.LoadAlerts()).Key.Rule);

        bed.Restart(RemediationBed.Miner("kept"));
        Assert.Single(bed.Raised);
        bed.Watch.Tick(bed.Now);

        Assert.Equal(TransitionKinds.Resolved, bed.Raised[^1].Kind);
        Assert.Contains("gone is no longer a configured miner", bed.Raised[^1].Message, StringComparison.Ordinal);
        Assert.Empty(bed.Alerts.LoadAlerts());
    }

    [Fact]
    public void One_failing_miner_of_four_is_remediated_and_a_single_miner_is_never_held_by_the_fleet_guard()
    {
        using var fleet = new RemediationBed(RemediationBed.Miner("m1"), RemediationBed.Miner("m2"), RemediationBed.Miner("m3"), RemediationBed.Miner("m4"));
        fleet.Polls("m1", PollKind.Error, 3);
        Assert.Single(fleet.TakePlans());

        using var alone = new RemediationBed(RemediationBed.Miner("solo"));
        alone.Polls("solo", PollKind.Error, 3);
        Assert.Single(alone.TakePlans());
        Assert.Empty(alone.Raised);
    }

    [Fact]
    public void Miners_whose_frames_stopped_count_as_failing_and_miners_never_seen_do_not()
    {
        using var bed = new RemediationBed(RemediationBed.Miner("m1"), RemediationBed.Miner("m2"), RemediationBed.Miner("m3"));
        bed.Watch.Observe(RemediationBed.Frame("m2"), PollKind.Clean, [], bed.Now);
        bed.Clock.Advance(TimeSpan.FromSeconds(91));

        bed.Polls("m1", PollKind.Error, 3);

        Assert.Empty(bed.TakePlans());
        Assert.Contains("(m1, m2)", Assert.Single(bed.Raised).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aggregator_killed_while_a_reboot_was_being_sent_resumes_with_the_run_interrupted_and_the_miner_in_cooldown()
    {
        using var bed = new RemediationBed();
        bed.Polls(Miner, PollKind.Error, 3);
        var plan = Assert.Single(bed.TakePlans());
        bed.Watch.ActionSending(plan, bed.Now);

        bed.Restart();

        Assert.Empty(bed.TakePlans());
        var run = Assert.Single(bed.Store.Runs(Miner));
        Assert.Equal(RemediationStore.Interrupted, run.State);
        Assert.NotNull(run.ActionSentAt);
        Assert.Equal(("cooldown", 1, RemediationAction.Reboot), (bed.Status(Miner).State, bed.Status(Miner).Reboots24h, bed.Status(Miner).LastAction));
        Assert.True(bed.Watch.IsHeld(Miner, bed.Now));
        Assert.Single(bed.Events(), e => e.Instance == "interrupted" && e.Message.Contains("reboot was sent", StringComparison.Ordinal));

        bed.Polls(Miner, PollKind.Error, 4);
        Assert.Empty(bed.TakePlans());
        bed.Clock.Advance(TimeSpan.FromSeconds(120));
        bed.Polls(Miner, PollKind.Error, 2);
        Assert.Empty(bed.TakePlans());
    }

    [Fact]
    public void An_aggregator_killed_during_a_cooldown_keeps_the_cooldown_and_does_not_reboot_again()
    {
        using var bed = new RemediationBed();
        bed.Polls(Miner, PollKind.Error, 3);
        var until = bed.Complete(Assert.Single(bed.TakePlans()));
        bed.Clock.Advance(TimeSpan.FromSeconds(30));

        bed.Restart();
        bed.Polls(Miner, PollKind.Error, 2);

        Assert.Empty(bed.TakePlans());
        Assert.Equal(until, bed.Status(Miner).CooldownUntil);
        Assert.True(bed.Watch.IsHeld(Miner, bed.Now));
        Assert.Equal(RemediationStore.Done, Assert.Single(bed.Store.Runs(Miner)).State);
    }

    [Fact]
    public void The_error_count_and_the_last_good_frame_survive_a_restart()
    {
        using var bed = new RemediationBed();
        bed.Poll(Miner, PollKind.Clean);
        bed.Polls(Miner, PollKind.Error, 2);

        bed.Restart();
        bed.Poll(Miner, PollKind.Error);

        var plan = Assert.Single(bed.TakePlans());
        Assert.NotNull(plan.LastGoodFrame);
        Assert.Equal(RemediationBed.T0, plan.LastGoodAt);
    }

    [Fact]
    public void The_max_reboots_alert_survives_a_restart_and_is_not_raised_twice()
    {
        using var bed = new RemediationBed(RemediationBed.Miner(Miner, maxReboots: 0));
        bed.Polls(Miner, PollKind.Error, 3);

        bed.Restart();
        bed.Polls(Miner, PollKind.Error, 3);

        Assert.Single(bed.Raised);
        Assert.NotNull(bed.Status(Miner).PersonNeededSince);
    }

    [Fact]
    public void A_manual_request_runs_the_same_sequence_with_who_asked()
    {
        using var bed = new RemediationBed(RemediationBed.Miner(Miner, restart: "/etc/init.d/S99cgminer restart"));

        var result = bed.Watch.RequestManual("TERRA01", RemediationAction.Reboot, "alice (127.0.0.1)", bed.Now);

        Assert.Equal(ManualRequestStatus.Accepted, result.Status);
        var plan = Assert.Single(bed.TakePlans());
        Assert.Equal((result.RunId, RemediationAction.Reboot, RemediationTriggers.Manual, "alice (127.0.0.1)"),
            ((long?)plan.RunId, plan.Action, plan.Trigger, plan.RequestedBy));
        Assert.Equal("alice (127.0.0.1)", Assert.Single(bed.Store.Runs(Miner)).RequestedBy);
        var refused = bed.Watch.RequestManual(Miner, RemediationAction.Restart, "bob", bed.Now);
        Assert.Equal(ManualRequestStatus.Refused, refused.Status);
        Assert.Contains("is running", refused.Reason, StringComparison.Ordinal);
        bed.Complete(plan);
        Assert.Contains("cooldown", bed.Watch.RequestManual(Miner, RemediationAction.Restart, "bob", bed.Now).Reason, StringComparison.Ordinal);
        Assert.Equal(2, bed.Events().Count(e => e.Instance == "refused"));
    }

    [Fact]
    public void Manual_requests_go_through_the_guards()
    {
        using var bed = new RemediationBed(RemediationBed.Miner("m1", maxReboots: 0), RemediationBed.Miner("m2"), RemediationBed.Miner("m3"));

        Assert.Equal(ManualRequestStatus.UnknownMiner, bed.Watch.RequestManual("nope", RemediationAction.Reboot, "alice", bed.Now).Status);
        Assert.Contains("no restart_command", bed.Watch.RequestManual("m2", RemediationAction.Restart, "alice", bed.Now).Reason, StringComparison.Ordinal);
        Assert.Contains("max_reboots 0", bed.Watch.RequestManual("m1", RemediationAction.Reboot, "alice", bed.Now).Reason, StringComparison.Ordinal);
        bed.Watch.Observe(RemediationBed.Frame("m1", apiOk: false), PollKind.Error, [], bed.Now);
        bed.Watch.Observe(RemediationBed.Frame("m2", apiOk: false), PollKind.Error, [], bed.Now);
        Assert.Contains("fleet guard", bed.Watch.RequestManual("m3", RemediationAction.Reboot, "alice", bed.Now).Reason, StringComparison.Ordinal);
        Assert.Empty(bed.TakePlans());
    }

    [Fact]
    public void OnPoll_classifies_by_the_worst_matched_severity_and_ignores_other_hosts_and_reporters()
    {
        using var bed = new RemediationBed();
        var error = new FrameVerdict([], [
            new RuleMatch("cointerra_core_temp", "CTA0", "86", ">= 85", Severity.Warning),
            new RuleMatch("cointerra_dies_lost", "CTA1", "7", "< 8", Severity.Error),
        ]);
        var warning = new FrameVerdict([], [new RuleMatch("cointerra_core_temp", "CTA0", "86", ">= 85", Severity.Warning)]);

        bed.Watch.OnPoll(RemediationBed.Frame(Miner), error, bed.Now);
        bed.Watch.OnPoll(RemediationBed.Frame("other"), error, bed.Now);
        bed.Watch.OnPoll(RemediationBed.Frame(Miner) with { Reporter = "cpu" }, error, bed.Now);
        Assert.Equal(1, bed.Status(Miner).ErrorCount);
        bed.Watch.OnPoll(RemediationBed.Frame(Miner), warning, bed.Now);
        Assert.Equal(1, bed.Status(Miner).ErrorCount);
        bed.Watch.OnPoll(RemediationBed.Frame(Miner), error, bed.Now);
        bed.Watch.OnPoll(RemediationBed.Frame(Miner), error, bed.Now);

        var plan = Assert.Single(bed.TakePlans());
        Assert.Equal(["cointerra_dies_lost CTA1: 7 < 8"], plan.ErrorPolls[0].Errors);
        bed.Watch.Finish(plan, bed.Now, interrupted: false);
        bed.Clock.Advance(TimeSpan.FromSeconds(120));
        bed.Watch.OnPoll(RemediationBed.Frame(Miner), error, bed.Now);
        bed.Watch.OnPoll(RemediationBed.Frame(Miner), FrameVerdict.Clean, bed.Now);
        Assert.Equal(0, bed.Status(Miner).ErrorCount);
    }

    [Fact]
    public void Disabled_miners_are_not_watched()
    {
        using var bed = new RemediationBed(RemediationBed.Miner("on"), RemediationBed.Miner("off") with { Enabled = false });

        Assert.Equal(["on"], bed.Watch.Miners);
        Assert.Equal(ManualRequestStatus.UnknownMiner, bed.Watch.RequestManual("off", RemediationAction.Reboot, "alice", bed.Now).Status);
    }
}
