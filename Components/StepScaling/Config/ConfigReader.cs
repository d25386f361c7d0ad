using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using StepScaling.Validation;

namespace StepScaling.Config;

/// <summary>
/// Reads one config object with path-aware, all-at-once error reporting: wrong types, out-of-range numbers and
/// unknown keys each become a <see cref="Diagnostic"/>, never an exception. It reads a <see cref="ConfigNode"/>:
/// stack config's JSON or a component's arguments. A pending value (another resource supplies it) counts as
/// present (<see cref="Has"/>, <see cref="IsPending"/>) and reads as null without an error: it is checked when it resolves.
/// </summary>
internal sealed class ConfigReader
{
    private readonly ConfigNode _object;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public ConfigReader(ConfigNode obj, string path, DiagnosticBag bag)
    {
        _object = obj;
        Path = path;
        Bag = bag;
    }

    public string Path { get; }

    public DiagnosticBag Bag { get; }

    /// <summary>Reads <paramref name="node"/> as an object, or reports what it is instead.</summary>
    public static ConfigReader? For(JsonNode? node, string path, DiagnosticBag bag) => For(ConfigNode.FromJson(node), path, bag);

    /// <summary>Reads <paramref name="node"/> as an object, or reports what it is instead (nothing for a pending value).</summary>
    public static ConfigReader? For(ConfigNode? node, string path, DiagnosticBag bag)
    {
        if (node?.Kind == ConfigNodeKind.Object)
        {
            return new ConfigReader(node, path, bag);
        }

        if (node?.Kind == ConfigNodeKind.Pending)
        {
            return null;
        }

        ReadingRules.NotAMapping(path, Describe(node), bag);
        return null;
    }

    public bool Has(string key)
    {
        _known.Add(key);
        return _object.TryGet(key, out var v) && v is not null;
    }

    /// <summary>Whether <paramref name="key"/> holds a value another resource supplies, not known yet.</summary>
    public bool IsPending(string key) => Raw(key)?.Kind == ConfigNodeKind.Pending;

    public ConfigNode? Raw(string key)
    {
        _known.Add(key);
        return _object.TryGet(key, out var v) ? v : null;
    }

    public string Child(string key) => $"{Path}.{key}";

    public string? String(string key)
    {
        var node = Raw(key);
        if (node is null || node.Kind == ConfigNodeKind.Pending)
        {
            return null;
        }

        if (node.Kind is ConfigNodeKind.Text or ConfigNodeKind.Number or ConfigNodeKind.Boolean)
        {
            // A number or a boolean where text is wanted: YAML would have typed `name: 123` as a number.
            return node.Scalar;
        }

        ReadingRules.NotText(Child(key), Describe(node), Bag);
        return null;
    }

    /// <summary>A whole number within <paramref name="range"/>; anything else is reported with the range's rule.</summary>
    public int? Int(string key, AwsRules.IntRange range)
    {
        var node = Raw(key);
        return node is null || node.Kind == ConfigNodeKind.Pending ? null : ToInt(node, Child(key), range.Min, range.Max, range.Rule, Bag);
    }

    /// <summary>
    /// Any whole number that fits an <see cref="int"/>, whose real rule the validator checks; <paramref name="rule"/>
    /// is that rule, reported for a fraction or a number too large to hold, so no message states a wider internal guard.
    /// </summary>
    public int? Int(string key, string rule)
    {
        var node = Raw(key);
        return node is null || node.Kind == ConfigNodeKind.Pending ? null : ToInt(node, Child(key), int.MinValue, int.MaxValue, rule, Bag);
    }

    public int IntOr(string key, int fallback, AwsRules.IntRange range) => Int(key, range) ?? fallback;

    public int IntOr(string key, int fallback, string rule) => Int(key, rule) ?? fallback;

    public double? Number(string key)
    {
        var node = Raw(key);
        return node is null || node.Kind == ConfigNodeKind.Pending ? null : ToNumber(node, Child(key), Bag);
    }

