using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Reporter <c>diskio</c> (being written: issue 3).</summary>
public sealed record DiskIoFrame : Frame
{
    public const string Name = "diskio";

    /// <inheritdoc />
    protected override string ReporterName => Name;
}
