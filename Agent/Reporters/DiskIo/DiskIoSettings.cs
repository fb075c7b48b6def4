namespace Psistats.Agent.Reporters.DiskIo;

/// <summary>The keys of <c>[diskio]</c> beyond <c>enabled</c> and <c>interval</c>.</summary>
/// <param name="Partitions"><c>partitions</c> (default no): also report partitions (devices with a <c>partition</c> file in /sys/class/block/&lt;dev&gt;/).</param>
/// <param name="Ignore"><c>ignore</c> (default <c>loop* ram* zram*</c>): kernel device names not reported.</param>
public sealed record DiskIoSettings(bool Partitions, NamePatterns Ignore)
{
    /// <summary>Default of <c>ignore</c>: loop devices, RAM disks (brd) and compressed RAM (zram), which are memory, not disks.</summary>
    public const string DefaultIgnore = "loop* ram* zram*";

    /// <summary>The defaults.</summary>
    public static readonly DiskIoSettings Default = new(false, new NamePatterns(DefaultIgnore.Split(' ')));
}
