using System.Collections.Immutable;
using System.Globalization;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>
/// Recommends step-scaling settings for a demand. The recommendation is chosen on all the data — every sample of
/// every trace — and meets every constraint there: the flap analysis clears it (<c>flapCheck: error</c> passes), and
/// on each trace it is no worse than the baseline on service (minutes above target, unserved work) and churn (scale
/// actions, reversals), unless the options set those limits. Among such candidates it is the cheapest (fewest
/// task-minutes; ties go to the calmer, then the simpler config). Rolling-origin cross-validation estimates how
/// the advice generalises and how stable it is; stressed replays show how it holds under growth, a shift in time
/// and slow start-up; target tracking is tuned under the same limits for a fair race.
/// </summary>
public static class Tuner
{
    /// <summary>Task-minutes within this share of each other count as a tie (then churn, then simplicity decide).</summary>
    public const double TieTolerance = 0.002;

    /// <summary>A baseline that reverses more often than this a day on a trace is a finding, printed first.</summary>
    public const double ReversalsPerDayFinding = 4;

    /// <summary>Share of the budget the folds get together; the final search gets <see cref="FinalShare"/>, target tracking the rest.</summary>
    private const double FoldShare = 0.4, FinalShare = 0.5;

    /// <summary>Tunes <paramref name="baseline"/> on <paramref name="traces"/>.</summary>
    /// <param name="baseline">The stack's scaling as written (it must normalise).</param>
    /// <param name="alarmPrefix">The alarm-name prefix of the stack, so that names are validated as deployed.</param>
    /// <param name="traces">One or more demand traces, each at a resolution that fits the alarm periods.</param>
    /// <param name="options">What to tune, the limits, and for how long.</param>
    /// <exception cref="Validation.StepScalingValidationException">The baseline does not normalise.</exception>
    /// <exception cref="ArgumentException">No trace, or nothing to tune, or no target.</exception>
    public static TuningResult Tune(ScalingDefinition baseline, string? alarmPrefix, IReadOnlyList<NamedTrace> traces, TuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(options);
        if (traces.Count == 0)
        {
            throw new ArgumentException("At least one trace is needed.", nameof(traces));
        }

        var ctx = Context.Create(baseline, alarmPrefix, traces, options);
        var whole = traces.Select(t => ctx.Segment(t.Name, t.Trace, 1, warm: false)).ToImmutableArray();
        var folds = RunFolds(ctx, traces, whole);
        var stability = Stability(folds, ctx, whole);
        var stressed = Stress.All.ToDictionary(k => k, k => whole.Select(s => ctx.Stressed(s, k)).ToImmutableArray());
        var constrained = options.StressAsConstraint ? [.. whole, .. stressed.Values.SelectMany(v => v)] : whole;
        var final = RunSearch(ctx, constrained, ctx.Budget(FinalShare, options.MaxEvaluations), "all data");
        var spec = ctx.Normalize(final.Definition);
        var tt = TargetTrackingRace.Run(ctx.BaselineSpec, ctx.Target, ctx.Highest, whole, options.Parallelism, TieTolerance, options.TargetTrackingScaleIn);
        options.Progress?.Invoke(new TuningProgress("target tracking", tt?.Evaluations ?? 0, ctx.Clock.Elapsed, tt?.BestFigures ?? Objectives.Zero, tt?.BestFeasible ?? false));
        var stress = Stress.All.Select(k => StressFigures(ctx, k, stressed[k], spec, tt)).ToImmutableArray();
        var earlyStop = final.Search.StoppedEarly
            ? string.Create(CultureInfo.InvariantCulture, $"the final search stopped at its budget ({(options.MaxEvaluations is { } m && final.Search.Evaluations >= m ? $"{m} evaluations" : $"{options.Budget.TotalSeconds * FinalShare:0.#} s of the {options.Budget.TotalSeconds:0.#} s budget")}) before it converged: this is the best found so far")
            : null;
        return new TuningResult
        {
            Baseline = baseline,
            BaselineSpec = ctx.BaselineSpec,
            Recommended = final.Definition,
            RecommendedSpec = spec,
            Score = final.Score,
            BaselineScore = final.BaselineScore,
            BaselineIsBest = final.BaselineIsBest,
            BindingConstraint = Binding(ctx, constrained, spec, final.Score, stability, folds),
            Findings = Findings(ctx, whole),
            Target = ctx.Target,
            TargetSource = ctx.TargetSource,
            HighestThresholds = ctx.Space.Highest,
            Segments = whole,
            Folds = folds,
            Stability = stability,
            Stress = stress,
            Front = final.Search.Front.ByCost(),
            TargetTracking = tt,
            Evaluations = final.Search.Evaluations,
            ScreenEvaluations = final.Search.ScreenEvaluations,
            Generations = final.Search.Generations,
            StoppedEarly = final.Search.StoppedEarly,
            Elapsed = ctx.Clock.Elapsed,
            Notes = [.. ctx.Notes],
            EarlyStop = earlyStop,
            TunedPolicies = [.. ctx.Space.TunedPolicies],
        };
    }

    /// <summary>What one search found: the choice (after rounding, or the baseline when nothing beat it) and the search itself.</summary>
    private sealed record SearchOutcome(ScalingDefinition Definition, CandidateScore Score, CandidateScore BaselineScore, bool BaselineIsBest, Search Search);

    private static SearchOutcome RunSearch(Context ctx, ImmutableArray<TuningSegment> segments, SearchBudget budget, string phase)
    {
        var full = new CandidateEvaluator(ctx.AlarmPrefix, segments);
        var baselineScore = full.Evaluate(ctx.Baseline, ctx.Space.Complexity(ctx.Baseline));
        var bucket = Math.Max(1e-9, TieTolerance * (double.IsFinite(baselineScore.TaskMinutes) ? baselineScore.TaskMinutes : 1));
        var search = new Search(ctx.Space, full, Screen(ctx, segments), budget, ctx.Options.Seed, ctx.Options.Parallelism, bucket, ctx.Reporter(phase));
        var best = search.Run(ctx.Baseline);
        ctx.Reporter(phase)?.Invoke(search.Evaluations, best.Score.Figures, best.Score.Feasible);

        // Rounding: rounder edges are kept only when they still meet every constraint at no real cost.
        var (definition, score) = search.Polish(best.Definition, best.Score);

        // A config that is only simpler than the baseline, at the same cost, is not worth a change: keep the baseline.
        var baselineIsBest = baselineScore.Feasible && !CheaperThan(score, baselineScore);
        return baselineIsBest
            ? new SearchOutcome(ctx.Baseline, baselineScore, baselineScore, true, search)
            : new SearchOutcome(definition, score, baselineScore, false, search);
    }

    /// <summary>Successive halving screens on the first third of each segment, when the segments are long enough to matter.</summary>
    private static CandidateEvaluator? Screen(Context ctx, ImmutableArray<TuningSegment> segments)
    {
        if (segments.Sum(s => s.Trace.Length) < 3000)
        {
            return null;
        }

        return new CandidateEvaluator(ctx.AlarmPrefix, [.. segments.Select(s =>
        {
            var n = Math.Max(ctx.Align, s.Trace.Length / 3 / ctx.Align * ctx.Align);
            var part = s with { Trace = Slice(s.Trace, 0, n) };
            return part with { Limits = ctx.LimitsFor(part, n / (double)s.Trace.Length) };
        })]);
    }

    /// <summary>Whether <paramref name="a"/> meets every constraint and beats <paramref name="b"/> on task-minutes (beyond a tie) or, tied, on churn.</summary>
    public static bool CheaperThan(CandidateScore a, CandidateScore b)
    {
        if (!a.Feasible)
        {
            return false;
        }

        // Relative, not bucketed: one comparison, so no bucket edge can fall between two near-equal costs.
        if (Math.Abs(a.TaskMinutes - b.TaskMinutes) > TieTolerance * b.TaskMinutes)
        {
            return a.TaskMinutes < b.TaskMinutes;
        }

        return a.Figures.Churn < b.Figures.Churn;
    }

    /// <summary>Rolling origin: each fold tunes on a prefix of every trace and is scored on the block after it.</summary>
    private static ImmutableArray<FoldResult> RunFolds(Context ctx, IReadOnlyList<NamedTrace> traces, ImmutableArray<TuningSegment> whole)
    {
        var plans = RollingOrigin.Plan([.. traces.Select(t => t.Trace.Length)], ctx.Options.Folds, ctx.Align);
        if (ctx.Options.Folds > 0 && plans.Length < ctx.Options.Folds)
        {
            ctx.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"cross-validation: {plans.Length} of {ctx.Options.Folds} folds fit (a block needs at least {RollingOrigin.MinBlockSamples} samples of the shortest trace)"));
        }

        var results = ImmutableArray.CreateBuilder<FoldResult>();
        foreach (var plan in plans)
        {
            TuningSegment Part(TracePart p, string label, bool warm)
            {
                var t = traces[p.Trace];
                return ctx.Segment($"{t.Name} {label}", Slice(t.Trace, p.Start, p.Length), p.Length / (double)t.Trace.Length, warm);
            }

            var train = plan.Train.Select(p => Part(p, plan.Number == 1 ? "block 1" : $"blocks 1–{plan.Number}", false)).ToImmutableArray();
            var test = plan.Test.Select(p => Part(p, $"block {plan.Number + 1}", true)).ToImmutableArray();
            var outcome = RunSearch(ctx, train, ctx.Budget(FoldShare / plans.Length, ctx.Options.MaxEvaluations / 2), $"fold {plan.Number} of {plans.Length}");
            var tested = new CandidateEvaluator(ctx.AlarmPrefix, test);
            var choice = tested.Figures(ctx.Normalize(outcome.Definition));
            var baseline = tested.Figures(ctx.BaselineSpec);
            var exceeded = test.SelectMany((s, i) => s.Limits.Exceeded(choice[i]).Select(e => $"{s.Name}: {e}")).ToImmutableArray();
            var onWhole = new CandidateEvaluator(ctx.AlarmPrefix, whole).Figures(ctx.Normalize(outcome.Definition));
            var meets = whole.Select((s, i) => s.Limits.Excess(onWhole[i])).Sum() == 0;
            results.Add(new FoldResult(plan, outcome.Definition, Thresholds(ctx, outcome.Definition), outcome.Score.Figures, Sum(choice), Sum(baseline), exceeded, outcome.Score.Feasible, Sum(onWhole), meets, outcome.BaselineIsBest));
        }

        return results.ToImmutable();
    }

