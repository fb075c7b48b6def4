using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Reporter <c>load</c> (being written: issue 3).</summary>
public sealed record LoadFrame : Frame
{
    public const string Name = "load";

    /// <inheritdoc />
    protected override string ReporterName => Name;
}
