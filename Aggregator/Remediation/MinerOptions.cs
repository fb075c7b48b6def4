using Microsoft.Extensions.Configuration;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Aggregator.Remediation;

/// <summary>
/// One <c>[miner:NAME]</c> section of psistats.ini: a miner the aggregator may remediate over SSH (issue 6). NAME is the
/// hostname its proxy agent publishes (the <c>[cgminer:NAME] hostname</c> of the agent, default its NAME), so frames of host
/// NAME are the miner's polls. The INI reader turns the section into keys <c>miner:NAME:host</c>..., so the environment can
/// add or override one: <c>PSISTATS_miner__NAME__host=192.0.2.10</c>. Every command and target comes from here, never from a
/// frame. SSH logs in with a key only (OpenSSH <c>BatchMode</c>): there is no password key.
/// </summary>
public sealed record MinerOptions
{
    /// <summary>The parent section of every miner.</summary>
    public const string Section = "miner";

    /// <summary>Default SSH port.</summary>
    public const int DefaultPort = 22;

    /// <summary>Keys of a <c>[miner:NAME]</c> section.</summary>
    public static readonly string[] Keys =
    [
        "host", "port", "user", "identity_file", "known_hosts_file", "accept_new_host_key", "log_files", "diagnostics",
        "restart_command", "reboot_command", "max_errors", "cooldown", "max_reboots", "ssh_timeout", "notifiers", "enabled",
    ];

    /// <summary>Default <c>log_files</c>: where a TerraMiner's cgminer log resolves (cgminer-cointerra.md).</summary>
    public static readonly string[] DefaultLogFiles = ["/var/log/cgminer.log"];

    /// <summary>Default <c>diagnostics</c>: what the original cointerra-monitor ran before a reboot, plus <c>uptime</c>.</summary>
    public static readonly string[] DefaultDiagnostics = ["dmesg", "lsusb", "uptime"];

    /// <summary>NAME, from the section name: the miner's hostname in frames, alerts and events.</summary>
    public required string Name { get; init; }

    /// <summary><c>host</c>: the SSH host name or address (required).</summary>
    public required string Host { get; init; }

    /// <summary><c>port</c>: the SSH port, default 22.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary><c>user</c>: the login, default <c>root</c> (the TerraMiner's).</summary>
    public string User { get; init; } = "root";

    /// <summary><c>identity_file</c>: absolute path of the private key (required; must exist, readable by its owner only, as ssh demands).</summary>
    public required string IdentityFile { get; init; }

    /// <summary><c>known_hosts_file</c>: absolute path of the known_hosts file the miner's host key is checked against (required).</summary>
    public required string KnownHostsFile { get; init; }

    /// <summary>
    /// <c>accept_new_host_key</c>: trust on first use (<c>StrictHostKeyChecking=accept-new</c>: an unknown host key is added to
    /// <see cref="KnownHostsFile"/>, a changed one is still refused), default no (<c>StrictHostKeyChecking=yes</c>).
    /// </summary>
    public bool AcceptNewHostKey { get; init; }

    /// <summary><c>log_files</c>: absolute remote paths copied with scp, default <c>/var/log/cgminer.log</c>.</summary>
    public IReadOnlyList<string> LogFiles { get; init; } = DefaultLogFiles;

    /// <summary><c>diagnostics</c>: remote commands run before the action, in order, each one string for the remote shell; default <c>dmesg</c>, <c>lsusb</c>, <c>uptime</c>.</summary>
    public IReadOnlyList<string> Diagnostics { get; init; } = DefaultDiagnostics;

    /// <summary><c>restart_command</c>: restarts the mining software only (e.g. <c>/etc/init.d/S99cgminer restart</c>); null = none, always reboot.</summary>
    public string? RestartCommand { get; init; }

    /// <summary><c>reboot_command</c>: default <c>/sbin/reboot</c>.</summary>
    public string RebootCommand { get; init; } = "/sbin/reboot";

    /// <summary><c>max_errors</c>: consecutive error polls that start a remediation, default 3 (the original monitor's).</summary>
    public int MaxErrors { get; init; } = 3;

