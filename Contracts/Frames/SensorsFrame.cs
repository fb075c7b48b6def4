using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Reporter <c>sensors</c> (being written: issue 3).</summary>
public sealed record SensorsFrame : Frame
{
    public const string Name = "sensors";

    /// <inheritdoc />
    protected override string ReporterName => Name;
}
