using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Psistats.Aggregator.Rules;
using Psistats.Contracts.Configuration;
using static Psistats.UnitTests.Aggregator.Rules.RuleFrames;

namespace Psistats.UnitTests.Aggregator.Rules;

public sealed class RuleSetTests
{
    private static readonly string[] Notifiers = ["email", "webhook:ops"];

    [Fact]
    public void The_builtins_are_valid_and_on_by_default()
    {
        var rules = Valid("");

        Assert.Equal(
            [
                "host_down", "aggregator_blind", "remediation_max_reboots", "remediation_fleet_guard", "reporter_stale", "cointerra_asic_status", "cointerra_rejected", "cointerra_enabled", "cointerra_api",
                "cointerra_dies_lost", "cointerra_core_temp", "cointerra_ambient", "cointerra_core_hot",
                "disk_io_tps", "disk_io_r_s", "disk_io_w_s", "disk_io_rkb_s", "disk_io_wkb_s", "disk_io_rrqm_s", "disk_io_wrqm_s",
                "disk_io_r_await", "disk_io_w_await", "disk_io_rareq_sz", "disk_io_wareq_sz", "disk_io_aqu_sz", "disk_io_util",
                "disk_missing", "disk_space", "disk_inodes",
            ],
            rules.Rules.Select(r => r.Name));
        Assert.All(rules.Rules, r => Assert.Equal((RuleSources.Builtin, true), (r.Source, r.Enabled)));
        Assert.All(rules.Rules.Where(r => r.Name.StartsWith("disk_io_", StringComparison.Ordinal)), r => Assert.False(r.Active));
        Assert.All(rules.Rules.Where(r => !r.Name.StartsWith("disk_io_", StringComparison.Ordinal)), r => Assert.True(r.Active));
        Assert.Equal("diskio.*.%util >", rules.Find("disk_io_util")!.Condition);
        var space = rules.Find("DISK_SPACE")!;
        Assert.Equal(("filesystems.*.pcent > 90", 2.0, Severity.Warning, "hddspace"), (space.Condition, space.Hysteresis, space.Severity, space.Reporter));
        Assert.Null(rules.Find("nonexistent"));
    }

    [Fact]
    public void A_threshold_switches_a_diskmonitor_rule_on()
    {
        var rules = Valid("""
            [rule:disk_io_util]
            threshold = 90
            [rule:disk_io_r_await]
            threshold = 500
            for = 3
            """);

        var util = rules.Find("disk_io_util")!;
        Assert.Equal((true, "diskio.*.%util > 90", RuleSources.BuiltinAndFile), (util.Active, util.Condition, util.Source));
        Assert.Equal((true, 3), (rules.Find("disk_io_r_await")!.Active, rules.Find("disk_io_r_await")!.ForFrames));
        Assert.False(rules.Find("disk_io_w_await")!.Active);
    }

    [Fact]
    public void A_section_of_a_builtins_name_tunes_it_and_enabled_no_switches_it_off()
    {
        var rules = Valid("""
            [rule:disk_space]
            threshold = 95
            hosts = web*, db0?
            severity = error
            notifiers = email
            [rule:cointerra_core_temp]
            enabled = no
            [rule:Host_Down]
            notifiers = none
            """, Notifiers);

        var space = rules.Find("disk_space")!;
        Assert.Equal("filesystems.*.pcent > 95", space.Condition);
        Assert.Equal(["web*", "db0?"], space.Hosts);
        Assert.Equal((Severity.Error, 2.0), (space.Severity, space.Hysteresis));
        Assert.Equal(["email"], space.Notifiers);
        Assert.True(space.AppliesTo("WEB01"));
        Assert.True(space.AppliesTo("db07"));
        Assert.False(space.AppliesTo("db070"));
        var temp = rules.Find("cointerra_core_temp")!;
        Assert.Equal((false, false, RuleSources.BuiltinAndFile), (temp.Enabled, temp.Active, temp.Source));
        var down = rules.Find("host_down")!;
        Assert.Equal("host_down", down.Name);
        Assert.Equal([], down.Notifiers);
        Assert.Null(rules.Find("disk_inodes")!.Notifiers);
    }

    [Fact]
    public void A_clear_of_the_file_replaces_a_builtins_hysteresis()
    {
        var rules = Valid("""
            [rule:disk_space]
            clear = filesystems.*.pcent < 80
            """);

        var space = rules.Find("disk_space")!;
        Assert.Equal(("filesystems.*.pcent < 80", (double?)null), (space.Clear, space.Hysteresis));
    }

