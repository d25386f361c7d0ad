using System.Collections.Immutable;
using System.Globalization;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Analysis;

/// <summary>What kind of loop a finding describes.</summary>
public enum FlapKind
{
    /// <summary>Scale-out and scale-in on the same metric undo each other.</summary>
    SameMetricLoop,

    /// <summary>A scale-in on one metric undoes a scale-out on another (the blog post's CPU-versus-memory case).</summary>
    CrossMetricLoop,
}

/// <summary>A loop found by the static analysis, with its smallest counter-example and a fix.</summary>
public sealed record FlapFinding
{
    /// <summary>Same metric or across metrics.</summary>
    public required FlapKind Kind { get; init; }

    /// <summary>The policy that acts first.</summary>
    public required string FirstPolicy { get; init; }

    /// <summary>The policy that undoes it.</summary>
    public required string SecondPolicy { get; init; }

    /// <summary>The config path the finding is reported at (the scale-in side involved).</summary>
    public required string Path { get; init; }

    /// <summary>The capacity the counter-example starts at.</summary>
    public required int Capacity { get; init; }

    /// <summary>The steady demand of the counter-example (metric units × tasks for per-task metrics).</summary>
    public required double Demand { get; init; }

    /// <summary>The capacity after the first action.</summary>
    public required int CapacityAfterFirst { get; init; }

    /// <summary>The capacity after the second action.</summary>
    public required int CapacityAfterSecond { get; init; }

    /// <summary>About how long one turn of the loop takes, in seconds.</summary>
    public required int CycleSeconds { get; init; }

    /// <summary>The counter-example in words.</summary>
    public required string Message { get; init; }

    /// <summary>The smallest change that removes the loop, in words.</summary>
    public required string Suggestion { get; init; }

    /// <summary>The scale-in threshold that removes the loop, when lowering it can.</summary>
    public double? SuggestedScaleInThreshold { get; init; }

    /// <summary>The finding as a diagnostic of the severity the flap-check mode asks for.</summary>
    public Diagnostic ToDiagnostic(FlapCheckMode mode) =>
        new(mode == FlapCheckMode.Error ? Severity.Error : Severity.Warning, Path, $"{Describe()}. Fix: {Suggestion}") { Rule = mode == FlapCheckMode.Error ? null : ScalingRules.Flap.Id };

    /// <summary>The kind and the counter-example.</summary>
    public string Describe() => (Endless, Kind) switch
    {
        (true, FlapKind.SameMetricLoop) => "scaling loop: ",
        (true, _) => "scaling loop across metrics: ",
        (false, FlapKind.SameMetricLoop) => "scaling reversal: ",
        _ => "scaling reversal across metrics: ",
    } + Message;

    /// <summary>
    /// Whether the actions repeat for as long as the demand holds: the second returns to the starting capacity, or
    /// the first action is taken again from there. Otherwise the second only undoes part of an overshoot.
    /// </summary>
    public bool Endless { get; init; }
}

/// <summary>
/// Static flap analysis. Under a steady demand D, every per-task metric reads D × ratio ÷ tasks (the model the
/// simulator uses, through <see cref="Capacity.MetricValue(double, StepPolicy, int)"/>). For every capacity in
/// [min, max] the demand axis is cut at every threshold and band edge of every policy, each placed to the last bit
/// where the alarm or the step it picks really changes (located by probing the definitions, not by arithmetic that
/// may round the other way); within a cell every alarm and step decision is constant, so testing each cell is
/// exhaustive. A loop is a cell where the capacity the alarms choose is then reversed by the alarms at the new
/// capacity. Each capacity's decision over demand is built once, in one sweep, and reused as the target of its
/// neighbours. Assumes that new tasks take load within the scale-out cooldown (otherwise repeated scale-outs overshoot).
/// </summary>
public static class FlapAnalyzer
{
    /// <summary>Finds every loop: one finding (the smallest counter-example) per pair of policies.</summary>
    public static ImmutableArray<FlapFinding> Analyze(ScalingSpec spec) => Analyze(spec, suggestFixes: true);

    /// <summary>Whether any loop exists (no messages, no fixes: the fast path).</summary>
    public static bool HasLoop(ScalingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Policies.IsDefaultOrEmpty)
        {
            return false;
        }

