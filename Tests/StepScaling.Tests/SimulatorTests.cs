using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Simulation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>
/// Timelines computed by hand. Unless a test says otherwise: one sample a minute, period 60 (one datapoint a
/// sample), new tasks serve at once, and the metric is a CloudWatch metric that capacity does not change
/// (so each sample's value is exactly the trace's).
/// </summary>
public class SimulatorTests
{
    private const double Nan = double.NaN;

    private static CloudWatchMetric Signal(string name = "signal") => new CloudWatchMetric("Custom/Test", name, ImmutableSortedDictionary<string, string>.Empty, null);

    /// <summary>A policy on an independent signal: ≥ 50 → +1, and optionally &lt; 20 → −1.</summary>
    private static PolicyDefinition SignalPolicy(Func<SideDefinition, SideDefinition>? scaleOut = null, Func<SideDefinition, SideDefinition>? scaleIn = null, string name = "sig")
    {
        var outSide = Bands($"{name}.scaleOut", B(50, null, 1)) with { Cooldown = 0 };
        var inSide = Bands($"{name}.scaleIn", B(null, 20, -1)) with { Cooldown = 0 };
        return Policy(scaleOut is null ? outSide : scaleOut(outSide), scaleIn is null ? null : scaleIn(inSide), name: name, metric: Signal(name));
    }

    private static SimulationResult Run(ScalingSpec spec, DemandTrace trace, int? initial = null) => Simulator.Run(spec, trace, Instant(initial));

    // ---- The seed ----

    [Test]
    public void Run_SeedUnderSteadyDemand_LoopsOutThenInEveryTwoMinutes()
    {
        // 15 % of one task: 1 task reads 15 > 10 → +1; 2 tasks read 7.5 ≤ 10 → −1; and again.
        var result = Run(Repo.DevSpec(), Constant(15, 6));

        Assert.That(Timeline(result), Is.EqualTo(new[] { (0, 1, 2), (60, 2, 1), (120, 1, 2), (180, 2, 1), (240, 1, 2), (300, 2, 1) }));
        Assert.That(result.Events.Select(e => e.Policy), Is.EqualTo(new[] { "memory-out", "memory-in", "memory-out", "memory-in", "memory-out", "memory-in" }));
        Assert.That(result.Summary.Flaps, Is.EqualTo(5));
        Assert.That(result.Capacity, Is.EqualTo(new[] { 2, 1, 2, 1, 2, 1 }));
    }

    [Test]
    public void Run_SeedWithDefaultStartupDelay_StillLoops()
    {
        var result = Simulator.Run(Repo.DevSpec(), Constant(15, 4));

        Assert.That(Timeline(result), Is.EqualTo(new[] { (0, 1, 2), (60, 2, 1), (120, 1, 2), (180, 2, 1) }));
    }

    [Test]
    public void Run_SeedEventReason_NamesMetricStatisticAndAction()
    {
        var result = Run(Repo.DevSpec(), Constant(15, 2));

        Assert.That(result.Events[0].Reason, Is.EqualTo("MemoryUtilization 15 % (Average) > 10 %: memory-out adds 1 → 2 tasks"));
        Assert.That(result.Events[1].Reason, Is.EqualTo("MemoryUtilization 7.5 % (Average) ≤ 10 %: memory-in removes 1 → 1 task"));
    }

    [Test]
    public void Run_SeedSummary_TaskMinutesOracleAndTarget()
    {
        var result = Run(Repo.DevSpec(), Constant(15, 6));

        // Capacity 2,1,2,1,2,1 → 9 task-minutes; the oracle runs ceil(15 / 10) = 2 tasks throughout → 12.
        // Above the 10 % target while one task carries 15 %: the three minutes at capacity 1.
        Assert.That(result.Summary, Is.EqualTo(new SimulationSummary
        {
            TaskMinutes = 9,
            MinutesAboveTarget = 3,
            TargetUtilization = 10,
            ScaleActions = 6,
            Flaps = 5,
            OracleTaskMinutes = 12,
            TaskMinutesVsOracle = 0.75,
            NoStepFound = 0,
            UnservedTaskMinutes = 0,
        }));
    }

    // ---- Alarm evaluation ----

    [Test]
    public void Run_AlarmStaysInAlarm_ActionRunsAgainEveryPeriodUntilMax()
    {
        var spec = Spec(1, 5, SignalPolicy());

        Assert.That(Timeline(Run(spec, Constant(60, 7))), Is.EqualTo(new[] { (0, 1, 2), (60, 2, 3), (120, 3, 4), (180, 4, 5) }));
    }