    /// <summary><c>cooldown</c>: after a remediation, errors are not counted and alerts are held this long, default 120 s.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary><c>max_reboots</c>: automatic reboots allowed in any 24 h; one more would need a person, default 3; 0 = never reboot automatically.</summary>
    public int MaxReboots { get; init; } = 3;

    /// <summary><c>ssh_timeout</c>: bound of each ssh or scp call, after which it is killed, default 60 s.</summary>
    public TimeSpan SshTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>notifiers</c>: the notifiers (<c>email</c>, webhook NAMEs, comma-separated) told about this miner's remediations, as a
    /// rule's <c>notifiers</c>: null (unset) = every configured notifier; empty (<c>none</c>) = record only.
    /// </summary>
    public IReadOnlyList<string>? Notifiers { get; init; }

    /// <summary><c>enabled</c>: default yes; a disabled miner is not watched at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The section's name, <c>miner:NAME</c>.</summary>
    public string SectionName => $"{Section}:{Name}";

    /// <summary>
    /// Reads and validates every <c>[miner:NAME]</c> section; problems go to <paramref name="reader"/> as
    /// <c>[miner:NAME] key: message</c>. <paramref name="notifierNames"/> are the names <c>notifiers</c> may list
    /// (<see cref="Notifications.NotificationOptions.NotifierNames"/>).
    /// </summary>
    public static IReadOnlyList<MinerOptions> ReadAll(SettingsReader reader, IReadOnlyCollection<string> notifierNames)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(notifierNames);
        var miners = new List<MinerOptions>();
        foreach (var child in reader.Configuration.GetSection(Section).GetChildren())
        {
            if (child.Value is not null)
            {
                reader.AddError(Section, child.Key, "miner settings go in a [miner:NAME] section, one per miner");
                continue;
            }

            miners.Add(Read(reader, child.Key, notifierNames));
        }

