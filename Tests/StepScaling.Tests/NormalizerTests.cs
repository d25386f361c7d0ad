using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Validation;
using static StepScaling.Tests.Build;
using Op = StepScaling.Model.ComparisonOperator;

namespace StepScaling.Tests;

/// <summary>Every validation rule of <see cref="Normalization.ScalingNormalizer"/>, with its exact path and message.</summary>
public class NormalizerTests
{
    private const string Finite = "must be a finite number within ±1000000000000000; got ";
    private const string Steps0 = Out0 + ".stepAdjustments";
    private const string InSteps0 = In0 + ".stepAdjustments";

    private static ScalingDefinition OutOnly(SideDefinition side, MetricSpec? metric = null) => Definition(1, 4, Policy(side, null, metric: metric));

    private static ScalingDefinition InOnly(SideDefinition side, MetricSpec? metric = null) => Definition(1, 4, Policy(null, side, metric: metric));

    private static ScalingDefinition WithPolicy(Func<PolicyDefinition, PolicyDefinition> change)
    {
        var valid = ValidDefinition();
        return valid with { Policies = [change(valid.Policies[0])] };
    }

    private static ScalingDefinition WithOutSide(Func<SideDefinition, SideDefinition> change) =>
        WithPolicy(p => p with { ScaleOut = change(p.ScaleOut!) });

    private static void AssertOnlyError(ScalingDefinition definition, string path, string message, string? prefix = null) =>
        Assert.That(Errors(definition, prefix), Is.EqualTo(new[] { (path, message) }));

    // ---- A valid definition, and what normalisation fills in ----

    [Test]
    public void Normalize_ValidBands_GivesOnePolicyPerSideWithDefaults()
    {
        var result = Normalize(ValidDefinition());

        Assert.That(result.IsValid, Is.True);
        Assert.That(result.Diagnostics, Is.Empty);
        var spec = result.Spec!;
        Assert.That(spec.Policies.Select(p => (p.Name, p.SourceName, p.Path, p.Side)), Is.EqualTo(new[]
        {
            ("cpu-out", "cpu", Out0, ScalingSide.ScaleOut),
            ("cpu-in", "cpu", In0, ScalingSide.ScaleIn),
        }));
        var scaleOut = spec.Policies[0];
        Assert.That(scaleOut.Alarm, Is.EqualTo(new AlarmSpec
        {
            Statistic = "Average",
            Period = 60,
            EvaluationPeriods = 1,
            DatapointsToAlarm = 1,
            ComparisonOperator = Op.GreaterThanOrEqualToThreshold,
            Threshold = 70,
            TreatMissingData = TreatMissingData.Missing,
        }));
        Assert.That(scaleOut.Scaling, Is.EqualTo(new StepScalingConfiguration
        {
            AdjustmentType = AdjustmentType.ChangeInCapacity,
            StepAdjustments = [S(0, 15, 1), S(15, null, 3)],
            Cooldown = 60,
            MetricAggregationType = MetricAggregationType.Average,
        }));
        Assert.That(scaleOut.LoadModel, Is.EqualTo(LoadModel.PerTask));
        Assert.That(spec.Policies[1].Alarm.ComparisonOperator, Is.EqualTo(Op.LessThanThreshold));
        Assert.That(spec.Policies[1].Alarm.Threshold, Is.EqualTo(30));
    }

    [Test]
    public void Normalize_RelativeStepsOutOfOrder_AreSortedByLowerBound()
    {
        var spec = Spec(OutOnly(Relative(Out0, Op.GreaterThanThreshold, 10, S(25, null, 3), S(0, 10, 1), S(10, 25, 2))));

        Assert.That(spec.Policies[0].Scaling.StepAdjustments, Is.EqualTo(new[] { S(0, 10, 1), S(10, 25, 2), S(25, null, 3) }));
    }

    [Test]
    public void Normalize_AlbRequestCount_DefaultsToSumAndNotBreaching()
    {
        var spec = Spec(OutOnly(Out(B(1000, null, 1)), new AlbRequestCountPerTargetMetric(null)));

        Assert.That(spec.Policies[0].Alarm.Statistic, Is.EqualTo("Sum"));
        Assert.That(spec.Policies[0].Alarm.TreatMissingData, Is.EqualTo(TreatMissingData.NotBreaching));
        Assert.That(spec.Policies[0].Scaling.MetricAggregationType, Is.EqualTo(MetricAggregationType.Average));
    }

    [TestCase("Maximum", MetricAggregationType.Maximum)]
    [TestCase("Minimum", MetricAggregationType.Minimum)]
    [TestCase("Sum", MetricAggregationType.Average)]
    [TestCase("SampleCount", MetricAggregationType.Average)]
    public void Normalize_Statistic_AggregationFollowsIt(string statistic, MetricAggregationType expected)
    {
        var spec = Spec(WithPolicy(p => p with { Statistic = statistic }));

        Assert.That(spec.Policies.Select(p => p.Scaling.MetricAggregationType), Is.All.EqualTo(expected));
    }

    [Test]
    public void Normalize_ExplicitSideSettings_AreKept()
    {
        var spec = Spec(WithOutSide(s => s with
        {
            EvaluationPeriods = 5,
            DatapointsToAlarm = 3,
            TreatMissingData = TreatMissingData.Breaching,
            Cooldown = 0,
            AdjustmentType = AdjustmentType.PercentChangeInCapacity,
            MinAdjustmentMagnitude = 2,
            MetricAggregationType = MetricAggregationType.Maximum,
        }));

        var p = spec.Policies[0];
        Assert.That((p.Alarm.EvaluationPeriods, p.Alarm.DatapointsToAlarm, p.Alarm.TreatMissingData), Is.EqualTo((5, 3, TreatMissingData.Breaching)));
        Assert.That((p.Scaling.Cooldown, p.Scaling.AdjustmentType, p.Scaling.MinAdjustmentMagnitude, p.Scaling.MetricAggregationType), Is.EqualTo((0, AdjustmentType.PercentChangeInCapacity, (int?)2, MetricAggregationType.Maximum)));
    }

    [Test]
    public void Normalize_ExtendedStatistic_ReplacesTheStatistic()
    {
        var spec = Spec(WithPolicy(p => p with { ExtendedStatistic = "p99" }));

        Assert.That(spec.Policies[0].Alarm.Statistic, Is.Null);
        Assert.That(spec.Policies[0].Alarm.ExtendedStatistic, Is.EqualTo("p99"));
        Assert.That(spec.Policies[0].Alarm.StatisticLabel, Is.EqualTo("p99"));
    }

    [Test]
    public void Normalize_MetricMath_PeriodIsTheLongestQueryPeriod()
    {
        var spec = Spec(OutOnly(Out(B(100, null, 1)), Math(Query("m1", period: 60), Query("m2", period: 300), Expression("e1", "m1 + m2", returnData: true))));

        Assert.That(spec.Policies[0].Alarm.Period, Is.EqualTo(300));
        Assert.That(spec.Policies[0].Alarm.Statistic, Is.Null);
        Assert.That(spec.Policies[0].LoadModel, Is.EqualTo(LoadModel.Independent));
    }

