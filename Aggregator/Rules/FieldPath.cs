using System.Text;

namespace Psistats.Aggregator.Rules;

/// <summary>What one segment of a <see cref="FieldPath"/> selects.</summary>
internal enum SegmentKind
{
    /// <summary>An object member by name (<c>pcent</c>, <c>Device Rejected%</c>, <c>["a.b"]</c>).</summary>
    Name,

    /// <summary>One array element (<c>[3]</c>).</summary>
    Index,

    /// <summary>Every member of an object or element of an array (<c>*</c>, <c>[*]</c>): binds part of the instance.</summary>
    Wildcard,
}

/// <summary>One segment of a <see cref="FieldPath"/>; <see cref="Utf8"/> is the name pre-encoded for allocation-free lookups.</summary>
internal sealed record PathSegment(SegmentKind Kind, string Name, byte[] Utf8, int Index)
{
    public bool SameAs(PathSegment other) => Kind == other.Kind && Index == other.Index && string.Equals(Name, other.Name, StringComparison.Ordinal);
}

/// <summary>
/// A field path of a rule condition, parsed once: segments separated by <c>.</c>; <c>*</c> every member of an object (or
/// element of an array); <c>[*]</c> every element of an array (or member of an object); <c>[n]</c> the element at index n;
/// <c>["name"]</c> (or <c>['name']</c>) a member whose name holds dots or brackets. Names may hold spaces, <c>%</c>,
/// <c>/</c> and <c>-</c> (<c>asc[*].Device Rejected%</c>, <c>diskio.*.r/s</c>); spaces around a name are dropped.
/// </summary>
internal sealed class FieldPath
{
    private FieldPath(string text, PathSegment[] segments)
    {
        Text = text;
        Segments = segments;
        Wildcards = segments.Count(s => s.Kind == SegmentKind.Wildcard);
        Leaf = segments.LastOrDefault(s => s.Kind == SegmentKind.Name)?.Name ?? text;
    }

    /// <summary>The path as written (trimmed).</summary>
    public string Text { get; }

    /// <summary>The segments, first to last.</summary>
    public IReadOnlyList<PathSegment> Segments { get; }

    /// <summary>How many wildcards the path has: the number of parts of an instance name.</summary>
    public int Wildcards { get; }

    /// <summary>The last named segment (<c>pcent</c>, <c>core_temps</c>): what messages call the value.</summary>
    public string Leaf { get; }

    /// <summary>True when both paths select the same fields.</summary>
    public bool SameAs(FieldPath other) =>
        Segments.Count == other.Segments.Count && Segments.Zip(other.Segments).All(p => p.First.SameAs(p.Second));

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Parses <paramref name="text"/>; on failure returns null and says why in <paramref name="error"/>.</summary>
    public static FieldPath? TryParse(string text, out string? error)
    {
        var trimmed = text.Trim();
        var segments = new List<PathSegment>();
        var name = new StringBuilder();
        var afterBracket = false;
        error = null;
        if (trimmed.Length == 0)
        {
            error = "bad path: it is empty";
            return null;
        }

        for (var i = 0; i < trimmed.Length && error is null; i++)
        {
            var c = trimmed[i];
            if (c == '.')
            {
                if (name.ToString().Trim().Length == 0 && !afterBracket)
                {
                    error = $"bad path '{trimmed}': empty name before the '.' at position {i + 1}";
                }
                else if (name.Length > 0)
                {
                    error = AddName(segments, name, trimmed);
                }

                afterBracket = false;
                if (error is null && i == trimmed.Length - 1)
                {
                    error = $"bad path '{trimmed}': it ends with '.'";
                }
            }
            else if (c == '[')
            {
                if (name.Length > 0)
                {
                    error = AddName(segments, name, trimmed);
                }

                var close = FindClose(trimmed, i);
                if (error is null)
                {
                    (var segment, error) = close < 0
                        ? (null, $"bad path '{trimmed}': '[' at position {i + 1} is not closed")
                        : Bracket(trimmed, trimmed[(i + 1)..close]);
                    if (segment is not null)
                    {
                        segments.Add(segment);
                        i = close;
                        afterBracket = true;
                        if (i + 1 < trimmed.Length && trimmed[i + 1] is not ('.' or '['))
                        {
                            error = $"bad path '{trimmed}': expected '.' or '[' after ']' at position {i + 1}";
                        }
                    }
                }
            }
            else if (c == ']')
            {
                error = $"bad path '{trimmed}': ']' at position {i + 1} closes nothing";
            }
            else
            {
                if (afterBracket)
                {
                    error = $"bad path '{trimmed}': expected '.' or '[' after ']'";
                }

                name.Append(c);
            }
        }

        if (error is null && name.Length > 0)
        {
            error = AddName(segments, name, trimmed);
        }

        return error is null ? new FieldPath(trimmed, [.. segments]) : null;
    }

    private static string? AddName(List<PathSegment> segments, StringBuilder name, string path)
    {
        var text = name.ToString().Trim();
        name.Clear();
        if (text.Length == 0)
        {
            return $"bad path '{path}': empty name";
        }

        if (text == "*")
        {
            segments.Add(Wildcard);
            return null;
        }

        if (text.Contains('*', StringComparison.Ordinal))
        {
            return $"bad path '{path}': '*' must be a whole segment ('{text}'); quote a name holding '*' as [\"{text}\"]";
        }

        segments.Add(new PathSegment(SegmentKind.Name, text, Encoding.UTF8.GetBytes(text), -1));
        return null;
    }

    private static readonly PathSegment Wildcard = new(SegmentKind.Wildcard, "*", [], -1);

    private static int FindClose(string path, int open)
    {
        var quote = open + 1 < path.Length && path[open + 1] is '"' or '\'' ? path[open + 1] : '\0';
        if (quote == '\0')
        {
            return path.IndexOf(']', open + 1);
        }

        var end = path.IndexOf(quote, open + 2);
        return end < 0 || end + 1 >= path.Length || path[end + 1] != ']' ? -1 : end + 1;
    }

    private static (PathSegment? Segment, string? Error) Bracket(string path, string inner)
    {
        var content = inner.Trim();
        if (content == "*")
        {
            return (Wildcard, null);
        }

        if (content.Length >= 2 && content[0] is '"' or '\'' && content[^1] == content[0])
        {
            var name = content[1..^1];
            return name.Length == 0
                ? (null, $"bad path '{path}': empty quoted name")
                : (new PathSegment(SegmentKind.Name, name, Encoding.UTF8.GetBytes(name), -1), null);
        }

        if (content.Length is > 0 and <= 9 && content.All(char.IsAsciiDigit))
        {
            return (new PathSegment(SegmentKind.Index, content, [], int.Parse(content, System.Globalization.CultureInfo.InvariantCulture)), null);
        }

        return (null, $"bad path '{path}': '[{inner}]' is not [*], [n] or [\"name\"]");
    }
}
