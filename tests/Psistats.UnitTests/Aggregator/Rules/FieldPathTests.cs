using System.Text.Json;
using System.Text.Json.Nodes;
using Psistats.Aggregator.Rules;

namespace Psistats.UnitTests.Aggregator.Rules;

public sealed class FieldPathTests
{
    private static FieldPath Parse(string text)
    {
        var path = FieldPath.TryParse(text, out var error);
        Assert.Null(error);
        return path!;
    }

    /// <summary>Every (instance, value) the path selects in the frame, resolved as the engine resolves it.</summary>
    private static List<(string Instance, string Value)> Resolve(string path, JsonNode frame, string reporter)
    {
        var parsed = Parse(path);
        var body = JsonDocument.Parse(frame.ToJsonString()).RootElement;
        if (!PathResolver.TryRoot(parsed, body, reporter, out var root))
        {
            return [];
        }

        var resolver = new PathResolver();
        var count = resolver.Collect(parsed, root);
        return [.. Enumerable.Range(0, count).Select(i => (resolver.Instance(i), resolver.Value(i).GetRawText()))];
    }

    [Theory]
    [InlineData("cpu", "Name:cpu")]
    [InlineData("diskio.*.%util", "Name:diskio Wildcard:* Name:%util")]
    [InlineData("asc[*].Device Rejected%", "Name:asc Wildcard:* Name:Device Rejected%")]
    [InlineData("boards[*].core_temps[*]", "Name:boards Wildcard:* Name:core_temps Wildcard:*")]
    [InlineData("boards[1].core_temps[3]", "Name:boards Index:1 Name:core_temps Index:3")]
    [InlineData("filesystems[\"/var/lib.d\"].pcent", "Name:filesystems Name:/var/lib.d Name:pcent")]
    [InlineData("a['x.y'][0]", "Name:a Name:x.y Index:0")]
    [InlineData("diskio.*.r/s", "Name:diskio Wildcard:* Name:r/s")]
    [InlineData("[*].value", "Wildcard:* Name:value")]
    [InlineData(" sensors[*]. temperatures [*].value ", "Name:sensors Wildcard:* Name:temperatures Wildcard:* Name:value")]
    public void Paths_parse_into_segments(string text, string expected)
    {
        var path = Parse(text);

        Assert.Equal(expected, string.Join(' ', path.Segments.Select(s => $"{s.Kind}:{s.Name}")));
    }

    [Fact]
    public void The_leaf_is_the_last_named_segment()
    {
        Assert.Equal("pcent", Parse("filesystems.*.pcent").Leaf);
        Assert.Equal("core_temps", Parse("boards[*].core_temps[*]").Leaf);
        Assert.Equal(1, Parse("filesystems.*.pcent").Wildcards);
        Assert.Equal(2, Parse("boards[*].core_temps[*]").Wildcards);
    }

    [Theory]
    [InlineData("", "bad path: it is empty")]
    [InlineData(".cpu", "bad path '.cpu': empty name before the '.' at position 1")]
    [InlineData("cpu.", "bad path 'cpu.': it ends with '.'")]
    [InlineData("a[*", "bad path 'a[*': '[' at position 2 is not closed")]
    [InlineData("a[x]", "bad path 'a[x]': '[x]' is not [*], [n] or [\"name\"]")]
    [InlineData("a[-1]", "bad path 'a[-1]': '[-1]' is not [*], [n] or [\"name\"]")]
    [InlineData("a]", "bad path 'a]': ']' at position 2 closes nothing")]
    [InlineData("a[0]b", "bad path 'a[0]b': expected '.' or '[' after ']' at position 4")]
    [InlineData("Fan*", "bad path 'Fan*': '*' must be a whole segment ('Fan*'); quote a name holding '*' as [\"Fan*\"]")]
    [InlineData("a[\"\"]", "bad path 'a[\"\"]': empty quoted name")]
    public void Bad_paths_say_why(string text, string error)
    {
        Assert.Null(FieldPath.TryParse(text, out var actual));
        Assert.Equal(error, actual);
    }

