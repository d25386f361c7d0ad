using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Config;

/// <summary>
/// The one writer of stack-file YAML (<c>import</c> and <c>tune</c>): block mappings, sequences without extra indent
/// (as YamlDotNet and the Pulumi CLI write them), and scalars quoted by how Pulumi reads them. A string is written
/// plain only when gopkg.in/yaml.v3 resolves it as the same text (<see cref="PulumiYaml"/>: not <c>010</c>,
/// <c>0x1F</c>, <c>.inf</c>, <c>~</c>, a date, <c>true</c>) and when YAML 1.1 readers would not take it as a boolean
/// (<c>Yes</c>, <c>ON</c>); otherwise it is double-quoted, with every control, line-separator and bidirectional
/// character escaped (<see cref="DiagnosticText.Escape"/>). Comments are escaped the same way, so no input can end a
/// comment line. Numbers are written in their shortest round-trip form, so they read back as the same double.
/// </summary>
public static partial class ConfigYaml
{
    /// <summary>The YAML text of <paramref name="root"/>'s entries.</summary>
    /// <param name="root">The mapping to write (key order is kept).</param>
    /// <param name="indent">Spaces before each top-level key (2 for a block pasted under <c>config:</c>).</param>
    /// <param name="options">Comments and layout.</param>
    /// <exception cref="ArgumentException">A number is not finite, or a string is not valid UTF-16 (a lone surrogate).</exception>
    public static string Write(JsonObject root, int indent = 0, ConfigYamlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        options ??= new ConfigYamlOptions();
        var sb = new StringBuilder();
        foreach (var line in options.Header)
        {
            sb.Append(' ', indent).Append(Comment(line)).Append('\n');
        }

        new Writer(sb, options).Entries(root, indent);
        return sb.ToString();
    }

    /// <summary>A comment line (<c># …</c>) whose text cannot break the line or reorder it.</summary>
    public static string Comment(string text) => "# " + DiagnosticText.Escape(text);

    /// <summary>A string scalar: plain when Pulumi reads it back as the same text, else double-quoted and escaped.</summary>
    /// <param name="value">The text.</param>
    /// <param name="inFlow">True inside <c>{ … }</c>, where <c>,</c> and <c>:</c> end a plain scalar.</param>
    public static string String(string value, bool inFlow = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsPlain(value, inFlow) ? value : DoubleQuoted(value);
    }

