using System.IO.Enumeration;
using Psistats.Contracts.Configuration;

namespace Psistats.Agent.Reporters;

/// <summary>
/// A list of shell-style name patterns (<c>*</c> any characters, <c>?</c> one character, case-sensitive; matched with
/// <see cref="FileSystemName.MatchesSimpleExpression(ReadOnlySpan{char}, ReadOnlySpan{char}, bool)"/>), as an ini key
/// such as <c>[net] ignore = lo docker* veth*</c> gives it.
/// </summary>
public sealed class NamePatterns
{
    private readonly string[] _patterns;

    /// <summary>The patterns, e.g. <c>["lo", "docker*"]</c>.</summary>
    public NamePatterns(IEnumerable<string> patterns) => _patterns = [.. patterns];

    /// <summary>The patterns, in the order given.</summary>
    public IReadOnlyList<string> Patterns => _patterns;

    /// <summary>Whether any pattern matches the whole of <paramref name="name"/>.</summary>
    public bool Matches(string name)
    {
        foreach (var pattern in _patterns)
        {
            if (FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads <c>[<paramref name="section"/>] <paramref name="key"/></c>, patterns separated by spaces or commas.
    /// Absent: <paramref name="defaultValue"/>. Present but empty: no pattern (nothing is ignored).
    /// </summary>
    public static NamePatterns Read(SettingsReader reader, string section, string key, string defaultValue)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var raw = reader.Configuration[$"{section}:{key}"] ?? defaultValue;
        return new NamePatterns(raw.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries));
    }
}
