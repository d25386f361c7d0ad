using System.Collections.Immutable;
using System.Text.Json.Nodes;
using StepScaling.Config;
using StepScaling.Model;

namespace StepScaling.Import;

/// <summary>
/// Writes an import as a Pulumi stack file: the service name and the <c>scaling</c> section, in the raw relative
/// form (<c>alarm</c> + <c>stepAdjustments</c>) with every AWS field spelt out, so nothing rests on a default.
/// The text comes from <see cref="ConfigYaml"/>, the one stack-file writer (quoting and escaping by Pulumi's reading).
/// </summary>
public static class StackYamlWriter
{
    /// <summary>The stack file text.</summary>
    /// <param name="result">A successful import (<see cref="ImportResult.Scaling"/> set).</param>
    /// <param name="project">The project namespace of the keys (<c>step-scaled-ecs</c>).</param>
    /// <param name="from">What was imported, for the header comment (file names).</param>
    public static string Write(ImportResult result, string project, string from)
    {
        ArgumentNullException.ThrowIfNull(result);
        var scaling = result.Scaling ?? throw new ArgumentException("The import has no scaling to write.", nameof(result));
        var comments = new Dictionary<JsonNode, IReadOnlyList<string>>(ReferenceEqualityComparer.Instance);
        var config = new JsonObject();
        if (result.Region is { } region)
        {
            config["aws:region"] = region;
        }

        config[$"{project}:service"] = new JsonObject { ["name"] = result.ServiceName ?? Config.ServiceSettings.DefaultName };
        config[$"{project}:scaling"] = new JsonObject
        {
            ["minCapacity"] = scaling.MinCapacity,
            ["maxCapacity"] = scaling.MaxCapacity,
            ["policies"] = new JsonArray([.. scaling.Policies.Select(p => Policy(p, result.Sources, comments))]),
        };
        return ConfigYaml.Write(new JsonObject { ["config"] = config }, 0, new ConfigYamlOptions
        {
            Header =
            [
                $"Imported by `stepscale import` from {from}: the step scaling of ECS service '{result.ServiceName}', as raw relative steps.",
                "Step bounds are relative to each alarm's threshold, as AWS and Terraform store them. Check it: stepscale check <this file>",
            ],
            Comments = comments,
        });
    }

    private static JsonObject Policy(PolicyDefinition p, ImmutableArray<ImportedSideSource> sources, Dictionary<JsonNode, IReadOnlyList<string>> comments)
    {
        var node = new JsonObject { ["name"] = p.Name, ["metric"] = Metric(p.Metric) };
        Set(node, "statistic", p.Statistic);
        Set(node, "extendedStatistic", p.ExtendedStatistic);
        if (p.Metric is not MetricMathMetric)
        {
            node["period"] = p.Period;
        }

        foreach (var (side, def) in new[] { (ScalingSide.ScaleOut, p.ScaleOut), (ScalingSide.ScaleIn, p.ScaleIn) })
        {
            if (def is null)
            {
                continue;
            }

            var sideNode = Side(def);
            node[side.ToConfigName()] = sideNode;
            if (sources.FirstOrDefault(s => s.Policy == p.Name && s.Side == side) is { } source)
            {
                comments[sideNode] = [$"from alarm {source.Alarm} and policy {source.ScalingPolicy}"];
            }
        }

        return node;
    }

    private static JsonObject Side(SideDefinition side)
    {
        var node = new JsonObject { ["evaluationPeriods"] = side.EvaluationPeriods };
        Set(node, "datapointsToAlarm", side.DatapointsToAlarm);
        Set(node, "treatMissingData", side.TreatMissingData?.ToAws());
        node["cooldown"] = side.Cooldown;
        node["adjustmentType"] = side.AdjustmentType.ToString();
        Set(node, "minAdjustmentMagnitude", side.MinAdjustmentMagnitude);
        Set(node, "metricAggregationType", side.MetricAggregationType?.ToString());
        if (side.Steps is RelativeSteps rel)
        {
            node["alarm"] = new JsonObject { ["comparisonOperator"] = rel.ComparisonOperator.ToString(), ["threshold"] = rel.Threshold };
            node["stepAdjustments"] = new JsonArray([.. rel.StepAdjustments.Select(Step)]);
        }

        return node;
    }

    private static JsonObject Step(StepAdjustment s)
    {
        var node = new JsonObject();
        Set(node, "metricIntervalLowerBound", s.LowerBound);
        Set(node, "metricIntervalUpperBound", s.UpperBound);
        node["scalingAdjustment"] = s.ScalingAdjustment;
        return node;
    }

    private static JsonNode Metric(MetricSpec metric) => metric switch
    {
        EcsServiceMetric ecs => JsonValue.Create(ecs.MetricName),
        AlbRequestCountPerTargetMetric { TargetGroup: null } => JsonValue.Create(AlbRequestCountPerTargetMetric.MetricName),
        AlbRequestCountPerTargetMetric alb => new JsonObject { ["kind"] = "albRequestCountPerTarget", ["targetGroup"] = alb.TargetGroup },
        CloudWatchMetric cw => CloudWatch(cw),
        MetricMathMetric math => new JsonObject { ["kind"] = "math", ["queries"] = new JsonArray([.. math.Queries.Select(Query)]) },
        _ => throw new ArgumentException($"Unknown metric kind {metric.GetType().Name}.", nameof(metric)),
    };

    private static JsonObject CloudWatch(CloudWatchMetric cw)
    {
        var node = new JsonObject { ["kind"] = "cloudwatch", ["namespace"] = cw.Namespace, ["name"] = cw.MetricName };
        Dimensions(node, cw.Dimensions);
        Set(node, "unit", cw.Unit);
        return node;
    }

    private static JsonObject Query(MetricQuery q)
    {
        var node = new JsonObject { ["id"] = q.Id };
        Set(node, "expression", q.Expression);
        Set(node, "label", q.Label);
        node["returnData"] = q.ReturnData;
        if (q.Metric is { } m)
        {
            var metric = new JsonObject { ["namespace"] = m.Namespace, ["name"] = m.MetricName };
            Dimensions(metric, m.Dimensions);
            metric["stat"] = m.Stat;
            metric["period"] = m.Period;
            Set(metric, "unit", m.Unit);
            node["metric"] = metric;
        }

        return node;
    }

    private static void Dimensions(JsonObject node, ImmutableSortedDictionary<string, string> dims)
    {
        if (dims.Count > 0)
        {
            node["dimensions"] = new JsonObject(dims.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        }
    }

    private static void Set(JsonObject node, string key, string? value)
    {
        if (value is not null)
        {
            node[key] = value;
        }
    }

    private static void Set(JsonObject node, string key, double? value)
    {
        if (value is { } v)
        {
            node[key] = v;
        }
    }
}
