using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Psistats.TestSupport;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Psistats.IntegrationTests;

/// <summary>
/// Thousands of mutated frames published to a running aggregator through the broker, as an outsider's fuzzer would: every one
/// is accepted or dead-lettered with a counted reason, the aggregator keeps running, and every API route still answers 200.
/// (The in-process property tests of the same path run thousands more cases: tests/Psistats.UnitTests/Aggregator/Fuzzing.)
/// </summary>
public sealed class FrameFuzzTests(ITestOutputHelper output)
{
    private const int Frames = 2000;

    /// <summary>Values a field is replaced with: extreme and non-finite numbers, broken text, deep nesting, wrong types.</summary>
    private static readonly string[] Nasty =
    [
        "1e400", "-1e400", "1e300", "-1e308", "4e11", "-1", "0", "1e-400", "123456789012345678901234567890", "-0.0",
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"\\udc00x\"", "\"\\ud800\"", "\"\\u001b[2J\\r\\nFAKE\"", "null", "true", "[]", "{}",
        "\"\"", "\"x\"", new string('[', 60) + new string(']', 60), "[" + string.Join(',', Enumerable.Repeat("1e400", 50)) + "]",
        "\"" + new string('a', 100_000) + "\"", "{\"a\":{\"b\":{\"c\":[1,{\"d\":\"\\udfff\"}]}}}",
    ];

    private static readonly string[] Templates =
    [
        """{"hostname":"H","reporter":"cpu","timestamp":T,"interval":2,"seq":S,"cpu":12.5,"cpu_cores":[10,15],"iowait":1,"steal":0}""",
        """{"hostname":"H","reporter":"mem","timestamp":T,"interval":2,"seq":S,"mem":40.2,"mem_total":2107518976,"mem_available":1178025984}""",
        """{"hostname":"H","reporter":"uptime","timestamp":T,"interval":60,"seq":S,"uptime":480.07}""",
        """{"hostname":"H","reporter":"load","timestamp":T,"interval":5,"seq":S,"load1":0.5,"load5":0.4,"load15":0.3}""",
        """{"hostname":"H","reporter":"hddspace","timestamp":T,"interval":60,"seq":S,"hddspace":{"/":{"size":1000,"used":950,"avail":50,"pcent":95,"ipcent":3}}}""",
        """{"hostname":"H","reporter":"diskio","timestamp":T,"interval":5,"seq":S,"diskio":{"sda":{"r/s":1,"w/s":2,"%util":99.5,"r_await":1,"w_await":2}}}""",
        """{"hostname":"H","reporter":"cgminer","timestamp":T,"interval":30,"seq":S,"api_ok":true,"summary":{"MHS 5s":4500000,"MHS av":4400000,"Hardware Errors":3},"boards":[{"name":"CTA0","ambient":30,"core_temps":[70,71],"dies":8,"dies_active":8}],"pools":[{"url":"x","status":"Alive"}]}""",
    ];

    [Fact]
    public async Task Thousands_of_mutated_frames_are_each_accepted_or_dead_lettered_and_every_route_still_answers()
    {
        await using var scenario = new Scenario();
        var aggregator = await scenario.StartAggregatorAsync();
        var random = new Random(1208);
        output.WriteLine("seed 1208");

        await using (var connection = await Broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            for (var i = 0; i < Frames; i++)
            {
                var host = random.Next(8) == 0 ? "fuzz\u001b[31m" + (i % 5) : $"fuzz{random.Next(40)}";
                await channel.BasicPublishAsync(scenario.Exchange, $"{scenario.Prefix}.fuzz.x", mandatory: true, new BasicProperties(),
                    Encoding.UTF8.GetBytes(Mutate(random, host, i + 1)));
            }
        }

        var health = await Eventually.ValueAsync(async () =>
        {
            var node = await scenario.GetJsonAsync("/healthz");
            var accepted = node!["frames_accepted"]!.GetValue<long>() + node["frames_replayed"]!.GetValue<long>();
            var rejected = node["frames_rejected"]!.AsObject().Sum(r => r.Value!.GetValue<long>());
            return accepted + rejected >= Frames ? node : null;
        }, TimeSpan.FromSeconds(120), "every fuzzed frame accepted or rejected");
        output.WriteLine(health!.ToJsonString());

        var rejectedCount = health["frames_rejected"]!.AsObject().Sum(r => r.Value!.GetValue<long>());
        Assert.Equal(Frames, health["frames_accepted"]!.GetValue<long>() + health["frames_replayed"]!.GetValue<long>() + rejectedCount);
        Assert.False(health["frames_rejected"]!.AsObject().ContainsKey("internal_error"), $"a frame broke the pipeline: {health}");
        Assert.True(rejectedCount > 0 && health["frames_accepted"]!.GetValue<long>() > 0, "the mutations should be mixed");
        Assert.Equal(0, health["tick_failures"]!.GetValue<long>());
        await Eventually.ValueAsync(async () => await Broker.MessageCountAsync($"{scenario.Prefix}.aggregator.rejected") >= rejectedCount ? "all" : null, TimeSpan.FromSeconds(30),
            $"{rejectedCount} frames in the dead-letter queue");

        // Let the periodic checks run over the stored values, then ask every route.
        await Task.Delay(TimeSpan.FromSeconds(2));
        try
        {
            await AskEveryRouteAsync(scenario);
        }
        finally
        {
            output.WriteLine(string.Join('\n', aggregator.Lines.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase)).Take(40)));
        }

        Assert.False(aggregator.HasExited, aggregator.Output);
    }

    private static async Task AskEveryRouteAsync(Scenario scenario)
    {
        var hosts = (await scenario.GetJsonAsync("/api/hosts"))!.AsArray().Select(h => h!["hostname"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(hosts);
        var routes = new List<string> { "/api/hosts", "/api/alerts", "/api/events?limit=10000", "/api/downtimes", "/api/miners", "/api/rules", "/api/silences", "/healthz" };
        routes.AddRange(hosts.Select(h => $"/api/hosts/{Uri.EscapeDataString(h)}"));
        foreach (var route in routes)
        {
            var response = await scenario.Http.GetAsync(route);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            _ = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A frame of a random template with one to three fields (envelope included) replaced by a nasty value, or its text cut.</summary>
    private static string Mutate(Random random, string host, int seq)
    {
        var json = Templates[random.Next(Templates.Length)]
            .Replace("\"H\"", System.Text.Json.JsonSerializer.Serialize(host), StringComparison.Ordinal)
            .Replace("\"timestamp\":T", "\"timestamp\":" + (1_795_290_000 + seq).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("\"seq\":S", $"\"seq\":{seq}", StringComparison.Ordinal);
        var mutations = random.Next(0, 4);
        for (var m = 0; m < mutations; m++)
        {
            // Replace the value after a random "key": with a nasty one (values end at the next , or } at the same nesting, roughly).
            var keys = System.Text.RegularExpressions.Regex.Matches(json, "\"[^\"]+\":(\"[^\"]*\"|[-0-9.e]+|true|false|null)");
            if (keys.Count == 0)
            {
                break;
            }

            var pick = keys[random.Next(keys.Count)];
            var colon = pick.Value.IndexOf("\":", StringComparison.Ordinal) + 2;
            json = string.Concat(json.AsSpan(0, pick.Index + colon), Nasty[random.Next(Nasty.Length)], json.AsSpan(pick.Index + pick.Length));
        }

        return random.Next(50) == 0 ? json[..random.Next(1, json.Length)] : json;
    }
}
