using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StepScaling.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StepScaling.Tuning;

/// <summary>The recommended <c>scaling:</c> block as stack-file YAML, ready to paste under <c>config:</c>.</summary>
public static class TuningYaml
{
    /// <summary>
    /// The stack's <c>scaling</c> value (its JSON, as <see cref="Config.StackFile.Values"/> holds it) with the tuned
    /// sides of <paramref name="recommended"/> written as bands; every other key is kept as the stack wrote it.
    /// </summary>
    /// <param name="project">The config namespace, e.g. <c>step-scaled-ecs</c>.</param>
    /// <param name="scalingJson">The stack's scaling value.</param>
    /// <param name="recommended">The recommended definition.</param>
    /// <param name="tuned">The names of the tuned policies.</param>
    public static string ScalingBlock(string project, string scalingJson, ScalingDefinition recommended, IEnumerable<string> tuned)
    {
        ArgumentNullException.ThrowIfNull(recommended);
        ArgumentNullException.ThrowIfNull(tuned);
        var root = JsonNode.Parse(scalingJson)?.AsObject() ?? throw new ArgumentException("The scaling value is not an object.", nameof(scalingJson));
        var names = tuned.ToHashSet(StringComparer.Ordinal);
        if (root["policies"] is JsonArray policies)
        {
            foreach (var node in policies.OfType<JsonObject>())
            {
                var name = node["name"]?.GetValueKind() == JsonValueKind.String ? node["name"]!.GetValue<string>() : null;
                if (name is null || !names.Contains(name) || recommended.Policies.FirstOrDefault(p => p.Name == name) is not { } policy)
                {
                    continue;
                }

                Replace(node, "scaleOut", policy.ScaleOut);
                Replace(node, "scaleIn", policy.ScaleIn);
            }
        }

        var yaml = new YamlMappingNode { { new YamlScalarNode($"{project}:scaling"), ToYaml(root, flow: false) } };
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(yaml)).Save(writer, assignAnchors: false);
        var lines = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Where(l => l.Length > 0 && l != "..." && l != "---");
        return string.Concat(lines.Select(l => "  " + l + "\n"));
    }

    private static void Replace(JsonObject policy, string key, SideDefinition? side)
    {
        if (side?.Steps is not BandSteps bands || policy[key] is not JsonObject node)
        {
            return;
        }

        node.Remove("alarm");
        node.Remove("stepAdjustments");
        node["cooldown"] = side.Cooldown;
        node["evaluationPeriods"] = side.EvaluationPeriods;
        node["datapointsToAlarm"] = side.DatapointsToAlarm ?? side.EvaluationPeriods;
        var list = new JsonArray();
        foreach (var b in bands.Bands.OrderBy(b => b.From ?? double.NegativeInfinity))
        {
            var band = new JsonObject();
            if (b.From is { } f)
            {
                band["from"] = f;
            }

            if (b.To is { } t)
            {
                band["to"] = t;
            }

            band["change"] = b.Change;
            list.Add(band);
        }

        // Bands last, as a person writes them: timing first, then the steps.
        node.Remove("bands");
        node["bands"] = list;
    }

    private static YamlNode ToYaml(JsonNode? node, bool flow) => node switch
    {
        JsonObject o => Mapping(o, flow),
        JsonArray a => Sequence(a),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => new YamlScalarNode(v.GetValue<string>()) { Style = NeedsQuotes(v.GetValue<string>()) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any },
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => new YamlScalarNode(Num.Format(double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture))),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => new YamlScalarNode("true"),
        JsonValue v when v.GetValueKind() == JsonValueKind.False => new YamlScalarNode("false"),
        _ => new YamlScalarNode("null"),
    };

    private static YamlMappingNode Mapping(JsonObject o, bool flow)
    {
        var m = new YamlMappingNode();
        if (flow)
        {
            m.Style = YamlDotNet.Core.Events.MappingStyle.Flow;
        }

        foreach (var (key, value) in o)
        {
            m.Add(new YamlScalarNode(key), ToYaml(value, false));
        }

        return m;
    }

    private static YamlSequenceNode Sequence(JsonArray a)
    {
        var s = new YamlSequenceNode();
        foreach (var item in a)
        {
            // Bands and steps read best one per line, in flow style: - { from: 70, to: 85, change: 1 }
            var flat = item is JsonObject o && o.All(kv => kv.Value is JsonValue);
            s.Add(ToYaml(item, flat));
        }

        return s;
    }

    /// <summary>A string that YAML would read as another type (a number, a boolean, null) keeps its quotes.</summary>
    private static bool NeedsQuotes(string s) =>
        s.Length == 0 || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || s is "true" or "false" or "null" or "~" or "yes" or "no" or "on" or "off" or "True" or "False" or "Null" or "NULL";
}
