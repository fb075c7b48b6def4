using System.Globalization;
using System.Text;

namespace Psistats.UnitTests.Aggregator.Fuzzing;

/// <summary>What a <see cref="FrameMutation"/> does to the node it targets.</summary>
internal enum MutationKind
{
    /// <summary>The node becomes <see cref="FrameMutation.Value"/>.</summary>
    Replace,

    /// <summary>The node is removed from its object or array.</summary>
    Remove,

    /// <summary>The object member is renamed <see cref="FrameMutation.Name"/> (in an array: replaced).</summary>
    Rename,

    /// <summary>A member <see cref="FrameMutation.Name"/> = <see cref="FrameMutation.Value"/> (or an element) is added to the node, or beside it.</summary>
    Insert,

    /// <summary>The object member is repeated with <see cref="FrameMutation.Value"/>: the same name twice.</summary>
    Duplicate,

    /// <summary>The envelope field <see cref="FrameMutation.Name"/> becomes <see cref="FrameMutation.Value"/> (removed when null).</summary>
    Envelope,
}

/// <summary>One edit of a frame's tree. <see cref="Target"/> picks a node (modulo the node count, pre-order, root excluded).</summary>
internal sealed record FrameMutation(MutationKind Kind, int Target, string Name, string? Value)
{
    public void Apply(JsonTree.Obj root)
    {
        if (Kind == MutationKind.Envelope)
        {
            root.Set(Name, Value is null ? null : new JsonTree.Raw(Value));
            return;
        }

        var slots = new List<(JsonTree Parent, int Index)>();
        Collect(root, slots);
        if (slots.Count == 0)
        {
            root.Members.Add(new JsonTree.Member(Name, new JsonTree.Raw(Value ?? "null")));
            return;
        }

        var (parent, index) = slots[Target % slots.Count];
        var value = new JsonTree.Raw(Value ?? "null");
        switch (parent)
        {
            case JsonTree.Obj obj:
                var member = obj.Members[index];
                switch (Kind)
                {
                    case MutationKind.Replace:
                        obj.Members[index] = member with { Value = value };
                        break;
                    case MutationKind.Remove:
                        obj.Members.RemoveAt(index);
                        break;
                    case MutationKind.Rename:
                        obj.Members[index] = member with { Name = Name };
                        break;
                    case MutationKind.Insert:
                        Insert(member.Value, obj, index + 1, value);
                        break;
                    default:
                        obj.Members.Insert(index + 1, new JsonTree.Member(member.Name, value));
                        break;
                }

                break;
            case JsonTree.Arr arr:
                switch (Kind)
                {
                    case MutationKind.Remove:
                        arr.Items.RemoveAt(index);
                        break;
                    case MutationKind.Insert:
                        Insert(arr.Items[index], arr, index + 1, value);
                        break;
                    case MutationKind.Duplicate:
                        arr.Items.Insert(index + 1, arr.Items[index].Copy());
                        break;
                    default:
                        arr.Items[index] = value;
                        break;
                }

                break;
        }
    }

    /// <summary>Into the node when it is a container, else beside it in its parent.</summary>
    private void Insert(JsonTree node, JsonTree parent, int after, JsonTree.Raw value)
    {
        switch (node)
        {
            case JsonTree.Obj obj:
                obj.Members.Add(new JsonTree.Member(Name, value));
                break;
            case JsonTree.Arr arr:
                arr.Items.Add(value);
                break;
            case JsonTree.Raw when parent is JsonTree.Obj obj:
                obj.Members.Insert(after, new JsonTree.Member(Name, value));
                break;
            case JsonTree.Raw when parent is JsonTree.Arr arr:
                arr.Items.Insert(after, value);
                break;
        }
    }

    private static void Collect(JsonTree node, List<(JsonTree Parent, int Index)> slots)
    {
        switch (node)
        {
            case JsonTree.Obj obj:
                for (var i = 0; i < obj.Members.Count; i++)
                {
                    slots.Add((obj, i));
                    Collect(obj.Members[i].Value, slots);
                }

                break;
            case JsonTree.Arr arr:
                for (var i = 0; i < arr.Items.Count; i++)
                {
                    slots.Add((arr, i));
                    Collect(arr.Items[i], slots);
                }

                break;
        }
    }
}

/// <summary>
/// One generated frame: a template, the host it is sent as, its mutations, and how long the aggregator then runs (ticks)
/// before the next frame.
/// </summary>
internal sealed record FuzzFrame(int Template, string Host, FrameMutation[] Mutations, int GapSeconds)
{
    /// <summary>The frame's JSON text (mutations applied in order, after the hostname is set).</summary>
    public string Json()
    {
        var tree = FrameTemplates.All[Template].Tree();
        tree.Set("hostname", new JsonTree.Raw(JsonTree.Quote(Host)));
        foreach (var mutation in Mutations)
        {
            mutation.Apply(tree);
        }

        return tree.ToString();
    }

