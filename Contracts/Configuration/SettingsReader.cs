using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Psistats.Contracts.Configuration;

/// <summary>One problem found in the configuration, named by section and key.</summary>
public sealed record ConfigError(string Section, string Key, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"[{Section}] {Key}: {Message}";
}

/// <summary>
/// Typed, validating reads of psistats.ini values (after environment overrides such as
/// <c>PSISTATS_server__url</c>). Problems are collected, not thrown, so that
/// <c>--check-config</c> can report every bad key at once.
/// Booleans accept yes/no, true/false, on/off and 1/0 as psistats did.
/// </summary>
public sealed class SettingsReader(IConfiguration configuration)
{
    private readonly List<ConfigError> _errors = [];

    /// <summary>Every problem found so far, in the order they were read.</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>The configuration being read.</summary>
    public IConfiguration Configuration => configuration;

    /// <summary>Records a problem found by a caller's own check.</summary>
    public void AddError(string section, string key, string message) => _errors.Add(new ConfigError(section, key, message));

    /// <summary>The raw value, or null when the key is absent or empty.</summary>
    public string? GetRaw(string section, string key)
    {
        var value = configuration[$"{section}:{key}"];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A string value, or <paramref name="defaultValue"/> when absent.</summary>
    public string GetString(string section, string key, string defaultValue) => GetRaw(section, key) ?? defaultValue;

    /// <summary>A boolean: yes/no, true/false, on/off, 1/0 (any case).</summary>
    public bool GetBool(string section, string key, bool defaultValue)
    {
        var raw = GetRaw(section, key);
        if (raw is null)
        {
            return defaultValue;
        }

        switch (raw.ToLowerInvariant())
        {
            case "yes" or "true" or "on" or "1":
                return true;
            case "no" or "false" or "off" or "0":
                return false;
            default:
                AddError(section, key, $"'{raw}' is not a boolean (use yes/no, true/false, on/off or 1/0)");
                return defaultValue;
        }
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long GetInt(string section, string key, long defaultValue, long min, long max)
    {
        var raw = GetRaw(section, key);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            AddError(section, key, $"'{raw}' is not a whole number");
            return defaultValue;
        }

        if (value < min || value > max)
        {
            AddError(section, key, $"{value} is out of range [{min}, {max}]");
            return defaultValue;
        }

        return value;
    }

    /// <summary>A number of seconds (decimals allowed) within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public TimeSpan GetSeconds(string section, string key, double defaultSeconds, double min, double max)
    {
        var raw = GetRaw(section, key);
        if (raw is null)
        {
            return TimeSpan.FromSeconds(defaultSeconds);
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            AddError(section, key, $"'{raw}' is not a number of seconds");
            return TimeSpan.FromSeconds(defaultSeconds);
        }

        if (value < min || value > max)
        {
            AddError(section, key, $"{value.ToString(CultureInfo.InvariantCulture)} s is out of range [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
            return TimeSpan.FromSeconds(defaultSeconds);
        }

        return TimeSpan.FromSeconds(value);
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in lower case.</summary>
    public string GetChoice(string section, string key, string defaultValue, params string[] allowed)
    {
        var raw = GetRaw(section, key);
        if (raw is null)
        {
            return defaultValue;
        }

        var lower = raw.ToLowerInvariant();
        if (Array.IndexOf(allowed, lower) < 0)
        {
            AddError(section, key, $"'{raw}' is not one of: {string.Join(", ", allowed)}");
            return defaultValue;
        }

        return lower;
    }

    /// <summary>Reports every key of <paramref name="section"/> that is not in <paramref name="knownKeys"/> (a typo guard).</summary>
    public void CheckUnknownKeys(string section, IReadOnlyCollection<string> knownKeys)
    {
        foreach (var child in configuration.GetSection(section).GetChildren())
        {
            if (!knownKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                AddError(section, child.Key, $"unknown key (known: {string.Join(", ", knownKeys)})");
            }
        }
    }
}
