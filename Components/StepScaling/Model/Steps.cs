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
    /// Turns validated absolute bands into an alarm comparison, a threshold and relative steps.
    /// Scale-out: the threshold is the lowest band's <c>from</c> and the alarm is "≥ threshold".
    /// Scale-in: the threshold is the highest band's <c>to</c> and the alarm is "&lt; threshold".
    /// </summary>
    public static RelativeSteps ToRelative(ImmutableArray<Band> bands, ScalingSide side)
    {
        if (bands.IsDefaultOrEmpty)
        {
            throw new ArgumentException("At least one band is required.", nameof(bands));
        }

        if (side == ScalingSide.ScaleOut)
        {
            var ordered = bands.OrderBy(b => b.From ?? double.NegativeInfinity).ToImmutableArray();
            var threshold = ordered[0].From ?? throw new ArgumentException("The lowest scale-out band needs a 'from'.", nameof(bands));
            return new RelativeSteps(
                ComparisonOperator.GreaterThanOrEqualToThreshold,
                threshold,
                [.. ordered.Select(b => new StepAdjustment(
                    b.From is { } f ? Num.Sub(f, threshold) : null,
                    b.To is { } t ? Num.Sub(t, threshold) : null,
                    b.Change))]);
        }
        else
        {
            var ordered = bands.OrderBy(b => b.From ?? double.NegativeInfinity).ToImmutableArray();
            var threshold = ordered[^1].To ?? throw new ArgumentException("The highest scale-in band needs a 'to'.", nameof(bands));
            return new RelativeSteps(
                ComparisonOperator.LessThanThreshold,
                threshold,
                [.. ordered.Select(b => new StepAdjustment(
                    b.From is { } f ? Num.Sub(f, threshold) : null,
                    b.To is { } t ? Num.Sub(t, threshold) : null,
                    b.Change))]);
        }
    }

    /// <summary>Turns relative steps back into absolute bands (threshold + bound), ordered from low to high.</summary>
    public static ImmutableArray<Band> ToAbsolute(RelativeSteps steps) =>
        [.. Sorted(steps.StepAdjustments).Select(s => new Band(
            s.LowerBound is { } l ? Num.Add(steps.Threshold, l) : null,
            s.UpperBound is { } u ? Num.Add(steps.Threshold, u) : null,
            s.ScalingAdjustment))];

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
            double? low = s.LowerBound is { } l ? Num.Add(threshold, l) : null;
            double? high = s.UpperBound is { } u ? Num.Add(threshold, u) : null;
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