    public override string ToString() =>
        $"{FrameTemplates.All[Template].Name} as {Host}, {Mutations.Length} mutation(s), then {GapSeconds} s";
}

/// <summary>A generated run: frames in order. Printed as the <c>[InlineData]</c> of <see cref="FrameFuzzRegressionTests"/>.</summary>
internal sealed record FuzzCase(FuzzFrame[] Frames)
{
    public string Gaps => string.Join(",", Frames.Select(f => f.GapSeconds));

    /// <summary>The case as a line to paste into <see cref="FrameFuzzRegressionTests"/>: gaps, then every frame's JSON text.</summary>
    public string InlineData() =>
        $"[InlineData({CSharp(Gaps)}, {string.Join(", ", Frames.Select(f => CSharp(f.Json())))})]";

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var frame in Frames)
        {
            text.Append("  ").Append(frame).Append('\n');
        }

        return text.Append("  ").Append(InlineData()).ToString();
    }

    /// <summary>A C# literal of <paramref name="text"/>: a raw string literal when the text has quotes or backslashes and one can hold it.</summary>
    public static string CSharp(string text)
    {
        var plain = !text.Contains('"', StringComparison.Ordinal) && !text.Contains('\\', StringComparison.Ordinal);
        if (!plain && !text.Contains("\"\"\"", StringComparison.Ordinal) && !text.StartsWith('"') && !text.EndsWith('"') && !text.Contains('\n', StringComparison.Ordinal))
        {
            return $"\"\"\"{text}\"\"\"";
        }

        var literal = new StringBuilder("\"");
        foreach (var c in text)
        {
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return literal.Append('"').ToString();
    }
}

/// <summary>
/// A message body for the parse property: a generated frame, whole or corrupted (cut short, a stray byte that is not
/// UTF-8, another top-level value, text after the object). Written as text with <c>\xHH</c> for each byte that is not UTF-8
/// (JSON has no <c>\x</c> escape, so the notation is unambiguous).
/// </summary>
internal sealed record FuzzBody(FuzzFrame Frame, int Corruption, int At, string Other)
{
    private static readonly byte[][] Strays = [[0xFF], [0xC3], [0x80], [0xED, 0xA0, 0x80], [0x00], [0xEF, 0xBB, 0xBF]];

    public byte[] Bytes()
    {
        var json = Encoding.UTF8.GetBytes(Frame.Json());
        var at = At % (json.Length + 1);
        return Corruption switch
        {
            1 => json[..at],
            2 => [.. json[..at], .. Strays[At % Strays.Length], .. json[at..]],
            3 => Encoding.UTF8.GetBytes(Other),
            4 => [.. json, .. Encoding.UTF8.GetBytes(Other)],
            5 => [.. "["u8, .. json, .. "]"u8],
            _ => json,
        };
    }

    /// <summary>The bytes as text, <c>\xHH</c> for each byte that is not part of a UTF-8 character.</summary>
    public static string Text(byte[] bytes)
    {
        var text = new StringBuilder();
        var rest = bytes.AsSpan();
        while (!rest.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(rest, out var rune, out var used) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                used = 1;
                text.Append(CultureInfo.InvariantCulture, $"\\x{rest[0]:X2}");
            }

            rest = rest[used..];
        }

        return text.ToString();
    }

    /// <summary>The bytes of a <see cref="Text(byte[])"/>; a <c>\x</c> whose backslash is the second of a JSON escape (<c>"\\x41"</c>) is text.</summary>
    public static byte[] Bytes(string text)
    {
        var bytes = new List<byte>();
        var start = 0;
        for (var i = 0; i + 3 < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                continue;
            }

            if (text[i + 1] == 'x')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[start..i]));
                bytes.Add(byte.Parse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                start = i + 4;
            }

            i++;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(text[start..]));
        return [.. bytes];
    }

    public override string ToString() =>
        $"  {FrameTemplates.All[Frame.Template].Name} as {Frame.Host}, {Frame.Mutations.Length} mutation(s), body {(Corruption switch { 1 => "cut short", 2 => "with a stray byte", 3 => "replaced by another value", 4 => "followed by more text", 5 => "in an array", _ => "whole" })}\n"
        + $"  [InlineData({FuzzCase.CSharp(Text(Bytes()))})]";
}
