using System.Text.Json.Serialization;

namespace Psistats.Contracts.Frames;

/// <summary>Reporter <c>net</c> (being written: issue 3).</summary>
public sealed record NetFrame : Frame
{
    public const string Name = "net";

    /// <inheritdoc />
    protected override string ReporterName => Name;
}
