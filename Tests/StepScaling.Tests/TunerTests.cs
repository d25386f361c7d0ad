using CsCheck;
using StepScaling.Analysis;
using StepScaling.Config;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Planning;
using StepScaling.Simulation;
using StepScaling.Tuning;

namespace StepScaling.Tests;

/// <summary>
/// <c>stepscale tune</c>'s core: the recommendation is chosen and re-verified on every sample of every trace, passes
/// <c>check</c> with <c>flapCheck: error</c>, and is no worse than the baseline on service and churn there; folds,
/// stress and the target-tracking race are reported. Small evaluation budgets and one-day traces keep it fast.
/// </summary>
public class TunerTests
{
    private static readonly TuningOptions Quick = new() { MaxEvaluations = 400, Budget = TimeSpan.FromSeconds(20) };

    private static StackFile ProdFile() => StackFile.Load(Repo.ProdStack);

    private static ScalingDefinition ProdDefinition() => Repo.PlanProd().Config!.Scaling!;

    private static NamedTrace Sample(string name)
    {
        using var reader = new StreamReader(Path.Combine(Repo.Root, "samples", "traces", $"{name}.csv"));
        return new NamedTrace($"{name}.csv", TraceCsv.Read(reader, $"{name}.csv").Trace!);
    }

    private static TuningResult TuneProd(TuningOptions options, params NamedTrace[] traces) =>
        Tuner.Tune(ProdDefinition(), Repo.PlanProd().AlarmNamePrefix, traces, options);

    private static Objectives Replay(ScalingSpec spec, TuningSegment s) =>
        Objectives.Of(Simulator.Run(spec, s.Trace, s.Options).Summary, s.Days);

    /// <summary>The stack file a user gets by pasting the recommended block under config: (with flapCheck: error).</summary>
    private static StackPlan PlanPasted(TuningResult result)
    {
        var yaml = TuningYaml.ScalingBlock(StackFile.DefaultProject, ProdFile().Values["scaling"], result.Recommended, result.TunedPolicies);
        var text = "config:\n  aws:region: us-east-1\n  step-scaled-ecs:flapCheck: error\n" + yaml;
        return StackPlanner.Plan(StackFile.Parse(text, "Pulumi.prod.yaml", StackFile.DefaultProject));
    }

    [TestCase("steady")]
    [TestCase("spike")]
    [TestCase("diurnal")]
    [TestCase("bursty")]
    public void Tune_ProdOnBundledTrace_RecommendationReplayedOnTheWholeTraceIsNoWorseThanTheBaseline(string trace)
    {
        var sample = Sample(trace);
        var result = TuneProd(Quick with { MaxEvaluations = 800 }, sample);

        Assert.That(result.Feasible, Is.True, result.BindingConstraint);
        var pasted = PlanPasted(result);
        Assert.That(Build.ExceptHttpOnly(pasted.Diagnostics), Is.Empty, "no error and no warning but the stack's own HTTP-only one");
        Assert.That(pasted.FlapFindings, Is.Empty);
        Assert.That(pasted.Scaling, Is.EqualTo(result.RecommendedSpec with { FlapCheck = FlapCheckMode.Error }), "the pasted YAML is the recommendation");
        var segment = result.Segments.Single();
        Assert.That(segment.Trace.Demand, Is.EqualTo(sample.Trace.Demand), "every sample of the trace");
        var rec = Replay(result.RecommendedSpec, segment);
        var baseline = Replay(result.BaselineSpec, segment);
        Assert.That(rec.TaskMinutes, Is.LessThanOrEqualTo(baseline.TaskMinutes));
        Assert.That(rec.MinutesAbove, Is.LessThanOrEqualTo(baseline.MinutesAbove));
        Assert.That(rec.Unserved, Is.LessThanOrEqualTo(baseline.Unserved));
        Assert.That(rec.ScaleActions, Is.LessThanOrEqualTo(baseline.ScaleActions));
        Assert.That(rec.Reversals, Is.LessThanOrEqualTo(baseline.Reversals));
    }

