namespace Psistats.Contracts.Schema;

/// <summary>The JSON Schema (draft 2020-12) of wire format v1, shipped inside this assembly and beside it as a file.</summary>
public static class FrameSchema
{
    /// <summary>File and resource name of the schema.</summary>
    public const string FileName = "psistats-frame-v1.schema.json";

    /// <summary>The schema text.</summary>
    public static string Read()
    {
        using var stream = typeof(FrameSchema).Assembly.GetManifestResourceStream(FileName)
            ?? throw new InvalidOperationException($"resource {FileName} is missing from {typeof(FrameSchema).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
