using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StepScaling.Config;
using StepScaling.Model;
using StepScaling.Text;
using StepScaling.Validation;

namespace StepScaling.Planning;

/// <summary>Renders a <see cref="StackPlan"/> as text, pull-request Markdown, or JSON with AWS API field names.</summary>
public static class PlanRenderer
{
    /// <summary>Indented, and without escaping &lt;, &gt;, ', + or non-ASCII text: the output is read by people and jq, never embedded in HTML.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The alarm dimensions a policy will carry; values the component fills in at deploy time are shown as placeholders.</summary>
    public static IReadOnlyDictionary<string, string> Dimensions(StepPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Metric switch
        {
            EcsServiceMetric => new SortedDictionary<string, string>(StringComparer.Ordinal) { ["ClusterName"] = "<cluster name>", ["ServiceName"] = "<service name>" },
            AlbRequestCountPerTargetMetric alb => new SortedDictionary<string, string>(StringComparer.Ordinal) { ["TargetGroup"] = alb.TargetGroup ?? "<target group ARN suffix>" },
            CloudWatchMetric cw => cw.Dimensions,
            _ => new SortedDictionary<string, string>(StringComparer.Ordinal),
        };
    }

    /// <summary>(namespace, metric name) of a single-metric alarm; nulls for metric math.</summary>
    public static (string? Namespace, string? MetricName) MetricId(MetricSpec metric) => metric switch
    {
        EcsServiceMetric e => (EcsServiceMetric.Namespace, e.MetricName),
        AlbRequestCountPerTargetMetric => (AlbRequestCountPerTargetMetric.Namespace, AlbRequestCountPerTargetMetric.MetricName),
        CloudWatchMetric c => (c.Namespace, c.MetricName),
        _ => (null, null),
    };

    /// <summary>A step's adjustment as AWS applies it: +n tasks, = n tasks (ExactCapacity) or ±n % (PercentChangeInCapacity).</summary>
    private static string Adjustment(StepPolicy p, int adjustment) => p.Scaling.AdjustmentType switch
    {
        AdjustmentType.ExactCapacity => string.Create(CultureInfo.InvariantCulture, $"= {adjustment}"),
        AdjustmentType.PercentChangeInCapacity => Num.Signed(adjustment) + " %",
        _ => Num.Signed(adjustment),
    };

    private static string FindingCount(StackPlan plan)
    {
        var loops = plan.FlapFindings.Count(f => f.Endless);
        var reversals = plan.FlapFindings.Length - loops;
        var parts = new List<string>();
        if (loops > 0)
        {
            parts.Add(loops == 1 ? "1 scaling loop" : string.Create(CultureInfo.InvariantCulture, $"{loops} scaling loops"));
        }

        if (reversals > 0)
        {
            parts.Add(reversals == 1 ? "1 reversal" : string.Create(CultureInfo.InvariantCulture, $"{reversals} reversals"));
        }

        return string.Join(" and ", parts) + " under steady load";
    }

    /// <summary>
    /// What <c>service.build</c> makes, in one line: the image built and the ECR repository it is pushed to, with the
    /// Security Hub controls its settings satisfy. Values from the stack file are escaped.
    /// </summary>
    public static string ImageSummary(ImageBuildSettings build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var target = build.Target is { } t ? $", stage {t}" : string.Empty;
        var args = build.Args.IsEmpty ? string.Empty : $", build args {string.Join(", ", build.Args.Keys)}";
        var repository = build.Repository;
        var encryption = repository.KmsKeyArn is { } key ? $"KMS key {key} (ECR.5)" : "AES256";
        var summary = string.Create(CultureInfo.InvariantCulture, $"built from {build.DockerfileInProject} for {build.Platform}{target}{args}; pushed to a new ECR repository with scan on push (ECR.1), immutable tags (ECR.2), a lifecycle policy keeping the last {repository.KeepImages} images (ECR.3), {encryption} encryption{(repository.ForceDelete ? ", deleted with its images on destroy" : string.Empty)}; the service runs it by digest");
        return DiagnosticText.Escape(summary);
    }

