using System.Collections.Immutable;
using StepScaling.Model;

namespace StepScaling.Validation;

/// <summary>The rules of the scaling section: capacity, policies, their sides and bands (Application Auto Scaling step scaling).</summary>
public static partial class ScalingRules
{
    /// <summary>A scaling section written but switched off is neither checked nor deployed.</summary>
    public static readonly Rule Disabled = new("scaling.disabled", Severity.Warning, "scaling.enabled", "false while policies are written: they are neither checked nor deployed", "the tool: scaling.enabled false creates no scalable target");

    /// <summary>A scalable target without policies never changes capacity.</summary>
    public static readonly Rule NoPolicies = new("scaling.no-policies", Severity.Warning, "scaling.policies", "empty: the service keeps minCapacity tasks", "Application Auto Scaling User Guide, \"Step scaling policies\"");

    /// <summary>Without a scale-out side, capacity only ever goes down.</summary>
    public static readonly Rule NoScaleOut = new("scaling.no-scale-out", Severity.Warning, "scaling.policies", "no policy has a scaleOut side: capacity can only go down", "Application Auto Scaling User Guide, \"Step scaling policies\"");

    /// <summary>At 0 tasks a per-task metric publishes nothing (ECS "Amazon ECS CloudWatch metrics": service metrics come from running tasks).</summary>
    public static readonly Rule MinCapacityZero = new("scaling.min-capacity-zero", Severity.Warning, "scaling.minCapacity", "0: only a metric that does not come from the tasks can scale the service out again", "ECS Developer Guide, \"Amazon ECS CloudWatch metrics\"");

    /// <summary>A Fargate task cannot use more CPU or memory than it reserved, so utilisation never reads above 100 %.</summary>
    public static readonly Rule UnreachableStep = new("scaling.unreachable-step", Severity.Warning, "scaling.policies[].scaleOut/scaleIn", "a step starts where a Fargate utilisation metric never (or only when saturated) reads", "ECS Developer Guide, \"Amazon ECS CloudWatch metrics\" (utilisation of reserved CPU and memory)");

    /// <summary>The flap analysis in <c>flapCheck: warn</c> mode: a scaling loop or reversal.</summary>
    public static readonly Rule Flap = new("scaling.flap", Severity.Warning, "scaling.policies", "the policies scale out and back in (loop or reversal) at a steady demand", "the tool's flap analysis (flapCheck: warn)");

    /// <summary>RegisterScalableTarget MinCapacity and MaxCapacity.</summary>
    public static readonly Rule CapacityRange = new("scaling.capacity", Severity.Error, "scaling.minCapacity, scaling.maxCapacity", "0 ≤ minCapacity ≤ maxCapacity, maxCapacity from 1 to 10000", "Application Auto Scaling API Reference, RegisterScalableTarget");

    /// <summary>Application Auto Scaling quotas.</summary>
    public static readonly Rule Quotas = new("scaling.quotas", Severity.Error, "scaling.policies", "at most 50 policies per scalable target, 20 steps per policy", "Application Auto Scaling User Guide, \"Quotas\"");

    /// <summary>Step adjustments (PutScalingPolicy StepAdjustment) and the bands they come from.</summary>
    public static readonly Rule StepCoverage = new("scaling.steps", Severity.Error, "scaling.policies[].scaleOut/scaleIn", "steps or bands touch (no gap, no overlap), one open outer end, and cover every value the alarm fires at", "Application Auto Scaling API Reference, StepAdjustment; User Guide, \"Step scaling policies\"");

    /// <summary>A step's sign follows its side and adjustment type.</summary>
    public static readonly Rule Adjustment = new("scaling.adjustment", Severity.Error, "scaling.policies[].…change", "scale-out positive, scale-in negative (ExactCapacity: 0 or more), within ±1000000", "Application Auto Scaling API Reference, StepAdjustment ScalingAdjustment");

    /// <summary>AWS compares metric − threshold in double precision: a band narrower than that resolution has zero width.</summary>
    public static readonly Rule Resolution = new("scaling.band-resolution", Severity.Error, "scaling.policies[].…bands", "every band is wider than AWS's double arithmetic can resolve at the threshold", "Application Auto Scaling API Reference, StepAdjustment MetricIntervalLowerBound (a double)");

    /// <summary>The alarm's evaluation settings.</summary>
    public static readonly Rule Evaluation = new("scaling.evaluation", Severity.Error, "…evaluationPeriods, …datapointsToAlarm", "1 ≤ datapointsToAlarm ≤ evaluationPeriods; period × evaluationPeriods at most 1 day (7 days for hourly periods)", "CloudWatch API Reference, PutMetricAlarm EvaluationPeriods");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [CapacityRange, Quotas, StepCoverage, Adjustment, Resolution, Evaluation, Disabled, NoPolicies, NoScaleOut, MinCapacityZero, UnreachableStep, Flap];

