using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Remediation;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Remediation;

public sealed class MinerLogBufferTests
{
    private static RemediationOptions Options(params string[] miners) => new()
    {
        WorkDir = "/tmp/x",
        Miners = [.. miners.Select(m => RemediationBed.Miner(m))],
    };

    [Fact]
    public void Lines_that_name_a_miner_as_a_word_are_kept_for_that_miner()
    {
        var clock = new FakeTimeProvider();
        using var buffer = new MinerLogBuffer(Options("terra1", "terra10"), clock);
        var logger = buffer.CreateLogger("Psistats.Aggregator.Pipeline.AlertPipeline");

        logger.LogWarning("FIRING cointerra_asic_status terra1/0: Sick");
        logger.LogInformation("terra10: error poll 1 of max_errors 3");
        logger.LogInformation("UP TERRA1: first frame");
        logger.LogDebug("terra1 debug line");
        logger.LogInformation("nothing about miners");

        Assert.Equal(
        [
            "2026-01-01T00:00:00.000Z warn Psistats.Aggregator.Pipeline.AlertPipeline: FIRING cointerra_asic_status terra1/0: Sick",
            "2026-01-01T00:00:00.000Z info Psistats.Aggregator.Pipeline.AlertPipeline: UP TERRA1: first frame",
        ], buffer.Lines("terra1"));
        Assert.Single(buffer.Lines("terra10"));
        Assert.Empty(buffer.Lines("unknown"));
    }

    [Fact]
    public void Only_the_newest_lines_are_kept()
    {
        using var buffer = new MinerLogBuffer(Options("m"), new FakeTimeProvider(), capacity: 3);
        var logger = buffer.CreateLogger("c");
        for (var i = 1; i <= 5; i++)
        {
            logger.LogInformation("m line {N}", i);
        }

        Assert.Equal(["m line 3", "m line 4", "m line 5"], buffer.Lines("m").Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]));
    }

    [Fact]
    public void Without_miners_the_logger_is_disabled()
    {
        using var buffer = new MinerLogBuffer(Options(), new FakeTimeProvider());

        Assert.False(buffer.CreateLogger("c").IsEnabled(LogLevel.Critical));
    }
}