    /// <summary>A number in its shortest round-trip form (<c>-0.0</c> for negative zero, which <c>-0</c> would lose).</summary>
    /// <exception cref="ArgumentException">The number is NaN or infinite, which a stack file cannot hold.</exception>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"A stack file cannot hold the number {Num.Format(value)}.", nameof(value));
        }

        return value == 0 && double.IsNegative(value) ? "-0.0" : Num.Format(value);
    }

    private static bool IsPlain(string s, bool inFlow) =>
        PlainSyntax().IsMatch(s)
        && !s.EndsWith(':') && !s.Contains(": ", StringComparison.Ordinal) && !(inFlow && s.Contains(':', StringComparison.Ordinal))
        && !Yaml11Bool().IsMatch(s)
        && PulumiYaml.ReadsAsText(s);

    private static string DoubleQuoted(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsSurrogate(s[i]) && !(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[++i])))
            {
                throw new ArgumentException("A stack file cannot hold text with a lone surrogate (not valid Unicode).", nameof(s));
            }
        }

        var escaped = DiagnosticText.Escape(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal));
        // YAML's printable set leaves out U+FFFE and U+FFFF, which DiagnosticText keeps.
        escaped = escaped.Replace("\uFFFE", "\\uFFFE", StringComparison.Ordinal).Replace("\uFFFF", "\\uFFFF", StringComparison.Ordinal);
        return "\"" + escaped + "\"";
    }

    private static string Scalar(JsonNode? node, bool inFlow) => node switch
    {
        null => "null",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => String(v.GetValue<string>(), inFlow),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => JsonNumber(v),
            _ => "null",
        },
        _ => throw new ArgumentException("Not a scalar.", nameof(node)),
    };

    /// <summary>An integer literal is kept digit for digit (a long beyond 2^53 too); any other number as its double.</summary>
    private static string JsonNumber(JsonValue v)
    {
        var text = v.ToJsonString();
        return WholeNumber().IsMatch(text) && !text.StartsWith("-0", StringComparison.Ordinal)
            ? text
            : Number(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private sealed class Writer(StringBuilder sb, ConfigYamlOptions options)
    {
        public void Entries(JsonObject map, int indent)
        {
            foreach (var (key, value) in map)
            {
                CommentsFor(value, indent);
                sb.Append(' ', indent).Append(String(key)).Append(':');
                Value(value, indent);
            }
        }

        private void Value(JsonNode? value, int indent)
        {
            switch (value)
            {
                case JsonObject { Count: 0 }:
                    sb.Append(" {}\n");
                    break;
                case JsonObject o:
                    sb.Append('\n');
                    Entries(o, indent + 2);
                    break;
                case JsonArray { Count: 0 }:
                    sb.Append(" []\n");
                    break;
                case JsonArray a:
                    sb.Append('\n');
                    Items(a, indent);
                    break;
                default:
                    sb.Append(' ').Append(Scalar(value, inFlow: false)).Append('\n');
                    break;
            }
        }

        private void Items(JsonArray list, int indent)
        {
            foreach (var item in list)
            {
                CommentsFor(item, indent);
                if (item is JsonObject { Count: > 0 } o && options.FlowFlatItems && o.All(kv => kv.Value is null or JsonValue))
                {
                    sb.Append(' ', indent).Append("- {")
                        .AppendJoin(", ", o.Select(kv => $"{String(kv.Key, inFlow: true)}: {Scalar(kv.Value, inFlow: true)}")).Append("}\n");
                }
                else if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                {
                    // The item's first line follows "- "; the rest sit two spaces further in.
                    var inner = new StringBuilder();
                    var nested = new Writer(inner, options);
                    if (item is JsonObject map)
                    {
                        nested.Entries(map, indent + 2);
                    }
                    else
                    {
                        nested.Items((JsonArray)item, indent + 2);
                    }

                    sb.Append(' ', indent).Append("- ").Append(inner.ToString(indent + 2, inner.Length - indent - 2));
                }
                else
                {
                    sb.Append(' ', indent).Append('-');
                    Value(item, indent);
                }
            }
        }

        private void CommentsFor(JsonNode? node, int indent)
        {
            if (node is not null && options.Comments.TryGetValue(node, out var lines))
            {
                foreach (var line in lines)
                {
                    sb.Append(' ', indent).Append(Comment(line)).Append('\n');
                }
            }
        }
    }

    // A conservative plain scalar: starts with a letter, digit, '_', '/' or '.', holds no YAML indicator that could
    // change its meaning (# & * ! | > ' " % @ ` , [ ] { }), and single spaces only between words.
    [GeneratedRegex(@"^[\p{L}\p{N}_/.][\p{L}\p{N}_/.()+=:@-]*( [\p{L}\p{N}_/.()+=:@-]+)*$")]
    private static partial Regex PlainSyntax();

    // YAML 1.1 booleans (y/n, yes/no, on/off): yaml.v3 reads them as text, older YAML readers as booleans.
    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Yaml11Bool();

    [GeneratedRegex("^-?[0-9]+$")]
    private static partial Regex WholeNumber();
}

/// <summary>Comments and layout for <see cref="ConfigYaml.Write"/>.</summary>
public sealed record ConfigYamlOptions
{
    /// <summary>Comment lines at the top of the text.</summary>
    public IReadOnlyList<string> Header { get; init; } = [];

    /// <summary>Comment lines written before the entry or item whose value is the key node (compared by reference).</summary>
    public IReadOnlyDictionary<JsonNode, IReadOnlyList<string>> Comments { get; init; } =
        new Dictionary<JsonNode, IReadOnlyList<string>>(ReferenceEqualityComparer.Instance);

    /// <summary>Write a list item whose values are all scalars on one line, <c>- {from: 70, change: 1}</c>.</summary>
    public bool FlowFlatItems { get; init; }
}
