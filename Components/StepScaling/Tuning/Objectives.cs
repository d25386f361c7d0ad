using System.Collections.Immutable;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>
/// A configuration's figures on some demand, summed over its segments: what the three objectives are made of.
/// </summary>
/// <param name="TaskMinutes">Task-minutes (cost).</param>
/// <param name="MinutesAbove">Minutes with the per-task metric above the target (service).</param>
/// <param name="Unserved">Work beyond what the running tasks could do at 100 %, in task-minutes (service); 0 when the metric has no 100 %.</param>
/// <param name="ScaleActions">Scale actions (churn).</param>
/// <param name="Reversals">Direction reversals within the flap window (churn).</param>
/// <param name="Days">Days of demand the figures cover.</param>
public readonly record struct Objectives(double TaskMinutes, double MinutesAbove, double Unserved, int ScaleActions, int Reversals, double Days)
{
    /// <summary>Nothing yet: the sum's start.</summary>
    public static readonly Objectives Zero = new(0, 0, 0, 0, 0, 0);

    /// <summary>Figures no candidate can reach, for one the normalizer or the flap analysis rejects.</summary>
    public static readonly Objectives Rejected = new(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, int.MaxValue, int.MaxValue, 0);

    /// <summary>The cost objective: task-minutes.</summary>
    public double Cost => TaskMinutes;

    /// <summary>The service objective: minutes above target plus unserved task-minutes (both 0 for a perfect service).</summary>
    public double Service => MinutesAbove + Unserved;

    /// <summary>The churn objective: scale actions and reversals per day (a reversal counts as an action and once more as a reversal).</summary>
    public double Churn => Days > 0 ? (ScaleActions + (double)Reversals) / Days : ScaleActions + (double)Reversals;

    /// <summary>Scale actions per day.</summary>
    public double ActionsPerDay => Days > 0 ? ScaleActions / Days : ScaleActions;

    /// <summary>Reversals per day.</summary>
    public double ReversalsPerDay => Days > 0 ? Reversals / Days : Reversals;

    /// <summary>The figures of one replay of <paramref name="days"/> of demand.</summary>
    public static Objectives Of(SimulationSummary summary, double days)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.TaskMinutes, summary.MinutesAboveTarget, summary.UnservedTaskMinutes ?? 0, summary.ScaleActions, summary.Flaps, days);
    }

    /// <summary>Both sets of figures together (segments back to back).</summary>
    public Objectives Plus(Objectives other) =>
        new(TaskMinutes + other.TaskMinutes, MinutesAbove + other.MinutesAbove, Unserved + other.Unserved, ScaleActions + other.ScaleActions, Reversals + other.Reversals, Days + other.Days);

    /// <summary>
    /// Whether these figures Pareto-dominate <paramref name="other"/>: no worse on cost, service and churn, and better
    /// on at least one.
    /// </summary>
    public bool Dominates(Objectives other) =>
        Cost <= other.Cost && Service <= other.Service && Churn <= other.Churn
        && (Cost < other.Cost || Service < other.Service || Churn < other.Churn);
}

/// <summary>
/// What a candidate may spend on one segment; a candidate meets the constraints when it stays within every limit on
/// every segment. By default each limit is the baseline's own figure on that segment ("no worse than the stack as written").
/// </summary>
/// <param name="MaxMinutesAbove">Minutes above target.</param>
/// <param name="MaxUnserved">Unserved task-minutes.</param>
/// <param name="MaxActions">Scale actions.</param>
/// <param name="MaxReversals">Reversals within the flap window.</param>
public sealed record SegmentLimits(double MaxMinutesAbove, double MaxUnserved, double MaxActions, double MaxReversals)
{
    /// <summary>No limit at all.</summary>
    public static readonly SegmentLimits None = new(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity);

