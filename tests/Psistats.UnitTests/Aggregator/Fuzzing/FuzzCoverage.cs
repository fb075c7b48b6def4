using System.Collections.Concurrent;

namespace Psistats.UnitTests.Aggregator.Fuzzing;

/// <summary>What the replayed runs went through (frames accepted and rejected by reason, events by kind, remediations, notifications), so that a passing fuzz run shows it reached the paths it is meant to.</summary>
internal sealed class FuzzCoverage
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Add(string what, long count = 1) => _counts.AddOrUpdate(what, count, (_, n) => n + count);

    public long this[string what] => _counts.GetValueOrDefault(what);

    public override string ToString() => string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}
