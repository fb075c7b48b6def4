namespace Psistats.Contracts.Configuration;

/// <summary>What a program should do after <see cref="ProgramStartup.Prepare{T}"/>.</summary>
/// <param name="ExitCode">Exit now with this code (help, version, a bad command line or configuration, --check-config); null to run.</param>
/// <param name="CommandLine">The parsed command line (null when it did not parse).</param>
/// <param name="ConfigPath">The configuration file read, or null when defaults and environment only.</param>
/// <param name="Options">The validated options when the program should run.</param>
public sealed record Startup<T>(int? ExitCode, CommandLine? CommandLine, string? ConfigPath, T? Options);

/// <summary>
/// The start-up both daemons share: parse the command line, answer --help and --version, find and read
/// psistats.ini with environment overrides, report every bad key on stderr (exit 2), answer --check-config.
/// </summary>
public static class ProgramStartup
{
    /// <summary>Runs the shared start-up steps.</summary>
    /// <param name="program">Program name, for messages (e.g. <c>psistats-agent</c>).</param>
    /// <param name="usage">--help text.</param>
    /// <param name="version">--version text after the program name.</param>
    /// <param name="args">The process arguments.</param>
    /// <param name="allowOnce">Whether <c>--once</c> is accepted.</param>
    /// <param name="read">Reads and validates the program's options.</param>
    /// <param name="stdout">Where answers go.</param>
    /// <param name="stderr">Where errors go.</param>
    public static Startup<T> Prepare<T>(string program, string usage, string version, IReadOnlyList<string> args, bool allowOnce,
        Func<SettingsReader, T> read, TextWriter stdout, TextWriter stderr)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args, allowOnce);
        }
        catch (ArgumentException ex)
        {
            stderr.WriteLine($"{program}: {ex.Message}");
            return new Startup<T>(2, null, null, null);
        }

        if (commandLine.Help || commandLine.Version)
        {
            stdout.WriteLine(commandLine.Help ? usage : $"{program} {version}");
            return new Startup<T>(0, commandLine, null, null);
        }

        string? configPath = null;
        T options;
        try
        {
            configPath = ConfigLoader.ResolvePath(commandLine.ConfigPath);
            var reader = new SettingsReader(ConfigLoader.Load(configPath));
            options = read(reader);
            foreach (var error in reader.Errors)
            {
                stderr.WriteLine($"{program}: {configPath ?? "(defaults)"}: {error}");
            }

            if (reader.Errors.Count > 0)
            {
                return new Startup<T>(2, commandLine, configPath, null);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or FormatException or InvalidDataException)
        {
            // The INI provider wraps the reason (duplicate key, bad line) in an inner exception.
            stderr.WriteLine($"{program}: {ex.Message}{(ex.InnerException is { } inner ? $": {inner.Message}" : "")}");
            return new Startup<T>(2, commandLine, configPath, null);
        }

        if (commandLine.CheckConfig)
        {
            stdout.WriteLine($"{program}: configuration OK ({configPath ?? "no file: defaults and environment only"})");
            return new Startup<T>(0, commandLine, configPath, options);
        }

        return new Startup<T>(null, commandLine, configPath, options);
    }
}
