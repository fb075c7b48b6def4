using System.Text.Json;
using Psistats.CgminerSimulator.Api;

namespace Psistats.UnitTests.Simulator;

/// <summary>Request parsing and reply framing: text and JSON, joined commands, errors and privileged commands, as api.c answers them.</summary>
public sealed class ApiProtocolTests
{
    private readonly SimulatedMiner _miner = new();

    public ApiProtocolTests() => _miner.Clock.Advance(TimeSpan.FromMinutes(5));

    private long When => _miner.Clock.GetUtcNow().ToUnixTimeSeconds();

    private static JsonElement Status(JsonElement reply) => reply.GetProperty("STATUS")[0];

    [Fact]
    public void A_text_request_gets_a_text_reply()
    {
        var text = _miner.Text("summary");

        Assert.StartsWith($"STATUS=S,When={When},Code=11,Msg=Summary,Description=cgminer 4.3.5|SUMMARY,Elapsed=300,MHS av=", text, StringComparison.Ordinal);
        Assert.EndsWith("|", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Count(c => c == '|'));
    }

    [Fact]
    public void A_text_list_has_one_record_per_bar_without_a_section_header()
    {
        var text = _miner.Text("devs");

        var records = text.Split('|', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, records.Length);
        Assert.StartsWith("STATUS=S,", records[0], StringComparison.Ordinal);
        Assert.StartsWith("ASC=0,Name=CTA,ID=0,Enabled=Y,Status=Alive,", records[1], StringComparison.Ordinal);
        Assert.StartsWith("ASC=1,Name=CTA,ID=1,", records[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_parameter_follows_the_bar()
    {
        Assert.Contains("|ASC=1,Name=CTA,", _miner.Text("asc|1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_escapes_the_separators_in_user_supplied_values()
    {
        Assert.Equal(@"a\,b\|c\=d\\e", ApiReplyWriter.EscapeText(@"a,b|c=d\e"));
    }

    [Theory]
    [InlineData("""{"command":"asc","parameter":"1"}""")]
    [InlineData("""{"command":"asc","parameter":1}""")]
    [InlineData("""{"parameter":"1","command":"asc"}""")]
    public void A_json_parameter_may_be_a_string_or_a_number(string request)
    {
        var reply = JsonDocument.Parse(_miner.Text(request)).RootElement;

        Assert.Equal("ASC1", Status(reply).GetProperty("Msg").GetString());
        Assert.Equal(1, reply.GetProperty("ASC")[0].GetProperty("ID").GetInt32());
    }

    [Fact]
    public void Joined_json_commands_each_sit_under_their_name()
    {
        var reply = JsonDocument.Parse(_miner.Text("""{"command":"summary+pools"}""")).RootElement;

        Assert.Equal(["summary", "pools", "id"], reply.EnumerateObject().Select(p => p.Name));
        var summary = reply.GetProperty("summary")[0];
        Assert.Equal(11, Status(summary).GetProperty("Code").GetInt32());
        Assert.Equal(300, summary.GetProperty("SUMMARY")[0].GetProperty("Elapsed").GetInt32());
        Assert.Equal(1, summary.GetProperty("id").GetInt32());
        Assert.Equal(2, reply.GetProperty("pools")[0].GetProperty("POOLS").GetArrayLength());
    }

    [Fact]
    public void Joined_text_commands_are_each_introduced_by_cmd()
    {
        var text = _miner.Text("summary+asccount");

        Assert.StartsWith("CMD=summary|STATUS=S,", text, StringComparison.Ordinal);
        Assert.Contains("|CMD=asccount|STATUS=S,", text, StringComparison.Ordinal);
        Assert.EndsWith("|ASCS,Count=2|", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_join_skips_repeats_and_refuses_what_cannot_be_joined()
    {
        var reply = JsonDocument.Parse(_miner.Text("""{"command":"summary+asc+summary+restart+nope+"}""")).RootElement;

        Assert.Equal(["summary", "asc", "restart", "nope", "id"], reply.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Access denied to 'asc' command", Status(reply.GetProperty("asc")[0]).GetProperty("Msg").GetString());
        Assert.Equal(45, Status(reply.GetProperty("restart")[0]).GetProperty("Code").GetInt32());
        Assert.Equal(14, Status(reply.GetProperty("nope")[0]).GetProperty("Code").GetInt32());
    }

    [Theory]
    [InlineData("""{"command":"hashrate"}""", 14, "Invalid command")]
    [InlineData("""{"command":"summary "}""", 14, "Invalid command")]
    [InlineData("""{"command":7}""", 14, "Invalid command")]
    [InlineData("{\"command\":\"summary\"", 23, "Invalid JSON")]
    [InlineData("""{"cmd":"summary"}""", 24, "Missing JSON 'command'")]
    [InlineData("""{"command":"asc"}""", 15, "Missing device id parameter")]
    [InlineData("""{"command":"asc","parameter":"2"}""", 107, "Invalid ASC id 2 - range is 0 - 1")]
    [InlineData("""{"command":"check"}""", 71, "Missing check cmd")]
    public void Bad_requests_get_status_e_with_cgminers_code(string request, int code, string msg)
    {
        var reply = JsonDocument.Parse(_miner.Text(request)).RootElement;

        Assert.Equal(["STATUS", "id"], reply.EnumerateObject().Select(p => p.Name));
        Assert.Equal("E", Status(reply).GetProperty("STATUS").GetString());
        Assert.Equal(code, Status(reply).GetProperty("Code").GetInt32());
        Assert.Equal(msg, Status(reply).GetProperty("Msg").GetString());
    }

    [Fact]
    public void A_text_command_is_not_trimmed()
    {
        Assert.StartsWith("STATUS=E,", _miner.Text("summary\n"), StringComparison.Ordinal);
        Assert.Contains("Code=14,Msg=Invalid command", _miner.Text("summary\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("restart")]
    [InlineData("quit")]
    [InlineData("privileged")]
    public void Privileged_commands_are_denied_by_default(string command)
    {
        var reply = _miner.Reply(SimulatedMiner.JsonRequest(command));
        var status = Status(JsonDocument.Parse(reply.Bytes.AsMemory(0, reply.Bytes.Length - 1)).RootElement);

        Assert.Equal("E", status.GetProperty("STATUS").GetString());
        Assert.Equal(45, status.GetProperty("Code").GetInt32());
        Assert.Equal($"Access denied to '{command}' command", status.GetProperty("Msg").GetString());
        Assert.Equal(ApiAfter.None, reply.After);
    }

    [Theory]
    [InlineData("restart", """{"STATUS":"RESTART","id":1}""", "RESTART")]
    [InlineData("quit", """{"STATUS":"BYE","id":1}""", "BYE")]
    public void Privileged_commands_run_when_allowed(string command, string json, string text)
    {
        var after = command == "quit" ? ApiAfter.Quit : ApiAfter.Restart;
        var miner = new SimulatedMiner(allowPrivileged: true);

        var reply = miner.Reply(SimulatedMiner.JsonRequest(command));
        Assert.Equal(json, System.Text.Encoding.UTF8.GetString(reply.Bytes, 0, reply.Bytes.Length - 1));
        Assert.Equal(after, reply.After);
        Assert.Equal(text, miner.Text(command));
        Assert.Equal(46, Status(miner.Json("privileged")).GetProperty("Code").GetInt32());
    }

    [Theory]
    [InlineData("summary", false, "Y", "Y")]
    [InlineData("restart", false, "Y", "N")]
    [InlineData("restart", true, "Y", "Y")]
    [InlineData("hashrate", false, "N", "N")]
    public void Check_says_whether_a_command_exists_and_is_allowed(string command, bool allowPrivileged, string exists, string access)
    {
        var check = new SimulatedMiner(allowPrivileged: allowPrivileged).Json("check", command).GetProperty("CHECK")[0];

        Assert.Equal(exists, check.GetProperty("Exists").GetString());
        Assert.Equal(access, check.GetProperty("Access").GetString());
    }

    [Theory]
    [InlineData("12", 12)]
    [InlineData(" -3x", -3)]
    [InlineData("abc", 0)]
    [InlineData("", 0)]
    [InlineData("99999999999", int.MaxValue)]
    public void Parameters_are_read_like_atoi(string text, int value)
    {
        Assert.Equal(value, ApiRequest.Atoi(text));
    }
}
