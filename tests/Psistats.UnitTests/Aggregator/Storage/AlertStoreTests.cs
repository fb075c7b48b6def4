using Psistats.Aggregator.Rules;
using Psistats.Aggregator.Storage;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Storage;

public sealed class AlertStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static AlertTransition Firing(string host, string instance, DateTimeOffset at) => new()
    {
        Key = new AlertKey("disk_space", host, instance),
        Severity = Severity.Warning,
        Kind = TransitionKinds.Firing,
        At = at,
        Value = "93",
        Threshold = "> 90",
        Message = $"{host} disk_space {instance}: pcent 93 > 90",
        FiringSince = at,
        Alert = new ActiveAlert
        {
            Key = new AlertKey("disk_space", host, instance),
            Severity = Severity.Warning,
            State = AlertState.Firing,
            PendingSince = at.AddSeconds(-10),
            FiringSince = at,
            Value = "93",
            Threshold = "> 90",
            Summary = "pcent 93 > 90",
            Matches = 3,
            LastMatch = at,
        },
    };

    private static AlertTransition Resolved(AlertTransition firing, DateTimeOffset at) => firing with
    {
        Kind = TransitionKinds.Resolved,
        At = at,
        Value = "80",
        Duration = at - firing.At,
        Alert = null,
    };

    [Fact]
    public void Firing_alerts_survive_reopening_the_database_and_resolved_ones_are_gone()
    {
        using (var db = new StateDatabase(_dir.Path))
        {
            var store = new AlertStore(db);
            var a = Firing("web01", "/var", T0);
            db.Write((c, tx) => AlertStore.ApplyTransition(c, tx, a));
            db.Write((c, tx) => AlertStore.ApplyTransition(c, tx, Firing("web01", "/home", T0)));
            db.Write((c, tx) => AlertStore.ApplyTransition(c, tx, Resolved(a, T0.AddMinutes(5))));
        }

        using (var db = new StateDatabase(_dir.Path))
        {
            var store = new AlertStore(db);
            var alert = Assert.Single(store.LoadAlerts());
            Assert.Equal(new AlertKey("disk_space", "web01", "/home"), alert.Key);
            Assert.Equal((AlertState.Firing, Severity.Warning, 3, T0.AddSeconds(-10)), (alert.State, alert.Severity, alert.Matches, alert.PendingSince));
            var events = store.Events(new EventQuery());
            Assert.Equal(["firing", "firing", "resolved"], events.Select(e => e.Kind));
            Assert.Equal("{\"duration_seconds\":300}", events[2].Details);
        }
    }

    [Fact]
    public void Events_filter_by_host_rule_severity_kind_time_and_page_by_id()
    {
        using var db = new StateDatabase(_dir.Path);
        var store = new AlertStore(db);
        for (var i = 0; i < 6; i++)
        {
            var host = i % 2 == 0 ? "web01" : "DB01";
            db.Write((c, tx) => AlertStore.ApplyTransition(c, tx, Firing(host, $"/d{i}", T0.AddMinutes(i))));
        }

        db.Write((c, tx) => AlertStore.AddEvent(c, tx, new StoredEvent { Time = T0.AddMinutes(10), Host = "db01", Kind = "DOWN", Message = "db01 is DOWN" }));

        Assert.Equal(3, store.Events(new EventQuery { Host = "WEB01" }).Count);
        Assert.Equal(4, store.Events(new EventQuery { Host = "db01" }).Count);
        Assert.Single(store.Events(new EventQuery { Kind = "down" }));
        Assert.Equal(6, store.Events(new EventQuery { Rule = "disk_space", Severity = "WARNING" }).Count);
        Assert.Empty(store.Events(new EventQuery { Severity = "error" }));
        var window = store.Events(new EventQuery { Since = T0.AddMinutes(2), Until = T0.AddMinutes(4) });
        Assert.Equal(["/d2", "/d3"], window.Select(e => e.Instance));
        var newest = store.Events(new EventQuery { Limit = 2 });
        Assert.Equal(["/d5", null], newest.Select(e => e.Instance));
        Assert.Equal(2, store.Events(new EventQuery { AfterId = newest[0].Id - 1 }).Count);
    }

    [Fact]
    public void Downtimes_open_at_the_last_frame_and_close_with_their_length()
    {
        using var db = new StateDatabase(_dir.Path);
        var store = new AlertStore(db);
        db.Write((c, tx) =>
        {
            AlertStore.OpenDowntime(c, tx, "web01", T0, T0.AddSeconds(31));
            AlertStore.OpenDowntime(c, tx, "db01", T0.AddSeconds(100), T0.AddSeconds(131));
            return 0;
        });
        db.Write((c, tx) =>
        {
            AlertStore.CloseDowntime(c, tx, "web01", T0.AddSeconds(95));
            return 0;
        });

        var now = T0.AddSeconds(200);
        var all = store.Downtimes(null, currentOnly: false, 100, now);
        Assert.Equal(["db01", "web01"], all.Select(d => d.Host));
        Assert.Equal((true, 100.0, (DateTimeOffset?)null), (all[0].Current, all[0].LengthSeconds, all[0].EndedAt));
        Assert.Equal((false, 95.0, (DateTimeOffset?)T0.AddSeconds(95)), (all[1].Current, all[1].LengthSeconds, all[1].EndedAt));
        Assert.Equal("db01", Assert.Single(store.Downtimes(null, currentOnly: true, 100, now)).Host);
        Assert.Equal("web01", Assert.Single(store.Downtimes("WEB01", currentOnly: false, 100, now)).Host);
    }

    [Fact]
    public void Hosts_are_upserted_keeping_the_first_first_seen_and_the_last_last_seen()
    {
        using var db = new StateDatabase(_dir.Path);
        var store = new AlertStore(db);
        store.SaveHosts([new StoredHost("web01", T0, T0.AddSeconds(10), null)]);
        store.SaveHosts([new StoredHost("web01", T0.AddSeconds(5), T0.AddSeconds(8), T0.AddSeconds(40)), new StoredHost("db01", T0, T0, null)]);

        var hosts = store.LoadHosts();
        Assert.Equal(["db01", "web01"], hosts.Select(h => h.Name));
        Assert.Equal(new StoredHost("web01", T0, T0.AddSeconds(10), T0.AddSeconds(40)), hosts[1]);
    }

    [Fact]
    public void Pruning_keeps_the_newest_events()
    {
        using var db = new StateDatabase(_dir.Path);
        var store = new AlertStore(db);
        for (var i = 0; i < 12; i++)
        {
            db.Write((c, tx) => AlertStore.AddEvent(c, tx, new StoredEvent { Time = T0.AddSeconds(i), Host = $"h{i}", Kind = "UP", Message = "up" }));
        }

        Assert.Equal(7, store.PruneEvents(5));
        Assert.Equal(["h7", "h8", "h9", "h10", "h11"], store.Events(new EventQuery()).Select(e => e.Host));
        Assert.Equal(0, store.PruneEvents(5));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_clear_error()
    {
        File.WriteAllText(Path.Combine(_dir.Path, StateDatabase.FileName), "this is not SQLite, just text long enough to fill a header page");
        var ex = Assert.ThrowsAny<Exception>(() => new AlertStore(new StateDatabase(_dir.Path)));
        Assert.Contains("not a database", ex.Message, StringComparison.OrdinalIgnoreCase);
    }
}