    [Test]
    public void Run_TwoOfThreeDatapoints_FiresOnlyOnTheSecondBreach()
    {
        var spec = Spec(1, 10, SignalPolicy(s => s with { EvaluationPeriods = 3, DatapointsToAlarm = 2 }));

        // [60] OK; [60,40] OK; [60,40,60] ALARM (average 53.3 → +1); [40,40,60] OK; [40,60,40]... stays below 2 of 3.
        var result = Run(spec, Trace(60, 40, 60, 40, 40, 60, 40));

        Assert.That(Timeline(result), Is.EqualTo(new[] { (120, 1, 2) }));
    }

    [Test]
    public void Run_OneOfOneDatapoint_FiresOnEveryBreach()
    {
        var spec = Spec(1, 10, SignalPolicy());

        Assert.That(Timeline(Run(spec, Trace(60, 40, 60, 40))), Is.EqualTo(new[] { (0, 1, 2), (120, 2, 3) }));
    }

    [TestCase(TreatMissingData.Missing, new int[0], Description = "1 of 2 real datapoints: not enough to alarm")]
    [TestCase(TreatMissingData.Ignore, new int[0])]
    [TestCase(TreatMissingData.NotBreaching, new int[0])]
    [TestCase(TreatMissingData.Breaching, new[] { 60 }, Description = "the gap completes 2 of 2; the step comes from the real datapoint")]
    public void Run_TreatMissingData_TwoOfTwoWithAGap_OnlyBreachingFires(TreatMissingData treat, int[] eventSeconds)
    {
        var spec = Spec(1, 10, SignalPolicy(s => s with { EvaluationPeriods = 2, TreatMissingData = treat }));

        var result = Run(spec, Trace(60, Nan));

        Assert.That(result.Events.Select(e => e.Seconds), Is.EqualTo(eventSeconds));
        Assert.That(result.Summary.NoStepFound, Is.Zero);
    }

    [TestCase(TreatMissingData.Missing, 0, Description = "no data: INSUFFICIENT_DATA, no action")]
    [TestCase(TreatMissingData.Ignore, 1, Description = "keeps ALARM and acts again, with no datapoint to find a step for")]
    [TestCase(TreatMissingData.Breaching, 1, Description = "ALARM with no datapoint to find a step for")]
    [TestCase(TreatMissingData.NotBreaching, 0, Description = "OK")]
    public void Run_TreatMissingData_AlarmThenAGap(TreatMissingData treat, int noStepFound)
    {
        var spec = Spec(1, 10, SignalPolicy(s => s with { TreatMissingData = treat }));

        var result = Run(spec, Trace(60, Nan, 60));

        Assert.That(result.Events.Select(e => e.Seconds), Is.EqualTo(new[] { 0, 120 }));
        Assert.That(result.Summary.NoStepFound, Is.EqualTo(noStepFound));
    }

    [TestCase(TreatMissingData.Missing, 0)]
    [TestCase(TreatMissingData.Ignore, 0, Description = "keeps OK")]
    [TestCase(TreatMissingData.Breaching, 1, Description = "turns to ALARM")]
    [TestCase(TreatMissingData.NotBreaching, 0)]
    public void Run_TreatMissingData_OkThenAGap(TreatMissingData treat, int noStepFound)
    {
        var spec = Spec(1, 10, SignalPolicy(s => s with { TreatMissingData = treat }));

        var result = Run(spec, Trace(40, Nan));

        Assert.That(result.Events, Is.Empty);
        Assert.That(result.Summary.NoStepFound, Is.EqualTo(noStepFound));
    }

    [TestCase("Average", false)]
    [TestCase("Minimum", false)]
    [TestCase("Maximum", true)]
    [TestCase("Sum", true)]
    public void Run_SamplesWithinAPeriod_AggregatedByTheStatistic(string statistic, bool fires)
    {
        var spec = Spec(1, 10, SignalPolicy() with { Statistic = statistic });
        var trace = new DemandTrace { IntervalSeconds = 20, Demand = [10, 90, 20] };

        // One 60 s period of three 20 s samples: average 40, minimum 10, maximum 90, sum 120; it closes at 40 s.
        Assert.That(Timeline(Simulator.Run(spec, trace, Instant())), Is.EqualTo(fires ? new[] { (40, 1, 2) } : []));
    }

    [Test]
    public void Run_Percentile_TakesTheNearestRankSample()
    {
        var spec = Spec(1, 10, SignalPolicy() with { ExtendedStatistic = "p50" });
        var trace = new DemandTrace { IntervalSeconds = 10, Demand = [10, 90, 90, 20, 80, 5] };

        // Sorted 5, 10, 20, 80, 90, 90: the 50th percentile is the 3rd value, 20 — below 50.
        Assert.That(Simulator.Run(spec, trace, Instant()).Events, Is.Empty);
        Assert.That(Simulator.Run(spec, trace with { Demand = [10, 90, 90, 60, 80, 5] }, Instant()).Events.Single().Seconds, Is.EqualTo(50));
    }

