using System.Globalization;
using System.Text;
using System.Text.Json;
using Psistats.CgminerSimulator.Faults;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Simulator;

/// <summary>
/// Each miner fault changes what it should and nothing else: a faulty miner is compared with a healthy twin
/// (same seed, same clock), key by key, over summary, devs, pools and stats.
/// </summary>
public sealed class FaultTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly SimulatedMiner _healthy;
    private readonly SimulatedMiner _faulty;

    public FaultTests()
    {
        _healthy = new SimulatedMiner(_clock);
        _faulty = new SimulatedMiner(_clock);
        _clock.Advance(TimeSpan.FromMinutes(30));
    }

    private SortedSet<string> Changed() => SimulatedMiner.Differences(_healthy.Everything(), _faulty.Everything());

    private static string Value(Dictionary<string, string> flat, string key) => flat[key].Trim('"');

    private static double Number(Dictionary<string, string> flat, string key) => double.Parse(flat[key], CultureInfo.InvariantCulture);

    private static bool IsDevice(string key, int id) => key.StartsWith($"DEVS[{id}].", StringComparison.Ordinal);

    private static bool IsBoard(string key, int id) => key.StartsWith($"STATS[CTA{id}].", StringComparison.Ordinal);

    private static bool IsSummaryOrPool(string key) => key.StartsWith("SUMMARY", StringComparison.Ordinal) || key.StartsWith("POOLS", StringComparison.Ordinal)
        || key.StartsWith("STATS[POOL", StringComparison.Ordinal);

    [Fact]
    public void Asic_sick_makes_asc_0_sick_and_stops_its_shares()
    {
        var since = _clock.GetUtcNow().ToUnixTimeSeconds();
        var acceptedThen = Number(_faulty.Flat("devs"), "DEVS[0].Accepted");
        _faulty.On(FaultNames.AsicSick);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var devs = _faulty.Flat("devs");
        Assert.Equal("Sick", Value(devs, "DEVS[0].Status"));
        Assert.Equal("Y", Value(devs, "DEVS[0].Enabled"));
        Assert.Equal(0, Number(devs, "DEVS[0].MHS 5s"));
        Assert.Equal(acceptedThen, Number(devs, "DEVS[0].Accepted"));
        Assert.Equal(since - 60, Number(devs, "DEVS[0].Last Valid Work"));
        Assert.Equal("Alive", Value(devs, "DEVS[1].Status"));
        Assert.DoesNotContain(Changed(), k => IsDevice(k, 1) || IsBoard(k, 1));
    }

    [Fact]
    public void Asic_dead_makes_asc_1_dead()
    {
        var since = _clock.GetUtcNow().ToUnixTimeSeconds();
        _faulty.On(FaultNames.AsicDead);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var devs = _faulty.Flat("devs");
        Assert.Equal("Dead", Value(devs, "DEVS[1].Status"));
        Assert.Equal(since - 600, Number(devs, "DEVS[1].Last Valid Work"));
        Assert.Equal(0, Number(devs, "DEVS[1].MHS 5s"));
        Assert.DoesNotContain(Changed(), k => IsDevice(k, 0) || IsBoard(k, 0));
    }

    [Fact]
    public void Asic_disabled_makes_asc_0_not_enabled()
    {
        _faulty.On(FaultNames.AsicDisabled);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var devs = _faulty.Flat("devs");
        Assert.Equal("N", Value(devs, "DEVS[0].Enabled"));
        Assert.Equal("Alive", Value(devs, "DEVS[0].Status"));
        Assert.DoesNotContain(Changed(), k => IsDevice(k, 1) || IsBoard(k, 1));
    }

    [Fact]
    public void High_rejects_puts_asc_0_above_5_percent_at_once_and_its_rejected_grows()
    {
        Assert.InRange(Number(_healthy.Flat("devs"), "DEVS[0].Device Rejected%"), 0, 1);
        _faulty.On(FaultNames.HighRejects);

        var atOnce = _faulty.Flat("devs");
        _clock.Advance(TimeSpan.FromMinutes(2));
        var later = _faulty.Flat("devs");

        Assert.True(Number(atOnce, "DEVS[0].Device Rejected%") > 5, atOnce["DEVS[0].Device Rejected%"]);
        Assert.True(Number(later, "DEVS[0].Device Rejected%") > 5);
        Assert.True(Number(later, "DEVS[0].Rejected") > Number(atOnce, "DEVS[0].Rejected"));
        Assert.True(Number(later, "DEVS[0].Accepted") >= Number(atOnce, "DEVS[0].Accepted"));
        Assert.Equal("Alive", Value(later, "DEVS[0].Status"));
        Assert.DoesNotContain(Changed(), k => IsDevice(k, 1) || IsBoard(k, 1) || k.EndsWith("Temperature", StringComparison.Ordinal));
    }

    [Fact]
    public void High_rejects_is_above_5_percent_even_when_switched_on_at_start()
    {
        var miner = new SimulatedMiner();
        miner.On(FaultNames.HighRejects);
        miner.Clock.Advance(TimeSpan.FromSeconds(30));

        Assert.True(Number(miner.Flat("devs"), "DEVS[0].Device Rejected%") > 5);
    }

    [Fact]
    public void Temp_climb_raises_core_and_ambient_temperatures_1_c_per_10_s_and_nothing_else()
    {
        _faulty.On(FaultNames.TempClimb);
        _clock.Advance(TimeSpan.FromSeconds(300));

        var changed = Changed();
        var healthy = _healthy.Flat("stats");
        var faulty = _faulty.Flat("stats");
        foreach (var key in healthy.Keys.Where(k => k.Contains(".CoreTemp", StringComparison.Ordinal) || k.Contains(".Ambient ", StringComparison.Ordinal)))
        {
            Assert.InRange(Number(faulty, key) - Number(healthy, key), 2999, 3001);
        }

        Assert.All(changed, k => Assert.Matches(@"^(STATS\[CTA[01]\]\.(CoreTemp[0-7]|Ambient (Low|Avg|High))|DEVS\[[01]\]\.Temperature)$", k));
        Assert.Equal(8 * 2 + 3 * 2 + 2, changed.Count);
    }

    [Fact]
    public void Temp_climb_goes_past_85_and_100_c_then_stops_60_c_up()
    {
        _faulty.On(FaultNames.TempClimb);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var stats = _faulty.Flat("stats");
        Assert.True(Number(stats, "STATS[CTA0].Ambient Avg") >= 8500);
        Assert.True(Enumerable.Range(0, 8).All(c => Number(stats, $"STATS[CTA0].CoreTemp{c}") >= 10000));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.InRange(Number(_faulty.Flat("stats"), "STATS[CTA1].Ambient Avg") - Number(_healthy.Flat("stats"), "STATS[CTA1].Ambient Avg"), 5999, 6001);
    }

    [Fact]
    public void Die_inactive_loses_the_last_die_of_board_cta1()
    {
        _faulty.On(FaultNames.DieInactive);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var stats = _faulty.Flat("stats");
        var healthy = _healthy.Flat("stats");
        Assert.Equal("8", stats["STATS[CTA1].Dies"]);
        Assert.Equal("7", stats["STATS[CTA1].DiesActive"]);
        Assert.Equal("0:00000000000000000000000000000000", Value(stats, "STATS[CTA1].Asic1Core3"));
        Assert.NotEqual(healthy["STATS[CTA1].Asic1Core3"], stats["STATS[CTA1].Asic1Core3"]);
        Assert.Equal(healthy["STATS[CTA1].Asic1Core2"], stats["STATS[CTA1].Asic1Core2"]);
        Assert.Equal("0", stats["STATS[CTA1].Core7 hashrate"]);
        Assert.NotEqual("0", stats["STATS[CTA1].Core6 hashrate"]);
        Assert.InRange(Number(_faulty.Flat("devs"), "DEVS[1].MHS 5s") / Number(_healthy.Flat("devs"), "DEVS[1].MHS 5s"), 0.874, 0.876);
        Assert.DoesNotContain(Changed(), k => IsDevice(k, 0) || IsBoard(k, 0));
    }

    [Fact]
    public void Pool_dead_kills_pool_0_and_moves_the_shares_to_pool_1()
    {
        _faulty.On(FaultNames.PoolDead);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var pools = _faulty.Flat("pools");
        Assert.Equal("Dead", Value(pools, "POOLS[0].Status"));
        Assert.Equal("false", pools["POOLS[0].Stratum Active"]);
        Assert.Equal("", Value(pools, "POOLS[0].Stratum URL"));
        Assert.Equal("true", pools["POOLS[1].Stratum Active"]);
        Assert.True(Number(pools, "POOLS[1].Accepted") > 0);
        Assert.Equal("1", _faulty.Flat("devs")["DEVS[0].Last Share Pool"]);
        Assert.Equal(_healthy.Flat("summary")["SUMMARY[0].Accepted"], _faulty.Flat("summary")["SUMMARY[0].Accepted"]);
        Assert.DoesNotContain(Changed(), k => IsBoard(k, 0) || IsBoard(k, 1));
    }

    [Theory]
    [InlineData(FaultNames.AsicSick)]
    [InlineData(FaultNames.AsicDead)]
    [InlineData(FaultNames.AsicDisabled)]
    [InlineData(FaultNames.HighRejects)]
    [InlineData(FaultNames.TempClimb)]
    [InlineData(FaultNames.DieInactive)]
    [InlineData(FaultNames.PoolDead)]
    public void A_miner_fault_changes_something_and_switched_off_leaves_no_trace(string fault)
    {
        _faulty.On(fault);
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.NotEmpty(Changed());

        _faulty.Faults.Off(fault);

        Assert.Empty(Changed());
    }

    [Theory]
    [InlineData(FaultNames.Refuse)]
    [InlineData(FaultNames.Slow)]
    [InlineData(FaultNames.Hang)]
    [InlineData(FaultNames.Truncated)]
    [InlineData(FaultNames.InvalidJson)]
    [InlineData(FaultNames.NoNul)]
    public void Api_faults_leave_the_miner_values_alone(string fault)
    {
        _faulty.On(fault);
        _clock.Advance(TimeSpan.FromMinutes(3));

        Assert.Empty(Changed());
    }

    [Fact]
    public void Brace_quirk_joins_the_stats_objects_without_commas()
    {
        _faulty.On(FaultNames.BraceQuirk);

        var quirky = _faulty.Text("""{"command":"stats"}""");
        var normal = _healthy.Text("""{"command":"stats"}""");

        Assert.Equal(3, quirky.Split("}{\"STATS\":").Length - 1);
        Assert.DoesNotContain("},{\"STATS\":", quirky, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(quirky));
        Assert.Equal(normal, quirky.Replace("}{", "},{", StringComparison.Ordinal));
        Assert.Equal(_healthy.Text("""{"command":"devs"}"""), _faulty.Text("""{"command":"devs"}"""));
        Assert.Equal(_healthy.Text("stats"), _faulty.Text("stats"));
        Assert.Contains("\"estats\":[{\"STATUS\":[{", _faulty.Text("""{"command":"summary+estats"}"""), StringComparison.Ordinal);
        Assert.Contains("}{\"STATS\":1,", _faulty.Text("""{"command":"summary+estats"}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_keeps_the_first_half_without_the_nul()
    {
        var reply = _healthy.Reply("summary").Bytes;
        _faulty.On(FaultNames.Truncated);

        var sent = ApiFaultPlan.For(_faulty.Faults.Snapshot()).ShapeReply(reply).ToArray();

        Assert.Equal(reply[..((reply.Length - 1) / 2)], sent);
    }

    [Fact]
    public void Invalid_json_is_half_a_reply_then_garbage_with_a_nul()
    {
        var reply = _healthy.Reply("""{"command":"summary"}""").Bytes;
        _faulty.On(FaultNames.InvalidJson);

        var sent = ApiFaultPlan.For(_faulty.Faults.Snapshot()).ShapeReply(reply).ToArray();

        Assert.Equal(0, sent[^1]);
        Assert.Equal(reply[..((reply.Length - 1) / 2)], sent[..((reply.Length - 1) / 2)]);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(sent.AsMemory(0, sent.Length - 1)));
    }

    [Fact]
    public void No_nul_drops_only_the_nul()
    {
        var reply = _healthy.Reply("""{"command":"summary"}""").Bytes;
        _faulty.On(FaultNames.NoNul);

        var sent = ApiFaultPlan.For(_faulty.Faults.Snapshot()).ShapeReply(reply).ToArray();

        Assert.Equal(reply[..^1], sent);
        Assert.Equal(11, JsonDocument.Parse(Encoding.UTF8.GetString(sent)).RootElement.GetProperty("STATUS")[0].GetProperty("Code").GetInt32());
    }

    [Fact]
    public void Slow_waits_10_s_unless_told_otherwise()
    {
        var faults = new FaultSet();
        faults.On(FaultNames.Slow, _clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(10), ApiFaultPlan.For(faults.Snapshot()).Delay);

        faults.On(FaultNames.Slow, _clock.GetUtcNow(), TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), ApiFaultPlan.For(faults.Snapshot()).Delay);
        Assert.Throws<ArgumentException>(() => faults.On("smoke", _clock.GetUtcNow()));
    }
}
