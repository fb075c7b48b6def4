using System.Runtime.Versioning;
using Microsoft.Extensions.Configuration;
using Psistats.Aggregator.Remediation;
using Psistats.Contracts.Configuration;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Aggregator.Remediation;

[SupportedOSPlatform("linux")]
public sealed class RemediationOptionsTests : IDisposable
{
    private static readonly string[] Notifiers = ["email", "chat"];

    private readonly TempDir _dir = new();
    private readonly string _key;
    private readonly string _knownHosts;

    public RemediationOptionsTests()
    {
        _key = _dir.File("id_ed25519");
        File.WriteAllText(_key, "key");
        File.SetUnixFileMode(_key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _knownHosts = _dir.File("known_hosts");
        File.WriteAllText(_knownHosts, "");
    }

    public void Dispose() => _dir.Dispose();

    private (RemediationOptions Options, IReadOnlyList<ConfigError> Errors) Read(string ini)
    {
        var path = _dir.File("psistats.ini");
        File.WriteAllText(path, ini);
        var reader = new SettingsReader(new ConfigurationBuilder().AddIniFile(path).Build());
        return (RemediationOptions.Read(reader, "/var/lib/psistats-aggregator", Notifiers), reader.Errors);
    }

    private string MinerSection(string name, string extra = "") =>
        $"[miner:{name}]\nhost = 192.0.2.10\nidentity_file = {_key}\nknown_hosts_file = {_knownHosts}\n{extra}";

    [Fact]
    public void A_miner_section_gets_the_defaults_of_the_issue()
    {
        var (options, errors) = Read(MinerSection("terra01"));

        Assert.Empty(errors);
        Assert.Equal((50.0, RemediationOptions.DefaultBundleMaxBytes, "/var/lib/psistats-aggregator/remediation"),
            (options.FleetGuardPercent, options.BundleMaxBytes, options.WorkDir));
        var miner = Assert.Single(options.Miners);
        Assert.Equal(new MinerOptions { Name = "terra01", Host = "192.0.2.10", IdentityFile = _key, KnownHostsFile = _knownHosts }
            with { LogFiles = miner.LogFiles, Diagnostics = miner.Diagnostics }, miner);
        Assert.Equal((22, "root", false, null, "/sbin/reboot"), (miner.Port, miner.User, miner.AcceptNewHostKey, miner.RestartCommand, miner.RebootCommand));
        Assert.Equal((3, TimeSpan.FromSeconds(120), 3, TimeSpan.FromSeconds(60), true),
            (miner.MaxErrors, miner.Cooldown, miner.MaxReboots, miner.SshTimeout, miner.Enabled));
        Assert.Equal(["/var/log/cgminer.log"], miner.LogFiles);
        Assert.Equal(["dmesg", "lsusb", "uptime"], miner.Diagnostics);
        Assert.Null(miner.Notifiers);
    }

    [Fact]
    public void Every_key_can_be_set()
    {
        var (options, errors) = Read("[remediation]\nfleet_guard = 75 %\nbundle_max_bytes = 1048576\nwork_dir = /tmp/remediation\n"
            + MinerSection("terra01", """
                port = 2222
                user = admin
                accept_new_host_key = yes
                log_files = /var/log/cgminer.log, /Angstrom/Cointerra/logs/cgminer.log.1.gz
                diagnostics = ps -o pid,comm | cat /version.txt
                restart_command = /etc/init.d/S99cgminer restart
                reboot_command = /sbin/reboot -f
                max_errors = 5
                cooldown = 300
                max_reboots = 0
                ssh_timeout = 15
                notifiers = CHAT
                enabled = no
                """));

        Assert.Empty(errors);
        Assert.Equal((75.0, 1048576L, "/tmp/remediation"), (options.FleetGuardPercent, options.BundleMaxBytes, options.WorkDir));
        var miner = Assert.Single(options.Miners);
        Assert.Equal((2222, "admin", true, "/etc/init.d/S99cgminer restart", "/sbin/reboot -f"),
            (miner.Port, miner.User, miner.AcceptNewHostKey, miner.RestartCommand, miner.RebootCommand));
        Assert.Equal((5, TimeSpan.FromSeconds(300), 0, TimeSpan.FromSeconds(15), false),
            (miner.MaxErrors, miner.Cooldown, miner.MaxReboots, miner.SshTimeout, miner.Enabled));
        Assert.Equal(["/var/log/cgminer.log", "/Angstrom/Cointerra/logs/cgminer.log.1.gz"], miner.LogFiles);
        Assert.Equal(["ps -o pid,comm", "cat /version.txt"], miner.Diagnostics);
        Assert.Equal(["chat"], miner.Notifiers);
    }

    [Fact]
    public void Notifiers_none_records_only()
    {
        var (options, errors) = Read(MinerSection("m", "notifiers = none\n"));

        Assert.Empty(errors);
        Assert.Equal([], options.Miners[0].Notifiers);
    }

    [Theory]
    [InlineData("", "host")]
    [InlineData("host = -oProxyCommand=x\n", "host")]
    [InlineData("user = root@evil\n", "user")]
    [InlineData("identity_file = relative/key\n", "identity_file")]
    [InlineData("identity_file = /nonexistent/key\n", "identity_file")]
    [InlineData("known_hosts_file = /nonexistent/known_hosts\n", "known_hosts_file")]
    [InlineData("log_files = var/log/cgminer.log\n", "log_files")]
    [InlineData("max_errors = 0\n", "max_errors")]
    [InlineData("cooldown = forever\n", "cooldown")]
    [InlineData("max_reboots = -1\n", "max_reboots")]
    [InlineData("ssh_timeout = 0\n", "ssh_timeout")]
    [InlineData("notifiers = pager\n", "notifiers")]
    [InlineData("notifiers = none, email\n", "notifiers")]
    [InlineData("password = secret\n", "password")]
    [InlineData("port = 0\n", "port")]
    public void Bad_miner_keys_are_reported_with_their_section(string keys, string key)
    {
        var ini = "[miner:terra01]\n" + (keys.StartsWith("host", StringComparison.Ordinal) ? "" : "host = 192.0.2.10\n")
            + (keys.StartsWith("identity_file", StringComparison.Ordinal) ? "" : $"identity_file = {_key}\n")
            + (keys.StartsWith("known_hosts_file", StringComparison.Ordinal) ? "" : $"known_hosts_file = {_knownHosts}\n") + keys;
        if (keys.Length == 0)
        {
            ini = $"[miner:terra01]\nidentity_file = {_key}\nknown_hosts_file = {_knownHosts}\n";
        }

        var (_, errors) = Read(ini);

        var error = Assert.Single(errors);
        Assert.Equal(("miner:terra01", key), (error.Section, error.Key));
    }

    [Fact]
    public void A_key_readable_by_others_is_refused_as_ssh_would()
    {
        File.SetUnixFileMode(_key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (_, errors) = Read(MinerSection("terra01"));

        Assert.Contains("chmod 600", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fleet_guard = 0\n", "fleet_guard")]
    [InlineData("fleet_guard = 101%\n", "fleet_guard")]
    [InlineData("bundle_max_bytes = 10\n", "bundle_max_bytes")]
    [InlineData("work_dir = tmp\n", "work_dir")]
    [InlineData("max_errors = 3\n", "max_errors")]
    public void Bad_remediation_keys_are_reported(string keys, string key)
    {
        var (_, errors) = Read("[remediation]\n" + keys);

        Assert.Equal(("remediation", key), (Assert.Single(errors).Section, errors[0].Key));
    }

    [Fact]
    public void The_commented_miner_example_of_psistats_ini_lists_every_key_and_uncommented_shows_the_defaults()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "psistats.ini"));
        var start = Array.IndexOf(lines, ";[miner:NAME]");
        Assert.True(start >= 0, "psistats.ini has no commented ;[miner:NAME] example");
        var example = lines.Skip(start + 1)
            .TakeWhile(l => l.StartsWith(';'))
            .Where(l => !l.StartsWith("; ", StringComparison.Ordinal) && l.Contains(" =", StringComparison.Ordinal))
            .Select(l => l[1..].Split(" =", 2))
            .ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal);
        Assert.Equal(MinerOptions.Keys.Order(), example.Keys.Order());

        example["identity_file"] = _key;
        example["known_hosts_file"] = _knownHosts;
        var (options, errors) = Read("[miner:NAME]\n" + string.Concat(example.Select(kv => $"{kv.Key} = {kv.Value}\n")));

        Assert.Empty(errors);
        var miner = Assert.Single(options.Miners);
        var defaults = new MinerOptions { Name = "NAME", Host = miner.Host, IdentityFile = _key, KnownHostsFile = _knownHosts, RestartCommand = miner.RestartCommand };
        Assert.Equal(defaults with { LogFiles = miner.LogFiles, Diagnostics = miner.Diagnostics }, miner);
        Assert.Equal(defaults.LogFiles, miner.LogFiles);
        Assert.Equal(defaults.Diagnostics, miner.Diagnostics);
    }
}
