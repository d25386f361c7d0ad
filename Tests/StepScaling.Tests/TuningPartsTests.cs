using System.Collections.Immutable;
using CsCheck;
using StepScaling.Model;
using StepScaling.Simulation;
using StepScaling.Tuning;

namespace StepScaling.Tests;

/// <summary>The pure pieces of <c>tune</c>: folds, stress transforms, Pareto bookkeeping, stability, the sane range and the race verdict.</summary>
public class TuningPartsTests
{
    private static Objectives O(double cost, double above, int actions, int reversals = 0, double unserved = 0) => new(cost, above, unserved, actions, reversals, 1);

    [Test]
    public void Plan_ThreeFoldsOn1440Samples_TrainsOnAGrowingPrefixAndTestsOnTheNextBlock()
    {
        var plans = RollingOrigin.Plan([1440], 3, 1);

        Assert.That(plans.Select(p => (p.Train[0].Start, p.Train[0].Length, p.Test[0].Start, p.Test[0].Length)),
            Is.EqualTo(new[] { (0, 360, 360, 360), (0, 720, 720, 360), (0, 1080, 1080, 360) }));
        Assert.That(plans.Select(p => p.Blocks), Is.All.EqualTo(4));
    }

    [Test]
    public void Plan_AnyLengthsFoldsAndAlignment_BlocksAreAlignedContiguousAndNeverOverlapTheirTest()
    {
        var gen = Gen.Select(Gen.Int[1, 4].SelectMany(n => Gen.Int[0, 20_000].Array[n]), Gen.Int[0, 6], Gen.Int[1, 15]);
        gen.Sample((lengths, folds, align) =>
        {
            var plans = RollingOrigin.Plan(lengths, folds, align);
            if (plans.IsEmpty)
            {
                // None fits only when no fold was asked for or not even one fold (two blocks) fits.
                return folds == 0 || RollingOrigin.Plan(lengths, 1, align).IsEmpty;
            }

            return plans.Length <= folds && (plans.Length == folds || RollingOrigin.Plan(lengths, plans.Length + 1, align).Length == plans.Length) && plans.Select((p, k) => p.Number == k + 1).All(b => b) && plans.All(p => p.Train.Zip(p.Test).All(x =>
                x.First.Start == 0 && x.Second.Start == x.First.Length && x.Second.Length >= RollingOrigin.MinBlockSamples
                && x.Second.Start + x.Second.Length <= lengths[x.First.Trace] && x.Second.Start % align == 0
                && (x.Second.Start + x.Second.Length == lengths[x.First.Trace] || (x.Second.Start + x.Second.Length) % align == 0)));
        }, iter: 2000);
    }

    [Test]
    public void Plan_TraceTooShortForTwoBlocks_NoFold()
    {
        Assert.That(RollingOrigin.Plan([200], 3, 1), Is.Empty);
        Assert.That(RollingOrigin.Plan([500], 3, 1), Has.Length.EqualTo(3), "4 blocks of 125 samples fit");
        Assert.That(RollingOrigin.Plan([400], 3, 1), Has.Length.EqualTo(2), "3 blocks of 133 fit, 4 of 100 do not");
    }

    [Test]
    public void Grow_MultipliesEverySampleAndKeepsMissingOnesMissing()
    {
        var trace = new DemandTrace { IntervalSeconds = 60, Demand = [10, double.NaN, 30], PolicyDemand = ImmutableDictionary<string, double[]>.Empty.Add("cpu", [1, 2, double.NaN]) };

        var grown = Stress.Grow(trace, 1.2);

        Assert.That(grown.Demand[0], Is.EqualTo(12).Within(1e-12));
        Assert.That(grown.Demand[1], Is.NaN);
        Assert.That(grown.Demand[2], Is.EqualTo(36).Within(1e-12));
        Assert.That(grown.PolicyDemand["cpu"][1], Is.EqualTo(2.4).Within(1e-12));
        Assert.That(trace.Demand[0], Is.EqualTo(10), "the input is not changed");
    }

    [Test]
    public void Rotate_AnyTraceAndShift_SampleIComesFromIPlusShift()
    {
        Gen.Select(Gen.Double[0, 100].Array[1, 200], Gen.Int[-500, 500]).Sample((demand, k) =>
        {
            var rotated = Stress.Rotate(new DemandTrace { IntervalSeconds = 60, Demand = demand }, k);
            var n = demand.Length;
            return rotated.Length == n && Enumerable.Range(0, n).All(i => rotated.Demand[i] == demand[(((i + k) % n) + n) % n]);
        }, iter: 500);
    }

