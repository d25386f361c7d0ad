using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace StepScaling.Import;

/// <summary>
/// Reading JSON values the way Terraform and the AWS CLI write them: Terraform's provider keeps some numbers as
/// strings (<c>"60"</c>, step bounds <c>"10"</c>, an unset bound <c>""</c>), the CLI writes them as numbers.
/// </summary>
internal static class JsonValues
{
    /// <summary>The property, or null when absent or JSON null.</summary>
    public static JsonElement? Prop(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>A string property; numbers and booleans are given as their text.</summary>
    public static string? Str(this JsonElement obj, string name) => obj.Prop(name) is { } v ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => null,
    } : null;

    /// <summary>A number given as a JSON number or as a numeric string; empty string and absence are null.</summary>
    public static double? Num(this JsonElement obj, string name) => obj.Prop(name) is { } v ? Num(v) : null;

    /// <summary>A number given as a JSON number or as a numeric string.</summary>
    public static double? Num(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>A whole number (number or numeric string); a fraction or an out-of-range value is null.</summary>
    public static int? Int(this JsonElement obj, string name) =>
        obj.Num(name) is { } d && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;

    /// <summary>A boolean (true/false or "true"/"false").</summary>
    public static bool? Bool(this JsonElement obj, string name) => obj.Prop(name) is { } v ? v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
        _ => null,
    } : null;

    /// <summary>The items of an array property; empty when absent or not an array.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement obj, string name) =>
        obj.Prop(name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];

    /// <summary>The first object of a Terraform nested block (a list of at most one), or the object itself.</summary>
    public static JsonElement? Block(this JsonElement obj, string name) => obj.Prop(name) switch
    {
        { ValueKind: JsonValueKind.Array } a => a.GetArrayLength() > 0 ? a[0] : null,
        { ValueKind: JsonValueKind.Object } o => o,
        _ => null,
    };

    /// <summary>The strings of an array property (nulls and unknowns left out).</summary>
    public static ImmutableArray<string> Strings(this JsonElement obj, string name) =>
        [.. obj.Items(name).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];

    /// <summary>A string map property (<c>{ "ClusterName": "main" }</c>); non-string values are left out.</summary>
    public static ImmutableSortedDictionary<string, string> StringMap(this JsonElement obj, string name) =>
        obj.Prop(name) is { ValueKind: JsonValueKind.Object } o
            ? o.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>AWS CLI dimensions (<c>[{ "Name": …, "Value": … }]</c>) as a map.</summary>
    public static ImmutableSortedDictionary<string, string> NameValueList(this JsonElement obj, string name)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var d in obj.Items(name))
        {
            if (d.Str("Name") is { } n && d.Str("Value") is { } v)
            {
                builder[n] = v;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>The top-level property names of an object, for "got an object with …" messages.</summary>
    public static string Describe(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Object when root.EnumerateObject().Any() => $"an object with the keys {string.Join(", ", root.EnumerateObject().Take(6).Select(p => p.Name))}",
        JsonValueKind.Object => "an empty object",
        JsonValueKind.Array => $"an array of {root.GetArrayLength()} items",
        _ => $"a {root.ValueKind.ToString().ToLowerInvariant()}",
    };

    /// <summary>
    /// The first place where the document cannot be read one way: an object with a key given twice (JSON readers
    /// disagree on which one wins; Terraform never writes one) or text that is not valid Unicode (a lone surrogate
    /// escape such as <c>\ud800</c>). Null when there is none.
    /// </summary>
    public static string? Unreadable(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in element.EnumerateObject())
                {
                    if (!TryText(() => p.Name, out var name))
                    {
                        return $"{path}: a key is not valid Unicode text (a lone surrogate escape)";
                    }

                    if (!seen.Add(name))
                    {
                        return $"{path}: the key \"{name}\" is given twice in one object; JSON readers disagree on which one wins, so import reads neither";
                    }

                    if (Unreadable(p.Value, $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Unreadable(item, $"{path}[{i++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                return TryText(element.GetString, out _) ? null : $"{path}: the text is not valid Unicode (a lone surrogate escape)";
            default:
                return null;
        }
    }

    private static bool TryText(Func<string?> read, out string text)
    {
        try
        {
            text = read() ?? string.Empty;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = string.Empty;
            return false;
        }
    }
}