        return miners;
    }

    private static MinerOptions Read(SettingsReader reader, string name, IReadOnlyCollection<string> notifierNames)
    {
        var section = $"{Section}:{name}";
        reader.CheckUnknownKeys(section, Keys);
        if (name.Length > FrameEnvelope.MaxNameLength || name.Any(char.IsControl))
        {
            reader.AddError(section, "host", "the section's NAME must be a hostname of 1 to 255 characters, without control characters");
        }

        var host = reader.GetRaw(section, "host");
        if (host is null)
        {
            reader.AddError(section, "host", "required: the miner's SSH host name or address");
        }
        else if (host.StartsWith('-') || host.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            reader.AddError(section, "host", $"'{host}' is not a host name or address");
        }

        var user = reader.GetString(section, "user", "root");
        if (user.StartsWith('-') || user.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '@'))
        {
            reader.AddError(section, "user", $"'{user}' is not a login name");
        }

        var acceptNew = reader.GetBool(section, "accept_new_host_key", false);
        return new MinerOptions
        {
            Name = name,
            Host = host ?? "",
            Port = (int)reader.GetInt(section, "port", DefaultPort, 1, 65535),
            User = user,
            IdentityFile = ReadIdentityFile(reader, section),
            KnownHostsFile = ReadKnownHostsFile(reader, section, acceptNew),
            AcceptNewHostKey = acceptNew,
            LogFiles = ReadLogFiles(reader, section),
            Diagnostics = ReadDiagnostics(reader, section),
            RestartCommand = ReadCommand(reader, section, "restart_command"),
            RebootCommand = ReadCommand(reader, section, "reboot_command") ?? "/sbin/reboot",
            MaxErrors = (int)reader.GetInt(section, "max_errors", 3, 1, 1000),
            Cooldown = reader.GetSeconds(section, "cooldown", 120, 1, 86400),
            MaxReboots = (int)reader.GetInt(section, "max_reboots", 3, 0, 1000),
            SshTimeout = reader.GetSeconds(section, "ssh_timeout", 60, 1, 3600),
            Notifiers = ReadNotifiers(reader, section, notifierNames),
            Enabled = reader.GetBool(section, "enabled", true),
        };
    }

    private static string ReadIdentityFile(SettingsReader reader, string section)
    {
        var path = reader.GetRaw(section, "identity_file");
        if (path is null)
        {
            reader.AddError(section, "identity_file", "required: the private key to log in with (keys only, no passwords)");
            return "";
        }

        if (!Path.IsPathFullyQualified(path))
        {
            reader.AddError(section, "identity_file", $"'{path}' is not an absolute path");
        }
        else if (!File.Exists(path))
        {
            reader.AddError(section, "identity_file", $"'{path}' does not exist");
        }
        else if (!OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            reader.AddError(section, "identity_file", $"'{path}' is readable or writable by others: ssh ignores such a key (chmod 600 it)");
        }

        return path;
    }

    private static string ReadKnownHostsFile(SettingsReader reader, string section, bool acceptNew)
    {
        var path = reader.GetRaw(section, "known_hosts_file");
        if (path is null)
        {
            reader.AddError(section, "known_hosts_file", "required: the known_hosts file holding the miner's host key (ssh-keyscan, or accept_new_host_key = yes once)");
            return "";
        }

        if (!Path.IsPathFullyQualified(path))
        {
            reader.AddError(section, "known_hosts_file", $"'{path}' is not an absolute path");
        }
        else if (!acceptNew && !File.Exists(path))
        {
            reader.AddError(section, "known_hosts_file", $"'{path}' does not exist (set accept_new_host_key = yes to let the first connection write it)");
        }
        else if (acceptNew && !Directory.Exists(Path.GetDirectoryName(path)))
        {
            reader.AddError(section, "known_hosts_file", $"the directory of '{path}' does not exist");
        }

        return path;
    }

    private static IReadOnlyList<string> ReadLogFiles(SettingsReader reader, string section)
    {
        var raw = reader.GetRaw(section, "log_files");
        if (raw is null)
        {
            return DefaultLogFiles;
        }

        var files = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in files)
        {
            if (!file.StartsWith('/') || file.Any(char.IsControl))
            {
                reader.AddError(section, "log_files", $"'{file}' is not an absolute remote path");
                return DefaultLogFiles;
            }
        }

        return files.Length == 0 ? DefaultLogFiles : files.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static IReadOnlyList<string> ReadDiagnostics(SettingsReader reader, string section)
    {
        var raw = reader.GetRaw(section, "diagnostics");
        if (raw is null)
        {
            return DefaultDiagnostics;
        }

        // A command may hold commas (ps -o pid,comm): then separate the commands with '|'.
        var separator = raw.Contains('|', StringComparison.Ordinal) ? '|' : ',';
        var commands = raw.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (commands.Any(c => c.Any(char.IsControl)))
        {
            reader.AddError(section, "diagnostics", "a command contains a control character");
            return DefaultDiagnostics;
        }

        return commands;
    }

    private static string? ReadCommand(SettingsReader reader, string section, string key)
    {
        var command = reader.GetRaw(section, key);
        if (command is not null && command.Any(char.IsControl))
        {
            reader.AddError(section, key, "the command contains a control character");
            return null;
        }

        return command;
    }

    private static IReadOnlyList<string>? ReadNotifiers(SettingsReader reader, string section, IReadOnlyCollection<string> known)
    {
        var raw = reader.GetRaw(section, "notifiers");
        if (raw is null)
        {
            return null;
        }

        var names = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Any(n => string.Equals(n, "none", StringComparison.OrdinalIgnoreCase)))
        {
            if (names.Length > 1)
            {
                reader.AddError(section, "notifiers", "'none' (record only) cannot be combined with notifier names");
            }

            return [];
        }

        var resolved = new List<string>();
        foreach (var name in names)
        {
            var match = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                reader.AddError(section, "notifiers", known.Count == 0
                    ? $"unknown notifier '{name}' (no notifier is configured; 'none' records only)"
                    : $"unknown notifier '{name}' (configured: {string.Join(", ", known)}; 'none' records only)");
            }
            else if (!resolved.Contains(match, StringComparer.Ordinal))
            {
                resolved.Add(match);
            }
        }

        return resolved;
    }
}
