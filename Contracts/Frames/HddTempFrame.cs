using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Reporter <c>hddtemp</c> (being written: issue 3).</summary>
public sealed record HddTempFrame : Frame
{
    public const string Name = "hddtemp";

    /// <inheritdoc />
    protected override string ReporterName => Name;
}
