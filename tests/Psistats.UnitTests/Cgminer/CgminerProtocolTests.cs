using System.Text;
using System.Text.Json;
using Psistats.Agent.Cgminer;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Cgminer;

public sealed class CgminerProtocolTests
{
    private static byte[] Fixture(string relative) => File.ReadAllBytes(RepoPaths.Fixture("cgminer", relative));

    /// <summary>Parses a fixture as the client does: terminated when it ends with the NUL.</summary>
    private static CgminerResult ParseFixture(string relative, string command = "x")
    {
        var bytes = Fixture(relative);
        return CgminerProtocol.Parse(command, null, bytes, terminated: bytes.Length > 0 && bytes[^1] == 0);
    }

    private static CgminerResult ParseText(string text, bool terminated = true) =>
        CgminerProtocol.Parse("summary", null, Encoding.UTF8.GetBytes(text), terminated);

    [Fact]
    public void The_request_is_one_json_object_with_the_parameter_only_when_given()
    {
        Assert.Equal("""{"command":"asc","parameter":"1"}""", Encoding.UTF8.GetString(CgminerProtocol.JsonRequest("asc", "1")));
        Assert.Equal("""{"command":"summary"}""", Encoding.UTF8.GetString(CgminerProtocol.JsonRequest("summary", null)));
    }

    [Fact]
    public void A_reply_has_its_status_and_sections_and_the_nul_is_stripped()
    {
        var result = ParseFixture("cointerra-4.3.5/summary.reply");

        Assert.Null(result.Error);
        var reply = result.Reply!;
        Assert.Equal(new CgminerStatus("S", 1404921632, 11, "Summary", "cgminer 4.3.5"), reply.Status);
        Assert.Equal(["SUMMARY"], reply.Sections.Keys);
        Assert.Equal(2053411.63, reply.Section("SUMMARY")[0].GetProperty("MHS av").GetDouble());
        Assert.Empty(reply.Section("POOLS"));
    }

