using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>What <see cref="Tuner.Tune"/> found.</summary>
public sealed record TuningResult
{
    /// <summary>The stack's scaling as written.</summary>
    public required ScalingDefinition Baseline { get; init; }

    /// <summary>The baseline, normalised.</summary>
    public required ScalingSpec BaselineSpec { get; init; }

    /// <summary>The recommended scaling: the best candidate found after rounding (the baseline itself when nothing beat it).</summary>
    public required ScalingDefinition Recommended { get; init; }

    /// <summary>The recommendation, normalised with <c>flapCheck: error</c>.</summary>
    public required ScalingSpec RecommendedSpec { get; init; }

    /// <summary>Its score on the tuning segments.</summary>
    public required CandidateScore Score { get; init; }

    /// <summary>The baseline's score on the tuning segments.</summary>
    public required CandidateScore BaselineScore { get; init; }

    /// <summary>Whether the recommendation meets every hard constraint.</summary>
    public bool Feasible => Score.Feasible;

    /// <summary>Whether nothing found is cheaper than the baseline (task-minutes beyond a tie, then scale actions), so the baseline is recommended as it is.</summary>
    public required bool BaselineIsBest { get; init; }

    /// <summary>When no candidate met every constraint: the one that binds, in words.</summary>
    public string? BindingConstraint { get; init; }

    /// <summary>The target (metric level per task).</summary>
    public required double Target { get; init; }

    /// <summary>Where the target came from, in words.</summary>
    public required string TargetSource { get; init; }

    /// <summary>The segments tuned on.</summary>
    public required ImmutableArray<TuningSegment> Training { get; init; }

    /// <summary>The held-out segments (the end of a single trace), reported but never tuned on.</summary>
    public required ImmutableArray<TuningSegment> HeldOut { get; init; }

    /// <summary>Full-trace candidate evaluations.</summary>
    public required int Evaluations { get; init; }

    /// <summary>Screening evaluations on a prefix of the traces (successive halving).</summary>
    public required int ScreenEvaluations { get; init; }

    /// <summary>Generations of the local search.</summary>
    public required int Generations { get; init; }

    /// <summary>Whether the budget (time or evaluations) ended the search before it converged.</summary>
    public required bool StoppedEarly { get; init; }

    /// <summary>Wall time of the search.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Remarks: sides kept as they were, the early stop, rounding.</summary>
    public required ImmutableArray<string> Notes { get; init; }

    /// <summary>The policies tuned.</summary>
    public required ImmutableArray<string> TunedPolicies { get; init; }
}

/// <summary>
/// Recommends step-scaling settings for a demand: fewest task-minutes, then fewest scale actions, then the simplest
/// config, among candidates that the flap analysis clears (<c>flapCheck: error</c> passes), that never flap on the
/// traces, and that spend no more minutes above target than allowed. The search: a Latin-hypercube start (plus the
/// baseline), then an evolution strategy around the incumbent with step-size adaptation and restarts (from random
/// points, elite start points and the best found, until 24 restarts in a row find nothing better); each
/// generation screens twice as many candidates on a prefix of the traces as it replays in full (successive
/// halving). Candidates are evaluated in parallel into fixed slots, so results never depend on thread timing; the
/// same seed gives the same result whenever the search converges within its budget.
/// </summary>
public static class Tuner
{
    /// <summary>Task-minutes within this share of each other count as a tie (then actions, then simplicity decide).</summary>
    public const double TieTolerance = 0.002;

    private const int Offspring = 16;
    private const int RestartsWithoutGain = 24;

    /// <summary>Tunes <paramref name="baseline"/> on <paramref name="traces"/>.</summary>
    /// <param name="baseline">The stack's scaling as written (it must normalise).</param>
    /// <param name="alarmPrefix">The alarm-name prefix of the stack, so that names are validated as deployed.</param>
    /// <param name="traces">One or more demand traces, each at a resolution that fits the alarm periods.</param>
    /// <param name="options">What to tune and for how long.</param>
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

