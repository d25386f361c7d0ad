using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using StepScaling.Validation;

namespace StepScaling.Import;

/// <summary>
/// One object of the input (a Terraform resource's values, a nested block, an AWS CLI item), read by one rule for
/// every field: an absent field is null (the importer then applies AWS's default with a note, or reports that AWS
/// requires it: <see cref="ImportRules"/>); a field that is present but cannot be read exactly (<c>"abc"</c> or
/// <c>60.5</c> for a whole number, <c>"0x10"</c> or <c>"inf"</c> for a number) is an error that names the field and
/// the value, and is null. In a Terraform plan a field not known before apply (<c>after_unknown</c>) is an error, and
/// a sensitive one (<c>sensitive_values</c>) too, without its value.
/// </summary>
internal sealed partial class InputObject
{
    private const int MaxShown = 80;

    private readonly JsonElement _obj;
    private readonly JsonElement? _unknown;
    private readonly JsonElement? _sensitive;
    private readonly string _path;

    /// <summary>An object of the input.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="where">Where it is, for findings (<c>file#address</c>).</param>
    /// <param name="findings">Where errors go.</param>
    /// <param name="path">The field path of <paramref name="obj"/> inside the item (empty at the top).</param>
    /// <param name="unknown">Terraform's <c>after_unknown</c> for this object, if any.</param>
    /// <param name="sensitive">Terraform's <c>sensitive_values</c> for this object, if any.</param>
    public InputObject(JsonElement obj, string where, List<Diagnostic> findings, string path = "", JsonElement? unknown = null, JsonElement? sensitive = null)
    {
        _obj = obj;
        Where = where;
        Findings = findings;
        _path = path;
        _unknown = unknown;
        _sensitive = sensitive;
    }

    /// <summary>Where the item is, for findings.</summary>
    public string Where { get; }

    /// <summary>The findings list errors are added to.</summary>
    public List<Diagnostic> Findings { get; }

    /// <summary>The raw object (for references and keys that are not values).</summary>
    public JsonElement Raw => _obj;

    /// <summary>Whether Terraform marks the field (or all of it) as not known before apply.</summary>
    public bool IsUnknown(string name) => Marker(_unknown, name) is { ValueKind: JsonValueKind.True };

    /// <summary>A nested block: an object, or the first object of a Terraform block list; null when absent or empty.</summary>
    public InputObject? Block(string name) => Value(name) switch
    {
        { ValueKind: JsonValueKind.Array } => Items(name).FirstOrDefault(),
        { ValueKind: JsonValueKind.Object } o => new InputObject(o, Where, Findings, Path(name), Marker(_unknown, name), Marker(_sensitive, name)),
        { } v => Error<InputObject>(Path(name), v, "is not an object"),
        null => null,
    };

    /// <summary>The objects of an array field; anything else in it is an error.</summary>
    public IEnumerable<InputObject> Items(string name)
    {
        if (Value(name) is not { ValueKind: JsonValueKind.Array } list)
        {
            return [];
        }

        var items = new List<InputObject>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"{Path(name)}[{i}]";
            if (item.ValueKind == JsonValueKind.Object)
            {
                items.Add(new InputObject(item, Where, Findings, path, Index(Marker(_unknown, name), i), Index(Marker(_sensitive, name), i)));
            }
            else
            {
                Error(path, item, "is not an object");
            }

            i++;
        }