    [Test]
    public void Normalize_IndependentMetricScalingOutBelowItsThreshold_IsAllowed()
    {
        var freeSlots = new CloudWatchMetric("Custom/App", "FreeWorkers", ImmutableSortedDictionary<string, string>.Empty, null);

        var result = Normalize(OutOnly(Relative(Out0, Op.LessThanThreshold, 5, S(null, 0, 1)), freeSlots));

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void GetSpecOrThrow_Errors_ThrowsWithEveryErrorListed()
    {
        var result = Normalize(Definition(-1, -2, Policy(Out(B(10, null, 0)), null)));

        var exception = Assert.Throws<StepScalingValidationException>(() => result.GetSpecOrThrow());

        Assert.That(exception.Message, Is.EqualTo(string.Join(
            Environment.NewLine,
            "3 errors in the step-scaling configuration:",
            "  error: scaling.minCapacity: must be a whole number from 0 to 10000; got -1",
            "  error: scaling.maxCapacity: must be a whole number from 1 to 10000; got -2",
            "  error: scaling.policies[0].scaleOut.bands[0].change: scale-out adjustments must be positive with ChangeInCapacity; got 0")));
        Assert.That(exception.Diagnostics, Has.Length.EqualTo(3));
    }

    [Test]
    public void Normalize_ManyErrorsInManyPlaces_AllReportedAtOnce()
    {
        var definition = Definition(
            -1,
            4,
            Policy(Out(B(20, 35, 2), B(30, null, 3)), In(B(5, 10, -1)), name: "bad name") with { Period = 45, LoadRatio = 0 },
            Policy(Relative("scaling.policies[1].scaleOut", Op.GreaterThanOrEqualToThreshold, double.NaN, S(0, null, 1)), null, name: "mem") with { Metric = Memory });

        Assert.That(Errors(definition), Is.EqualTo(new[]
        {
            ("scaling.minCapacity", "must be a whole number from 0 to 10000; got -1"),
            ("scaling.policies[0].name", "must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit; got 'bad name'"),
            ("scaling.policies[0].period", "must be 10, 20, 30 or a multiple of 60 seconds; got 45"),
            ("scaling.policies[0].loadRatio", "must be a positive finite number; got 0"),
            ("scaling.policies[0].scaleOut.bands[1]", "bands overlap: [20, 35) and [30, +inf)"),
            ("scaling.policies[0].scaleIn.bands[0].from", "the lowest scale-in band must be open (no 'from') so that every value below it finds a step; got 5"),
            ("scaling.policies[1].scaleOut.alarm.threshold", Finite + "NaN"),
        }));
    }

    // ---- Capacity ----

    [Test]
    public void Normalize_NegativeMinCapacity_Error()
    {
        Assert.That(Errors(ValidDefinition() with { MinCapacity = -1 }), Is.EqualTo(new[] { ("scaling.minCapacity", "must be a whole number from 0 to 10000; got -1") }));
    }

    [Test]
    public void Normalize_MaxBelowMin_Error()
    {
        AssertOnlyError(ValidDefinition() with { MinCapacity = 3, MaxCapacity = 2 }, "scaling.maxCapacity", "must be at least minCapacity (3); got 2");
    }

    [Test]
    public void Normalize_MaxZero_ErrorAndMinZeroWarning()
    {
        var result = Normalize(ValidDefinition() with { MinCapacity = 0, MaxCapacity = 0 });

        Assert.That(Errors(result.Diagnostics), Is.EqualTo(new[] { ("scaling.maxCapacity", "must be a whole number from 1 to 10000; got 0") }));
    }

    [Test]
    public void Normalize_MinZeroWithOnlyPerTaskScaleOut_WarningSaysItNeverWakes()
    {
        var result = Normalize(ValidDefinition() with { MinCapacity = 0 });

        Assert.That(result.IsValid, Is.True);
        Assert.That(Warnings(result.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.minCapacity", "is 0 and every scale-out policy is on a per-task metric: at 0 tasks nothing publishes, so the service would never scale out again; use minCapacity 1, or add a scale-out on a metric that does not come from the tasks (a queue depth, say)"),
        }));
    }

    [Test]
    public void Normalize_MinZeroWithAQueueScaleOut_GeneralWarning()
    {
        var queue = new CloudWatchMetric("AWS/SQS", "ApproximateNumberOfMessagesVisible", ImmutableSortedDictionary<string, string>.Empty.Add("QueueName", "jobs"), null);
        var result = Normalize(Definition(0, 4, Policy(Out(B(100, null, 1)), null, name: "queue", metric: queue)));

        Assert.That(Warnings(result.Diagnostics).Single().Message, Does.StartWith("is 0: the service can scale to zero tasks"));
    }

    [TestCase(10)]
    [TestCase(30)]
    public void Normalize_SubMinutePeriodOnAnEcsMetric_Warning(int period)
    {
        var result = Normalize(Definition(1, 4, Policy(Out(B(70, null, 1)), null) with { Period = period }));

        Assert.That(result.IsValid, Is.True);
        Assert.That(Warnings(result.Diagnostics), Is.EqualTo(new[] { ("scaling.policies[0].period", $"ECS publishes CPUUtilization once a minute: most {period} s periods hold no datapoint; use 60") }));
    }

    [Test]
    public void Normalize_CpuBandsAtOrAbove100_WarnThatTheyCanNeverTrigger()
    {
        // CPUUtilization stops at 100 % on Fargate: [150, +inf) is out of reach, [100, 150) is met only at exactly 100.
        var result = Normalize(Definition(1, 10, Policy(Out(B(70, 100, 1), B(100, 150, 2), B(150, null, 5)), In(B(null, 30, -1)))));

        Assert.That(result.IsValid, Is.True);
        Assert.That(Warnings(result.Diagnostics), Is.EqualTo(new[]
        {
            ($"{Out0}.bands[1]", "starts at 100 %, and CPUUtilization never reads above 100 % on Fargate (a task cannot use more than it reserved): this step triggers only while every task is saturated for the whole period"),
            ($"{Out0}.bands[2]", "starts at 150 %, but CPUUtilization never reads above 100 % on Fargate (a task cannot use more than it reserved): this step can never trigger"),
        }));
    }

    [Test]
    public void Normalize_MemoryScaleInBandFrom100_WarnsItCanNeverTrigger()
    {
        // Scale-in bands are (from, to]: (100, 120] needs a reading above 100 %.
        var result = Normalize(Definition(1, 10, Policy(Out(B(120, null, 1)), In(B(null, 100, -1), B(100, 120, -2)), name: "memory", metric: Memory)));

        Assert.That(Warnings(result.Diagnostics), Is.EqualTo(new[]
        {
            ($"{Out0}.bands[0]", "starts at 120 %, but MemoryUtilization never reads above 100 % on Fargate (a task cannot use more than it reserved): this step can never trigger"),
            ($"{In0}.bands[1]", "starts at 100 % (exclusive), but MemoryUtilization never reads above 100 % on Fargate (a task cannot use more than it reserved): this step can never trigger"),
        }));
    }

