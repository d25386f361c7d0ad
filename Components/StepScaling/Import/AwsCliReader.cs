using System.Collections.Immutable;
using System.Text.Json;
using StepScaling.Model;
using StepScaling.Validation;

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
        var findings = new List<Diagnostic>();
        var targets = new List<ImportedTarget>();
        var policies = new List<ImportedPolicy>();
        var alarms = new List<ImportedAlarm>();
        foreach (var (root, source) in documents)
        {
            targets.AddRange(root.Items("ScalableTargets").Select(t => Target(new InputObject(t, $"{source}#{t.Str("ResourceId")}", findings))));
            policies.AddRange(root.Items("ScalingPolicies").Select(p => Policy(new InputObject(p, $"{source}#{p.Str("PolicyName")}", findings))));
            alarms.AddRange(root.Items("MetricAlarms").Select(a => Alarm(new InputObject(a, $"{source}#{a.Str("AlarmName")}", findings))));
        }

        return new ImportInput
        {
            Kind = "AWS CLI (describe-scaling-policies, describe-alarms)",
            // Pages saved twice, or overlapping --query outputs, hold the same item twice: one ARN is one item.
            Targets = [.. targets.DistinctBy(t => t.Key)],
            Policies = [.. policies.DistinctBy(p => p.Key)],
            Alarms = [.. alarms.DistinctBy(a => a.Key)],
            Region = policies.Select(p => Arns.Region(p.Key)).Concat(alarms.Select(a => Arns.Region(a.Key))).FirstOrDefault(r => r is not null),
            HasTargets = documents.Any(d => d.Root.Prop("ScalableTargets") is { ValueKind: JsonValueKind.Array }),
            Findings = [.. findings],
        };
    }

    private static ImportedTarget Target(InputObject t)
    {
        var id = t.Str("ResourceId");
        if (t.Block("SuspendedState") is { } suspended && (suspended.Bool("DynamicScalingInSuspended") == true || suspended.Bool("DynamicScalingOutSuspended") == true))
        {
            t.Findings.Add(Diagnostic.Note(t.Where, "dynamic scaling is suspended on this target; the imported stack scales (the component does not suspend scaling)"));
        }

        return new ImportedTarget
        {
            Key = $"{t.Str("ServiceNamespace")}|{id}|{t.Str("ScalableDimension")}",
            Where = t.Where,
            ServiceNamespace = t.Str("ServiceNamespace"),
            ResourceId = id,
            ScalableDimension = t.Str("ScalableDimension"),
            MinCapacity = t.Int("MinCapacity"),
            MaxCapacity = t.Int("MaxCapacity"),
        };
    }

    private static ImportedPolicy Policy(InputObject p)
    {
        var conf = p.Block("StepScalingPolicyConfiguration");
        return new ImportedPolicy
        {
            Key = p.Str("PolicyARN") ?? p.Str("PolicyName") ?? string.Empty,
            Where = p.Where,
            Name = p.Str("PolicyName"),
            PolicyType = p.Str("PolicyType"),
            ServiceNamespace = p.Str("ServiceNamespace"),
            ResourceId = p.Str("ResourceId"),
            ScalableDimension = p.Str("ScalableDimension"),
            AdjustmentType = conf?.Str("AdjustmentType"),
            Cooldown = conf?.Int("Cooldown"),
            MetricAggregationType = conf?.Str("MetricAggregationType"),
            MinAdjustmentMagnitude = conf?.Int("MinAdjustmentMagnitude"),
            Steps = conf is null ? [] : [.. conf.Items("StepAdjustments").Select(s => new StepAdjustment(
                s.Number("MetricIntervalLowerBound"),
                s.Number("MetricIntervalUpperBound"),
                s.RequiredInt("ScalingAdjustment", "every step adjustment names one", int.MinValue) ?? 0))],
        };
    }

    private static ImportedAlarm Alarm(InputObject a) => new()
    {
        Key = a.Str("AlarmArn") ?? a.Str("AlarmName") ?? string.Empty,
        Where = a.Where,
        Name = a.Str("AlarmName"),
        Namespace = a.Str("Namespace"),
        MetricName = a.Str("MetricName"),
        Dimensions = a.NameValueList("Dimensions"),
        Statistic = a.Str("Statistic"),
        ExtendedStatistic = a.Str("ExtendedStatistic"),
        Unit = a.Str("Unit"),
        Period = a.Int("Period", 1),
        EvaluationPeriods = a.Int("EvaluationPeriods"),
        DatapointsToAlarm = a.Int("DatapointsToAlarm"),
        ComparisonOperator = a.Str("ComparisonOperator"),
        Threshold = a.Number("Threshold"),
        TreatMissingData = a.Str("TreatMissingData"),
        ActionsEnabled = a.Bool("ActionsEnabled") ?? true,
        Queries = [.. a.Items("Metrics").Select(Query)],
        AlarmActions = a.Strings("AlarmActions").Known,
        OtherActions = [.. a.Strings("OKActions").Known, .. a.Strings("InsufficientDataActions").Known],
    };

    private static MetricQuery Query(InputObject q) => new()
    {
        Id = q.RequiredStr("Id", "every MetricDataQuery has one"),
        Expression = q.Str("Expression"),
        Label = q.Str("Label"),
        ReturnData = q.Bool("ReturnData") ?? true,
        Metric = q.Block("MetricStat") is { } ms && ms.Block("Metric") is { } m ? new MetricStat
        {
            Namespace = m.RequiredStr("Namespace", "a MetricStat's metric names one"),
            MetricName = m.RequiredStr("MetricName", "a MetricStat's metric names one"),
            Dimensions = m.NameValueList("Dimensions"),
            Stat = ms.RequiredStr("Stat", "every MetricStat has one"),
            Period = ms.RequiredInt("Period", "every MetricStat has one", 1) ?? 0,
            Unit = ms.Str("Unit"),
        } : null,
    };
}