        return items;
    }

    /// <summary>A text field; a number or boolean is taken as its JSON text.</summary>
    public string? Str(string name) => Value(name) switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        { } v => Error(Path(name), v, "is not text"),
        null => null,
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/> (a JSON number, or Terraform's numeric text).</summary>
    public int? Int(string name, int min = 0, int max = int.MaxValue)
    {
        if (Number(name) is not { } d)
        {
            return null;
        }

        if (d != Math.Floor(d) || d < min || d > max)
        {
            return Fail<int?>(name, $"is not a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return (int)d;
    }

    /// <summary>A finite number (a JSON number, or Terraform's decimal text); Terraform's <c>""</c> is absent.</summary>
    public double? Number(string name)
    {
        switch (Value(name))
        {
            case { ValueKind: JsonValueKind.Number } v when v.TryGetDouble(out var d) && double.IsFinite(d):
                return d;
            case { ValueKind: JsonValueKind.String } v when v.GetString() is "":
                return null;
            case { ValueKind: JsonValueKind.String } v when Decimal().IsMatch(v.GetString()!)
                && double.Parse(v.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture) is var d && double.IsFinite(d):
                return d;
            case { } v:
                return Error<double?>(Path(name), v, "is not a finite decimal number");
            default:
                return null;
        }
    }

    /// <summary>A boolean (<c>true</c>/<c>false</c>, or Terraform's text of one).</summary>
    public bool? Bool(string name) => Value(name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } v when v.GetString() is "true" or "false" => v.GetString() == "true",
        { } v => Error<bool?>(Path(name), v, "is not true or false"),
        null => null,
    };

    /// <summary>The texts of a list field, and whether the plan leaves some of them unknown (null in their place).</summary>
    public (ImmutableArray<string> Known, bool HasUnknown) Strings(string name)
    {
        if (IsUnknown(name))
        {
            return ([], true);
        }

        var known = ImmutableArray.CreateBuilder<string>();
        var hasUnknown = false;
        var i = 0;
        foreach (var item in Value(name) is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray() : default(JsonElement.ArrayEnumerator))
        {
            // jsonplan omitUnknowns: "element order is how we correlate unknownness, so we must replace unknowns with nulls".
            if (Index(Marker(_sensitive, name), i) is { ValueKind: JsonValueKind.True })
            {
                Findings.Add(Diagnostic.Error(Where, $"{Path(name)}[{i}] is marked sensitive in the Terraform JSON: import does not copy a sensitive value into a stack file; set it there yourself (as a secret)"));
            }
            else if (item.ValueKind == JsonValueKind.Null || Index(Marker(_unknown, name), i) is { ValueKind: JsonValueKind.True })
            {
                hasUnknown = true;
            }
            else if (item.ValueKind == JsonValueKind.String)
            {
                known.Add(item.GetString()!);
            }
            else
            {
                Error($"{Path(name)}[{i}]", item, "is not text");
            }

            i++;
        }

        return (known.ToImmutable(), hasUnknown);
    }

    /// <summary>A map of texts (Terraform's <c>dimensions</c>); the keys whose values are not known before apply are returned apart.</summary>
    public (ImmutableSortedDictionary<string, string> Known, ImmutableArray<string> Unknown) StringMap(string name)
    {
        var known = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (IsUnknown(name))
        {
            return (known.ToImmutable(), ["(all)"]);
        }

        var marker = Marker(_unknown, name);
        var unknown = marker is { ValueKind: JsonValueKind.Object } m
            ? m.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.True).Select(p => p.Name).ToImmutableArray()
            : [];
        var map = Block(name);
        foreach (var p in map is null ? [] : map._obj.EnumerateObject().Select(p => p.Name).Except(unknown))
        {
            if (map!.Str(p) is { } value)
            {
                known[p] = value;
            }
        }

        return (known.ToImmutable(), unknown);
    }

    /// <summary>AWS CLI dimensions (<c>[{ "Name": …, "Value": … }]</c>) as a map; a name given twice is an error.</summary>
    public ImmutableSortedDictionary<string, string> NameValueList(string name)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var d in Items(name))
        {
            if (d.Str("Name") is { } n && d.Str("Value") is { } v && !builder.TryAdd(n, v))
            {
                d.Fail<string>("Name", "names a dimension that is given twice");
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>An error on a field that was read: names the field and the value.</summary>
    public T? Fail<T>(string name, string rule) => Error<T>(Path(name), _obj.Prop(name) ?? default, rule);

    private JsonElement? Value(string name)
    {
        if (Marker(_sensitive, name) is { ValueKind: JsonValueKind.True })
        {
            Findings.Add(Diagnostic.Error(Where, $"{Path(name)} is marked sensitive in the Terraform JSON: import does not copy a sensitive value into a stack file; set it there yourself (as a secret)"));
            return null;
        }

        if (IsUnknown(name))
        {
            Findings.Add(Diagnostic.Error(Where, $"{Path(name)} is not known before apply (after_unknown), so its value cannot be imported; import the state after apply"));
            return null;
        }

        return _obj.Prop(name);
    }

    /// <summary>The field's path inside the item, for messages: <c>Metrics[0].MetricStat.Period</c>.</summary>
    public string Path(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    /// <summary>A field AWS requires: its value, or an error that it is missing (<see cref="ImportRules.Required{T}"/>).</summary>
    public int? RequiredInt(string name, string why, int min = 0) => ImportRules.Required(Int(name, min), Path(name), why, Where, Findings);

    /// <summary>A text field AWS requires: its value, or an error that it is missing and empty text in its place (never written: the import stops).</summary>
    public string RequiredStr(string name, string why)
    {
        var value = Str(name);
        if (string.IsNullOrEmpty(value))
        {
            ImportRules.Required<int>(null, Path(name), why, Where, Findings);
        }

        return value ?? string.Empty;
    }

    private string? Error(string path, JsonElement value, string rule) => Error<string>(path, value, rule);

    private T? Error<T>(string path, JsonElement value, string rule)
    {
        var text = value.ValueKind == JsonValueKind.Undefined ? "(absent)" : value.GetRawText();
        Findings.Add(Diagnostic.Error(Where, $"{path}: {(text.Length > MaxShown ? text[..MaxShown] + "…" : text)} {rule}"));
        return default;
    }

    private static JsonElement? Marker(JsonElement? markers, string name) =>
        markers is { ValueKind: JsonValueKind.True } ? markers : markers?.Prop(name);

    private static JsonElement? Index(JsonElement? markers, int i) => markers switch
    {
        { ValueKind: JsonValueKind.True } m => m,
        { ValueKind: JsonValueKind.Array } a when i < a.GetArrayLength() => a[i],
        _ => null,
    };

    // Plain decimal text as Terraform's provider keeps numbers ("10", "-2.5", "1e3"); not "0x10", "inf", " 10".
    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Decimal();
}
