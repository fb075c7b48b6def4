using Microsoft.Extensions.Configuration;
using Psistats.Aggregator.Rules;
using Psistats.Contracts.Configuration;

namespace Psistats.UnitTests.Aggregator.Rules;

public sealed class ExternalAlertTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static AlertEngine Engine()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().Build());
        var rules = RuleSet.Read(reader, ["email"]);
        Assert.Empty(reader.Errors);
        return new AlertEngine(rules, 3);
    }

    private static AlertTransition Firing(string rule, string host) => new()
    {
        Key = new AlertKey(rule, host, ""),
        Severity = Severity.Critical,
        Kind = TransitionKinds.Firing,
        At = T0,
        Message = $"{host} {rule}: 4 reboots in 24 h",
        Alert = new ActiveAlert
        {
            Key = new AlertKey(rule, host, ""),
            Severity = Severity.Critical,
            State = AlertState.Firing,
            PendingSince = T0,
            FiringSince = T0,
            Summary = $"{host} {rule}: 4 reboots in 24 h, a person is needed",
            LastMatch = T0,
        },
    };

    [Fact]
    public void An_external_alert_is_listed_while_it_fires_and_gone_once_resolved()
    {
        var engine = Engine();
        engine.RecordExternal(Firing("remediation_max_reboots", "terra01"));

        var alert = Assert.Single(engine.Active());
        Assert.Equal(("remediation_max_reboots", "terra01", AlertState.Firing), (alert.Key.Rule, alert.Key.Host, alert.State));
        Assert.Equal("terra01 remediation_max_reboots: 4 reboots in 24 h, a person is needed", alert.Summary);

        engine.RecordExternal(Firing("remediation_max_reboots", "terra01") with { Kind = TransitionKinds.Resolved, Alert = null });
        Assert.Empty(engine.Active());
    }

    [Fact]
    public void A_firing_external_alert_survives_a_restart_and_frames_never_touch_it()
    {
        var engine = Engine();
        var stored = Firing("remediation_fleet_guard", "fleet").Alert!;

        Assert.Empty(engine.Restore([stored]));
        Assert.Same(FrameVerdict.Clean, engine.OnFrame(RuleFrames.Cpu("fleet", 5), T0.AddSeconds(5)));
        Assert.Equal(stored.Summary, Assert.Single(engine.Active()).Summary);
    }

    [Fact]
    public void Only_rules_of_kind_external_can_be_recorded()
    {
        var engine = Engine();
        Assert.Throws<ArgumentException>(() => engine.RecordExternal(Firing("disk_space", "web01")));
        Assert.Throws<ArgumentException>(() => engine.RecordExternal(Firing("no_such_rule", "web01")));
    }
}