        var visitor = new AnyLoop();
        Search(spec, Levels(spec), ref visitor);
        return visitor.Found;
    }

    private static ImmutableArray<FlapFinding> Analyze(ScalingSpec spec, bool suggestFixes)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Policies.IsDefaultOrEmpty)
        {
            return [];
        }

        var levels = Levels(spec);
        var visitor = new FirstPerPair(spec.Policies.Length);
        Search(spec, levels, ref visitor);
        var findings = ImmutableArray.CreateBuilder<FlapFinding>(visitor.Loops.Count);
        foreach (var loop in visitor.Loops)
        {
            findings.Add(Describe(spec, levels, loop, suggestFixes));
        }

        return findings.MoveToImmutable();
    }

    /// <summary>The capacity the alarms choose at <paramref name="tasks"/> under <paramref name="demand"/>, and the policy that chose it (null: no action).</summary>
    public static (int Capacity, StepPolicy? Policy) Decide(ScalingSpec spec, int tasks, double demand)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var best = tasks;
        StepPolicy? chosen = null;
        foreach (var p in spec.Policies)
        {
            var v = Capacity.MetricValue(demand, p, tasks);
            if (double.IsNaN(v) || !p.Alarm.ComparisonOperator.Breaches(v, p.Alarm.Threshold))
            {
                continue;
            }

            if (Steps.Find(p.Scaling.StepAdjustments, p.Alarm.ComparisonOperator, p.Alarm.Threshold, v) is not { } step)
            {
                continue;
            }

            var target = Capacity.Clamp(Capacity.Apply(tasks, p.Scaling, step.ScalingAdjustment), spec.MinCapacity, spec.MaxCapacity);

            // Several alarms at once: the largest resulting capacity wins.
            if (chosen is null || target > best)
            {
                best = target;
                chosen = p;
            }
        }

        return chosen is null || best == tasks ? (tasks, null) : (best, chosen);
    }

    /// <summary>A loop: at <see cref="Tasks"/> and <see cref="Demand"/>, policy First moves to AfterFirst, where policy Second reverses to AfterSecond.</summary>
    private readonly record struct Loop(int Tasks, double Demand, int AfterFirst, int First, int AfterSecond, int Second);

    /// <summary>What the search does with the loops it meets, in order of capacity, then demand.</summary>
    private interface ILoopVisitor
    {
        /// <summary>Whether a loop of this pair is of interest (a cheap test before the loop's demand is chosen).</summary>
        bool Wants(int first, int second);

        /// <summary>Takes a loop; false stops the search.</summary>
        bool Visit(in Loop loop);
    }

    /// <summary>Stops at the first loop.</summary>
    private struct AnyLoop : ILoopVisitor
    {
        public bool Found { get; private set; }

        public readonly bool Wants(int first, int second) => true;

        public bool Visit(in Loop loop)
        {
            Found = true;
            return false;
        }
    }

    /// <summary>Keeps the first loop of each pair of policies: out-then-in and in-then-out are the same loop.</summary>
    private readonly struct FirstPerPair(int policies) : ILoopVisitor
    {
        private readonly int _policies = policies;
        private readonly bool[] _seen = new bool[policies * policies];

        public List<Loop> Loops { get; } = [];

        public bool Wants(int first, int second) => !_seen[Key(first, second)];

        public bool Visit(in Loop loop)
        {
            _seen[Key(loop.First, loop.Second)] = true;
            Loops.Add(loop);
            return true;
        }

        private int Key(int a, int b) => (Math.Min(a, b) * _policies) + Math.Max(a, b);
    }

    /// <summary>Only a loop between two given policies, either way round (a fix suggestion's probe).</summary>
    private struct PairLoop(int a, int b) : ILoopVisitor
    {
        public bool Found { get; private set; }

        public readonly bool Wants(int first, int second) => (first == a && second == b) || (first == b && second == a);

        public bool Visit(in Loop loop)
        {
            Found = true;
            return false;
        }
    }

    private static PolicyLevels[] Levels(ScalingSpec spec) => [.. spec.Policies.Select(PolicyLevels.Build)];

    private static void Search<TVisitor>(ScalingSpec spec, PolicyLevels[] levels, ref TVisitor visitor)
        where TVisitor : struct, ILoopVisitor
    {
        var lowest = Math.Max(spec.MinCapacity, 0);
        if (spec.MaxCapacity < lowest)
        {
            return;
        }

        var cache = new DecisionCache(new DecisionBuilder(levels, spec.MinCapacity, spec.MaxCapacity), Math.Min(lowest, spec.MinCapacity), spec.MaxCapacity);
        for (var n = lowest; n <= spec.MaxCapacity; n++)
        {
            var decisions = cache.Get(n);
            for (var c = 0; c < decisions.Count; c++)
            {
                // The point, then the gap after it: demand ascending.
                var point = decisions.Point(c);
                var first = decisions.AtPoint(c);
                if (first.Policy >= 0 && !WalkCell(n, point, point, first, cache.Get(first.Target, pinned: n), ref visitor))
                {
                    return;
                }

                first = decisions.InGap(c);
                var end = decisions.GapEnd(c);
                if (first.Policy >= 0 && Math.BitIncrement(point) < end && !WalkCell(n, point, end, first, cache.Get(first.Target, pinned: n), ref visitor))
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Within one cell of capacity <paramref name="tasks"/> (the point <paramref name="lo"/> when <paramref name="hi"/>
    /// equals it, else the open gap), where <paramref name="first"/> acts, every piece of the decision after it
    /// (<paramref name="after"/>): a reversal there is a loop. False when the visitor stops the search.
    /// </summary>
    private static bool WalkCell<TVisitor>(int tasks, double lo, double hi, Decision first, DecisionFunction after, ref TVisitor visitor)
        where TVisitor : struct, ILoopVisitor
    {
        if (lo == hi)
        {
            return Check(tasks, lo, first, after.At(lo), ref visitor);
        }

        // The pieces of the decision after the first action that meet (lo, hi): gaps and the points inside.
        var j = after.LastAtOrBelow(lo) + 1;
        var previous = lo;
        while (true)
        {
            var next = j < after.Count ? after.Point(j) : after.End;
            var end = Math.Min(next, hi);
            var second = after.InGap(j - 1);
            if (Math.BitIncrement(previous) < end && Reverses(tasks, first, second) && visitor.Wants(first.Policy, second.Policy)
                && !visitor.Visit(new Loop(tasks, Reported(after, hi, previous, end, j, second), first.Target, first.Policy, second.Target, second.Policy)))
            {
                return false;
            }

            if (next >= hi)
            {
                return true;
            }

            second = after.AtPoint(j);
            if (Reverses(tasks, first, second) && visitor.Wants(first.Policy, second.Policy))
            {
                // A point moved off its written place, right after the previous one, is reported as part of the gap it splits.
                var demand = after.Written(j) || Math.BitIncrement(previous) < next ? next : Reported(after, hi, previous, next, j, second);
                if (!visitor.Visit(new Loop(tasks, demand, first.Target, first.Policy, second.Target, second.Policy)))
                {
                    return false;
                }
            }

            previous = next;
            j++;
        }
    }

    /// <summary>
    /// The demand reported for a loop that starts in the open piece (<paramref name="lo"/>, <paramref name="hi"/>) of
    /// <paramref name="after"/>: the roundest number inside it, once it is widened over the points that exactness
    /// moved off their written places (within <paramref name="limit"/>) where the decision stays the same, so that a
    /// double-wide sliver does not replace the readable demand the written edges give.
    /// </summary>
    private static double Reported(DecisionFunction after, double limit, double lo, double hi, int j, Decision second)
    {
        while (hi < limit && j < after.Count && after.Point(j) == hi && !after.Written(j) && after.AtPoint(j) == second)
        {
            var gapEnd = Math.Min(after.GapEnd(j), limit);
            if (Math.BitIncrement(hi) < gapEnd && after.InGap(j) != second)
            {
                hi = Math.BitIncrement(hi);
                break;
            }

            hi = gapEnd;
            j++;
        }

        return Inside(lo, hi);
    }

    private static bool Reverses(int tasks, Decision first, Decision second) =>
        second.Policy >= 0 && Math.Sign(second.Target - first.Target) != Math.Sign(first.Target - tasks);

    private static bool Check<TVisitor>(int tasks, double point, Decision first, Decision second, ref TVisitor visitor)
        where TVisitor : struct, ILoopVisitor =>
        !Reverses(tasks, first, second) || !visitor.Wants(first.Policy, second.Policy)
        || visitor.Visit(new Loop(tasks, point, first.Target, first.Policy, second.Target, second.Policy));

    /// <summary>The demand reported for the open cell (lo, hi): the roundest number inside it.</summary>
    private static double Inside(double lo, double hi)
    {
        var nice = Nice(lo, hi);
        return nice > lo && nice < hi ? nice : Math.BitIncrement(lo);
    }

    /// <summary>The roundest number strictly inside (lo, hi): an integer if one fits, else the fewest decimals.</summary>
    internal static double Nice(double lo, double hi)
    {
        if (double.IsPositiveInfinity(hi))
        {
            return Math.Floor(lo) + 1;
        }

        for (var k = 0; k <= 9; k++)
        {
            var scale = Math.Pow(10, k);
            var candidate = Math.Floor((lo * scale) + 1) / scale;
            if (candidate > lo && candidate < hi)
            {
                return candidate;
            }
        }

        return lo + ((hi - lo) / 2);
    }

    private static FlapFinding Describe(ScalingSpec spec, PolicyLevels[] levels, Loop loop, bool suggestFixes)
    {
        var (n, demand, n1, n2) = (loop.Tasks, loop.Demand, loop.AfterFirst, loop.AfterSecond);
        var (first, second) = (spec.Policies[loop.First], spec.Policies[loop.Second]);
        var sameMetric = first.Metric == second.Metric && first.LoadRatio.Equals(second.LoadRatio);
        var (scaleOut, scaleIn) = first.Side == ScalingSide.ScaleOut ? (first, second) : (second, first);
        var cycle = (first.Alarm.DatapointsToAlarm * first.Alarm.Period) + (second.Alarm.DatapointsToAlarm * second.Alarm.Period);
        var firstVerb = n1 > n ? $"adds {n1 - n}" : $"removes {n - n1}";
        var secondVerb = n2 > n1 ? $"adds {n2 - n1}" : $"removes {n1 - n2}";
        var secondValue = Capacity.MetricValue(demand, second, n1);
        var n3 = Decide(spec, n2, demand).Capacity;
        var endless = n2 == n || n3 == n1;
        string message;
        if (sameMetric)
        {
            message = string.Create(
                CultureInfo.InvariantCulture,
                $"at {Tasks(n)} and {Value(first, Capacity.MetricValue(demand, first, n))} {first.Metric.DisplayName}, {first.Name} {firstVerb} → {Tasks(n1)} at {Value(first, secondValue)}, which is {second.Alarm.ComparisonOperator.Symbol()} {Value(second, second.Alarm.Threshold)} → {second.Name} {secondVerb} → {(n2 == n ? "back to " : string.Empty)}{Tasks(n2)} at {Value(first, Capacity.MetricValue(demand, first, n2))}: {Outcome(n, n1, n2, endless, cycle)}");
        }
        else
        {
            message = string.Create(
                CultureInfo.InvariantCulture,
                $"at {Tasks(n)} with {first.Metric.DisplayName} {Value(first, Capacity.MetricValue(demand, first, n))} and {second.Metric.DisplayName} {Value(second, Capacity.MetricValue(demand, second, n))}, {first.Name} {firstVerb} → {Tasks(n1)}, where {second.Metric.DisplayName} reads {Value(second, secondValue)} ({second.Alarm.ComparisonOperator.Symbol()} {Value(second, second.Alarm.Threshold)}) and {first.Metric.DisplayName} {Value(first, Capacity.MetricValue(demand, first, n1))} no longer holds it → {second.Name} {secondVerb} → {(n2 == n ? "back to " : string.Empty)}{Tasks(n2)}: {Outcome(n, n1, n2, endless, cycle)} (metrics related by loadRatio {Num.Format(first.LoadRatio)} : {Num.Format(second.LoadRatio)})");
        }

        var (suggestion, threshold) = !suggestFixes ? (string.Empty, null)
            : first.Name == second.Name ? (SuggestExact(first), (double?)null)
            : Suggest(spec, levels, scaleOut, scaleIn);
        return new FlapFinding
        {
            Kind = sameMetric ? FlapKind.SameMetricLoop : FlapKind.CrossMetricLoop,
            FirstPolicy = first.Name,
            SecondPolicy = second.Name,
            Path = scaleIn.Path,
            Capacity = n,
            Demand = demand,
            CapacityAfterFirst = n1,
            CapacityAfterSecond = n2,
            CycleSeconds = cycle,
            Endless = endless,
            Message = message,
            Suggestion = suggestion,
            SuggestedScaleInThreshold = threshold,
        };
    }

    /// <summary>
    /// The highest scale-in threshold (steps kept relative to it) at which the pair no longer loops, rounded down
    /// to a readable number; else the advice to drop or combine the scale-in.
    /// </summary>
    private static (string Text, double? Threshold) Suggest(ScalingSpec spec, PolicyLevels[] levels, StepPolicy scaleOut, StepPolicy scaleIn)
    {
        var probe = new PairProbe(spec, levels, spec.Policies.IndexOf(scaleOut), spec.Policies.IndexOf(scaleIn));
        var answers = new Dictionary<double, bool>();
        bool Loops(double threshold)
        {
            if (!answers.TryGetValue(threshold, out var loops))
            {
                loops = probe.Loops(threshold);
                answers.Add(threshold, loops);
            }

            return loops;
        }

        var current = scaleIn.Alarm.Threshold;
        var floor = scaleIn.LoadModel == LoadModel.PerTask ? 0 : current - Math.Max(1, Math.Abs(current));
        if (Loops(floor))
        {
            return ($"lowering {scaleIn.Name}'s threshold does not help; scale in on {scaleOut.Metric.DisplayName} itself, or drop {scaleIn.Name}, or set scaling.maxCapacity closer to minCapacity", null);
        }

        var good = HighestNotLooping(Loops, floor, current);
        var suggested = ReadableBelow(Loops, good, floor, current);
        var unit = scaleIn.Metric.UnitSuffix;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"lower {scaleIn.Name}'s threshold from {Num.Format(current)}{unit} to {Num.Format(suggested)}{unit} or less (keeping its steps relative to it), so that after a scale-out the metric stays above it; or widen the gap between the scale-out and scale-in thresholds, or use a smaller scale-in step");
        return (text, suggested);
    }

    /// <summary>Bisects between <paramref name="floor"/> (does not loop) and <paramref name="current"/> (loops) for the highest threshold that does not loop.</summary>
    private static double HighestNotLooping(Func<double, bool> loops, double floor, double current)
    {
        // Each probe is a search, so stop at a thousandth of the scale: the suggestion is rounded coarser anyway.
        double good = floor, bad = current;
        var tolerance = Math.Max(Math.Abs(current), 1) * 1e-3;
        for (var i = 0; i < 60 && bad - good > tolerance; i++)
        {
            var mid = (good + bad) / 2;
            if (loops(mid))
            {
                bad = mid;
            }
            else
            {
                good = mid;
            }
        }

        return good;
    }

    /// <summary>
    /// The most readable value near the boundary <paramref name="good"/> that still does not loop: the fewest decimals
    /// first. Candidates are tried from the highest down, and one too far from the boundary ends that precision (lower
    /// ones are farther); <paramref name="good"/> itself when none is found.
    /// </summary>
    private static double ReadableBelow(Func<double, bool> loops, double good, double floor, double current)
    {
        var near = Math.Max(Math.Abs(current), 1) * 0.1;
        for (var decimals = 0; decimals <= 3; decimals++)
        {
            var scale = Math.Pow(10, decimals);
            var rounded = Math.Round(good, decimals);
            var truncated = Math.Floor(good * scale) / scale;
            if ((Readable(Math.Max(rounded, truncated)) ?? Readable(Math.Min(rounded, truncated))) is { } found)
            {
                return found;
            }
        }

        return good;

        double? Readable(double candidate) =>
            candidate >= floor && candidate < current && good - candidate <= near && !loops(candidate) ? candidate : null;
    }

    /// <summary>
    /// Whether one pair of policies loops once the scale-in's threshold moves: a search restricted to that pair. At
    /// each capacity it looks only at demands where the first policy can act and the second can act after it (both
    /// ranges located exactly), and builds the decisions only there.
    /// </summary>
    private sealed class PairProbe(ScalingSpec spec, PolicyLevels[] levels, int scaleOut, int scaleIn)
    {
        private readonly DecisionFunction _first = new();
        private readonly List<DecisionFunction> _after = [];

        public bool Loops(double threshold)
        {
            var moved = spec.Policies[scaleIn] with { Alarm = spec.Policies[scaleIn].Alarm with { Threshold = threshold } };
            var probed = (PolicyLevels[])levels.Clone();
            probed[scaleIn] = PolicyLevels.Build(moved, scaleIn);
            var builder = new DecisionBuilder(probed, spec.MinCapacity, spec.MaxCapacity);
            for (var n = Math.Max(spec.MinCapacity, 0); n <= spec.MaxCapacity; n++)
            {
                if (LoopsAt(builder, n, probed[scaleOut], probed[scaleIn]) || LoopsAt(builder, n, probed[scaleIn], probed[scaleOut]))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="first"/> acts at <paramref name="tasks"/> and <paramref name="second"/> reverses it.</summary>
        private bool LoopsAt(DecisionBuilder builder, int tasks, PolicyLevels first, PolicyLevels second)
        {
            // The capacities the first policy can move to, and the demands at which it can act.
            int lowest = int.MaxValue, highest = int.MinValue;
            foreach (var adjustment in first.ActingAdjustments)
            {
                var target = Capacity.Clamp(Capacity.Apply(tasks, first.Policy.Scaling, adjustment), spec.MinCapacity, spec.MaxCapacity);
                lowest = Math.Min(lowest, target);
                highest = Math.Max(highest, target);
            }

            if (lowest > highest || (lowest == tasks && highest == tasks) || !Acting(first, tasks, tasks, out var lo, out var hi))
            {
                return false;
            }

            // A per-task metric reads less with more tasks, so the second policy's range is widest between these two.
            if (!Acting(second, lowest, highest, out var secondLo, out var secondHi))
            {
                return false;
            }

            lo = Math.Max(lo, secondLo);
            hi = Math.Min(hi, secondHi);
            if (!(lo < hi))
            {
                return false;
            }

            builder.Build(tasks, lo, hi, _first);
            var built = 0;
            var visitor = new PairLoop(first.Index, second.Index);
            for (var c = 0; c < _first.Count; c++)
            {
                // The point, then the gap after it.
                for (var gap = 0; gap < 2; gap++)
                {
                    var cellLo = _first.Point(c);
                    var cellHi = gap == 0 ? cellLo : _first.GapEnd(c);
                    var decision = gap == 0 ? _first.AtPoint(c) : _first.InGap(c);
                    if (decision.Policy != first.Index || (gap == 1 && !(Math.BitIncrement(cellLo) < cellHi)))
                    {
                        continue;
                    }

                    if (!WalkCell(tasks, cellLo, cellHi, decision, After(builder, decision.Target, lo, hi, ref built), ref visitor))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>The decision at <paramref name="tasks"/> over [lo, hi), built once per probed capacity.</summary>
        private DecisionFunction After(DecisionBuilder builder, int tasks, double lo, double hi, ref int built)
        {
            for (var i = 0; i < built; i++)
            {
                if (_after[i].Capacity == tasks)
                {
                    return _after[i];
                }
            }

            if (built == _after.Count)
            {
                _after.Add(new DecisionFunction());
            }

            builder.Build(tasks, lo, hi, _after[built]);
            return _after[built++];
        }

        /// <summary>
        /// Demands [lo, hi) outside which <paramref name="policy"/> cannot act at any capacity from
        /// <paramref name="fewest"/> to <paramref name="most"/>; false when there are none.
        /// </summary>
        private static bool Acting(PolicyLevels policy, int fewest, int most, out double lo, out double hi)
        {
            lo = hi = 0;
            if (policy.PerTask)
            {
                fewest = Math.Max(fewest, 1);
            }

            if (double.IsPositiveInfinity(policy.ActsFrom) || most < fewest)
            {
                return false;
            }

            lo = policy.ActsFrom <= 0 ? 0 : policy.DemandReaching(policy.ActsFrom, fewest);
            hi = double.IsPositiveInfinity(policy.ActsBelow) ? double.PositiveInfinity : policy.DemandReaching(policy.ActsBelow, most);
            if (double.IsNaN(hi))
            {
                hi = double.PositiveInfinity;
            }

            return !double.IsNaN(lo) && lo < hi;
        }
    }

    /// <summary>One ExactCapacity policy undoing itself: the capacity a band sets moves the metric into a band that sets another.</summary>
    private static string SuggestExact(StepPolicy policy) => string.Create(
        CultureInfo.InvariantCulture,
        $"{policy.Name} sets capacities with ExactCapacity that move the metric into a band asking for a different capacity; give each band a capacity at which the metric stays in a band asking for at least as many tasks, or use ChangeInCapacity");

    private static string Outcome(int n, int n1, int n2, bool endless, int cycle) => (endless, n2 == n) switch
    {
        (true, true) => $"loops about every {Duration(cycle)}",
        (true, false) => string.Create(CultureInfo.InvariantCulture, $"then loops between {Tasks(n1)} and {Tasks(n2)} about every {Duration(cycle)}"),
        _ => "reverses under steady demand: the first action overshoots and the second undoes part of it",
    };

    private static string Tasks(int n) => n == 1 ? "1 task" : string.Create(CultureInfo.InvariantCulture, $"{n} tasks");

    private static string Value(StepPolicy p, double v) => Num.Format(Math.Round(v, 2)) + p.Metric.UnitSuffix;

    private static string Duration(int seconds) =>
        seconds % 60 == 0 ? (seconds == 60 ? "minute" : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} minutes")) : string.Create(CultureInfo.InvariantCulture, $"{seconds} seconds");
}