    [Test]
    public void Apply_EachStress_ChangesOnlyWhatItNames()
    {
        var trace = new DemandTrace { IntervalSeconds = 60, Demand = [.. Enumerable.Range(0, 300).Select(i => (double)i)] };
        var segment = new TuningSegment("t", trace, new SimulationOptions { StartupDelaySeconds = 90 }, SegmentLimits.None);

        var growth = Stress.Apply(segment, StressKind.Growth, 5, SegmentLimits.None);
        var shift = Stress.Apply(segment, StressKind.Shift, 5, SegmentLimits.None);
        var slow = Stress.Apply(segment, StressKind.SlowStart, 5, SegmentLimits.None);

        Assert.That(growth.Trace.Demand[100], Is.EqualTo(120).Within(1e-9));
        Assert.That(growth.Options.StartupDelaySeconds, Is.EqualTo(90));
        Assert.That(Stress.ShiftSamples(300, 5), Is.EqualTo(100));
        Assert.That(shift.Trace.Demand[0], Is.EqualTo(100), "a third of the way in, in whole periods of 5 samples");
        Assert.That(shift.Trace.Demand.Order(), Is.EqualTo(trace.Demand), "the same samples, in another order");
        Assert.That(slow.Options.StartupDelaySeconds, Is.EqualTo(180));
        Assert.That(slow.Trace, Is.SameAs(trace));
        Assert.That(new[] { growth.Name, shift.Name, slow.Name }, Is.EqualTo(new[] { "t demand × 1.2", "t shifted by a third", "t start-up × 2" }));
    }

    [TestCase(1, 1, 1, 2, 2, 2, true)]
    [TestCase(1, 2, 2, 2, 2, 2, true)]
    [TestCase(2, 2, 2, 2, 2, 2, false)]
    [TestCase(1, 3, 1, 2, 2, 2, false)]
    [TestCase(3, 1, 1, 1, 3, 3, false)]
    public void Dominates_CostServiceChurn_NoWorseOnAllAndBetterOnOne(double c1, double s1, int a1, double c2, double s2, int a2, bool expected)
    {
        Assert.That(O(c1, s1, a1).Dominates(O(c2, s2, a2)), Is.EqualTo(expected));
    }

    [Test]
    public void Churn_CountsEveryActionAndEveryReversalOnceMorePerDay()
    {
        var o = new Objectives(100, 0, 0, ScaleActions: 10, Reversals: 2, Days: 2);

        Assert.That(o.Churn, Is.EqualTo(6));
        Assert.That((o.ActionsPerDay, o.ReversalsPerDay), Is.EqualTo((5.0, 1.0)));
        Assert.That(O(1, 3, 0, unserved: 2).Service, Is.EqualTo(5));
    }

    [Test]
    public void Add_AnyPoints_TheFrontIsExactlyTheNonDominatedSet()
    {
        var point = Gen.Select(Gen.Int[0, 20], Gen.Int[0, 20], Gen.Int[0, 20]).Select((c, s, a) => O(c, s, a));
        point.Array[1, 60].Sample(points =>
        {
            var front = new ParetoFront<int>();
            for (var i = 0; i < points.Length; i++)
            {
                front.Add(i, points[i], true);
            }

            var expected = points.Where(p => !points.Any(q => q.Dominates(p))).Select(p => (p.Cost, p.Service, p.Churn)).Distinct().Order().ToList();
            var kept = front.Points.Select(p => (p.Figures.Cost, p.Figures.Service, p.Figures.Churn)).Order().ToList();
            return kept.SequenceEqual(expected);
        }, iter: 1000);
    }

    [Test]
    public void Add_DominatedOrSameOrRejected_IsRefusedAndADominatingPointEvictsTheOthers()
    {
        var front = new ParetoFront<string>();

        Assert.That(front.Add("a", O(10, 5, 5), true), Is.True);
        Assert.That(front.Add("b", O(5, 10, 5), false), Is.True);
        Assert.That(front.Add("same", O(10, 5, 5), true), Is.False);
        Assert.That(front.Add("worse", O(11, 5, 5), true), Is.False);
        Assert.That(front.Add("rejected", Objectives.Rejected, true), Is.False);
        Assert.That(front.Cheapest!.Item, Is.EqualTo("b"));
        Assert.That(front.Safest!.Item, Is.EqualTo("a"));
        Assert.That(front.Add("best", O(5, 5, 5), true), Is.True);
        Assert.That(front.Points.Select(p => p.Item), Is.EqualTo(new[] { "best" }));
    }