    private static JsonObject ImageJson(ImageBuildSettings build) => new()
    {
        ["context"] = build.Context,
        ["dockerfile"] = build.DockerfileInProject,
        ["target"] = build.Target,
        ["platform"] = build.Platform,
        ["args"] = new JsonObject([.. build.Args.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
        ["repository"] = new JsonObject
        {
            ["scanOnPush"] = true,
            ["imageTagMutability"] = "IMMUTABLE",
            ["keepImages"] = build.Repository.KeepImages,
            ["encryptionType"] = build.Repository.EncryptionType,
            ["kmsKey"] = build.Repository.KmsKeyArn,
            ["forceDelete"] = build.Repository.ForceDelete,
        },
    };

    /// <summary>The plan as JSON, with the AWS API field names in camelCase.</summary>
    public static string Json(StackPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var spec = plan.Scaling;
        var root = new JsonObject
        {
            ["stack"] = plan.Stack,
            ["valid"] = plan.IsValid,
            ["scalingEnabled"] = spec is not null,
            ["minCapacity"] = spec?.MinCapacity,
            ["maxCapacity"] = spec?.MaxCapacity,
            ["policies"] = new JsonArray([.. (spec?.Policies ?? []).Select(p => (JsonNode)PolicyJson(p, plan.AlarmNamePrefix))]),
            ["imageBuild"] = plan.Config?.Service.Build is { } build ? ImageJson(build) : null,
            ["flapFindings"] = new JsonArray([.. plan.FlapFindings.Select(f => (JsonNode)new JsonObject
            {
                ["kind"] = f.Kind == Analysis.FlapKind.SameMetricLoop ? "sameMetricLoop" : "crossMetricLoop",
                ["firstPolicy"] = f.FirstPolicy,
                ["secondPolicy"] = f.SecondPolicy,
                ["capacity"] = f.Capacity,
                ["demand"] = f.Demand,
                ["capacityAfterFirst"] = f.CapacityAfterFirst,
                ["capacityAfterSecond"] = f.CapacityAfterSecond,
                ["cycleSeconds"] = f.CycleSeconds,
                ["message"] = f.Message,
                ["suggestion"] = f.Suggestion,
                ["suggestedScaleInThreshold"] = f.SuggestedScaleInThreshold,
            })]),
            ["diagnostics"] = DiagnosticsJson(plan.Diagnostics),
        };
        return root.ToJsonString(JsonOptions);
    }

    /// <summary>Findings as JSON, one object each: <c>severity</c>, <c>path</c>, <c>message</c>, and <c>acknowledged</c> (rule, reason) for an acknowledged warning; the one JSON form of findings in every output.</summary>
    public static JsonArray DiagnosticsJson(IEnumerable<Diagnostic> diagnostics) => new([.. diagnostics.Select(DiagnosticJson)]);

    private static JsonObject PolicyJson(StepPolicy p, string prefix)
    {
        var (ns, name) = MetricId(p.Metric);
        var alarm = new JsonObject
        {
            ["alarmName"] = AlarmNames.For(prefix, p.Name),
            ["namespace"] = ns,
            ["metricName"] = name,
            ["dimensions"] = new JsonObject([.. Dimensions(p).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
            ["statistic"] = p.Alarm.Statistic,
            ["extendedStatistic"] = p.Alarm.ExtendedStatistic,
            ["period"] = p.Metric is MetricMathMetric ? null : p.Alarm.Period, // metric math: each query has its own
            ["evaluationPeriods"] = p.Alarm.EvaluationPeriods,
            ["datapointsToAlarm"] = p.Alarm.DatapointsToAlarm,
            ["comparisonOperator"] = p.Alarm.ComparisonOperator.ToString(),
            ["threshold"] = p.Alarm.Threshold,
            ["treatMissingData"] = p.Alarm.TreatMissingData.ToAws(),
        };
        if (p.Metric is MetricMathMetric math)
        {
            alarm["metrics"] = new JsonArray([.. math.Queries.Select(q => (JsonNode)new JsonObject
            {
                ["id"] = q.Id,
                ["expression"] = q.Expression,
                ["label"] = q.Label,
                ["returnData"] = q.ReturnData,
                ["metricStat"] = q.Metric is { } m ? new JsonObject
                {
                    ["metric"] = new JsonObject
                    {
                        ["namespace"] = m.Namespace,
                        ["metricName"] = m.MetricName,
                        ["dimensions"] = new JsonObject([.. m.Dimensions.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
                    },
                    ["period"] = m.Period,
                    ["stat"] = m.Stat,
                    ["unit"] = m.Unit,
                } : null,
            })]);
        }

        return new JsonObject
        {
            ["name"] = p.Name,
            ["side"] = p.Side.ToConfigName(),
            ["adjustmentType"] = p.Scaling.AdjustmentType.ToString(),
            ["cooldown"] = p.Scaling.Cooldown,
            ["metricAggregationType"] = p.Scaling.MetricAggregationType.ToString(),
            ["minAdjustmentMagnitude"] = p.Scaling.MinAdjustmentMagnitude,
            ["stepAdjustments"] = new JsonArray([.. p.Scaling.StepAdjustments.Select(s => (JsonNode)new JsonObject
            {
                ["metricIntervalLowerBound"] = s.LowerBound,
                ["metricIntervalUpperBound"] = s.UpperBound,
                ["scalingAdjustment"] = s.ScalingAdjustment,
            })]),
            ["alarm"] = alarm,
            ["description"] = PolicyText.Describe(p),
        };
    }

    /// <summary>The plan as plain text for a terminal.</summary>
    public static string Text(StackPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Stack {plan.Stack}: ");
        if (plan.Config is null)
        {
            sb.AppendLine("the config has errors; nothing can be planned.");
        }
        else if (plan.Scaling is not { } spec)
        {
            sb.AppendLine(plan.Config.Scaling is null ? "scaling is off." : "the scaling has errors; nothing can be planned.");
        }
        else
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"scalable target ecs:service:DesiredCount, {spec.MinCapacity}–{spec.MaxCapacity} tasks, {spec.Policies.Length} policies.");
            foreach (var p in spec.Policies)
            {
                sb.AppendLine();
                sb.AppendLine(CultureInfo.InvariantCulture, $"{p.Name} ({(p.Side == ScalingSide.ScaleOut ? "scale-out" : "scale-in")})");
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {PolicyText.Describe(p)}");
                sb.AppendLine(CultureInfo.InvariantCulture, $"  alarm {AlarmNames.For(plan.AlarmNamePrefix, p.Name)}: {p.Alarm.ComparisonOperator} {Num.Format(p.Alarm.Threshold)}, treat missing data: {p.Alarm.TreatMissingData.ToAws()}");
                sb.AppendLine(CultureInfo.InvariantCulture, $"  policy: {p.Scaling.AdjustmentType}, cooldown {p.Scaling.Cooldown} s, aggregation {p.Scaling.MetricAggregationType}{(p.Scaling.MinAdjustmentMagnitude is { } m ? $", min adjustment {m}" : string.Empty)}");
                foreach (var s in p.Scaling.StepAdjustments)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"    step {Num.Interval(s.LowerBound, s.UpperBound, p.Alarm.ComparisonOperator.IsAbove(), !p.Alarm.ComparisonOperator.IsAbove()),-18} {Adjustment(p, s.ScalingAdjustment)}");
                }

                foreach (var note in BoundNotes(p))
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"    note: {note}");
                }
            }
        }

        if (plan.Config?.Service.Build is { } build)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"Image: {ImageSummary(build)}");
        }

        AppendDiagnostics(sb, plan, markdown: false);
        return sb.ToString();
    }

    /// <summary>
    /// Why a bound is not the plain decimal difference: AWS subtracts in double, so the bound that puts the edge in
    /// its band can differ from it in the last digits (<c>80.3 − 70</c> is <c>10.299999999999997</c>).
    /// </summary>
    internal static IEnumerable<string> BoundNotes(StepPolicy p)
    {
        var above = p.Alarm.ComparisonOperator.IsAbove();
        var seen = new HashSet<double>();
        foreach (var bound in p.Scaling.StepAdjustments.SelectMany(s => new[] { s.LowerBound, s.UpperBound }).OfType<double>())
        {
            if (bound == 0 || !seen.Add(bound) || DoubleEdges.EdgeOfBound(bound, p.Alarm.Threshold, above) is not { } edge)
            {
                continue;
            }

            var plain = Math.Abs(edge) < 1e15 && Math.Abs(p.Alarm.Threshold) < 1e15 ? (double)((decimal)edge - (decimal)p.Alarm.Threshold) : bound;
            if (plain != bound)
            {
                yield return $"bound {Num.Format(bound)}, not {Num.Format(plain)}: AWS computes {Num.Format(edge)} − {Num.Format(p.Alarm.Threshold)} = {Num.Format(DoubleEdges.Diff(edge, p.Alarm.Threshold))} in double, and this bound keeps a reading of {Num.Format(edge)} in the band written for it";
            }
        }
    }

    /// <summary>The plan as Markdown, ready to paste into a pull request.</summary>
    public static string Markdown(StackPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Step scaling plan: `{plan.Stack}`");
        sb.AppendLine();
        if (plan.Scaling is not { } spec)
        {
            sb.AppendLine(plan.Config is null || plan.Config.Scaling is not null ? "The configuration has errors; nothing can be planned." : "Scaling is off: the service runs its desired count.");
        }
        else
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Scalable target `ecs:service:DesiredCount`: **{spec.MinCapacity}–{spec.MaxCapacity} tasks**.");
            sb.AppendLine();
            sb.AppendLine("| Policy | Side | Alarm | Steps (absolute) | Relative step adjustments | Cooldown |");
            sb.AppendLine("|---|---|---|---|---|---|");
            foreach (var p in spec.Policies)
            {
                var alarm = $"`{AlarmNames.For(plan.AlarmNamePrefix, p.Name)}`<br>{p.Metric.DisplayName} {p.Alarm.ComparisonOperator.Symbol()} {Num.Format(p.Alarm.Threshold)}{p.Metric.UnitSuffix}<br>{p.Alarm.StatisticLabel}, {p.Alarm.Period} s, {p.Alarm.DatapointsToAlarm} of {p.Alarm.EvaluationPeriods}";
                var reachable = Model.Steps.Reachable(p.Alarm.ComparisonOperator, p.Alarm.Threshold, p.Scaling.StepAdjustments);
                var absolute = string.Join("<br>", reachable.Select(s => $"{s.Describe(p.Metric.UnitSuffix)} → {PolicyText.Adjustment(p.Scaling, s.Adjustment, true)}"));
                var relative = string.Join("<br>", p.Scaling.StepAdjustments.Select(s => $"`{Num.Interval(s.LowerBound, s.UpperBound, p.Alarm.ComparisonOperator.IsAbove(), !p.Alarm.ComparisonOperator.IsAbove())}` {Adjustment(p, s.ScalingAdjustment)}"));
                sb.AppendLine(CultureInfo.InvariantCulture, $"| `{p.Name}` | {(p.Side == ScalingSide.ScaleOut ? "scale-out" : "scale-in")} | {Cell(alarm)} | {Cell(absolute)} | {relative} | {p.Scaling.Cooldown} s |");
            }
        }

        if (plan.Config?.Service.Build is { } build)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"**Image:** {Cell(ImageSummary(build))}");
        }

        AppendDiagnostics(sb, plan, markdown: true);
        return sb.ToString();
    }

    /// <summary>A Markdown table cell: a '|' in a metric or label would end the cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>One finding in the JSON form; an acknowledged warning also carries its rule and the stack's reason.</summary>
    private static JsonNode DiagnosticJson(Diagnostic d)
    {
        var o = new JsonObject { ["severity"] = Diagnostic.Label(d.Severity), ["path"] = d.Path, ["message"] = d.Message };
        if (d.IsAcknowledged)
        {
            o["acknowledged"] = new JsonObject { ["rule"] = d.Rule, ["reason"] = d.AcknowledgedBecause };
        }

        return o;
    }

    private static void AppendDiagnostics(StringBuilder sb, StackPlan plan, bool markdown)
    {
        sb.AppendLine();
        if (plan.Config?.FlapCheck != FlapCheckMode.Off && plan.Scaling is not null)
        {
            if (markdown)
            {
                sb.AppendLine(plan.FlapFindings.IsEmpty ? "**Flap check:** no scaling loop under steady load. ✅" : $"**Flap check:** {FindingCount(plan)}. ⚠️");
            }
            else
            {
                sb.AppendLine(plan.FlapFindings.IsEmpty ? "Flap check: no scaling loop under steady load." : $"Flap check: {FindingCount(plan)}.");
            }
        }

        if (plan.Diagnostics.IsEmpty)
        {
            return;
        }

        if (markdown)
        {
            sb.AppendLine();
        }

        foreach (var d in plan.Diagnostics)
        {
            sb.AppendLine(markdown ? $"- **{d.Label()}** `{d.Path}`: {d.Message}{d.AcknowledgementSuffix}" : d.ToString());
        }
    }
}