        var clock = Stopwatch.StartNew();
        var baselineSpec = ScalingNormalizer.Normalize(baseline, alarmPrefix).GetSpecOrThrow();
        var notes = new List<string>();
        var (target, targetSource) = Target(baselineSpec, options);
        var space = new SearchSpace(baseline, options.Policies, notes);
        if (space.Dimensions == 0)
        {
            throw new ArgumentException("Nothing to tune: no selected policy has a side tune can change.", nameof(options));
        }

        var (training, heldOut, screen) = Segments(baselineSpec, traces, options, target);
        var full = new CandidateEvaluator(alarmPrefix, training);
        var screener = screen.IsDefault ? null : new CandidateEvaluator(alarmPrefix, screen);
        var baselineScore = full.Evaluate(baseline, space.Complexity(baseline));
        var bucket = Math.Max(1e-9, TieTolerance * (double.IsFinite(baselineScore.TaskMinutes) ? baselineScore.TaskMinutes : 1));

        var search = new Search(space, full, screener, options, bucket, clock);
        var best = search.Run(baseline);

        // Rounding: rounder edges are kept only when they still meet every constraint at no real cost.
        var (recommended, score) = search.Polish(best.Definition, best.Score);
        // A config that is only simpler than the baseline, at the same cost, is not worth a change: keep the baseline.
        var baselineIsBest = baselineScore.Feasible && !Search.CheaperThan(score, baselineScore);
        if (baselineIsBest)
        {
            recommended = baseline;
            score = baselineScore;
        }