    [Fact]
    public void A_wildcard_over_a_map_binds_its_keys()
    {
        var frame = RuleFrames.FixtureHost("server-many-disks", "diskio");

        var found = Resolve("diskio.*.%util", frame, "diskio");

        Assert.Equal(["sda", "sdb", "sdc", "sdd", "md0", "dm-0"], found.Select(f => f.Instance).Take(6));
        Assert.All(found, f => Assert.Equal("0", f.Value));
    }

    [Fact]
    public void A_leading_wildcard_or_unknown_first_name_resolves_under_the_field_named_after_the_reporter()
    {
        var frame = RuleFrames.FixtureHost("intel-coretemp", "diskio");

        Assert.Equal(["nvme0n1", "sda"], Resolve("*.%util", frame, "diskio").Select(f => f.Instance));
        Assert.Equal([("", "0")], Resolve("sda.%util", frame, "diskio"));
        Assert.Empty(Resolve("*.%util", frame, "cpu"));
    }

    [Fact]
    public void Array_elements_are_named_by_ID_then_Name_plus_ID_then_name_then_label_then_index()
    {
        var frame = RuleFrames.Cointerra();

        Assert.Equal([("CTA0", "\"Alive\""), ("CTA1", "\"Alive\"")], Resolve("asc[*].Status", frame, "cgminer"));
        Assert.Equal(["CTA0", "CTA1"], Resolve("boards[*].avg_core_temp", frame, "cgminer").Select(f => f.Instance));
        var cores = Resolve("boards[*].core_temps[*]", frame, "cgminer");
        Assert.Equal(16, cores.Count);
        Assert.Equal(("CTA0/3", "57.53"), cores[3]);
        Assert.Equal("CTA1/7", cores[15].Instance);
        Assert.Equal(["POOL0", "POOL1"], Resolve("stats[*].ID", frame, "cgminer").Select(f => f.Instance));
        Assert.Equal([("1", "\"x\"")], Resolve("list[*]", JsonNode.Parse("""{"list":[null,"x"]}""")!, "r").Skip(1));
    }

    [Fact]
    public void Sensors_are_named_by_chip_name_and_label_and_repeated_names_get_their_index()
    {
        var frame = RuleFrames.FixtureHost("server-many-disks", "sensors");

        var found = Resolve("sensors[*].temperatures[*].value", frame, "sensors");

        Assert.Contains(("coretemp/Package id 0", "45"), found);
        Assert.Contains(("coretemp#1/Package id 1", "47"), found);
        Assert.Contains(("coretemp#1/Core 0", "44"), found);
        Assert.Equal(found.Count, found.Select(f => f.Instance).Distinct().Count());
    }

    [Fact]
    public void Indexes_select_one_element_without_binding_an_instance()
    {
        var frame = RuleFrames.Cointerra();

        Assert.Equal([("", "57.53")], Resolve("boards[0].core_temps[3]", frame, "cgminer"));
        Assert.Empty(Resolve("boards[5].core_temps[3]", frame, "cgminer"));
    }

    [Fact]
    public void A_frame_without_the_field_does_not_carry_the_path()
    {
        var frame = JsonDocument.Parse("""{"hostname":"t","reporter":"cgminer","api_ok":false,"asc":null}""").RootElement;

        Assert.False(PathResolver.TryRoot(Parse("asc[*].Status"), frame, "cgminer", out _));
        Assert.True(PathResolver.TryRoot(Parse("api_ok"), frame, "cgminer", out _));
        Assert.False(PathResolver.TryRoot(Parse("boards[*].avg_core_temp"), frame, "cgminer", out _));
    }

    [Fact]
    public void A_missing_leaf_yields_no_instance_and_a_null_leaf_yields_null()
    {
        var frame = JsonNode.Parse("""{"filesystems":{"/":{"pcent":50},"/boot":{"pcent":null},"/x":{}}}""")!;

        Assert.Equal([("/", "50"), ("/boot", "null")], Resolve("filesystems.*.pcent", frame, "hddspace"));
    }
}
