using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;

namespace Psistats.UnitTests.Aggregator.Notifications;

public sealed class SilenceStoreTests
{
    [Theory]
    [InlineData("*", "*", "*", "disk_space", "server1", "/var", true)]
    [InlineData("*", "*", "*", "host_down", "server1", "", true)]
    [InlineData("SERVER?", "disk_*", "*", "disk_space", "server1", "/var", true)]
    [InlineData("server1", "*", "/var", "disk_space", "server1", "/var/lib", false)]
    [InlineData("server1", "*", "/var*", "disk_space", "server1", "/var/lib", true)]
    [InlineData("miner*", "*", "*", "disk_space", "server1", "/var", false)]
    [InlineData("*", "asic_*", "?", "asic_status", "miner1", "12", false)]
    public void Silences_match_host_rule_and_instance_globs(string host, string rule, string instance, string aRule, string aHost, string aInstance, bool matches) =>
        Assert.Equal(matches, new SilenceSpec { Host = host, Rule = rule, Instance = instance, UntilResolved = true }.Matches(new AlertKey(aRule, aHost, aInstance)));

    [Fact]
    public void Added_silences_are_listed_match_until_they_end_and_can_be_removed()
    {
        using var bed = new NotificationBed();
        var key = new AlertKey("disk_space", "server1", "/var");
        var id = bed.Silences.Add(new SilenceSpec { Host = "server1", Until = bed.Now.AddHours(2), Comment = "swap" }, "alice", bed.Now);

        var listed = Assert.Single(bed.Silences.List(bed.Now));
        Assert.Equal((id, "alice", "swap", bed.Now), (listed.Id, listed.CreatedBy, listed.Spec.Comment, listed.CreatedAt));
        Assert.Equal(id, bed.Silences.Match(key, bed.Now)!.Id);
        Assert.True(bed.Silences.IsSilenced(key, bed.Now.AddHours(2).AddMilliseconds(-1)));
        Assert.False(bed.Silences.IsSilenced(key, bed.Now.AddHours(2)));
        Assert.Empty(bed.Silences.List(bed.Now.AddHours(2)));

        Assert.True(bed.Silences.Remove(id, bed.Now));
        Assert.False(bed.Silences.Remove(id, bed.Now));
        Assert.False(bed.Silences.IsSilenced(key, bed.Now));
        Assert.Equal("removed", Assert.Single(bed.Silences.List(bed.Now, includeEnded: true)).EndReason);
    }

    [Fact]
    public void Expired_silences_end_with_their_until_time()
    {
        using var bed = new NotificationBed();
        var until = bed.Now.AddMinutes(10);
        bed.Silences.Add(new SilenceSpec { Until = until }, null, bed.Now);

        Assert.Equal(0, bed.Silences.EndExpired(until.AddSeconds(-1)));
        Assert.Equal(1, bed.Silences.EndExpired(until.AddHours(1)));

        var ended = Assert.Single(bed.Silences.List(bed.Now, includeEnded: true));
        Assert.Equal(("expired", until), (ended.EndReason, ended.EndedAt));
    }

    [Theory]
    [InlineData(null, false, "a silence needs an end")]
    [InlineData(-60.0, false, "until 2025-12-31T23:59:00Z is not in the future")]
    public void A_silence_without_a_future_end_is_refused(double? untilSeconds, bool untilResolved, string message)
    {
        using var bed = new NotificationBed();
        var spec = new SilenceSpec { Until = untilSeconds is { } s ? bed.Now.AddSeconds(s) : null, UntilResolved = untilResolved };

        var error = Assert.Throws<ArgumentException>(() => bed.Silences.Add(spec, null, bed.Now));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_silence_with_a_control_character_in_a_glob_is_refused()
    {
        using var bed = new NotificationBed();

        Assert.Throws<ArgumentException>(() => bed.Silences.Add(new SilenceSpec { Host = "a\r\nb", UntilResolved = true }, null, bed.Now));
    }

    [Fact]
    public void File_silences_are_upserted_by_name_and_an_ended_unchanged_one_stays_ended()
    {
        using var bed = new NotificationBed();
        var swap = new SilenceSpec { Name = "swap", Host = "server1", UntilResolved = true };
        var other = new SilenceSpec { Name = "other", Host = "server2", Until = bed.Now.AddDays(1) };
        bed.Silences.LoadConfigured([swap, other], bed.Now);
        var firing = NotificationBed.Firing(host: "server1");
        bed.Commit(firing);
        bed.Commit(NotificationBed.Resolved(firing, bed.Now.AddMinutes(1)));
        Assert.Equal(["other"], bed.Silences.List(bed.Now).Select(s => s.Spec.Name));

        // A restart with the same file: the resolved silence stays ended.
        bed.Silences.LoadConfigured([swap, other], bed.Now);
        Assert.Equal(["other"], bed.Silences.List(bed.Now).Select(s => s.Spec.Name));

        // Changed in the file: active again, same id. Gone from the file: ended.
        var firstId = bed.Silences.List(bed.Now, includeEnded: true).Single(s => s.Spec.Name == "swap").Id;
        bed.Silences.LoadConfigured([swap with { Comment = "again" }], bed.Now);
        var active = Assert.Single(bed.Silences.List(bed.Now));
        Assert.Equal(("swap", firstId, "file"), (active.Spec.Name, active.Id, active.CreatedBy));
        Assert.Equal("removed", bed.Silences.List(bed.Now, includeEnded: true).Single(s => s.Spec.Name == "other").EndReason);
    }

    [Fact]
    public void Api_silences_are_kept_when_the_file_is_loaded()
    {
        using var bed = new NotificationBed();
        bed.Silences.Add(new SilenceSpec { Host = "x", UntilResolved = true }, "api", bed.Now);

        bed.Silences.LoadConfigured([], bed.Now);

        Assert.Single(bed.Silences.List(bed.Now));
    }
}
