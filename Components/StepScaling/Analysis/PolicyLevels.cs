using System.Collections.Immutable;
using StepScaling.Model;

namespace StepScaling.Analysis;

/// <summary>
/// One policy's answer as a function of the metric value, exactly: the metric values (doubles) at which the alarm or
/// the step it picks can change, and the adjustment between them. The alarm (<see cref="AwsNames.Breaches"/>) and
/// <see cref="Steps.Find"/> are the definitions: every bound is located by probing them, so the levels are right to
/// the last bit however the bounds were derived. Assumes what any reading of AWS's rule gives: each bound's test is
/// monotone in the metric value.
/// </summary>
internal sealed class PolicyLevels
{
    private PolicyLevels(StepPolicy policy, int index)
    {
        Policy = policy;
        Index = index;
    }

    /// <summary>The policy.</summary>
    public StepPolicy Policy { get; }

    /// <summary>Its index in the spec (ties between equal targets go to the lower one).</summary>
    public int Index { get; }

    /// <summary>Whether the metric is demand ÷ tasks.</summary>
    public bool PerTask => Policy.LoadModel == LoadModel.PerTask;

    /// <summary>Ascending metric values, all &gt; 0: run k + 1 starts at <c>Levels[k]</c>; run 0 starts at 0.</summary>
    public double[] Levels { get; private set; } = [];

    /// <summary>Per run: whether the policy acts (its alarm fires and a step matches).</summary>
    public bool[] Acts { get; private set; } = [];

    /// <summary>Per run: the step's scaling adjustment when it acts.</summary>
    public int[] Adjustment { get; private set; } = [];

    /// <summary>
    /// The edges, ordered by level: the exact level, the edge as written (threshold + bound, for choosing the
    /// demand the analysis reports), and the run that starts there.
    /// </summary>
    public Edge[] Edges { get; private set; } = [];

    /// <summary>The distinct adjustments of acting runs.</summary>
    public int[] ActingAdjustments { get; private set; } = [];

    /// <summary>Where the first acting run starts (inclusive); +∞ when the policy never acts.</summary>
    public double ActsFrom { get; private set; }

    /// <summary>Where the last acting run ends (exclusive); +∞ when it is the top run.</summary>
    public double ActsBelow { get; private set; }

    /// <summary>An edge of the policy in metric values.</summary>
    /// <param name="Level">The least metric value of the run that starts here.</param>
    /// <param name="Nominal">The edge as written: threshold + bound.</param>
    /// <param name="Run">The run that starts at <paramref name="Level"/>.</param>
    internal readonly record struct Edge(double Level, double Nominal, int Run)
    {
        /// <summary>Edges are ordered by <see cref="Level"/>.</summary>
        internal readonly struct ByLevel : ISortKey<Edge>
        {
            public static double Of(in Edge item) => item.Level;
        }
    }

    /// <summary>Locates every edge of <paramref name="policy"/> and the answer between them.</summary>
    public static PolicyLevels Build(StepPolicy policy, int index)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var levels = new PolicyLevels(policy, index);
        var op = policy.Alarm.ComparisonOperator;
        var threshold = policy.Alarm.Threshold;
        var found = new List<(double Level, double Nominal)>();

        // The alarm, then each bound on its own: a one-step list asks Steps.Find about that bound alone.
        Locate(new BoundTest(op, threshold, default), threshold, found);
        foreach (var s in policy.Scaling.StepAdjustments)
        {
            if (s.LowerBound is { } l)
            {
                Locate(new BoundTest(op, threshold, [new StepAdjustment(l, null, s.ScalingAdjustment)]), threshold + l, found);
            }

            if (s.UpperBound is { } u)
            {
                Locate(new BoundTest(op, threshold, [new StepAdjustment(null, u, s.ScalingAdjustment)]), threshold + u, found);
            }
        }