    [Test]
    public void Normalize_HandWrittenStepsAboveTheCeiling_WarnWithTheStepsPath()
    {
        // > 90 with [0, 10) +1, [10, 30) +2, [30, +inf) +3: the second step starts at 100 (inclusive), the third at 120.
        var side = Relative(Out0, ComparisonOperator.GreaterThanThreshold, 90, S(30, null, 3), S(0, 10, 1), S(10, 30, 2));
        var result = Normalize(Definition(1, 10, Policy(side, null)));

        Assert.That(Warnings(result.Diagnostics).Select(w => (w.Path, w.Message[..w.Message.IndexOf(',', StringComparison.Ordinal)])), Is.EqualTo(new[]
        {
            ($"{Out0}.stepAdjustments[0]", "starts at 120 %"),
            ($"{Out0}.stepAdjustments[2]", "starts at 100 %"),
        }));
    }

    [Test]
    public void Normalize_AlarmAbove100_EveryStepWarns()
    {
        // > 100 never fires: its first step, [0, +inf), starts at 100 exclusive.
        var result = Normalize(Definition(1, 10, Policy(Relative(Out0, ComparisonOperator.GreaterThanThreshold, 100, S(0, null, 1)), null)));

        Assert.That(Warnings(result.Diagnostics).Single().Message, Does.StartWith("starts at 100 % (exclusive), but CPUUtilization never reads above 100 %"));
    }

    [TestCase("Sum", null)]
    [TestCase("SampleCount", null)]
    [TestCase(null, "tc90")]
    public void Normalize_CpuBandAbove100WithAStatisticThatAddsUp_NoWarning(string? statistic, string? extended)
    {
        var result = Normalize(Definition(1, 10, Policy(Out(B(70, 150, 1), B(150, null, 5)), null) with { Statistic = statistic, ExtendedStatistic = extended }));

        Assert.That(Warnings(result.Diagnostics), Is.Empty);
    }

    [TestCase("Maximum", null)]
    [TestCase(null, "p99")]
    [TestCase(null, "tm90")]
    public void Normalize_CpuBandAbove100WithAStatisticInRange_Warns(string? statistic, string? extended)
    {
        var result = Normalize(Definition(1, 10, Policy(Out(B(70, 150, 1), B(150, null, 5)), null) with { Statistic = statistic, ExtendedStatistic = extended }));

        Assert.That(Warnings(result.Diagnostics).Single().Path, Is.EqualTo($"{Out0}.bands[1]"));
    }

    [Test]
    public void Normalize_OtherMetricBandAbove100_NoWarning()
    {
        var queue = new CloudWatchMetric("AWS/SQS", "ApproximateNumberOfMessagesVisible", ImmutableSortedDictionary<string, string>.Empty, null);

        Assert.That(Warnings(Normalize(Definition(1, 10, Policy(Out(B(100, 500, 1), B(500, null, 3)), null, name: "queue", metric: queue))).Diagnostics), Is.Empty);
    }

    [Test]
    public void Normalize_CustomRootPath_PrefixesEveryPath()
    {
        var errors = Errors(ValidDefinition() with { MinCapacity = -1, Path = "svc.scaling" });

        Assert.That(errors.Single().Path, Is.EqualTo("svc.scaling.minCapacity"));
    }

    // ---- Policies ----

    [Test]
    public void Normalize_NoPolicies_WarningOnly()
    {
        var result = Normalize(Definition(1, 4));

        Assert.That(result.IsValid, Is.True);
        Assert.That(result.Spec!.Policies, Is.Empty);
        Assert.That(Warnings(result.Diagnostics), Is.EqualTo(new[] { ("scaling.policies", "no scaling policies: the service keeps minCapacity tasks and never scales") }));
    }

    [Test]
    public void Normalize_DefaultPolicyArray_TreatedAsNone()
    {
        var result = Normalize(new ScalingDefinition { Policies = default });

        Assert.That(result.IsValid, Is.True);
        Assert.That(Warnings(result.Diagnostics).Single().Path, Is.EqualTo("scaling.policies"));
    }

    [TestCase("bad name")]
    [TestCase("-leading-dash")]
    [TestCase("")]
    public void Normalize_InvalidPolicyName_Error(string name)
    {
        AssertOnlyError(WithPolicy(p => p with { Name = name }), "scaling.policies[0].name", $"must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit; got '{name}'");
    }

    [Test]
    public void Normalize_PolicyNameOf65Characters_Error()
    {
        var name = new string('a', 65);

        AssertOnlyError(WithPolicy(p => p with { Name = name }), "scaling.policies[0].name", $"must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit; got '{name}'");
    }

    [Test]
    public void Normalize_DuplicatePolicyNameIgnoringCase_Error()
    {
        var definition = Definition(
            1,
            4,
            Policy(Out(B(70, null, 1)), null, name: "cpu"),
            Policy(null, Bands("scaling.policies[1].scaleIn", B(null, 30, -1)), name: "CPU"));

        AssertOnlyError(definition, "scaling.policies[1].name", "must be unique; 'CPU' is also the name of scaling.policies[0]");
    }

    [Test]
    public void Normalize_MoreThan50ResultingPolicies_Error()
    {
        var policies = Enumerable.Range(0, 26)
            .Select(i => Policy(Bands($"scaling.policies[{i}].scaleOut", B(70, null, 1)), Bands($"scaling.policies[{i}].scaleIn", B(null, 30, -1)), name: $"p{i}"))
            .ToArray();

        AssertOnlyError(Definition(1, 4, policies), "scaling.policies", "a scalable target can have at most 50 scaling policies; these settings make 52");
    }

    [Test]
    public void Normalize_Exactly50ResultingPolicies_Valid()
    {
        var policies = Enumerable.Range(0, 25)
            .Select(i => Policy(Bands($"scaling.policies[{i}].scaleOut", B(70, null, 1)), Bands($"scaling.policies[{i}].scaleIn", B(null, 30, -1)), name: $"p{i}"))
            .ToArray();

        Assert.That(Normalize(Definition(1, 4, policies)).Spec?.Policies.Length, Is.EqualTo(50));
    }

    [Test]
    public void Normalize_PolicyWithoutSides_Error()
    {
        AssertOnlyError(Definition(1, 4, Policy(null, null)), Policy0, "needs a scaleOut side, a scaleIn side, or both");
    }

    [TestCase(0.0, "0")]
    [TestCase(-1.0, "-1")]
    [TestCase(double.NaN, "NaN")]
    [TestCase(double.PositiveInfinity, "Infinity")]
    [TestCase(2e15, "2000000000000000")]
    public void Normalize_LoadRatioNotPositiveFinite_Error(double ratio, string shown)
    {
        AssertOnlyError(WithPolicy(p => p with { LoadRatio = ratio }), $"{Policy0}.loadRatio", $"must be a positive finite number; got {shown}");
    }

    // ---- Statistics ----

    [Test]
    public void Normalize_StatisticAndExtendedStatistic_Error()
    {
        AssertOnlyError(
            WithPolicy(p => p with { Statistic = "Average", ExtendedStatistic = "p99" }),
            $"{Policy0}.extendedStatistic",
            "give either statistic or extendedStatistic, not both; got statistic 'Average' and extendedStatistic 'p99'");
    }

    [Test]
    public void Normalize_UnknownStatistic_Error()
    {
        AssertOnlyError(WithPolicy(p => p with { Statistic = "Mean" }), $"{Policy0}.statistic", "must be one of SampleCount, Average, Sum, Minimum, Maximum; got 'Mean'");
    }

