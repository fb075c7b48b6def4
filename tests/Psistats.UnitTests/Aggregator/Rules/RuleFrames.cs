using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Psistats.Agent.Cgminer;
using Psistats.Aggregator.Rules;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;
using Psistats.UnitTests.Cgminer;

namespace Psistats.UnitTests.Aggregator.Rules;

/// <summary>Frames and rule sets for the rules tests: real agent frames where they exist, crafted ones where a fault is needed.</summary>
internal static class RuleFrames
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<string> CointerraJson = new(PollCointerra);

    public static FrameEnvelope Envelope(string json)
    {
        Assert.Equal(FrameRejection.None, FrameEnvelope.TryParse(Encoding.UTF8.GetBytes(json), 1 << 20, out var envelope, out var detail));
        Assert.Null(detail);
        return envelope!;
    }

    public static FrameEnvelope Envelope(JsonNode node) => Envelope(node.ToJsonString());

    /// <summary>
    /// The cgminer frame the agent makes of the captured TerraMiner replies (tests/fixtures/cgminer/cointerra-4.3.5: two
    /// ASICs Alive, boards CTA0 and CTA1 with every die alive), hostname terra01.
    /// </summary>
    public static JsonObject Cointerra() => JsonNode.Parse(CointerraJson.Value)!.AsObject();

    /// <summary>The frame of <paramref name="reporter"/> in the fixture host's expected-once.jsonl (the agent's --once output).</summary>
    public static JsonObject FixtureHost(string host, string reporter)
    {
        var lines = File.ReadAllLines(RepoPaths.Fixture("hosts", host, "expected-once.jsonl"));
        return lines.Select(l => JsonNode.Parse(l)!.AsObject()).Single(o => (string?)o["reporter"] == reporter);
    }

    /// <summary>A diskio frame of <paramref name="host"/> with these devices and %util values (the other columns 0).</summary>
    public static FrameEnvelope DiskIo(string host, params (string Device, double Util)[] devices)
    {
        var diskio = new JsonObject();
        foreach (var (device, util) in devices)
        {
            diskio[device] = new JsonObject { ["tps"] = 0, ["r/s"] = 0, ["w/s"] = 0, ["r_await"] = 1.5, ["aqu-sz"] = 0, ["%util"] = util };
        }

        return Envelope(new JsonObject
        {
            ["hostname"] = host, ["reporter"] = "diskio", ["timestamp"] = 0, ["interval"] = 5, ["seq"] = 1, ["diskio"] = diskio,
        });
    }

    /// <summary>An hddspace frame of <paramref name="host"/> with these mount points and Use% (IUse% 1).</summary>
    public static FrameEnvelope HddSpace(string host, params (string Mount, int? Pcent)[] filesystems)
    {
        var fs = new JsonObject();
        var hddspace = new JsonObject();
        foreach (var (mount, pcent) in filesystems)
        {
            fs[mount] = new JsonObject
            {
                ["source"] = "/dev/sda1", ["fstype"] = "ext4", ["size"] = 1000, ["used"] = pcent * 10, ["avail"] = 1000 - (pcent * 10),
                ["pcent"] = pcent, ["itotal"] = 100, ["iused"] = 1, ["iavail"] = 99, ["ipcent"] = 1,
            };
            hddspace[mount] = pcent;
        }

        return Envelope(new JsonObject
        {
            ["hostname"] = host, ["reporter"] = "hddspace", ["timestamp"] = 0, ["interval"] = 60, ["seq"] = 1,
            ["hddspace"] = hddspace, ["filesystems"] = fs, ["filesystem_errors"] = new JsonObject(), ["filesystems_skipped"] = new JsonObject(),
        });
    }

    /// <summary>A cpu frame (reporter cpu, interval 2 s).</summary>
    public static FrameEnvelope Cpu(string host, double cpu, double interval = 2) =>
        Envelope($$"""{"hostname":"{{host}}","reporter":"cpu","timestamp":0,"interval":{{interval}},"seq":1,"cpu":{{cpu}},"cpu_cores":[{{cpu}}]}""");

    /// <summary>A frame of any reporter with the given body fields.</summary>
    public static FrameEnvelope Frame(string host, string reporter, string fields, double interval = 5) =>
        Envelope($$"""{"hostname":"{{host}}","reporter":"{{reporter}}","timestamp":0,"interval":{{interval}},"seq":1,{{fields}}}""");

    /// <summary>The rules of an INI text (plus the built-ins); the reader holds any errors.</summary>
    public static (RuleSet Rules, SettingsReader Reader) Read(string ini, params string[] notifiers)
    {
        var configuration = new ConfigurationBuilder().AddIniStream(new MemoryStream(Encoding.UTF8.GetBytes(ini))).Build();
        var reader = new SettingsReader(configuration);
        return (RuleSet.Read(reader, notifiers), reader);
    }

    /// <summary>The rules of an INI text that must be valid.</summary>
    public static RuleSet Valid(string ini, params string[] notifiers)
    {
        var (rules, reader) = Read(ini, notifiers);
        Assert.Equal([], reader.Errors.Select(e => e.ToString()));
        return rules;
    }

    /// <summary>The errors of an INI text, as <c>[section] key: message</c>.</summary>
    public static string[] Errors(string ini, params string[] notifiers) =>
        [.. Read(ini, notifiers).Reader.Errors.Select(e => e.ToString())];

    private static string PollCointerra()
    {
        return Task.Run(async () =>
        {
            await using var miner = FakeMiner.Cointerra();
            var options = new CgminerOptions { Name = "terra01", Host = "127.0.0.1", Port = miner.Port, Hostname = "terra01" };
            var reading = await new CgminerReporter(options, TimeProvider.System).ReadAsync(CancellationToken.None);
            // The envelope as the agent's scheduler stamps it.
            var frame = reading.Frame! with { Hostname = options.Hostname, Timestamp = 1404921632, Interval = options.Interval.TotalSeconds, Seq = 41 };
            return Encoding.UTF8.GetString(FrameSerializer.ToUtf8(frame));
        }).GetAwaiter().GetResult();
    }
}
