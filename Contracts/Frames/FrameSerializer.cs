using System.Text.Json;

namespace Psistats.Contracts.Frames;

/// <summary>Serialises frames to their wire form: UTF-8 JSON, one object, no indentation.</summary>
public static class FrameSerializer
{
    /// <summary>AMQP content type of every frame.</summary>
    public const string ContentType = "application/json";

    /// <summary>AMQP content encoding of every frame.</summary>
    public const string ContentEncoding = "utf-8";

    /// <summary>The frame as UTF-8 JSON bytes.</summary>
    /// <exception cref="NotSupportedException">When the frame type is not registered in <see cref="FrameJsonContext"/>.</exception>
    public static byte[] ToUtf8(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var typeInfo = FrameJsonContext.Default.GetTypeInfo(frame.GetType())
            ?? throw new NotSupportedException($"frame type {frame.GetType().Name} is not registered in FrameJsonContext");
        return JsonSerializer.SerializeToUtf8Bytes(frame, typeInfo);
    }
}
