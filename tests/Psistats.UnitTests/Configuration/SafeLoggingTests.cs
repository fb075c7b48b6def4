using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Storage;
using Psistats.Contracts.Configuration;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Configuration;

/// <summary>What reaches a log, a file mode or an exit code when the input or a service misbehaves.</summary>
public sealed class SafeLoggingTests
{
    [Fact]
    public void Control_characters_of_a_logged_value_are_escaped_in_the_message_and_the_exception()
    {
        var capture = new CapturingLoggerProvider();
        using var provider = new SanitizingLoggerProvider(capture);
        var logger = provider.CreateLogger("test");

        logger.LogWarning("UP {Host}", "evil\u001b[2J\r\nFAKE LINE\u009b");
        logger.LogError(new InvalidOperationException("bad \u001b]0;title\u0007"), "failed");

        var lines = string.Join("\n", capture.Lines);
        Assert.Contains("evil\\u001b[2J\\r\\nFAKE LINE\\u009b", lines, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', lines);
        Assert.DoesNotContain('\u0007', lines);
        Assert.DoesNotContain('\r', lines);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("bell\u0007 del\u007f", "bell\\u0007 del\\u007f")]
    [InlineData("ünïcödé ✓", "ünïcödé ✓")]
    public void Escape_keeps_printable_text_and_writes_control_characters_as_json_escapes(string text, string expected) =>
        Assert.Equal(expected, SanitizingLoggerProvider.Escape(text));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_state_database_is_not_readable_by_other_users()
    {
        using var dir = new TempDir();
        var stateDir = Path.Combine(dir.Path, "state");
        using (var db = new StateDatabase(stateDir))
        {
            db.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        }

        Assert.Equal((UnixFileMode)0b111_101_000, File.GetUnixFileMode(stateDir));
        foreach (var file in Directory.GetFiles(stateDir))
        {
            Assert.Equal((UnixFileMode)0b110_100_000, File.GetUnixFileMode(file));
        }

        // A database left world-readable by an older version is tightened when opened.
        var path = Path.Combine(stateDir, StateDatabase.FileName);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        using (new StateDatabase(stateDir))
        {
            Assert.Equal((UnixFileMode)0b110_100_000, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task A_background_service_that_fails_makes_the_daemon_exit_70_not_0()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddHostedService<FailingService>();
        using var host = builder.Build();
        var services = HostedServiceFailures.Of(host.Services);

        await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var error = new StringWriter();

        Assert.Equal(70, HostedServiceFailures.ExitCodeAfterStop(services, "psistats-test", error));
        Assert.StartsWith("psistats-test: fatal: FailingService failed, stopping: System.OverflowException: TimeSpan overflowed", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_stopped_normally_exits_0()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddHostedService<QuietService>();
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();

        Assert.Equal(0, HostedServiceFailures.ExitCodeAfterStop(HostedServiceFailures.Of(host.Services), "psistats-test", TextWriter.Null));
    }

    private sealed class FailingService : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new OverflowException("TimeSpan overflowed because the duration is too long.");
        }
    }

    private sealed class QuietService : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Delay(Timeout.Infinite, stoppingToken);
    }
}