    [Fact]
    public void A_section_of_a_new_name_is_a_user_rule()
    {
        var rules = Valid("""
            [rule:load_high]
            description = Load above 4 for five minutes
            reporter = load
            condition = load5 > 4
            for = 5m
            severity = critical
            [rule:pool_dead]
            reporter = cgminer
            condition = pools[*].Status == Dead
            for = 2
            """);

        var load = rules.Find("load_high")!;
        Assert.Equal(
            ("Load above 4 for five minutes", RuleSources.File, RuleKinds.Threshold, "load", "load5 > 4", TimeSpan.FromMinutes(5), 0, Severity.Critical, true),
            (load.Description, load.Source, load.Kind, load.Reporter, load.Condition, load.ForDuration, load.ForFrames, load.Severity, load.Active));
        Assert.Equal(300.0, load.ForSeconds);
        Assert.Equal((2, (TimeSpan?)null, Severity.Warning), (rules.Find("pool_dead")!.ForFrames, rules.Find("pool_dead")!.ForDuration, rules.Find("pool_dead")!.Severity));
        Assert.Equal(["load_high", "pool_dead"], rules.Rules.TakeLast(2).Select(r => r.Name));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1.5m", 90)]
    [InlineData("2 h", 7200)]
    [InlineData("1d", 86400)]
    public void For_takes_durations(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Valid($"[rule:x]\ncondition = cpu > 1\nfor = {text}\n").Find("x")!.ForDuration);

    [Fact]
    public void Environment_style_keys_add_or_tune_rules()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["rule:disk_space:threshold"] = "97",
                ["rule:mem_full:condition"] = "mem > 95",
            }).Build();
        var reader = new SettingsReader(configuration);

        var rules = RuleSet.Read(reader, []);

        Assert.Empty(reader.Errors);
        Assert.Equal("filesystems.*.pcent > 97", rules.Find("disk_space")!.Condition);
        Assert.Equal("mem > 95", rules.Find("mem_full")!.Condition);
    }

    [Theory]
    [InlineData("[rule:x]\ncondition = cpu > 1\ncolour = red\n",
        "[rule:x] colour: unknown key (known: enabled, description, hosts, reporter, condition, threshold, clear, hysteresis, for, severity, notifiers)")]
    [InlineData("[rule:x]\nreporter = cpu\n", "[rule:x] condition: required: PATH OP VALUE, e.g. filesystems.*.pcent > 90")]
    [InlineData("[rule:x]\ncondition = cpu => 1\n", "[rule:x] condition: unknown operator '=>' (use >, >=, <, <=, == or !=)")]
    [InlineData("[rule:x]\ncondition = cpu>1\n", "[rule:x] condition: no operator in 'cpu>1': write spaces around it, PATH OP VALUE (>, >=, <, <=, ==, !=)")]
    [InlineData("[rule:x]\ncondition = a..b > 1\n", "[rule:x] condition: bad path 'a..b': empty name before the '.' at position 3")]
    [InlineData("[rule:x]\ncondition = cpu > 9x\n",
        "[rule:x] condition: '9x' is not a number: > compares numbers (a number may end in k, m, g, t = 10^3..10^12 or Ki, Mi, Gi, Ti = 1024^1..4)")]
    [InlineData("[rule:disk_io_util]\nthreshold = high\n",
        "[rule:disk_io_util] threshold: 'high' is not a number: > compares numbers (a number may end in k, m, g, t = 10^3..10^12 or Ki, Mi, Gi, Ti = 1024^1..4)")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nseverity = fatal\n", "[rule:x] severity: unknown severity 'fatal' (use info, warning, error or critical)")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nnotifiers = email, pager\n",
        "[rule:x] notifiers: unknown notifier 'pager' (configured: email, webhook:ops; 'none' records only)")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nnotifiers = none, email\n", "[rule:x] notifiers: 'none' (record only) cannot be combined with notifier names")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nfor = soon\n",
        "[rule:x] for: 'soon' is neither a number of consecutive frames (3) nor a duration (30s, 5m, 1h, 1d; at most a year)")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nfor = -3\n",
        "[rule:x] for: '-3' is neither a number of consecutive frames (3) nor a duration (30s, 5m, 1h, 1d; at most a year)")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nclear = cpu < 1\nhysteresis = 1\n", "[rule:x] hysteresis: set clear or hysteresis, not both")]
    [InlineData("[rule:x]\ncondition = asc[*].Status != Alive\nhysteresis = 1\n",
        "[rule:x] hysteresis: hysteresis needs a numeric <, <=, > or >= condition, not '!= Alive' (use clear instead)")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nhysteresis = -1\n", "[rule:x] hysteresis: '-1' is not a number >= 0 (in the condition's unit)")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nclear = mem < 1\n",
        "[rule:x] clear: 'mem' is not the condition's path 'cpu' (write the same path, or just OP VALUE)")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nenabled = maybe\n", "[rule:x] enabled: 'maybe' is not a boolean (use yes/no, true/false, on/off or 1/0)")]
    [InlineData("[rule:x]\ncondition = cpu > 1\nreporter = Disk IO\n",
        "[rule:x] reporter: 'Disk IO' is not a reporter name (lower-case letters, digits and '_', as in frames' reporter)")]
    [InlineData("[rule:host_down]\nthreshold = 5\n", "[rule:host_down] threshold: not used by a rule of kind host_down (it has no condition)")]
    [InlineData("[rule:host_down]\nfor = 3\n", "[rule:host_down] for: not used by host_down: set [aggregator] down_after")]
    [InlineData("[rule:reporter_stale]\nfor = 3\n", "[rule:reporter_stale] for: not used by a stale rule: set [aggregator] stale_factor")]
    [InlineData("[rule:disk_missing]\nreporter = net\n", "[rule:disk_missing] reporter: fixed to diskio for a rule of kind missing")]
    [InlineData("[rule:disk_missing]\ncondition = net.* > 1\n", "[rule:disk_missing] condition: not used by a rule of kind missing (it watches diskio.*)")]
    [InlineData("[rule:host_down]\nreporter = cpu\n", "[rule:host_down] reporter: not used by a rule of kind host_down")]
    [InlineData("[rule:bad name!]\ncondition = cpu > 1\n",
        "[rule:bad name!] name: a rule name is 1 to 100 letters, digits, '_', '-' or '.', starting with a letter or digit")]
    [InlineData("[rule]\ncondition = cpu > 1\n", "[rule] condition: rule settings go in a [rule:NAME] section, one per rule")]
    public void Every_problem_names_its_section_and_key(string ini, string error) =>
        Assert.Equal([error], Errors(ini, Notifiers));

    [Fact]
    public void Notifiers_are_checked_even_when_none_is_configured() =>
        Assert.Equal(
            ["[rule:x] notifiers: unknown notifier 'email' (no notifier is configured; 'none' records only)"],
            Errors("[rule:x]\ncondition = cpu > 1\nnotifiers = email\n"));

    [Fact]
    public void A_rule_with_a_problem_is_kept_but_inactive()
    {
        var (rules, reader) = Read("[rule:x]\ncondition = cpu > 1\nseverity = fatal\n");

        Assert.Single(reader.Errors);
        Assert.False(rules.Find("x")!.Active);
        Assert.True(rules.Find("x")!.Enabled);
    }

    [Fact]
    public void A_user_rule_without_a_value_waits_for_a_threshold()
    {
        var rules = Valid("[rule:x]\ncondition = net.*.rx_errors/s >\n");

        Assert.False(rules.Find("x")!.Active);
        Assert.True(Valid("[rule:x]\ncondition = net.*.rx_errors/s >\nthreshold = 10\n").Find("x")!.Active);
    }

    [Fact]
    public void Rules_serialise_with_snake_case_names()
    {
        var rules = Valid("[rule:disk_space]\nfor = 30s\nnotifiers = email\n", Notifiers);

        var json = JsonSerializer.SerializeToElement(rules.Find("disk_space"));

        Assert.Equal(
            ["name", "description", "source", "enabled", "active", "hosts", "reporter", "kind", "condition", "clear", "hysteresis",
             "for_frames", "for_seconds", "severity", "notifiers"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("builtin+file", json.GetProperty("source").GetString());
        Assert.Equal("warning", json.GetProperty("severity").GetString());
        Assert.Equal(30, json.GetProperty("for_seconds").GetDouble());
        Assert.Equal("filesystems.*.pcent > 90", json.GetProperty("condition").GetString());
        Assert.Equal(2, json.GetProperty("hysteresis").GetDouble());
    }
}