    /// <summary>The scalable target: RegisterScalableTarget MinCapacity and MaxCapacity (within the tool's bound, max at least min), and policies to scale it.</summary>
    public static void CheckTarget(ScalingDefinition definition, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(bag);
        var root = definition.Path;
        if (AwsRules.MinCapacity.Check(definition.MinCapacity) is { } minMessage)
        {
            bag.Error($"{root}.minCapacity", minMessage);
        }

        if (AwsRules.MaxCapacity.Check(definition.MaxCapacity) is { } maxMessage)
        {
            bag.Error($"{root}.maxCapacity", maxMessage);
        }
        else if (definition.MaxCapacity < definition.MinCapacity && definition.MinCapacity <= AwsRules.MaxCapacityLimit)
        {
            bag.Error($"{root}.maxCapacity", $"must be at least minCapacity ({definition.MinCapacity}); got {definition.MaxCapacity}");
        }

        if (definition.Policies.IsDefaultOrEmpty)
        {
            bag.Warning(NoPolicies, $"{root}.policies", "no scaling policies: the service keeps minCapacity tasks and never scales");
        }
    }

    /// <summary>
    /// The entry <c>policies[<paramref name="index"/>]</c> itself: not null, with a metric, and a valid name no other
    /// policy has (<paramref name="names"/> collects them). False when the policy cannot be checked further.
    /// </summary>
    public static bool CheckPolicyEntry(ScalingDefinition definition, int index, Dictionary<string, int> names, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(bag);
        var policy = definition.Policies[index];
        var path = $"{definition.Path}.policies[{index}]";

        // C# callers can pass null where the types say otherwise: a validation error, never a NullReferenceException.
        if (policy is null || policy.Metric is null)
        {
            bag.Error(policy is null ? path : $"{path}.metric", policy is null ? "must not be null" : "is required");
            return false;
        }

        if (AwsRules.CheckPolicyName(policy.Name) is { } nameMessage)
        {
            bag.Error($"{path}.name", nameMessage);
        }
        else if (!names.TryAdd(policy.Name, index))
        {
            bag.Error($"{path}.name", $"must be unique; '{policy.Name}' is also the name of {definition.Path}.policies[{names[policy.Name]}]");
        }

        return true;
    }

    /// <summary>A policy's own rules beyond its metric: a usable loadRatio, and at least one side.</summary>
    public static void CheckPolicy(PolicyDefinition policy, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(bag);
        if (!(policy.LoadRatio > 0) || !Num.IsUsable(policy.LoadRatio))
        {
            bag.Error($"{path}.loadRatio", $"must be a positive finite number; got {Num.Format(policy.LoadRatio)}");
        }

        if (policy.ScaleOut is null && policy.ScaleIn is null)
        {
            bag.Error(path, "needs a scaleOut side, a scaleIn side, or both");
        }
    }

    /// <summary>The rules between the two sides of one policy, once both are valid: alarms that cannot both fire, and steps a saturating metric can reach.</summary>
    public static void CheckSides(PolicyDefinition policy, StepPolicy? scaleOut, StepPolicy? scaleIn, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (scaleOut is not null && scaleIn is not null)
        {
            CheckSidesDoNotOverlap(scaleOut, scaleIn, bag);
        }

        if (scaleOut is not null)
        {
            WarnBeyondSaturation(policy.ScaleOut!, scaleOut, bag);
        }

        if (scaleIn is not null)
        {
            WarnBeyondSaturation(policy.ScaleIn!, scaleIn, bag);
        }
    }

    /// <summary>The rules across policies: something scales out, one loadRatio per metric, a way back from 0 tasks, at most 50 AWS policies.</summary>
    /// <param name="definition">The scaling as written.</param>
    /// <param name="policies">The AWS policies of the valid sides.</param>
    /// <param name="bag">Where findings go.</param>
    public static void CheckAcrossPolicies(ScalingDefinition definition, IReadOnlyCollection<StepPolicy> policies, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(bag);
        var root = definition.Path;
        if (!definition.Policies.IsDefaultOrEmpty && definition.Policies.All(p => p is not null && p.ScaleOut is null && p.ScaleIn is not null))
        {
            bag.Warning(NoScaleOut, $"{root}.policies", "no policy has a scaleOut side: capacity can only go down, to minCapacity, and nothing brings it back up");
        }

        CheckOneRatioPerMetric(definition, bag);
        if (definition.MinCapacity == 0)
        {
            var canWake = policies.Any(p => p.Side == ScalingSide.ScaleOut && p.LoadModel == LoadModel.Independent);
            bag.Warning(
                MinCapacityZero,
                $"{root}.minCapacity",
                canWake
                    ? "is 0: the service can scale to zero tasks, and a per-task metric publishes nothing with no tasks, so only a metric that does not come from the tasks can scale it out again"
                    : "is 0 and every scale-out policy is on a per-task metric: at 0 tasks nothing publishes, so the service would never scale out again; use minCapacity 1, or add a scale-out on a metric that does not come from the tasks (a queue depth, say)");
        }

        if (policies.Count > AwsRules.MaxPoliciesPerTarget)
        {
            bag.Error($"{root}.policies", $"a scalable target can have at most {AwsRules.MaxPoliciesPerTarget} scaling policies; these settings make {policies.Count}");
        }
    }

