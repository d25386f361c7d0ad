using System.Collections.Immutable;

namespace StepScaling.Model;

/// <summary>
/// One Application Auto Scaling step adjustment. Bounds are relative to the alarm threshold; null means unbounded.
/// Above the threshold the lower bound is inclusive and the upper exclusive; below it, the reverse.
/// </summary>
/// <param name="LowerBound"><c>MetricIntervalLowerBound</c>, or null for −∞.</param>
/// <param name="UpperBound"><c>MetricIntervalUpperBound</c>, or null for +∞.</param>
/// <param name="ScalingAdjustment">The capacity change (its meaning depends on the adjustment type).</param>
public sealed record StepAdjustment(double? LowerBound, double? UpperBound, int ScalingAdjustment);

/// <summary>A CloudWatch metric alarm, as the policy needs it.</summary>
public sealed record AlarmSpec
{
    /// <summary>The statistic (<c>Average</c>, <c>Sum</c>, <c>Minimum</c>, <c>Maximum</c>, <c>SampleCount</c>); null with an extended statistic or metric math.</summary>
    public string? Statistic { get; init; }

    /// <summary>A percentile statistic such as <c>p99</c>; null otherwise.</summary>
    public string? ExtendedStatistic { get; init; }

    /// <summary>The period in seconds (for metric math, the queries carry their own).</summary>
    public required int Period { get; init; }

    /// <summary>How many recent periods the alarm looks at.</summary>
    public required int EvaluationPeriods { get; init; }

    /// <summary>How many of those periods must breach (M of N).</summary>
    public required int DatapointsToAlarm { get; init; }

    /// <summary>The comparison with the threshold.</summary>
    public required ComparisonOperator ComparisonOperator { get; init; }

    /// <summary>The threshold.</summary>
    public required double Threshold { get; init; }

    /// <summary>How periods with no data count.</summary>
    public required TreatMissingData TreatMissingData { get; init; }

    /// <summary>The statistic as shown to people: the statistic or the extended statistic.</summary>
    public string StatisticLabel => ExtendedStatistic ?? Statistic ?? "metric math";
}

/// <summary>The step-scaling configuration of one Application Auto Scaling policy.</summary>
public sealed record StepScalingConfiguration
{
    /// <summary>How adjustments apply.</summary>
    public required AdjustmentType AdjustmentType { get; init; }

    /// <summary>The steps, ordered by lower bound (−∞ first).</summary>
    public required ImmutableArray<StepAdjustment> StepAdjustments { get; init; }

    /// <summary>The cooldown in seconds.</summary>
    public required int Cooldown { get; init; }

    /// <summary>How the alarm's datapoints are aggregated.</summary>
    public required MetricAggregationType MetricAggregationType { get; init; }

    /// <summary>The least number of tasks a percentage change moves; only with <see cref="AdjustmentType.PercentChangeInCapacity"/>.</summary>
    public int? MinAdjustmentMagnitude { get; init; }

    /// <inheritdoc />
    public bool Equals(StepScalingConfiguration? other) =>
        other is not null && AdjustmentType == other.AdjustmentType && Cooldown == other.Cooldown
        && MetricAggregationType == other.MetricAggregationType && MinAdjustmentMagnitude == other.MinAdjustmentMagnitude
        && StepAdjustments.SequenceEqual(other.StepAdjustments);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(AdjustmentType, Cooldown, StepAdjustments.Length);
}

/// <summary>
/// One normalised policy: an alarm and the step policy it triggers. Both input forms (absolute bands and raw
/// relative steps) end up here.
/// </summary>
public sealed record StepPolicy
{
    /// <summary>The policy's name, unique in the spec, e.g. <c>memory-out</c>. Used in resource and alarm names.</summary>
    public required string Name { get; init; }

    /// <summary>The name of the config policy it came from, e.g. <c>memory</c>.</summary>
    public required string SourceName { get; init; }

    /// <summary>The config path it came from, e.g. <c>scaling.policies[0].scaleOut</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Scale-out or scale-in.</summary>
    public required ScalingSide Side { get; init; }

    /// <summary>The metric the alarm watches.</summary>
    public required MetricSpec Metric { get; init; }

    /// <summary>How demand becomes this metric (for analysis and simulation).</summary>
    public required LoadModel LoadModel { get; init; }

    /// <summary>This metric per unit of shared demand (see <see cref="PolicyDefinition.LoadRatio"/>).</summary>
    public double LoadRatio { get; init; } = 1;

    /// <summary>The alarm.</summary>
    public required AlarmSpec Alarm { get; init; }

    /// <summary>The step policy.</summary>
    public required StepScalingConfiguration Scaling { get; init; }
}

/// <summary>The normalised, validated scaling of one service.</summary>
public sealed record ScalingSpec
{
    /// <summary>The least number of tasks.</summary>
    public required int MinCapacity { get; init; }

    /// <summary>The most tasks.</summary>
    public required int MaxCapacity { get; init; }

    /// <summary>Every policy, scale-out and scale-in, in config order.</summary>
    public required ImmutableArray<StepPolicy> Policies { get; init; }

    /// <summary>How flap findings are reported.</summary>
    public FlapCheckMode FlapCheck { get; init; } = FlapCheckMode.Warn;

    /// <inheritdoc />
    public bool Equals(ScalingSpec? other) =>
        other is not null && MinCapacity == other.MinCapacity && MaxCapacity == other.MaxCapacity
        && FlapCheck == other.FlapCheck && Policies.SequenceEqual(other.Policies);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(MinCapacity, MaxCapacity, Policies.Length);
}