        var spec = full.Normalize(recommended) ?? baselineSpec;
        if (search.StoppedEarly)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the search stopped at its budget ({(options.MaxEvaluations is { } m && search.Evaluations >= m ? $"{m} evaluations" : $"{options.Budget.TotalSeconds:0.#} s")}) before it converged: this is the best found so far; a larger --budget may find better"));
        }

        return new TuningResult
        {
            Baseline = baseline,
            BaselineSpec = baselineSpec,
            Recommended = recommended,
            RecommendedSpec = spec,
            Score = score,
            BaselineScore = baselineScore,
            BaselineIsBest = baselineIsBest,
            BindingConstraint = score.Feasible ? null : Binding(full, spec, score, target),
            Target = target,
            TargetSource = targetSource,
            Training = training,
            HeldOut = heldOut,
            Evaluations = search.Evaluations,
            ScreenEvaluations = search.ScreenEvaluations,
            Generations = search.Generations,
            StoppedEarly = search.StoppedEarly,
            Elapsed = clock.Elapsed,
            Notes = [.. notes],
            TunedPolicies = [.. space.TunedPolicies],
        };
    }

    private static (double Target, string Source) Target(ScalingSpec spec, TuningOptions options)
    {
        if (options.Target is { } t)
        {
            return (t, "--target");
        }

        var p = spec.Policies.FirstOrDefault(q => q.Side == ScalingSide.ScaleOut && q.LoadModel == LoadModel.PerTask)
            ?? throw new ArgumentException("The stack has no per-task scale-out policy to take a target from; give --target.", nameof(options));
        return (p.Alarm.Threshold, $"the scale-out threshold of {p.Name}");
    }

    /// <summary>
    /// One trace: its first part is tuned on and its last <see cref="TuningOptions.Holdout"/> held out. Several:
    /// all tuned on. Allowances come from the baseline unless the options give them.
    /// </summary>
    private static (ImmutableArray<TuningSegment> Training, ImmutableArray<TuningSegment> HeldOut, ImmutableArray<TuningSegment> Screen) Segments(
        ScalingSpec baseline, IReadOnlyList<NamedTrace> traces, TuningOptions options, double target)
    {
        var sim = new SimulationOptions { RecordTimeline = false, RecordEvents = false, TargetUtilization = target, StartupDelaySeconds = options.StartupDelaySeconds };
        var parts = new List<(string Name, DemandTrace Trace, bool HeldOut)>();
        if (traces.Count == 1 && options.Holdout > 0)
        {
            var t = traces[0].Trace;
            var align = Math.Max(1, baseline.Policies.Max(p => p.Alarm.Period) / t.IntervalSeconds);
            var split = (int)Math.Round(t.Length * (1 - options.Holdout) / align) * align;
            if (split <= 0 || split >= t.Length)
            {
                throw new ArgumentException($"--holdout {options.Holdout.ToString(CultureInfo.InvariantCulture)} leaves no samples to tune on or to hold out in a trace of {t.Length} samples.", nameof(options));
            }

            var pct = (int)Math.Round((1 - options.Holdout) * 100);
            parts.Add(($"{traces[0].Name} (first {pct} %)", Slice(t, 0, split), false));
            parts.Add(($"{traces[0].Name} (held out, last {100 - pct} %)", Slice(t, split, t.Length - split), true));
        }
        else
        {
            parts.AddRange(traces.Select(t => (t.Name, t.Trace, false)));
        }

        TuningSegment Make(string name, DemandTrace trace, bool startWarm)
        {
            // A held-out part starts at the capacity its first sample needs, not at the minimum.
            var o = startWarm ? sim with { InitialCapacity = OracleCapacity(baseline, Slice(trace, 0, 1), target)[0] } : sim;
            var summary = Simulator.Run(baseline, trace, o).Summary;
            var minutes = trace.Length * (double)trace.IntervalSeconds / 60;
            var allowed = options.MaxMinutesAbove ?? (options.MaxAbovePercent is { } p ? p / 100 * minutes : summary.MinutesAboveTarget);
            return new TuningSegment(name, trace, o, allowed);
        }

        var training = parts.Where(p => !p.HeldOut).Select(p => Make(p.Name, p.Trace, false)).ToImmutableArray();
        var heldOut = parts.Where(p => p.HeldOut).Select(p => Make(p.Name, p.Trace, true)).ToImmutableArray();

        // Successive halving screens on the first third of each training part, when the parts are long enough to matter.
        var screen = default(ImmutableArray<TuningSegment>);
        if (training.Sum(s => s.Trace.Length) >= 3000)
        {
            screen = [.. training.Select(s =>
            {
                var align = Math.Max(1, baseline.Policies.Max(p => p.Alarm.Period) / s.Trace.IntervalSeconds);
                var n = Math.Max(align, s.Trace.Length / 3 / align * align);
                return Make(s.Name, Slice(s.Trace, 0, n), false);
            })];
        }

        return (training, heldOut, screen);
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

    private static string Binding(CandidateEvaluator full, ScalingSpec spec, CandidateScore score, double target)
    {
        if (!score.Valid)
        {
            return "validation: no candidate passed the normalizer";
        }

        if (score.Loops)
        {
            return "flap analysis: every candidate found has a scaling loop or reversal (flapCheck: error would fail)";
        }

        var sb = new StringBuilder();
        var summaries = full.Summaries(spec);
        for (var i = 0; i < summaries.Length; i++)
        {
            var seg = full.Segments[i];
            var s = summaries[i];
            if (s.Flaps > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"simulated flaps: the best candidate still reverses {s.Flaps} {(s.Flaps == 1 ? "time" : "times")} on {seg.Name}; ");
            }

            if (s.MinutesAboveTarget > seg.AllowedMinutesAbove)
            {
                var unserved = UnservableMinutes(spec, seg.Trace, target);
                sb.Append(CultureInfo.InvariantCulture, $"minutes above target: the best candidate spends {s.MinutesAboveTarget:0.#} minutes above {Num.Format(target)} on {seg.Name}, {seg.AllowedMinutesAbove:0.#} allowed");
                if (unserved > 0)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" (for {unserved:0.#} minutes the demand needs more than maxCapacity, {spec.MaxCapacity} tasks, at the target: no config can serve it)");
                }

                sb.Append("; ");
            }
        }

        return sb.Length == 0 ? "none" : sb.ToString().TrimEnd(' ', ';');
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

    /// <summary>The search state: evaluated candidates, the incumbent, the budget.</summary>
    private sealed class Search
    {
        private readonly SearchSpace _space;
        private readonly CandidateEvaluator _full;
        private readonly CandidateEvaluator? _screen;
        private readonly TuningOptions _options;
        private readonly double _bucket;
        private readonly Stopwatch _clock;
        private readonly Random _rng;
        private readonly Dictionary<ScalingDefinitionKey, CandidateScore> _cache = [];

        public Search(SearchSpace space, CandidateEvaluator full, CandidateEvaluator? screen, TuningOptions options, double bucket, Stopwatch clock)
        {
            _space = space;
            _full = full;
            _screen = screen;
            _options = options;
            _bucket = bucket;
            _clock = clock;
            _rng = new Random(options.Seed);
        }

        public int Evaluations { get; private set; }

        public int ScreenEvaluations { get; private set; }

        public int Generations { get; private set; }

        public bool StoppedEarly { get; private set; }

        private bool OutOfBudget()
        {
            if (_clock.Elapsed >= _options.Budget || (_options.MaxEvaluations is { } m && Evaluations >= m))
            {
                StoppedEarly = true;
            }

            return StoppedEarly;
        }

        public (ScalingDefinition Definition, CandidateScore Score) Run(ScalingDefinition baseline)
        {
            var d = _space.Dimensions;
            var start = new List<double[]>();
            if (_space.Encode(baseline) is { } encoded)
            {
                start.Add(encoded);
            }

            // A Latin hypercube: every coordinate's range is cut into n strata, each used once.
            var n = Math.Clamp(8 * d, 64, 320);
            var columns = new int[d][];
            for (var k = 0; k < d; k++)
            {
                columns[k] = [.. Enumerable.Range(0, n)];
                _rng.Shuffle(columns[k]);
            }

            for (var i = 0; i < n; i++)
            {
                var x = new double[d];
                for (var k = 0; k < d; k++)
                {
                    x[k] = (columns[k][i] + _rng.NextDouble()) / n;
                }

                start.Add(x);
            }

            // In chunks, so that a tight budget on a long trace stops between them (the first chunk always runs).
            var pool = new List<Evaluated>();
            for (var c = 0; c < start.Count && (c == 0 || !OutOfBudget()); c += 4 * Offspring)
            {
                var chunk = start.GetRange(c, Math.Min(4 * Offspring, start.Count - c));
                pool.AddRange(EvaluateBatch(chunk, keep: Math.Max(1, chunk.Count / 4)));
            }

            pool.Sort((a, b) => Compare(a.Score, b.Score));
            var elite = pool.Take(8).ToList();
            var global = pool[0];
            var incumbent = global;
            var sigma = 0.15;
            int stall = 0, restarts = 0, sinceGain = 0;
            while (!OutOfBudget())
            {
                Generations++;
                var children = new List<double[]>(2 * Offspring);
                for (var j = 0; j < 2 * Offspring; j++)
                {
                    var x = (double[])incumbent.X.Clone();
                    if (_rng.NextDouble() < 0.5)
                    {
                        for (var k = 0; k < d; k++)
                        {
                            x[k] = Reflect(x[k] + (sigma * Gaussian()));
                        }
                    }
                    else
                    {
                        // A few coordinates at a time: the discrete choices (band counts, periods) move one notch.
                        var moves = 1 + _rng.Next(3);
                        for (var m = 0; m < moves; m++)
                        {
                            var k = _rng.Next(d);
                            x[k] = Reflect(x[k] + (Math.Max(sigma, 0.08) * 2 * Gaussian()));
                        }
                    }

                    children.Add(x);
                }

                var results = EvaluateBatch(children, keep: Offspring);
                var bestChild = results.OrderBy(r => r, Comparer<Evaluated>.Create((a, b) => Compare(a.Score, b.Score))).FirstOrDefault();
                if (bestChild is not null && Better(bestChild.Score, incumbent.Score))
                {
                    incumbent = bestChild;
                    sigma = Math.Min(0.5, sigma * 1.25);
                    stall = 0;
                }
                else
                {
                    sigma *= 0.75;
                    stall++;
                }

                if (Better(incumbent.Score, global.Score))
                {
                    global = incumbent;
                    sinceGain = 0;
                }

                if (sigma < 0.02 || stall >= 8)
                {
                    // Restart: alternately from an elite start point and from the best found, with a wide step.
                    if (++sinceGain > RestartsWithoutGain)
                    {
                        break;
                    }

                    // In turn: a fresh random point (new ground), an elite start point, the best found (a wider look around it).
                    restarts++;
                    if (restarts % 3 == 1)
                    {
                        var fresh = new double[d];
                        for (var k = 0; k < d; k++)
                        {
                            fresh[k] = _rng.NextDouble();
                        }

                        incumbent = EvaluateBatch([fresh], keep: 1)[0];
                    }
                    else
                    {
                        incumbent = restarts % 3 == 2 && elite.Count > 1 ? elite[1 + ((restarts / 3) % (elite.Count - 1))] : global;
                    }

                    sigma = 0.3;
                    stall = 0;
                }
            }

            return (global.Definition, global.Score);
        }

        /// <summary>Greedy rounding to rounder edges, each kept only if every constraint still holds at no real cost.</summary>
        public (ScalingDefinition Definition, CandidateScore Score) Polish(ScalingDefinition definition, CandidateScore score)
        {
            if (!score.Feasible)
            {
                return (definition, score);
            }

            for (var round = 0; round < 40; round++)
            {
                var variants = _space.Rounder(definition).ToList();
                var scored = EvaluateDefinitions(variants);
                var accepted = false;
                for (var i = 0; i < variants.Count; i++)
                {
                    var s = scored[i];
                    if (s.Feasible && s.TaskMinutes <= (score.TaskMinutes * (1 + TieTolerance)) + 1e-9 && s.ScaleActions <= score.ScaleActions && s.Complexity < score.Complexity)
                    {
                        definition = variants[i];
                        score = s;
                        accepted = true;
                        break;
                    }
                }

                if (!accepted)
                {
                    break;
                }
            }

            return (definition, score);
        }

        /// <summary>Feasible first; then task-minutes (ties within the tolerance), scale actions, simplicity.</summary>
        public int Compare(CandidateScore a, CandidateScore b)
        {
            var va = a.Violation;
            var vb = b.Violation;
            if (va > 0 || vb > 0)
            {
                var c = va.CompareTo(vb);
                return c != 0 ? c : a.TaskMinutes.CompareTo(b.TaskMinutes);
            }

            var ba = Math.Floor(a.TaskMinutes / _bucket);
            var bb = Math.Floor(b.TaskMinutes / _bucket);
            if (ba != bb)
            {
                return ba.CompareTo(bb);
            }

            if (a.ScaleActions != b.ScaleActions)
            {
                return a.ScaleActions.CompareTo(b.ScaleActions);
            }

            return a.Complexity != b.Complexity ? a.Complexity.CompareTo(b.Complexity) : a.TaskMinutes.CompareTo(b.TaskMinutes);
        }

        public bool Better(CandidateScore a, CandidateScore b) => Compare(a, b) < 0;

        /// <summary>Whether <paramref name="a"/> meets every constraint and beats <paramref name="b"/> on task-minutes (beyond a tie) or, tied, on scale actions.</summary>
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

            return a.ScaleActions < b.ScaleActions;
        }

        private double Gaussian()
        {
            var u1 = 1 - _rng.NextDouble();
            var u2 = _rng.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        private static double Reflect(double v)
        {
            v = Math.Abs(v) % 2;
            return Math.Min(v > 1 ? 2 - v : v, 0.999_999);
        }

        /// <summary>
        /// Successive halving: with a screen, every candidate is replayed on the prefix and the best
        /// <paramref name="keep"/> in full. Decoding and cache look-ups are sequential; replays run in parallel
        /// into fixed slots, so the outcome does not depend on thread timing.
        /// </summary>
        private List<Evaluated> EvaluateBatch(List<double[]> points, int keep)
        {
            var defs = points.Select(p => _space.Decode(p)).ToList();
            var indices = Enumerable.Range(0, defs.Count).ToList();
            if (_screen is not null && defs.Count > keep)
            {
                var screenScores = Parallel(defs.Count, i => _screen.Evaluate(defs[i], _space.Complexity(defs[i])));
                ScreenEvaluations += defs.Count;
                indices = [.. indices.OrderBy(i => i, Comparer<int>.Create((a, b) =>
                {
                    var c = Compare(screenScores[a], screenScores[b]);
                    return c != 0 ? c : a.CompareTo(b);
                })).Take(keep)];
            }

            var chosen = indices.Select(i => defs[i]).ToList();
            var scores = EvaluateDefinitions(chosen);
            return [.. indices.Select((i, j) => new Evaluated(points[i], defs[i], scores[j]))];
        }

        private CandidateScore[] EvaluateDefinitions(List<ScalingDefinition> defs)
        {
            var keys = defs.Select(ScalingDefinitionKey.Of).ToArray();
            var scores = new CandidateScore[defs.Count];
            var todo = new List<int>();
            var firstOf = new Dictionary<ScalingDefinitionKey, int>();
            for (var i = 0; i < defs.Count; i++)
            {
                if (_cache.TryGetValue(keys[i], out var cached))
                {
                    scores[i] = cached;
                }
                else if (!firstOf.ContainsKey(keys[i]))
                {
                    firstOf[keys[i]] = i;
                    todo.Add(i);
                }
            }

            var fresh = Parallel(todo.Count, j => _full.Evaluate(defs[todo[j]], _space.Complexity(defs[todo[j]])));
            Evaluations += todo.Count;
            for (var j = 0; j < todo.Count; j++)
            {
                _cache[keys[todo[j]]] = fresh[j];
            }

            for (var i = 0; i < defs.Count; i++)
            {
                scores[i] = _cache[keys[i]];
            }

            return scores;
        }

        private CandidateScore[] Parallel(int count, Func<int, CandidateScore> evaluate)
        {
            var results = new CandidateScore[count];
            System.Threading.Tasks.Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism) }, i => results[i] = evaluate(i));
            return results;
        }
    }

    private sealed record Evaluated(double[] X, ScalingDefinition Definition, CandidateScore Score);

    /// <summary>A value key of a definition's policies (records compare their arrays by reference).</summary>
    private readonly record struct ScalingDefinitionKey(string Text)
    {
        public static ScalingDefinitionKey Of(ScalingDefinition d)
        {
            var sb = new StringBuilder();
            foreach (var p in d.Policies)
            {
                foreach (var side in new[] { p.ScaleOut, p.ScaleIn })
                {
                    if (side is null)
                    {
                        sb.Append('-');
                        continue;
                    }

                    sb.Append(CultureInfo.InvariantCulture, $"{side.Cooldown}/{side.EvaluationPeriods}/{side.DatapointsToAlarm}:");
                    if (side.Steps is BandSteps b)
                    {
                        foreach (var band in b.Bands)
                        {
                            sb.Append(CultureInfo.InvariantCulture, $"[{band.From},{band.To},{band.Change}]");
                        }
                    }
                    else
                    {
                        sb.Append(side.Steps.GetHashCode());
                    }

                    sb.Append('|');
                }
            }

            return new ScalingDefinitionKey(sb.ToString());
        }
    }
}
