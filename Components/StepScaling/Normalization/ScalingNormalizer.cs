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
/// Turns both input forms (absolute bands, raw relative steps) into one validated <see cref="ScalingSpec"/>,
/// checking every Application Auto Scaling and CloudWatch rule and reporting all findings at once.
/// </summary>
public static partial class ScalingNormalizer
{
    /// <summary>Application Auto Scaling: at most 20 step adjustments in one policy (<see cref="AwsRules.MaxStepAdjustments"/>).</summary>
    public const int MaxStepAdjustments = AwsRules.MaxStepAdjustments;

    /// <summary>Application Auto Scaling: at most 50 scaling policies per scalable target (<see cref="AwsRules.MaxPoliciesPerTarget"/>).</summary>
    public const int MaxPoliciesPerTarget = AwsRules.MaxPoliciesPerTarget;

    /// <summary>CloudWatch: an alarm name has at most 255 characters (<see cref="AwsRules.MaxAlarmNameLength"/>).</summary>
    public const int MaxAlarmNameLength = AwsRules.MaxAlarmNameLength;

    /// <summary>CloudWatch: periods under an hour may span at most one day of evaluation (<see cref="AwsRules.MaxWindowShortPeriods"/>).</summary>
    public const int MaxWindowShortPeriods = AwsRules.MaxWindowShortPeriods;

    /// <summary>CloudWatch: periods of an hour or more may span at most seven days of evaluation (<see cref="AwsRules.MaxWindowLongPeriods"/>).</summary>
    public const int MaxWindowLongPeriods = AwsRules.MaxWindowLongPeriods;

    /// <summary>The largest maxCapacity accepted (<see cref="AwsRules.MaxCapacityLimit"/>).</summary>
    public const int MaxCapacityLimit = AwsRules.MaxCapacityLimit;

    /// <summary>The message for a policy 'period' on a metric-math alarm, which has none of its own.</summary>
    public const string MathPeriodMessage = "does not apply to a metric-math alarm: each metric query sets its own period (metric.queries[].metric.period); remove it";

    /// <summary>The largest step adjustment (or minAdjustmentMagnitude) accepted (<see cref="AwsRules.MaxAdjustmentMagnitude"/>).</summary>
    public const int MaxAdjustmentMagnitude = AwsRules.MaxAdjustmentMagnitude;

    /// <summary>The statistics CloudWatch accepts in <c>Statistic</c> (<see cref="AwsRules.Statistics"/>).</summary>
    public static readonly ImmutableArray<string> Statistics = AwsRules.Statistics;

