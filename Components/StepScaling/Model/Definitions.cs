using System.Collections.Immutable;

namespace StepScaling.Model;

/// <summary>
/// Scaling as a person writes it, before normalisation: capacity and policies, each policy with a scale-out side,
/// a scale-in side, or both. <see cref="Normalization.ScalingNormalizer"/> turns it into a <see cref="ScalingSpec"/>.
/// </summary>
public sealed record ScalingDefinition
{
    /// <summary>The least number of tasks. <value>The default value is <see cref="Defaults.MinCapacity"/>.</value></summary>
    public int MinCapacity { get; init; } = Defaults.MinCapacity;

    /// <summary>The most tasks. <value>The default value is <see cref="Defaults.MaxCapacity"/>.</value></summary>
    public int MaxCapacity { get; init; } = Defaults.MaxCapacity;

    /// <summary>The policies, one per metric.</summary>
    public ImmutableArray<PolicyDefinition> Policies { get; init; } = [];

    /// <summary>How flap findings are reported. <value>The default value is <see cref="FlapCheckMode.Warn"/>.</value></summary>
    public FlapCheckMode FlapCheck { get; init; } = Defaults.FlapCheck;

    /// <summary>The config path of this definition, used in messages.</summary>
    public string Path { get; init; } = "scaling";
}

/// <summary>One metric with its scale-out and scale-in sides.</summary>
public sealed record PolicyDefinition
{
    /// <summary>A short name, unique in the service: lower-case letters, digits and dashes.</summary>
    public required string Name { get; init; }

    /// <summary>The metric.</summary>
    public required MetricSpec Metric { get; init; }

    /// <summary>The statistic; null for the metric's default (Sum for RequestCountPerTarget, Average otherwise).</summary>
    public string? Statistic { get; init; }

    /// <summary>A percentile statistic such as <c>p95</c>, instead of <see cref="Statistic"/>.</summary>
    public string? ExtendedStatistic { get; init; }

    /// <summary>The alarm period in seconds. <value>The default value is <see cref="Defaults.Period"/>.</value></summary>
    public int Period { get; init; } = Defaults.Period;

    /// <summary>How demand becomes the metric; null for the metric's default.</summary>
    public LoadModel? LoadModel { get; init; }

    /// <summary>
    /// This metric per unit of the shared demand, for flap analysis and simulation: the metric reads
    /// demand × ratio ÷ tasks (per-task) or demand × ratio (independent). <value>The default value is 1.</value>
    /// </summary>
    public double LoadRatio { get; init; } = 1;

    /// <summary>The scale-out side, or null for none.</summary>
    public SideDefinition? ScaleOut { get; init; }

    /// <summary>The scale-in side, or null for none.</summary>
    public SideDefinition? ScaleIn { get; init; }
}

/// <summary>One side of a policy: its alarm timing, its step policy settings and its steps.</summary>
public sealed record SideDefinition
{
    /// <summary>The config path of this side, used in messages.</summary>
    public required string Path { get; init; }

    /// <summary>The steps, in one of the two forms.</summary>
    public required StepsDefinition Steps { get; init; }

    /// <summary>Periods the alarm evaluates. <value>The default value is <see cref="Defaults.EvaluationPeriods"/>.</value></summary>
    public int EvaluationPeriods { get; init; } = Defaults.EvaluationPeriods;

    /// <summary>Breaching periods needed (M of N); null for all of them.</summary>
    public int? DatapointsToAlarm { get; init; }

    /// <summary>Missing-data treatment; null for the metric kind's default for this side.</summary>
    public TreatMissingData? TreatMissingData { get; init; }

    /// <summary>Cooldown in seconds. <value>The default value is <see cref="Defaults.Cooldown"/>.</value></summary>
    public int Cooldown { get; init; } = Defaults.Cooldown;

    /// <summary>Adjustment type. <value>The default value is <see cref="AdjustmentType.ChangeInCapacity"/>.</value></summary>
    public AdjustmentType AdjustmentType { get; init; } = Defaults.AdjustmentType;

    /// <summary>Least change for percentage adjustments; only with PercentChangeInCapacity.</summary>
    public int? MinAdjustmentMagnitude { get; init; }

    /// <summary>Datapoint aggregation; null to follow the statistic (Minimum/Maximum, else Average).</summary>
    public MetricAggregationType? MetricAggregationType { get; init; }
}

/// <summary>The steps of one side, written either as absolute bands or as raw relative steps.</summary>
public abstract record StepsDefinition
{
    private protected StepsDefinition()
    {
    }
}

/// <summary>
/// Absolute bands, as a person thinks: "20–35 % → +2, ≥ 35 % → +3". The alarm threshold and the relative
/// bounds are derived; the outermost band must be left open.
/// </summary>
/// <param name="Bands">The bands, in any order.</param>
public sealed record BandSteps(ImmutableArray<Band> Bands) : StepsDefinition
{
    /// <inheritdoc />
    public bool Equals(BandSteps? other) => other is not null && Bands.SequenceEqual(other.Bands);

    /// <inheritdoc />
    public override int GetHashCode() => Bands.Length;
}

/// <summary>One absolute band: metric values from <paramref name="From"/> to <paramref name="To"/> change capacity by <paramref name="Change"/>.</summary>
/// <param name="From">The lower edge, or null for −∞ (only the lowest scale-in band).</param>
/// <param name="To">The upper edge, or null for +∞ (only the highest scale-out band).</param>
/// <param name="Change">The scaling adjustment.</param>
public sealed record Band(double? From, double? To, int Change);

/// <summary>
/// Raw relative steps with an explicit alarm, exactly as AWS and the Terraform provider take them: bounds are
/// relative to <paramref name="Threshold"/>.
/// </summary>
/// <param name="ComparisonOperator">The alarm's comparison.</param>
/// <param name="Threshold">The alarm threshold.</param>
/// <param name="StepAdjustments">The steps.</param>
public sealed record RelativeSteps(
    ComparisonOperator ComparisonOperator,
    double Threshold,
    ImmutableArray<StepAdjustment> StepAdjustments) : StepsDefinition
{
    /// <inheritdoc />
    public bool Equals(RelativeSteps? other) =>
        other is not null && ComparisonOperator == other.ComparisonOperator && Threshold.Equals(other.Threshold)
        && StepAdjustments.SequenceEqual(other.StepAdjustments);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ComparisonOperator, Threshold, StepAdjustments.Length);
}
