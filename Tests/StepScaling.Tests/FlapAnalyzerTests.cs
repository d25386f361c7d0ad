using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Simulation;
using StepScaling.Validation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

public class FlapAnalyzerTests
{
    /// <summary>CPU ≥ 60 → +1 (ratio 1) and memory &lt; 40 → −1 (ratio 0.5): memory reads half of CPU, so a scale-out on CPU triggers a scale-in on memory.</summary>
    private static ScalingSpec CrossMetric() => Spec(
        1,
        4,
        Policy(Out(B(60, null, 1)), null, name: "cpu"),
        Policy(null, Bands("scaling.policies[1].scaleIn", B(null, 40, -1)), name: "memory", metric: Memory) with { LoadRatio = 0.5 });

    /// <summary>The spec with one policy's alarm threshold replaced, its steps kept relative to it.</summary>
    private static ScalingSpec WithThreshold(ScalingSpec spec, string policy, double threshold) => spec with
    {
        Policies = [.. spec.Policies.Select(p => p.Name == policy ? p with { Alarm = p.Alarm with { Threshold = threshold } } : p)],
    };

    [Test]
    public void Analyze_DevStack_ReportsTheLoopWithACounterExample()
    {
        var finding = FlapAnalyzer.Analyze(Repo.DevSpec()).Single();

        Assert.That(finding.Kind, Is.EqualTo(FlapKind.SameMetricLoop));
        Assert.That((finding.FirstPolicy, finding.SecondPolicy, finding.Path), Is.EqualTo(("memory-out", "memory-in", In0)));
        Assert.That((finding.Capacity, finding.Demand, finding.CapacityAfterFirst, finding.CapacityAfterSecond), Is.EqualTo((1, 11.0, 2, 1)));
        Assert.That(finding.Message, Does.Contain("at 1 task and 11 % MemoryUtilization").And.Contain("2 tasks at 5.5 %").And.Contain("back to 1 task"));
        Assert.That(FlapAnalyzer.HasLoop(Repo.DevSpec()), Is.True);
    }

    [Test]
    public void Analyze_OvershootThatSettles_ReportedAsAReversalNotAnEndlessLoop()
    {
        // +4 from 2 tasks at 85 % lands at 28 %, under the scale-in's 40 %: it comes back down to 5 tasks, not to 2.
        var plan = Plan("""
            scaling:
              minCapacity: 2
              maxCapacity: 20
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut: { cooldown: 120, bands: [{ from: 70, to: 85, change: 1 }, { from: 85, change: 4 }] }
                  scaleIn: { evaluationPeriods: 3, cooldown: 300, bands: [{ to: 40, change: -1 }] }
            """);

        var finding = plan.FlapFindings.Single();

        Assert.That(finding.Endless, Is.False);
        Assert.That((finding.Capacity, finding.CapacityAfterFirst, finding.CapacityAfterSecond), Is.EqualTo((2, 6, 5)));
        Assert.That(finding.Describe(), Does.StartWith("scaling reversal: at 2 tasks and 85 % CPUUtilization").And.EndWith("reverses under steady demand: the first action overshoots and the second undoes part of it"));
        Assert.That(finding.Describe(), Does.Not.Contain("loops"));
    }

    [Test]
    public void Analyze_DevStack_AnEndlessLoopSaysSo()
    {
        var finding = FlapAnalyzer.Analyze(Repo.DevSpec()).Single();

        Assert.That(finding.Endless, Is.True);
        Assert.That(finding.Describe(), Does.StartWith("scaling loop: ").And.EndWith("loops about every 2 minutes"));
    }

    [Test]
    public void Analyze_ExactCapacityBandsThatUndoEachOther_LoopFoundAndReplayedByTheSimulator()
    {
        // At 6 tasks and 75 % the first band sets 3 tasks, where the metric reads 150 % and the second band sets 6.
        var plan = Plan("""
            scaling:
              minCapacity: 1
              maxCapacity: 6
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut: { adjustmentType: ExactCapacity, bands: [{ from: 70, to: 85, change: 3 }, { from: 85, change: 6 }] }
                  scaleIn: { bands: [{ to: 20, change: -1 }] }
            """);

        // Two findings: the +5 overshoot from 1 task that cpu-in partly undoes, and cpu-out undoing itself.
        var finding = plan.FlapFindings.Single(f => f.FirstPolicy == f.SecondPolicy);
        var run = Simulator.Run(plan.Scaling!, Constant(450, 6), Instant(6));

        Assert.That(plan.FlapFindings, Has.Length.EqualTo(2));
        Assert.That((finding.FirstPolicy, finding.Endless), Is.EqualTo(("cpu-out", true)));
        Assert.That(finding.Message, Does.EndWith("then loops between 6 tasks and 3 tasks about every 2 minutes"));
        Assert.That(finding.Suggestion, Does.StartWith("cpu-out sets capacities with ExactCapacity"));
        Assert.That(Timeline(run).Select(e => e.To), Is.EqualTo(new[] { 3, 6, 3, 6, 3, 6 }), "AWS sets exactly the band's capacity, even below the current one");
    }