    /// <summary>
    /// Normalises and validates <paramref name="definition"/>.
    /// </summary>
    /// <param name="definition">The scaling as written.</param>
    /// <param name="alarmNamePrefix">The prefix of every alarm name (stack and service); used to check the 255-character limit.</param>
    public static NormalizationResult Normalize(ScalingDefinition definition, string? alarmNamePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var bag = new DiagnosticBag();
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


        var policies = ImmutableArray.CreateBuilder<StepPolicy>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (definition.Policies.IsDefaultOrEmpty)
        {
            bag.Warning(ScalingRules.NoPolicies, $"{root}.policies", "no scaling policies: the service keeps minCapacity tasks and never scales");
        }

        for (var i = 0; i < (definition.Policies.IsDefault ? 0 : definition.Policies.Length); i++)
        {
            var policy = definition.Policies[i];
            var path = $"{root}.policies[{i}]";

            // C# callers can pass null where the types say otherwise: a validation error, never a NullReferenceException.
            if (policy is null)
            {
                bag.Error(path, "must not be null");
                continue;
            }

            if (policy.Metric is null)
            {
                bag.Error($"{path}.metric", "is required");
                continue;
            }

            if (AwsRules.CheckPolicyName(policy.Name) is { } nameMessage)
            {
                bag.Error($"{path}.name", nameMessage);
            }
            else if (names.TryGetValue(policy.Name, out var first))
            {
                bag.Error($"{path}.name", $"must be unique; '{policy.Name}' is also the name of {root}.policies[{first}]");
            }
            else
            {
                names[policy.Name] = i;
            }

            NormalizePolicy(policy, path, alarmNamePrefix, bag, policies);
        }

        if (!definition.Policies.IsDefaultOrEmpty && definition.Policies.All(p => p is not null && p.ScaleOut is null && p.ScaleIn is not null))
        {
            bag.Warning(ScalingRules.NoScaleOut, $"{root}.policies", "no policy has a scaleOut side: capacity can only go down, to minCapacity, and nothing brings it back up");
        }

        // One metric reads one value: two policies on it cannot relate it to demand differently.
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

        if (definition.MinCapacity == 0)
        {
            var canWake = policies.Any(p => p.Side == ScalingSide.ScaleOut && p.LoadModel == LoadModel.Independent);
            bag.Warning(
                ScalingRules.MinCapacityZero,
                $"{root}.minCapacity",
                canWake
                    ? "is 0: the service can scale to zero tasks, and a per-task metric publishes nothing with no tasks, so only a metric that does not come from the tasks can scale it out again"
                    : "is 0 and every scale-out policy is on a per-task metric: at 0 tasks nothing publishes, so the service would never scale out again; use minCapacity 1, or add a scale-out on a metric that does not come from the tasks (a queue depth, say)");
        }

        if (policies.Count > MaxPoliciesPerTarget)
        {
            bag.Error($"{root}.policies", $"a scalable target can have at most {MaxPoliciesPerTarget} scaling policies; these settings make {policies.Count}");
        }

        var spec = bag.HasErrors
            ? null
            : new ScalingSpec
            {
                MinCapacity = definition.MinCapacity,
                MaxCapacity = definition.MaxCapacity,
                Policies = policies.ToImmutable(),
                FlapCheck = definition.FlapCheck,
            };
        return new NormalizationResult(spec, bag.ToImmutable());
    }

    private static void NormalizePolicy(PolicyDefinition policy, string path, string? alarmNamePrefix, DiagnosticBag bag, ImmutableArray<StepPolicy>.Builder output)
    {
        var (statistic, extended) = ResolveStatistic(policy, path, bag);
        ValidateMetric(policy.Metric, $"{path}.metric", bag);
        var period = policy.Period;
        if (policy.Metric is not MetricMathMetric)
        {
            ValidatePeriod(period, $"{path}.period", bag);
            if (policy.Metric is EcsServiceMetric && period is 10 or 20 or 30)
            {
                bag.Warning(MetricRules.EcsPeriod, $"{path}.period", $"ECS publishes {((EcsServiceMetric)policy.Metric).MetricName} once a minute: most {period} s periods hold no datapoint; use 60");
            }
        }
        else
        {
            // Metric math: each metric query carries its own period; the longest one paces the alarm.
            var periods = ((MetricMathMetric)policy.Metric).Queries.Where(q => q?.Metric is not null).Select(q => q.Metric!.Period).ToList();
            period = periods.Count > 0 ? periods.Max() : policy.Period;
            if (policy.Period != Defaults.Period)
            {
                // Never silently dropped: the alarm would run at the queries' period, not this one.
                bag.Error($"{path}.period", $"{MathPeriodMessage}; got {policy.Period}");
            }

            if (periods.Count == 0 && !((MetricMathMetric)policy.Metric).Queries.IsDefaultOrEmpty)
            {
                bag.Error($"{path}.metric.queries", "a metric-math alarm needs at least one query with a metric: its period paces the alarm (the policy's own 'period' does not apply to metric math)");
            }
        }

        var loadModel = policy.LoadModel ?? policy.Metric.DefaultLoadModel;
        if (!(policy.LoadRatio > 0) || !Num.IsUsable(policy.LoadRatio))
        {
            bag.Error($"{path}.loadRatio", $"must be a positive finite number; got {Num.Format(policy.LoadRatio)}");
        }

        if (policy.ScaleOut is null && policy.ScaleIn is null)
        {
            bag.Error(path, "needs a scaleOut side, a scaleIn side, or both");
        }

        StepPolicy? outPolicy = null, inPolicy = null;
        if (policy.ScaleOut is { } so)
        {
            outPolicy = NormalizeSide(policy, so, ScalingSide.ScaleOut, statistic, extended, period, loadModel, alarmNamePrefix, bag);
        }

        if (policy.ScaleIn is { } si)
        {
            inPolicy = NormalizeSide(policy, si, ScalingSide.ScaleIn, statistic, extended, period, loadModel, alarmNamePrefix, bag);
        }

        if (outPolicy is not null && inPolicy is not null)
        {
            CheckSidesDoNotOverlap(outPolicy, inPolicy, bag);
        }

        if (outPolicy is not null)
        {
            WarnBeyondSaturation(policy.ScaleOut!, outPolicy, bag);
        }

        if (inPolicy is not null)
        {
            WarnBeyondSaturation(policy.ScaleIn!, inPolicy, bag);
        }

        if (outPolicy is not null)
        {
            output.Add(outPolicy);
        }

        if (inPolicy is not null)
        {
            output.Add(inPolicy);
        }
    }

