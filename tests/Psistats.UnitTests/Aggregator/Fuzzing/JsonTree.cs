using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Psistats.UnitTests.Aggregator.Fuzzing;

/// <summary>
/// A JSON document as a mutable tree whose leaves are raw JSON text, written back by hand: so that a frame can carry what
/// System.Text.Json never writes (<c>1e400</c>, <c>123456789012345678901234567890</c>, lone surrogates as <c>\udc00</c>
/// escapes, duplicate member names), and so that each mutation of <see cref="FrameMutation"/> is a plain list edit.
/// </summary>
internal abstract class JsonTree
{
    /// <summary>The tree of a parsed element; scalars keep their text exactly as received.</summary>
    public static JsonTree Of(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new Obj(element.EnumerateObject().Select(p => new Member(p.Name, Of(p.Value))).ToList()),
        JsonValueKind.Array => new Arr(element.EnumerateArray().Select(Of).ToList()),
        _ => new Raw(element.GetRawText()),
    };

    public static JsonTree Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Of(document.RootElement);
    }

    public abstract JsonTree Copy();

    public abstract void Write(StringBuilder text);

    public override string ToString()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="value"/> as a JSON string literal: quotes, backslashes and control characters escaped, a surrogate that is
    /// not part of a pair written as its <c>\uXXXX</c> escape (the text stays valid UTF-16, the JSON carries the lone surrogate).
    /// </summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2);
        AppendQuoted(text, value);
        return text.ToString();
    }

    public static void AppendQuoted(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c))
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append('"');
    }

    /// <summary>A scalar, or any fragment of JSON text (a deep array, a literal System.Text.Json would not write).</summary>
    public sealed class Raw(string text) : JsonTree
    {
        public string Text { get; } = text;

        public override JsonTree Copy() => this;

        public override void Write(StringBuilder text) => text.Append(Text);
    }

    public sealed record Member(string Name, JsonTree Value);

    /// <summary>An object; members keep their order, and a name may occur twice.</summary>
    public sealed class Obj(List<Member> members) : JsonTree
    {
        public List<Member> Members { get; } = members;

        public override JsonTree Copy() => new Obj(Members.Select(m => m with { Value = m.Value.Copy() }).ToList());

        public override void Write(StringBuilder text)
        {
            text.Append('{');
            for (var i = 0; i < Members.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                AppendQuoted(text, Members[i].Name);
                text.Append(':');
                Members[i].Value.Write(text);
            }

            text.Append('}');
        }

        /// <summary>Sets the first member named <paramref name="name"/> (or adds it at the end); a null value removes it.</summary>
        public void Set(string name, JsonTree? value)
        {
            var index = Members.FindIndex(m => m.Name == name);
            if (value is null)
            {
                if (index >= 0)
                {
                    Members.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                Members[index] = Members[index] with { Value = value };
            }
            else
            {
                Members.Add(new Member(name, value));
            }
        }
    }

    public sealed class Arr(List<JsonTree> items) : JsonTree
    {
        public List<JsonTree> Items { get; } = items;

        public override JsonTree Copy() => new Arr(Items.Select(i => i.Copy()).ToList());

        public override void Write(StringBuilder text)
        {
            text.Append('[');
            for (var i = 0; i < Items.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                Items[i].Write(text);
            }

            text.Append(']');
        }
    }
}
