namespace Psistats.Contracts.Configuration;

/// <summary>The options both programs accept: <c>--config PATH</c>, <c>--check-config</c>, <c>--once</c> (agent), <c>--help</c>, <c>--version</c>.</summary>
/// <param name="ConfigPath">Value of <c>--config</c>, or null.</param>
/// <param name="CheckConfig">Validate the configuration and exit.</param>
/// <param name="Once">Agent only: print one frame per reporter and exit.</param>
/// <param name="Help">Print usage and exit.</param>
/// <param name="Version">Print the version and exit.</param>
public sealed record CommandLine(string? ConfigPath, bool CheckConfig, bool Once, bool Help, bool Version)
{
    /// <summary>Parses <paramref name="args"/>; <paramref name="allowOnce"/> enables <c>--once</c>.</summary>
    /// <exception cref="ArgumentException">On an unknown option or a missing value, with a message fit for the user.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args, bool allowOnce)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new CommandLine(null, false, false, false, false);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                result = result with { ConfigPath = arg["--config=".Length..] };
                continue;
            }

            result = arg switch
            {
                "--config" or "-c" => i + 1 < args.Count ? result with { ConfigPath = args[++i] } : throw new ArgumentException("--config needs a path"),
                "--check-config" => result with { CheckConfig = true },
                "--once" when allowOnce => result with { Once = true },
                "--help" or "-h" => result with { Help = true },
                "--version" => result with { Version = true },
                _ => throw new ArgumentException($"unknown option '{arg}' (see --help)"),
            };
        }

        return result;
    }
}
