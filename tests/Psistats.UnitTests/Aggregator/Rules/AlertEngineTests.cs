using System.Text.Json.Nodes;
using Psistats.Aggregator.Rules;
using Psistats.TestSupport;
using static Psistats.UnitTests.Aggregator.Rules.RuleFrames;

namespace Psistats.UnitTests.Aggregator.Rules;

public sealed class AlertEngineTests
{
    private static AlertEngine Engine(string ini = "", double staleFactor = 3) => new(Valid(ini), staleFactor);

    private static AlertTransition Single(FrameVerdict verdict) => Assert.Single(verdict.Transitions);

    [Fact]
    public void A_rule_without_for_fires_on_the_first_matching_frame_and_resolves_when_it_stops()
    {
        var engine = Engine();

        var fired = Single(engine.OnFrame(HddSpace("server1", ("/", 40), ("/var", 93)), T0));
        var still = engine.OnFrame(HddSpace("server1", ("/", 40), ("/var", 94)), T0.AddMinutes(1));
        var resolved = Single(engine.OnFrame(HddSpace("server1", ("/", 40), ("/var", 80)), T0.AddMinutes(10)));

        Assert.Equal((new AlertKey("disk_space", "server1", "/var"), TransitionKinds.Firing, Severity.Warning), (fired.Key, fired.Kind, fired.Severity));
        Assert.Equal(("93", "> 90", T0, T0), (fired.Value, fired.Threshold, fired.At, fired.FiringSince));
        Assert.Equal("server1 disk_space /var: pcent 93 > 90", fired.Message);
        Assert.Equal((AlertState.Firing, T0, "server1 disk_space /var: pcent 93 > 90"), (fired.Alert!.State, fired.Alert.PendingSince, fired.Alert.Summary));
        Assert.Empty(still.Transitions);
        Assert.Equal(new RuleMatch("disk_space", "/var", "94", "> 90", Severity.Warning), Assert.Single(still.Matches));
        Assert.Equal((TransitionKinds.Resolved, "80", TimeSpan.FromMinutes(10), T0), (resolved.Kind, resolved.Value, resolved.Duration, resolved.FiringSince));
        Assert.Equal("server1 disk_space /var: resolved after 10m 0s (pcent 80; threshold > 90, hysteresis 2)", resolved.Message);
        Assert.Null(resolved.Alert);
        Assert.Empty(engine.Active());
    }

    [Fact]
    public void For_N_frames_goes_pending_then_fires_on_the_Nth_consecutive_match()
    {
        var engine = Engine("[rule:cpu_high]\nreporter = cpu\ncondition = cpu > 90\nfor = 3\nseverity = error\n");

        var first = engine.OnFrame(Cpu("web01", 95), T0);
        var second = engine.OnFrame(Cpu("web01", 96), T0.AddSeconds(2));
        var third = engine.OnFrame(Cpu("web01", 97), T0.AddSeconds(4));

        var pending = Single(first);
        Assert.Equal((TransitionKinds.Pending, AlertState.Pending), (pending.Kind, pending.Alert!.State));
        Assert.Equal("web01 cpu_high: cpu 95 > 90 (pending: fires after 3 consecutive frames)", pending.Message);
        Assert.Empty(second.Transitions);
        Assert.Equal(Severity.Error, second.Worst);
        var firing = Single(third);
        Assert.Equal((TransitionKinds.Firing, T0.AddSeconds(4), T0, 3), (firing.Kind, firing.FiringSince, firing.Alert!.PendingSince, firing.Alert.Matches));
        Assert.Equal("web01 cpu_high: cpu 97 > 90", firing.Message);
    }