    private static (string? Statistic, string? Extended) ResolveStatistic(PolicyDefinition policy, string path, DiagnosticBag bag)
    {
        if (policy.Metric is MetricMathMetric)
        {
            if (policy.Statistic is not null || policy.ExtendedStatistic is not null)
            {
                bag.Error($"{path}.statistic", "a metric-math alarm takes no statistic: each metric query sets its own 'stat'");
            }

            return (null, null);
        }

        if (policy.Statistic is not null && policy.ExtendedStatistic is not null)
        {
            bag.Error($"{path}.extendedStatistic", $"give either statistic or extendedStatistic, not both; got statistic '{policy.Statistic}' and extendedStatistic '{policy.ExtendedStatistic}'");
            return (policy.Statistic, null);
        }

        if (policy.Metric is AlbRequestCountPerTargetMetric)
        {
            var given = policy.Statistic ?? policy.ExtendedStatistic;
            if (given is not null && given != Defaults.RequestCountStatistic)
            {
                bag.Error($"{path}.{(policy.Statistic is null ? "extendedStatistic" : "statistic")}", $"ALB RequestCountPerTarget must use the Sum statistic; got '{given}'");
            }

            return (Defaults.RequestCountStatistic, null);
        }

        if (policy.ExtendedStatistic is { } ext)
        {
            if (AwsRules.CheckExtendedStatistic(ext) is { } message)
            {
                bag.Error($"{path}.extendedStatistic", message);
            }

            return (null, ext);
        }

        var stat = policy.Statistic ?? Defaults.StatisticFor(policy.Metric);
        if (AwsRules.CheckStatistic(stat) is { } statMessage)
        {
            bag.Error($"{path}.statistic", statMessage);
        }

        return (stat, null);
    }

    private static void ValidateMetric(MetricSpec metric, string path, DiagnosticBag bag)
    {
        switch (metric)
        {
            case EcsServiceMetric ecs when !EcsServiceMetric.KnownNames.Contains(ecs.MetricName):
                bag.Error($"{path}.name", $"an ECS service metric must be one of {string.Join(", ", EcsServiceMetric.KnownNames)}; got '{ecs.MetricName}' (use kind: cloudwatch for any other metric)");
                break;
            case AlbRequestCountPerTargetMetric { TargetGroup: { } targetGroup } when AwsRules.CheckTargetGroupDimension(targetGroup) is { } targetGroupMessage:
                bag.Error($"{path}.targetGroup", targetGroupMessage);
                break;
            case CloudWatchMetric cw:
                ValidateMetricId(cw.Namespace, cw.MetricName, cw.Dimensions, cw.Unit, path, bag);
                break;
            case MetricMathMetric math:
                ValidateMath(math, path, bag);
                break;
        }
    }

