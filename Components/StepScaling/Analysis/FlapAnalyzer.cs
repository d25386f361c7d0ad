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
        new(mode == FlapCheckMode.Error ? Severity.Error : Severity.Warning, Path, $"{Describe()}. Fix: {Suggestion}");

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
/// [min, max] the demand axis is cut at every threshold and band edge of every policy; within a cell every alarm and
/// step decision is constant, so testing each cell (its end points and one inner point) is exhaustive. A loop is a
/// cell where the capacity the alarms choose is then reversed by the alarms at the new capacity. Assumes that
/// new tasks take load within the scale-out cooldown (otherwise repeated scale-outs overshoot).
/// </summary>
public static class FlapAnalyzer
{
    /// <summary>Finds every loop: one finding (the smallest counter-example) per pair of policies.</summary>
    public static ImmutableArray<FlapFinding> Analyze(ScalingSpec spec) => Analyze(spec, suggestFixes: true);

    /// <summary>Whether any loop exists (no messages, no fixes: the fast path).</summary>
    public static bool HasLoop(ScalingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var found = false;
        Search(spec, (_, _, _, _, _, _) =>
        {
            found = true;
            return false;
        });
        return found;
    }

    private static ImmutableArray<FlapFinding> Analyze(ScalingSpec spec, bool suggestFixes)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var seen = new HashSet<(string, string)>();
        var findings = ImmutableArray.CreateBuilder<FlapFinding>();
        Search(spec, (n, demand, n1, first, n2, second) =>
        {
            // One finding per pair: out-then-in and in-then-out are the same loop.
            var key = string.CompareOrdinal(first.Name, second.Name) < 0 ? (first.Name, second.Name) : (second.Name, first.Name);
            if (seen.Add(key))
            {
                findings.Add(Describe(spec, n, demand, n1, first, n2, second, suggestFixes));
            }

            return true;
        });
        return findings.ToImmutable();
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

    private delegate bool OnLoop(int n, double demand, int n1, StepPolicy first, int n2, StepPolicy second);

    private static void Search(ScalingSpec spec, OnLoop onLoop)
    {
        if (spec.Policies.IsDefaultOrEmpty)
        {
            return;
        }

        var points = new List<double>(64);
        var inner = new List<double>(64);
        for (var n = Math.Max(spec.MinCapacity, 0); n <= spec.MaxCapacity; n++)
        {
            Breakpoints(spec, n, double.NegativeInfinity, double.PositiveInfinity, points);
            foreach (var (lo, hi, d) in Cells(points))
            {
                var (n1, first) = Decide(spec, n, d);
                if (first is null)
                {
                    continue;
                }

                // Within this cell the first decision is constant; cut it again where the second one may change.
                Breakpoints(spec, n1, lo, hi, inner);
                foreach (var (_, _, d2) in SubCells(lo, hi, d, inner))
                {
                    var (check, _) = Decide(spec, n, d2);
                    if (check != n1)
                    {
                        continue;
                    }

                    var (n2, second) = Decide(spec, n1, d2);
                    if (second is null || Math.Sign(n2 - n1) == Math.Sign(n1 - n))
                    {
                        continue;
                    }

                    if (!onLoop(n, d2, n1, first, n2, second))
                    {
                        return;
                    }
                }
            }
        }
    }

    /// <summary>The demands at which some decision at capacity <paramref name="n"/> can change, within (lo, hi).</summary>
    private static void Breakpoints(ScalingSpec spec, int n, double lo, double hi, List<double> into)
    {
        into.Clear();
        foreach (var p in spec.Policies)
        {
            Add(p, n, p.Alarm.Threshold, lo, hi, into);
            foreach (var s in p.Scaling.StepAdjustments)
            {
                if (s.LowerBound is { } l)
                {
                    Add(p, n, p.Alarm.Threshold + l, lo, hi, into);
                }

                if (s.UpperBound is { } u)
                {
                    Add(p, n, p.Alarm.Threshold + u, lo, hi, into);
                }
            }
        }

        into.Sort();
    }

