using System.Collections.Immutable;

namespace StepScaling.Model;

/// <summary>
/// The step arithmetic, as pure functions: absolute bands ↔ relative steps, and the step AWS picks for a value.
/// Semantics from "Step scaling policies for Application Auto Scaling" (AWS docs): above the breach threshold a
/// step's lower bound is inclusive and its upper bound exclusive; below it, the lower bound is exclusive and the
/// upper bound inclusive.
/// </summary>
public static class Steps
{
    /// <summary>
    /// Turns validated absolute bands into an alarm comparison, a threshold and relative steps, or throws when an
    /// edge cannot be represented (see <see cref="Convert"/>, which reports that instead).
    /// </summary>
    public static RelativeSteps ToRelative(ImmutableArray<Band> bands, ScalingSide side)
    {
        var conversion = Convert(bands, side);
        return conversion.Steps ?? throw new ArgumentException(
            $"Band {Num.Interval(conversion.Problems[0].Band.From, conversion.Problems[0].Band.To)} is narrower than AWS can resolve at threshold {Num.Format(conversion.Problems[0].Threshold)}.",
            nameof(bands));
    }

    /// <summary>
    /// Turns validated absolute bands into an alarm comparison, a threshold and relative steps.
    /// Scale-out: the threshold is the lowest band's <c>from</c> and the alarm is "≥ threshold"; bands are
    /// <c>[from, to)</c>. Scale-in: the threshold is the highest band's <c>to</c> and the alarm is "&lt; threshold";
    /// bands are <c>(from, to]</c>, as AWS reads steps below the threshold. Each bound is chosen with
    /// <see cref="DoubleEdges.BoundForEdge"/> so that AWS's comparison of <c>metric − threshold</c> in double puts every
    /// reading at an edge, and every reading AWS can tell apart from the edges, in the band the user wrote. A band
    /// whose two edges give the same difference (narrower than AWS can resolve there) is reported as a problem, and
    /// no steps are returned.
    /// </summary>
    public static BandConversion Convert(ImmutableArray<Band> bands, ScalingSide side)
    {
        if (bands.IsDefaultOrEmpty)
        {
            throw new ArgumentException("At least one band is required.", nameof(bands));
        }

        var above = side == ScalingSide.ScaleOut;
        var ordered = bands.OrderBy(b => b.From ?? double.NegativeInfinity).ToImmutableArray();
        var threshold = above
            ? ordered[0].From ?? throw new ArgumentException("The lowest scale-out band needs a 'from'.", nameof(bands))
            : ordered[^1].To ?? throw new ArgumentException("The highest scale-in band needs a 'to'.", nameof(bands));
        // Two edges with the same difference from the threshold are one reading to AWS: the band between them
        // would get a zero-width step, which AWS rejects.
        var problems = ImmutableArray.CreateBuilder<EdgeProblem>();
        for (var i = 0; i < ordered.Length; i++)
        {
            var band = ordered[i];
            if (band.From is { } from && band.To is { } to && DoubleEdges.Diff(from, threshold) == DoubleEdges.Diff(to, threshold))
            {
                var neighbour = above ? ordered[i + 1] : ordered[i - 1];
                problems.Add(new EdgeProblem(
                    band,
                    neighbour,
                    threshold,
                    above || to != threshold ? DoubleEdges.FirstAbove(from, threshold) : null,
                    !above || from != threshold ? DoubleEdges.LastBelow(to, threshold) : null,
                    DoubleEdges.Resolution(to, threshold)));
            }
        }

        if (problems.Count > 0)
        {
            return new BandConversion(null, problems.ToImmutable());
        }

        static double? Bound(double? edge, double threshold, bool above) => edge is { } e
            ? DoubleEdges.BoundForEdge(e, threshold, above) ?? throw new ArgumentException($"Band edge {Num.Format(e)} is out of range.", nameof(bands))
            : null;

        var steps = ImmutableArray.CreateBuilder<StepAdjustment>(ordered.Length);
        foreach (var band in ordered)
        {
            steps.Add(new StepAdjustment(Bound(band.From, threshold, above), Bound(band.To, threshold, above), band.Change));
        }

        return new BandConversion(
            new RelativeSteps(above ? ComparisonOperator.GreaterThanOrEqualToThreshold : ComparisonOperator.LessThanThreshold, threshold, steps.MoveToImmutable()),
            []);
    }

    /// <summary>
    /// Turns relative steps back into absolute bands, ordered from low to high: each edge is the reading at which
    /// AWS's comparison changes step (<see cref="DoubleEdges.EdgeOfBound"/>), so bands made by <see cref="Convert"/>
    /// come back exactly as written.
    /// </summary>
    public static ImmutableArray<Band> ToAbsolute(RelativeSteps steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var above = steps.ComparisonOperator.IsAbove();
        return [.. Sorted(steps.StepAdjustments).Select(s => new Band(
            s.LowerBound is { } l ? DoubleEdges.EdgeOfBound(l, steps.Threshold, above) : null,
            s.UpperBound is { } u ? DoubleEdges.EdgeOfBound(u, steps.Threshold, above) : null,
            s.ScalingAdjustment))];
    }

