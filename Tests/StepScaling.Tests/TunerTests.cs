using System.Collections.Immutable;
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
/// <c>stepscale tune</c>'s core: every recommendation meets the hard constraints after rounding and passes
/// <c>check</c> with <c>flapCheck: error</c>; the search is deterministic for a seed. Small evaluation budgets keep it fast.
/// </summary>
public class TunerTests
{
    private static readonly TuningOptions Quick = new() { MaxEvaluations = 600, Budget = TimeSpan.FromSeconds(20) };

    private static StackFile ProdFile() => StackFile.Load(Repo.ProdStack);

    private static ScalingDefinition ProdDefinition() => Repo.PlanProd().Config!.Scaling!;

    private static NamedTrace Sample(string name)
    {
        using var reader = new StreamReader(Path.Combine(Repo.Root, "samples", "traces", $"{name}.csv"));
        return new NamedTrace($"{name}.csv", TraceCsv.Read(reader, $"{name}.csv").Trace!);
    }

    private static TuningResult TuneProd(TuningOptions options, params NamedTrace[] traces) =>
        Tuner.Tune(ProdDefinition(), Repo.PlanProd().AlarmNamePrefix, traces, options);

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
    public void Tune_ProdOnBundledTrace_RecommendationPassesCheckNeverFlapsAndCostsNoMore(string trace)
    {
        var result = TuneProd(Quick with { MaxEvaluations = 1500 }, Sample(trace));

        Assert.That(result.Feasible, Is.True, result.BindingConstraint);
        var pasted = PlanPasted(result);
        Assert.That(Build.ExceptHttpOnly(pasted.Diagnostics), Is.Empty, "no error and no warning but the stack's own HTTP-only one");
        Assert.That(pasted.FlapFindings, Is.Empty);
        Assert.That(pasted.Scaling, Is.EqualTo(result.RecommendedSpec with { FlapCheck = FlapCheckMode.Error }), "the pasted YAML is the recommendation");
        foreach (var segment in result.Training)
        {
            var recommended = Simulator.Run(result.RecommendedSpec, segment.Trace, segment.Options).Summary;
            var baseline = Simulator.Run(result.BaselineSpec, segment.Trace, segment.Options).Summary;
            Assert.That(recommended.Flaps, Is.Zero, segment.Name);
            Assert.That(recommended.TaskMinutes, Is.LessThanOrEqualTo(baseline.TaskMinutes), segment.Name);
            Assert.That(recommended.MinutesAboveTarget, Is.LessThanOrEqualTo(baseline.MinutesAboveTarget), segment.Name);
        }

        if (result.BaselineIsBest)
        {
            Assert.That(result.Recommended, Is.SameAs(result.Baseline));
        }
        else
        {
            Assert.That(result.Score.TaskMinutes, Is.LessThanOrEqualTo(result.BaselineScore.TaskMinutes));
        }
    }

    [Test]
    public void Tune_SameSeed_SameResultWhateverTheThreadCount()
    {
        var trace = Sample("bursty");
        // Only the evaluation cap may stop these two runs (a time budget would depend on the machine's load).
        var capped = Quick with { Seed = 7, Budget = TimeSpan.FromMinutes(10) };
        var one = TuneProd(capped with { Parallelism = 1 }, trace);
        var two = TuneProd(capped with { Parallelism = 4 }, trace);

        Assert.That(two.RecommendedSpec, Is.EqualTo(one.RecommendedSpec));
        Assert.That((two.Evaluations, two.ScreenEvaluations, two.Generations), Is.EqualTo((one.Evaluations, one.ScreenEvaluations, one.Generations)));
        Assert.That(two.Score, Is.EqualTo(one.Score));
    }

    [Test]
    public void Tune_AnotherSeed_StillMeetsEveryConstraint()
    {
        var result = TuneProd(Quick with { Seed = 12345 }, Sample("diurnal"));

        Assert.That(result.Feasible, Is.True, result.BindingConstraint);
        Assert.That(FlapAnalyzer.Analyze(result.RecommendedSpec), Is.Empty);
        Assert.That(result.Training.Sum(s => Simulator.Run(result.RecommendedSpec, s.Trace, s.Options).Summary.Flaps), Is.Zero);
    }

    [Test]
    public void Tune_OneTrace_HoldsOutItsLastThirtyPercent()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 50 }, Sample("spike"));

        Assert.That(result.Training.Single().Trace.Length, Is.EqualTo(1008));
        Assert.That(result.HeldOut.Single().Trace.Length, Is.EqualTo(1440 - 1008));
        Assert.That(result.HeldOut.Single().Trace.Start, Is.EqualTo(result.Training.Single().Trace.Start.AddMinutes(1008)));
        Assert.That(result.HeldOut.Single().Name, Is.EqualTo("spike.csv (held out, last 30 %)"));
    }

    [Test]
    public void Tune_SeveralTraces_TunesOnAllOfThemWithNothingHeldOut()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 50 }, Sample("spike"), Sample("steady"));

        Assert.That(result.Training.Select(s => s.Name), Is.EqualTo(new[] { "spike.csv", "steady.csv" }));
        Assert.That(result.HeldOut, Is.Empty);
    }

    [Test]
    public void Tune_DemandBeyondMaxCapacity_NoConfigMeetsTheLimitAndTheBindingConstraintIsNamed()
    {
        // 2000 % of one task for an hour: 12 tasks at 70 % serve 840; every config spends minutes above target.
        var trace = new NamedTrace("flood.csv", new DemandTrace { IntervalSeconds = 60, Demand = [.. Enumerable.Repeat(100.0, 30), .. Enumerable.Repeat(2000.0, 60), .. Enumerable.Repeat(100.0, 30)] });

        var result = TuneProd(Quick with { MaxEvaluations = 200, MaxMinutesAbove = 0, Holdout = 0 }, trace);

        Assert.That(result.Feasible, Is.False);
        Assert.That(result.BindingConstraint, Does.StartWith("minutes above target: the best candidate spends"));
        Assert.That(result.BindingConstraint, Does.Contain("0 allowed").And.Contain("the demand needs more than maxCapacity, 12 tasks, at the target: no config can serve it"));
    }

    [Test]
    public void Tune_PolicyFilter_LeavesTheOtherPolicyAsWritten()
    {
        var result = TuneProd(Quick with { MaxEvaluations = 100, Policies = ["cpu"] }, Sample("diurnal"));

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
    public void Tune_AnySeed_RoundedRecommendationStillMeetsEveryConstraint()
    {
        // Short traces and tiny budgets: the property is that what is returned (after rounding) is re-verified, whatever the seed.
        var trace = new NamedTrace("short.csv", Tuner.Slice(Sample("bursty").Trace, 0, 360));
        Gen.Int[1, 1_000_000].Sample(seed =>
        {
            var result = TuneProd(Quick with { Seed = seed, MaxEvaluations = 120, Holdout = 0 }, trace);
            // A tiny budget may find nothing feasible: then it must say which constraint binds, and claim nothing.
            if (!result.Feasible)
            {
                return result.BindingConstraint is { Length: > 0 } && !result.BaselineIsBest;
            }

            var spec = ScalingNormalizer.Normalize(result.Recommended with { FlapCheck = FlapCheckMode.Error }, "prod-web").Spec!;
            var replay = Simulator.Run(spec, result.Training[0].Trace, result.Training[0].Options).Summary;
            return FlapAnalyzer.Analyze(spec).IsEmpty && replay.Flaps == 0 && replay.MinutesAboveTarget <= result.Training[0].AllowedMinutesAbove;
        }, iter: 6, threads: 1);
    }
}
