using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Reporter <c>hddspace</c> (being written: issue 3).</summary>
public sealed record HddSpaceFrame : Frame
{
    public const string Name = "hddspace";

    /// <inheritdoc />
    protected override string ReporterName => Name;
}
