using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Normalization;

/// <summary>The outcome of normalising a <see cref="ScalingDefinition"/>: the spec when there are no errors, and every finding.</summary>
/// <param name="Spec">The normalised spec, or null when any error was found.</param>
/// <param name="Diagnostics">Every error and warning, in the order found.</param>
public sealed record NormalizationResult(ScalingSpec? Spec, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>True when there are no errors.</summary>
    public bool IsValid => Spec is not null;

    /// <summary>The spec, or a <see cref="StepScalingValidationException"/> listing every error.</summary>
    public ScalingSpec GetSpecOrThrow() => Spec ?? throw new StepScalingValidationException(Diagnostics);
}

/// <summary>
/// Turns both input forms (absolute bands, raw relative steps) into one <see cref="ScalingSpec"/>. Every rule lives in
/// <see cref="ScalingRules"/> and <see cref="MetricRules"/>, which report all findings at once; this is the conversion
/// of what they accept, in named steps (as AWS CDK's <c>normalizeIntervals</c>).
/// </summary>
public static class ScalingNormalizer
{
    /// <summary>
    /// Checks and normalises <paramref name="definition"/>.
    /// </summary>
    /// <param name="definition">The scaling as written.</param>
    /// <param name="alarmNamePrefix">The prefix of every alarm name (stack and service); used to check the 255-character limit.</param>
    public static NormalizationResult Normalize(ScalingDefinition definition, string? alarmNamePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var bag = new DiagnosticBag();
        ScalingRules.CheckTarget(definition, bag);
        var policies = StepPolicies(definition, alarmNamePrefix, bag);
        ScalingRules.CheckAcrossPolicies(definition, policies, bag);
        var spec = bag.HasErrors ? null : new ScalingSpec
        {
            MinCapacity = definition.MinCapacity,
            MaxCapacity = definition.MaxCapacity,
            Policies = policies,
            FlapCheck = definition.FlapCheck,
        };
        return new NormalizationResult(spec, bag.ToImmutable());
    }

    /// <summary>The AWS policies of every valid side, in config order (a policy's scale-out before its scale-in).</summary>
    private static ImmutableArray<StepPolicy> StepPolicies(ScalingDefinition definition, string? alarmNamePrefix, DiagnosticBag bag)
    {
        var output = ImmutableArray.CreateBuilder<StepPolicy>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < (definition.Policies.IsDefault ? 0 : definition.Policies.Length); i++)
        {
            if (ScalingRules.CheckPolicyEntry(definition, i, names, bag))
            {
                output.AddRange(PolicySides(definition.Policies[i], $"{definition.Path}.policies[{i}]", alarmNamePrefix, bag));
            }
        }

        return output.ToImmutable();
    }

    /// <summary>One config policy's sides, each an AWS policy with its alarm, once its rules hold.</summary>
    private static IEnumerable<StepPolicy> PolicySides(PolicyDefinition policy, string path, string? alarmNamePrefix, DiagnosticBag bag)
    {
        MetricRules.CheckPolicyMetric(policy, path, bag);
        ScalingRules.CheckPolicy(policy, path, bag);
        var scaleOut = Side(policy, policy.ScaleOut, ScalingSide.ScaleOut, alarmNamePrefix, bag);
        var scaleIn = Side(policy, policy.ScaleIn, ScalingSide.ScaleIn, alarmNamePrefix, bag);
        ScalingRules.CheckSides(policy, scaleOut, scaleIn, bag);
        return new[] { scaleOut, scaleIn }.OfType<StepPolicy>();
    }

    /// <summary>One side as the AWS policy and alarm it becomes, or null when absent or in error.</summary>
    private static StepPolicy? Side(PolicyDefinition policy, SideDefinition? side, ScalingSide which, string? alarmNamePrefix, DiagnosticBag bag) =>
        side is not null && ScalingRules.CheckSide(policy, side, which, alarmNamePrefix, bag) is { } relative
            ? ToStepPolicy(policy, side, which, relative)
            : null;

    /// <summary>The AWS policy and alarm of a valid side: its relative steps, the policy's metric and statistic, and the defaults it leaves out.</summary>
    private static StepPolicy ToStepPolicy(PolicyDefinition policy, SideDefinition side, ScalingSide which, RelativeSteps relative)
    {
        var (statistic, extended) = MetricRules.Statistic(policy);
        return new StepPolicy
        {
            Name = AlarmNames.Side(policy.Name, which),
            SourceName = policy.Name,
            Path = side.Path,
            Side = which,
            Metric = policy.Metric,
            LoadModel = policy.LoadModel ?? policy.Metric.DefaultLoadModel,
            LoadRatio = policy.LoadRatio,
            Alarm = new AlarmSpec
            {
                Statistic = statistic,
                ExtendedStatistic = extended,
                Period = MetricRules.AlarmPeriod(policy),
                EvaluationPeriods = side.EvaluationPeriods,
                DatapointsToAlarm = side.DatapointsToAlarm ?? side.EvaluationPeriods,
                ComparisonOperator = relative.ComparisonOperator,
                Threshold = relative.Threshold,
                TreatMissingData = side.TreatMissingData ?? Defaults.TreatMissingData(policy.Metric, which),
            },
            Scaling = new StepScalingConfiguration
            {
                AdjustmentType = side.AdjustmentType,
                StepAdjustments = relative.StepAdjustments,
                Cooldown = side.Cooldown,
                MetricAggregationType = side.MetricAggregationType ?? Defaults.AggregationFor(statistic),
                MinAdjustmentMagnitude = side.MinAdjustmentMagnitude,
            },
        };
    }
}