    [Test]
    public void Calmest_PicksTheFewestActionsAndReversals()
    {
        var front = new ParetoFront<string>();
        front.Add("busy", O(5, 5, 20), true);
        front.Add("calm", O(9, 9, 1, reversals: 0), true);

        Assert.That(front.Calmest!.Item, Is.EqualTo("calm"));
    }

    [Test]
    public void Excess_WithinEveryLimit_IsZeroAndEachExceededLimitIsNamed()
    {
        var limits = new SegmentLimits(10, 0, 20, 1);

        Assert.That(limits.Excess(O(100, 10, 20, 1)), Is.Zero);
        Assert.That(limits.Exceeded(O(100, 10, 20, 1)), Is.Empty);
        Assert.That(limits.Excess(O(100, 12, 20, 2)), Is.EqualTo(2 + 100).Within(1e-6));
        Assert.That(limits.Exceeded(O(100, 12, 21, 2, unserved: 0.5)), Is.EqualTo(new[]
        {
            "minutes above target 12 > 10 allowed", "unserved task-minutes 0.5 > 0 allowed", "scale actions 21 > 20 allowed", "reversals 2 > 1 allowed",
        }));
    }

    private static FoldResult Fold(int n, double cpuOut, double wholeCost, bool keptBaseline = false) => new(
        new FoldPlan(n, 4, [], []), new ScalingDefinition { MinCapacity = 1, MaxCapacity = 2, Policies = [] },
        ImmutableDictionary<string, double>.Empty.Add("cpu.scaleOut", cpuOut), O(1, 0, 0), O(1, 0, 0), O(1, 0, 0), [], true, O(wholeCost, 0, 0), true, keptBaseline);

    [Test]
    public void Stability_ChoicesCostingAlikeOnAllTheData_StableWhateverTheirThresholds()
    {
        var stable = Tuner.Stability([Fold(1, 60, 1000), Fold(2, 85, 1030), Fold(3, 70, 1010)], 1000, 0.05);
        var unstable = Tuner.Stability([Fold(1, 70, 1000), Fold(2, 70, 1100), Fold(3, 70, 1040)], 1000, 0.05);

        Assert.That(stable.Stable, Is.True);
        Assert.That(stable.Spread, Is.EqualTo(0.03).Within(1e-12));
        Assert.That(stable.Ranges["cpu.scaleOut"], Is.EqualTo((60.0, 85.0)));
        Assert.That((unstable.Stable, unstable.Cheapest, unstable.Dearest), Is.EqualTo((false, (int?)1, (int?)2)));
        Assert.That(unstable.Spread, Is.EqualTo(0.1).Within(1e-12));
        Assert.That(Tuner.Stability([Fold(1, 20, 5000)], 1000, 0).Stable, Is.True, "one fold cannot disagree with itself");
        Assert.That(Tuner.Stability([], 1000, 0).Stable, Is.True);
        Assert.That(Tuner.Stability([Fold(1, 70, 1000, keptBaseline: true), Fold(2, 80, 900), Fold(3, 80, 905)], 1000, 0.05).Stable, Is.True, "a fold that kept the baseline had no evidence for a change: no vote");
    }

    [Test]
    public void Highest_TargetPlusMarginBelowTheCeiling()
    {
        var range = new SaneRange(new Dictionary<string, double> { ["cpu"] = 70, ["memory"] = 85 }, 10, 90);

        Assert.That(range.Highest("cpu"), Is.EqualTo(80));
        Assert.That(range.Highest("memory"), Is.EqualTo(89), "never at or above 90");
        Assert.That(range.Highest("other"), Is.EqualTo(89));
        Assert.That((range with { Ceiling = 96 }).Highest("memory"), Is.EqualTo(95), "a wider ceiling, as --max-threshold asks");
    }

