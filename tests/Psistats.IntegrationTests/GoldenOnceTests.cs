using System.Text.RegularExpressions;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests;

/// <summary>
/// The real agent binary in <c>--once</c> mode against each fixture host under tests/fixtures/hosts/,
/// its whole stdout compared with the committed <c>expected-once.jsonl</c> beside the fixture.
/// Only <c>timestamp</c> (the test machine's clock) is normalised to 0.
/// To rewrite the golden files on purpose after a deliberate change of output:
/// <c>PSISTATS_UPDATE_GOLDEN=1 ./run.sh test --filter FullyQualifiedName~GoldenOnce</c>, then review the diff.
/// </summary>
public sealed partial class GoldenOnceTests
{
    public static TheoryData<string> Hosts() =>
        [.. Directory.GetDirectories(RepoPaths.Fixture("hosts")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [GeneratedRegex("\"timestamp\":[0-9.]+")]
    private static partial Regex Timestamp();

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Once_output_matches_the_golden_file(string host)
    {
        var root = RepoPaths.Fixture("hosts", host);
        var environment = new Dictionary<string, string>
        {
            ["PSISTATS_app__proc_root"] = Path.Combine(root, "proc"),
            ["PSISTATS_app__sys_root"] = Path.Combine(root, "sys"),
            ["PSISTATS_app__rootfs"] = Path.Combine(root, "rootfs"),
            ["PSISTATS_app__hostname"] = host,
        };

        var (exitCode, output) = await ProgramProcess.RunAsync(RepoPaths.Program("Agent", "psistats-agent"),
            ["--once", "--config", RepoPaths.Fixture("golden.ini")], TimeSpan.FromSeconds(60), environment);

        Assert.True(exitCode == 0, $"exit {exitCode}:\n{output}");
        var actual = string.Join('\n', output.Split('\n').Where(l => l.StartsWith('{')).Select(l => Timestamp().Replace(l, "\"timestamp\":0"))) + "\n";
        var goldenPath = Path.Combine(root, "expected-once.jsonl");
        if (Environment.GetEnvironmentVariable("PSISTATS_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(goldenPath, actual);
        }

        Assert.True(File.Exists(goldenPath), $"{goldenPath} is missing: create it with PSISTATS_UPDATE_GOLDEN=1");
        Assert.Equal(await File.ReadAllTextAsync(goldenPath), actual);
        Assert.DoesNotContain(output.Split('\n'), l => l.Length > 0 && !l.StartsWith('{'));
    }
}