    [Fact]
    public void Every_fixture_of_the_cointerra_set_parses()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Fixture("cgminer", "cointerra-4.3.5")))
        {
            var result = ParseFixture(Path.Combine("cointerra-4.3.5", Path.GetFileName(file)));

            Assert.True(result.Reply is not null, $"{file}: {result.Error}");
            Assert.Equal("cgminer 4.3.5", result.Reply.Status.Description);
        }
    }

    [Fact]
    public void A_reply_without_its_nul_is_complete_when_its_json_is()
    {
        var result = ParseFixture("quirks/no-nul-summary.reply");

        Assert.Null(result.Error);
        Assert.Equal(97213, result.Reply!.Section("SUMMARY")[0].GetProperty("Elapsed").GetInt64());
    }

    [Fact]
    public void A_reply_cut_before_its_nul_is_truncated()
    {
        var error = ParseFixture("quirks/truncated-stats.reply", "stats").Error!;

        Assert.Equal(CgminerErrorKind.Truncated, error.Kind);
        Assert.Equal("stats", error.Command);
        Assert.StartsWith("the connection closed before the end of the reply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_brace_quirk_between_stats_entries_is_repaired()
    {
        var raw = Fixture("antminer-s9/stats.reply");
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(raw.AsMemory(0, raw.Length - 1)).Dispose());

        var reply = CgminerProtocol.Parse("stats", null, raw, terminated: true).Reply!;

        var stats = reply.Section("STATS");
        Assert.Equal(2, stats.Count);
        Assert.Equal("Antminer S9", stats[0].GetProperty("Type").GetString());
        Assert.Equal("BC50", stats[1].GetProperty("ID").GetString());
    }

    [Theory]
    [InlineData("""{"STATUS":[{"STATUS":"S","Msg":"a }{ b"}],"X":[{"s":"}{"}{"t":"\"}{"}]}""", 2, "a }{ b")]
    [InlineData("{\"STATUS\":[{\"STATUS\":\"S\",\"Msg\":\"m\"}],\"X\":[{\"a\":1} {\"b\":2}\r\n{\"c\":3}]}", 3, "m")]
    public void Braces_inside_strings_are_left_alone_and_whitespace_between_objects_is_allowed(string json, int entries, string msg)
    {
        var reply = ParseText(json).Reply!;

        Assert.Equal(entries, reply.Section("X").Count);
        Assert.Equal(msg, reply.Status.Msg);
    }

    [Fact]
    public void Nuls_anywhere_are_stripped()
    {
        var reply = ParseText("{\"STATUS\":[{\"STATUS\":\"S\"}]\0,\"SUMMARY\":[{\"Elapsed\":5}],\0\"id\":1}\0").Reply!;

        Assert.Equal(5, reply.Section("SUMMARY")[0].GetProperty("Elapsed").GetInt32());
    }

    [Theory]
    [InlineData("quirks/invalid-command.reply", 14, "Invalid command", "E")]
    [InlineData("quirks/access-denied.reply", 45, "Access denied to 'restart' command", "E")]
    public void Status_e_is_an_error_with_its_code_and_message(string fixture, long code, string message, string status)
    {
        var error = ParseFixture(fixture, "restart").Error!;

        Assert.Equal((CgminerErrorKind.StatusError, code, message, status), (error.Kind, error.Code, error.Message, error.Status));
    }

    [Fact]
    public void Status_f_is_an_error_and_w_and_i_are_replies()
    {
        Assert.Equal(CgminerErrorKind.StatusError, ParseText("""{"STATUS":[{"STATUS":"F","Code":-1,"Msg":"999"}]}""").Error!.Kind);
        Assert.Equal("W", ParseText("""{"STATUS":[{"STATUS":"W","Code":4,"Msg":"must be restarted"}]}""").Reply!.Status.Status);
        Assert.Equal("I", ParseText("""{"STATUS":[{"STATUS":"I","Code":49,"Msg":"already enabled"}]}""").Reply!.Status.Status);
    }

    [Theory]
    [InlineData("not json at all\0", CgminerErrorKind.BadJson)]
    [InlineData("{\"STATUS\":[{\"STATUS\":\"S\"}],\0", CgminerErrorKind.BadJson)]
    [InlineData("{\"SUMMARY\":[{\"Elapsed\":1}]}\0", CgminerErrorKind.BadJson)]
    [InlineData("[1,2,3]\0", CgminerErrorKind.BadJson)]
    [InlineData("\0", CgminerErrorKind.BadJson)]
    public void Unusable_replies_are_bad_json(string reply, CgminerErrorKind kind) =>
        Assert.Equal(kind, ParseText(reply.TrimEnd('\0'), terminated: reply.EndsWith('\0')).Error!.Kind);

    [Fact]
    public void A_close_without_a_byte_is_empty()
    {
        var error = CgminerProtocol.Parse("summary", null, [], terminated: false).Error!;

        Assert.Equal(CgminerErrorKind.Empty, error.Kind);
        Assert.Contains("--api-allow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_become_replacement_characters()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"STATUS\":[{\"STATUS\":\"S\"}],\"POOLS\":[{\"User\":\"w\u00e9\"}]}").ToList();
        bytes[bytes.IndexOf(0xC3)] = 0xE9; // Latin-1 é in place of the UTF-8 pair's first byte

        var reply = CgminerProtocol.Parse("pools", null, bytes.ToArray(), terminated: false).Reply!;

        Assert.StartsWith("w\uFFFD", reply.Section("POOLS")[0].GetProperty("User").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"STATUS":[{"STATUS":"S"}],"POOLS":[{"User":"\ud800"}]}""")]
    [InlineData("""{"STATUS":[{"STATUS":"S"}],"POOLS":[{"\udfff":1}]}""")]
    public void An_escape_that_is_not_text_is_bad_json_not_a_crash_later(string json) =>
        Assert.Equal(CgminerErrorKind.BadJson, ParseText(json).Error!.Kind);

    [Fact]
    public void Nesting_deeper_than_the_limit_is_bad_json_not_a_crash()
    {
        var deep = "{\"STATUS\":[{\"STATUS\":\"S\"}],\"X\":[{\"v\":" + new string('[', 100) + new string(']', 100) + "}]}";

        var error = ParseText(deep).Error!;

        Assert.Equal(CgminerErrorKind.BadJson, error.Kind);
    }

    [Fact]
    public void The_text_format_gives_the_same_sections_with_string_values()
    {
        var text = ParseFixture("quirks/text-summary.reply").Reply!;
        var json = ParseFixture("cointerra-4.3.5/summary.reply").Reply!;

        Assert.Equal(json.Status, text.Status);
        var fromText = text.Section("SUMMARY")[0];
        var fromJson = json.Section("SUMMARY")[0];
        Assert.Equal(fromJson.EnumerateObject().Select(p => p.Name), fromText.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2053411.63", fromText.GetProperty("MHS av").GetString());
    }

    [Fact]
    public void The_text_format_unescapes_and_keeps_one_section_over_several_records()
    {
        var reply = ParseText("STATUS=S,When=1,Code=7,Msg=2 Pool(s),Description=cgminer 4.3.5|POOLS,POOL=0,URL=a\\,b\\=c\\|d\\\\e|POOL=1,URL=x|").Reply!;

        var pools = reply.Section("POOLS");
        Assert.Equal(2, pools.Count);
        Assert.Equal("a,b=c|d\\e", pools[0].GetProperty("URL").GetString());
        Assert.Equal("1", pools[1].GetProperty("POOL").GetString());
    }

    [Fact]
    public void A_text_reply_cut_before_its_last_bar_is_truncated_and_its_errors_are_status_errors()
    {
        Assert.Equal(CgminerErrorKind.Truncated, ParseText("STATUS=S,When=1,Code=11,Msg=Summary|SUMMARY,Elapsed=1", terminated: false).Error!.Kind);
        var error = ParseText("STATUS=E,When=1,Code=14,Msg=Invalid command|").Error!;
        Assert.Equal((CgminerErrorKind.StatusError, 14L), (error.Kind, error.Code));
    }
}
