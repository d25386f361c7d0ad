using System.Collections.Immutable;
using System.Text.Json;
using StepScaling.Model;

namespace StepScaling.Import;

/// <summary>
/// Reads the JSON a live account gives: <c>aws application-autoscaling describe-scaling-policies</c>
/// (https://docs.aws.amazon.com/cli/latest/reference/application-autoscaling/describe-scaling-policies.html),
/// optionally <c>describe-scalable-targets</c>
/// (https://docs.aws.amazon.com/cli/latest/reference/application-autoscaling/describe-scalable-targets.html), and
/// <c>aws cloudwatch describe-alarms</c> (https://docs.aws.amazon.com/cli/latest/reference/cloudwatch/describe-alarms.html).
/// Alarms are linked to policies through the policy ARN in their <c>AlarmActions</c>.
/// </summary>
public static class AwsCliReader
{
    /// <summary>The top-level keys of the accepted AWS CLI outputs.</summary>
    public static readonly ImmutableArray<string> Keys = ["ScalingPolicies", "ScalableTargets", "MetricAlarms"];

    /// <summary>Whether <paramref name="root"/> is one of the accepted AWS CLI outputs.</summary>
    public static bool Accepts(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && Keys.Any(k => root.TryGetProperty(k, out _));

    /// <summary>Reads the outputs, one document per file.</summary>
    public static ImportInput Read(IReadOnlyList<(JsonElement Root, string Source)> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var findings = new List<ImportFinding>();
        var targets = new List<ImportedTarget>();
        var policies = new List<ImportedPolicy>();
        var alarms = new List<ImportedAlarm>();
        var hasTargets = false;
        string? region = null;
        foreach (var (root, source) in documents)
        {
            if (root.Prop("ScalableTargets") is { ValueKind: JsonValueKind.Array })
            {
                hasTargets = true;
            }

            foreach (var t in root.Items("ScalableTargets"))
            {
                var id = t.Str("ResourceId");
                targets.Add(new ImportedTarget
                {
                    Key = $"{t.Str("ServiceNamespace")}|{id}|{t.Str("ScalableDimension")}",
                    Where = $"{source}#{id}",
                    ServiceNamespace = t.Str("ServiceNamespace"),
                    ResourceId = id,
                    ScalableDimension = t.Str("ScalableDimension"),
                    MinCapacity = t.Int("MinCapacity"),
                    MaxCapacity = t.Int("MaxCapacity"),
                });
                if (t.Prop("SuspendedState") is { } suspended && (suspended.Bool("DynamicScalingInSuspended") == true || suspended.Bool("DynamicScalingOutSuspended") == true))
                {
                    findings.Add(new ImportFinding(ImportLevel.Note, $"{source}#{id}", "dynamic scaling is suspended on this target; the imported stack scales (the component does not suspend scaling)"));
                }
            }

            foreach (var p in root.Items("ScalingPolicies"))
            {
                var arn = p.Str("PolicyARN") ?? p.Str("PolicyName") ?? string.Empty;
                region ??= Arns.Region(arn);
                var conf = p.Prop("StepScalingPolicyConfiguration");
                policies.Add(new ImportedPolicy
                {
                    Key = arn,
                    Where = $"{source}#{p.Str("PolicyName")}",
                    Name = p.Str("PolicyName"),
                    PolicyType = p.Str("PolicyType"),
                    ServiceNamespace = p.Str("ServiceNamespace"),
                    ResourceId = p.Str("ResourceId"),
                    ScalableDimension = p.Str("ScalableDimension"),
                    AdjustmentType = conf?.Str("AdjustmentType"),
                    Cooldown = conf?.Int("Cooldown"),
                    MetricAggregationType = conf?.Str("MetricAggregationType"),
                    MinAdjustmentMagnitude = conf?.Int("MinAdjustmentMagnitude"),
                    Steps = conf is { } c ? [.. c.Items("StepAdjustments").Select(s => new StepAdjustment(
                        s.Num("MetricIntervalLowerBound"), s.Num("MetricIntervalUpperBound"), s.Int("ScalingAdjustment") ?? 0))] : [],
                });
            }

            foreach (var a in root.Items("MetricAlarms"))
            {
                region ??= Arns.Region(a.Str("AlarmArn"));
                alarms.Add(new ImportedAlarm
                {
                    Key = a.Str("AlarmArn") ?? a.Str("AlarmName") ?? string.Empty,
                    Where = $"{source}#{a.Str("AlarmName")}",
                    Name = a.Str("AlarmName"),
                    Namespace = a.Str("Namespace"),
                    MetricName = a.Str("MetricName"),
                    Dimensions = a.NameValueList("Dimensions"),
                    Statistic = a.Str("Statistic"),
                    ExtendedStatistic = a.Str("ExtendedStatistic"),
                    Unit = a.Str("Unit"),
                    Period = a.Int("Period"),
                    EvaluationPeriods = a.Int("EvaluationPeriods"),
                    DatapointsToAlarm = a.Int("DatapointsToAlarm"),
                    ComparisonOperator = a.Str("ComparisonOperator"),
                    Threshold = a.Num("Threshold"),
                    TreatMissingData = a.Str("TreatMissingData"),
                    ActionsEnabled = a.Bool("ActionsEnabled") ?? true,
                    Queries = [.. a.Items("Metrics").Select(q => new MetricQuery
                    {
                        Id = q.Str("Id") ?? string.Empty,
                        Expression = q.Str("Expression"),
                        Label = q.Str("Label"),
                        ReturnData = q.Bool("ReturnData") ?? true,
                        Metric = q.Prop("MetricStat") is { } ms && ms.Prop("Metric") is { } m ? new MetricStat
                        {
                            Namespace = m.Str("Namespace") ?? string.Empty,
                            MetricName = m.Str("MetricName") ?? string.Empty,
                            Dimensions = m.NameValueList("Dimensions"),
                            Stat = ms.Str("Stat") ?? string.Empty,
                            Period = ms.Int("Period") ?? 0,
                            Unit = ms.Str("Unit"),
                        } : null,
                    })],
                    AlarmActions = a.Strings("AlarmActions"),
                    OtherActions = [.. a.Strings("OKActions"), .. a.Strings("InsufficientDataActions")],
                });
            }
        }

        return new ImportInput
        {
            Kind = "AWS CLI (describe-scaling-policies, describe-alarms)",
            // Pages saved twice, or overlapping --query outputs, hold the same item twice: one ARN is one item.
            Targets = [.. targets.DistinctBy(t => t.Key)],
            Policies = [.. policies.DistinctBy(p => p.Key)],
            Alarms = [.. alarms.DistinctBy(a => a.Key)],
            Region = region,
            HasTargets = hasTargets,
            Findings = [.. findings],
        };
    }
}
