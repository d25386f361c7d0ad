using System.Diagnostics;
using System.Globalization;
using System.Text;
using StepScaling.Model;

namespace StepScaling.Tuning;

/// <summary>How long one search may run: wall time and, optionally, full evaluations.</summary>
/// <param name="Time">Wall time.</param>
/// <param name="MaxEvaluations">Full evaluations; null for no limit.</param>
internal sealed record SearchBudget(TimeSpan Time, int? MaxEvaluations);

/// <summary>
/// One search over a <see cref="SearchSpace"/>: a Latin-hypercube start (plus the baseline), then an evolution
/// strategy around the incumbent with step-size adaptation and restarts, every generation screened on a prefix when
/// a screen is given (successive halving). Every loop-free candidate replayed in full is offered to the Pareto front.
/// </summary>
internal sealed class Search
{
    private const int Offspring = 16;
    private const int RestartsWithoutGain = 24;

    private readonly SearchSpace _space;
    private readonly CandidateEvaluator _full;
    private readonly CandidateEvaluator? _screen;
    private readonly SearchBudget _budget;
    private readonly int _parallelism;
    private readonly double _bucket;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Random _rng;
    private readonly Dictionary<string, CandidateScore> _cache = [];
    private readonly Action<int, Objectives, bool>? _progress;

    public Search(SearchSpace space, CandidateEvaluator full, CandidateEvaluator? screen, SearchBudget budget, int seed, int parallelism, double bucket, Action<int, Objectives, bool>? progress)
    {
        _space = space;
        _full = full;
        _screen = screen;
        _budget = budget;
        _parallelism = Math.Max(1, parallelism);
        _bucket = bucket;
        _rng = new Random(seed);
        _progress = progress;
    }

    public int Evaluations { get; private set; }

    public int ScreenEvaluations { get; private set; }

    public int Generations { get; private set; }

    public bool StoppedEarly { get; private set; }

    /// <summary>The loop-free candidates no other dominates on cost, service and churn over the evaluator's segments.</summary>
    public ParetoFront<ScalingDefinition> Front { get; } = new();

    private bool OutOfBudget()
    {
        if (_clock.Elapsed >= _budget.Time || (_budget.MaxEvaluations is { } m && Evaluations >= m))
        {
            StoppedEarly = true;
        }

        return StoppedEarly;
    }

    /// <summary>Runs the search from <paramref name="baseline"/> and a Latin hypercube; returns the best candidate found.</summary>
    public (ScalingDefinition Definition, CandidateScore Score) Run(ScalingDefinition baseline)
    {
        var pool = Start(baseline);
        pool.Sort((a, b) => Compare(a.Score, b.Score));
        var elite = pool.Take(8).ToList();
        var global = pool[0];
        var incumbent = global;
        var sigma = 0.15;
        int stall = 0, restarts = 0, sinceGain = 0;
        while (!OutOfBudget())
        {
            Generations++;
            var bestChild = Generation(incumbent, sigma);
            if (bestChild is not null && Better(bestChild.Score, incumbent.Score))
            {
                (incumbent, sigma, stall) = (bestChild, Math.Min(0.5, sigma * 1.25), 0);
            }
            else
            {
                (sigma, stall) = (sigma * 0.75, stall + 1);
            }

            if (Better(incumbent.Score, global.Score))
            {
                (global, sinceGain) = (incumbent, 0);
            }

            _progress?.Invoke(Evaluations, global.Score.Figures, global.Score.Feasible);
            if (sigma < 0.02 || stall >= 8)
            {
                if (++sinceGain > RestartsWithoutGain)
                {
                    break;
                }

                // In turn: a fresh random point (new ground), an elite start point, the best found (a wider look around it).
                incumbent = Restart(++restarts, elite, global);
                (sigma, stall) = (0.3, 0);
            }
        }

        return (global.Definition, global.Score);
    }