    /// <summary>Namespace, name, dimensions and unit of one metric, by the CloudWatch rules.</summary>
    private static void ValidateMetricId(string? ns, string? name, ImmutableSortedDictionary<string, string>? dimensions, string? unit, string path, DiagnosticBag bag)
    {
        if (AwsRules.CheckNamespace(ns) is { } nsMessage)
        {
            bag.Error($"{path}.namespace", nsMessage);
        }

        if (AwsRules.CheckMetricName(name) is { } nameMessage)
        {
            bag.Error($"{path}.name", nameMessage);
        }

        if (dimensions is not null)
        {
            AwsRules.CheckDimensions(dimensions, $"{path}.dimensions", bag);
        }

        if (unit is not null && AwsRules.CheckUnit(unit) is { } unitMessage)
        {
            bag.Error($"{path}.unit", unitMessage);
        }
    }

    private static void ValidateMath(MetricMathMetric math, string path, DiagnosticBag bag)
    {
        var queries = math.Queries.IsDefault ? [] : math.Queries;
        if (queries.Length == 0)
        {
            bag.Error($"{path}.queries", "a metric-math alarm needs at least one query");
            return;
        }

        if (queries.Length > AwsRules.MaxQueries)
        {
            bag.Error($"{path}.queries", $"a metric-math alarm can have at most {AwsRules.MaxQueries} queries; got {queries.Length}");
        }

        var metricQueries = queries.Count(q => q?.Metric is not null);
        if (metricQueries > AwsRules.MaxMetricQueries)
        {
            bag.Error($"{path}.queries", $"a metric-math alarm can retrieve at most {AwsRules.MaxMetricQueries} metrics; got {metricQueries} queries with a metric");
        }

        var expressionQueries = queries.Count(q => q?.Expression is not null);
        if (expressionQueries > AwsRules.MaxExpressionQueries)
        {
            bag.Error($"{path}.queries", $"a metric-math alarm can have at most {AwsRules.MaxExpressionQueries} expressions; got {expressionQueries} queries with an expression");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < queries.Length; i++)
        {
            var q = queries[i];
            var qp = $"{path}.queries[{i}]";
            if (q is null)
            {
                bag.Error(qp, "must not be null");
                continue;
            }

            if (AwsRules.CheckQueryId(q.Id) is { } idMessage)
            {
                bag.Error($"{qp}.id", idMessage);
            }
            else if (!ids.Add(q.Id))
            {
                bag.Error($"{qp}.id", $"must be unique within the alarm; '{q.Id}' is used twice");
            }

            if ((q.Expression is null) == (q.Metric is null))
            {
                bag.Error(qp, "needs exactly one of 'expression' or 'metric'");
            }

            if (q.Expression is { } e && AwsRules.CheckExpression(e) is { } expressionMessage)
            {
                bag.Error($"{qp}.expression", expressionMessage);
            }

            if (q.Metric is { } m)
            {
                ValidateMetricId(m.Namespace, m.MetricName, m.Dimensions, m.Unit, $"{qp}.metric", bag);
                if (m.Stat is null || (!Statistics.Contains(m.Stat) && AwsRules.CheckExtendedStatistic(m.Stat) is not null))
                {
                    bag.Error($"{qp}.metric.stat", $"must be one of {string.Join(", ", Statistics)} or an extended statistic (p99, tm90, TM(10%:90%), PR(100:2000), IQM, …); got {AwsRules.Quote(m.Stat)}");
                }

                ValidatePeriod(m.Period, $"{qp}.metric.period", bag);
            }
        }

        // Expressions may only name the other queries (checked once every id is known; not where the id is in error).
        for (var i = 0; i < queries.Length; i++)
        {
            if (queries[i] is { Expression: { } expression } q && AwsRules.CheckExpression(expression) is null
                && AwsRules.CheckQueryId(q.Id) is null && queries.Count(o => o?.Id == q.Id) == 1
                && AwsRules.CheckExpressionReferences(expression, q.Id, ids) is { } referenceMessage)
            {
                bag.Error($"{path}.queries[{i}].expression", referenceMessage);
            }
        }

        var returning = queries.Count(q => q is { ReturnData: true });
        if (returning != 1)
        {
            bag.Error($"{path}.queries", $"exactly one query must have returnData: true (the value the alarm compares); got {returning}");
        }
    }