    [TestCase("p999")]
    [TestCase("P99")]
    [TestCase("median")]
    public void Normalize_BadExtendedStatistic_Error(string ext)
    {
        AssertOnlyError(
            WithPolicy(p => p with { ExtendedStatistic = ext }),
            $"{Policy0}.extendedStatistic",
            $"must be an extended statistic as CloudWatch defines them: p90, p99.9, tm90, wm90, tc90, ts90, TM(10%:90%), TM(150:1000), WM(…), TC(…), TS(…), PR(100:2000) or IQM; got '{ext}'");
    }

    [TestCase("p90")]
    [TestCase("p99.9")]
    [TestCase("p100")]
    [TestCase("tm90")]
    [TestCase("TM(10%:90%)")]
    [TestCase("PR(0:300)")]
    public void Normalize_GoodExtendedStatistic_Valid(string ext)
    {
        Assert.That(Normalize(WithPolicy(p => p with { ExtendedStatistic = ext })).IsValid, Is.True);
    }

    [Test]
    public void Normalize_AlbRequestCountWithAverage_Error()
    {
        AssertOnlyError(
            WithPolicy(p => p with { Metric = new AlbRequestCountPerTargetMetric(null), Statistic = "Average" }),
            $"{Policy0}.statistic",
            "ALB RequestCountPerTarget must use the Sum statistic; got 'Average'");
    }

    [Test]
    public void Normalize_AlbRequestCountWithPercentile_ErrorOnExtendedStatistic()
    {
        AssertOnlyError(
            WithPolicy(p => p with { Metric = new AlbRequestCountPerTargetMetric(null), ExtendedStatistic = "p99" }),
            $"{Policy0}.extendedStatistic",
            "ALB RequestCountPerTarget must use the Sum statistic; got 'p99'");
    }

    [Test]
    public void Normalize_AlbRequestCountWithSum_Valid()
    {
        Assert.That(Normalize(WithPolicy(p => p with { Metric = new AlbRequestCountPerTargetMetric("targetgroup/web/0123456789abcdef"), Statistic = "Sum" })).IsValid, Is.True);
    }

    [Test]
    public void Normalize_MetricMathWithStatistic_Error()
    {
        AssertOnlyError(
            Definition(1, 4, Policy(Out(B(100, null, 1)), null, metric: Math(Query("m1"), Expression("e1", "m1", returnData: true))) with { Statistic = "Sum" }),
            $"{Policy0}.statistic",
            "a metric-math alarm takes no statistic: each metric query sets its own 'stat'");
    }

    // ---- Metrics ----

    [Test]
    public void Normalize_UnknownEcsMetric_Error()
    {
        AssertOnlyError(
            WithPolicy(p => p with { Metric = new EcsServiceMetric("DiskUtilization") }),
            $"{Policy0}.metric.name",
            "an ECS service metric must be one of CPUUtilization, MemoryUtilization; got 'DiskUtilization' (use kind: cloudwatch for any other metric)");
    }

    [Test]
    public void Normalize_CloudWatchMetricWithoutNamespaceOrName_TwoErrors()
    {
        var metric = new CloudWatchMetric(" ", string.Empty, ImmutableSortedDictionary<string, string>.Empty, null);

        Assert.That(Errors(OutOnly(Out(B(100, null, 1)), metric)), Is.EqualTo(new[]
        {
            ($"{Policy0}.metric.namespace", "is required: a CloudWatch namespace such as AWS/SQS"),
            ($"{Policy0}.metric.name", "is required: the metric's name"),
        }));
    }

    [Test]
    public void Normalize_CloudWatchMetricWith31Dimensions_Error()
    {
        var dimensions = Enumerable.Range(0, 31).ToImmutableSortedDictionary(i => $"d{i:00}", i => "v");
        var metric = new CloudWatchMetric("AWS/SQS", "ApproximateNumberOfMessagesVisible", dimensions, null);

        AssertOnlyError(OutOnly(Out(B(100, null, 1)), metric), $"{Policy0}.metric.dimensions", "a metric can have at most 30 dimensions; got 31");
    }

    [Test]
    public void Normalize_MetricMathWithoutQueries_Error()
    {
        AssertOnlyError(OutOnly(Out(B(100, null, 1)), new MetricMathMetric([])), $"{Policy0}.metric.queries", "a metric-math alarm needs at least one query");
    }

    [Test]
    public void Normalize_MetricMathWith21Queries_Error()
    {
        var queries = Enumerable.Range(0, 11).Select(i => Query($"m{i}"))
            .Concat(Enumerable.Range(0, 9).Select(i => Expression($"e{i}", $"m{i} * 2")))
            .Append(Expression("e", "SUM(METRICS())", returnData: true)).ToArray();

        Assert.That(Errors(OutOnly(Out(B(100, null, 1)), Math(queries))), Is.EqualTo(new[]
        {
            ($"{Policy0}.metric.queries", "a metric-math alarm can have at most 20 queries; got 21"),
            ($"{Policy0}.metric.queries", "a metric-math alarm can retrieve at most 10 metrics; got 11 queries with a metric"),
        }));
    }

    [Test]
    public void Normalize_MetricMathWith20Queries_Valid()
    {
        // The documented maximum: 10 metrics and 10 expressions.
        var queries = Enumerable.Range(0, 10).Select(i => Query($"m{i}"))
            .Concat(Enumerable.Range(0, 9).Select(i => Expression($"e{i}", $"m{i} * 2")))
            .Append(Expression("e", "SUM(METRICS())", returnData: true)).ToArray();

        Assert.That(Normalize(OutOnly(Out(B(100, null, 1)), Math(queries))).Diagnostics, Is.Empty);
    }

    [TestCase(0)]
    [TestCase(2)]
    public void Normalize_MetricMathReturnDataNotExactlyOne_Error(int returning)
    {
        var queries = new[] { Query("m1", returnData: returning >= 1), Query("m2", returnData: returning >= 2) };

        AssertOnlyError(
            OutOnly(Out(B(100, null, 1)), Math(queries)),
            $"{Policy0}.metric.queries",
            $"exactly one query must have returnData: true (the value the alarm compares); got {returning}");
    }

    [TestCase("Q1")]
    [TestCase("1q")]
    [TestCase("q-1")]
    public void Normalize_MetricMathBadQueryId_Error(string id)
    {
        AssertOnlyError(
            OutOnly(Out(B(100, null, 1)), Math(Query("m1"), Expression(id, "m1", returnData: true))),
            $"{Policy0}.metric.queries[1].id",
            $"must start with a lower-case letter and hold only letters, digits and '_'; got '{id}'");
    }

    [Test]
    public void Normalize_MetricMathDuplicateQueryId_Error()
    {
        AssertOnlyError(
            OutOnly(Out(B(100, null, 1)), Math(Query("q"), Expression("q", "q * 2", returnData: true))),
            $"{Policy0}.metric.queries[1].id",
            "must be unique within the alarm; 'q' is used twice");
    }

