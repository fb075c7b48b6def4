using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Psistats.Contracts.Configuration;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Publishing;

/// <summary>
/// The disk outbox (<c>[app] spool_dir</c>, at most <c>[app] spool_max_bytes</c>): every frame is appended to
/// the spool before it is published, and leaves it only once the broker confirmed it, so frames survive a
/// broker outage of any length within the bound, and an agent restart or SIGKILL (written data sits in the
/// kernel's page cache; only a power loss can lose the last unsynced writes).
/// <para>Layout: segment files <c>segment-&lt;first seq, 20 digits&gt;.log</c>, one frame per line
/// (<see cref="OutgoingFrame.ToSpoolLine"/>), plus <c>confirmed</c>: the highest sequence the broker confirmed.
/// A new segment starts at each start and every <see cref="SegmentBytes"/>; a segment is deleted once all its
/// frames are confirmed. Past the bound the oldest segment is deleted, its unconfirmed frames counted as
/// dropped and logged. A torn last line (a crash mid-write) is ignored.</para>
/// <para>Sequences continue across restarts, so consumers see no gap for frames that were kept.</para>
/// Only the frames being published are held in memory.
/// </summary>
public sealed class SpoolOutbox : IOutbox, IDisposable
{
    private const string ConfirmedFile = "confirmed";
    private const string SegmentPrefix = "segment-";
    private const string SegmentSuffix = ".log";

    private readonly Lock _lock = new();
    private readonly Doorbell _doorbell = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly BrokerOptions _broker;
    private readonly DropCounter _drops;
    private readonly ILogger _logger;
    private readonly LinkedList<Segment> _segments = new();
    private readonly List<OutgoingFrame> _lookahead = [];
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private FileStream? _writer;
    private long _nextSequence;
    private long _confirmed;
    private long _totalBytes;
    private Segment? _readSegment;
    private long _readOffset;