    // ---- Step lookup ----

    [TestCase(20.0, 3, Description = "diff 10 is the inclusive lower bound of [10, 25): +2")]
    [TestCase(19.99, 2, Description = "diff 9.99 is in [0, 10): +1")]
    [TestCase(35.0, 4, Description = "diff 25 starts [25, +inf): +3")]
    [TestCase(10.0, 1, Description = "10 is not > 10: no alarm")]
    [TestCase(10.01, 2)]
    public void Run_SeedStepLookupAboveTheThreshold_LowerBoundInclusive(double demand, int capacityAfter)
    {
        var result = Run(Repo.DevSpec(), Constant(demand, 1));

        Assert.That(result.Capacity, Is.EqualTo(new[] { capacityAfter }));
    }

    [TestCase(80.0, 2, Description = "20 per task: diff −10 is the inclusive upper bound of (−inf, −10]: −2")]
    [TestCase(80.4, 3, Description = "20.1 per task: diff −9.9 is in (−10, 0]: −1")]
    [TestCase(120.0, 4, Description = "30 per task is not < 30: no alarm")]
    public void Run_StepLookupBelowTheThreshold_UpperBoundInclusive(double demand, int capacityAfter)
    {
        var spec = Spec(1, 4, Policy(null, In(B(null, 20, -2), B(20, 30, -1))));

        Assert.That(Run(spec, Constant(demand, 1), initial: 4).Capacity, Is.EqualTo(new[] { capacityAfter }));
    }

    // ---- Adjustment types ----

    [TestCase(3, 50, null, 4, Description = "+1.5 → +1")]
    [TestCase(3, 10, null, 4, Description = "+0.3 → +1")]
    [TestCase(3, 10, 2, 5, Description = "+0.3 → +1, raised to +2")]
    [TestCase(8, 50, 2, 10, Description = "+4, clamped at max 10")]
    public void Run_PercentChangeInCapacity_RoundedAndRaised(int initial, int percent, int? minMagnitude, int expected)
    {
        var spec = Spec(1, 10, SignalPolicy(s => s with
        {
            Steps = new BandSteps([B(50, null, percent)]),
            AdjustmentType = AdjustmentType.PercentChangeInCapacity,
            MinAdjustmentMagnitude = minMagnitude,
        }));

        Assert.That(Run(spec, Constant(60, 1), initial).Capacity, Is.EqualTo(new[] { expected }));
    }

