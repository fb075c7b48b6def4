using System.Text;
using System.Text.Json;
using Psistats.CgminerSimulator.Api;
using Psistats.CgminerSimulator.Faults;
using Psistats.CgminerSimulator.Miner;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Simulator;

/// <summary>A simulated miner on a fake clock, asked through its request dispatcher (no socket).</summary>
internal sealed class SimulatedMiner
{
    public SimulatedMiner(FakeTimeProvider? clock = null, long seed = 42, bool allowPrivileged = false)
    {
        Clock = clock ?? new FakeTimeProvider();
        Miner = new TerraMiner("rig1", seed, Clock);
        Api = new ApiDispatcher(Miner, Clock, allowPrivileged);
    }

    public FakeTimeProvider Clock { get; }

    public TerraMiner Miner { get; }

    public FaultSet Faults { get; } = new();

    public ApiDispatcher Api { get; }

    public void On(string fault, double? seconds = null) =>
        Faults.On(fault, Clock.GetUtcNow(), seconds is { } s ? TimeSpan.FromSeconds(s) : null);

    /// <summary>The reply to raw request bytes, with the faults now on.</summary>
    public ApiReply Reply(string request)
    {
        var faults = Faults.Snapshot();
        return Api.Handle(Encoding.UTF8.GetBytes(request), faults, ApiFaultPlan.For(faults).BraceQuirk);
    }

    /// <summary>The reply as text, checked to end with exactly one NUL (which is removed).</summary>
    public string Text(string request)
    {
        var bytes = Reply(request).Bytes;
        Assert.Equal(0, bytes[^1]);
        Assert.Equal(bytes.Length - 1, Array.IndexOf(bytes, (byte)0));
        return Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1);
    }

    /// <summary>The JSON reply to <c>{"command":C[,"parameter":P]}</c>, parsed.</summary>
    public JsonElement Json(string command, string? parameter = null) =>
        JsonDocument.Parse(Text(JsonRequest(command, parameter))).RootElement.Clone();

    public static string JsonRequest(string command, string? parameter = null) =>
        parameter is null ? $$"""{"command":"{{command}}"}""" : $$"""{"command":"{{command}}","parameter":"{{parameter}}"}""";

    /// <summary>
    /// The reply flattened to "SECTION[i].key" → raw JSON text; a STATS object is named by its ID ("STATS[CTA1].DiesActive").
    /// The STATUS is left out, so that replies compare on their data only.
    /// </summary>
    public Dictionary<string, string> Flat(string command, string? parameter = null)
    {
        var flat = new Dictionary<string, string>();
        foreach (var section in Json(command, parameter).EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array && p.Name != "STATUS"))
        {
            var i = 0;
            foreach (var item in section.Value.EnumerateArray())
            {
                var name = item.TryGetProperty("ID", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : (i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                foreach (var field in item.EnumerateObject())
                {
                    flat[$"{section.Name}[{name}].{field.Name}"] = field.Value.GetRawText();
                }

                i++;
            }
        }

        return flat;
    }

    /// <summary>Every report the faults can change, flattened together.</summary>
    public Dictionary<string, string> Everything() =>
        new[] { Flat("summary"), Flat("devs"), Flat("pools"), Flat("stats") }.SelectMany(d => d).ToDictionary();

    /// <summary>Keys whose values differ between two flattened replies.</summary>
    public static SortedSet<string> Differences(Dictionary<string, string> a, Dictionary<string, string> b) =>
        new(a.Keys.Union(b.Keys).Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k)), StringComparer.Ordinal);
}
