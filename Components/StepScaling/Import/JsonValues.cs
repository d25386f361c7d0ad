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

    /// <summary>A number given as a JSON number or as a numeric string.</summary>
    public static double? Num(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>The items of an array property; empty when absent or not an array.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement obj, string name) =>
        obj.Prop(name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];

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
