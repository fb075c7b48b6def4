using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Reporter <c>os</c> (being written: issue 3).</summary>
public sealed record OsFrame : Frame
{
    public const string Name = "os";

    /// <inheritdoc />
    protected override string ReporterName => Name;
}