    /// <summary>The baseline and a Latin hypercube (every coordinate's range cut into n strata, each used once), in chunks so a tight budget stops between them.</summary>
    private List<Evaluated> Start(ScalingDefinition baseline)
    {
        var d = _space.Dimensions;
        var start = new List<double[]>();
        if (_space.Encode(baseline) is { } encoded)
        {
            start.Add(encoded);
        }

        var n = Math.Clamp(8 * d, 64, 320);
        var columns = new int[d][];
        for (var k = 0; k < d; k++)
        {
            columns[k] = [.. Enumerable.Range(0, n)];
            _rng.Shuffle(columns[k]);
        }

        for (var i = 0; i < n; i++)
        {
            start.Add([.. Enumerable.Range(0, d).Select(k => (columns[k][i] + _rng.NextDouble()) / n)]);
        }

        var pool = new List<Evaluated>();
        for (var c = 0; c < start.Count && (c == 0 || !OutOfBudget()); c += 4 * Offspring)
        {
            var chunk = start.GetRange(c, Math.Min(4 * Offspring, start.Count - c));
            pool.AddRange(EvaluateBatch(chunk, keep: Math.Max(1, chunk.Count / 4)));
        }

        return pool;
    }

    /// <summary>One generation around the incumbent: Gaussian steps on every coordinate or a few at a time; the best child.</summary>
    private Evaluated? Generation(Evaluated incumbent, double sigma)
    {
        var d = _space.Dimensions;
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
        return results.OrderBy(r => r, Comparer<Evaluated>.Create((a, b) => Compare(a.Score, b.Score))).FirstOrDefault();
    }

    private Evaluated Restart(int restarts, List<Evaluated> elite, Evaluated global)
    {
        if (restarts % 3 == 1)
        {
            var fresh = new double[_space.Dimensions];
            for (var k = 0; k < fresh.Length; k++)
            {
                fresh[k] = _rng.NextDouble();
            }

            return EvaluateBatch([fresh], keep: 1)[0];
        }

        return restarts % 3 == 2 && elite.Count > 1 ? elite[1 + ((restarts / 3) % (elite.Count - 1))] : global;
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
            var i = scored.ToList().FindIndex(s => s.Feasible && s.TaskMinutes <= (score.TaskMinutes * (1 + Tuner.TieTolerance)) + 1e-9 && s.Figures.Churn <= score.Figures.Churn && s.Complexity < score.Complexity);
            if (i < 0)
            {
                break;
            }

            (definition, score) = (variants[i], scored[i]);
        }

        return (definition, score);
    }

    /// <summary>The selection rule: feasible first (else the smaller violation); then task-minutes (ties within the tolerance), churn, simplicity.</summary>
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

        if (a.Figures.Churn != b.Figures.Churn)
        {
            return a.Figures.Churn.CompareTo(b.Figures.Churn);
        }

        return a.Complexity != b.Complexity ? a.Complexity.CompareTo(b.Complexity) : a.TaskMinutes.CompareTo(b.TaskMinutes);
    }

    public bool Better(CandidateScore a, CandidateScore b) => Compare(a, b) < 0;

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

        var scores = EvaluateDefinitions([.. indices.Select(i => defs[i])]);
        return [.. indices.Select((i, j) => new Evaluated(points[i], defs[i], scores[j]))];
    }

    /// <summary>Scores definitions (each new one once, in parallel), offering every new loop-free one to the front in order.</summary>
    public CandidateScore[] EvaluateDefinitions(List<ScalingDefinition> defs)
    {
        var keys = defs.Select(Key).ToArray();
        var todo = new List<int>();
        var seen = new HashSet<string>();
        for (var i = 0; i < defs.Count; i++)
        {
            if (!_cache.ContainsKey(keys[i]) && seen.Add(keys[i]))
            {
                todo.Add(i);
            }
        }

        var fresh = Parallel(todo.Count, j => _full.Evaluate(defs[todo[j]], _space.Complexity(defs[todo[j]])));
        Evaluations += todo.Count;
        for (var j = 0; j < todo.Count; j++)
        {
            _cache[keys[todo[j]]] = fresh[j];
            if (fresh[j] is { Valid: true, Loops: false } s)
            {
                Front.Add(defs[todo[j]], s.Figures, s.Feasible);
            }
        }

        return [.. keys.Select(k => _cache[k])];
    }

    private CandidateScore[] Parallel(int count, Func<int, CandidateScore> evaluate)
    {
        var results = new CandidateScore[count];
        System.Threading.Tasks.Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, i => results[i] = evaluate(i));
        return results;
    }

    private sealed record Evaluated(double[] X, ScalingDefinition Definition, CandidateScore Score);

    /// <summary>A value key of a definition's policies (records compare their arrays by reference).</summary>
    internal static string Key(ScalingDefinition d)
    {
        var sb = new StringBuilder();
        foreach (var side in d.Policies.SelectMany(p => new[] { p.ScaleOut, p.ScaleIn }))
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

        return sb.ToString();
    }
}