    /// <summary>How far <paramref name="o"/> exceeds the limits, weighted so that churn counts as much as service; 0 within them.</summary>
    public double Excess(Objectives o) =>
        Math.Max(0, o.MinutesAbove - MaxMinutesAbove - 1e-9) + Math.Max(0, o.Unserved - MaxUnserved - 1e-9)
        + (10 * Math.Max(0, o.ScaleActions - MaxActions)) + (100 * Math.Max(0, o.Reversals - MaxReversals));

    /// <summary>Each limit <paramref name="o"/> exceeds, in words with both figures; empty within them.</summary>
    public IEnumerable<string> Exceeded(Objectives o)
    {
        if (o.MinutesAbove > MaxMinutesAbove + 1e-9)
        {
            yield return FormattableString.Invariant($"minutes above target {o.MinutesAbove:0.#} > {MaxMinutesAbove:0.#} allowed");
        }

        if (o.Unserved > MaxUnserved + 1e-9)
        {
            yield return FormattableString.Invariant($"unserved task-minutes {o.Unserved:0.#} > {MaxUnserved:0.#} allowed");
        }

        if (o.ScaleActions > MaxActions)
        {
            yield return FormattableString.Invariant($"scale actions {o.ScaleActions} > {Math.Floor(MaxActions):0} allowed");
        }

        if (o.Reversals > MaxReversals)
        {
            yield return FormattableString.Invariant($"reversals {o.Reversals} > {Math.Floor(MaxReversals):0} allowed");
        }
    }
}

/// <summary>One point of the front: a configuration and its figures on all the data.</summary>
/// <typeparam name="T">The configuration (a step-scaling definition, a target-tracking policy).</typeparam>
/// <param name="Item">The configuration.</param>
/// <param name="Figures">Its figures.</param>
/// <param name="Feasible">Whether it meets every limit on every segment.</param>
public sealed record FrontPoint<T>(T Item, Objectives Figures, bool Feasible);

/// <summary>
/// The Pareto front of cost, service and churn: every point offered that no other point dominates. Adding a point
/// drops the points it dominates; a point dominated by one already kept (or with the same figures) is refused.
/// </summary>
/// <typeparam name="T">The configuration type.</typeparam>
public sealed class ParetoFront<T>
{
    private readonly List<FrontPoint<T>> _points = [];

    /// <summary>The points kept, in the order they were added.</summary>
    public IReadOnlyList<FrontPoint<T>> Points => _points;

    /// <summary>Offers a point; true when it joins the front.</summary>
    public bool Add(T item, Objectives figures, bool feasible)
    {
        if (!double.IsFinite(figures.TaskMinutes))
        {
            return false;
        }

        foreach (var p in _points)
        {
            if (p.Figures.Dominates(figures) || SameFigures(p.Figures, figures))
            {
                return false;
            }
        }

        _points.RemoveAll(p => figures.Dominates(p.Figures));
        _points.Add(new FrontPoint<T>(item, figures, feasible));
        return true;
    }

    /// <summary>The point with the fewest task-minutes (then the better service, then the calmer).</summary>
    public FrontPoint<T>? Cheapest => Best(p => (p.Figures.Cost, p.Figures.Service, p.Figures.Churn));

    /// <summary>The point with the best service (then the cheaper).</summary>
    public FrontPoint<T>? Safest => Best(p => (p.Figures.Service, p.Figures.Cost, p.Figures.Churn));

    /// <summary>The point with the least churn (then the better service, then the cheaper).</summary>
    public FrontPoint<T>? Calmest => Best(p => (p.Figures.Churn, p.Figures.Service, p.Figures.Cost));

    /// <summary>The points, cheapest first.</summary>
    public ImmutableArray<FrontPoint<T>> ByCost() => [.. _points.OrderBy(p => p.Figures.Cost).ThenBy(p => p.Figures.Service)];

    private FrontPoint<T>? Best(Func<FrontPoint<T>, (double, double, double)> key) =>
        _points.Count == 0 ? null : _points.MinBy(key);

    private static bool SameFigures(Objectives a, Objectives b) =>
        a.Cost == b.Cost && a.Service == b.Service && a.Churn == b.Churn;
}
