using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Import;

/// <summary>An Application Auto Scaling scalable target (<c>aws_appautoscaling_target</c>, <c>describe-scalable-targets</c>).</summary>
public sealed record ImportedTarget
{
    /// <summary>The Terraform address, or the resource id for AWS CLI input; policies refer to it.</summary>
    public required string Key { get; init; }

    /// <summary>Where it was read, for messages.</summary>
    public required string Where { get; init; }

    /// <summary><c>ecs</c> for an ECS service.</summary>
    public string? ServiceNamespace { get; init; }

    /// <summary><c>service/&lt;cluster&gt;/&lt;service&gt;</c> for an ECS service; null when not known before apply.</summary>
    public string? ResourceId { get; init; }

    /// <summary><c>ecs:service:DesiredCount</c> for an ECS service.</summary>
    public string? ScalableDimension { get; init; }

    /// <summary>The least capacity.</summary>
    public int? MinCapacity { get; init; }

    /// <summary>The most capacity.</summary>
    public int? MaxCapacity { get; init; }
}

/// <summary>An Application Auto Scaling policy (<c>aws_appautoscaling_policy</c>, <c>describe-scaling-policies</c>).</summary>
public sealed record ImportedPolicy
{
    /// <summary>The Terraform address or the policy ARN; alarm actions refer to it.</summary>
    public required string Key { get; init; }

    /// <summary>Where it was read, for messages.</summary>
    public required string Where { get; init; }

    /// <summary>The policy name in AWS.</summary>
    public string? Name { get; init; }

    /// <summary><c>StepScaling</c> or <c>TargetTrackingScaling</c>.</summary>
    public string? PolicyType { get; init; }

    /// <summary>The scalable target's key when the input links it by reference (a Terraform plan); else null.</summary>
    public string? TargetKey { get; init; }

    /// <summary>The service namespace, e.g. <c>ecs</c>.</summary>
    public string? ServiceNamespace { get; init; }

    /// <summary>The resource id, e.g. <c>service/cluster/web</c>; null when not known before apply.</summary>
    public string? ResourceId { get; init; }

    /// <summary>The scalable dimension, e.g. <c>ecs:service:DesiredCount</c>.</summary>
    public string? ScalableDimension { get; init; }

    /// <summary>The adjustment type as AWS spells it.</summary>
    public string? AdjustmentType { get; init; }

    /// <summary>Cooldown in seconds.</summary>
    public int? Cooldown { get; init; }

    /// <summary>Metric aggregation type as AWS spells it.</summary>
    public string? MetricAggregationType { get; init; }

    /// <summary>Least adjustment for percentage steps.</summary>
    public int? MinAdjustmentMagnitude { get; init; }

    /// <summary>The step adjustments, bounds relative to the alarm threshold.</summary>
    public ImmutableArray<StepAdjustment> Steps { get; init; } = [];
}

/// <summary>A CloudWatch metric alarm (<c>aws_cloudwatch_metric_alarm</c>, <c>describe-alarms</c>).</summary>
public sealed record ImportedAlarm
{
    /// <summary>The Terraform address or the alarm ARN.</summary>
    public required string Key { get; init; }

    /// <summary>Where it was read, for messages.</summary>
    public required string Where { get; init; }

    /// <summary>The alarm name in AWS.</summary>
    public string? Name { get; init; }

    /// <summary>The namespace of a single-metric alarm.</summary>
    public string? Namespace { get; init; }

    /// <summary>The metric name of a single-metric alarm.</summary>
    public string? MetricName { get; init; }

    /// <summary>The dimensions of a single-metric alarm whose values are known (see <see cref="UnknownDimensions"/>).</summary>
    public ImmutableSortedDictionary<string, string> Dimensions { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Dimension names whose values a Terraform plan leaves unknown until apply (<c>after_unknown</c>).</summary>
    public ImmutableArray<string> UnknownDimensions { get; init; } = [];

    /// <summary>The statistic.</summary>
    public string? Statistic { get; init; }

    /// <summary>The percentile statistic.</summary>
    public string? ExtendedStatistic { get; init; }

    /// <summary>The unit, if the alarm names one.</summary>
    public string? Unit { get; init; }

    /// <summary>The period in seconds (single-metric alarms).</summary>
    public int? Period { get; init; }

    /// <summary>Evaluation periods.</summary>
    public int? EvaluationPeriods { get; init; }

    /// <summary>Datapoints to alarm, or null for all of them.</summary>
    public int? DatapointsToAlarm { get; init; }

    /// <summary>The comparison operator as AWS spells it.</summary>
    public string? ComparisonOperator { get; init; }

    /// <summary>The threshold.</summary>
    public double? Threshold { get; init; }

    /// <summary>Missing-data treatment as AWS spells it; null for CloudWatch's default (<c>missing</c>).</summary>
    public string? TreatMissingData { get; init; }

    /// <summary>Whether the alarm's actions are enabled (AWS default true).</summary>
    public bool ActionsEnabled { get; init; } = true;

    /// <summary>Metric-math queries; empty for a single-metric alarm.</summary>
    public ImmutableArray<MetricQuery> Queries { get; init; } = [];

    /// <summary>The alarm actions: a policy's <see cref="ImportedPolicy.Key"/> where it is one, else the ARN or reference as given.</summary>
    public ImmutableArray<string> AlarmActions { get; init; } = [];

    /// <summary>The OK and insufficient-data actions, as given.</summary>
    public ImmutableArray<string> OtherActions { get; init; } = [];
}

/// <summary>Everything one import read: targets, policies and alarms, and what it found on the way.</summary>
public sealed record ImportInput
{
    /// <summary>What the input was (<c>terraform show -json (plan)</c>, <c>AWS CLI</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>The scalable targets.</summary>
    public ImmutableArray<ImportedTarget> Targets { get; init; } = [];

    /// <summary>The scaling policies.</summary>
    public ImmutableArray<ImportedPolicy> Policies { get; init; } = [];

    /// <summary>The metric alarms.</summary>
    public ImmutableArray<ImportedAlarm> Alarms { get; init; } = [];

    /// <summary>The AWS region, when the input says (an ARN, a provider block).</summary>
    public string? Region { get; init; }

    /// <summary>What reading found.</summary>
    public ImmutableArray<Diagnostic> Findings { get; init; } = [];

    /// <summary>False when the files are not what import reads (not JSON, another shape, a key given twice, a needed output missing): a usage problem, before any field is read.</summary>
    public bool IsReadable { get; init; } = true;

    /// <summary>True when the input holds no scalable targets (the capacity limits are then unknown).</summary>
    public bool HasTargets { get; init; } = true;
}
