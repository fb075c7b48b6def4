using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;
using Psistats.UnitTests.Aggregator.Rules;

namespace Psistats.UnitTests.Aggregator.Fuzzing;

/// <summary>One valid frame that the fuzzer mutates.</summary>
/// <param name="Name">Where it comes from, e.g. <c>intel-coretemp/sensors</c>.</param>
/// <param name="Reporter">Its reporter.</param>
/// <param name="Json">Its JSON text.</param>
internal sealed record FrameTemplate(string Name, string Reporter, string Json)
{
    private readonly Lazy<JsonTree.Obj> _tree = new(() => (JsonTree.Obj)JsonTree.Parse(Json));

    /// <summary>A fresh copy of the frame's tree, to mutate.</summary>
    public JsonTree.Obj Tree() => (JsonTree.Obj)_tree.Value.Copy();
}

/// <summary>
/// Valid frames of every reporter: the agent's own output where the repository has it (the <c>--once</c> golden files of two
/// fixture hosts, the cgminer frame the agent makes of the captured TerraMiner replies), the contract records serialised by
/// the agent's serialiser for ipaddr and hddspace (their values depend on the machine, so no golden file holds them).
/// </summary>
internal static class FrameTemplates
{
    /// <summary>Every template; the order is fixed so that a seed reproduces.</summary>
    public static IReadOnlyList<FrameTemplate> All { get; } = Load();

    /// <summary>The agent's Cointerra frame, with the fake miner's random port replaced so that the templates are the same on every run.</summary>
    private static JsonObject Cointerra()
    {
        var frame = RuleFrames.Cointerra();
        frame["api_endpoint"] = "terra01.example.org:4028";
        return frame;
    }

    private static List<FrameTemplate> Load()
    {
        var templates = new List<FrameTemplate>();
        foreach (var host in new[] { "intel-coretemp", "raspberry-pi" })
        {
            foreach (var line in File.ReadAllLines(RepoPaths.Fixture("hosts", host, "expected-once.jsonl")))
            {
                var reporter = ReporterOf(line);
                templates.Add(new FrameTemplate($"{host}/{reporter}", reporter, line));
            }
        }

        templates.Add(Record(new IpAddrFrame
        {
            Hostname = "web01",
            Timestamp = 1767225600.25,
            Interval = 60,
            Seq = 7,
            IpAddr = ["192.0.2.10", "2001:db8::10"],
            Interfaces = new Dictionary<string, InterfaceAddresses>
            {
                ["eth0"] = new() { IPv4 = ["192.0.2.10"], IPv6 = ["2001:db8::10", "fe80::1"] },
                ["wg0"] = new() { IPv4 = ["10.8.0.1"] },
            },
        }));
        templates.Add(Record(new HddSpaceFrame
        {
            Hostname = "web01",
            Timestamp = 1767225600.5,
            Interval = 60,
            Seq = 8,
            HddSpace = new Dictionary<string, int?> { ["/"] = 42, ["/var"] = 93, ["/boot/efi"] = null },
            FileSystems = new Dictionary<string, FileSystemSpace>
            {
                ["/"] = new() { Source = "/dev/sda1", FsType = "ext4", Size = 100_000_000_000, Used = 42_000_000_000, Available = 58_000_000_000, PercentUsed = 42, InodesTotal = 6_000_000, InodesUsed = 300_000, InodesFree = 5_700_000, InodesPercentUsed = 5 },
                ["/var"] = new() { Source = "/dev/sda2", FsType = "xfs", Size = 50_000_000_000, Used = 46_500_000_000, Available = 3_500_000_000, PercentUsed = 93, InodesTotal = 1_000_000, InodesUsed = 950_000, InodesFree = 50_000, InodesPercentUsed = 95 },
                ["/boot/efi"] = new() { Source = "/dev/sda15", FsType = "vfat", Size = 0, Used = 0, Available = 0 },
            },
            Errors = new Dictionary<string, string> { ["/mnt/nfs"] = "no answer within statvfs_timeout" },
            Skipped = new Dictionary<string, int> { ["type"] = 21, ["remote"] = 1 },
        }));

        templates.Add(new FrameTemplate("cointerra/poll", "cgminer", Cointerra().ToJsonString()));
        // An ASIC gone Sick: an error poll, so that the miner watch counts polls and starts remediations.
        var sick = Cointerra();
        sick["asc"]![1]!["Status"] = "Sick";
        templates.Add(new FrameTemplate("cointerra/asic-sick", "cgminer", sick.ToJsonString()));
        // The same miner when its API does not answer: what a proxy agent publishes then (sections null, the error set).
        var silent = Cointerra();
        silent["api_ok"] = false;
        silent["error"] = new JsonObject { ["command"] = "summary", ["kind"] = "timeout", ["message"] = "no reply within 5 s" };
        foreach (var section in new[] { "asc_count", "asc", "coin", "pools", "summary", "boards", "stats", "devs" })
        {
            silent[section] = null;
        }

        templates.Add(new FrameTemplate("cointerra/api-down", "cgminer", silent.ToJsonString()));
        return templates;
    }

    private static FrameTemplate Record(Frame frame)
    {
        var json = Encoding.UTF8.GetString(FrameSerializer.ToUtf8(frame));
        return new FrameTemplate($"record/{frame.Reporter}", frame.Reporter, json);
    }

    private static string ReporterOf(string json) =>
        ((JsonTree.Obj)JsonTree.Parse(json)).Members.Single(m => m.Name == "reporter").Value is JsonTree.Raw raw
            ? JsonSerializer.Deserialize<string>(raw.Text)!
            : throw new InvalidDataException($"no reporter in {json}");
}
