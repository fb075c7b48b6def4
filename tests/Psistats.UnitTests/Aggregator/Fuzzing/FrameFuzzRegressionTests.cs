namespace Psistats.UnitTests.Aggregator.Fuzzing;

/// <summary>
/// The counter-examples of <see cref="FrameFuzzTests"/>, as the fuzzer printed them or cut down by hand to what still fails,
/// in the fuzzer's format and replayed the same way. Each says the defect it showed when it was found (where it threw).
/// </summary>
public sealed class FrameFuzzRegressionTests
{
    /// <summary>
    /// Gaps (seconds of ticks after each frame, comma-separated), then the frames' JSON text: each frame received and the API
    /// served, the gap ticked, the API served again at the end (<see cref="AggregatorBed.Replay(IReadOnlyList{string}, IReadOnlyList{int}, FuzzCoverage?)"/>).
    /// </summary>
    [Theory]
    // interval beyond double (+Infinity): TimeSpan.FromSeconds overflows in HostStateStore.Snapshot (staleAfter, /api/hosts) and AlertEngine.Tick (stale limit).
    [InlineData("0", """{"hostname":"web01","reporter":"cpu","timestamp":0,"interval":1e400,"seq":1,"cpu":5,"cpu_cores":[5]}""")]
    // interval -Infinity: AlertEngine.Tick overflows; /api/hosts cannot write the interval -Infinity (ArgumentException).
    [InlineData("0", """{"hostname":"web01","reporter":"cpu","timestamp":0,"interval":-1e400,"seq":1,"cpu":5,"cpu_cores":[5]}""")]
    // finite intervals whose stale_factor multiple is beyond TimeSpan: same overflows as +Infinity.
    [InlineData("0", """{"hostname":"web01","reporter":"cpu","timestamp":0,"interval":1e300,"seq":1,"cpu":5,"cpu_cores":[5]}""")]
    [InlineData("0", """{"hostname":"web01","reporter":"cpu","timestamp":0,"interval":4e11,"seq":1,"cpu":5,"cpu_cores":[5]}""")]
    // negative: only AlertEngine.Tick (the limit is computed before the interval is checked to be positive).
    [InlineData("0", """{"hostname":"web01","reporter":"cpu","timestamp":0,"interval":-4e11,"seq":1,"cpu":5,"cpu_cores":[5]}""")]
    // timestamp -Infinity: clock_offset_seconds is +Infinity, which /api/hosts cannot write (ArgumentException).
    [InlineData("0", """{"hostname":"web01","reporter":"cpu","timestamp":-1e400,"interval":2,"seq":1,"cpu":5,"cpu_cores":[5]}""")]
    [InlineData("0", """{"hostname":"web01","reporter":"cpu","timestamp":1e400,"interval":2,"seq":1,"cpu":5,"cpu_cores":[5]}""")]
    // a lone surrogate in a value no rule reads: /api/hosts and /api/hosts/{host} throw (HostStateStore.Snapshot, values).
    [InlineData("0", """{"hostname":"web01","reporter":"os","timestamp":0,"interval":600,"seq":1,"os":"Debian","os_name":"\udc00x","os_id":"debian","kernel":"6.1.0-18-amd64","arch":"x86_64"}""")]
    // a lone surrogate in a member name deep in a frame: /api/hosts throws when it writes the frame.
    [InlineData("0", """{"hostname":"web01","reporter":"hddspace","timestamp":0,"interval":60,"seq":1,"hddspace":{},"filesystems":{},"filesystem_errors":{"\ud800":"x"},"filesystems_skipped":{}}""")]
    // a lone surrogate in a top-level member name: AlertPipeline.OnFrame throws (PathResolver.TryRoot), then /api/hosts (Snapshot, property.Name).
    [InlineData("0", """{"hostname":"web01","reporter":"load","timestamp":0,"interval":5,"seq":1,"\udc00":1,"load1":0.5}""")]
    // a lone surrogate in a string a rule compares (cointerra_asic_status asc[*].Status): AlertPipeline.OnFrame throws (Condition / AlertEngine.Text).
    [InlineData("0", """{"hostname":"terra01","reporter":"cgminer","timestamp":0,"interval":30,"seq":1,"api_ok":true,"asc":[{"ASC":0,"Name":"CTA","ID":0,"Enabled":"Y","Status":"\udc00x"}]}""")]
    // a lone surrogate in a name a wildcard binds (a diskio device): AlertPipeline.OnFrame throws (PathResolver.Walk).
    [InlineData("0", """{"hostname":"web01","reporter":"diskio","timestamp":0,"interval":5,"seq":1,"diskio":{"\udc00x":{"%util":99}}}""")]
    // a lone surrogate in a die name of a Cointerra board: AlertPipeline.OnFrame throws (AlertEngine.TakeBaseline, cointerra_dies_lost).
    [InlineData("0", """{"hostname":"terra01","reporter":"cgminer","timestamp":0,"interval":30,"seq":1,"api_ok":true,"boards":[{"ID":"CTA0","Dies":4,"DiesActive":4,"live_engines":{"\ud800":16}}]}""")]
    // a field nested 62 deep: accepted by the consumer (its parser allows 64), but /api/hosts nests it deeper than 64 and throws.
    [InlineData("0", """{"hostname":"web01","reporter":"cpu","timestamp":0,"interval":2,"seq":1,"cpu":5,"cpu_cores":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}""")]
    // two error polls of the miner terra01 (max_errors 2) carrying a lone surrogate: the remediation's bundle cannot be written (RemediationBundle.WriteFrame).
    [InlineData("0,0",
        """{"hostname":"terra01","reporter":"cgminer","timestamp":0,"interval":30,"seq":1,"api_ok":true,"api_description":"\udc00x","asc":[{"ASC":0,"Name":"CTA","ID":0,"Enabled":"Y","Status":"Sick"}]}""",
        """{"hostname":"terra01","reporter":"cgminer","timestamp":0,"interval":30,"seq":2,"api_ok":true,"api_description":"\udc00x","asc":[{"ASC":0,"Name":"CTA","ID":0,"Enabled":"Y","Status":"Sick"}]}""")]
    // a clean poll carrying a lone surrogate, then two error polls: the remediation's report cannot write the last good frame.
    [InlineData("0,0,0",
        """{"hostname":"terra01","reporter":"cgminer","timestamp":0,"interval":30,"seq":1,"api_ok":true,"api_description":"\udc00x","asc":[{"ASC":0,"Name":"CTA","ID":0,"Enabled":"Y","Status":"Alive"}]}""",
        """{"hostname":"terra01","reporter":"cgminer","timestamp":0,"interval":30,"seq":2,"api_ok":true,"asc":[{"ASC":0,"Name":"CTA","ID":0,"Enabled":"Y","Status":"Sick"}]}""",
        """{"hostname":"terra01","reporter":"cgminer","timestamp":0,"interval":30,"seq":3,"api_ok":true,"asc":[{"ASC":0,"Name":"CTA","ID":0,"Enabled":"Y","Status":"Sick"}]}""")]
    // as the fuzzer printed it (interval 9223372036854775807): HostStateStore.Snapshot and AlertEngine.Tick overflow.
    [InlineData("0", """{"hostname":"db01.example.com","reporter":"diskio","timestamp":0,"interval":9223372036854775807,"seq":7,"diskio":{"nvme0n1":{"tps":0,"r/s":0,"rkB/s":-1e-400,"rrqm/s":0,"%rrqm":0,"r_await":0,"rareq-sz":0,"w/s":0,"wkB/s":0,"wrqm/s":0,"%wrqm":0,"w_await":0,"wareq-sz":0,"d/s":0,"dkB/s":0,"drqm/s":0,"%drqm":0,"d_await":0,"dareq-sz":0,"f/s":0,"f_await":0,"aqu-sz":0,"%util":0},"sda":{"tps":0,"r/s":0,"rkB/s":0,"rrqm/s":0,"%rrqm":0,"r_await":0,"rareq-sz":0,"w/s":0,"wkB/s":0,"wrqm/s":0,"%wrqm":0,"w_await":0,"d/s":0,"dkB/s":0,"drqm/s":0,"%drqm":0,"d_await":0,"dareq-sz":0,"f/s":0,"f_await":0,"aqu-sz":0,"%util":0}}}""")]
    public void Replays_without_failures(string gaps, params string[] frames) =>
        AggregatorBed.Replay(frames, [.. gaps.Split(',').Select(g => int.Parse(g, System.Globalization.CultureInfo.InvariantCulture))]);

