using CsCheck;
using StepScaling.Simulation;

namespace StepScaling.Tests;

/// <summary>The tuner's use of <see cref="SimulationRunner"/>: reused buffers and uncounted events change nothing but allocations.</summary>
public class SimulationRunnerReuseTests
{
    [Test]
    public void Run_WithReusedBuffersAndNoEvents_SameSummaryAsAFreshRun()
    {
        var prod = Repo.ProdSpec();
        var dev = Repo.DevSpec();
        var runner = new SimulationRunner();
        var quiet = new SimulationOptions { RecordTimeline = false, RecordEvents = false };

        // Alternate two specs (different window lengths) on random demand through one runner.
        Gen.Double[0, 600].Array[30, 300].Sample(demand =>
        {
            var trace = new DemandTrace { IntervalSeconds = 60, Demand = demand };
            return new[] { prod, dev }.All(spec =>
            {
                var fresh = Simulator.Run(spec, trace);
                var reused = runner.Run(spec, trace, quiet);
                return reused.Summary == fresh.Summary && reused.Events.IsEmpty && fresh.Summary.ScaleActions == fresh.Events.Length;
            });
        }, iter: 300, threads: 1); // one runner: one thread
    }

    [Test]
    public void Run_StepScalingAndTargetTrackingOnOneRunner_SameResultsAsFreshRuns()
    {
        var prod = Repo.ProdSpec();
        var runner = new SimulationRunner();
        var quiet = new SimulationOptions { RecordTimeline = false, RecordEvents = false };

        // The runner's streams, alarms and rings serve both rules in turn: nothing of one run may leak into the next.
        Gen.Select(Gen.Double[0, 900].Array[30, 300], Gen.Enum<TargetTrackingScaleIn>(), Gen.Double[40, 80]).Sample((demand, model, target) =>
        {
            var trace = new DemandTrace { IntervalSeconds = 60, Demand = demand };
            var policy = TargetTrackingPolicy.For(prod, target)! with { ScaleInModel = model };
            var tracking = runner.Run(policy, trace, quiet);
            var step = runner.Run(prod, trace, quiet);
            return tracking.Summary == TargetTrackingSimulator.Run(policy, trace).Summary && step.Summary == Simulator.Run(prod, trace).Summary;
        }, iter: 300, threads: 1);
    }
}
