using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Psistats.Aggregator.Rules;

/// <summary>
/// Resolves a <see cref="FieldPath"/> against a frame body: the values it selects (the leaves) and, on demand, the instance
/// each one belongs to (the names its wildcards bound, joined with <c>/</c>). The buffers are reused from frame to frame,
/// so a frame costs no allocation until an instance name is asked for. Not thread-safe: the engine uses one under its lock.
/// <para>Resolution: the path starts at the frame body when its first segment names a (non-null) field of it; when the
/// first segment is a wildcard or names no field, and the frame has an object or array field named after its reporter
/// (<c>diskio</c>, <c>net</c>, <c>hddtemp</c>, <c>hddspace</c>, <c>sensors</c>), at that field, so <c>*.%util</c> with
/// reporter diskio reads <c>diskio.*.%util</c>; a leading wildcard without such a field walks the body itself.</para>
/// <para>Instance names: an object member is named by its key (<c>sda</c>, <c>/var</c>); an array element that is an
/// object by its string <c>ID</c>, else <c>Name</c> followed by <c>ID</c> (cgminer's asc: <c>CTA0</c>), else its string
/// <c>name</c>, else its string <c>label</c>, else its index; a name an earlier element of the same array already has
/// gets <c>#index</c> appended. <c>boards[*].core_temps[*]</c> gives <c>CTA0/3</c>.</para>
/// </summary>
internal sealed class PathResolver
{
    private static readonly byte[] IdUtf8 = "ID"u8.ToArray();
    private static readonly byte[] NameUtf8 = "Name"u8.ToArray();
    private static readonly byte[] LowerNameUtf8 = "name"u8.ToArray();
    private static readonly byte[] LabelUtf8 = "label"u8.ToArray();

    private JsonElement[] _leaves = new JsonElement[16];
    private Binding[] _bindings = new Binding[16];
    private Binding[] _stack = new Binding[4];
    private FieldPath? _path;

    /// <summary>Leaves found by the last <see cref="Collect"/>.</summary>
    public int Count { get; private set; }

    /// <summary>The value of leaf <paramref name="leaf"/>.</summary>
    public JsonElement Value(int leaf) => _leaves[leaf];

    /// <summary>
    /// The node the path starts from in <paramref name="body"/> (see the type's remarks), or false when the frame does not
    /// carry the path's field at all (then the rule's alerts are left as they are).
    /// </summary>
    public static bool TryRoot(FieldPath path, JsonElement body, string reporter, out JsonElement root)
    {
        var first = path.Segments[0];
        if (first.Kind == SegmentKind.Name && body.TryGetProperty(first.Utf8, out var field) && field.ValueKind != JsonValueKind.Null)
        {
            root = body;
            return true;
        }

        if (body.TryGetProperty(reporter, out var own) && own.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            root = own;
            return true;
        }

        root = body;
        return first.Kind == SegmentKind.Wildcard;
    }

    /// <summary>Collects the leaves of <paramref name="path"/> under <paramref name="root"/>; returns their number.</summary>
    public int Collect(FieldPath path, JsonElement root)
    {
        _path = path;
        Count = 0;
        if (_stack.Length < path.Wildcards)
        {
            _stack = new Binding[path.Wildcards];
        }

        Walk(path, root, 0, 0);
        return Count;
    }

    /// <summary>The instance of leaf <paramref name="leaf"/> of the last <see cref="Collect"/>: <c>""</c> without wildcards.</summary>
    public string Instance(int leaf)
    {
        var wildcards = _path!.Wildcards;
        if (wildcards == 0)
        {
            return "";
        }

        if (wildcards == 1)
        {
            return Name(_bindings[leaf]);
        }

        var text = new StringBuilder();
        for (var i = 0; i < wildcards; i++)
        {
            text.Append(i == 0 ? "" : "/").Append(Name(_bindings[(leaf * wildcards) + i]));
        }

        return text.ToString();
    }

    /// <summary>The name of element <paramref name="index"/> of <paramref name="array"/> (see the type's remarks).</summary>
    public static string ElementName(JsonElement array, int index)
    {
        var own = OwnName(array[index]);
        if (own is null)
        {
            return index.ToString(CultureInfo.InvariantCulture);
        }

        var i = 0;
        foreach (var earlier in array.EnumerateArray())
        {
            if (i++ == index)
            {
                break;
            }

            if (OwnName(earlier) == own)
            {
                return $"{own}#{index.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        return own;
    }

    private static string? OwnName(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty(IdUtf8, out var id))
        {
            if (id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text)
            {
                return text;
            }

            if (id.ValueKind == JsonValueKind.Number && StringMember(element, NameUtf8) is { } driver)
            {
                return driver + id.GetRawText();
            }
        }

        return StringMember(element, LowerNameUtf8) ?? StringMember(element, LabelUtf8);
    }

    private static string? StringMember(JsonElement element, byte[] name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static string Name(in Binding binding) =>
        binding.IsMember ? binding.Member.Name : ElementName(binding.Container, binding.Index);

    private void Walk(FieldPath path, JsonElement node, int segment, int depth)
    {
        if (segment == path.Segments.Count)
        {
            AddLeaf(node, depth);
            return;
        }

        var s = path.Segments[segment];
        switch (s.Kind)
        {
            case SegmentKind.Name:
                if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(s.Utf8, out var child))
                {
                    Walk(path, child, segment + 1, depth);
                }

                break;
            case SegmentKind.Index:
                if (node.ValueKind == JsonValueKind.Array && s.Index < node.GetArrayLength())
                {
                    Walk(path, node[s.Index], segment + 1, depth);
                }

                break;
            default:
                if (node.ValueKind == JsonValueKind.Object)
                {
                    foreach (var member in node.EnumerateObject())
                    {
                        _stack[depth] = new Binding(true, member, default, 0);
                        Walk(path, member.Value, segment + 1, depth + 1);
                    }
                }
                else if (node.ValueKind == JsonValueKind.Array)
                {
                    var index = 0;
                    foreach (var element in node.EnumerateArray())
                    {
                        _stack[depth] = new Binding(false, default, node, index++);
                        Walk(path, element, segment + 1, depth + 1);
                    }
                }

                break;
        }
    }

    private void AddLeaf(JsonElement value, int depth)
    {
        if (Count == _leaves.Length)
        {
            Array.Resize(ref _leaves, Count * 2);
        }

        var needed = (Count + 1) * depth;
        if (needed > _bindings.Length)
        {
            Array.Resize(ref _bindings, Math.Max(needed, _bindings.Length * 2));
        }

        Array.Copy(_stack, 0, _bindings, Count * depth, depth);
        _leaves[Count++] = value;
    }

    /// <summary>What one wildcard bound: an object member, or element <see cref="Index"/> of the array <see cref="Container"/>.</summary>
    private readonly record struct Binding(bool IsMember, JsonProperty Member, JsonElement Container, int Index);
}