    [Fact]
    public void A_pending_alert_goes_back_to_ok_on_the_first_frame_that_does_not_match()
    {
        var engine = Engine("[rule:cpu_high]\nreporter = cpu\ncondition = cpu > 90\nfor = 3\n");

        engine.OnFrame(Cpu("web01", 95), T0);
        engine.OnFrame(Cpu("web01", 95), T0.AddSeconds(2));
        var ok = Single(engine.OnFrame(Cpu("web01", 50), T0.AddSeconds(4)));
        var again = Single(engine.OnFrame(Cpu("web01", 95), T0.AddSeconds(6)));

        Assert.Equal((TransitionKinds.Ok, "50", (TimeSpan?)null), (ok.Kind, ok.Value, ok.Duration));
        Assert.Equal("web01 cpu_high: back to normal before firing (cpu 50; threshold > 90)", ok.Message);
        Assert.Equal((TransitionKinds.Pending, 1), (again.Kind, again.Alert!.Matches));
    }

    [Fact]
    public void For_a_duration_fires_once_the_condition_has_held_that_long_by_receive_times()
    {
        var clock = new FakeTimeProvider(T0);
        var engine = Engine("[rule:load_high]\nreporter = load\ncondition = load5 > 4\nfor = 30s\n");
        var frame = Frame("web01", "load", "\"load1\":9,\"load5\":5,\"load15\":3");
        var transitions = new List<AlertTransition>();

        for (var i = 0; i < 7; i++)
        {
            transitions.AddRange(engine.OnFrame(frame, clock.GetUtcNow()).Transitions);
            clock.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal([TransitionKinds.Pending, TransitionKinds.Firing], transitions.Select(t => t.Kind));
        Assert.Equal(T0.AddSeconds(30), transitions[1].At);
        Assert.Equal("web01 load_high: load5 5 > 4 (pending: fires after 30s)", transitions[0].Message);
    }

    [Fact]
    public void Hysteresis_keeps_an_alert_firing_until_the_value_is_that_far_back()
    {
        var engine = Engine();
        engine.OnFrame(HddSpace("server1", ("/var", 93)), T0);

        var at89 = engine.OnFrame(HddSpace("server1", ("/var", 89)), T0.AddMinutes(1));
        var at88 = engine.OnFrame(HddSpace("server1", ("/var", 88)), T0.AddMinutes(2));

        Assert.Empty(at89.Transitions);
        Assert.Empty(at89.Matches);
        Assert.Null(at89.Worst);
        Assert.Equal((TransitionKinds.Resolved, "88"), (Single(at88).Kind, Single(at88).Value));
    }

    [Fact]
    public void Hysteresis_mirrors_for_a_less_than_condition()
    {
        var engine = Engine("[rule:free_low]\nreporter = mem\ncondition = mem_available < 1Gi\nhysteresis = 512Mi\n");

        Assert.Equal(TransitionKinds.Firing, Single(engine.OnFrame(Frame("h", "mem", "\"mem_available\":1000000000"), T0)).Kind);
        Assert.Empty(engine.OnFrame(Frame("h", "mem", "\"mem_available\":1500000000"), T0.AddSeconds(5)).Transitions);
        Assert.Equal(TransitionKinds.Resolved, Single(engine.OnFrame(Frame("h", "mem", "\"mem_available\":1700000000"), T0.AddSeconds(10))).Kind);
    }

    [Fact]
    public void A_clear_condition_must_hold_to_resolve()
    {
        var engine = Engine("[rule:disk_space]\nclear = filesystems.*.pcent < 80\n");
        engine.OnFrame(HddSpace("server1", ("/var", 93)), T0);

        Assert.Empty(engine.OnFrame(HddSpace("server1", ("/var", 85)), T0.AddMinutes(1)).Transitions);
        var resolved = Single(engine.OnFrame(HddSpace("server1", ("/var", 79)), T0.AddMinutes(2)));
        Assert.Equal("server1 disk_space /var: resolved after 2m 0s (pcent 79; threshold > 90, clear < 80)", resolved.Message);
    }

    [Fact]
    public void A_null_value_does_not_match_and_resolves_a_firing_alert()
    {
        var engine = Engine();
        engine.OnFrame(HddSpace("server1", ("/var", 93)), T0);

        var resolved = Single(engine.OnFrame(HddSpace("server1", ("/var", null)), T0.AddMinutes(1)));

        Assert.Equal((TransitionKinds.Resolved, "null"), (resolved.Kind, resolved.Value));
    }

    [Fact]
    public void An_instance_gone_from_a_frame_that_carries_the_field_resolves_with_no_value()
    {
        var engine = Engine();
        engine.OnFrame(HddSpace("server1", ("/", 10), ("/mnt/usb", 99)), T0);

        var resolved = Single(engine.OnFrame(HddSpace("server1", ("/", 10)), T0.AddMinutes(1)));

        Assert.Equal((new AlertKey("disk_space", "server1", "/mnt/usb"), TransitionKinds.Resolved, null), (resolved.Key, resolved.Kind, resolved.Value));
        Assert.Equal("server1 disk_space /mnt/usb: resolved after 1m 0s (no longer reported)", resolved.Message);
    }

    [Fact]
    public void A_frame_that_does_not_carry_the_field_leaves_the_alerts_as_they_are()
    {
        var engine = Engine();
        var sick = Cointerra();
        sick["asc"]![1]!["Status"] = "Sick";
        engine.OnFrame(Envelope(sick), T0);

        var silent = Cointerra();
        silent["api_ok"] = false;
        silent["error"] = new JsonObject { ["command"] = "asccount", ["kind"] = "timeout", ["message"] = "no reply" };
        foreach (var section in new[] { "asc_count", "asc", "coin", "pools", "summary", "boards", "stats", "devs" })
        {
            silent[section] = null;
        }

        var verdict = engine.OnFrame(Envelope(silent), T0.AddSeconds(30));

        var api = Single(verdict);
        Assert.Equal((new AlertKey("cointerra_api", "terra01", ""), TransitionKinds.Firing), (api.Key, api.Kind));
        Assert.Equal("terra01 cointerra_api: api_ok false == false", api.Message);
        Assert.Contains(engine.Active(), a => a.Key == new AlertKey("cointerra_asic_status", "terra01", "CTA1") && a.State == AlertState.Firing);
    }

    [Fact]
    public void Matches_list_every_raw_match_and_Worst_is_the_highest_severity()
    {
        var engine = Engine("[rule:core_hot]\nreporter = cgminer\ncondition = boards[*].core_temps[*] >= 90\nfor = 5\nseverity = critical\nhosts = none-such\n");
        var frame = Cointerra();
        frame["asc"]![0]!["Status"] = "Dead";
        frame["boards"]![1]!["core_temps"]![2] = 101.5;

        var verdict = engine.OnFrame(Envelope(frame), T0);

        Assert.Equal(
            [
                new RuleMatch("cointerra_asic_status", "CTA0", "Dead", "!= Alive", Severity.Error),
                new RuleMatch("cointerra_core_hot", "CTA1/2", "101.5", ">= 100", Severity.Warning),
            ],
            verdict.Matches);
        Assert.Equal(Severity.Error, verdict.Worst);
        Assert.Equal(
            ["terra01 cointerra_asic_status CTA0: Status Dead != Alive", "terra01 cointerra_core_hot CTA1/2: core_temps 101.5 >= 100"],
            verdict.Transitions.Select(t => t.Message));
    }

    [Fact]
    public void A_clean_frame_gives_the_shared_clean_verdict()
    {
        var engine = Engine();

        var verdict = engine.OnFrame(Envelope(Cointerra()), T0);

        Assert.Same(FrameVerdict.Clean, verdict);
        Assert.Null(verdict.Worst);
    }

    [Fact]
    public void Hosts_globs_choose_the_hosts_a_rule_watches()
    {
        var engine = Engine("[rule:cpu_high]\nreporter = cpu\ncondition = cpu > 90\nhosts = web*, db0?\n");

        Assert.Single(engine.OnFrame(Cpu("WEB01", 95), T0).Transitions);
        Assert.Single(engine.OnFrame(Cpu("db02", 95), T0).Transitions);
        Assert.Empty(engine.OnFrame(Cpu("db020", 95), T0).Transitions);
        Assert.Empty(engine.OnFrame(Cpu("mail", 95), T0).Transitions);
    }

    [Fact]
    public void A_rule_without_a_reporter_reads_any_frame_that_carries_its_field()
    {
        var engine = Engine("[rule:cpu_high]\ncondition = cpu > 90\n");

        Assert.Single(engine.OnFrame(Cpu("web01", 95), T0).Transitions);
        Assert.Same(FrameVerdict.Clean, engine.OnFrame(Frame("web01", "mem", "\"mem\":10"), T0.AddSeconds(1)));
        Assert.Single(engine.Active());
        Assert.Equal(TransitionKinds.Resolved, Single(engine.OnFrame(Cpu("web01", 5), T0.AddSeconds(2))).Kind);
    }

    [Fact]
    public void A_disk_that_stops_reporting_fires_disk_missing_until_it_is_back()
    {
        var engine = Engine();
        Assert.Same(FrameVerdict.Clean, engine.OnFrame(DiskIo("db01", ("sda", 1), ("sdb", 2)), T0));

        var missing = Single(engine.OnFrame(DiskIo("db01", ("sda", 1)), T0.AddSeconds(5)));
        var still = engine.OnFrame(DiskIo("db01", ("sda", 1)), T0.AddSeconds(10));
        var otherReporter = engine.OnFrame(Cpu("db01", 1), T0.AddSeconds(11));
        var back = Single(engine.OnFrame(DiskIo("db01", ("sda", 1), ("sdb", 2)), T0.AddSeconds(15)));
        var newDisk = engine.OnFrame(DiskIo("db01", ("sda", 1), ("sdb", 2), ("sdc", 0)), T0.AddSeconds(20));

        Assert.Equal((new AlertKey("disk_missing", "db01", "sdb"), TransitionKinds.Firing, "absent"), (missing.Key, missing.Kind, missing.Value));
        Assert.Equal("db01 disk_missing sdb: absent from the latest diskio frame", missing.Message);
        Assert.Empty(still.Transitions);
        Assert.Equal(new RuleMatch("disk_missing", "sdb", "absent", null, Severity.Warning), Assert.Single(still.Matches));
        Assert.Same(FrameVerdict.Clean, otherReporter);
        Assert.Equal((TransitionKinds.Resolved, "db01 disk_missing sdb: resolved after 10s (reporting again)"), (back.Kind, back.Message));
        Assert.Same(FrameVerdict.Clean, newDisk);
        Assert.Equal(new AlertKey("disk_missing", "db01", "sdc"), Single(engine.OnFrame(DiskIo("db01", ("sda", 1), ("sdb", 2)), T0.AddSeconds(25))).Key);
    }

    [Fact]
    public void Host_down_fires_once_and_the_next_frame_or_host_up_resolves_it()
    {
        var engine = Engine();
        engine.OnFrame(Cpu("web01", 1), T0);

        var down = Assert.Single(engine.OnHostDown("web01", T0, T0.AddSeconds(31)));
        Assert.Empty(engine.OnHostDown("web01", T0, T0.AddSeconds(40)));
        var up = Single(engine.OnFrame(Cpu("web01", 1), T0.AddMinutes(5)));

        Assert.Equal((new AlertKey("host_down", "web01", ""), TransitionKinds.Firing, Severity.Error, "31"), (down.Key, down.Kind, down.Severity, down.Value));
        Assert.Equal("web01 host_down: no frame for 31 s", down.Message);
        Assert.Equal((T0, T0.AddSeconds(31)), (down.Alert!.PendingSince, down.FiringSince));
        Assert.Equal((TransitionKinds.Resolved, T0.AddMinutes(5) - T0.AddSeconds(31)), (up.Kind, up.Duration));
        Assert.Equal("web01 host_down: resolved after 4m 29s (frames again)", up.Message);
        Assert.Empty(engine.OnHostUp("web01", T0.AddMinutes(5)));
    }

    [Fact]
    public void Host_up_resolves_host_down_when_it_comes_first()
    {
        var engine = Engine();
        engine.OnHostDown("web01", T0, T0.AddSeconds(31));

        var up = Assert.Single(engine.OnHostUp("WEB01", T0.AddSeconds(90)));

        Assert.Equal((TransitionKinds.Resolved, "web01"), (up.Kind, up.Key.Host));
        Assert.Empty(engine.OnFrame(Cpu("web01", 1), T0.AddSeconds(90)).Transitions);
        Assert.Empty(engine.OnHostUp("nobody", T0));
    }

    [Fact]
    public void A_reporter_silent_while_its_host_still_sends_goes_stale_and_its_next_frame_resolves_it()
    {
        var clock = new FakeTimeProvider(T0);
        var engine = Engine();
        var stale = new List<AlertTransition>();

        // cpu every 2 s until 10 s, mem every 2 s throughout: cpu is stale once older than 3 × 2 s.
        for (var t = 0; t <= 30; t += 2)
        {
            if (t <= 10)
            {
                engine.OnFrame(Cpu("web01", 1), clock.GetUtcNow());
            }

            engine.OnFrame(Frame("web01", "mem", "\"mem\":10", interval: 2), clock.GetUtcNow());
            stale.AddRange(engine.Tick(clock.GetUtcNow().AddSeconds(1)));
            clock.Advance(TimeSpan.FromSeconds(2));
        }

        var fired = Assert.Single(stale);
        Assert.Equal((new AlertKey("reporter_stale", "web01", "cpu"), TransitionKinds.Firing, Severity.Warning), (fired.Key, fired.Kind, fired.Severity));
        Assert.Equal(T0.AddSeconds(17), fired.At);
        Assert.Equal("web01 reporter_stale cpu: last frame 7 s ago > 6 s (3 × 2 s)", fired.Message);
        var resolved = Single(engine.OnFrame(Cpu("web01", 1), clock.GetUtcNow()));
        Assert.Equal((TransitionKinds.Resolved, "web01 reporter_stale cpu: resolved after 15s (a frame arrived)"), (resolved.Kind, resolved.Message));
    }

    [Fact]
    public void A_host_silent_altogether_or_down_raises_no_stale_alert()
    {
        var engine = Engine();
        engine.OnFrame(Cpu("web01", 1), T0);
        engine.OnFrame(Frame("web01", "uptime", "\"uptime\":5", interval: 60), T0);
        engine.OnFrame(Cpu("web02", 1), T0);
        engine.OnFrame(Frame("web02", "mem", "\"mem\":10", interval: 2), T0.AddSeconds(9));
        engine.OnHostDown("web02", T0.AddSeconds(9), T0.AddSeconds(10));

        Assert.Empty(engine.Tick(T0.AddSeconds(10)));
        Assert.Empty(engine.Tick(T0.AddMinutes(10)));
    }

    [Fact]
    public void Dies_lost_fires_for_a_board_below_its_dies_and_for_a_die_alive_at_the_first_good_poll()
    {
        var engine = Engine();
        Assert.Same(FrameVerdict.Clean, engine.OnFrame(Envelope(Cointerra()), T0));

        var lost = Cointerra();
        lost["boards"]![1]!["DiesActive"] = 7;
        lost["boards"]![1]!["live_engines"]!["Asic1Core3"] = 0;
        lost["boards"]![0]!["live_engines"]!.AsObject().Remove("Asic0Core1");
        var verdict = engine.OnFrame(Envelope(lost), T0.AddSeconds(30));

        Assert.Equal(
            [
                "terra01 cointerra_dies_lost CTA1: DiesActive 7 < Dies 8",
                "terra01 cointerra_dies_lost CTA0/Asic0Core1: live engines missing, alive at the first good poll",
                "terra01 cointerra_dies_lost CTA1/Asic1Core3: live engines 0, alive at the first good poll",
            ],
            verdict.Transitions.Select(t => t.Message));
        Assert.All(verdict.Transitions, t => Assert.Equal((TransitionKinds.Firing, Severity.Error), (t.Kind, t.Severity)));
        Assert.Equal(Severity.Error, verdict.Worst);

        var healed = engine.OnFrame(Envelope(Cointerra()), T0.AddMinutes(5));
        Assert.Equal(3, healed.Transitions.Count(t => t.Kind == TransitionKinds.Resolved));
        Assert.Empty(engine.Active());
    }

    [Fact]
    public void The_die_baseline_is_the_first_good_poll_not_a_failed_one()
    {
        var engine = Engine();
        var failed = Cointerra();
        failed["api_ok"] = false;
        failed["boards"]![0]!["live_engines"]!["Asic0Core0"] = 0;
        engine.OnFrame(Envelope(failed), T0);

        var deadAtFirstGoodPoll = Cointerra();
        deadAtFirstGoodPoll["boards"]![0]!["live_engines"]!["Asic0Core2"] = 0;
        engine.OnFrame(Envelope(deadAtFirstGoodPoll), T0.AddSeconds(30));

        var later = Cointerra();
        later["boards"]![0]!["live_engines"]!["Asic0Core0"] = 0;
        later["boards"]![0]!["live_engines"]!["Asic0Core2"] = 0;
        var verdict = engine.OnFrame(Envelope(later), T0.AddSeconds(60));

        Assert.Equal([new AlertKey("cointerra_dies_lost", "terra01", "CTA0/Asic0Core0")], verdict.Transitions.Select(t => t.Key));
    }

    [Fact]
    public void Restored_alerts_continue_without_firing_twice()
    {
        var first = Engine("[rule:cpu_high]\nreporter = cpu\ncondition = cpu > 90\nfor = 3\n");
        first.OnFrame(HddSpace("server1", ("/var", 93)), T0);
        first.OnFrame(Cpu("server1", 95), T0);
        first.OnFrame(Cpu("server1", 95), T0.AddSeconds(2));
        var saved = first.Active();
        Assert.Equal([AlertState.Firing, AlertState.Pending], saved.Select(a => a.State));

        var engine = Engine("[rule:cpu_high]\nreporter = cpu\ncondition = cpu > 90\nfor = 3\n");
        Assert.Empty(engine.Restore(saved));
        Assert.Equal(saved, engine.Active());

        Assert.Empty(engine.OnFrame(HddSpace("server1", ("/var", 95)), T0.AddMinutes(1)).Transitions);
        var fired = Single(engine.OnFrame(Cpu("server1", 95), T0.AddSeconds(4)));
        Assert.Equal((TransitionKinds.Firing, T0), (fired.Kind, fired.Alert!.PendingSince));
        var resolved = Single(engine.OnFrame(HddSpace("server1", ("/var", 50)), T0.AddMinutes(2)));
        Assert.Equal((TransitionKinds.Resolved, TimeSpan.FromMinutes(2)), (resolved.Kind, resolved.Duration));
    }

    [Fact]
    public void Restored_watches_keep_a_dead_die_a_missing_disk_and_a_down_host_firing()
    {
        var first = Engine();
        first.OnFrame(DiskIo("db01", ("sda", 1), ("sdb", 1)), T0);
        first.OnFrame(DiskIo("db01", ("sda", 1)), T0.AddSeconds(5));
        first.OnFrame(Envelope(Cointerra()), T0);
        var lost = Cointerra();
        lost["boards"]![1]!["live_engines"]!["Asic1Core3"] = 0;
        first.OnFrame(Envelope(lost), T0.AddSeconds(30));
        first.OnHostDown("web01", T0, T0.AddSeconds(31));
        var saved = first.Active();
        Assert.Equal(3, saved.Count);

        var engine = Engine();
        engine.Restore(saved);

        Assert.Empty(engine.OnFrame(DiskIo("db01", ("sda", 1)), T0.AddMinutes(1)).Transitions);
        Assert.Empty(engine.OnFrame(Envelope(lost), T0.AddMinutes(1)).Transitions);
        Assert.Equal(3, engine.Active().Count);
        Assert.Empty(engine.Tick(T0.AddHours(1)));
        Assert.Equal(TransitionKinds.Resolved, Single(engine.OnFrame(Cpu("web01", 1), T0.AddMinutes(2))).Kind);
        Assert.Equal(TransitionKinds.Resolved, Single(engine.OnFrame(DiskIo("db01", ("sda", 1), ("sdb", 1)), T0.AddMinutes(2))).Kind);
        Assert.Equal(TransitionKinds.Resolved, Single(engine.OnFrame(Envelope(Cointerra()), T0.AddMinutes(2))).Kind);
    }

    [Fact]
    public void Restored_alerts_of_a_rule_gone_or_switched_off_are_ended()
    {
        var first = Engine("[rule:cpu_high]\nreporter = cpu\ncondition = cpu > 90\n[rule:mem_high]\nreporter = mem\ncondition = mem > 90\nfor = 2\n");
        first.OnFrame(Cpu("web01", 95), T0);
        first.OnFrame(Frame("web01", "mem", "\"mem\":95"), T0);
        first.OnFrame(HddSpace("web01", ("/", 95)), T0);

        var engine = Engine("[rule:mem_high]\nreporter = mem\ncondition = mem > 90\nfor = 2\nenabled = no\n[rule:disk_space]\nhosts = db*\n");
        var ended = engine.Restore(first.Active());

        Assert.Equal(
            [
                (TransitionKinds.Ok, "web01 mem_high: back to ok: its rule is no longer active"),
                (TransitionKinds.Resolved, "web01 cpu_high: resolved: its rule is no longer configured"),
                (TransitionKinds.Resolved, "web01 disk_space /: resolved: its rule no longer applies to this host"),
            ],
            ended.Select(t => (t.Kind, t.Message)).Order());
        Assert.Empty(engine.Active());
    }

    [Fact]
    public void Find_returns_any_rule_by_name()
    {
        var engine = Engine();

        Assert.Equal(RuleKinds.DiesLost, engine.Find("cointerra_dies_lost")!.Kind);
        Assert.False(engine.Find("disk_io_util")!.Active);
        Assert.Null(engine.Find("nope"));
    }

    [Fact]
    public void Frames_of_many_hosts_from_many_threads_keep_one_consistent_state()
    {
        var engine = Engine();

        Parallel.For(0, 400, i =>
        {
            var host = $"host{i % 100}";
            engine.OnFrame(HddSpace(host, ("/", 50), ("/var", i % 100 < 30 ? 95 : 40)), T0.AddSeconds(i));
            engine.OnFrame(Cpu(host, 1), T0.AddSeconds(i));
        });

        Assert.Equal(30, engine.Active().Count);
        Assert.All(engine.Active(), a => Assert.Equal(("disk_space", "/var", AlertState.Firing), (a.Key.Rule, a.Key.Instance, a.State)));
    }

    [Fact]
    public void A_clean_frame_on_a_host_without_alerts_allocates_nothing()
    {
        var engine = Engine("[rule:disk_io_util]\nthreshold = 90\n[rule:cpu_high]\nreporter = cgminer\ncondition = boards[*].core_temps[*] > 120\n");
        var cgminer = Envelope(Cointerra());
        var diskio = Envelope(FixtureHost("server-many-disks", "diskio"));
        for (var i = 0; i < 10; i++)
        {
            engine.OnFrame(cgminer, T0.AddSeconds(i));
            engine.OnFrame(diskio, T0.AddSeconds(i));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            engine.OnFrame(cgminer, T0.AddSeconds(10 + i));
            engine.OnFrame(diskio, T0.AddSeconds(10 + i));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