    [TestCase(3, -50, 2, Description = "-1.5 → -1")]
    [TestCase(10, -25, 8, Description = "-2.5 → -2")]
    public void Run_PercentScaleIn_RoundedTowardsZero(int initial, int percent, int expected)
    {
        var spec = Spec(1, 10, SignalPolicy(scaleIn: s => s with { Steps = new BandSteps([B(null, 20, percent)]), AdjustmentType = AdjustmentType.PercentChangeInCapacity }));

        Assert.That(Run(spec, Constant(10, 1), initial).Capacity, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Run_ExactCapacity_SetsTheCapacity()
    {
        var spec = Spec(1, 10, SignalPolicy(
            s => s with { Steps = new BandSteps([B(50, 80, 4), B(80, null, 8)]), AdjustmentType = AdjustmentType.ExactCapacity },
            s => s with { Steps = new BandSteps([B(null, 20, 1)]), AdjustmentType = AdjustmentType.ExactCapacity }));

        Assert.That(Timeline(Run(spec, Trace(60, 60, 90, 30, 10), initial: 2)), Is.EqualTo(new[] { (0, 2, 4), (120, 4, 8), (240, 8, 1) }));
    }

    // ---- Cooldowns ----

    [TestCase(CooldownRestart.Never, 300, Description = "the clock runs from the +1 at 0 s")]
    [TestCase(CooldownRestart.LargerScaleOut, 360, Description = "the larger +3 at 60 s restarts the clock")]
    public void Run_ScaleOutDuringItsCooldown_CountsCapacityAlreadyAdded(CooldownRestart restart, int cooldownEnds)
    {
        var spec = Spec(1, 10, SignalPolicy(s => s with { Steps = new BandSteps([B(50, 80, 1), B(80, null, 3)]), Cooldown = 300 }));

        // 0 s: +1 (1 → 2). 60 s: +3 from the cooldown's base of 1 is 4, so only 2 more. Then 4 is already there
        // until the cooldown is over; then +3 from 4.
        var result = Simulator.Run(spec, Trace(60, 90, 90, 90, 90, 90, 90), Instant() with { CooldownRestart = restart });

        Assert.That(Timeline(result), Is.EqualTo(new[] { (0, 1, 2), (60, 2, 4), (cooldownEnds, 4, 7) }));
    }

    [TestCase(CooldownRestart.Never, 300)]
    [TestCase(CooldownRestart.LargerScaleOut, 420)]
    public void Run_LargerScaleOutAfterAScaleInInsideTheCooldown_CooldownEndsPerTheReading(CooldownRestart restart, int cooldownEnds)
    {
        // 0 s: 75 % → +1 (2 → 3). 60 s: 20 % → −1 (3 → 2). 120 s: 450 on 2 tasks (saturated) asks +3 from the
        // base of 2: 5 is larger than 3, so 2 → 5. At 5 tasks 90 % asks +3 from 2 again: 5, not larger, so it waits
        // for the cooldown to end: 300 s (from 0 s) or 420 s (from the larger scale-out at 120 s). Then 5 → 8 at 56 %.
        var trace = Trace([150, 60, .. Enumerable.Repeat(450.0, 7)]);

        var result = Simulator.Run(CpuWithLongCooldowns(), trace, Instant(2) with { CooldownRestart = restart });

        Assert.That(Timeline(result), Is.EqualTo(new[] { (0, 2, 3), (60, 3, 2), (120, 2, 5), (cooldownEnds, 5, 8) }));
    }

    [Test]
    public void SimulationOptions_Default_ALargerScaleOutRestartsTheClock()
    {
        Assert.That(new SimulationOptions().CooldownRestart, Is.EqualTo(CooldownRestart.LargerScaleOut));
    }

    /// <summary>The CPU policy: 70–85 % → +1, ≥ 85 % → +3, &lt; 30 % → −1, both cooldowns 300 s, 2 to 10 tasks.</summary>
    private static ScalingSpec CpuWithLongCooldowns() =>
        Spec(2, 10, Policy(Out(B(70, 85, 1), B(85, null, 3)) with { Cooldown = 300 }, In(B(null, 30, -1)) with { Cooldown = 300 }));

    [Test]
    public void Run_ScaleInInsideAScaleOutCooldown_SameSizeScaleOutWaitsForTheCooldownToEnd()
    {
        // 0 s: 150 on 2 tasks is 75 % → +1 (2 → 3), the cooldown runs to 300 s. 60 s: 60 on 3 tasks is 20 % → −1 (3 → 2).
        // 120–240 s: 75 % again asks for +1 from the cooldown's base of 2, which is 3: not larger than the 3 the
        // cooldown already reached, so nothing ("won't increase the desired capacity again unless either a larger
        // scale out is triggered or the cooldown period ends"). 300 s: the cooldown is over: 2 → 3; then 50 %.
        var result = Run(CpuWithLongCooldowns(), Trace(150, 60, 150, 150, 150, 150, 150, 150), initial: 2);

        Assert.That(Timeline(result), Is.EqualTo(new[] { (0, 2, 3), (60, 3, 2), (300, 2, 3) }));
    }

    [Test]
    public void Run_ScaleInInsideAScaleOutCooldown_LargerScaleOutActsAtOnce()
    {
        // As above, but 270 on 2 tasks (135 %) asks for +3 from the base of 2: 5 is larger than 3, so it acts at 120 s.
        var result = Run(CpuWithLongCooldowns(), Trace(150, 60, 270, 270, 270), initial: 2);

        Assert.That(Timeline(result), Is.EqualTo(new[] { (0, 2, 3), (60, 3, 2), (120, 2, 5) }));
    }

    [Test]
    public void Run_ScaleOutCooldown_SmallerStepWaits()
    {
        var spec = Spec(1, 10, SignalPolicy(s => s with { Cooldown = 120 }));

        Assert.That(Timeline(Run(spec, Constant(60, 6))), Is.EqualTo(new[] { (0, 1, 2), (120, 2, 3), (240, 3, 4) }));
    }

    [Test]
    public void Run_ScaleInDuringItsCooldown_Blocked()
    {
        var spec = Spec(1, 10, SignalPolicy(scaleIn: s => s with { Cooldown = 180 }));

        Assert.That(Timeline(Run(spec, Constant(10, 7), initial: 5)), Is.EqualTo(new[] { (0, 5, 4), (180, 4, 3), (360, 3, 2) }));
    }

    [Test]
    public void Run_ScaleOutDuringAScaleInCooldown_EndsTheCooldown()
    {
        var spec = Spec(1, 10, SignalPolicy(scaleIn: s => s with { Cooldown = 600 }));

        Assert.That(Timeline(Run(spec, Trace(10, 60, 10, 10), initial: 3)), Is.EqualTo(new[] { (0, 3, 2), (60, 2, 3), (120, 3, 2) }));
    }

    [Test]
    public void Run_ScaleInCooldownWithoutAScaleOut_StillBlocks()
    {
        var spec = Spec(1, 10, SignalPolicy(scaleIn: s => s with { Cooldown = 600 }));

        Assert.That(Timeline(Run(spec, Trace(10, 30, 10, 10), initial: 3)), Is.EqualTo(new[] { (0, 3, 2) }));
    }

    // ---- Several policies ----

    [Test]
    public void Run_TwoScaleOutsAtOnce_LargestCapacityWins()
    {
        var spec = Spec(1, 10, SignalPolicy(name: "a"), SignalPolicy(s => s with { Steps = new BandSteps([B(50, null, 3)]) }, name: "b"));
        var trace = Constant(60, 1) with { PolicyDemand = ImmutableDictionary<string, double[]>.Empty.Add("a", [60]).Add("b", [60]) };

        var result = Run(spec, trace);

        Assert.That(result.Events.Select(e => (e.From, e.To, e.Policy)), Is.EqualTo(new[] { (1, 4, "b-out") }));
    }

    [Test]
    public void Run_ScaleOutAndScaleInAtOnce_ScaleOutWins()
    {
        var spec = Spec(1, 10, SignalPolicy(name: "a"), SignalPolicy(scaleIn: s => s, name: "b") with { ScaleOut = null });
        var trace = Constant(0, 1) with { PolicyDemand = ImmutableDictionary<string, double[]>.Empty.Add("a", [60]).Add("b", [10]) };

        var result = Run(spec, trace, initial: 3);

        Assert.That(result.Events.Select(e => (e.From, e.To, e.Policy)), Is.EqualTo(new[] { (3, 4, "a-out") }));
    }

    [Test]
    public void Run_ScaleOutAtMaxAndScaleInAtOnce_ScaleOutHoldsTheCapacity()
    {
        // The largest capacity wins: the scale-out asks for max (where capacity already is), the scale-in for less.
        var spec = Spec(1, 4, SignalPolicy(name: "a"), SignalPolicy(scaleIn: s => s, name: "b") with { ScaleOut = null });
        var trace = Constant(0, 3) with { PolicyDemand = ImmutableDictionary<string, double[]>.Empty.Add("a", [60, 60, 60]).Add("b", [10, 10, 10]) };

        Assert.That(Run(spec, trace, initial: 4).Events, Is.Empty);
    }

    [Test]
    public void Run_PolicyDemandColumn_ReplacesTheSharedDemandForThatPolicyOnly()
    {
        var spec = Spec(1, 10, SignalPolicy(name: "a"), SignalPolicy(name: "b"));
        var trace = Constant(10, 1) with { PolicyDemand = ImmutableDictionary<string, double[]>.Empty.Add("b", [60]) };

        var result = Run(spec, trace);

        Assert.That(result.Events.Single().Policy, Is.EqualTo("b-out"));
        Assert.That(result.Metric.Select(m => m[0]), Is.EqualTo(new[] { 10.0, 60.0 }));
    }

    // ---- Saturation ----

    [Test]
    public void Run_CpuDemandAboveWhatTheTasksReserved_ReadsAtMost100AndCountsTheRestAsUnserved()
    {
        // 300 on 1 task would read 300 % and pick the ≥ 150 % band (+5); a Fargate task cannot pass 100 %, so each
        // minute reads 100 % and adds 1. Unserved: 3 tasks' worth minus 1, 2, 3 running = 2 + 1 + 0 task-minutes.
        var spec = Spec(1, 10, Policy(Out(B(70, 150, 1), B(150, null, 5)) with { Cooldown = 0 }, null));

        var result = Run(spec, Constant(300, 3), initial: 1);

        Assert.That(Timeline(result), Is.EqualTo(new[] { (0, 1, 2), (60, 2, 3), (120, 3, 4) }));
        Assert.That(result.Metric[0], Is.EqualTo(new[] { 100.0, 100, 100 }));
        Assert.That(result.Unserved, Is.EqualTo(new[] { 2.0, 1, 0 }));
        Assert.That(result.Summary.UnservedTaskMinutes, Is.EqualTo(3));
    }

    [Test]
    public void Run_CpuAndMemorySaturated_TheBindingMetricDecidesTheUnservedDemand()
    {
        // Held at 2 tasks, 300 needs 3 tasks of CPU and 4.5 of memory (loadRatio 1.5): 2.5 tasks' worth unserved a minute.
        var spec = Spec(2, 2, Policy(Out(B(70, null, 1)), null), Policy(Bands("memory.scaleOut", B(70, null, 1)), null, name: "memory", metric: Memory) with { LoadRatio = 1.5 });

        var result = Run(spec, Constant(300, 2), initial: 2);

        Assert.That(result.Metric, Has.All.EqualTo(new[] { 100.0, 100 }));
        Assert.That(result.Unserved, Is.EqualTo(new[] { 2.5, 2.5 }));
        Assert.That(result.Summary.UnservedTaskMinutes, Is.EqualTo(5));
    }

    [Test]
    public void Run_NoTaskRunning_AllTheDemandIsUnserved()
    {
        // minCapacity 0 at 0 tasks: nothing serves (and nothing publishes), so 150, 1.5 tasks' worth, is all unserved.
        var spec = Spec(0, 1, Policy(Out(B(70, null, 1)), null));

        var result = Run(spec, Constant(150, 3), initial: 0);

        Assert.That(result.Events, Is.Empty);
        Assert.That(result.Unserved, Is.EqualTo(new[] { 1.5, 1.5, 1.5 }));
        Assert.That(result.Summary.UnservedTaskMinutes, Is.EqualTo(4.5));
    }

    [Test]
    public void Run_MetricOtherThanEcsUtilization_NotCappedAndNoUnservedFigure()
    {
        var result = Run(Spec(1, 10, SignalPolicy()), Constant(300, 1));

        Assert.That(result.Metric[0], Is.EqualTo(new[] { 300.0 }));
        Assert.That(result.Unserved, Is.EqualTo(new[] { 0.0 }));
        Assert.That(result.Summary.UnservedTaskMinutes, Is.Null);
    }

    // ---- The oracle ----

    [Test]
    public void Run_MissingSamples_OracleKeepsServingTheLastKnownDemand()
    {
        // Target 50 %: 100 needs 2 tasks, 300 needs 6. The gaps after 100 count as 100 (2 tasks each), not as
        // minCapacity; before any sample the oracle knows nothing and runs minCapacity. 1 + 2 + 2 + 2 + 6 = 13.
        var spec = Spec(1, 10, Policy(Out(B(50, null, 1)), null));

        var result = Run(spec, Trace(Nan, 100, Nan, Nan, 300), initial: 1);

        Assert.That(result.Summary.TargetUtilization, Is.EqualTo(50));
        Assert.That(result.Summary.OracleTaskMinutes, Is.EqualTo(13));
    }

    // ---- Capacity limits and start-up ----

    [Test]
    public void Run_BigSteps_ClampedToMinAndMax()
    {
        var spec = Spec(2, 5, SignalPolicy(
            s => s with { Steps = new BandSteps([B(50, null, 10)]) },
            s => s with { Steps = new BandSteps([B(null, 20, -10)]) }));

        Assert.That(Timeline(Run(spec, Trace(60, 60, 10, 10), initial: 3)), Is.EqualTo(new[] { (0, 3, 5), (120, 5, 2) }));
    }

    [Test]
    public void Run_InitialCapacityOutsideLimits_Clamped()
    {
        var spec = Spec(2, 5, SignalPolicy());

        Assert.That(Run(spec, Constant(0, 1), initial: 9).Capacity, Is.EqualTo(new[] { 5 }));
        Assert.That(Run(spec, Constant(0, 1), initial: 0).Capacity, Is.EqualTo(new[] { 2 }));
        Assert.That(Run(spec, Constant(0, 1)).Capacity, Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void Run_StartupDelay_NewTasksTakeNoLoadUntilReady()
    {
        var spec = Spec(1, 4, Policy(Out(B(50, null, 1)) with { Cooldown = 0 }, null));

        // 90 on one task: +1 at 0 s. With a 120 s start-up, the new task is not serving at 60 s: one task still
        // reads 90, so another +1. With no delay, two tasks read 45 and nothing more happens.
        var delayed = Simulator.Run(spec, Constant(90, 4), new SimulationOptions { StartupDelaySeconds = 120 });
        var instant = Run(spec, Constant(90, 4));

        Assert.That(Timeline(delayed), Is.EqualTo(new[] { (0, 1, 2), (60, 2, 3) }));
        Assert.That(delayed.Running, Is.EqualTo(new[] { 1, 1, 2, 3 }));
        Assert.That(delayed.Capacity, Is.EqualTo(new[] { 2, 3, 3, 3 }));
        Assert.That(Timeline(instant), Is.EqualTo(new[] { (0, 1, 2) }));
        Assert.That(instant.Running, Is.EqualTo(new[] { 2, 2, 2, 2 }));
    }

    [Test]
    public void Run_ScaleInWhileTasksStart_StartingTasksGoFirst()
    {
        var spec = Spec(1, 10, SignalPolicy(scaleIn: s => s));
        var result = Simulator.Run(spec, Trace(60, 10), new SimulationOptions { StartupDelaySeconds = 300 });

        // 1 → 2 with the new task starting; then 2 → 1 removes the starting task, so one task runs throughout.
        Assert.That(Timeline(result), Is.EqualTo(new[] { (0, 1, 2), (60, 2, 1) }));
        Assert.That(result.Running, Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void Run_WithoutTimeline_SameEventsNoArrays()
    {
        var spec = Repo.DevSpec();
        var full = Run(spec, Constant(15, 6));
        var lean = Simulator.Run(spec, Constant(15, 6), Instant() with { RecordTimeline = false });

        Assert.That(lean.Events, Is.EqualTo(full.Events));
        Assert.That(lean.Summary, Is.EqualTo(full.Summary));
        Assert.That(lean.Capacity, Is.Empty);
        Assert.That(lean.Metric, Is.Empty);
    }

    [Test]
    public void Run_WithoutEvents_SameSummaryNoEvents()
    {
        var spec = Repo.DevSpec();
        var full = Run(spec, Constant(15, 6));
        var lean = Simulator.Run(spec, Constant(15, 6), Instant() with { RecordEvents = false, RecordTimeline = false });

        Assert.That(lean.Events, Is.Empty);
        Assert.That(lean.Summary, Is.EqualTo(full.Summary));
        Assert.That(lean.Summary.ScaleActions, Is.EqualTo(6), "actions and flaps are still counted");
    }

    [Test]
    public void SimulationRunner_LongerWindowThenShorter_StartsEachRunClean()
    {
        // 3-of-3 then 1-of-1 on one runner: the second run must not see the first run's breaching datapoints.
        var runner = new SimulationRunner();
        var threeOfThree = Spec(1, 10, SignalPolicy(s => s with { EvaluationPeriods = 3 }));
        var oneOfOne = Spec(1, 10, SignalPolicy());

        var first = runner.Run(threeOfThree, Constant(60, 3), Instant());
        var second = runner.Run(oneOfOne, Trace(40, 60), Instant());

        Assert.That(Timeline(first), Is.EqualTo(new[] { (120, 1, 2) }));
        Assert.That(Timeline(second), Is.EqualTo(new[] { (60, 1, 2) }));
        Assert.That(runner.Run(threeOfThree, Trace(60, 60, 40, 60), Instant()).Events, Is.Empty, "2 of the last 3, never 3 of 3");
    }

    [Test]
    public void SimulationRunner_EventsOffThenOn_EachRunKeepsOnlyWhatItAskedFor()
    {
        var runner = new SimulationRunner();
        var spec = Repo.DevSpec();

        var with = runner.Run(spec, Constant(15, 4), Instant());
        var without = runner.Run(spec, Constant(15, 4), Instant() with { RecordEvents = false });
        var again = runner.Run(spec, Constant(15, 2), Instant());

        Assert.That(Timeline(with), Is.EqualTo(new[] { (0, 1, 2), (60, 2, 1), (120, 1, 2), (180, 2, 1) }));
        Assert.That(without.Events, Is.Empty);
        Assert.That(Timeline(again), Is.EqualTo(new[] { (0, 1, 2), (60, 2, 1) }));
        Assert.That(Timeline(with), Has.Count.EqualTo(4), "a result keeps its events after the runner moves on");
    }

    /// <summary>ALB requests per target (a Sum): ≥ 1000 a minute → +1, &lt; 300 → −1.</summary>
    private static ScalingSpec Requests() =>
        Spec(1, 6, Policy(Out(B(1000, null, 1)), In(B(null, 300, -1)), name: "requests", metric: new AlbRequestCountPerTargetMetric(null)));

    [Test]
    public void Run_SumMetricHeldFromFiveMinuteSamples_CountsEachRequestOnce()
    {
        // 3000 requests per 5 minutes is 600 a minute: under 1000, so no scale-out, exactly as the per-minute trace.
        var coarse = new DemandTrace { IntervalSeconds = 300, Demand = [3000, 3000, 3000, 3000] };
        var perMinute = Constant(600, 20);

        var held = Simulator.Run(Requests(), coarse.HoldEach(60)!, Instant(2));
        var written = Simulator.Run(Requests(), perMinute, Instant(2));

        Assert.That(Timeline(held), Is.EqualTo(Timeline(written)));
        Assert.That(held.Metric[0].Take(5), Is.All.EqualTo(300), "600 a minute over 2 targets, each held minute carrying a fifth");
    }

    [Test]
    public void Run_SumMetricOnTenSecondSamples_MinutesAboveTargetUseThePerPeriodRate()
    {
        // 250 requests every 10 s is 1500 a minute across the service: 750 per target at 2 tasks, under 1000;
        // at 1 task, 1500 per target, above it for every minute.
        var result = Simulator.Run(Requests(), Constant(250, 30, interval: 10), Instant(1) with { InitialCapacity = 1 });

        Assert.That(result.Events.Select(e => (e.From, e.To)).First(), Is.EqualTo((1, 2)));
        Assert.That(result.Summary.MinutesAboveTarget, Is.GreaterThan(0));
        Assert.That(result.Summary.OracleTaskMinutes, Is.EqualTo(2 * 5.0).Within(1e-9), "the oracle runs the 2 tasks 1500 a minute needs");
    }

    [Test]
    public void Run_RequestCountWithNoRequests_NoDatapointSoTheDefaultScaleInWaits()
    {
        // The ALB publishes nothing for a target with no requests; scale-in treats missing data as notBreaching.
        var idle = Simulator.Run(Requests(), Constant(0, 10), Instant(4));
        var trickle = Simulator.Run(Requests(), Constant(4, 10), Instant(4));

        Assert.That(idle.Events, Is.Empty);
        Assert.That(idle.Metric[0], Is.All.EqualTo(0), "the per-task reading is 0; only the published datapoint is missing");
        Assert.That(Timeline(trickle).Select(e => e.To), Is.EqualTo(new[] { 3, 2, 1 }), "1 request a minute per target does publish, and scales in");
    }

    [Test]
    public void Run_PeriodNotAWholeNumberOfSamples_Throws()
    {
        // 45 s samples cannot make the seed's 60 s periods: the caller holds them at 15 s first.
        var trace = new DemandTrace { IntervalSeconds = 45, Demand = [10, 20, 30] };

        Assert.That(() => Simulator.Run(Repo.DevSpec(), trace), Throws.ArgumentException.With.Message.Contains("resample the trace to 15 s"));
    }

    [TestCase(300, 60)]
    [TestCase(45, 15)]
    [TestCase(60, 60)]
    [TestCase(10, 10)]
    public void ResolutionFor_SeedPeriods_GreatestCommonDivisor(int interval, int expected)
    {
        Assert.That(new DemandTrace { IntervalSeconds = interval, Demand = [1] }.ResolutionFor(Repo.DevSpec()), Is.EqualTo(expected));
    }

    [Test]
    public void HoldEach_FinerResolution_EachSampleHeldIncludingPolicyColumnsAndGaps()
    {
        var trace = new DemandTrace { IntervalSeconds = 300, Demand = [1, double.NaN], PolicyDemand = ImmutableDictionary<string, double[]>.Empty.Add("cpu", [5, 6]) };

        var held = trace.HoldEach(100)!;

        Assert.That(held.IntervalSeconds, Is.EqualTo(100));
        Assert.That(held.Demand, Is.EqualTo(new[] { 1, 1, 1, double.NaN, double.NaN, double.NaN }));
        Assert.That(held.PolicyDemand["cpu"], Is.EqualTo(new double[] { 5, 5, 5, 6, 6, 6 }));
        Assert.That(trace.HoldEach(300), Is.SameAs(trace));
    }

    [Test]
    public void HoldEach_TooManySamplesOrAnUnevenStep_NullOrThrows()
    {
        var trace = new DemandTrace { IntervalSeconds = 86_400, Demand = new double[40] };

        Assert.That(trace.HoldEach(1), Is.Null, "40 days at 1 s is more than DemandTrace.MaxSamples");
        Assert.That(() => trace.HoldEach(7), Throws.ArgumentException);
    }

    [Test]
    public void Run_NonPositiveInterval_Throws()
    {
        Assert.That(() => Simulator.Run(Repo.DevSpec(), new DemandTrace { IntervalSeconds = 0, Demand = [1] }), Throws.ArgumentException);
    }

    [Test]
    public void Run_SampleTraceThroughProd_StaysWithinLimitsAndDoesNotFlap()
    {
        var result = Simulator.Run(Repo.ProdSpec(), SampleTraces.Generate("diurnal"));

        Assert.That(result.Capacity, Has.All.InRange(2, 12));
        Assert.That(result.Summary.ScaleActions, Is.GreaterThan(0));
        Assert.That(result.Summary.Flaps, Is.Zero);
    }
}
