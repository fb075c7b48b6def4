using System.Globalization;

namespace Psistats.LoadGen;

/// <summary>The <c>--name value</c> options of a command line; every option is checked and every one must be used.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Reads <paramref name="args"/> (pairs <c>--name value</c>).</summary>
    /// <exception cref="UsageException">An argument is not such a pair, or an option is given twice.</exception>
    public Arguments(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3)
            {
                throw new UsageException($"expected an option --NAME, got '{name}'");
            }

            if (!e.MoveNext())
            {
                throw new UsageException($"{name} needs a value");
            }

            if (!_values.TryAdd(name[2..], e.Current))
            {
                throw new UsageException($"{name} is given twice");
            }
        }
    }

    /// <summary>The value of <c>--name</c>, or <paramref name="fallback"/>; without a fallback the option is required.</summary>
    public string Text(string name, string? fallback = null)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var value) ? value
            : fallback ?? throw new UsageException($"--{name} is required");
    }

    /// <summary>The whole number of <c>--name</c> between <paramref name="min"/> and <paramref name="max"/>; required without a fallback.</summary>
    public long Number(string name, long? fallback, long min, long max)
    {
        var text = Text(name, fallback?.ToString(CultureInfo.InvariantCulture));
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"--{name} must be a whole number from {min} to {max} (got '{text}')");
    }

    /// <summary>Fails on an option no command asked for.</summary>
    /// <exception cref="UsageException">An option was not used.</exception>
    public void CheckAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException("unknown option(s) for this command: " + string.Join(", ", unknown.Select(k => "--" + k)));
        }
    }
}

/// <summary>A command line the tool cannot run: the message says why; the tool prints it with its usage and exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
