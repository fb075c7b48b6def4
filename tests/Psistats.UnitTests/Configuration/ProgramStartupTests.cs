using Psistats.Aggregator.Configuration;
using Psistats.Contracts.Configuration;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Configuration;

public sealed class ProgramStartupTests
{
    private static (Startup<AggregatorOptions> Result, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var result = ProgramStartup.Prepare("prog", "USAGE TEXT", "1.2.3", args, allowOnce: false, AggregatorOptions.Read, stdout, stderr);
        return (result, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Help_and_version_answer_and_exit_0()
    {
        Assert.Equal((0, "USAGE TEXT"), (Run("--help").Result.ExitCode, Run("--help").Out.Trim()));
        Assert.Equal("prog 1.2.3", Run("--version").Out.Trim());
    }

    [Fact]
    public void A_bad_option_exits_2_with_the_reason()
    {
        var (result, _, err) = Run("--bogus");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("prog: unknown option '--bogus' (see --help)", err.Trim());
    }

    [Fact]
    public void Every_bad_key_is_listed_with_the_file_and_exit_is_2()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.ini"), "[aggregator]\nprefetch = 0\nconsole = fancy\n");

        var (result, _, err) = Run("--config", dir.File("p.ini"), "--check-config");

        Assert.Equal(2, result.ExitCode);
        var lines = err.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"prog: {dir.File("p.ini")}: [aggregator] prefetch: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"prog: {dir.File("p.ini")}: [aggregator] console: ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_ini_exits_2()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.ini"), "[aggregator]\ndown_after = 1\ndown_after = 2\n");

        var (result, _, err) = Run("--config", dir.File("p.ini"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("duplicate key 'aggregator:down_after'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_file_runs_and_check_config_says_ok()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.ini"), "[aggregator]\ndown_after = 9\n");

        var run = Run("--config", dir.File("p.ini")).Result;
        var (check, output, _) = Run("--config", dir.File("p.ini"), "--check-config");

        Assert.Null(run.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(9), run.Options!.DownAfter);
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("configuration OK", output, StringComparison.Ordinal);
    }
}
