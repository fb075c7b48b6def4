using Microsoft.Extensions.Configuration;
using Psistats.Agent.Cgminer;
using Psistats.Agent.Configuration;
using Psistats.Agent.Scheduling;
using Psistats.Contracts.Configuration;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Cgminer;

public sealed class CgminerOptionsTests
{
    private static (AgentOptions Options, IReadOnlyList<ConfigError> Errors) Read(string ini, IDictionary<string, string?>? overrides = null)
    {
        using var dir = new TempDir();
        var path = dir.File("psistats.ini");
        File.WriteAllText(path, ini);
        var configuration = new ConfigurationBuilder().AddIniFile(path).AddInMemoryCollection(overrides ?? new Dictionary<string, string?>()).Build();
        var reader = new SettingsReader(configuration);
        return (AgentOptions.Read(reader, () => "proxy01"), reader.Errors);
    }

    [Fact]
    public void Each_cgminer_section_is_a_miner_with_the_defaults()
    {
        var (options, errors) = Read("[cgminer:terra01]\nhost = 192.0.2.10\n[cgminer:terra02]\nhost = terra02.example.net\nport = 4029\ninterval = 10\ntimeout = 2.5\ncommands = summary, stats\nhostname = Terra Two\nenabled = no\n");

        Assert.Empty(errors);
        Assert.Equal(2, options.Miners.Count);
        var first = options.Miners[0];
        Assert.Equal(("terra01", "192.0.2.10", 4028, "terra01", true), (first.Name, first.Host, first.Port, first.Hostname, first.Enabled));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), (first.Interval, first.Timeout));
        Assert.Equal(["asccount", "asc", "coin", "pools", "summary", "stats", "devs"], first.Commands);
        Assert.Equal(("cgminer:terra01", "192.0.2.10:4028"), (first.SectionName, first.Endpoint));
        var second = options.Miners[1];
        Assert.Equal((4029, "Terra Two", false), (second.Port, second.Hostname, second.Enabled));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2.5)), (second.Interval, second.Timeout));
        Assert.Equal(["summary", "stats"], second.Commands);
    }

    [Fact]
    public void Commands_run_in_the_original_order_whatever_order_they_are_listed_in()
    {
        var (options, _) = Read("[cgminer:m]\nhost = h\ncommands = DEVS stats asc\n");

        Assert.Equal(["asc", "stats", "devs"], options.Miners[0].Commands);
    }

    [Fact]
    public void An_environment_variable_adds_a_miner()
    {
        var (options, errors) = Read("", new Dictionary<string, string?> { ["cgminer:sim1:host"] = "127.0.0.1", ["cgminer:sim1:port"] = "40280" });

        Assert.Empty(errors);
        Assert.Equal(("sim1", "127.0.0.1", 40280), (options.Miners[0].Name, options.Miners[0].Host, options.Miners[0].Port));
    }

    [Fact]
    public void No_section_no_miner()
    {
        var (options, errors) = Read("[cpu]\ninterval = 1\n");

        Assert.Empty(errors);
        Assert.Empty(options.Miners);
    }

    [Theory]
    [InlineData("[cgminer:m1]\nhost = h\nport = 70000\n", "cgminer:m1", "port")]
    [InlineData("[cgminer:m1]\nhost = h\nport = http\n", "cgminer:m1", "port")]
    [InlineData("[cgminer:m1]\nhost = h\ninterval = 0\n", "cgminer:m1", "interval")]
    [InlineData("[cgminer:m1]\nhost = h\ntimeout = soon\n", "cgminer:m1", "timeout")]
    [InlineData("[cgminer:m1]\nhost = h\ncommands = summary restart\n", "cgminer:m1", "commands")]
    [InlineData("[cgminer:m1]\nhost = h\nenabled = maybe\n", "cgminer:m1", "enabled")]
    [InlineData("[cgminer:m1]\nhost = h\nhots = x\n", "cgminer:m1", "hots")]
    [InlineData("[cgminer:m1]\nport = 4028\n", "cgminer:m1", "host")]
    [InlineData("[cgminer]\nhost = h\n", "cgminer", "host")]
    [InlineData("[cgminer:a]\nhost = h\nhostname = same\n[cgminer:b]\nhost = h\nhostname = SAME\n", "cgminer:b", "hostname")]
    public void A_bad_value_is_named_with_the_miners_section_and_key(string ini, string section, string key)
    {
        var (_, errors) = Read(ini);

        var error = Assert.Single(errors);
        Assert.Equal((section, key), (error.Section, error.Key));
        Assert.StartsWith($"[{section}] {key}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_schedules_each_enabled_miner_under_its_section_name_and_hostname()
    {
        var (options, _) = Read("[cgminer:terra01]\nhost = h\ninterval = 7\n[cgminer:terra02]\nhost = h\nhostname = t2\n[cgminer:off]\nhost = h\nenabled = no\n");

        var miners = ReporterFactory.Create(options, TimeProvider.System).Where(u => u.Reporter.Name == "cgminer").ToList();

        Assert.Equal(["cgminer:terra01", "cgminer:terra02"], miners.Select(m => m.Key));
        Assert.Equal(["terra01", "t2"], miners.Select(m => m.Hostname));
        Assert.Equal(TimeSpan.FromSeconds(7), miners[0].Interval);
    }
}