    [Test]
    public void Analyze_ProdStack_NoFindings()
    {
        Assert.That(FlapAnalyzer.Analyze(Repo.ProdSpec()), Is.Empty);
        Assert.That(FlapAnalyzer.HasLoop(Repo.ProdSpec()), Is.False);
    }

    [Test]
    public void Analyze_ProperNoChangeBand_NoFindings()
    {
        // ≥ 70 → +1 and < 30 → −1: one more task keeps the metric above 35, one fewer keeps it below 60.
        var spec = Spec(Definition(1, 10, Policy(Out(B(70, null, 1)), In(B(null, 30, -1)))));

        Assert.That(FlapAnalyzer.Analyze(spec), Is.Empty);
        Assert.That(FlapAnalyzer.HasLoop(spec), Is.False);
    }

    [Test]
    public void Analyze_NoPolicies_NoFindings()
    {
        var spec = Spec(Definition(1, 4));

        Assert.That(FlapAnalyzer.Analyze(spec), Is.Empty);
        Assert.That(FlapAnalyzer.HasLoop(spec), Is.False);
    }

    [Test]
    public void Analyze_CrossMetricLoopWithLoadRatio_Found()
    {
        var finding = FlapAnalyzer.Analyze(CrossMetric()).Single();

        Assert.That(finding.Kind, Is.EqualTo(FlapKind.CrossMetricLoop));
        Assert.That((finding.FirstPolicy, finding.SecondPolicy, finding.Path), Is.EqualTo(("cpu-out", "memory-in", "scaling.policies[1].scaleIn")));
        Assert.That((finding.Capacity, finding.Demand, finding.CapacityAfterFirst, finding.CapacityAfterSecond), Is.EqualTo((1, 60.0, 2, 1)));
        Assert.That(finding.Message, Is.EqualTo("at 1 task with CPUUtilization 60 % and MemoryUtilization 30 %, cpu-out adds 1 → 2 tasks, where MemoryUtilization reads 15 % (< 40 %) and CPUUtilization 30 % no longer holds it → memory-in removes 1 → back to 1 task: loops about every 2 minutes (metrics related by loadRatio 1 : 0.5)"));
        Assert.That(finding.Describe(), Does.StartWith("scaling loop across metrics: at 1 task"));
    }

    [Test]
    public void Analyze_SameMetricWithADifferentRatio_IsACrossMetricLoop()
    {
        var spec = CrossMetric();
        var sameMetric = spec with { Policies = [.. spec.Policies.Select(p => p with { Metric = Cpu })] };

        Assert.That(FlapAnalyzer.Analyze(sameMetric).Single().Kind, Is.EqualTo(FlapKind.CrossMetricLoop));
    }

    [Test]
    public void Analyze_CrossMetricWithAGap_NoFindings()
    {
        // Memory at half of CPU: after a CPU scale-out memory reads at least 60 × 1 / 2 ÷ 2 = 15; a scale-in below 10 never follows.
        var spec = WithThreshold(CrossMetric(), "memory-in", 10);

        Assert.That(FlapAnalyzer.HasLoop(spec), Is.False);
    }

    [Test]
    public void SuggestedThreshold_AppliedToTheDevStack_RemovesTheLoop()
    {
        var spec = Repo.DevSpec();
        var finding = FlapAnalyzer.Analyze(spec).Single();

        Assert.That(finding.SuggestedScaleInThreshold, Is.EqualTo(5));
        Assert.That(FlapAnalyzer.HasLoop(WithThreshold(spec, "memory-in", finding.SuggestedScaleInThreshold!.Value)), Is.False);
        Assert.That(FlapAnalyzer.HasLoop(WithThreshold(spec, "memory-in", 5.5)), Is.True, "the suggestion is the highest readable threshold that works");
    }

    [Test]
    public void SuggestedThreshold_AppliedToTheCrossMetricLoop_RemovesTheLoop()
    {
        var spec = CrossMetric();
        var finding = FlapAnalyzer.Analyze(spec).Single();

        Assert.That(finding.SuggestedScaleInThreshold, Is.Not.Null);
        Assert.That(finding.SuggestedScaleInThreshold, Is.LessThan(40));
        Assert.That(FlapAnalyzer.HasLoop(WithThreshold(spec, "memory-in", finding.SuggestedScaleInThreshold!.Value)), Is.False);
        Assert.That(finding.Suggestion, Does.StartWith($"lower memory-in's threshold from 40 % to {Num.Format(finding.SuggestedScaleInThreshold.Value)} % or less"));
    }

    [Test]
    public void SuggestedThreshold_AppliedToTheDevStackFile_CheckPassesWithoutFindings()
    {
        var fixedStack = File.ReadAllText(Repo.DevStack).Replace(
            "comparisonOperator: LessThanOrEqualToThreshold\n            threshold: 10",
            "comparisonOperator: LessThanOrEqualToThreshold\n            threshold: 5",
            StringComparison.Ordinal);
        Assert.That(fixedStack, Does.Contain("threshold: 5"), "the dev stack's layout changed");

        var plan = Planning.StackPlanner.Plan(ParseStack(fixedStack, "Pulumi.dev.yaml"));

        Assert.That(plan.FlapFindings, Is.Empty);
        Assert.That(ExceptHttpOnly(plan.Diagnostics), Is.Empty);
    }