    /// <summary>One metric reads one value: two policies on it cannot relate it to demand differently.</summary>
    private static void CheckOneRatioPerMetric(ScalingDefinition definition, DiagnosticBag bag)
    {
        var root = definition.Path;
        var ratios = new Dictionary<MetricSpec, (int Index, double Ratio)>();
        for (var i = 0; i < (definition.Policies.IsDefault ? 0 : definition.Policies.Length); i++)
        {
            if (definition.Policies[i] is not { Metric: { } metric } policy || !(policy.LoadRatio > 0))
            {
                continue;
            }

            if (ratios.TryGetValue(metric, out var seen) && !seen.Ratio.Equals(policy.LoadRatio))
            {
                bag.Error($"{root}.policies[{i}].loadRatio", $"must equal the loadRatio of {root}.policies[{seen.Index}] ({Num.Format(seen.Ratio)}), which scales on the same metric; got {Num.Format(policy.LoadRatio)}");
            }
            else
            {
                ratios.TryAdd(metric, (i, policy.LoadRatio));
            }
        }
    }

    /// <summary>
    /// Derives the relative steps AWS stores from validated bands, reports every edge AWS's double arithmetic cannot
    /// represent, and checks the derived steps with the same rules as hand-written <c>stepAdjustments</c>.
    /// </summary>
    private static RelativeSteps? ConvertBands(ImmutableArray<Band> bands, ScalingSide side, AdjustmentType type, string path, DiagnosticBag bag)
    {
        var conversion = Steps.Convert(bands, side);
        foreach (var problem in conversion.Problems)
        {
            var (band, next) = (problem.Band, problem.Neighbour);
            var (from, to) = (band.From!.Value, band.To!.Value);
            // A suggested edge stays inside the band beyond it (or bands would overlap) and within one resolution step.
            var bandAbove = bands.FirstOrDefault(b => b.From == to);
            var bandBelow = bands.FirstOrDefault(b => b.To == from);
            var fixes = new List<string>();
            var aboveTo = bandAbove?.To ?? double.PositiveInfinity;
            if (problem.MoveToTo is { } newTo && newTo < aboveTo)
            {
                fixes.Add($"'to' to {Num.Format(DoubleEdges.Roundest(newTo, true, Math.Min(aboveTo, newTo + problem.Resolution), false))}");
            }

            var belowFrom = bandBelow?.From ?? double.NegativeInfinity;
            if (problem.MoveFromTo is { } newFrom && newFrom > belowFrom)
            {
                fixes.Add($"'from' to {Num.Format(DoubleEdges.Roundest(Math.Max(belowFrom, newFrom - problem.Resolution), false, newFrom, true))}");
            }

            bag.Error(
                $"{path}[{bands.IndexOf(band)}].{(side == ScalingSide.ScaleOut ? "to" : "from")}",
                $"band {BandInterval(band, side)} is narrower than AWS can resolve at the threshold {Num.Format(problem.Threshold)}: AWS compares metric − threshold in double precision, and {Num.Format(from)} and {Num.Format(to)} give the same difference ({Num.Format(DoubleEdges.Diff(to, problem.Threshold))}), so its step would have zero width (AWS rejects it) and it cannot be told apart from band {BandInterval(next, side)}; {(fixes.Count > 0 ? "move " + string.Join(", or ", fixes) + "; " : string.Empty)}keep edges at least {Num.Format(problem.Resolution)} apart at this threshold");
        }

        if (conversion.Steps is not { } relative)
        {
            return null;
        }

        // The same rules as hand-written steps: a derived step AWS would reject (zero width, a gap) is an error too.
        return CheckRelativeSteps(relative, side, type, path, bag) ? relative : null;
    }