    [Test]
    public void Tune_FlashCrowdNearTheEnd_TheCrowdIsPartOfWhatTheRecommendationMeets()
    {
        // Issue 15: a crowd in the last 30 % was never tuned on. Now every sample counts.
        var demand = Enumerable.Range(0, 1440).Select(i => 60 + (10 * Math.Sin(i / 60.0)) + (i is >= 1200 and < 1260 ? 500 : 0)).ToArray();
        var trace = new NamedTrace("crowd.csv", new DemandTrace { IntervalSeconds = 60, Demand = demand });

        var result = TuneProd(Quick, trace);

        var segment = result.Segments.Single();
        Assert.That(segment.Trace.Length, Is.EqualTo(1440));
        var rec = Replay(result.RecommendedSpec, segment);
        Assert.That(result.Feasible, Is.True, result.BindingConstraint);
        Assert.That(rec.MinutesAbove, Is.LessThanOrEqualTo(segment.Limits.MaxMinutesAbove));
        Assert.That(rec.Reversals, Is.LessThanOrEqualTo(segment.Limits.MaxReversals));
        Assert.That(segment.Limits.MaxMinutesAbove, Is.EqualTo(Replay(result.BaselineSpec, segment).MinutesAbove), "the baseline's own figure on the whole trace");
    }

    [Test]
    public void Tune_SameSeed_SameResultWhateverTheThreadCount()
    {
        var trace = Sample("bursty");
        // Only the evaluation cap may stop these two runs (a time budget would depend on the machine's load).
        var capped = Quick with { Seed = 7, MaxEvaluations = 200, Budget = TimeSpan.FromMinutes(10) };
        var one = TuneProd(capped with { Parallelism = 1 }, trace);
        var two = TuneProd(capped with { Parallelism = 4 }, trace);

        Assert.That(two.RecommendedSpec, Is.EqualTo(one.RecommendedSpec));
        Assert.That((two.Evaluations, two.ScreenEvaluations, two.Generations), Is.EqualTo((one.Evaluations, one.ScreenEvaluations, one.Generations)));
        Assert.That(two.Score, Is.EqualTo(one.Score));
        Assert.That(two.Folds.Select(f => f.Thresholds.OrderBy(kv => kv.Key).ToList()), Is.EqualTo(one.Folds.Select(f => f.Thresholds.OrderBy(kv => kv.Key).ToList())));
    }