    /// <summary>Opens (or creates) the spool in <paramref name="directory"/> and counts the frames still waiting in it.</summary>
    /// <exception cref="IOException">When the directory cannot be created or read.</exception>
    public SpoolOutbox(string directory, long maxBytes, BrokerOptions broker, TimeProvider time, ILogger<SpoolOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 4096);
        _directory = Path.GetFullPath(directory);
        _maxBytes = maxBytes;
        _broker = broker;
        _logger = logger;
        _drops = new DropCounter($"spool {_directory} over {maxBytes} bytes", time, logger);
        // Frames may carry what an outsider should not read (hostnames, addresses, disk names): the spool is the agent's alone.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_directory);
        }
        else
        {
            Directory.CreateDirectory(_directory, PrivateDirectory);
            File.SetUnixFileMode(_directory, PrivateDirectory);
        }

        _confirmed = ReadConfirmed();
        _nextSequence = _confirmed + 1;
        foreach (var path in Directory.GetFiles(_directory, SegmentPrefix + "*" + SegmentSuffix).Order(StringComparer.Ordinal))
        {
            long? first = null, last = null;
            foreach (var (frame, _) in ReadLines(path, 0))
            {
                first ??= frame.Sequence;
                last = frame.Sequence;
            }

            var segment = new Segment(path, first ?? _nextSequence, new FileInfo(path).Length);
            segment.LastSequence = last ?? segment.FirstSequence - 1;
            _segments.AddLast(segment);
            _totalBytes += segment.Bytes;
            _nextSequence = Math.Max(_nextSequence, segment.LastSequence + 1);
        }

        _readSegment = _segments.First?.Value;
        DeleteConfirmedSegments();
        Log.SpoolOpened(logger, _directory, Count, maxBytes);
    }

    /// <summary>Size of a segment file before a new one is started: a sixteenth of the bound, between 4 KiB and 4 MiB.</summary>
    public long SegmentBytes => Math.Clamp(_maxBytes / 16, 4096, 4 * 1024 * 1024);

    /// <summary>Bytes the spool's segments take on disk.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_lock)
            {
                return _totalBytes;
            }
        }
    }

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return CountUnconfirmed();
            }
        }
    }

    /// <inheritdoc />
    public long Dropped => _drops.Dropped;

    /// <inheritdoc />
    /// <exception cref="IOException">When the spool cannot be written (disk full, permissions): the reporter's tick counts it as failed.</exception>
    public void Add(Frame frame) => AddRange([frame]);

    /// <inheritdoc />
    /// <exception cref="IOException">When the spool cannot be written (disk full, permissions): the reporter's tick counts it as failed.</exception>
    public void AddRange(IReadOnlyList<Frame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        long dropped = 0;
        lock (_lock)
        {
            foreach (var frame in frames)
            {
                var outgoing = OutgoingFrame.Create(frame, _nextSequence, _broker.Prefix);
                var bytes = Encoding.UTF8.GetBytes(outgoing.ToSpoolLine());
                var segment = WritableSegment();
                _writer!.Write(bytes);
                _writer.Flush();
                _nextSequence++;
                segment.Bytes += bytes.Length;
                segment.LastSequence = outgoing.Sequence;
                _totalBytes += bytes.Length;
                while (_totalBytes > _maxBytes && _segments.First is { } oldest && oldest.Value != segment)
                {
                    dropped += DropOldestSegment();
                }
            }
        }

        _doorbell.Ring();
        if (dropped > 0)
        {
            _drops.Add(dropped);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<OutgoingFrame> Peek(int max)
    {
        lock (_lock)
        {
            while (_lookahead.Count < max && _readSegment is not null)
            {
                var before = _lookahead.Count;
                foreach (var (frame, endOffset) in ReadLines(_readSegment.Path, _readOffset))
                {
                    _readOffset = endOffset;
                    if (frame.Sequence > _confirmed)
                    {
                        _lookahead.Add(frame);
                        if (_lookahead.Count >= max)
                        {
                            break;
                        }
                    }
                }

                var node = _segments.Find(_readSegment);
                if (_lookahead.Count == before && node?.Next is { } next)
                {
                    _readSegment = next.Value;
                    _readOffset = 0;
                }
                else if (_lookahead.Count == before)
                {
                    break;
                }
            }

            return _lookahead.Take(max).ToList();
        }
    }

    /// <inheritdoc />
    public void RemoveThrough(long sequence)
    {
        lock (_lock)
        {
            if (sequence <= _confirmed)
            {
                return;
            }

            _lookahead.RemoveAll(f => f.Sequence <= sequence);
            _confirmed = sequence;
            WriteConfirmed(sequence);
            DeleteConfirmedSegments();
        }
    }

    /// <inheritdoc />
    public Task WaitForFramesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _doorbell.WaitAsync(CountUnconfirmed() > 0, cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    /// <summary>The segment being written: a new one at the first write after start and past <see cref="SegmentBytes"/>.</summary>
    private Segment WritableSegment()
    {
        if (_writer is not null && _segments.Last is { } last && last.Value.Bytes < SegmentBytes)
        {
            return last.Value;
        }

        _writer?.Dispose();
        var path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{SegmentPrefix}{_nextSequence:D20}{SegmentSuffix}"));
        _writer = new FileStream(path, PrivateFileOptions(FileMode.Append, FileShare.Read));
        var segment = new Segment(path, _nextSequence, 0);
        _segments.AddLast(segment);
        _readSegment ??= segment;
        return segment;
    }

    private long DropOldestSegment()
    {
        var oldest = _segments.First!.Value;
        var lost = oldest.Unconfirmed(_confirmed);
        _segments.RemoveFirst();
        _totalBytes -= oldest.Bytes;
        _lookahead.RemoveAll(f => f.Sequence <= oldest.LastSequence);
        if (_readSegment == oldest)
        {
            _readSegment = _segments.First?.Value;
            _readOffset = 0;
        }

        File.Delete(oldest.Path);
        return lost;
    }

    private void DeleteConfirmedSegments()
    {
        while (_segments.First is { } first && first.Value.Unconfirmed(_confirmed) == 0 && (_segments.Count > 1 || _writer is null))
        {
            var segment = first.Value;
            _segments.RemoveFirst();
            _totalBytes -= segment.Bytes;
            if (_readSegment == segment)
            {
                _readSegment = _segments.First?.Value;
                _readOffset = 0;
            }

            File.Delete(segment.Path);
        }
    }

    private int CountUnconfirmed() => _segments.Sum(s => s.Unconfirmed(_confirmed));

    /// <summary>
    /// The complete lines of the segment at <paramref name="path"/> from byte <paramref name="offset"/>, each with the
    /// offset just past it; a torn last line (no line feed yet) is not returned. Streams: nothing is held but one line.
    /// </summary>
    private IEnumerable<(OutgoingFrame Frame, long EndOffset)> ReadLines(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 16384);
        stream.Seek(offset, SeekOrigin.Begin);
        var line = new MemoryStream();
        var buffer = new byte[16384];
        var position = offset;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                line.Write(buffer, start, i - start);
                position += line.Length + 1;
                var text = Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length);
                line.SetLength(0);
                start = i + 1;
                OutgoingFrame frame;
                try
                {
                    frame = OutgoingFrame.FromSpoolLine(text);
                }
                catch (FormatException ex)
                {
                    Log.SpoolBadLine(_logger, _directory, Path.GetFileName(path), ex.Message);
                    continue;
                }

                yield return (frame, position);
            }

            line.Write(buffer, start, read - start);
        }
    }

    private long ReadConfirmed()
    {
        var path = Path.Combine(_directory, ConfirmedFile);
        return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : 0;
    }

    /// <summary>Replaces the confirmed marker atomically (write, then rename over).</summary>
    /// <summary>Options to open a spool file for writing, created 0600 where the OS has modes.</summary>
    private static FileStreamOptions PrivateFileOptions(FileMode mode, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        return options;
    }

    private void WriteConfirmed(long sequence)
    {
        var path = Path.Combine(_directory, ConfirmedFile);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, PrivateFileOptions(FileMode.Create, FileShare.None)))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(sequence.ToString(CultureInfo.InvariantCulture)));
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>One segment file: frames FirstSequence..LastSequence, consecutive (empty when LastSequence &lt; FirstSequence).</summary>
    private sealed class Segment(string path, long firstSequence, long bytes)
    {
        public string Path => path;

        public long FirstSequence => firstSequence;

        public long Bytes { get; set; } = bytes;

        public long LastSequence { get; set; } = firstSequence - 1;

        /// <summary>Frames of this segment above the confirmed sequence.</summary>
        public int Unconfirmed(long confirmed) => (int)Math.Max(0, LastSequence - Math.Max(confirmed, FirstSequence - 1));
    }
}