    [Test]
    public void ToDiagnostic_ErrorMode_ErrorWithTheFix()
    {
        var finding = FlapAnalyzer.Analyze(Repo.DevSpec()).Single();

        var error = finding.ToDiagnostic(FlapCheckMode.Error);
        var warning = finding.ToDiagnostic(FlapCheckMode.Warn);

        Assert.That((error.Severity, error.Path), Is.EqualTo((Severity.Error, In0)));
        Assert.That(error.Message, Is.EqualTo($"scaling loop: {finding.Message}. Fix: {finding.Suggestion}"));
        Assert.That(warning.Severity, Is.EqualTo(Severity.Warning));
    }

    [Test]
    public void Analyze_ShadowedCopyOfALoopingPair_OneFindingForThePairThatActs()
    {
        // A CPU copy of the seed pair (same demand, ratio 1) fires together with the memory pair. Ties go to the first
        // policy declared, so only the memory pair ever decides: the loop is one loop, reported once.
        var seed = Repo.DevSpec();
        var cpu = seed.Policies.Select(p => p with { Name = p.Name.Replace("memory", "cpu", StringComparison.Ordinal), SourceName = "cpu", Metric = Cpu });
        var spec = seed with { Policies = [.. seed.Policies, .. cpu] };

        var pairs = FlapAnalyzer.Analyze(spec).Select(f => string.Join("+", new[] { f.FirstPolicy, f.SecondPolicy }.Order(StringComparer.Ordinal))).ToList();

        Assert.That(pairs, Is.EqualTo(new[] { "memory-in+memory-out" }));
    }

    [Test]
    public void Decide_ScaleOutAndScaleInBothFire_LargestCapacityWins()
    {
        var spec = Spec(1, 4, Policy(Out(B(20, null, 1)), null, name: "a"), Policy(null, Bands("scaling.policies[1].scaleIn", B(null, 50, -1)), name: "b"));

        Assert.That(FlapAnalyzer.Decide(spec, 2, 60) is (3, { Name: "a-out" }), Is.True);
    }

    [Test]
    public void Decide_ScaleOutAtMaxAndScaleInBothFire_CapacityHolds()
    {
        var spec = Spec(1, 4, Policy(Out(B(20, null, 1)), null, name: "a"), Policy(null, Bands("scaling.policies[1].scaleIn", B(null, 50, -1)), name: "b"));

        Assert.That(FlapAnalyzer.Decide(spec, 4, 120), Is.EqualTo((4, (StepPolicy?)null)));
    }

    [Test]
    public void Decide_InsideTheNoChangeBand_NoAction()
    {
        // ≥ 70 → +1 and < 30 → −1: 50 % per task is in the no-change band.
        var spec = Spec(Definition(1, 10, Policy(Out(B(70, null, 1)), In(B(null, 30, -1)))));

        Assert.That(FlapAnalyzer.Decide(spec, 2, 100), Is.EqualTo((2, (StepPolicy?)null)));
    }

    [Test]
    public void Decide_SeedAtTwoTasksAndTenPercent_ScalesIn()
    {
        // The seed has no no-change band: 20 over 2 tasks is 10 %, and ≤ 10 % removes a task.
        Assert.That(FlapAnalyzer.Decide(Repo.DevSpec(), 2, 20) is (1, { Name: "memory-in" }), Is.True);
    }

    [Test]
    public void Decide_ScaleInAtMinCapacity_NoAction()
    {
        Assert.That(FlapAnalyzer.Decide(Repo.DevSpec(), 1, 5), Is.EqualTo((1, (StepPolicy?)null)));
    }

    [Test]
    public void Decide_PerTaskMetricWithNoTasks_NoAction()
    {
        var spec = Spec(0, 4, Policy(Out(B(20, null, 1)), null));

        Assert.That(FlapAnalyzer.Decide(spec, 0, 100), Is.EqualTo((0, (StepPolicy?)null)));
    }

    [TestCase(10.0, 12.0, 11.0)]
    [TestCase(10.0, 10.5, 10.1)]
    [TestCase(0.0, double.PositiveInfinity, 1.0)]
    [TestCase(2.5, double.PositiveInfinity, 3.0)]
    [TestCase(1.0, 1.01, 1.001)]
    public void Nice_Interval_RoundestNumberStrictlyInside(double lo, double hi, double expected)
    {
        Assert.That(FlapAnalyzer.Nice(lo, hi), Is.EqualTo(expected));
    }

    [Test]
    public void Analyze_DevFinding_ReplaysInTheSimulator()
    {
        var spec = Repo.DevSpec();
        var finding = FlapAnalyzer.Analyze(spec).Single();

        var result = Simulator.Run(spec, Constant(finding.Demand, 3), Instant(finding.Capacity));

        Assert.That(Timeline(result).Take(2), Is.EqualTo(new[] { (0, finding.Capacity, finding.CapacityAfterFirst), (60, finding.CapacityAfterFirst, finding.CapacityAfterSecond) }));
    }
}