    private static Objectives Sum(IEnumerable<Objectives> figures) => figures.Aggregate(Objectives.Zero, (a, b) => a.Plus(b));

    /// <summary>The tuned thresholds of a definition, keyed "policy.scaleOut" and "policy.scaleIn".</summary>
    private static ImmutableDictionary<string, double> Thresholds(Context ctx, ScalingDefinition d)
    {
        var result = ImmutableDictionary.CreateBuilder<string, double>();
        foreach (var p in d.Policies.Where(p => ctx.Space.TunedPolicies.Contains(p.Name)))
        {
            if (SearchSpace.Threshold(p.ScaleOut) is { } o)
            {
                result[$"{p.Name}.scaleOut"] = o;
            }

            if (SearchSpace.Threshold(p.ScaleIn) is { } i)
            {
                result[$"{p.Name}.scaleIn"] = i;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The folds' disagreement, by what their choices do: each replayed on all the data, the spread of their
    /// task-minutes as a share of the baseline's; stable when at most <paramref name="maxSpread"/>. Folds that kept the
    /// baseline (no evidence for a change on their blocks) do not count.
    /// </summary>
    public static FoldStability Stability(IReadOnlyList<FoldResult> folds, double baselineTaskMinutes, double maxSpread)
    {
        ArgumentNullException.ThrowIfNull(folds);
        var ranges = folds.SelectMany(f => f.Thresholds.Keys).Distinct(StringComparer.Ordinal)
            .ToImmutableDictionary(k => k, k => (Low: folds.Where(f => f.Thresholds.ContainsKey(k)).Min(f => f.Thresholds[k]), High: folds.Where(f => f.Thresholds.ContainsKey(k)).Max(f => f.Thresholds[k])));
        var voting = folds.Where(f => !f.KeptBaseline).ToList();
        if (voting.Count == 0)
        {
            return new FoldStability(true, 0, ranges, null, null);
        }

        var cheapest = voting.MinBy(f => f.Whole.TaskMinutes)!;
        var dearest = voting.MaxBy(f => f.Whole.TaskMinutes)!;
        var spread = baselineTaskMinutes > 0 ? (dearest.Whole.TaskMinutes - cheapest.Whole.TaskMinutes) / baselineTaskMinutes : 0;
        return new FoldStability(spread <= maxSpread + 1e-12, spread, ranges, cheapest.Plan.Number, dearest.Plan.Number);
    }

    private static FoldStability Stability(ImmutableArray<FoldResult> folds, Context ctx, ImmutableArray<TuningSegment> whole) =>
        Stability(folds, new CandidateEvaluator(ctx.AlarmPrefix, whole).Figures(ctx.BaselineSpec).Sum(o => o.TaskMinutes), ctx.Options.MaxFoldSpread);

    private static StressResult StressFigures(Context ctx, StressKind kind, ImmutableArray<TuningSegment> segments, ScalingSpec spec, TargetTrackingOutcome? tt)
    {
        var evaluator = new CandidateEvaluator(ctx.AlarmPrefix, segments);
        var rec = evaluator.Figures(spec);
        var exceeded = segments.SelectMany((s, i) => s.Limits.Exceeded(rec[i]).Select(e => $"{s.Name}: {e}")).ToImmutableArray();
        var ttFigures = tt is null ? (Objectives?)null : Sum(segments.Select(s => TargetTrackingRace.Figures(tt.Best, s, ctx.Target)));
        return new StressResult(kind, Sum(rec), Sum(evaluator.Figures(ctx.BaselineSpec)), ttFigures, exceeded);
    }

    /// <summary>What stands out about the baseline: a static loop, or more reversals a day than <see cref="ReversalsPerDayFinding"/>.</summary>
    private static ImmutableArray<string> Findings(Context ctx, ImmutableArray<TuningSegment> whole)
    {
        var findings = ImmutableArray.CreateBuilder<string>();
        if (FlapAnalyzer.HasLoop(ctx.BaselineSpec))
        {
            findings.Add("the baseline has a scaling loop or reversal in the flap analysis: flapCheck: error fails on the stack as written");
        }

        var figures = new CandidateEvaluator(ctx.AlarmPrefix, whole).Figures(ctx.BaselineSpec);
        for (var i = 0; i < whole.Length; i++)
        {
            if (figures[i].ReversalsPerDay > ReversalsPerDayFinding)
            {
                findings.Add(string.Create(CultureInfo.InvariantCulture, $"the baseline reverses {figures[i].ReversalsPerDay:0.#} times a day on {whole[i].Name} ({figures[i].Reversals} in all; more than {ReversalsPerDayFinding} a day is a finding)"));
            }
        }

        return findings.ToImmutable();
    }

    /// <summary>Why the data cannot support advice, and where; null when it can.</summary>
    private static string? Binding(Context ctx, ImmutableArray<TuningSegment> segments, ScalingSpec spec, CandidateScore score, FoldStability stability, ImmutableArray<FoldResult> folds)
    {
        if (!score.Valid)
        {
            return "validation: no candidate passed the normalizer";
        }

        if (score.Loops)
        {
            return "flap analysis: every candidate found has a scaling loop or reversal (flapCheck: error would fail)";
        }

        if (!score.Feasible)
        {
            var figures = new CandidateEvaluator(ctx.AlarmPrefix, segments).Figures(spec);
            var parts = segments.Select((s, i) => (s, e: s.Limits.Exceeded(figures[i]).ToList()))
                .Where(x => x.e.Count > 0)
                .Select(x => $"{x.s.Name}: {string.Join(", ", x.e)}{Where(ctx, spec, x.s)}{Unservable(ctx, x.s)}");
            return string.Join("; ", parts);
        }

        if (!stability.Stable && stability.Cheapest is { } low && stability.Dearest is { } high)
        {
            var (a, b) = (folds[low - 1].Whole.TaskMinutes, folds[high - 1].Whole.TaskMinutes);
            return string.Create(CultureInfo.InvariantCulture, $"stability: the folds' choices disagree — replayed on all the data, fold {low}'s costs {a:#,0} task-minutes and fold {high}'s {b:#,0}: a spread of {stability.Spread:0.0 %} of the baseline's task-minutes, more than {ctx.Options.MaxFoldSpread:0.0 %}; what blocks 1–{Math.Min(low, high)} call for differs from what blocks 1–{Math.Max(low, high)} call for");
        }

        return null;
    }

    private static string Unservable(Context ctx, TuningSegment segment)
    {
        var minutes = UnservableMinutes(ctx.BaselineSpec, segment.Trace, ctx.Target);
        return minutes > 0
            ? string.Create(CultureInfo.InvariantCulture, $" (for {minutes:0.#} minutes the demand needs more than maxCapacity, {ctx.BaselineSpec.MaxCapacity} tasks, at the target: no config can serve it)")
            : string.Empty;
    }

    /// <summary>Where in a segment the recommendation spends most of its minutes above target and reversals (a day, or an hour in a trace under two days).</summary>
    private static string Where(Context ctx, ScalingSpec spec, TuningSegment segment)
    {
        var run = Simulator.Run(spec, segment.Trace, segment.Options with { RecordTimeline = true, RecordEvents = true });
        var oracle = OracleCapacity(ctx.BaselineSpec, segment.Trace, ctx.Target);
        var bucket = segment.Days >= 2 ? 86_400 : 3_600;
        var above = new Dictionary<long, int>();
        for (var i = 0; i < run.Running.Length; i++)
        {
            if (oracle[i] > run.Running[i])
            {
                var b = (long)i * segment.Trace.IntervalSeconds / bucket;
                above[b] = above.GetValueOrDefault(b) + 1;
            }
        }

        var reversals = new Dictionary<long, int>();
        for (var i = 1; i < run.Events.Length; i++)
        {
            var (a, b) = (run.Events[i - 1], run.Events[i]);
            if (Math.Sign(a.To - a.From) != Math.Sign(b.To - b.From) && b.Seconds - a.Seconds <= segment.Options.FlapWindowSeconds)
            {
                reversals[b.Seconds / bucket] = reversals.GetValueOrDefault(b.Seconds / bucket) + 1;
            }
        }

        string Label(long b) => bucket == 86_400
            ? segment.Trace.Start.AddSeconds(b * bucket).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : segment.Trace.Start.AddSeconds(b * bucket).ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture) + " (hour)";
        var parts = new List<string>();
        if (above.Count > 0)
        {
            var top = above.MaxBy(kv => kv.Value);
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"above target most in {Label(top.Key)} ({top.Value * segment.Trace.IntervalSeconds / 60.0:0.#} min)"));
        }

        if (reversals.Count > 0)
        {
            var top = reversals.MaxBy(kv => kv.Value);
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"reversals most in {Label(top.Key)} ({top.Value})"));
        }

        return parts.Count == 0 ? string.Empty : $" ({string.Join("; ", parts)})";
    }

    /// <summary>
    /// The oracle's capacity per sample: the fewest tasks that keep the target, as the simulator's oracle counts them
    /// (a missing sample keeps the last known demand).
    /// </summary>
    public static int[] OracleCapacity(ScalingSpec spec, DemandTrace trace, double target)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trace);
        var result = new int[trace.Length];
        var p = spec.Policies.FirstOrDefault(q => q.Side == ScalingSide.ScaleOut && q.LoadModel == LoadModel.PerTask)
            ?? spec.Policies.FirstOrDefault(q => q.LoadModel == LoadModel.PerTask);
        if (p is null)
        {
            Array.Fill(result, spec.MinCapacity);
            return result;
        }

        var demand = trace.PolicyDemand.TryGetValue(p.SourceName, out var own) ? own : trace.Demand;
        var sum = p.Alarm.Statistic == "Sum" ? Math.Max(1, p.Alarm.Period / trace.IntervalSeconds) / (double)trace.HeldFor : 1;
        var last = double.NaN;
        for (var i = 0; i < result.Length; i++)
        {
            last = double.IsNaN(demand[i]) ? last : demand[i];
            result[i] = double.IsNaN(last) ? spec.MinCapacity : Math.Clamp((int)Math.Min(int.MaxValue, Math.Ceiling(last * p.LoadRatio * sum / target)), spec.MinCapacity, spec.MaxCapacity);
        }

        return result;
    }

    /// <summary>Samples [start, start + length) of a trace, dated from the first of them.</summary>
    public static DemandTrace Slice(DemandTrace trace, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return trace with
        {
            Start = trace.Start.AddSeconds((double)start * trace.IntervalSeconds),
            Demand = trace.Demand.AsSpan(start, length).ToArray(),
            PolicyDemand = trace.PolicyDemand.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.AsSpan(start, length).ToArray()),
        };
    }

    /// <summary>Minutes in which even maxCapacity tasks would run above the target.</summary>
    internal static double UnservableMinutes(ScalingSpec spec, DemandTrace trace, double target)
    {
        var p = spec.Policies.FirstOrDefault(q => q.Side == ScalingSide.ScaleOut && q.LoadModel == LoadModel.PerTask);
        if (p is null)
        {
            return 0;
        }

        var demand = trace.PolicyDemand.TryGetValue(p.SourceName, out var own) ? own : trace.Demand;
        var sum = p.Alarm.Statistic == "Sum" ? Math.Max(1, p.Alarm.Period / trace.IntervalSeconds) / (double)trace.HeldFor : 1;
        var count = demand.Count(d => d * p.LoadRatio * sum / spec.MaxCapacity > target);
        return count * (double)trace.IntervalSeconds / 60;
    }
}
