using System.Globalization;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Simulation;

namespace StepScale.Benchmarks;

/// <summary>
/// <c>tt-readings</c>: the prod stack's step scaling against target tracking under each reading of its scale-in
/// (<see cref="TargetTrackingScaleIn"/>), on the bundled traces and two weeks, as the README's table shows them.
/// </summary>
public static class TargetTrackingReadings
{
    /// <summary>The traces: the four bundled days, the bursty sample over a week, and the noisy benchmark week.</summary>
    public static IEnumerable<(string Name, DemandTrace Trace)> Traces() =>
    [
        .. SampleTraces.Names.Select(n => (n, SampleTraces.Generate(n))),
        ("bursty, 7 days", SampleTraces.Generate("bursty", 7 * 1440)),
        ("noisy week (benchmark)", TuningWorkload.Week()),
    ];

    public static void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var spec = ScalingNormalizer.Normalize(TuningWorkload.Prod()).GetSpecOrThrow();
        var target = spec.Policies.First(p => p.Side == ScalingSide.ScaleOut).Alarm.Threshold;
        var runner = new SimulationRunner();
        var options = new SimulationOptions { RecordTimeline = false, RecordEvents = false, TargetUtilization = target };
        output.WriteLine("| trace | policy | task-minutes | minutes above target | scale actions | reversals (15 min) |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var (name, trace) in Traces())
        {
            Row(output, name, "step scaling (prod)", runner.Run(spec, trace, options).Summary);
            foreach (var model in Enum.GetValues<TargetTrackingScaleIn>())
            {
                var policy = TargetTrackingPolicy.For(spec, target)! with { ScaleInModel = model };
                Row(output, name, $"target tracking, {Label(model)}", runner.Run(policy, trace, options).Summary);
            }
        }
    }

    private static string Label(TargetTrackingScaleIn model) => model switch
    {
        TargetTrackingScaleIn.WindowPeak => "window-peak (default)",
        TargetTrackingScaleIn.Proportional => "proportional",
        _ => "one-task",
    };

    private static void Row(TextWriter output, string trace, string policy, SimulationSummary s) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {trace} | {policy} | {s.TaskMinutes:N0} | {s.MinutesAboveTarget:N0} | {s.ScaleActions} | {s.Flaps} |"));
}
