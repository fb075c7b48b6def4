using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Psistats.CgminerSimulator.Api;

/// <summary>
/// One API request, parsed as api.c does: JSON when the first byte is <c>{</c> (<c>{"command":"CMD","parameter":"P"}</c>,
/// an integer parameter becomes "%d", a real one "%f"), otherwise text <c>CMD|P</c> up to the first NUL. Nothing is trimmed:
/// <c>summary\n</c> is the command "summary\n", which does not exist, as on a real miner.
/// </summary>
/// <param name="IsJson">Reply in JSON (else text).</param>
/// <param name="Command">The command (may hold several joined by <c>+</c>); null when <paramref name="Error"/> is set.</param>
/// <param name="Parameter">The parameter, or null.</param>
/// <param name="Error">The STATUS to answer with when the request itself is invalid (Invalid JSON, Missing JSON 'command', Invalid command).</param>
internal sealed record ApiRequest(bool IsJson, string? Command, string? Parameter, ApiStatus? Error)
{
    /// <summary>cgminer reads a request with a single recv of at most this many bytes.</summary>
    public const int MaxBytes = 4095;

    /// <summary>Parses the bytes of one read.</summary>
    public static ApiRequest Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] != (byte)'{')
        {
            var nul = bytes.IndexOf((byte)0);
            var text = Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return bar < 0 ? new ApiRequest(false, text, null, null) : new ApiRequest(false, text[..bar], text[(bar + 1)..], null);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Failed(ApiStatus.InvalidJson);
            }

            if (!root.TryGetProperty("command", out var command))
            {
                return Failed(ApiStatus.MissingJsonCommand);
            }

            if (command.ValueKind != JsonValueKind.String)
            {
                return Failed(ApiStatus.InvalidCommand);
            }

            var parameter = root.TryGetProperty("parameter", out var p) ? ParameterText(p) : null;
            return new ApiRequest(true, command.GetString(), parameter, null);
        }
        catch (JsonException)
        {
            return Failed(ApiStatus.InvalidJson);
        }
    }

    /// <summary>cgminer's atoi: optional blanks and sign, then digits; 0 when there are none.</summary>
    public static int Atoi(string? text)
    {
        var s = (text ?? "").TrimStart(' ', '\t', '\n', '\r', '\f', '\v');
        var sign = 1;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            sign = s[0] == '-' ? -1 : 1;
            s = s[1..];
        }

        long value = 0;
        foreach (var c in s.TakeWhile(char.IsAsciiDigit))
        {
            value = Math.Min(value * 10 + (c - '0'), int.MaxValue + 1L);
        }

        return (int)Math.Clamp(sign * value, int.MinValue, int.MaxValue);
    }

    private static ApiRequest Failed(ApiStatus status) => new(true, null, null, status);

    private static string? ParameterText(JsonElement parameter)
    {
        switch (parameter.ValueKind)
        {
            case JsonValueKind.String:
                return parameter.GetString();
            case JsonValueKind.Number:
                var raw = parameter.GetRawText();
                return raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && parameter.TryGetInt64(out var integer)
                    ? unchecked((int)integer).ToString(CultureInfo.InvariantCulture)
                    : parameter.GetDouble().ToString("F6", CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }
}