    [Test]
    public void Normalize_MetricMathQueryWithBothOrNeither_Error()
    {
        var both = Query("m1", returnData: true) with { Expression = "1" };
        var neither = new MetricQuery { Id = "m2" };

        Assert.That(Errors(OutOnly(Out(B(100, null, 1)), Math(both, neither))), Is.EqualTo(new[]
        {
            ($"{Policy0}.metric.queries[0]", "needs exactly one of 'expression' or 'metric'"),
            ($"{Policy0}.metric.queries[1]", "needs exactly one of 'expression' or 'metric'"),
        }));
    }

    [Test]
    public void Normalize_MetricMathEmptyExpression_Error()
    {
        AssertOnlyError(OutOnly(Out(B(100, null, 1)), Math(Query("m1"), Expression("e", "  ", returnData: true))), $"{Policy0}.metric.queries[1].expression", "must not be empty");
    }

    [TestCase("m1 + m3", "refers to 'm3', which is not the id of a query of this alarm (ids: m1, m2)")]
    [TestCase("e * 2", "refers to its own id 'e'; an expression can only use the ids of other queries")]
    public void Normalize_MetricMathExpressionNamingNoQuery_Error(string expression, string message)
    {
        AssertOnlyError(
            OutOnly(Out(B(100, null, 1)), Math(Query("m1"), Query("m2"), Expression("e", expression, returnData: true))),
            $"{Policy0}.metric.queries[2].expression",
            message);
    }

    [TestCase("(m1 + m2) / 2")]
    [TestCase("IF(m1 > 1.5e3, m2, 0)")]
    [TestCase("FILL(m1, REPEAT) + m2 * 100")]
    [TestCase("LABEL_IN('x y') + m1")]
    public void Normalize_MetricMathExpressionNamingOtherQueries_Valid(string expression)
    {
        Assert.That(Errors(OutOnly(Out(B(100, null, 1)), Math(Query("m1"), Query("m2"), Expression("e", expression, returnData: true)))), Is.Empty);
    }

    [Test]
    public void Normalize_MetricMathWithoutAMetricQuery_ErrorNamingThePeriod()
    {
        AssertOnlyError(
            OutOnly(Out(B(100, null, 1)), Math(Expression("e", "FILL(METRICS(), 0)", returnData: true))),
            $"{Policy0}.metric.queries",
            "a metric-math alarm needs at least one query with a metric: its period paces the alarm (the policy's own 'period' does not apply to metric math)");
    }

    [Test]
    public void Normalize_MetricMathQueryMetricIncomplete_EveryFieldReported()
    {
        var bad = new MetricQuery
        {
            Id = "m1",
            ReturnData = true,
            Metric = new MetricStat { Namespace = string.Empty, MetricName = " ", Stat = "Mean", Period = 45 },
        };

        Assert.That(Errors(OutOnly(Out(B(100, null, 1)), Math(bad))), Is.EqualTo(new[]
        {
            ($"{Policy0}.metric.queries[0].metric.namespace", "is required: a CloudWatch namespace such as AWS/SQS"),
            ($"{Policy0}.metric.queries[0].metric.name", "is required: the metric's name"),
            ($"{Policy0}.metric.queries[0].metric.stat", "must be one of SampleCount, Average, Sum, Minimum, Maximum or an extended statistic (p99, tm90, TM(10%:90%), PR(100:2000), IQM, …); got 'Mean'"),
            ($"{Policy0}.metric.queries[0].metric.period", "must be 10, 20, 30 or a multiple of 60 seconds; got 45"),
        }));
    }

    // ---- Period and alarm timing ----

    [TestCase(10)]
    [TestCase(20)]
    [TestCase(30)]
    [TestCase(60)]
    [TestCase(120)]
    [TestCase(3600)]
    public void Normalize_AllowedPeriod_Valid(int period)
    {
        Assert.That(Normalize(WithPolicy(p => p with { Period = period })).IsValid, Is.True);
    }

    [TestCase(0)]
    [TestCase(-60)]
    [TestCase(5)]
    [TestCase(45)]
    [TestCase(90)]
    public void Normalize_OtherPeriod_Error(int period)
    {
        AssertOnlyError(WithPolicy(p => p with { Period = period }), $"{Policy0}.period", $"must be 10, 20, 30 or a multiple of 60 seconds; got {period}");
    }

    [Test]
    public void Normalize_ZeroEvaluationPeriods_Error()
    {
        AssertOnlyError(WithOutSide(s => s with { EvaluationPeriods = 0 }), $"{Out0}.evaluationPeriods", "must be a whole number, 1 or more; got 0");
    }

    [Test]
    public void Normalize_WindowOfExactlyOneDay_Valid()
    {
        Assert.That(Normalize(WithOutSide(s => s with { EvaluationPeriods = 1440 })).IsValid, Is.True);
    }

    [Test]
    public void Normalize_WindowOverOneDayWithShortPeriods_Error()
    {
        AssertOnlyError(
            WithOutSide(s => s with { EvaluationPeriods = 1441 }),
            $"{Out0}.evaluationPeriods",
            "the evaluation window (period × evaluationPeriods) must be at most 1 day (86400 s) for periods under an hour; got 60 × 1441 = 86460 s");
    }

    [Test]
    public void Normalize_WindowOfSevenDaysWithHourlyPeriods_Valid()
    {
        Assert.That(Normalize(WithPolicy(p => p with { Period = 3600, ScaleOut = p.ScaleOut! with { EvaluationPeriods = 168 } })).IsValid, Is.True);
    }

    [Test]
    public void Normalize_WindowOverSevenDaysWithHourlyPeriods_Error()
    {
        AssertOnlyError(
            WithPolicy(p => p with { Period = 3600, ScaleOut = p.ScaleOut! with { EvaluationPeriods = 169 } }),
            $"{Out0}.evaluationPeriods",
            "the evaluation window (period × evaluationPeriods) must be at most 7 days (604800 s) for periods of an hour or more; got 3600 × 169 = 608400 s");
    }

    [TestCase(0)]
    [TestCase(4)]
    [TestCase(-1)]
    public void Normalize_DatapointsToAlarmOutOfRange_Error(int datapoints)
    {
        AssertOnlyError(
            WithOutSide(s => s with { EvaluationPeriods = 3, DatapointsToAlarm = datapoints }),
            $"{Out0}.datapointsToAlarm",
            $"must be between 1 and evaluationPeriods (3); got {datapoints}");
    }

    [TestCase(1)]
    [TestCase(3)]
    public void Normalize_DatapointsToAlarmInRange_Kept(int datapoints)
    {
        var spec = Spec(WithOutSide(s => s with { EvaluationPeriods = 3, DatapointsToAlarm = datapoints }));

        Assert.That(spec.Policies[0].Alarm.DatapointsToAlarm, Is.EqualTo(datapoints));
    }

    [Test]
    public void Normalize_NegativeCooldown_Error()
    {
        AssertOnlyError(WithOutSide(s => s with { Cooldown = -1 }), $"{Out0}.cooldown", "must be a whole number of seconds, 0 or more; got -1");
    }

    [Test]
    public void Normalize_AlarmNameOver255Characters_ErrorNamesTheStartAndLength()
    {
        var prefix = new string('x', 248);

        // 248 + "-cpu-out" = 256; "-cpu-in" = 255 exactly, which is allowed.
        AssertOnlyError(ValidDefinition(), Out0, $"the alarm name must be at most 255 characters; '{new string('x', 40)}…' has 256", prefix);
    }