    private static void ValidatePeriod(int period, string path, DiagnosticBag bag)
    {
        if (AwsRules.CheckPeriod(period) is { } message)
        {
            bag.Error(path, message);
        }
    }

    private static StepPolicy? NormalizeSide(
        PolicyDefinition policy,
        SideDefinition side,
        ScalingSide which,
        string? statistic,
        string? extended,
        int period,
        LoadModel loadModel,
        string? alarmNamePrefix,
        DiagnosticBag bag)
    {
        var errorsBefore = bag.ErrorCount;
        var path = side.Path;
        RelativeSteps? relative = null;
        switch (side.Steps)
        {
            case BandSteps bands:
                if (ValidateBands(bands.Bands, which, side.AdjustmentType, $"{path}.bands", bag))
                {
                    relative = ConvertBands(bands.Bands, which, side.AdjustmentType, $"{path}.bands", bag);
                }

                break;
            case RelativeSteps raw:
                if (!Num.IsUsable(raw.Threshold))
                {
                    bag.Error($"{path}.alarm.threshold", $"must be a finite number within ±{Num.Format(Num.MaxMagnitude)}; got {Num.Format(raw.Threshold)}");
                }
                else if (ValidateRelativeSteps(raw, which, side.AdjustmentType, $"{path}.stepAdjustments", bag))
                {
                    relative = raw with { StepAdjustments = [.. Steps.Sorted(raw.StepAdjustments)] };
                }

                break;
            default:
                bag.Error(path, "needs bands, or an alarm with stepAdjustments");
                break;
        }

        if (relative is not null && loadModel == LoadModel.PerTask && relative.ComparisonOperator.IsAbove() != (which == ScalingSide.ScaleOut))
        {
            bag.Error(
                $"{path}.alarm.comparisonOperator",
                which == ScalingSide.ScaleOut
                    ? $"scale-out on a per-task metric must alarm above its threshold (GreaterThanThreshold or GreaterThanOrEqualToThreshold); got {relative.ComparisonOperator}"
                    : $"scale-in on a per-task metric must alarm below its threshold (LessThanThreshold or LessThanOrEqualToThreshold); got {relative.ComparisonOperator}");
        }

        if (AwsRules.EvaluationPeriods.Check(side.EvaluationPeriods) is { } evaluationMessage)
        {
            bag.Error($"{path}.evaluationPeriods", evaluationMessage);
        }
        else if (period > 0)
        {
            var window = (long)period * side.EvaluationPeriods;
            var limit = period < 3600 ? MaxWindowShortPeriods : MaxWindowLongPeriods;
            if (window > limit)
            {
                bag.Error(
                    $"{path}.evaluationPeriods",
                    $"the evaluation window (period × evaluationPeriods) must be at most {(period < 3600 ? "1 day (86400 s) for periods under an hour" : "7 days (604800 s) for periods of an hour or more")}; got {period} × {side.EvaluationPeriods} = {window} s");
            }
        }

        var datapoints = side.DatapointsToAlarm ?? side.EvaluationPeriods;
        if (side.DatapointsToAlarm is { } dp && (dp < 1 || dp > side.EvaluationPeriods))
        {
            bag.Error($"{path}.datapointsToAlarm", $"must be between 1 and evaluationPeriods ({side.EvaluationPeriods}); got {dp}");
        }

        if (AwsRules.Cooldown.Check(side.Cooldown) is { } cooldownMessage)
        {
            bag.Error($"{path}.cooldown", cooldownMessage);
        }

        if (side.MinAdjustmentMagnitude is { } mam)
        {
            if (side.AdjustmentType != AdjustmentType.PercentChangeInCapacity)
            {
                bag.Error($"{path}.minAdjustmentMagnitude", $"applies only with adjustmentType PercentChangeInCapacity; adjustmentType is {side.AdjustmentType}");
            }
            else if (AwsRules.MinAdjustmentMagnitude.Check(mam) is { } magnitudeMessage)
            {
                bag.Error($"{path}.minAdjustmentMagnitude", magnitudeMessage);
            }
        }

        var name = $"{policy.Name}-{(which == ScalingSide.ScaleOut ? "out" : "in")}";
        if (alarmNamePrefix is not null)
        {
            if (AwsRules.CheckAlarmName(AlarmNames.For(alarmNamePrefix, name)) is { } message)
            {
                bag.Error(path, message);
            }
        }

        if (relative is null || bag.ErrorCount > errorsBefore)
        {
            return null;
        }

        return new StepPolicy
        {
            Name = name,
            SourceName = policy.Name,
            Path = path,
            Side = which,
            Metric = policy.Metric,
            LoadModel = loadModel,
            LoadRatio = policy.LoadRatio,
            Alarm = new AlarmSpec
            {
                Statistic = statistic,
                ExtendedStatistic = extended,
                Period = period,
                EvaluationPeriods = side.EvaluationPeriods,
                DatapointsToAlarm = datapoints,
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
        return ValidateRelativeSteps(relative, side, type, path, bag) ? relative : null;
    }

    private static string BandInterval(Band band, ScalingSide side) =>
        Num.Interval(band.From, band.To, side == ScalingSide.ScaleOut, side != ScalingSide.ScaleOut);

    /// <summary>Checks the adjustment's sign for its side and type.</summary>
    private static void ValidateAdjustment(int change, ScalingSide side, AdjustmentType type, string path, DiagnosticBag bag)
    {
        if (Math.Abs((long)change) > MaxAdjustmentMagnitude)
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

    /// <summary>Band rules: usable numbers, from &lt; to, one open outer end, no overlap, no gap.</summary>
    private static bool ValidateBands(ImmutableArray<Band> bands, ScalingSide side, AdjustmentType type, string path, DiagnosticBag bag)
    {
        var before = bag.ErrorCount;
        if (bands.IsDefaultOrEmpty)
        {
            bag.Error(path, "at least one band is required");
            return false;
        }

        if (bands.IndexOf(null!) is var nullBand and >= 0)
        {
            bag.Error($"{path}[{nullBand}]", "must not be null");
            return false;
        }

        if (bands.Length > MaxStepAdjustments)
        {
            bag.Error(path, $"a policy can have at most {MaxStepAdjustments} step adjustments; got {bands.Length} bands");
        }

        for (var i = 0; i < bands.Length; i++)
        {
            var b = bands[i];
            var bp = $"{path}[{i}]";
            if (b.From is { } f && !Num.IsUsable(f))
            {
                bag.Error($"{bp}.from", $"must be a finite number within ±{Num.Format(Num.MaxMagnitude)}; got {Num.Format(f)}");
            }

            if (b.To is { } t && !Num.IsUsable(t))
            {
                bag.Error($"{bp}.to", $"must be a finite number within ±{Num.Format(Num.MaxMagnitude)}; got {Num.Format(t)}");
            }

            if (b.From is { } f2 && b.To is { } t2 && Num.IsUsable(f2) && Num.IsUsable(t2) && !(f2 < t2))
            {
                bag.Error(bp, $"'from' must be below 'to'; got from {Num.Format(f2)}, to {Num.Format(t2)}");
            }

            if (side == ScalingSide.ScaleOut && b.From is null)
            {
                bag.Error($"{bp}.from", "is required: a scale-out band starts at a value ('from'); only its upper end may be open");
            }

            if (side == ScalingSide.ScaleIn && b.To is null)
            {
                bag.Error($"{bp}.to", "is required: a scale-in band ends at a value ('to'); only its lower end may be open");
            }

            ValidateAdjustment(b.Change, side, type, $"{bp}.change", bag);
        }

        if (bag.ErrorCount > before)
        {
            return false;
        }

        var ordered = bands.Select((b, i) => (Band: b, Index: i)).OrderBy(x => x.Band.From ?? double.NegativeInfinity).ToList();
        if (side == ScalingSide.ScaleOut)
        {
            var last = ordered[^1];
            if (last.Band.To is { } to)
            {
                bag.Error($"{path}[{last.Index}].to", $"the highest scale-out band must be open (no 'to') so that every value above it finds a step; got {Num.Format(to)}");
            }

            foreach (var (band, index) in ordered.Take(ordered.Count - 1).Where(x => x.Band.To is null))
            {
                bag.Error($"{path}[{index}].to", "only the highest scale-out band may be open; this band needs a 'to'");
            }
        }
        else
        {
            var first = ordered[0];
            if (first.Band.From is { } from)
            {
                bag.Error($"{path}[{first.Index}].from", $"the lowest scale-in band must be open (no 'from') so that every value below it finds a step; got {Num.Format(from)}");
            }

            foreach (var (band, index) in ordered.Skip(1).Where(x => x.Band.From is null))
            {
                bag.Error($"{path}[{index}].from", "only the lowest scale-in band may be open; this band needs a 'from'");
            }
        }

        for (var k = 1; k < ordered.Count; k++)
        {
            var (prev, _) = ordered[k - 1];
            var (next, nextIndex) = ordered[k];
            if (prev.To is not { } prevTo || next.From is not { } nextFrom)
            {
                continue;
            }

            if (nextFrom < prevTo)
            {
                bag.Error($"{path}[{nextIndex}]", $"bands overlap: {Num.Interval(prev.From, prev.To)} and {Num.Interval(next.From, next.To)}");
            }
            else if (nextFrom > prevTo)
            {
                bag.Error($"{path}[{nextIndex}]", $"bands leave a gap: {Num.Interval(prev.From, prev.To)} and {Num.Interval(next.From, next.To)}; values in {Num.Interval(prevTo, nextFrom)} would find no step");
            }
        }

        return bag.ErrorCount == before;
    }

    /// <summary>The Application Auto Scaling step rules, plus coverage of the alarm's breaching side.</summary>
    private static bool ValidateRelativeSteps(RelativeSteps raw, ScalingSide side, AdjustmentType type, string path, DiagnosticBag bag)
    {
        var before = bag.ErrorCount;
        var steps = raw.StepAdjustments.IsDefault ? [] : raw.StepAdjustments;
        if (steps.Length == 0)
        {
            bag.Error(path, "at least one step adjustment is required");
            return false;
        }

        if (steps.IndexOf(null!) is var nullStep and >= 0)
        {
            bag.Error($"{path}[{nullStep}]", "must not be null");
            return false;
        }

        if (steps.Length > MaxStepAdjustments)
        {
            bag.Error(path, $"a policy can have at most {MaxStepAdjustments} step adjustments; got {steps.Length}");
        }

        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            var sp = $"{path}[{i}]";
            var usable = true;
            if (s.LowerBound is { } l && !Num.IsUsable(l))
            {
                bag.Error($"{sp}.metricIntervalLowerBound", $"must be a finite number within ±{Num.Format(Num.MaxMagnitude)}; got {Num.Format(l)}");
                usable = false;
            }

            if (s.UpperBound is { } u && !Num.IsUsable(u))
            {
                bag.Error($"{sp}.metricIntervalUpperBound", $"must be a finite number within ±{Num.Format(Num.MaxMagnitude)}; got {Num.Format(u)}");
                usable = false;
            }

            if (s.LowerBound is null && s.UpperBound is null)
            {
                bag.Error(sp, "a step adjustment needs a lower bound, an upper bound, or both; both are null");
            }
            else if (usable && s.LowerBound is { } l2 && s.UpperBound is { } u2 && !(u2 > l2))
            {
                bag.Error(sp, $"the upper bound must be greater than the lower bound; got {Num.Interval(l2, u2)}");
            }

            ValidateAdjustment(s.ScalingAdjustment, side, type, $"{sp}.scalingAdjustment", bag);
        }

        var nullLower = steps.Count(s => s.LowerBound is null);
        var nullUpper = steps.Count(s => s.UpperBound is null);
        if (nullLower > 1)
        {
            bag.Error(path, $"at most one step adjustment may have a null lower bound; got {nullLower}");
        }

        if (nullUpper > 1)
        {
            bag.Error(path, $"at most one step adjustment may have a null upper bound; got {nullUpper}");
        }

        if (bag.ErrorCount > before)
        {
            return false;
        }

        var negativeLower = steps.Where(s => s.LowerBound < 0).Select(s => s.LowerBound!.Value).DefaultIfEmpty().Min();
        if (steps.Any(s => s.LowerBound < 0) && nullLower == 0)
        {
            bag.Error(path, $"a step with a negative lower bound ({Num.Format(negativeLower)}) requires a step with a null lower bound (open to -inf)");
        }

        var positiveUpper = steps.Where(s => s.UpperBound > 0).Select(s => s.UpperBound!.Value).DefaultIfEmpty().Max();
        if (steps.Any(s => s.UpperBound > 0) && nullUpper == 0)
        {
            bag.Error(path, $"a step with a positive upper bound ({Num.Format(positiveUpper)}) requires a step with a null upper bound (open to +inf)");
        }

        var indexed = steps.Select((s, i) => (Step: s, Index: i))
            .OrderBy(x => x.Step.LowerBound ?? double.NegativeInfinity)
            .ThenBy(x => x.Step.UpperBound ?? double.PositiveInfinity)
            .ToList();
        for (var k = 1; k < indexed.Count; k++)
        {
            var (prev, _) = indexed[k - 1];
            var (next, nextIndex) = indexed[k];
            var prevUpper = prev.UpperBound ?? double.PositiveInfinity;
            var nextLower = next.LowerBound ?? double.NegativeInfinity;
            if (nextLower < prevUpper)
            {
                bag.Error($"{path}[{nextIndex}]", $"step adjustments overlap: {Num.Interval(prev.LowerBound, prev.UpperBound)} and {Num.Interval(next.LowerBound, next.UpperBound)}");
            }
            else if (nextLower > prevUpper)
            {
                bag.Error($"{path}[{nextIndex}]", $"step adjustments leave a gap: {Num.Interval(prev.LowerBound, prev.UpperBound)} and {Num.Interval(next.LowerBound, next.UpperBound)}");
            }
        }

        if (bag.ErrorCount > before)
        {
            return false;
        }

        // The steps are one contiguous run now; it must cover every value at which the alarm fires.
        var low = indexed[0].Step.LowerBound;
        var high = indexed[^1].Step.UpperBound;
        var threshold = Num.Format(raw.Threshold);
        if (raw.ComparisonOperator.IsAbove())
        {
            if (low is { } lo && lo > 0)
            {
                bag.Error(path, $"no step covers {Num.Interval(0, lo)} above the threshold: the alarm fires at {raw.ComparisonOperator.Symbol()} {threshold}, but metric values from {threshold} to {Num.Format(DoubleEdges.EdgeOfBound(lo, raw.Threshold, fromAbove: true) ?? raw.Threshold + lo)} find no step adjustment and nothing scales");
            }

            if (high is { } hi && hi <= 0)
            {
                bag.Error(path, $"no step covers values above the threshold: the alarm fires whenever the metric is {raw.ComparisonOperator.Symbol()} {threshold}, but the steps end at {Num.Format(hi)}; bounds are relative to the threshold, so scale-out steps start at 0");
            }
        }
        else
        {
            if (high is { } hi && hi < 0)
            {
                bag.Error(path, $"no step covers {Num.Interval(hi, 0, false, true)} below the threshold: the alarm fires at {raw.ComparisonOperator.Symbol()} {threshold}, but metric values from {Num.Format(DoubleEdges.EdgeOfBound(hi, raw.Threshold, fromAbove: false) ?? raw.Threshold + hi)} to {threshold} find no step adjustment and nothing scales");
            }

            if (low is { } lo && lo >= 0)
            {
                bag.Error(path, $"no step covers values below the threshold: the alarm fires whenever the metric is {raw.ComparisonOperator.Symbol()} {threshold}, but the steps start at {Num.Format(lo)}; bounds are relative to the threshold, so scale-in steps end at 0");
            }
        }

        return bag.ErrorCount == before;
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


}