    private static void Add(StepPolicy p, int n, double metricEdge, double lo, double hi, List<double> into)
    {
        var d = p.LoadModel == LoadModel.PerTask ? metricEdge * n / p.LoadRatio : metricEdge / p.LoadRatio;
        if (d >= 0 && d > lo && d < hi && double.IsFinite(d))
        {
            into.Add(d);
        }
    }

    /// <summary>Cells of the demand axis [0, ∞) cut at <paramref name="points"/>: each point, and one inner value of each gap.</summary>
    private static IEnumerable<(double Lo, double Hi, double D)> Cells(List<double> points)
    {
        var previous = 0.0;
        yield return (0, 0, 0);
        foreach (var p in points.Distinct())
        {
            if (p > previous)
            {
                yield return (previous, p, Nice(previous, p));
                yield return (p, p, p);
            }

            previous = p;
        }

        yield return (previous, double.PositiveInfinity, Nice(previous, double.PositiveInfinity));
    }

    private static IEnumerable<(double Lo, double Hi, double D)> SubCells(double lo, double hi, double d, List<double> inner)
    {
        if (lo == hi)
        {
            yield return (lo, hi, d);
            yield break;
        }

        var previous = lo;
        foreach (var p in inner.Distinct())
        {
            if (p > previous)
            {
                yield return (previous, p, Nice(previous, p));
                yield return (p, p, p);
                previous = p;
            }
        }

        yield return (previous, hi, Nice(previous, hi));
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

    private static FlapFinding Describe(ScalingSpec spec, int n, double demand, int n1, StepPolicy first, int n2, StepPolicy second, bool suggestFixes)
    {
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
            : Suggest(spec, scaleOut, scaleIn);
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
    private static (string Text, double? Threshold) Suggest(ScalingSpec spec, StepPolicy scaleOut, StepPolicy scaleIn)
    {
        bool Loops(double threshold)
        {
            var changed = spec with
            {
                Policies = [.. spec.Policies.Select(p => p.Name == scaleIn.Name ? p with { Alarm = p.Alarm with { Threshold = threshold } } : p)],
            };
            var loops = false;
            Search(changed, (_, _, _, a, _, b) =>
            {
                loops = (a.Name == scaleIn.Name && b.Name == scaleOut.Name) || (a.Name == scaleOut.Name && b.Name == scaleIn.Name);
                return !loops;
            });
            return loops;
        }

        var current = scaleIn.Alarm.Threshold;
        var floor = scaleIn.LoadModel == LoadModel.PerTask ? 0 : current - Math.Max(1, Math.Abs(current));
        if (Loops(floor))
        {
            return ($"lowering {scaleIn.Name}'s threshold does not help; scale in on {scaleOut.Metric.DisplayName} itself, or drop {scaleIn.Name}, or set scaling.maxCapacity closer to minCapacity", null);
        }

        // Each probe is a full search, so stop at a thousandth of the scale: the suggestion is rounded coarser anyway.
        double good = floor, bad = current;
        var tolerance = Math.Max(Math.Abs(current), 1) * 1e-3;
        for (var i = 0; i < 60 && bad - good > tolerance; i++)
        {
            var mid = (good + bad) / 2;
            if (Loops(mid))
            {
                bad = mid;
            }
            else
            {
                good = mid;
            }
        }

        // The most readable value near the boundary that still does not loop: the fewest decimals first.
        var suggested = good;
        for (var decimals = 0; decimals <= 3; decimals++)
        {
            var scale = Math.Pow(10, decimals);
            var candidates = new[] { Math.Round(good, decimals), Math.Floor(good * scale) / scale };
            var ok = candidates.Where(c => c >= floor && c < current && current - c >= 0 && !Loops(c)).ToList();
            if (ok.Count > 0 && good - ok.Max() <= Math.Max(Math.Abs(current), 1) * 0.1)
            {
                suggested = ok.Max();
                break;
            }
        }

        var unit = scaleIn.Metric.UnitSuffix;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"lower {scaleIn.Name}'s threshold from {Num.Format(current)}{unit} to {Num.Format(suggested)}{unit} or less (keeping its steps relative to it), so that after a scale-out the metric stays above it; or widen the gap between the scale-out and scale-in thresholds, or use a smaller scale-in step");
        return (text, suggested);
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
