using System.Text;
using System.Text.Json.Nodes;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.State;
using Psistats.Aggregator.Storage;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator;

public sealed class HostStateStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static FrameEnvelope Envelope(string json)
    {
        Assert.Equal(FrameRejection.None, FrameEnvelope.TryParse(Encoding.UTF8.GetBytes(json), 65536, out var envelope, out _));
        return envelope!;
    }

    private static FrameEnvelope Cpu(string host, double cpu, double timestamp = 0) =>
        Envelope($$"""{"hostname":"{{host}}","reporter":"cpu","timestamp":{{timestamp}},"interval":2,"seq":1,"cpu":{{cpu}},"cpu_cores":[{{cpu}}]}""");

    private static (HostStateStore Store, CapturingLoggerProvider Logs) NewStore(double downAfter = 30)
    {
        var logs = new CapturingLoggerProvider();
        return (new HostStateStore(new AggregatorOptions { DownAfter = TimeSpan.FromSeconds(downAfter) }, logs.CreateLogger<HostStateStore>()), logs);
    }

    [Fact]
    public void A_first_frame_makes_the_host_up_with_its_values()
    {
        var (store, _) = NewStore();

        var e = store.Apply(Cpu("web01", 12.5), T0);
        Assert.Null(store.Apply(Envelope("""{"hostname":"web01","reporter":"mem","timestamp":1,"interval":2,"mem":40.0}"""), T0.AddSeconds(1)));

        var host = Assert.Single(store.Hosts(T0.AddSeconds(3)));
        Assert.Equal("up", host.State);
        Assert.Equal(T0.AddSeconds(1), host.LastSeen);
        Assert.Equal(2.0, host.LastSeenAgeSeconds);
        Assert.Equal(12.5, host.Values["cpu"]!.GetValue<double>());
        Assert.Equal(40.0, host.Values["mem"]!.GetValue<double>());
        Assert.False(host.Values.ContainsKey("hostname"));
        Assert.False(host.Values.ContainsKey("seq"));
        Assert.Equal(["cpu", "mem"], host.Reporters.Keys);
        Assert.NotNull(e);
        Assert.Equal((HostEventKinds.Up, "web01", (double?)null), (e.Kind, e.Host, e.DowntimeSeconds));
    }

    [Fact]
    public void Liveness_uses_the_receive_time_never_the_agents_clock()
    {
        var (store, _) = NewStore(downAfter: 30);
        // The agent's clock is a day behind: the frame must still count as fresh.
        store.Apply(Cpu("skewed", 1, timestamp: (T0.AddDays(-1)).ToUnixTimeSeconds()), T0);

        Assert.Empty(store.CheckDown(T0.AddSeconds(29)));
        var host = store.Host("skewed", T0.AddSeconds(1))!;
        Assert.Equal("up", host.State);
        Assert.Equal(86400.0, host.Reporters["cpu"].ClockOffsetSeconds);
    }

    [Fact]
    public void Silent_hosts_go_down_after_down_after_and_come_back_up_with_the_downtime()
    {
        var (store, logs) = NewStore(downAfter: 30);
        store.Apply(Cpu("web01", 1), T0);
        store.Apply(Cpu("db01", 1), T0.AddSeconds(20));

        Assert.Empty(store.CheckDown(T0.AddSeconds(30)));
        var down = Assert.Single(store.CheckDown(T0.AddSeconds(31)));
        Assert.Equal(("web01", HostEventKinds.Down), (down.Host, down.Kind));
        Assert.Empty(store.CheckDown(T0.AddSeconds(40)));
        Assert.Equal("down", store.Host("web01", T0.AddSeconds(40))!.State);
        Assert.Equal(T0.AddSeconds(31), store.Host("web01", T0.AddSeconds(40))!.DownSince);
        Assert.Equal("up", store.Host("db01", T0.AddSeconds(40))!.State);

        var up = store.Apply(Cpu("web01", 2), T0.AddSeconds(95));

        Assert.NotNull(up);
        Assert.Equal((HostEventKinds.Up, 95.0, T0), (up.Kind, up.DowntimeSeconds, up.LastSeen));
        Assert.Equal(T0, down.LastSeen);
        Assert.Contains("1 min 35 s", up.Message, StringComparison.Ordinal);
        Assert.Equal("up", store.Host("web01", T0.AddSeconds(95))!.State);
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning: DOWN web01", StringComparison.Ordinal));
    }

    [Fact]
    public void A_frame_read_in_place_is_copied_so_the_host_keeps_its_values_after_the_delivery_is_gone()
    {
        var (store, _) = NewStore();
        var first = Encoding.UTF8.GetBytes("""{"hostname":"web01","reporter":"cpu","timestamp":100,"interval":2,"cpu":12.5,"cpu_cores":[12.5]}""");
        Assert.Equal(FrameRejection.None, FrameEnvelope.TryParseInPlace(first, 65536, out var parsed, out _));
        using (parsed)
        {
            store.Apply(parsed!.Envelope, T0);
        }

        Array.Fill(first, (byte)' '); // the client reuses the delivery's buffer
        var host = store.Host("web01", T0.AddSeconds(1))!;
        Assert.Equal(12.5, host.Values["cpu"]!.GetValue<double>());
        Assert.Equal(2, host.Reporters["cpu"].Interval);
        Assert.Equal(T0.ToUnixTimeSeconds() - 100.0, host.Reporters["cpu"].ClockOffsetSeconds);

        // A longer, then a much shorter frame of the same reporter: each served whole, nothing of the one before left over.
        var longer = Encoding.UTF8.GetBytes($$"""{"hostname":"web01","reporter":"cpu","cpu":50,"cpu_cores":[{{string.Join(',', Enumerable.Repeat("50", 64))}}]}""");
        Assert.Equal(FrameRejection.None, FrameEnvelope.TryParseInPlace(longer, 65536, out var second, out _));
        using (second)
        {
            store.Apply(second!.Envelope, T0.AddSeconds(2));
        }

        Assert.Equal(64, store.Host("web01", T0.AddSeconds(2))!.Values["cpu_cores"]!.AsArray().Count);
        store.Apply(Cpu("web01", 3), T0.AddSeconds(3)); // a copied envelope (no Utf8): serialized
        var last = store.Host("web01", T0.AddSeconds(3))!;
        Assert.Equal(3.0, last.Values["cpu"]!.GetValue<double>());
        Assert.Single(last.Values["cpu_cores"]!.AsArray());
    }

    [Fact]
    public void After_a_rebase_silence_counts_from_it_and_last_seen_is_unchanged()
    {
        var (store, _) = NewStore(downAfter: 30);
        store.Apply(Cpu("web01", 1), T0);
        store.Apply(Cpu("db01", 1), T0);
        Assert.Equal(2, store.CheckDown(T0.AddSeconds(31)).Count);
        store.Apply(Cpu("db01", 1), T0.AddSeconds(40)); // db01 UP again
        store.Apply(Cpu("app01", 1), T0.AddSeconds(50));

        // The aggregator was blind from 60 s to 100 s: app01 (last frame 50 s) and db01 (40 s) are not DOWN at 100 s.
        store.Rebase(T0.AddSeconds(100));
        Assert.Empty(store.CheckDown(T0.AddSeconds(100)));
        Assert.Empty(store.CheckDown(T0.AddSeconds(130)));
        store.Apply(Cpu("app01", 1), T0.AddSeconds(120));

        var down = Assert.Single(store.CheckDown(T0.AddSeconds(131)));
        Assert.Equal("db01", down.Host);
        Assert.Contains("no frame for 1 min 31 s", down.Message, StringComparison.Ordinal); // from its real last frame
        Assert.Equal(T0.AddSeconds(40), store.Host("db01", T0.AddSeconds(131))!.LastSeen);
        Assert.Equal("down", store.Host("web01", T0.AddSeconds(131))!.State); // DOWN before the rebase: stays DOWN
        Assert.Equal(T0.AddSeconds(31), store.Host("web01", T0.AddSeconds(131))!.DownSince);
        Assert.Single(store.CheckDown(T0.AddSeconds(151))); // app01, 30 s after its frame at 120 s
    }

    [Fact]
    public void Reporters_go_stale_after_stale_factor_intervals()
    {
        var (store, _) = NewStore();
        store.Apply(Cpu("web01", 1), T0);

        Assert.False(store.Host("web01", T0.AddSeconds(6))!.Reporters["cpu"].Stale);
        Assert.True(store.Host("web01", T0.AddSeconds(6.5))!.Reporters["cpu"].Stale);
    }

    [Fact]
    public void Redelivered_frames_do_no_harm_and_hostnames_are_case_insensitive()
    {
        var (store, _) = NewStore();
        Assert.NotNull(store.Apply(Cpu("Web01", 1), T0));
        Assert.Null(store.Apply(Cpu("web01", 1), T0));
        Assert.Null(store.Apply(Cpu("WEB01", 3), T0.AddSeconds(1)));

        var host = Assert.Single(store.Hosts(T0.AddSeconds(1)));
        Assert.Equal(3.0, host.Values["cpu"]!.GetValue<double>());
    }

    [Fact]
    public void Changed_hosts_are_handed_out_once_for_the_batched_save()
    {
        var (store, _) = NewStore(downAfter: 1);
        store.Apply(Cpu("h1", 1), T0);
        store.Apply(Cpu("h2", 1), T0);
        store.Apply(Cpu("h1", 1), T0.AddSeconds(0.5));

        var changed = store.TakeChanged().OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(["h1", "h2"], changed.Select(h => h.Name));
        Assert.Equal(T0.AddSeconds(0.5), changed[0].LastSeen);
        Assert.Empty(store.TakeChanged());

        store.CheckDown(T0.AddSeconds(5));
        Assert.All(store.TakeChanged(), h => Assert.Equal(T0.AddSeconds(5), h.DownSince));
    }

    [Fact]
    public void Restored_hosts_are_timed_from_the_restart_and_down_hosts_stay_down()
    {
        var (store, _) = NewStore(downAfter: 30);
        var restart = T0.AddHours(1);
        store.Restore(new StoredHost("quiet", T0, T0.AddMinutes(1), null), restart);
        store.Restore(new StoredHost("gone", T0, T0.AddMinutes(1), T0.AddMinutes(2)), restart);

        Assert.Empty(store.CheckDown(restart.AddSeconds(30)));
        Assert.Equal("down", store.Host("gone", restart)!.State);
        Assert.Equal("quiet", Assert.Single(store.CheckDown(restart.AddSeconds(31))).Host);
        var up = store.Apply(Cpu("gone", 1), restart.AddSeconds(40));
        Assert.Equal(HostEventKinds.Up, up!.Kind);
    }

    [Theory]
    [InlineData(5.0, "5.0 s")]
    [InlineData(95.0, "1 min 35 s")]
    [InlineData(7325.0, "2 h 2 min")]
    public void Durations_read_like_a_person_would_write_them(double seconds, string text) =>
        Assert.Equal(text, HostStateStore.FormatDuration(seconds));

    [Fact]
    public void Values_of_unknown_reporters_are_served_as_they_came()
    {
        var (store, _) = NewStore();
        store.Apply(Envelope("""{"hostname":"m1","reporter":"cgminer","timestamp":1,"api_ok":false,"error":"timeout"}"""), T0);

        var host = store.Host("m1", T0)!;
        Assert.False(host.Values["api_ok"]!.GetValue<bool>());
        Assert.Equal("timeout", ((JsonObject)host.Reporters["cgminer"].Frame)["error"]!.GetValue<string>());
    }
}
