using System.Text.Json;

namespace Psistats.Agent.Reporters.HddTemp;

/// <summary>
/// What one <c>smartctl --json -i -A -n standby /dev/X</c> run said about a disk (smartmontools' JSON output,
/// smartctl(8) <c>--json</c>): <c>temperature.current</c> (degrees C, present for ATA, SCSI and NVMe devices that report one),
/// <c>model_name</c>, <c>serial_number</c>, and otherwise why there is no temperature (<c>smartctl.messages</c>,
/// e.g. "Device is in STANDBY mode", "Permission denied").
/// </summary>
/// <param name="Temp">Degrees C, or null.</param>
/// <param name="Model">The drive's model, or null.</param>
/// <param name="Serial">The drive's serial number, or null.</param>
/// <param name="Problem">Why <paramref name="Temp"/> is null; null when it is not.</param>
public sealed record SmartctlReading(double? Temp, string? Model, string? Serial, string? Problem)
{
    /// <summary>A run that produced no output to parse (not started, timed out).</summary>
    public static SmartctlReading Failed(string problem) => new(null, null, null, problem);

    /// <summary>Parses smartctl's JSON output. Never throws: output that is not smartctl JSON is a <see cref="Problem"/>.</summary>
    public static SmartctlReading Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Failed("smartctl output is not a JSON object");
            }

            var model = Text(root, "model_name");
            var serial = Text(root, "serial_number");
            if (root.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Object
                && temperature.TryGetProperty("current", out var current) && current.ValueKind == JsonValueKind.Number)
            {
                return new SmartctlReading(current.GetDouble(), model, serial, null);
            }

            return new SmartctlReading(null, model, serial, Messages(root) ?? $"no temperature.current (exit status {ExitStatus(root)})");
        }
        catch (JsonException)
        {
            return Failed("smartctl output is not JSON");
        }
    }

    private static string? Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text
            ? text
            : null;

    private static string? Messages(JsonElement root)
    {
        if (!root.TryGetProperty("smartctl", out var smartctl) || smartctl.ValueKind != JsonValueKind.Object
            || !smartctl.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var texts = messages.EnumerateArray()
            .Where(m => m.ValueKind == JsonValueKind.Object)
            .Select(m => Text(m, "string"))
            .OfType<string>()
            .ToList();
        return texts.Count == 0 ? null : string.Join("; ", texts);
    }

    private static string ExitStatus(JsonElement root) =>
        root.TryGetProperty("smartctl", out var smartctl) && smartctl.ValueKind == JsonValueKind.Object
            && smartctl.TryGetProperty("exit_status", out var status) && status.ValueKind == JsonValueKind.Number
            ? status.GetRawText()
            : "unknown";
}
