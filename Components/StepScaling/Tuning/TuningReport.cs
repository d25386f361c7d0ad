using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>One configuration's figures on one segment.</summary>
/// <param name="Label">baseline, recommended, target tracking, target tracking tuned or oracle.</param>
/// <param name="TaskMinutes">Task-minutes.</param>
/// <param name="VsOracle">Task-minutes ÷ the oracle's (NaN when the oracle ran none).</param>
/// <param name="MinutesAbove">Minutes with the per-task metric above the target.</param>
/// <param name="Unserved">Demand beyond what the running tasks could serve at 100 %, in task-minutes of work; null when the metric has no 100 % (not a utilisation).</param>
/// <param name="ScaleActions">Scale actions.</param>
/// <param name="Flaps">Reversals within the flap window; null for the oracle, which is not a policy.</param>
/// <param name="PeakTasks">The most tasks at once.</param>
public sealed record ComparisonRow(string Label, double TaskMinutes, double VsOracle, double MinutesAbove, double? Unserved, int ScaleActions, int? Flaps, int PeakTasks);

/// <summary>The rows of one segment, and the runs behind them (for charts).</summary>
/// <param name="Segment">The segment (a whole trace).</param>
/// <param name="Rows">Baseline, recommended, target tracking at the stack's target and tuned (when the stack has a per-task metric), oracle.</param>
/// <param name="Baseline">The baseline's run, with its timeline.</param>
/// <param name="Recommended">The recommendation's run, with its timeline.</param>
/// <param name="TargetTracking">The target-tracking run at the stack's target, or null.</param>
/// <param name="TunedTargetTracking">The tuned target-tracking run, or null.</param>
/// <param name="Oracle">The oracle's capacity per sample.</param>
public sealed record SegmentComparison(TuningSegment Segment, ImmutableArray<ComparisonRow> Rows, SimulationResult Baseline, SimulationResult Recommended, SimulationResult? TargetTracking, SimulationResult? TunedTargetTracking, int[] Oracle);

/// <summary>Baseline, recommendation, target tracking and oracle side by side, per segment.</summary>
public static class TuningReport
{
    /// <summary>Row labels, in order.</summary>
    public const string BaselineLabel = "baseline", RecommendedLabel = "recommended", TargetTrackingLabel = "target tracking", TunedTargetTrackingLabel = "tt tuned", OracleLabel = "oracle";

    /// <summary>Compares on every whole trace of <paramref name="result"/>.</summary>
    public static ImmutableArray<SegmentComparison> Compare(TuningResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Segments.Select(s => Segment(result, s))];
    }

    private static SegmentComparison Segment(TuningResult result, TuningSegment segment)
    {
        var options = segment.Options with { RecordTimeline = true, RecordEvents = true };
        var baseline = Simulator.Run(result.BaselineSpec, segment.Trace, options);
        var recommended = Simulator.Run(result.RecommendedSpec, segment.Trace, options);
        var tt = result.TargetTracking;
        var targetTracking = tt is null ? null : TargetTrackingSimulator.Run(tt.Stack, segment.Trace, options);
        var tuned = tt is null ? null : TargetTrackingSimulator.Run(tt.Best, segment.Trace, options);
        var spec = result.BaselineSpec;
        var oracle = Tuner.OracleCapacity(spec, segment.Trace, result.Target);
        var oracleMinutes = baseline.Summary.OracleTaskMinutes;
        var oracleActions = 0;
        for (var i = 1; i < oracle.Length; i++)
        {
            oracleActions += oracle[i] != oracle[i - 1] ? 1 : 0;
        }

        var rows = ImmutableArray.CreateBuilder<ComparisonRow>();
        rows.Add(Row(BaselineLabel, baseline, spec, segment.Trace, oracleMinutes));
        rows.Add(Row(RecommendedLabel, recommended, spec, segment.Trace, oracleMinutes));
        if (targetTracking is not null)
        {
            rows.Add(Row(TargetTrackingLabel, targetTracking, spec, segment.Trace, oracleMinutes));
            var row = Row(TunedTargetTrackingLabel, tuned!, spec, segment.Trace, oracleMinutes);
            rows.Add(row with { MinutesAbove = TargetTrackingRace.MinutesAbove(tt!.Best, segment.Trace, tuned!.Running, result.Target) });
        }

        rows.Add(new ComparisonRow(OracleLabel, oracleMinutes, oracleMinutes > 0 ? 1 : double.NaN, Tuner.UnservableMinutes(spec, segment.Trace, result.Target), Unserved(spec, segment.Trace, oracle), oracleActions, null, oracle.Length == 0 ? 0 : oracle.Max()));
        return new SegmentComparison(segment, rows.ToImmutable(), baseline, recommended, targetTracking, tuned, oracle);
    }

    private static ComparisonRow Row(string label, SimulationResult run, ScalingSpec spec, DemandTrace trace, double oracleMinutes)
    {
        var s = run.Summary;
        return new ComparisonRow(label, s.TaskMinutes, oracleMinutes > 0 ? s.TaskMinutes / oracleMinutes : double.NaN, s.MinutesAboveTarget,
            s.UnservedTaskMinutes, s.ScaleActions, s.Flaps, run.Capacity.Length == 0 ? 0 : run.Capacity.Max());
    }

    /// <summary>
    /// Work the given capacity could not do, as the simulator counts it (<see cref="Analysis.Capacity.UnservedTasks"/>):
    /// in task-minutes; null when the metric is not an ECS utilization.
    /// </summary>
    public static double? Unserved(ScalingSpec spec, DemandTrace trace, int[] running)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(running);
        var p = spec.Policies.FirstOrDefault(q => q.Side == ScalingSide.ScaleOut && q.LoadModel == LoadModel.PerTask && Analysis.Capacity.Saturates(q.Metric));
        if (p is null || running.Length != trace.Length)
        {
            return null;
        }

        var demand = trace.PolicyDemand.TryGetValue(p.SourceName, out var own) ? own : trace.Demand;
        double total = 0;
        for (var i = 0; i < demand.Length; i++)
        {
            var d = demand[i];
            if (!double.IsNaN(d))
            {
                total += Analysis.Capacity.UnservedTasks(d, p.LoadRatio, running[i]);
            }
        }

        return total * trace.IntervalSeconds / 60.0;
    }
}
