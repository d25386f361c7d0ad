using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Analysis;
using StepScaling.Simulation;

namespace StepScaling.Tests;

public class Smoke
{
    [Test]
    public void Explore()
    {
        var o = TestContext.Out;
        o.WriteLine(Num.Format(1e15));
        double f = 0.1 + 0.2, t = 0.1;
        o.WriteLine($"{Num.Format(Num.Add(t, Num.Sub(f, t)))} vs {Num.Format(f)}");
        o.WriteLine($"{Num.Format(Num.Add(1.0/3, Num.Sub(123.456789012345678, 1.0/3)))}");
        var bands = ImmutableArray.Create(new Band(0.1, 0.3, 1), new Band(0.3, null, 2));
        var rel = Steps.ToRelative(bands, ScalingSide.ScaleOut);
        o.WriteLine(Steps.Find(rel.StepAdjustments, rel.ComparisonOperator, rel.Threshold, 0.3));
        // same metric, two config policies: out >= 20, in < 50, max 2
        var def = new ScalingDefinition { MinCapacity = 1, MaxCapacity = 2, Policies = [
            new PolicyDefinition { Name = "a", Metric = new EcsServiceMetric("CPUUtilization"), ScaleOut = new SideDefinition { Path = "a", Steps = new BandSteps([new Band(20, null, 1)]) } },
            new PolicyDefinition { Name = "b", Metric = new EcsServiceMetric("CPUUtilization"), ScaleIn = new SideDefinition { Path = "b", Steps = new BandSteps([new Band(null, 50, -1)]) } },
        ]};
        var r = ScalingNormalizer.Normalize(def);
        foreach (var d in r.Diagnostics) o.WriteLine(d);
        var spec = r.GetSpecOrThrow();
        o.WriteLine($"HasLoop {FlapAnalyzer.HasLoop(spec)}");
        var sim = Simulator.Run(spec, new DemandTrace { IntervalSeconds = 60, Demand = Enumerable.Repeat(60.0, 6).ToArray() }, new SimulationOptions { StartupDelaySeconds = 0, InitialCapacity = 2 });
        foreach (var e in sim.Events) o.WriteLine(e);
        Assert.Pass();
    }
}
