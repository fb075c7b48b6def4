using System.Globalization;

namespace Psistats.Bench;

/// <summary>
/// A simulated fleet of <see cref="Count"/> hosts named <c>host00001</c>, <c>host00002</c>, ... and the frames they send:
/// <list type="bullet">
/// <item>every tenth host (<c>i % 10 == 0</c>) is a Cointerra miner polled by a proxy agent: one cgminer frame every 30 s;
/// one miner in twenty (<c>i % 200 == 0</c>) has a sick ASIC and a hot board (its alerts fire and stay firing);</item>
/// <item>the others run the agent with the frames of fixture host <c>i % 7</c> (<see cref="FixtureFrames.HostNames"/>) at the
/// fixtures' intervals (cpu and mem every 2 s, cpu_temp, diskio, load, net every 5 s, sensors every 10 s, hddtemp every
/// 30 s, uptime and hddspace every 60 s, os every 600 s); one agent in a hundred (<c>i % 100 == 1</c>) has a filesystem
/// over 90 % (disk_space fires and stays firing).</item>
/// </list>
/// At these intervals the fleet sends about 118 frames a minute per agent host and 2 per miner: about 17,700 frames/s
/// for 10,000 hosts.
/// </summary>
internal sealed class Fleet
{
    private readonly FrameTemplate[][] _frames;

    /// <summary>A fleet of <paramref name="count"/> hosts with the frames of <paramref name="fixtures"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not between 1 and 99,999.</exception>
    public Fleet(FixtureFrames fixtures, int count)
    {
        ArgumentNullException.ThrowIfNull(fixtures);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 99_999);
        Count = count;
        _frames = new FrameTemplate[count + 1][];
        for (var i = 1; i <= count; i++)
        {
            if (i % 10 == 0)
            {
                _frames[i] = [IsFaulty(i) ? fixtures.SickMiner : fixtures.Miner];
            }
            else
            {
                var fixture = FixtureFrames.HostNames[i % FixtureFrames.HostNames.Length];
                _frames[i] = [.. fixtures.Hosts[fixture].Select(f => f.Reporter == "hddspace" && IsFaulty(i) ? fixtures.FullDisk[fixture] : f)];
            }
        }
    }

    /// <summary>Hosts in the fleet.</summary>
    public int Count { get; }

    /// <summary>Whether host <paramref name="i"/> sends faulty frames (a full disk, a sick miner) whose alerts fire.</summary>
    public static bool IsFaulty(int i) => i % 100 == 1 || i % 200 == 0;

    /// <summary>Name of host <paramref name="i"/> (1-based): <c>host00042</c>.</summary>
    public static string HostName(int i) => "host" + i.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>The frames host <paramref name="i"/> (1-based) sends, one per reporter.</summary>
    public IReadOnlyList<FrameTemplate> FramesOf(int i) => _frames[i];

    /// <summary>One frame of every reporter of every host, host after host: what the aggregator sees first of a new fleet.</summary>
    public IEnumerable<(string Host, FrameTemplate Frame)> FirstRound()
    {
        for (var i = 1; i <= Count; i++)
        {
            var host = HostName(i);
            foreach (var frame in _frames[i])
            {
                yield return (host, frame);
            }
        }
    }

    /// <summary>
    /// The frames in the order the fleet sends them, over <paramref name="seconds"/> seconds (null: without end): second by
    /// second, each host sends the frames whose interval has come round (host i's reporters are offset by i seconds, so
    /// that hosts do not all send at once).
    /// </summary>
    public IEnumerable<(string Host, FrameTemplate Frame)> Schedule(long? seconds = null)
    {
        for (long second = 0; seconds is null || second < seconds; second++)
        {
            for (var i = 1; i <= Count; i++)
            {
                var host = (string?)null;
                foreach (var frame in _frames[i])
                {
                    var interval = Math.Max(1, (long)frame.Interval);
                    if ((second + i) % interval == 0)
                    {
                        host ??= HostName(i);
                        yield return (host, frame);
                    }
                }
            }
        }
    }
}