    private static string BandInterval(Band band, ScalingSide side) =>
        Num.Interval(band.From, band.To, side == ScalingSide.ScaleOut, side != ScalingSide.ScaleOut);

    /// <summary>Checks the adjustment's sign for its side and type.</summary>
    private static void ValidateAdjustment(int change, ScalingSide side, AdjustmentType type, string path, DiagnosticBag bag)
    {
        if (Math.Abs((long)change) > AwsRules.MaxAdjustmentMagnitude)
        {
            bag.Error(path, $"{AwsRules.AdjustmentRule}; got {change}");
            return;
        }

        switch (type)
        {
            case AdjustmentType.ExactCapacity when change < 0:
                bag.Error(path, $"ExactCapacity adjustments must be 0 or more; got {change}");
                break;
            case AdjustmentType.ChangeInCapacity or AdjustmentType.PercentChangeInCapacity when side == ScalingSide.ScaleOut && change <= 0:
                bag.Error(path, $"scale-out adjustments must be positive with {type}; got {Num.Signed(change)}");
                break;
            case AdjustmentType.ChangeInCapacity or AdjustmentType.PercentChangeInCapacity when side == ScalingSide.ScaleIn && change >= 0:
                bag.Error(path, $"scale-in adjustments must be negative with {type}; got {Num.Signed(change)}");
                break;
        }
    }

    private static void CheckSidesDoNotOverlap(StepPolicy scaleOut, StepPolicy scaleIn, DiagnosticBag bag)
    {
        var o = scaleOut.Alarm;
        var i = scaleIn.Alarm;
        if (!o.ComparisonOperator.IsAbove() || i.ComparisonOperator.IsAbove())
        {
            return;
        }

        var overlap = o.Threshold < i.Threshold
            || (o.Threshold == i.Threshold && o.ComparisonOperator.IncludesThreshold() && i.ComparisonOperator.IncludesThreshold());
        if (overlap)
        {
            bag.Error(
                scaleIn.Path,
                $"the scale-in alarm ({i.ComparisonOperator.Symbol()} {Num.Format(i.Threshold)}) and the scale-out alarm ({o.ComparisonOperator.Symbol()} {Num.Format(o.Threshold)}) both fire for values in {Num.Interval(o.Threshold, i.Threshold, true, i.ComparisonOperator.IncludesThreshold())}: the scale-in threshold must be below the scale-out threshold");
        }
    }

    private static readonly Dictionary<string, FlapCheckMode> FlapCheckModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["warn"] = FlapCheckMode.Warn,
        ["error"] = FlapCheckMode.Error,
        ["off"] = FlapCheckMode.Off,
    };

    /// <summary>The <c>flapCheck</c> setting (any case): warn, error or off; anything else is an error, read as the default.</summary>
    public static FlapCheckMode ReadFlapCheck(string text, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(bag);
        if (FlapCheckModes.TryGetValue(text.Trim(), out var mode))
        {
            return mode;
        }

        bag.Error("flapCheck", $"must be one of warn, error, off; got '{text}'");
        return Defaults.FlapCheck;
    }

    /// <summary>Scaling switched off on purpose, but never silently: the policies written are neither checked nor deployed.</summary>
    public static void WarnDisabled(string path, int policies, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (policies > 0)
        {
            bag.Warning(Disabled, path, $"is false: scaling is off, and the {(policies == 1 ? "policy" : policies.ToString(System.Globalization.CultureInfo.InvariantCulture) + " policies")} under scaling.policies {(policies == 1 ? "is" : "are")} neither checked nor deployed");
        }
    }

    /// <summary>A side is written in one form: bands (absolute, which derive the alarm) or stepAdjustments with an alarm (relative to its threshold).</summary>
    /// <param name="path">The side's path.</param>
    /// <param name="hasBands">Whether it has bands.</param>
    /// <param name="hasSteps">Whether it has stepAdjustments.</param>
    /// <param name="alarmPath">The path of its alarm, when it has one.</param>
    /// <param name="bag">Where findings go.</param>
    public static void CheckSideForm(string path, bool hasBands, bool hasSteps, string? alarmPath, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (hasBands && hasSteps)
        {
            bag.Error(path, "give either bands (absolute values) or stepAdjustments (relative to alarm.threshold), not both");
        }

        if (hasBands && alarmPath is not null)
        {
            bag.Error(alarmPath, "bands derive the alarm's threshold and comparison; remove 'alarm', or write stepAdjustments relative to it");
        }

        if (!hasBands && !hasSteps)
        {
            bag.Error(path, "needs bands (absolute values, e.g. - { from: 20, to: 35, change: 2 }) or stepAdjustments with an alarm (relative, as in Terraform)");
        }
    }
}
