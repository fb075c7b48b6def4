using System.Text.RegularExpressions;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Reporters.Sensors;

/// <summary>
/// One entry of <c>[sensors] devices</c>: psistats' <c>(LABEL, chip.feature)</c>. Selects the feature <see cref="Feature"/>
/// (sysfs name: <c>temp1</c>, <c>fan2</c>, <c>in0</c>, <c>power1</c>, <c>curr1</c>, <c>humidity1</c>) of every chip named
/// <see cref="Chip"/> (and, when <see cref="Device"/> is given, whose device path is that one), and sends it under <see cref="Label"/>.
/// </summary>
/// <param name="Label">The label the feature is sent under.</param>
/// <param name="Chip">The chip's hwmon <c>name</c>.</param>
/// <param name="Device">The chip's device path relative to /sys/devices (<c>platform/coretemp.1</c>), or null for any.</param>
/// <param name="Feature">The sysfs feature name.</param>
public sealed partial record SensorSelector(string Label, string Chip, string? Device, string Feature)
{
    /// <summary>Whether this entry selects <paramref name="feature"/> of <paramref name="chip"/>.</summary>
    public bool Matches(SensorChip chip, SensorFeature feature)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(feature);
        return chip.Name == Chip && (Device is null || chip.Device == Device) && feature.Feature == Feature;
    }

    /// <summary>
    /// Parses the value of <c>[sensors] devices</c>: entries <c>(LABEL, chip.feature)</c> or bare <c>chip.feature</c> (the label is
    /// then the entry itself, as in psistats), one after another on one line, optionally separated by <c>,</c> or <c>;</c>.
    /// LABEL is everything before the last comma inside the parentheses (it may contain commas, not parentheses).
    /// <c>chip</c> is an hwmon name, optionally followed by <c>@</c> and a device path to tell chips of the same name apart
    /// (<c>coretemp@platform/coretemp.1.temp1</c>); libsensors' any-bus wildcard <c>name-*</c> is accepted as <c>name</c>.
    /// The feature is what follows the last dot.
    /// </summary>
    /// <returns>The entries in order, or the reason the value is not valid.</returns>
    public static (IReadOnlyList<SensorSelector> Selectors, string? Error) ParseList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var selectors = new List<SensorSelector>();
        var i = 0;
        while (true)
        {
            while (i < value.Length && (char.IsWhiteSpace(value[i]) || value[i] is ',' or ';'))
            {
                i++;
            }

            if (i == value.Length)
            {
                return (selectors, null);
            }

            string label;
            string target;
            string entry;
            if (value[i] == '(')
            {
                var close = value.IndexOf(')', i);
                if (close < 0)
                {
                    return ([], $"'{value[i..]}' has no closing parenthesis");
                }

                entry = value[i..(close + 1)];
                var inside = value[(i + 1)..close];
                var comma = inside.LastIndexOf(',');
                if (comma < 0 || inside.Contains('(', StringComparison.Ordinal))
                {
                    return ([], $"'{entry}' is not (LABEL, chip.feature)");
                }

                label = inside[..comma].Trim();
                target = inside[(comma + 1)..].Trim();
                if (label.Length == 0)
                {
                    return ([], $"'{entry}' has an empty label");
                }

                i = close + 1;
            }
            else
            {
                var end = i;
                while (end < value.Length && !char.IsWhiteSpace(value[end]) && value[end] is not (',' or ';'))
                {
                    end++;
                }

                entry = value[i..end];
                if (entry.Contains('(', StringComparison.Ordinal) || entry.Contains(')', StringComparison.Ordinal))
                {
                    return ([], $"'{entry}' is not (LABEL, chip.feature) or chip.feature");
                }

                label = target = entry;
                i = end;
            }

            var (selector, error) = ParseTarget(label, target);
            if (selector is null)
            {
                return ([], $"'{entry}': {error}");
            }

            selectors.Add(selector);
        }
    }

    private static (SensorSelector? Selector, string? Error) ParseTarget(string label, string target)
    {
        var dot = target.LastIndexOf('.');
        if (dot <= 0 || dot == target.Length - 1)
        {
            return (null, $"'{target}' is not chip.feature (e.g. coretemp.temp1)");
        }

        var chip = target[..dot];
        var feature = target[(dot + 1)..];
        if (!FeatureName().IsMatch(feature))
        {
            return (null, $"'{feature}' is not a feature name (temp1, fan1, in0, power1, curr1, humidity1, ...)");
        }

        string? device = null;
        var at = chip.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            device = chip[(at + 1)..];
            chip = chip[..at];
            if (device.Length == 0 || device.StartsWith('/') || device.Any(char.IsWhiteSpace))
            {
                return (null, $"'{device}' is not a device path relative to /sys/devices (e.g. platform/coretemp.0)");
            }
        }

        if (chip.EndsWith("-*", StringComparison.Ordinal))
        {
            chip = chip[..^2];
        }

        if (chip.Length == 0 || chip.Any(c => char.IsWhiteSpace(c) || c is '*' or '@' or '/'))
        {
            return (null, $"'{chip}' is not an hwmon chip name (e.g. coretemp, nct6775)");
        }

        return chip.Contains('-', StringComparison.Ordinal)
            ? (null, $"'{chip}' looks like a libsensors chip name: write the hwmon name ('{chip[..chip.IndexOf('-', StringComparison.Ordinal)]}'), and add @<device path> to pick one of several chips of that name")
            : (new SensorSelector(label, chip, device, feature), null);
    }

    [GeneratedRegex("^(temp|fan|in|power|curr|humidity)[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex FeatureName();
}