        var distinct = found.Select(f => f.Level).Distinct().Order().ToArray();
        levels.Levels = distinct;
        levels.Edges = [.. found.Distinct().OrderBy(f => f.Level).ThenBy(f => f.Nominal).Select(f => new Edge(f.Level, f.Nominal, Array.BinarySearch(distinct, f.Level) + 1))];
        levels.Acts = new bool[distinct.Length + 1];
        levels.Adjustment = new int[distinct.Length + 1];
        var steps = policy.Scaling.StepAdjustments;
        double from = double.PositiveInfinity, below = double.PositiveInfinity;
        for (var k = 0; k <= distinct.Length; k++)
        {
            // Every test is constant on a run, so its first value decides for all of it.
            var value = k == 0 ? 0 : distinct[k - 1];
            if (op.Breaches(value, threshold) && Steps.Find(steps, op, threshold, value) is { } step)
            {
                levels.Acts[k] = true;
                levels.Adjustment[k] = step.ScalingAdjustment;
                from = Math.Min(from, value);
                below = k == distinct.Length ? double.PositiveInfinity : distinct[k];
            }
        }

        levels.ActsFrom = from;
        levels.ActsBelow = below;
        levels.ActingAdjustments = [.. Enumerable.Range(0, distinct.Length + 1).Where(k => levels.Acts[k]).Select(k => levels.Adjustment[k]).Distinct()];
        return levels;
    }

    /// <summary>The run that holds metric value <paramref name="value"/> (≥ 0).</summary>
    public int RunAt(double value) => Sorted.CountAtOrBelow(Levels, value);

    /// <summary>The first edge whose level is above <paramref name="value"/>.</summary>
    public int FirstEdgeAbove(double value) => Sorted.CountAtOrBelow<Edge, Edge.ByLevel>(Edges, value);

    /// <summary>The capacity run <paramref name="run"/> asks for at <paramref name="tasks"/>, clamped; <see cref="int.MinValue"/> when it does not act.</summary>
    public int Target(int run, int tasks, int min, int max) =>
        Acts[run] ? Capacity.Clamp(Capacity.Apply(tasks, Policy.Scaling, Adjustment[run]), min, max) : int.MinValue;

    /// <summary>The metric value at <paramref name="demand"/> with <paramref name="tasks"/> running (the simulator's model, CPU and memory capped at 100 %).</summary>
    public double MetricValue(double demand, int tasks) => Capacity.MetricValue(demand, Policy, tasks);

    /// <summary>The least demand at which the metric reaches <paramref name="level"/> with <paramref name="tasks"/> running; NaN if no finite demand does.</summary>
    public double DemandReaching(double level, int tasks)
    {
        // CPU and memory never read above 100 % (Capacity.MetricValue caps them): a higher level is never reached.
        if (Capacity.Saturates(Policy.Metric) && level > Capacity.MaxUtilization)
        {
            return double.NaN;
        }

        var reaches = new Reaches(Policy.LoadModel, Policy.LoadRatio, tasks, level);
        var hint = PerTask ? level * tasks / Policy.LoadRatio : level / Policy.LoadRatio;
        return MonotoneSearch.LeastHolding(ref reaches, hint, MonotoneSearch.MaxValueBits);
    }

    /// <summary>The demand the old arithmetic puts an edge at: edge × tasks ÷ ratio (edge ÷ ratio for an independent metric).</summary>
    public double NominalDemand(double nominal, int tasks) =>
        PerTask ? nominal * tasks / Policy.LoadRatio : nominal / Policy.LoadRatio;

    private static void Locate(BoundTest test, double nominal, List<(double, double)> into)
    {
        // Metric values from 0 to +∞ (an overflowing demand × ratio reads +∞).
        var atZero = test.Raw(0);
        if (test.Raw(double.PositiveInfinity) == atZero)
        {
            return;
        }

        var flips = test with { AtZero = atZero };
        into.Add((MonotoneSearch.LeastHolding(ref flips, nominal, MonotoneSearch.InfinityBits), nominal));
    }

    /// <summary>The alarm (no step) or one bound of one step (a one-step list), as a test that flips once as the metric rises.</summary>
    private readonly record struct BoundTest(ComparisonOperator Op, double Threshold, ImmutableArray<StepAdjustment> Step) : IMonotonePredicate
    {
        public bool AtZero { get; init; }

        public bool Raw(double value) => Step.IsDefault ? Op.Breaches(value, Threshold) : Steps.Find(Step, Op, Threshold, value) is not null;

        public bool Holds(double x) => Raw(x) != AtZero;
    }

    /// <summary>Whether the metric at a demand reaches a level (false where the metric is undefined).</summary>
    private readonly record struct Reaches(LoadModel Model, double Ratio, int Tasks, double Level) : IMonotonePredicate
    {
        public bool Holds(double x) => Capacity.MetricValue(x, Model, Ratio, Tasks) >= Level;
    }
}
