using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Storage;
using Psistats.Contracts.Frames;

namespace Psistats.Aggregator.State;

/// <summary>
/// Every host's live state: last frame per reporter, last seen (by the aggregator's receive time, never
/// the agent's clock), up/down. It raises the UP/DOWN changes; the caller records them (events and downtimes live in
/// SQLite, see <see cref="Storage.AlertStore"/>). Thread-safe; frames may be applied more than once
/// (redelivery after a reconnect) without harm.
/// </summary>
public sealed class HostStateStore(AggregatorOptions options, ILogger<HostStateStore> logger)
{
    private static readonly HashSet<string> EnvelopeFields = ["hostname", "reporter", "timestamp", "interval", "seq"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, HostRecord> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _dirty = new(StringComparer.OrdinalIgnoreCase);
    private double _newHostTokens;
    private DateTimeOffset _tokensAt = DateTimeOffset.MinValue;

    /// <summary>
    /// True when <paramref name="frame"/> is at or below the last applied frame of its host and reporter
    /// (<see cref="FramePosition.IsAtOrBelow"/>): a broker redelivery or an agent re-send of a frame already applied.
    /// <paramref name="applied"/> is that last applied position.
    /// </summary>
    public bool IsReplay(FrameEnvelope frame, out FramePosition applied)
    {
        ArgumentNullException.ThrowIfNull(frame);
        applied = default;
        if (FramePosition.Of(frame.Seq, frame.Timestamp) is not { } position)
        {
            return false;
        }

        lock (_lock)
        {
            if (_hosts.TryGetValue(frame.Hostname, out var host) && host.Reporters.TryGetValue(frame.Reporter, out var record)
                && record.Applied is { } last)
            {
                applied = last;
                return position.IsAtOrBelow(last);
            }

            return false;
        }
    }

    /// <summary>
    /// Brings back the last committed position of a host's reporter after a restart (<see cref="Storage.AlertStore.SaveApplied"/>),
    /// so that the frames the broker redelivers and whose effects were committed are recognised as replays.
    /// </summary>
    /// <param name="hostname">The host.</param>
    /// <param name="reporter">The reporter.</param>
    /// <param name="position">The position to set.</param>
    /// <param name="startedAt">First seen, for a host not restored yet.</param>
    /// <param name="keep">False removes the reporter's position instead (none was applied before).</param>
    public void RestoreApplied(string hostname, string reporter, FramePosition position, DateTimeOffset startedAt, bool keep = true)
    {
        lock (_lock)
        {
            if (!_hosts.TryGetValue(hostname, out var host))
            {
                // First seen shortly before a crash, before its batched save: known from its committed frame alone.
                host = new HostRecord(hostname, startedAt);
                _hosts[hostname] = host;
            }

            if (!host.Reporters.TryGetValue(reporter, out var record))
            {
                // A position without a frame yet (after a restart): served by no snapshot until its next frame.
                record = new ReporterRecord();
                host.Reporters[reporter] = record;
            }

            record.Applied = keep ? position : null;
        }
    }

    /// <summary>
    /// Whether a frame of <paramref name="hostname"/> received at <paramref name="now"/> may be applied: always for a known host;
    /// for a new one only below <c>max_hosts</c> and while the bucket of <c>new_hosts_per_minute</c> (aggregator's clock) holds a
    /// token, which this takes.
    /// </summary>
    public bool Admit(string hostname, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_hosts.ContainsKey(hostname))
            {
                return true;
            }

            if (_hosts.Count >= options.MaxHosts)
            {
                return false;
            }

            var rate = options.NewHostsPerMinute;
            if (_tokensAt == DateTimeOffset.MinValue)
            {
                _newHostTokens = rate;
            }
            else if (now > _tokensAt)
            {
                _newHostTokens = Math.Min(rate, _newHostTokens + ((now - _tokensAt).TotalMinutes * rate));
            }

            _tokensAt = now;
            if (_newHostTokens < 1)
            {
                return false;
            }

            _newHostTokens--;
            return true;
        }
    }

    /// <summary>Number of hosts kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _hosts.Count;
            }
        }
    }

    /// <summary>
    /// Removes every host DOWN and silent for longer than <c>forget_after</c> at <paramref name="now"/> (none when it is 0);
    /// returns their names.
    /// </summary>
    public IReadOnlyList<string> Forget(DateTimeOffset now)
    {
        if (options.ForgetAfter <= TimeSpan.Zero)
        {
            return [];
        }

        lock (_lock)
        {
            var forgotten = _hosts.Values.Where(h => h.DownSince is not null && now - h.LastSeen > options.ForgetAfter).Select(h => h.Name).ToList();
            foreach (var name in forgotten)
            {
                _hosts.Remove(name);
                _dirty.Remove(name);
            }

            return forgotten;
        }
    }

    /// <summary>Records a received frame; returns the UP change when the host is new or was DOWN, else null.</summary>
    public HostEvent? Apply(FrameEnvelope frame, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(frame);
        HostEvent? raised = null;
        lock (_lock)
        {
            if (!_hosts.TryGetValue(frame.Hostname, out var host))
            {
                host = new HostRecord(frame.Hostname, receivedAt);
                _hosts[frame.Hostname] = host;
                raised = new HostEvent(receivedAt, host.Name, HostEventKinds.Up, $"{host.Name} is UP (first frame: {frame.Reporter})", null, receivedAt);
            }
            else if (host.DownSince is not null)
            {
                var downtime = (receivedAt - host.LastSeen).TotalSeconds;
                host.DownSince = null;
                raised = new HostEvent(receivedAt, host.Name, HostEventKinds.Up,
                    $"{host.Name} is UP again after {FormatDuration(downtime)} without frames", Math.Round(downtime, 3), host.LastSeen);
            }

            if (receivedAt > host.LastSeen)
            {
                host.LastSeen = receivedAt;
            }

            if (!host.Reporters.TryGetValue(frame.Reporter, out var record))
            {
                record = new ReporterRecord();
                host.Reporters[frame.Reporter] = record;
            }

            record.Store(frame, receivedAt);
            _dirty.Add(host.Name);
        }

        if (raised is not null)
        {
            Log.HostUp(logger, raised.Host, raised.Message);
        }

        return raised;
    }

    /// <summary>
    /// Brings back a host the database knew before a restart, without its values. Its silence is timed from
    /// <paramref name="startedAt"/> (the aggregator's start), not from its last frame: the aggregator cannot tell whether frames
    /// were missed while it was stopped, and the queue's backlog arrives first; a host DOWN before the restart stays DOWN.
    /// </summary>
    public void Restore(StoredHost stored, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(stored);
        lock (_lock)
        {
            if (!_hosts.ContainsKey(stored.Name))
            {
                _hosts[stored.Name] = new HostRecord(stored.Name, stored.FirstSeen)
                {
                    LastSeen = stored.DownSince is null && stored.LastSeen < startedAt ? startedAt : stored.LastSeen,
                    DownSince = stored.DownSince,
                };
            }
        }
    }

    /// <summary>Hosts whose first/last seen or DOWN state changed since the last call (for a batched save).</summary>
    public IReadOnlyList<StoredHost> TakeChanged()
    {
        lock (_lock)
        {
            var changed = _dirty.Select(name => _hosts[name]).Select(h => new StoredHost(h.Name, h.FirstSeen, h.LastSeen, h.DownSince)).ToList();
            _dirty.Clear();
            return changed;
        }
    }

    /// <summary>
    /// After a time the aggregator could not see (not consuming from the broker, or not running at all), times every UP host's
    /// silence from <paramref name="from"/> at the earliest: a host gets a whole down_after from the moment frames can arrive
    /// again before it is declared DOWN. Last-seen times are unchanged.
    /// </summary>
    public void Rebase(DateTimeOffset from)
    {
        lock (_lock)
        {
            foreach (var host in _hosts.Values)
            {
                if (host.DownSince is null && host.SilenceFrom < from)
                {
                    host.SilenceFrom = from;
                }
            }
        }
    }

    /// <summary>
    /// Declares DOWN every up host silent for longer than down_after at <paramref name="now"/> (silence counted from its last
    /// frame, or from the last <see cref="Rebase"/> when later); returns the new DOWN events.
    /// </summary>
    public IReadOnlyList<HostEvent> CheckDown(DateTimeOffset now)
    {
        var raised = new List<HostEvent>();
        lock (_lock)
        {
            foreach (var host in _hosts.Values)
            {
                if (host.DownSince is null && now - (host.LastSeen > host.SilenceFrom ? host.LastSeen : host.SilenceFrom) > options.DownAfter)
                {
                    host.DownSince = now;
                    _dirty.Add(host.Name);
                    raised.Add(new HostEvent(now, host.Name, HostEventKinds.Down,
                        $"{host.Name} is DOWN: no frame for {FormatDuration((now - host.LastSeen).TotalSeconds)} (down_after {options.DownAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)",
                        null, host.LastSeen));
                }
            }
        }

        foreach (var e in raised)
        {
            Log.HostDown(logger, e.Host, e.Message);
        }

        return raised;
    }

    /// <summary>Every host, by name. A host whose stored values cannot be read is listed without them (and logged), never failing the list.</summary>
    public IReadOnlyList<HostSnapshot> Hosts(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _hosts.Values.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase).Select(h => Snapshot(h, now)).ToList();
        }
    }

    /// <summary>One host, or null when unknown.</summary>
    public HostSnapshot? Host(string name, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _hosts.TryGetValue(name, out var host) ? Snapshot(host, now) : null;
        }
    }

    /// <summary>A host's snapshot; when its stored values cannot be read, the host without them (logged), never an exception.</summary>
    private HostSnapshot Snapshot(HostRecord host, DateTimeOffset now)
    {
        var values = new JsonObject();
        var reporters = new SortedDictionary<string, ReporterSnapshot>(StringComparer.Ordinal);
        try
        {
            ReadValues(host, now, values, reporters);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or OverflowException)
        {
            Log.SnapshotFailed(logger, ex, host.Name, ex.Message);
            values.Clear();
            reporters.Clear();
        }

        return new HostSnapshot
        {
            Hostname = host.Name,
            State = host.DownSince is null ? "up" : "down",
            FirstSeen = host.FirstSeen,
            LastSeen = host.LastSeen,
            LastSeenAgeSeconds = Math.Round(Math.Max(0, (now - host.LastSeen).TotalSeconds), 3),
            DownSince = host.DownSince,
            Values = values,
            Reporters = reporters,
        };
    }

    private void ReadValues(HostRecord host, DateTimeOffset now, JsonObject values, SortedDictionary<string, ReporterSnapshot> reporters)
    {
        foreach (var (name, record) in host.Reporters.Where(r => r.Value.Length > 0).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(record.Json.AsMemory(0, record.Length));
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!EnvelopeFields.Contains(property.Name))
                {
                    values[property.Name] = JsonSerializer.SerializeToNode(property.Value);
                }
            }

            var age = now - record.ReceivedAt;
            var interval = record.Interval;
            var staleAfter = interval is > 0 ? TimeSpan.FromSeconds(interval.Value * options.StaleFactor) : options.DownAfter;
            reporters[name] = new ReporterSnapshot
            {
                ReceivedAt = record.ReceivedAt,
                AgeSeconds = Math.Round(Math.Max(0, age.TotalSeconds), 3),
                Interval = interval,
                Stale = age > staleAfter,
                ClockOffsetSeconds = record.Timestamp is { } ts
                    ? Math.Round(record.ReceivedAt.ToUnixTimeMilliseconds() / 1000.0 - ts, 3)
                    : null,
                Frame = JsonSerializer.SerializeToNode(document.RootElement)!,
            };
        }
    }

    /// <summary>"3 min 5 s", "42.0 s", "2 h 1 min": a length of time for people.</summary>
    public static string FormatDuration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return span.TotalMinutes < 1
            ? $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
            : span.TotalHours < 1
                ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
                : $"{(int)span.TotalHours} h {span.Minutes} min";
    }

    private sealed class HostRecord(string name, DateTimeOffset firstSeen)
    {
        public string Name => name;

        public DateTimeOffset FirstSeen { get; } = firstSeen;

        public DateTimeOffset LastSeen { get; set; } = firstSeen;

        public DateTimeOffset? DownSince { get; set; }

        /// <summary>Silence is not counted before this time (see <see cref="Rebase"/>).</summary>
        public DateTimeOffset SilenceFrom { get; set; } = DateTimeOffset.MinValue;

        public Dictionary<string, ReporterRecord> Reporters { get; } = new(StringComparer.Ordinal);

    }

    /// <summary>
    /// A reporter's last frame, kept as its UTF-8 JSON in a buffer reused from frame to frame (parsed again only when served):
    /// in the steady state a frame allocates nothing here, and what is kept holds no object references for the GC to trace.
    /// </summary>
    private sealed class ReporterRecord
    {
        public byte[] Json { get; private set; } = [];

        public int Length { get; private set; }

        public DateTimeOffset ReceivedAt { get; private set; }

        public double? Timestamp { get; private set; }

        public double? Interval { get; private set; }

        /// <summary>The last applied frame's position (<see cref="IsReplay"/>); null for frames not numbered.</summary>
        public FramePosition? Applied { get; set; }

        public void Store(FrameEnvelope frame, DateTimeOffset receivedAt)
        {
            var utf8 = frame.Utf8.IsEmpty ? JsonSerializer.SerializeToUtf8Bytes(frame.Body) : frame.Utf8.Span;
            // A buffer is reused while the frame fits and does not waste more than half of it; else sized with a quarter spare.
            if (utf8.Length > Json.Length || utf8.Length < Json.Length / 2)
            {
                Json = new byte[utf8.Length + (utf8.Length / 4)];
            }

            utf8.CopyTo(Json);
            Length = utf8.Length;
            ReceivedAt = receivedAt;
            Timestamp = frame.Timestamp;
            Interval = frame.Interval;
            if (FramePosition.Of(frame.Seq, frame.Timestamp) is { } position)
            {
                Applied = position;
            }
        }
    }
}
