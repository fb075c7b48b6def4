using Microsoft.Extensions.Configuration;

namespace Psistats.Contracts.Configuration;

/// <summary>
/// Finds and loads psistats.ini, then applies environment overrides
/// <c>PSISTATS_&lt;section&gt;__&lt;key&gt;</c> (standard .NET configuration: <c>__</c> separates levels).
/// </summary>
public static class ConfigLoader
{
    /// <summary>The system-wide location that packages install.</summary>
    public const string SystemPath = "/etc/psistats/psistats.ini";

    /// <summary>Prefix of the environment variables that override file values.</summary>
    public const string EnvironmentPrefix = "PSISTATS_";

    /// <summary>
    /// Resolves the file to read: <paramref name="explicitPath"/> when given (it must exist),
    /// else /etc/psistats/psistats.ini, else ./psistats.ini, else none (defaults only).
    /// </summary>
    /// <exception cref="FileNotFoundException">When <paramref name="explicitPath"/> does not exist.</exception>
    public static string? ResolvePath(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return File.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new FileNotFoundException($"configuration file not found: {explicitPath}", explicitPath);
        }

        if (File.Exists(SystemPath))
        {
            return SystemPath;
        }

        var local = Path.GetFullPath("psistats.ini");
        return File.Exists(local) ? local : null;
    }

    /// <summary>Builds the configuration from <paramref name="path"/> (may be null) plus environment overrides.</summary>
    /// <exception cref="FormatException">When the file is not valid INI.</exception>
    public static IConfigurationRoot Load(string? path)
    {
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            builder.AddIniFile(path, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        return builder.Build();
    }
}