    /// <summary>Steps ordered by lower bound, the one open to −∞ first.</summary>
    public static IEnumerable<StepAdjustment> Sorted(IEnumerable<StepAdjustment> steps) =>
        steps.OrderBy(s => s.LowerBound ?? double.NegativeInfinity).ThenBy(s => s.UpperBound ?? double.PositiveInfinity);

    /// <summary>
    /// The step Application Auto Scaling applies when the alarm is in ALARM and the aggregated metric is
    /// <paramref name="value"/>, or null when no step matches ("No step adjustment found for metric value").
    /// </summary>
    public static StepAdjustment? Find(ImmutableArray<StepAdjustment> steps, ComparisonOperator comparison, double threshold, double value)
    {
        var diff = value - threshold;
        var above = comparison.IsAbove();
        foreach (var s in steps)
        {
            var lowerOk = s.LowerBound is not { } l || (above ? diff >= l : diff > l);
            var upperOk = s.UpperBound is not { } u || (above ? diff < u : diff <= u);
            if (lowerOk && upperOk)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>
    /// The reachable absolute range of each step: the part of the step that lies on the alarm's breaching side,
    /// with the inclusivity AWS applies. Steps that can never be reached are left out.
    /// </summary>
    public static ImmutableArray<AbsoluteStep> Reachable(ComparisonOperator comparison, double threshold, ImmutableArray<StepAdjustment> steps)
    {
        var above = comparison.IsAbove();
        var result = ImmutableArray.CreateBuilder<AbsoluteStep>();
        foreach (var s in Sorted(steps))
        {
            double? low = s.LowerBound is { } l ? DoubleEdges.EdgeOfBound(l, threshold, above) : null;
            double? high = s.UpperBound is { } u ? DoubleEdges.EdgeOfBound(u, threshold, above) : null;
            bool lowInc = above, highInc = !above;
            if (above)
            {
                // The alarm fires only at or above the threshold: clip below.
                if (low is null || low < threshold || (low == threshold && !comparison.IncludesThreshold()))
                {
                    low = threshold;
                    lowInc = comparison.IncludesThreshold();
                }

                if (high is { } h && (h < threshold || (h == threshold)))
                {
                    continue;
                }
            }
            else
            {
                if (high is null || high > threshold || (high == threshold && !comparison.IncludesThreshold()))
                {
                    high = threshold;
                    highInc = comparison.IncludesThreshold();
                }

                if (low is { } lo && lo >= threshold)
                {
                    continue;
                }
            }

            result.Add(new AbsoluteStep(low, lowInc, high, highInc, s.ScalingAdjustment));
        }

        return result.ToImmutable();
    }
}

/// <summary>A step as absolute metric values, with AWS's inclusivity: what a person reads in a plan.</summary>
/// <param name="Low">Lower edge, null for −∞.</param>
/// <param name="LowInclusive">Whether the lower edge itself is in the step.</param>
/// <param name="High">Upper edge, null for +∞.</param>
/// <param name="HighInclusive">Whether the upper edge itself is in the step.</param>
/// <param name="Adjustment">The scaling adjustment.</param>
public readonly record struct AbsoluteStep(double? Low, bool LowInclusive, double? High, bool HighInclusive, int Adjustment)
{
    /// <summary>Whether <paramref name="value"/> lies in this step.</summary>
    public bool Contains(double value) =>
        (Low is not { } l || (LowInclusive ? value >= l : value > l)) && (High is not { } h || (HighInclusive ? value <= h : value < h));

    /// <summary>The range in words: <c>10–20</c>, <c>≥ 35</c>, <c>≤ 10</c>.</summary>
    public string Describe(string unit)
    {
        if (Low is { } l && High is { } h)
        {
            return $"{Num.Format(l)}–{Num.Format(h)}{unit}";
        }

        if (Low is { } lo)
        {
            return $"{(LowInclusive ? "≥" : ">")} {Num.Format(lo)}{unit}";
        }

        if (High is { } hi)
        {
            return $"{(HighInclusive ? "≤" : "<")} {Num.Format(hi)}{unit}";
        }

        return "any value";
    }
}

/// <summary>The result of turning bands into relative steps: the steps, or the edges that cannot be represented.</summary>
/// <param name="Steps">The alarm and its steps; null when <paramref name="Problems"/> is not empty.</param>
/// <param name="Problems">Edges no double bound can separate from their neighbouring reading.</param>
public sealed record BandConversion(RelativeSteps? Steps, ImmutableArray<EdgeProblem> Problems);

/// <summary>
/// A band narrower than AWS can resolve: relative to <paramref name="Threshold"/>, its two edges give the same
/// difference in double, so its step would have zero width and AWS could not tell it from <paramref name="Neighbour"/>.
/// </summary>
/// <param name="Band">The band that collapses.</param>
/// <param name="Neighbour">The band that would take its readings: the next one up for scale-out, down for scale-in.</param>
/// <param name="Threshold">The alarm threshold the bounds are relative to.</param>
/// <param name="MoveToTo">The nearest upper edge that works (the first reading AWS tells apart from the lower edge), if the upper edge may move.</param>
/// <param name="MoveFromTo">The nearest lower edge that works (the last reading AWS tells apart from the upper edge), if the lower edge may move.</param>
/// <param name="Resolution">About how far apart edges must be for AWS to tell them apart there.</param>
public sealed record EdgeProblem(Band Band, Band Neighbour, double Threshold, double? MoveToTo, double? MoveFromTo, double Resolution);
