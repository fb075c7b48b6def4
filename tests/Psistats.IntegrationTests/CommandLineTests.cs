using Psistats.TestSupport;

namespace Psistats.IntegrationTests;

/// <summary>The two executables' command lines, run as real processes.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("Agent", "psistats-agent")]
    [InlineData("Aggregator", "psistats-aggregator")]
    public async Task Check_config_accepts_the_shipped_file(string project, string program)
    {
        var (exitCode, output) = await ProgramProcess.RunAsync(RepoPaths.Program(project, program),
            ["--check-config", "--config", Path.Combine(RepoPaths.Root, "psistats.ini")], TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, output);
        Assert.Contains("configuration OK", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Agent", "psistats-agent", "[cpu]\ninterval = fast\n", "[cpu] interval")]
    [InlineData("Aggregator", "psistats-aggregator", "[aggregator]\ndown_after = -4\n", "[aggregator] down_after")]
    [InlineData("Agent", "psistats-agent", "[server]\nurl = http://x/\n", "[server] url")]
    public async Task Check_config_names_the_bad_key_and_exits_2(string project, string program, string ini, string named)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.ini"), ini);

        var (exitCode, output) = await ProgramProcess.RunAsync(RepoPaths.Program(project, program),
            ["--check-config", "--config", dir.File("bad.ini")], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_config_file_is_a_clear_error()
    {
        var (exitCode, output) = await ProgramProcess.RunAsync(RepoPaths.Program("Agent", "psistats-agent"),
            ["--config", "/nonexistent/psistats.ini"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains("configuration file not found: /nonexistent/psistats.ini", output, StringComparison.Ordinal);
    }
}
