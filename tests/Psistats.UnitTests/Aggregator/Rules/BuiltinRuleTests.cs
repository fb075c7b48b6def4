using System.Text.Json.Nodes;
using Psistats.Aggregator.Rules;
using Psistats.TestSupport;
using static Psistats.UnitTests.Aggregator.Rules.RuleFrames;

namespace Psistats.UnitTests.Aggregator.Rules;

/// <summary>Each built-in fires on a frame showing its fault and stays quiet on healthy captured frames.</summary>
public sealed class BuiltinRuleTests
{
    /// <summary>Every Diskmonitor metric switched on at 10 (the fixture hosts' disks are idle: every column 0).</summary>
    private static readonly string DiskThresholds =
        string.Concat(BuiltinRules.DiskmonitorMetrics.Select(m => $"[rule:{BuiltinRules.DiskIoRuleName(m)}]\nthreshold = 10\n"));

    [Theory]
    [InlineData("asc_sick", "cointerra_asic_status", "CTA1", Severity.Error, "terra01 cointerra_asic_status CTA1: Status Sick != Alive")]
    [InlineData("asc_rejecting", "cointerra_rejected", "CTA0", Severity.Error, "terra01 cointerra_rejected CTA0: Device Rejected% 5.5 > 5")]
    [InlineData("asc_disabled", "cointerra_enabled", "CTA1", Severity.Error, "terra01 cointerra_enabled CTA1: Enabled N != Y")]
    [InlineData("api_down", "cointerra_api", "", Severity.Error, "terra01 cointerra_api: api_ok false == false")]
    [InlineData("dies_inactive", "cointerra_dies_lost", "CTA0", Severity.Error, "terra01 cointerra_dies_lost CTA0: DiesActive 6 < Dies 8")]
    [InlineData("board_hot", "cointerra_core_temp", "CTA1", Severity.Warning, "terra01 cointerra_core_temp CTA1: avg_core_temp 85 >= 85")]
    [InlineData("ambient_hot", "cointerra_ambient", "CTA0", Severity.Warning, "terra01 cointerra_ambient CTA0: ambient_avg 85.5 >= 85")]
    [InlineData("core_hot", "cointerra_core_hot", "CTA0/5", Severity.Warning, "terra01 cointerra_core_hot CTA0/5: core_temps 100 >= 100")]
    public void Each_cointerra_check_fires_on_its_fault(string fault, string rule, string instance, Severity severity, string message)
    {
        var frame = Cointerra();
        switch (fault)
        {
            case "asc_sick":
                frame["asc"]![1]!["Status"] = "Sick";
                break;
            case "asc_rejecting":
                frame["asc"]![0]!["Device Rejected%"] = 5.5;
                break;
            case "asc_disabled":
                frame["asc"]![1]!["Enabled"] = "N";
                break;
            case "api_down":
                frame["api_ok"] = false;
                frame["error"] = new JsonObject { ["command"] = "asccount", ["kind"] = "refused", ["message"] = "connection refused" };
                foreach (var section in new[] { "asc_count", "asc", "coin", "pools", "summary", "boards", "stats", "devs" })
                {
                    frame[section] = null;
                }

                break;
            case "dies_inactive":
                frame["boards"]![0]!["DiesActive"] = 6;
                break;
            case "board_hot":
                frame["boards"]![1]!["avg_core_temp"] = 85;
                break;
            case "ambient_hot":
                frame["boards"]![0]!["ambient_avg"] = 85.5;
                break;
            default:
                frame["boards"]![0]!["core_temps"]![5] = 100;
                break;
        }

        var verdict = new AlertEngine(Valid(""), 3).OnFrame(Envelope(frame), T0);

        var fired = Assert.Single(verdict.Transitions);
        Assert.Equal((new AlertKey(rule, "terra01", instance), TransitionKinds.Firing, severity), (fired.Key, fired.Kind, fired.Severity));
        Assert.Equal(message, fired.Message);
        Assert.Equal(severity, verdict.Worst);
    }

    [Fact]
    public void The_captured_cointerra_frame_is_healthy() =>
        Assert.Same(FrameVerdict.Clean, new AlertEngine(Valid(""), 3).OnFrame(Envelope(Cointerra()), T0));

    public static TheoryData<string> Metrics => [.. BuiltinRules.DiskmonitorMetrics];

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Each_diskmonitor_threshold_fires_above_its_value_once_set(string metric)
    {
        var name = BuiltinRules.DiskIoRuleName(metric);
        var frame = FixtureHost("server-many-disks", "diskio");
        frame["diskio"]!["sdb"]![metric] = 10.5;

        var off = new AlertEngine(Valid(""), 3).OnFrame(Envelope(frame), T0);
        var on = new AlertEngine(Valid($"[rule:{name}]\nthreshold = 10\n"), 3).OnFrame(Envelope(frame), T0);

        Assert.Same(FrameVerdict.Clean, off);
        var fired = Assert.Single(on.Transitions);
        Assert.Equal((new AlertKey(name, "server-many-disks", "sdb"), "10.5", "> 10"), (fired.Key, fired.Value, fired.Threshold));
        Assert.Equal($"server-many-disks {name} sdb: {metric} 10.5 > 10", fired.Message);
    }

    [Theory]
    [InlineData("disk_space", "pcent")]
    [InlineData("disk_inodes", "ipcent")]
    public void Disk_space_and_inodes_fire_above_90_percent(string rule, string field)
    {
        var frame = HddSpace("server1", ("/", 40), ("/var", 40));
        var body = JsonNode.Parse(frame.Body.GetRawText())!;
        body["filesystems"]!["/var"]![field] = 91;
        var engine = new AlertEngine(Valid(""), 3);

        Assert.Same(FrameVerdict.Clean, engine.OnFrame(frame, T0));
        var fired = Assert.Single(engine.OnFrame(Envelope(body), T0.AddMinutes(1)).Transitions);

        Assert.Equal((new AlertKey(rule, "server1", "/var"), Severity.Warning), (fired.Key, fired.Severity));
        Assert.Equal($"server1 {rule} /var: {field} 91 > 90", fired.Message);
    }

    [Fact]
    public void Every_frame_of_every_fixture_host_is_healthy_with_every_builtin_switched_on()
    {
        var engine = new AlertEngine(Valid(DiskThresholds), 3);
        var hosts = Directory.GetDirectories(RepoPaths.Fixture("hosts"));
        Assert.NotEmpty(hosts);

        foreach (var host in hosts)
        {
            foreach (var line in File.ReadAllLines(Path.Combine(host, "expected-once.jsonl")))
            {
                var verdict = engine.OnFrame(Envelope(line), T0);
                Assert.True(ReferenceEquals(FrameVerdict.Clean, verdict), $"{Path.GetFileName(host)}: {string.Join("; ", verdict.Matches)}");
            }
        }

        Assert.Empty(engine.Tick(T0.AddSeconds(5)));
        Assert.Empty(engine.Active());
    }
}
