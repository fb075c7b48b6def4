using Microsoft.Extensions.Configuration;
using Psistats.Agent.Cgminer;
using Psistats.Agent.Configuration;
using Psistats.Agent.Reporters;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Remediation;
using Psistats.Contracts.Configuration;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Configuration;

public sealed class ConfigTests
{
    private static (AgentOptions Options, IReadOnlyList<ConfigError> Errors) ReadAgent(string ini, IDictionary<string, string?>? overrides = null)
    {
        using var dir = new TempDir();
        var path = dir.File("psistats.ini");
        File.WriteAllText(path, ini);
        var configuration = new ConfigurationBuilder().AddIniFile(path).AddInMemoryCollection(overrides ?? new Dictionary<string, string?>()).Build();
        var reader = new SettingsReader(configuration);
        return (AgentOptions.Read(reader, () => "default-host"), reader.Errors);
    }

    [Fact]
    public void An_empty_file_gives_psistats_defaults()
    {
        var (options, errors) = ReadAgent("");

        Assert.Empty(errors);
        Assert.Equal("default-host", options.Hostname);
        Assert.Equal(new Uri("amqp://guest:guest@localhost:5672/%2f"), options.Broker.Url);
        Assert.Equal("psistats", options.Broker.ExchangeName);
        Assert.Equal("psistats", options.Broker.Prefix);
        Assert.Equal(10000, options.Broker.QueueTtlMs);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Broker.RetryTimer);
        Assert.All(options.Reporters, r => Assert.Equal(ReporterCatalog.All.Single(d => d.Name == r.Name).EnabledByDefault, r.Enabled));
        Assert.All(["cpu", "mem", "uptime", "ipaddr", "cpu_temp"], name => Assert.True(options.Reporters.Single(r => r.Name == name).Enabled));
        Assert.Equal(TimeSpan.FromSeconds(2), options.Reporters.Single(r => r.Name == "cpu").Interval);
    }

    [Fact]
    public void Psistats_keys_keep_their_meaning_and_booleans_accept_yes_no()
    {
        var (options, errors) = ReadAgent("""
            [server]
            url = amqp://agent01:secret@broker.example:5673/monitoring
            [exchange]
            name = stats
            durable = yes
            autodelete = false
            [queue]
            prefix = dc1.psistats
            declare_host_queue = on
            exclusive = 1
            ttl = 2500
            [app]
            retry_timer = 0.5
            hostname = web01.example.com
            [cpu]
            enabled = no
            interval = 0.25
            """);

        Assert.Empty(errors);
        Assert.Equal("broker.example", options.Broker.Url.Host);
        Assert.Equal("stats", options.Broker.ExchangeName);
        Assert.True(options.Broker.ExchangeDurable);
        Assert.False(options.Broker.ExchangeAutoDelete);
        Assert.Equal("dc1.psistats", options.Broker.Prefix);
        Assert.True(options.Broker.DeclareHostQueue);
        Assert.True(options.Broker.QueueExclusive);
        Assert.Equal(2500, options.Broker.QueueTtlMs);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Broker.RetryTimer);
        Assert.Equal("web01.example.com", options.Hostname);
        var cpu = options.Reporters.Single(r => r.Name == "cpu");
        Assert.False(cpu.Enabled);
        Assert.Equal(TimeSpan.FromMilliseconds(250), cpu.Interval);
    }

    [Fact]
    public void Environment_style_overrides_win_over_the_file()
    {
        var (options, errors) = ReadAgent("[server]\nurl = amqp://a@file-host/\n", new Dictionary<string, string?>
        {
            ["server:url"] = "amqp://b@env-host/",
        });

        Assert.Empty(errors);
        Assert.Equal("env-host", options.Broker.Url.Host);
    }

    [Fact]
    public void Environment_variables_map_to_section_and_key()
    {
        const string name = "PSISTATS_mem__interval";
        Environment.SetEnvironmentVariable(name, "7");
        try
        {
            var options = AgentOptions.Read(new SettingsReader(ConfigLoader.Load(null)), () => "h");

            Assert.Equal(TimeSpan.FromSeconds(7), options.Reporters.Single(r => r.Name == "mem").Interval);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("[server]\nurl = http://broker/\n", "server", "url")]
    [InlineData("[server]\nurl = not a url\n", "server", "url")]
    [InlineData("[exchange]\ntype = fanout\n", "exchange", "type")]
    [InlineData("[exchange]\ndurable = maybe\n", "exchange", "durable")]
    [InlineData("[queue]\nprefix = has space\n", "queue", "prefix")]
    [InlineData("[queue]\nttl = -1\n", "queue", "ttl")]
    [InlineData("[app]\nretry_timer = soon\n", "app", "retry_timer")]
    [InlineData("[app]\noutbox_size = 0\n", "app", "outbox_size")]
    [InlineData("[app]\nretry_timr = 5\n", "app", "retry_timr")]
    [InlineData("[cpu]\ninterval = 0\n", "cpu", "interval")]
    [InlineData("[mem]\nenabled = sometimes\n", "mem", "enabled")]
    [InlineData("[uptime]\nintervall = 5\n", "uptime", "intervall")]
    public void A_bad_value_is_reported_with_its_section_and_key(string ini, string section, string key)
    {
        var (_, errors) = ReadAgent(ini);

        var error = Assert.Single(errors);
        Assert.Equal(section, error.Section);
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"[{section}] {key}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Passwords_never_reach_error_messages()
    {
        var (_, errors) = ReadAgent("[server]\nurl = http://user:hunter2@broker/\n");

        Assert.DoesNotContain("hunter2", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregator_defaults_derive_queue_names_from_the_prefix()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["queue:prefix"] = "dc1",
            ["aggregator:down_after"] = "12",
        }).Build());

        var options = AggregatorOptions.Read(reader);

        Assert.Empty(reader.Errors);
        Assert.Equal("dc1.aggregator", options.Queue.Name);
        Assert.Equal("dc1.dead-letter", options.Queue.DeadLetterExchange);
        Assert.Equal("dc1.aggregator.rejected", options.Queue.DeadLetterQueue);
        Assert.Equal(TimeSpan.FromSeconds(12), options.DownAfter);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), options.Listen);
    }

    [Theory]
    [InlineData("listen", "ftp://x")]
    [InlineData("console", "fancy")]
    [InlineData("prefetch", "0")]
    [InlineData("down_after", "never")]
    public void Aggregator_bad_values_are_reported(string key, string value)
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"aggregator:{key}"] = value,
        }).Build());

        AggregatorOptions.Read(reader);

        Assert.Equal(("aggregator", key), (Assert.Single(reader.Errors).Section, reader.Errors[0].Key));
    }

    [Fact]
    public void The_shipped_psistats_ini_is_valid_for_both_programs()
    {
        var configuration = ConfigLoader.Load(Path.Combine(RepoPaths.Root, "psistats.ini"));
        var agentReader = new SettingsReader(configuration);
        var aggregatorReader = new SettingsReader(configuration);

        AgentOptions.Read(agentReader, () => "h");
        AggregatorOptions.Read(aggregatorReader);

        Assert.Empty(agentReader.Errors);
        Assert.Empty(aggregatorReader.Errors);
    }

    [Fact]
    public void The_shipped_psistats_ini_documents_every_key_the_programs_read()
    {
        var configuration = new ConfigurationBuilder().AddIniFile(Path.Combine(RepoPaths.Root, "psistats.ini")).Build();
        var documented = configuration.AsEnumerable().Where(kv => kv.Key.Contains(':', StringComparison.Ordinal))
            .Select(kv => kv.Key.ToLowerInvariant()).ToHashSet();
        var known = new List<string>();
        known.AddRange(BrokerOptions.ServerKeys.Select(k => $"server:{k}"));
        known.AddRange(BrokerOptions.ExchangeKeys.Select(k => $"exchange:{k}"));
        known.AddRange(BrokerOptions.QueueKeys.Select(k => $"queue:{k}"));
        known.AddRange(AgentOptions.AppKeys.Select(k => $"app:{k}"));
        known.AddRange(ReporterCatalog.All.SelectMany(d => ReporterOptions.Keys.Concat(d.SettingKeys).Select(k => $"{d.Name}:{k}")));
        known.AddRange(AggregatorOptions.Keys.Select(k => $"aggregator:{k}"));
        known.AddRange(NotificationOptions.Keys.Select(k => $"{NotificationOptions.Section}:{k}"));
        known.AddRange(EmailOptions.Keys.Select(k => $"{EmailOptions.Section}:{k}"));
        known.AddRange(RemediationOptions.Keys.Select(k => $"{RemediationOptions.Section}:{k}"));

        Assert.Equal([], known.Except(documented).Order());
        Assert.Equal([], documented.Except(known).Order());
        // [cgminer:NAME] is documented by a commented example: a live section would make every agent poll a miner.
        Assert.Equal(CgminerOptions.Keys.Order(), CommentedCgminerExample().Keys.Order());
    }

    [Fact]
    public void The_commented_cgminer_example_uncommented_is_a_valid_miner_showing_the_defaults()
    {
        var example = CommentedCgminerExample();
        var (options, errors) = ReadAgent("[cgminer:NAME]\n" + string.Concat(example.Select(kv => $"{kv.Key} = {kv.Value}\n")));

        Assert.Empty(errors);
        var miner = Assert.Single(options.Miners);
        var defaults = new CgminerOptions { Name = "NAME", Host = miner.Host, Hostname = "NAME" };
        Assert.Equal(defaults with { Commands = miner.Commands }, miner);
        Assert.Equal(defaults.Commands, miner.Commands);
    }

    /// <summary>The key = value lines of the commented <c>;[cgminer:NAME]</c> block of the shipped psistats.ini.</summary>
    private static Dictionary<string, string> CommentedCgminerExample()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "psistats.ini"));
        var start = Array.IndexOf(lines, ";[cgminer:NAME]");
        Assert.True(start >= 0, "psistats.ini has no commented ;[cgminer:NAME] example");
        return lines.Skip(start + 1)
            .TakeWhile(l => l.StartsWith(';'))
            .Where(l => !l.StartsWith("; ", StringComparison.Ordinal) && l.Contains(" = ", StringComparison.Ordinal))
            .Select(l => l[1..].Split(" = ", 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--config", "/x.ini", "--once" }, "/x.ini", true, false)]
    [InlineData(new[] { "--config=/y.ini", "--check-config" }, "/y.ini", false, true)]
    [InlineData(new string[0], null, false, false)]
    public void Command_line_options_parse(string[] args, string? config, bool once, bool check)
    {
        var parsed = CommandLine.Parse(args, allowOnce: true);

        Assert.Equal((config, once, check), (parsed.ConfigPath, parsed.Once, parsed.CheckConfig));
    }

    [Theory]
    [InlineData("--config")]
    [InlineData("--frobnicate")]
    public void Bad_command_lines_are_rejected(string arg) => Assert.Throws<ArgumentException>(() => CommandLine.Parse([arg], allowOnce: true));

    [Fact]
    public void Once_is_an_agent_option_only() => Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--once"], allowOnce: false));

    [Fact]
    public void An_explicit_config_path_must_exist() =>
        Assert.Throws<FileNotFoundException>(() => ConfigLoader.ResolvePath("/nonexistent/psistats.ini"));
}