    /// <summary>A body (UTF-8 text, <c>\xHH</c> for a byte that is not UTF-8) is accepted, or rejected with a reason and a detail.</summary>
    [Theory]
    // a lone surrogate in hostname or reporter: FrameEnvelope.TryParseInPlace throws (NonEmptyString, GetString) instead of rejecting.
    [InlineData("""{"hostname":"\udc00x","reporter":"cpu","timestamp":0,"interval":2,"cpu":5,"cpu_cores":[5]}""")]
    [InlineData("""{"hostname":"web01","reporter":"\ud800","timestamp":0,"interval":2,"cpu":5,"cpu_cores":[5]}""")]
    // bytes that are not UTF-8 (a surrogate encoded in UTF-8) in hostname: the parser lets them through, GetString throws.
    [InlineData("""{"hostname":"web\xED\xA0\x80","reporter":"cpu","timestamp":0,"interval":2,"cpu":5,"cpu_cores":[5]}""")]
    // as the fuzzer printed it: a lone UTF-8 lead byte (\xC3) in hostname.
    [InlineData("""{"hostname":"terra0\xC32","reporter":"cpu","timestamp":0,"interval":2,"seq":1,"cpu":0,"cpu_cores":[0,0,0,0],"iowait":0,"steal":0}""")]
    public void Body_is_accepted_or_rejected_with_a_reason(string body) => FrameFuzzTests.AcceptedOrRejected(FuzzBody.Bytes(body));
}