    public bool? Bool(string key)
    {
        var node = Raw(key);
        if (node is null || node.Kind == ConfigNodeKind.Pending)
        {
            return null;
        }

        if ((node.Kind is ConfigNodeKind.Boolean or ConfigNodeKind.Text) && bool.TryParse(node.Scalar, out var parsed))
        {
            return parsed;
        }

        ReadingRules.NotABoolean(Child(key), Describe(node), Bag);
        return null;
    }

    public T? Enum<T>(string key, IReadOnlyDictionary<string, T> names)
        where T : struct
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        foreach (var (name, value) in names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        ReadingRules.NotOneOf(Child(key), names.Keys, text, Bag);
        return null;
    }

    public ConfigReader? Object(string key)
    {
        var node = Raw(key);
        return node is null ? null : For(node, Child(key), Bag);
    }

    /// <summary>The items of a sequence, each with its path; reports a non-sequence.</summary>
    public IReadOnlyList<(ConfigNode? Node, string Path)> Array(string key)
    {
        var node = Raw(key);
        if (node is null || node.Kind == ConfigNodeKind.Pending)
        {
            return [];
        }

        if (node.Kind != ConfigNodeKind.List)
        {
            ReadingRules.NotAList(Child(key), Describe(node), Bag);
            return [];
        }

        return [.. node.Items.Select((n, i) => (n, $"{Child(key)}[{i}]"))];
    }

    /// <summary>A map of text to text (environment, dimensions).</summary>
    public ImmutableSortedDictionary<string, string> StringMap(string key)
    {
        var node = Raw(key);
        if (node is null || node.Kind == ConfigNodeKind.Pending)
        {
            return ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node.Kind != ConfigNodeKind.Object)
        {
            ReadingRules.NotATextMapping(Child(key), Describe(node), Bag);
            return builder.ToImmutable();
        }

        foreach (var (k, v) in node.Entries)
        {
            if (v?.Kind is ConfigNodeKind.Text or ConfigNodeKind.Number or ConfigNodeKind.Boolean)
            {
                builder[k] = v.Scalar!;
            }
            else if (v?.Kind != ConfigNodeKind.Pending)
            {
                ReadingRules.NotText($"{Child(key)}.{k}", Describe(v), Bag);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Reports every key that no reader asked for, suggesting the nearest known key.</summary>
    public void ReportUnknownKeys()
    {
        foreach (var (key, _) in _object.Entries)
        {
            if (_known.Contains(key))
            {
                continue;
            }

            var suggestion = Suggest(key, _known);
            ReadingRules.UnknownKey(Child(key), key, suggestion, _known.Order(StringComparer.Ordinal), Bag);
        }
    }

    public static int? ToInt(ConfigNode node, string path, int min, int max, string rule, DiagnosticBag bag)
    {
        var number = ToNumber(node, path, bag);
        if (number is not { } d)
        {
            return null;
        }

        if (d != Math.Floor(d) || d < min || d > max)
        {
            ReadingRules.OutOfRange(path, rule, d, bag);
            return null;
        }

        return (int)d;
    }

    public static double? ToNumber(ConfigNode node, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = node.Kind switch
        {
            ConfigNodeKind.Number => node.Scalar,
            ConfigNodeKind.Text => node.Scalar!.Trim(),
            _ => null,
        };

        if (text is null)
        {
            ReadingRules.NotANumber(path, Describe(node), bag);
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            ReadingRules.NotANumberText(path, text, bag);
            return null;
        }

        if (!double.IsFinite(d))
        {
            ReadingRules.NotFinite(path, text, bag);
            return null;
        }

        return d;
    }

    public static string Describe(JsonNode? node) => Describe(ConfigNode.FromJson(node));

    public static string Describe(ConfigNode? node) => node?.Kind switch
    {
        null => "nothing (null)",
        ConfigNodeKind.Object => "a mapping",
        ConfigNodeKind.List => "a list",
        ConfigNodeKind.Text => $"text '{node.Scalar}'",
        ConfigNodeKind.Boolean => $"a boolean ({node.Scalar})",
        ConfigNodeKind.Number => $"the number {node.Scalar}",
        ConfigNodeKind.Pending => "a value not known yet",
        _ => "an unexpected value",
    };

    private static string? Suggest(string key, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Levenshtein(key.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
