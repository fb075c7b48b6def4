using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>
/// Reporter <c>os</c>: the distribution (os-release(5): <c>/etc/os-release</c>, else <c>/usr/lib/os-release</c>),
/// the kernel (<c>/proc/sys/kernel/osrelease</c> and <c>version</c>, as <c>uname -r</c> and <c>uname -v</c>) and the
/// machine architecture (<c>uname -m</c>).
/// </summary>
public sealed record OsFrame : Frame
{
    public const string Name = "os";

    /// <inheritdoc />
    protected override string ReporterName => Name;

    /// <summary>os-release PRETTY_NAME, e.g. <c>Debian GNU/Linux 12 (bookworm)</c>; <c>Linux</c> when unset (os-release(5)). JSON <c>os</c> (psistats' display string).</summary>
    [JsonPropertyName("os")]
    public string Os { get; init; } = "";

    /// <summary>os-release NAME, e.g. <c>Debian GNU/Linux</c>; <c>Linux</c> when unset. JSON <c>os_name</c>.</summary>
    [JsonPropertyName("os_name")]
    public string OsName { get; init; } = "";

    /// <summary>os-release ID, e.g. <c>debian</c>; <c>linux</c> when unset. JSON <c>os_id</c>.</summary>
    [JsonPropertyName("os_id")]
    public string OsId { get; init; } = "";

    /// <summary>os-release VERSION_ID, e.g. <c>12</c>, <c>24.04</c>; null when absent (rolling releases). JSON <c>os_version_id</c>.</summary>
    [JsonPropertyName("os_version_id")]
    public string? OsVersionId { get; init; }

    /// <summary>os-release VERSION_CODENAME, e.g. <c>bookworm</c>; null when absent or empty. JSON <c>os_version_codename</c>.</summary>
    [JsonPropertyName("os_version_codename")]
    public string? OsVersionCodename { get; init; }

    /// <summary>Kernel release, <c>uname -r</c>, e.g. <c>6.1.0-18-amd64</c>. JSON <c>kernel</c>.</summary>
    [JsonPropertyName("kernel")]
    public string Kernel { get; init; } = "";

    /// <summary>Kernel build version, <c>uname -v</c>, e.g. <c>#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)</c>. JSON <c>kernel_version</c>.</summary>
    [JsonPropertyName("kernel_version")]
    public string KernelVersion { get; init; } = "";

    /// <summary>Machine hardware name, <c>uname -m</c>: <c>x86_64</c>, <c>aarch64</c>, <c>armv7l</c>, ... JSON <c>arch</c>.</summary>
    [JsonPropertyName("arch")]
    public string Arch { get; init; } = "";
}
