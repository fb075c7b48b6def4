using System.Net;
using Psistats.CgminerSimulator;

namespace Psistats.UnitTests.Simulator;

public sealed class SimulatorOptionsTests
{
    [Fact]
    public void Defaults_are_cgminers_port_and_loopback()
    {
        var options = SimulatorOptions.Parse([]);

        Assert.Equal((4028, 4029), (options.Port, options.ControlPort));
        Assert.Equal(IPAddress.Loopback, options.Listen);
        Assert.Equal(TimeSpan.FromSeconds(20), options.RebootDelay);
        Assert.Null(options.LogFile);
        Assert.False(options.AllowPrivileged);
        Assert.Equal(SimulatorOptions.SeedOf("terraminer"), options.Seed);
    }

    [Fact]
    public void Every_option_is_read_in_both_forms()
    {
        var options = SimulatorOptions.Parse(["--port", "0", "--control-port=0", "--listen", "0.0.0.0", "--name=rig7", "--reboot-delay", "2.5",
            "--log-file", "/tmp/x.log", "--seed", "-5", "--allow-privileged"]);

        Assert.Equal((0, 0), (options.Port, options.ControlPort));
        Assert.Equal(IPAddress.Any, options.Listen);
        Assert.Equal("rig7", options.Name);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.RebootDelay);
        Assert.Equal("/tmp/x.log", options.LogFile);
        Assert.Equal(-5, options.Seed);
        Assert.True(options.AllowPrivileged);
    }

    [Fact]
    public void The_default_seed_follows_the_name()
    {
        Assert.Equal(SimulatorOptions.SeedOf("rig2"), SimulatorOptions.Parse(["--name", "rig2"]).Seed);
        Assert.NotEqual(SimulatorOptions.SeedOf("rig2"), SimulatorOptions.SeedOf("rig3"));
    }

    [Theory]
    [InlineData("--port", "65536")]
    [InlineData("--port", "-1")]
    [InlineData("--control-port", "http")]
    [InlineData("--listen", "localhost")]
    [InlineData("--reboot-delay", "-1")]
    [InlineData("--seed", "1.5")]
    [InlineData("--name", "two words")]
    public void A_bad_value_is_named(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => SimulatorOptions.Parse([option, value]));

        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--frobnicate")]
    public void A_missing_value_or_unknown_option_is_an_error(string arg)
    {
        Assert.Throws<ArgumentException>(() => SimulatorOptions.Parse([arg]));
    }
}
