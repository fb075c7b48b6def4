using System.Text;

namespace Psistats.Agent.Reporters;

/// <summary>
/// The per-name state a rate reporter keeps between two samples of a kernel counter file (/proc/diskstats,
/// /proc/net/dev): the last counters of each device or interface, and what was decided about it when it was first
/// seen (<typeparamref name="TInfo"/>: ignored, a device-mapper name...). Names are looked up from the file's bytes
/// without allocating; an entry is created on first sight and dropped when a sample no longer lists it.
/// One instance per reporter (not thread-safe).
/// </summary>
/// <typeparam name="TCounters">The counters of one line.</typeparam>
/// <typeparam name="TInfo">What is decided once per name.</typeparam>
public sealed class CounterTable<TCounters, TInfo>
    where TCounters : struct
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _byName;
    private readonly List<string> _gone = [];
    private readonly char[] _name;
    private readonly string _path;
    private readonly string _what;
    private readonly Func<string, TInfo> _describe;
    private long _sample;

    /// <summary>A table for names of at most <paramref name="maxNameLength"/> characters read from <paramref name="path"/>.</summary>
    /// <param name="path">The counter file, for error messages.</param>
    /// <param name="what">What a name is ("a device", "an interface"), for error messages.</param>
    /// <param name="maxNameLength">Longest name accepted, characters.</param>
    /// <param name="describe">Decides, once per new name, what is kept about it.</param>
    public CounterTable(string path, string what, int maxNameLength, Func<string, TInfo> describe)
    {
        _path = path;
        _what = what;
        _describe = describe;
        _name = new char[maxNameLength];
        _byName = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Starts a sample: entries not <see cref="Find"/>-ed before <see cref="EndSample"/> are dropped then.</summary>
    public void BeginSample() => _sample++;

    /// <summary>The entry of the name in <paramref name="nameBytes"/> (UTF-8), created on first sight; marks it seen in this sample.</summary>
    /// <exception cref="FormatException">When the name is longer than the table accepts.</exception>
    public Entry Find(ReadOnlySpan<byte> nameBytes)
    {
        if (nameBytes.Length > _name.Length)
        {
            throw new FormatException($"{_path}: {_what} name is longer than {_name.Length} characters");
        }

        var chars = _name.AsSpan(0, Encoding.UTF8.GetChars(nameBytes, _name));
        if (!_byName.TryGetValue(chars, out var entry))
        {
            var name = chars.ToString();
            entry = new Entry(name, _describe(name));
            _entries.Add(name, entry);
        }

        entry.Sample = _sample;
        return entry;
    }

    /// <summary>Drops the entries this sample did not list (a device removed, an interface gone).</summary>
    public void EndSample()
    {
        foreach (var (name, entry) in _entries)
        {
            if (entry.Sample != _sample)
            {
                _gone.Add(name);
            }
        }

        foreach (var name in _gone)
        {
            _entries.Remove(name);
        }

        _gone.Clear();
    }

    /// <summary>Forgets every entry (the counter file went away).</summary>
    public void Clear() => _entries.Clear();

    /// <summary>One name's state.</summary>
    public sealed class Entry(string name, TInfo info)
    {
        /// <summary>The device or interface name.</summary>
        public string Name { get; } = name;

        /// <summary>What was decided when the name was first seen.</summary>
        public TInfo Info { get; } = info;

        /// <summary>The counters of the previous sample; null before the second sample of this name.</summary>
        public TCounters? Previous { get; set; }

        /// <summary>The last sample that listed this name.</summary>
        internal long Sample { get; set; }
    }
}
