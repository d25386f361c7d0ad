using CsCheck;
using StepScaling.Simulation;

namespace StepScaling.Tests;

/// <summary>Reused buffers and uncounted events change nothing but allocations.</summary>
public class SimulationBuffersTests
{
    [Test]
    public void Run_WithReusedBuffersAndNoEvents_SameSummaryAsAFreshRun()
    {
        var prod = Repo.ProdSpec();
        var dev = Repo.DevSpec();
        var buffers = new SimulationBuffers();
        var quiet = new SimulationOptions { RecordTimeline = false, RecordEvents = false };

        // Alternate two specs (different window lengths) on random demand through one set of buffers.
        Gen.Double[0, 600].Array[30, 300].Sample(demand =>
        {
            var trace = new DemandTrace { IntervalSeconds = 60, Demand = demand };
            return new[] { prod, dev }.All(spec =>
            {
                var fresh = Simulator.Run(spec, trace);
                var reused = Simulator.Run(spec, trace, quiet, buffers);
                return reused.Summary == fresh.Summary && reused.Events.IsEmpty && fresh.Summary.ScaleActions == fresh.Events.Length;
            });
        }, iter: 300, threads: 1); // one set of buffers: one thread
    }
}