    [Test]
    public void Normalize_AlarmNameOfExactly255Characters_Valid()
    {
        Assert.That(Normalize(ValidDefinition(), new string('x', 247)).IsValid, Is.True);
    }

    // ---- Adjustments ----

    [Test]
    public void Normalize_ExactCapacityNegative_Error()
    {
        AssertOnlyError(
            OutOnly(Out(B(70, null, -1)) with { AdjustmentType = AdjustmentType.ExactCapacity }),
            $"{Out0}.bands[0].change",
            "ExactCapacity adjustments must be 0 or more; got -1");
    }

    [Test]
    public void Normalize_ExactCapacityZeroOnEitherSide_Valid()
    {
        var definition = Definition(
            0,
            4,
            Policy(Out(B(70, null, 4)) with { AdjustmentType = AdjustmentType.ExactCapacity }, In(B(null, 30, 0)) with { AdjustmentType = AdjustmentType.ExactCapacity }));

        Assert.That(Normalize(definition).IsValid, Is.True);
    }

    [Test]
    public void Normalize_ExactCapacityNegativeInRelativeSteps_ErrorOnScalingAdjustment()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.GreaterThanOrEqualToThreshold, 70, S(0, null, -2)) with { AdjustmentType = AdjustmentType.ExactCapacity }),
            $"{Steps0}[0].scalingAdjustment",
            "ExactCapacity adjustments must be 0 or more; got -2");
    }

    [TestCase(AdjustmentType.ChangeInCapacity, 0, "0")]
    [TestCase(AdjustmentType.ChangeInCapacity, -1, "-1")]
    [TestCase(AdjustmentType.PercentChangeInCapacity, -50, "-50")]
    public void Normalize_ScaleOutNotPositive_Error(AdjustmentType type, int change, string shown)
    {
        AssertOnlyError(
            OutOnly(Out(B(70, null, change)) with { AdjustmentType = type }),
            $"{Out0}.bands[0].change",
            $"scale-out adjustments must be positive with {type}; got {shown}");
    }

    [TestCase(AdjustmentType.ChangeInCapacity, 0, "0")]
    [TestCase(AdjustmentType.ChangeInCapacity, 1, "+1")]
    [TestCase(AdjustmentType.PercentChangeInCapacity, 25, "+25")]
    public void Normalize_ScaleInNotNegative_Error(AdjustmentType type, int change, string shown)
    {
        AssertOnlyError(
            InOnly(In(B(null, 30, change)) with { AdjustmentType = type }),
            $"{In0}.bands[0].change",
            $"scale-in adjustments must be negative with {type}; got {shown}");
    }

    [Test]
    public void Normalize_MinAdjustmentMagnitudeWithChangeInCapacity_Error()
    {
        AssertOnlyError(
            WithOutSide(s => s with { MinAdjustmentMagnitude = 2 }),
            $"{Out0}.minAdjustmentMagnitude",
            "applies only with adjustmentType PercentChangeInCapacity; adjustmentType is ChangeInCapacity");
    }

    [Test]
    public void Normalize_MinAdjustmentMagnitudeWithExactCapacity_Error()
    {
        AssertOnlyError(
            OutOnly(Out(B(70, null, 4)) with { AdjustmentType = AdjustmentType.ExactCapacity, MinAdjustmentMagnitude = 1 }),
            $"{Out0}.minAdjustmentMagnitude",
            "applies only with adjustmentType PercentChangeInCapacity; adjustmentType is ExactCapacity");
    }

    [Test]
    public void Normalize_MinAdjustmentMagnitudeZeroWithPercent_Error()
    {
        AssertOnlyError(
            WithOutSide(s => s with { AdjustmentType = AdjustmentType.PercentChangeInCapacity, MinAdjustmentMagnitude = 0 }),
            $"{Out0}.minAdjustmentMagnitude",
            "must be a whole number from 1 to 1000000; got 0");
    }

    [Test]
    public void Normalize_MinAdjustmentMagnitudeHuge_Error()
    {
        AssertOnlyError(
            WithOutSide(s => s with { AdjustmentType = AdjustmentType.PercentChangeInCapacity, MinAdjustmentMagnitude = int.MaxValue }),
            $"{Out0}.minAdjustmentMagnitude",
            "must be a whole number from 1 to 1000000; got 2147483647");
    }

    [Test]
    public void Normalize_MaxCapacityAboveTheLimit_Error()
    {
        // A C# caller can pass any int; the flap analysis checks every capacity, so the bound keeps preview fast.
        AssertOnlyError(ValidDefinition() with { MaxCapacity = int.MaxValue }, "scaling.maxCapacity", "must be a whole number from 1 to 10000; got 2147483647");
    }

    [TestCase(int.MaxValue)]
    [TestCase(int.MinValue)]
    public void Normalize_HugeBandChange_ErrorNotOverflow(int change)
    {
        var definition = Definition(1, 4, Policy(Out(B(70, null, change)), null));

        Assert.That(Errors(definition), Is.EqualTo(new[] { ($"{Out0}.bands[0].change", $"must be a whole number within ±1000000; got {change}") }));
    }

    // ---- Bands ----

    [Test]
    public void Normalize_NoBands_Error()
    {
        AssertOnlyError(OutOnly(Out()), $"{Out0}.bands", "at least one band is required");
    }

    [Test]
    public void Normalize_21Bands_Error()
    {
        var bands = Enumerable.Range(0, 21).Select(i => B(10 + i, i == 20 ? null : 11 + i, 1)).ToArray();

        AssertOnlyError(OutOnly(Out(bands)), $"{Out0}.bands", "a policy can have at most 20 step adjustments; got 21 bands");
    }

    [Test]
    public void Normalize_20Bands_Valid()
    {
        var bands = Enumerable.Range(0, 20).Select(i => B(10 + i, i == 19 ? null : 11 + i, 1)).ToArray();

        Assert.That(Normalize(OutOnly(Out(bands))).IsValid, Is.True);
    }

    [Test]
    public void Normalize_NonFiniteBandEdges_ErrorOnEachEdge()
    {
        Assert.That(Errors(OutOnly(Out(B(double.NaN, 20, 1), B(20, double.PositiveInfinity, 2)))), Is.EqualTo(new[]
        {
            ($"{Out0}.bands[0].from", Finite + "NaN"),
            ($"{Out0}.bands[1].to", Finite + "Infinity"),
        }));
    }

    [Test]
    public void Normalize_BandEdgeBeyondRange_Error()
    {
        AssertOnlyError(InOnly(In(B(null, -2e15, -1))), $"{In0}.bands[0].to", Finite + "-2000000000000000");
    }

    [TestCase(20.0, 20.0, "got from 20, to 20")]
    [TestCase(30.5, 20.0, "got from 30.5, to 20")]
    public void Normalize_BandFromNotBelowTo_Error(double from, double to, string shown)
    {
        Assert.That(
            Errors(OutOnly(Out(B(from, to, 1), B(40, null, 2)))),
            Has.Member(($"{Out0}.bands[0]", $"'from' must be below 'to'; {shown}")));
    }

    [Test]
    public void Normalize_ScaleOutBandWithoutFrom_Error()
    {
        AssertOnlyError(
            OutOnly(Out(B(null, 20, 1), B(20, null, 2))),
            $"{Out0}.bands[0].from",
            "is required: a scale-out band starts at a value ('from'); only its upper end may be open");
    }

    [Test]
    public void Normalize_ScaleInBandWithoutTo_Error()
    {
        AssertOnlyError(
            InOnly(In(B(null, 20, -2), B(20, null, -1))),
            $"{In0}.bands[1].to",
            "is required: a scale-in band ends at a value ('to'); only its lower end may be open");
    }

    [Test]
    public void Normalize_HighestScaleOutBandClosed_Error()
    {
        AssertOnlyError(
            OutOnly(Out(B(35, 50, 3), B(20, 35, 2))),
            $"{Out0}.bands[0].to",
            "the highest scale-out band must be open (no 'to') so that every value above it finds a step; got 50");
    }

    [Test]
    public void Normalize_LowerScaleOutBandOpen_Error()
    {
        AssertOnlyError(
            OutOnly(Out(B(10, null, 1), B(20, null, 2))),
            $"{Out0}.bands[0].to",
            "only the highest scale-out band may be open; this band needs a 'to'");
    }

    [Test]
    public void Normalize_LowestScaleInBandClosed_Error()
    {
        AssertOnlyError(
            InOnly(In(B(10, 30, -1), B(5, 10, -2))),
            $"{In0}.bands[1].from",
            "the lowest scale-in band must be open (no 'from') so that every value below it finds a step; got 5");
    }

    [Test]
    public void Normalize_HigherScaleInBandOpen_Error()
    {
        AssertOnlyError(
            InOnly(In(B(null, 10, -2), B(null, 30, -1))),
            $"{In0}.bands[1].from",
            "only the lowest scale-in band may be open; this band needs a 'from'");
    }

    [Test]
    public void Normalize_OverlappingBands_ErrorNamesBothBands()
    {
        AssertOnlyError(OutOnly(Out(B(20, 35, 2), B(30, null, 3))), $"{Out0}.bands[1]", "bands overlap: [20, 35) and [30, +inf)");
    }

    [Test]
    public void Normalize_BandsWithAGap_ErrorNamesTheUncoveredValues()
    {
        AssertOnlyError(
            OutOnly(Out(B(35, null, 3), B(20, 30, 2))),
            $"{Out0}.bands[0]",
            "bands leave a gap: [20, 30) and [35, +inf); values in [30, 35) would find no step");
    }

    [Test]
    public void Normalize_ScaleInBandsOverlapping_Error()
    {
        AssertOnlyError(InOnly(In(B(null, 12, -2), B(10, 30, -1))), $"{In0}.bands[1]", "bands overlap: (-inf, 12) and [10, 30)");
    }

    // ---- Relative steps (the AWS rules) ----

    [Test]
    public void Normalize_NoStepAdjustments_Error()
    {
        AssertOnlyError(OutOnly(Relative(Out0, Op.GreaterThanThreshold, 10)), Steps0, "at least one step adjustment is required");
    }

    [Test]
    public void Normalize_21StepAdjustments_Error()
    {
        var steps = Enumerable.Range(0, 21).Select(i => S(i, i == 20 ? null : i + 1, 1)).ToArray();

        AssertOnlyError(OutOnly(Relative(Out0, Op.GreaterThanThreshold, 10, steps)), Steps0, "a policy can have at most 20 step adjustments; got 21");
    }

    [Test]
    public void Normalize_NonFiniteThreshold_Error()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.GreaterThanThreshold, double.PositiveInfinity, S(0, null, 1))),
            $"{Out0}.alarm.threshold",
            Finite + "Infinity");
    }

    [Test]
    public void Normalize_NaNThreshold_Error()
    {
        AssertOnlyError(OutOnly(Relative(Out0, Op.GreaterThanThreshold, double.NaN, S(0, null, 1))), $"{Out0}.alarm.threshold", Finite + "NaN");
    }

    [Test]
    public void Normalize_NonFiniteStepBounds_ErrorOnEachBound()
    {
        Assert.That(Errors(OutOnly(Relative(Out0, Op.GreaterThanThreshold, 10, S(double.NaN, double.NegativeInfinity, 1)))), Is.EqualTo(new[]
        {
            ($"{Steps0}[0].metricIntervalLowerBound", Finite + "NaN"),
            ($"{Steps0}[0].metricIntervalUpperBound", Finite + "-Infinity"),
        }));
    }

    [Test]
    public void Normalize_StepWithBothBoundsNull_Error()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.GreaterThanThreshold, 10, S(null, null, 1))),
            $"{Steps0}[0]",
            "a step adjustment needs a lower bound, an upper bound, or both; both are null");
    }

    [TestCase(10.0, 5.0, "[10, 5)")]
    [TestCase(5.0, 5.0, "[5, 5)")]
    public void Normalize_StepUpperNotAboveLower_Error(double lower, double upper, string shown)
    {
        Assert.That(
            Errors(OutOnly(Relative(Out0, Op.GreaterThanThreshold, 10, S(0, 5, 1), S(lower, upper, 1), S(20, null, 2)))),
            Has.Member(($"{Steps0}[1]", $"the upper bound must be greater than the lower bound; got {shown}")));
    }

    [Test]
    public void Normalize_TwoNullLowerBounds_Error()
    {
        AssertOnlyError(
            InOnly(Relative(In0, Op.LessThanThreshold, 30, S(null, -10, -2), S(null, 0, -1))),
            InSteps0,
            "at most one step adjustment may have a null lower bound; got 2");
    }

    [Test]
    public void Normalize_TwoNullUpperBounds_Error()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.GreaterThanThreshold, 10, S(0, null, 1), S(10, null, 2))),
            Steps0,
            "at most one step adjustment may have a null upper bound; got 2");
    }

    [Test]
    public void Normalize_NegativeLowerBoundWithoutNullLower_Error()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.GreaterThanOrEqualToThreshold, 50, S(-10, 0, 1), S(0, null, 2))),
            Steps0,
            "a step with a negative lower bound (-10) requires a step with a null lower bound (open to -inf)");
    }

    [Test]
    public void Normalize_NegativeLowerBoundWithNullLower_Valid()
    {
        Assert.That(Normalize(OutOnly(Relative(Out0, Op.GreaterThanOrEqualToThreshold, 50, S(null, -10, 1), S(-10, 0, 1), S(0, null, 2)))).IsValid, Is.True);
    }

    [Test]
    public void Normalize_PositiveUpperBoundWithoutNullUpper_Error()
    {
        AssertOnlyError(
            InOnly(Relative(In0, Op.LessThanThreshold, 30, S(null, -10, -2), S(-10, 5, -1))),
            InSteps0,
            "a step with a positive upper bound (5) requires a step with a null upper bound (open to +inf)");
    }

    [Test]
    public void Normalize_OverlappingSteps_Error()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.GreaterThanThreshold, 10, S(0, 10, 1), S(5, null, 2))),
            $"{Steps0}[1]",
            "step adjustments overlap: [0, 10) and [5, +inf)");
    }

    [Test]
    public void Normalize_StepsWithAGap_Error()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.GreaterThanThreshold, 10, S(15, null, 2), S(0, 10, 1))),
            $"{Steps0}[0]",
            "step adjustments leave a gap: [0, 10) and [15, +inf)");
    }

    [Test]
    public void Normalize_ScaleOutStepsStartAboveZero_ErrorNamesTheUncoveredValues()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.GreaterThanOrEqualToThreshold, 50, S(5, null, 1))),
            Steps0,
            "no step covers [0, 5) above the threshold: the alarm fires at ≥ 50, but metric values from 50 to 55 find no step adjustment and nothing scales");
    }

    [Test]
    public void Normalize_ScaleOutStepsEndAtZero_Error()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.GreaterThanThreshold, 50, S(null, 0, 1))),
            Steps0,
            "no step covers values above the threshold: the alarm fires whenever the metric is > 50, but the steps end at 0; bounds are relative to the threshold, so scale-out steps start at 0");
    }

    [Test]
    public void Normalize_ScaleInStepsEndBelowZero_ErrorNamesTheUncoveredValues()
    {
        AssertOnlyError(
            InOnly(Relative(In0, Op.LessThanThreshold, 30, S(null, -5, -1))),
            InSteps0,
            "no step covers (-5, 0] below the threshold: the alarm fires at < 30, but metric values from 25 to 30 find no step adjustment and nothing scales");
    }

    [Test]
    public void Normalize_ScaleInStepsStartAtZero_Error()
    {
        AssertOnlyError(
            InOnly(Relative(In0, Op.LessThanOrEqualToThreshold, 30, S(0, null, -1))),
            InSteps0,
            "no step covers values below the threshold: the alarm fires whenever the metric is ≤ 30, but the steps start at 0; bounds are relative to the threshold, so scale-in steps end at 0");
    }

    [Test]
    public void Normalize_ScaleOutOnPerTaskMetricAlarmingBelow_Error()
    {
        AssertOnlyError(
            OutOnly(Relative(Out0, Op.LessThanThreshold, 30, S(null, 0, 1))),
            $"{Out0}.alarm.comparisonOperator",
            "scale-out on a per-task metric must alarm above its threshold (GreaterThanThreshold or GreaterThanOrEqualToThreshold); got LessThanThreshold");
    }

    [Test]
    public void Normalize_ScaleInOnPerTaskMetricAlarmingAbove_Error()
    {
        AssertOnlyError(
            InOnly(Relative(In0, Op.GreaterThanOrEqualToThreshold, 30, S(0, null, -1))),
            $"{In0}.alarm.comparisonOperator",
            "scale-in on a per-task metric must alarm below its threshold (LessThanThreshold or LessThanOrEqualToThreshold); got GreaterThanOrEqualToThreshold");
    }

    // ---- The two sides of one policy ----

    [Test]
    public void Normalize_ScaleInThresholdAboveScaleOut_Error()
    {
        AssertOnlyError(
            Definition(1, 4, Policy(Out(B(50, null, 1)), In(B(null, 60, -1)))),
            In0,
            "the scale-in alarm (< 60) and the scale-out alarm (≥ 50) both fire for values in [50, 60): the scale-in threshold must be below the scale-out threshold");
    }

    [Test]
    public void Normalize_BothSidesIncludeTheSameThreshold_Error()
    {
        var definition = Definition(
            1,
            4,
            Policy(Relative(Out0, Op.GreaterThanOrEqualToThreshold, 50, S(0, null, 1)), Relative(In0, Op.LessThanOrEqualToThreshold, 50, S(null, 0, -1))));

        AssertOnlyError(
            definition,
            In0,
            "the scale-in alarm (≤ 50) and the scale-out alarm (≥ 50) both fire for values in [50, 50]: the scale-in threshold must be below the scale-out threshold");
    }

    [Test]
    public void Normalize_SameThresholdOneSideExclusive_Valid()
    {
        // The seed: > 10 and ≤ 10 share the threshold without overlapping (it loops for other reasons).
        var definition = Definition(
            1,
            4,
            Policy(Relative(Out0, Op.GreaterThanThreshold, 10, S(0, null, 1)), Relative(In0, Op.LessThanOrEqualToThreshold, 10, S(null, 0, -1))));

        Assert.That(Normalize(definition).IsValid, Is.True);
    }

    [Test]
    public void Normalize_BandsTouchingAtTheThreshold_Valid()
    {
        Assert.That(Normalize(Definition(1, 4, Policy(Out(B(50, null, 1)), In(B(null, 50, -1))))).IsValid, Is.True);
    }

    // ---- Metric builders for these tests ----

    private static MetricMathMetric Math(params MetricQuery[] queries) => new([.. queries]);

    private static MetricQuery Query(string id, int period = 60, bool returnData = false) => new()
    {
        Id = id,
        ReturnData = returnData,
        Metric = new MetricStat { Namespace = "AWS/SQS", MetricName = "ApproximateNumberOfMessagesVisible", Stat = "Sum", Period = period },
    };

    private static MetricQuery Expression(string id, string expression, bool returnData = false) =>
        new() { Id = id, Expression = expression, ReturnData = returnData };

    [Test]
    public void Normalize_NullsFromACSharpCaller_ValidationErrorsNotExceptions()
    {
        var definition = Definition(
            1,
            4,
            null!,
            Policy(Out(B(70, null, 1)), null) with { Metric = null! },
            Policy(Out(B(70, null, 1)), null, name: null!),
            Policy(new SideDefinition { Path = Out0, Steps = null! }, null, name: "nosteps"),
            Policy(Out(B(70, null, 1), null!), null, name: "nullband"));

        Assert.That(Errors(definition), Is.EqualTo(new[]
        {
            ("scaling.policies[0]", "must not be null"),
            ("scaling.policies[1].metric", "is required"),
            ("scaling.policies[2].name", "must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit; got nothing"),
            (Out0, "needs bands, or an alarm with stepAdjustments"),
            ($"{Out0}.bands[1]", "must not be null"),
        }));
    }

    [Test]
    public void Normalize_SameMetricTwoLoadRatios_Error()
    {
        var definition = Definition(
            1,
            4,
            Policy(Out(B(70, null, 1)), null, name: "high"),
            Policy(null, Bands("scaling.policies[1].scaleIn", B(null, 30, -1)), name: "low") with { LoadRatio = 0.8 });

        Assert.That(Errors(definition), Is.EqualTo(new[] { ("scaling.policies[1].loadRatio", "must equal the loadRatio of scaling.policies[0] (1), which scales on the same metric; got 0.8") }));
    }

    [Test]
    public void Normalize_TwoMetricsTwoLoadRatios_Valid()
    {
        var definition = Definition(1, 4, Policy(Out(B(70, null, 1)), null, name: "cpu"), Policy(Out(B(70, null, 1)), null, name: "mem", metric: Memory) with { LoadRatio = 0.8 });

        Assert.That(Errors(definition), Is.Empty);
    }

    [Test]
    public void Normalize_OnlyScaleIn_WarnsThatNothingScalesOut()
    {
        var result = Normalize(Definition(1, 4, Policy(null, In(B(null, 30, -1)))));

        Assert.That(result.IsValid, Is.True);
        Assert.That(Warnings(result.Diagnostics), Is.EqualTo(new[] { ("scaling.policies", "no policy has a scaleOut side: capacity can only go down, to minCapacity, and nothing brings it back up") }));
    }
}
