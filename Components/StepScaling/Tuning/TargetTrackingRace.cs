using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>Target tracking's side of the race: the policy at the stack's target, and the best tuned one.</summary>
/// <param name="Stack">Target tracking at the stack's target with AWS's default scale-in cooldown, scaling in per the chosen reading.</param>
/// <param name="StackFigures">Its figures on all the data.</param>
/// <param name="Best">The best tuned policy (target value and scale-in cooldown), by the same selection rule as step scaling.</param>
/// <param name="BestFigures">Its figures on all the data.</param>
/// <param name="BestFeasible">Whether it meets every limit on every trace.</param>
/// <param name="BestExceeded">The limits it exceeds, per trace, in words; empty when it meets them.</param>
/// <param name="Front">The tuned policies no other dominates.</param>
/// <param name="Evaluations">Policies replayed.</param>
public sealed record TargetTrackingOutcome(
    TargetTrackingPolicy Stack, Objectives StackFigures, TargetTrackingPolicy Best, Objectives BestFigures, bool BestFeasible,
    ImmutableArray<string> BestExceeded, ImmutableArray<FrontPoint<TargetTrackingPolicy>> Front, int Evaluations);

/// <summary>
/// Tunes target tracking's own knobs — the target value and the scale-in cooldown — under the same limits as step
/// scaling, on a grid: target values in whole metric units from half the stack's target up to the same highest
/// threshold step scaling may use, and scale-in cooldowns from <see cref="ScaleInCooldowns"/>. Service is measured
/// against the stack's target whatever target the policy tracks, so that a policy cannot look better by running hot.
/// </summary>
public static class TargetTrackingRace
{
    /// <summary>Scale-in cooldowns tried, in seconds (300 is AWS's default for ECS).</summary>
    public static readonly ImmutableArray<int> ScaleInCooldowns = [60, 120, 300, 600, 900];

    /// <summary>
    /// Runs the race, every policy scaling in per <paramref name="scaleIn"/>; null when the stack has no per-task metric
    /// for target tracking to track.
    /// </summary>
    public static TargetTrackingOutcome? Run(
        ScalingSpec baseline,
        double target,
        double highest,
        ImmutableArray<TuningSegment> segments,
        int parallelism,
        double tieTolerance,
        TargetTrackingScaleIn scaleIn = TargetTrackingPolicy.DefaultScaleInModel)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        if (TargetTrackingPolicy.For(baseline, target) is not { } forStack)
        {
            return null;
        }

        var stack = forStack with { ScaleInModel = scaleIn };

        var grid = Grid(stack, target, highest);
        var scores = new (Objectives Figures, double Excess)[grid.Length];
        Parallel.For(0, grid.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
            scores[i] = CandidateEvaluator.Score(segments, s => Figures(grid[i], s, target)));

        var front = new ParetoFront<TargetTrackingPolicy>();
        for (var i = 0; i < grid.Length; i++)
        {
            front.Add(grid[i], scores[i].Figures, scores[i].Excess == 0);
        }

        var best = Enumerable.Range(0, grid.Length).OrderBy(i => i, Comparer<int>.Create((a, b) => Compare(scores[a], scores[b], tieTolerance))).First();
        var exceeded = segments.SelectMany(s => s.Limits.Exceeded(Figures(grid[best], s, target)).Select(e => $"{s.Name}: {e}")).ToImmutableArray();
        var stackFigures = CandidateEvaluator.Score(segments, s => Figures(stack, s, target)).Figures;
        return new TargetTrackingOutcome(stack, stackFigures, grid[best], scores[best].Figures, scores[best].Excess == 0, exceeded, [.. front.ByCost()], grid.Length);
    }

    /// <summary>The policies tried: every target value on the grid × every scale-in cooldown.</summary>
    public static ImmutableArray<TargetTrackingPolicy> Grid(TargetTrackingPolicy stack, double target, double highest)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var step = stack.Saturates ? 1 : Math.Pow(10, Math.Floor(Math.Log10(Math.Max(target, 1e-6))) - 1);
        var lo = Math.Max(step, Math.Round(target * 0.5 / step) * step);
        var values = new List<double>();
        for (var k = 0; lo + (k * step) <= highest + 1e-9 && k < 400; k++)
        {
            values.Add(Math.Round(lo + (k * step), 6));
        }

        if (!values.Contains(target))
        {
            values.Add(target);
        }

        return [.. values.SelectMany(v => ScaleInCooldowns.Select(c => stack with { TargetValue = v, ScaleInCooldown = c }))];
    }

    /// <summary>Cheapest feasible first (ties within the tolerance go to the calmer), else the smallest excess.</summary>
    private static int Compare((Objectives Figures, double Excess) a, (Objectives Figures, double Excess) b, double tolerance)
    {
        if (a.Excess > 0 || b.Excess > 0)
        {
            var c = a.Excess.CompareTo(b.Excess);
            return c != 0 ? c : a.Figures.Cost.CompareTo(b.Figures.Cost);
        }

        if (Math.Abs(a.Figures.Cost - b.Figures.Cost) > tolerance * Math.Max(a.Figures.Cost, b.Figures.Cost))
        {
            return a.Figures.Cost.CompareTo(b.Figures.Cost);
        }

        var churn = a.Figures.Churn.CompareTo(b.Figures.Churn);
        return churn != 0 ? churn : a.Figures.Service.CompareTo(b.Figures.Service);
    }

    /// <summary>A replay's figures, with minutes above target counted against <paramref name="target"/> (the stack's), not the policy's own target value.</summary>
    public static Objectives Figures(TargetTrackingPolicy policy, TuningSegment segment, double target)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(segment);
        var run = TargetTrackingSimulator.Run(policy, segment.Trace, segment.Options with { RecordTimeline = true, RecordEvents = false, TargetUtilization = target });
        var o = Objectives.Of(run.Summary, segment.Days);
        return o with { MinutesAbove = MinutesAbove(policy, segment.Trace, run.Running, target) };
    }

    /// <summary>Minutes the per-task metric was above <paramref name="target"/>, as the simulators count them.</summary>
    public static double MinutesAbove(TargetTrackingPolicy policy, DemandTrace trace, int[] running, double target)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(running);
        var demand = policy.DemandColumn is { } column && trace.PolicyDemand.TryGetValue(column, out var own) ? own : trace.Demand;
        var periodTicks = Math.Max(1, TargetTrackingPolicy.PeriodSeconds / trace.IntervalSeconds);
        var ratio = policy.LoadRatio / (policy.SumMetric ? trace.HeldFor : 1) * (policy.SumMetric ? periodTicks : 1);
        var perTask = policy.LoadModel == LoadModel.PerTask;
        var above = 0;
        for (var i = 0; i < demand.Length && i < running.Length; i++)
        {
            var d = demand[i];
            if (double.IsNaN(d))
            {
                continue;
            }

            var util = perTask ? (running[i] <= 0 ? double.NaN : d * ratio / running[i]) : d * ratio;
            above += util > target || (double.IsNaN(util) && d > 0) ? 1 : 0;
        }

        return above * (double)trace.IntervalSeconds / 60;
    }
}
