using System.Text.Json;
using System.Text.Json.Nodes;
using StepScaling.Config;
using StepScaling.Model;

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

        // One writer for config out: Pulumi's reading of scalars decides the quoting (Config.ConfigYaml).
        return ConfigYaml.Write(new JsonObject { [$"{project}:scaling"] = root }, indent: 2, new ConfigYamlOptions { FlowFlatItems = true });
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
}