    [Test]
    public void Decode_AnyPointInASaneRange_NoScaleOutThresholdAboveItsHighest()
    {
        var baseline = Repo.PlanProd().Config!.Scaling!;
        var range = new SaneRange(new Dictionary<string, double> { ["cpu"] = 70, ["memory"] = 75 }, 10, 90);
        var space = new SearchSpace(baseline, [], [], range);

        Assert.That(space.Highest, Is.EqualTo(new Dictionary<string, double> { ["cpu"] = 80, ["memory"] = 85 }));
        Gen.Double[0, 1].Array[space.Dimensions].Sample(x =>
            space.Decode(x).Policies.All(p => SearchSpace.Threshold(p.ScaleOut)! <= space.Highest[p.Name]), iter: 2000);
    }

    [Test]
    public void Rounder_NeverMovesAScaleOutThresholdAboveItsHighest()
    {
        var baseline = Repo.PlanProd().Config!.Scaling!;
        var space = new SearchSpace(baseline, [], [], new SaneRange(new Dictionary<string, double> { ["cpu"] = 70, ["memory"] = 75 }, 8, 90));
        var candidate = baseline with
        {
            Policies = baseline.Policies.SetItem(0, baseline.Policies[0] with { ScaleOut = baseline.Policies[0].ScaleOut! with { Steps = new BandSteps([new Band(78, null, 1)]) } }),
        };

        Assert.That(space.Rounder(candidate).Select(d => SearchSpace.Threshold(d.Policies[0].ScaleOut)), Has.None.GreaterThan(78), "80 would be above 70 + 8");
    }

    [Test]
    public void Of_StepBetterOnEveryObjective_StepScalingDominates()
    {
        var verdict = RaceVerdict.Of(O(100, 1, 10), O(120, 5, 12));

        Assert.That(verdict.Dominant, Is.EqualTo(RaceSide.StepScaling));
        Assert.That(verdict.Lines.Select(l => l.Better), Is.All.EqualTo(RaceSide.StepScaling));
    }

    [Test]
    public void Of_TiedOnCostBetterOnService_TargetTrackingDominates()
    {
        var verdict = RaceVerdict.Of(O(1000, 5, 10), O(1001, 2, 10));

        Assert.That(verdict.Lines.Select(l => l.Better), Is.EqualTo(new[] { RaceSide.Tie, RaceSide.TargetTracking, RaceSide.Tie }));
        Assert.That(verdict.Dominant, Is.EqualTo(RaceSide.TargetTracking));
    }

    [Test]
    public void Of_EachBetterOnSomething_NeitherDominates()
    {
        var verdict = RaceVerdict.Of(O(100, 10, 10), O(120, 5, 10));

        Assert.That(verdict.Dominant, Is.Null);
        Assert.That(verdict.Lines.Select(l => l.Better), Is.EqualTo(new[] { RaceSide.StepScaling, RaceSide.TargetTracking, RaceSide.Tie }));
    }

    [Test]
    public void MinutesAbove_TunedTargetIsMeasuredAgainstTheStackTarget()
    {
        // 2 tasks at 60 % each: above a 50 % target, below the stack's 70 %.
        var policy = new TargetTrackingPolicy { TargetValue = 50, MinCapacity = 2, MaxCapacity = 2, Saturates = true };
        var trace = new DemandTrace { IntervalSeconds = 60, Demand = [.. Enumerable.Repeat(120.0, 30)] };

        Assert.That(TargetTrackingRace.MinutesAbove(policy, trace, [.. Enumerable.Repeat(2, 30)], 70), Is.Zero);
        Assert.That(TargetTrackingRace.MinutesAbove(policy, trace, [.. Enumerable.Repeat(2, 30)], 50), Is.EqualTo(30));
    }

    [Test]
    public void Grid_TargetValuesFromHalfTheTargetToTheHighestTimesEveryCooldown()
    {
        var stack = new TargetTrackingPolicy { TargetValue = 70, MinCapacity = 1, MaxCapacity = 4, Saturates = true };

        var grid = TargetTrackingRace.Grid(stack, 70, 80);

        Assert.That(grid.Select(p => p.TargetValue).Distinct(), Is.EqualTo(Enumerable.Range(35, 46).Select(v => (double)v)));
        Assert.That(grid, Has.Length.EqualTo(46 * TargetTrackingRace.ScaleInCooldowns.Length));
        Assert.That(grid.Select(p => p.ScaleInCooldown).Distinct(), Is.EqualTo(TargetTrackingRace.ScaleInCooldowns));
    }
}