    [Test]
    public void Tune_OneTrace_EachFoldIsScoredOnTheBlockAfterItsPrefix()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 120 }, Sample("spike"));

        Assert.That(result.Folds.Select(f => (f.Plan.Train[0].Length, f.Plan.Test[0].Start, f.Plan.Test[0].Length)), Is.EqualTo(new[] { (360, 360, 360), (720, 720, 360), (1080, 1080, 360) }));
        foreach (var fold in result.Folds)
        {
            var test = Tuner.Slice(Sample("spike").Trace, fold.Plan.Test[0].Start, fold.Plan.Test[0].Length);
            var options = result.Segments[0].Options with { InitialCapacity = Tuner.OracleCapacity(result.BaselineSpec, test, result.Target)[0] };
            var baseline = Objectives.Of(Simulator.Run(result.BaselineSpec, test, options).Summary, 0.25);
            Assert.That(fold.BaselineTest, Is.EqualTo(baseline), $"fold {fold.Plan.Number}: the baseline on the next block, starting warm");
        }

        Assert.That(result.Stability.Ranges.Keys, Is.SupersetOf(new[] { "cpu.scaleOut", "memory.scaleOut" }));
    }

    [Test]
    public void Tune_TargetGivenOrTakenFromThePolicy_TheSourceIsTyped()
    {
        var given = TuneProd(Quick with { MaxEvaluations = 10, Folds = 0, Target = 55 }, Sample("steady"));
        var taken = TuneProd(Quick with { MaxEvaluations = 10, Folds = 0 }, Sample("steady"));

        Assert.That((given.Target, given.TargetSource), Is.EqualTo((55d, TargetSource.Given)));
        Assert.That((taken.Target, taken.TargetSource), Is.EqualTo((70d, new TargetSource(TargetOrigin.ScaleOutThreshold, "cpu-out"))));
        Assert.That(taken.TargetSource.ToString(), Is.EqualTo("the scale-out threshold of cpu-out"));
    }

    [Test]
    public void Tune_BudgetEndsTheSearch_EarlyStopIsItsOwnFieldNotANote()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 10, Folds = 0 }, Sample("bursty"));

        Assert.That(result.StoppedEarly, Is.True);
        Assert.That(result.EarlyStop, Is.EqualTo("the final search stopped at its budget (10 evaluations) before it converged: this is the best found so far"));
        Assert.That(result.Notes, Has.None.Contains("budget"));
    }

    [Test]
    public void Tune_FoldsDisagreeBeyondTheAllowedSpread_NoAdviceAndTheStabilityBinds()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 1000, MaxFoldSpread = 0 }, Sample("bursty"));

        Assert.That(result.Stability.Spread, Is.GreaterThan(0), "the folds' choices cost differently on all the data");
        Assert.That(result.Stability.Stable, Is.False);
        Assert.That(result.Supported, Is.False);
        Assert.That(result.BindingConstraint, Does.StartWith("stability: the folds' choices disagree — replayed on all the data, fold "));
    }

    [Test]
    public void Tune_DemandBeyondMaxCapacity_NoConfigMeetsTheLimitAndTheBindingConstraintAndWhereAreNamed()
    {
        // 2000 % of one task for an hour: 12 tasks at 70 % serve 840; every config spends minutes above target.
        var trace = new NamedTrace("flood.csv", new DemandTrace { IntervalSeconds = 60, Demand = [.. Enumerable.Repeat(100.0, 30), .. Enumerable.Repeat(2000.0, 60), .. Enumerable.Repeat(100.0, 30)] });

        var result = TuneProd(Quick with { MaxEvaluations = 100, MaxMinutesAbove = 0, Folds = 0 }, trace);

        Assert.That(result.Feasible, Is.False);
        Assert.That(result.Supported, Is.False);
        Assert.That(result.BindingConstraint, Does.StartWith("flood.csv: minutes above target "));
        Assert.That(result.BindingConstraint, Does.Contain("> 0 allowed").And.Contain("above target most in 1970-01-01 00:00 (hour)"));
        Assert.That(result.BindingConstraint, Does.Contain("the demand needs more than maxCapacity, 12 tasks, at the target: no config can serve it"));
    }

    [Test]
    public void Tune_StressAsConstraint_RecommendationNoWorseThanTheBaselineUnderEachStress()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 300, StressAsConstraint = true, Folds = 0 }, Sample("diurnal"));

        Assert.That(result.Stress.Select(s => s.Kind), Is.EqualTo(Stress.All));
        Assert.That(result.Feasible, Is.True, result.BindingConstraint);
        Assert.That(result.Stress.SelectMany(s => s.Exceeded), Is.Empty);
    }

    [Test]
    public void Tune_Stress_FiguresAreTheReplaysOfTheStressedTraces()
    {
        var sample = Sample("spike");
        var result = TuneProd(Quick with { MaxEvaluations = 100, Folds = 0 }, sample);

        var seg = result.Segments[0];
        var growth = result.Stress.Single(s => s.Kind == StressKind.Growth);
        var slow = result.Stress.Single(s => s.Kind == StressKind.SlowStart);
        Assert.That(growth.Baseline, Is.EqualTo(Replay(result.BaselineSpec, seg with { Trace = Stress.Grow(sample.Trace, 1.2) })));
        Assert.That(slow.Recommended, Is.EqualTo(Replay(result.RecommendedSpec, seg with { Options = seg.Options with { StartupDelaySeconds = 120 } })));
    }

    [Test]
    public void Tune_SaneRange_NoScaleOutThresholdAboveTargetPlusMarginAndAFlagWidensIt()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 150, Folds = 0 }, Sample("bursty"));
        var wide = TuneProd(Quick with { MaxEvaluations = 20, Folds = 0, ThresholdMargin = 40, ScaleOutCeiling = 96 }, Sample("bursty"));

        Assert.That(result.HighestThresholds, Is.EqualTo(new Dictionary<string, double> { ["cpu"] = 80, ["memory"] = 85 }));
        Assert.That(result.Front.Select(p => SearchSpace.Threshold(p.Item.Policies[0].ScaleOut)), Has.All.LessThanOrEqualTo(80));
        Assert.That(wide.HighestThresholds, Is.EqualTo(new Dictionary<string, double> { ["cpu"] = 95, ["memory"] = 95 }));
    }

    [Test]
    public void Tune_Front_LoopFreeNonDominatedAndNoFeasiblePointCheaperThanTheRecommendation()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 300, Folds = 0 }, Sample("diurnal"));

        Assert.That(result.Front, Is.Not.Empty);
        foreach (var p in result.Front)
        {
            Assert.That(result.Front.Any(q => q.Figures.Dominates(p.Figures)), Is.False);
            Assert.That(FlapAnalyzer.HasLoop(ScalingNormalizer.Normalize(p.Item with { FlapCheck = FlapCheckMode.Error }, "prod-web").Spec!), Is.False);
        }

        var cheapestFeasible = result.Front.Where(p => p.Feasible).Min(p => p.Figures.Cost);
        Assert.That(cheapestFeasible, Is.GreaterThanOrEqualTo(result.Score.TaskMinutes * (1 - (2 * Tuner.TieTolerance))), "the selection rule: the cheapest candidate meeting the limits");
    }

    [Test]
    public void Tune_TargetTracking_TunedUnderTheSameLimitsAndNoWorseByTheSameRuleThanAtTheStackTarget()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 50, Folds = 0 }, Sample("diurnal"));

        var tt = result.TargetTracking!;
        Assert.That(tt.Evaluations, Is.EqualTo(TargetTrackingRace.Grid(tt.Stack, 70, 80).Length));
        Assert.That(tt.Best.TargetValue, Is.InRange(35, 80));
        var stackExcess = result.Segments.Sum(s => s.Limits.Excess(TargetTrackingRace.Figures(tt.Stack, s, 70)));
        if (stackExcess == 0)
        {
            Assert.That(tt.BestFeasible, Is.True);
            Assert.That(tt.BestFigures.Cost, Is.LessThanOrEqualTo(tt.StackFigures.Cost * (1 + Tuner.TieTolerance)));
        }

        Assert.That(tt.BestFigures, Is.EqualTo(TargetTrackingRace.Figures(tt.Best, result.Segments[0], 70)));
    }

    [Test]
    public void Tune_BaselineReversingOftenOrLooping_IsAFinding()
    {
        var bursty = TuneProd(Quick with { MaxEvaluations = 30, Folds = 0 }, Sample("bursty"));
        var dev = Repo.PlanDev().Config!.Scaling! with { FlapCheck = FlapCheckMode.Warn };
        var looping = FlapAnalyzer.HasLoop(ScalingNormalizer.Normalize(dev, "dev").Spec!);

        Assert.That(bursty.Findings, Has.Some.StartsWith("the baseline reverses 10 times a day on bursty.csv"));
        Assume.That(looping, Is.True, "the dev stack as written has a loop");
        var devResult = Tuner.Tune(dev, "dev", [Sample("diurnal")], Quick with { MaxEvaluations = 30, Folds = 0 });
        Assert.That(devResult.Findings, Has.Some.StartsWith("the baseline has a scaling loop"));
    }

    [Test]
    public void Tune_Progress_ReportsEveryPhaseInOrder()
    {
        var phases = new List<string>();

        TuneProd(Quick with { MaxEvaluations = 100, Progress = p => phases.Add(p.Phase) }, Sample("spike"));

        Assert.That(phases.Distinct(), Is.EqualTo(new[] { "fold 1 of 3", "fold 2 of 3", "fold 3 of 3", "all data", "target tracking" }));
    }

    [Test]
    public void Tune_PolicyFilter_LeavesTheOtherPolicyAsWritten()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 100, Policies = ["cpu"], Folds = 0 }, Sample("diurnal"));

        Assert.That(result.TunedPolicies, Is.EqualTo(new[] { "cpu" }));
        Assert.That(result.Recommended.Policies[1], Is.SameAs(result.Baseline.Policies[1]));
    }

    [Test]
    public void Encode_ProdBaseline_DecodesToTheSameSides()
    {
        var baseline = ProdDefinition();
        var space = new SearchSpace(baseline, [], []);

        var decoded = space.Decode(space.Encode(baseline)!);

        for (var i = 0; i < baseline.Policies.Length; i++)
        {
            foreach (var (a, b) in new[] { (decoded.Policies[i].ScaleOut!, baseline.Policies[i].ScaleOut!), (decoded.Policies[i].ScaleIn!, baseline.Policies[i].ScaleIn!) })
            {
                Assert.That(a.Steps, Is.EqualTo(b.Steps), a.Path);
                Assert.That((a.Cooldown, a.EvaluationPeriods, a.DatapointsToAlarm ?? a.EvaluationPeriods), Is.EqualTo((b.Cooldown, b.EvaluationPeriods, b.DatapointsToAlarm ?? b.EvaluationPeriods)), a.Path);
            }
        }
    }

    [Test]
    public void Decode_AnyPoint_IsAConfigTheNormalizerAccepts()
    {
        var baseline = ProdDefinition();
        var space = new SearchSpace(baseline, [], []);

        Gen.Double[0, 1].Array[space.Dimensions].Sample(x =>
        {
            var candidate = space.Decode(x);
            var result = ScalingNormalizer.Normalize(candidate with { FlapCheck = FlapCheckMode.Error }, "prod-web");
            return result.IsValid && candidate.Policies.All(p => p.ScaleOut!.Steps is BandSteps { Bands.Length: >= 1 and <= 4 } && p.ScaleIn!.Steps is BandSteps { Bands.Length: >= 1 and <= 2 });
        }, iter: 2000);
    }

    [Test]
    public void Decode_AnyPoint_PutsEveryEdgeOnTheWholePercentGridBelow100()
    {
        var space = new SearchSpace(ProdDefinition(), [], []);

        Gen.Double[0, 1].Array[space.Dimensions].Sample(x =>
            space.Decode(x).Policies.SelectMany(p => new[] { p.ScaleOut!, p.ScaleIn! }).SelectMany(s => ((BandSteps)s.Steps).Bands)
                .SelectMany(b => new[] { b.From, b.To }).OfType<double>().All(e => e == Math.Round(e) && e < 100), iter: 1000);
    }

    [Test]
    public void Tune_AnySeed_RoundedRecommendationStillMeetsEveryLimit()
    {
        // Short traces and tiny budgets: the property is that what is returned (after rounding) is re-verified, whatever the seed.
        var trace = new NamedTrace("short.csv", Tuner.Slice(Sample("bursty").Trace, 0, 360));
        Gen.Int[1, 1_000_000].Sample(seed =>
        {
            var result = TuneProd(Quick with { Seed = seed, MaxEvaluations = 80, Folds = 0 }, trace);
            // A tiny budget may find nothing feasible: then it must say which constraint binds, and claim nothing.
            if (!result.Feasible)
            {
                return result.BindingConstraint is { Length: > 0 } && !result.BaselineIsBest;
            }

            var spec = ScalingNormalizer.Normalize(result.Recommended with { FlapCheck = FlapCheckMode.Error }, "prod-web").Spec!;
            var segment = result.Segments[0];
            return FlapAnalyzer.Analyze(spec).IsEmpty && segment.Limits.Excess(Replay(spec, segment)) == 0;
        }, iter: 6, threads: 1);
    }
}
