using System.Text;
using System.Text.Json;
using Psistats.Aggregator.Remediation;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Remediation;

public sealed class RemediationBundleTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_bundle_holds_the_report_logs_diagnostics_aggregator_lines_and_frames()
    {
        var log = _dir.File("copy.log");
        File.WriteAllText(log, "line 1\nline 2\n");
        var frame = RemediationBed.Frame("terra01").Body;

        var bundle = RemediationBundle.Build(new BundleContent
        {
            Root = "terra01-remediation-7-20260101T000000Z",
            At = RemediationBed.T0,
            Report = "report text\n",
            Logs = [new CopiedLog("/var/log/cgminer.log", log), new CopiedLog("/var/log/gone.log", null)],
            Diagnostics = [new DiagnosticOutput("ps -o pid,comm", null)],
            AggregatorLog = ["2026-01-01T00:00:00.000Z warn X: terra01: error poll 1 of max_errors 3"],
            LastGoodFrame = frame,
            LastGoodAt = RemediationBed.T0,
            ErrorPolls = [new ErrorPoll(RemediationBed.T0.AddSeconds(30), ["cointerra_api: false == false"], frame)],
        }, 1 << 20);

        Assert.Null(bundle.LogsCutTo);
        var files = RemediationBed.ReadTarGz(bundle.Content!);
        const string Root = "terra01-remediation-7-20260101T000000Z/";
        Assert.Equal(
        [
            Root + "report.txt", Root + "logs/var_log_cgminer.log", Root + "diagnostics/01-ps_-o_pid_comm.txt", Root + "aggregator.log",
            Root + "frames/last-good.json", Root + "frames/error-01.json",
        ], files.Keys);
        Assert.Equal(bundle.Entries, files.Keys);
        Assert.Equal("line 1\nline 2\n", files[Root + "logs/var_log_cgminer.log"]);
        Assert.Equal("$ ps -o pid,comm\n# not run\n", files[Root + "diagnostics/01-ps_-o_pid_comm.txt"]);
        Assert.Contains("terra01: error poll 1", files[Root + "aggregator.log"], StringComparison.Ordinal);
        using var error = JsonDocument.Parse(files[Root + "frames/error-01.json"]);
        Assert.Equal("2026-01-01T00:00:30Z", error.RootElement.GetProperty("received_at").GetString());
        Assert.Equal("cointerra_api: false == false", error.RootElement.GetProperty("errors")[0].GetString());
        Assert.Equal("cgminer", error.RootElement.GetProperty("frame").GetProperty("reporter").GetString());
        Assert.Contains("\n  \"frame\": {\n", files[Root + "frames/error-01.json"], StringComparison.Ordinal);
    }

    [Fact]
    public void Logs_too_large_for_the_bound_are_cut_to_their_newest_part()
    {
        var log = _dir.File("big.log");
        var random = new Random(42);
        var bytes = new byte[600_000];
        random.NextBytes(bytes);
        var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes));
        File.WriteAllBytes(log, text);

        var bundle = RemediationBundle.Build(new BundleContent
        {
            Root = "r",
            At = RemediationBed.T0,
            Report = "report\n",
            Logs = [new CopiedLog("/var/log/cgminer.log", log)],
        }, 128 * 1024);

        Assert.NotNull(bundle.Content);
        Assert.True(bundle.Content.Length <= 128 * 1024);
        Assert.NotNull(bundle.LogsCutTo);
        var kept = RemediationBed.ReadTarGz(bundle.Content)["r/logs/var_log_cgminer.log"];
        Assert.Equal(bundle.LogsCutTo, kept.Length);
        Assert.EndsWith(kept, Encoding.ASCII.GetString(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_attached_when_even_without_logs_the_bound_is_exceeded()
    {
        var bundle = RemediationBundle.Build(new BundleContent
        {
            Root = "r",
            At = RemediationBed.T0,
            Report = Convert.ToBase64String(new Random(1).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 200_000)),
        }, 64 * 1024);

        Assert.Null(bundle.Content);
    }

    [Theory]
    [InlineData("terra01", "terra01")]
    [InlineData("dmesg | tail", "dmesg___tail")]
    [InlineData("../../etc", "_.._etc")]
    [InlineData("", "_")]
    public void Safe_names_keep_letters_digits_dots_dashes_and_underscores(string text, string expected) =>
        Assert.Equal(expected, RemediationBundle.SafeName(text));
}
