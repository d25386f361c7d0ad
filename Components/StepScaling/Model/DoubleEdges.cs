using System.Globalization;

namespace StepScaling.Model;

/// <summary>
/// Exact edge arithmetic in AWS's own terms. Application Auto Scaling computes the breach as
/// <c>metric − threshold</c> in binary floating point and compares it with the stored step bounds
/// ("Step scaling policies for Application Auto Scaling": above the threshold a step's lower bound is inclusive and
/// its upper bound exclusive; below it the reverse). The difference <c>g(x) = x − T</c> rounded to double is
/// monotone in <c>x</c>, so every question "which readings fall on which side of a bound" has an exact answer found
/// by a search over the ordered doubles: no decimal arithmetic and no tolerance. Readings with the same difference
/// are one reading as far as AWS can see.
/// </summary>
public static class DoubleEdges
{
    private static readonly long MinKey = Key(double.MinValue);
    private static readonly long MaxKey = Key(double.MaxValue);

    /// <summary>
    /// The relative bound that puts the reading <paramref name="edge"/> in the band above it, for an alarm above its
    /// threshold (the bound is compared inclusively from above: <c>x − T ≥ b</c>), or in the band below it, with
    /// <paramref name="above"/> false (<c>x − T ≤ b</c>); and every reading AWS can tell apart from the edge (one whose
    /// difference is not the edge's) on its own side of it. Null only when the difference overflows.
    /// </summary>
    /// <remarks>
    /// Among the bounds that work, the plain decimal difference is preferred (<c>80.5 − 70 = 10.5</c>), then the
    /// shortest decimal (<c>80.3 − 70</c> gives <c>10.29999999999999</c>, since AWS's <c>80.3 − 70</c> is
    /// <c>10.299999999999997</c> and a bound of 10.3 would put the reading 80.3 in the band below).
    /// </remarks>
    public static double? BoundForEdge(double edge, double threshold, bool above)
    {
        if (edge == threshold)
        {
            return 0;
        }

        var g = Diff(edge, threshold);
        if (!double.IsFinite(g))
        {
            return null;
        }

        // The bound may move as far as the difference of the nearest reading AWS can tell apart from the edge.
        var other = above ? LastBelow(edge, threshold) : FirstAbove(edge, threshold);
        var limit = other is { } o ? Diff(o, threshold) : double.NaN;
        if (!double.IsFinite(limit))
        {
            return g;
        }

        bool Inside(double b) => above ? b > limit && b <= g : b >= g && b < limit;

        if (DecimalDifference(edge, threshold) is { } plain && Inside(plain))
        {
            return plain;
        }

        return Shortest(Math.Min(g, limit), Math.Max(g, limit), Inside);
    }

    /// <summary>
    /// The reading at which a relative bound takes effect, as a person would write it: for a bound compared from
    /// above (<c>x − T ≥ b</c>) the first readings that pass; for one compared from below (<c>x − T ≤ b</c>, or an
    /// exclusive lower bound <c>x − T &gt; b</c>) the last readings with <c>x − T ≤ b</c>. AWS sees those readings as
    /// one difference; the shortest decimal among them is returned. Null when no finite reading qualifies.
    /// </summary>
    public static double? EdgeOfBound(double bound, double threshold, bool fromAbove)
    {
        var reading = fromAbove
            ? FirstTrue(x => Diff(x, threshold) >= bound)
            : LastTrue(x => Diff(x, threshold) <= bound);
        if (reading is not { } r)
        {
            return null;
        }

        var (first, last) = SameDifference(r, threshold);
        var g = Diff(r, threshold);
        return first == last ? r + 0.0 : Shortest(first, last, x => Diff(x, threshold) == g);
    }

    /// <summary>The first and last readings whose difference from <paramref name="threshold"/> equals that of <paramref name="reading"/>.</summary>
    public static (double First, double Last) SameDifference(double reading, double threshold)
    {
        var below = LastBelow(reading, threshold);
        var above = FirstAbove(reading, threshold);
        return (below is { } b ? Math.BitIncrement(b) : double.MinValue, above is { } a ? Math.BitDecrement(a) : double.MaxValue);
    }

    /// <summary>The last reading below <paramref name="reading"/> that AWS can tell apart from it (a smaller difference).</summary>
    public static double? LastBelow(double reading, double threshold)
    {
        var g = Diff(reading, threshold);
        var previous = Math.BitDecrement(reading);
        return Diff(previous, threshold) < g ? previous : LastTrue(x => Diff(x, threshold) < g);
    }

    /// <summary>The first reading above <paramref name="reading"/> that AWS can tell apart from it (a larger difference).</summary>
    public static double? FirstAbove(double reading, double threshold)
    {
        var g = Diff(reading, threshold);
        var next = Math.BitIncrement(reading);
        return Diff(next, threshold) > g ? next : FirstTrue(x => Diff(x, threshold) > g);
    }

    /// <summary>The breach AWS computes: the reading minus the threshold, in double.</summary>
    public static double Diff(double reading, double threshold) => reading - threshold;

    /// <summary>About how far apart readings must be for AWS to tell them apart near <paramref name="edge"/> at <paramref name="threshold"/>.</summary>
    public static double Resolution(double edge, double threshold)
    {
        var g = Math.Abs(Diff(edge, threshold));
        return Math.BitIncrement(g) - g;
    }

    /// <summary>
    /// The double with the fewest significant digits between <paramref name="lo"/> and <paramref name="hi"/> (either may
    /// be infinite), for suggesting a value a person would write.
    /// </summary>
    public static double Roundest(double lo, bool loInclusive, double hi, bool hiInclusive)
    {
        bool Inside(double x) => (loInclusive ? x >= lo : x > lo) && (hiInclusive ? x <= hi : x < hi);
        var finiteLo = double.IsFinite(lo) ? lo : double.MinValue;
        var finiteHi = double.IsFinite(hi) ? hi : double.MaxValue;
        return Shortest(finiteLo, finiteHi, Inside);
    }

    private static double? DecimalDifference(double a, double b)
    {
        // decimal holds these magnitudes exactly enough to offer a candidate; Inside decides whether it works.
        const double Limit = 1e15;
        if (Math.Abs(a) > Limit || Math.Abs(b) > Limit || (a != 0 && Math.Abs(a) < 1e-12) || (b != 0 && Math.Abs(b) < 1e-12))
        {
            return null;
        }

        return (double)((decimal)a - (decimal)b);
    }

    /// <summary>The double with the fewest significant digits that <paramref name="inside"/> accepts, within [lo, hi].</summary>
    private static double Shortest(double lo, double hi, Func<double, bool> inside)
    {
        if (inside(0))
        {
            return 0;
        }

        for (var digits = 1; digits <= 17; digits++)
        {
            // The smallest and largest digits-long decimals within the interval are next to its rounded ends.
            foreach (var candidate in Neighbours(lo, digits).Concat(Neighbours(hi, digits)))
            {
                if (inside(candidate))
                {
                    return candidate + 0.0;
                }
            }
        }

        return inside(hi) ? hi : lo;
    }

    private static IEnumerable<double> Neighbours(double value, int digits)
    {
        var text = value.ToString("E" + (digits - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var negative = text[0] == '-';
        var mantissa = long.Parse(text[(negative ? 1 : 0)..e].Replace(".", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture) - (digits - 1);
        for (var delta = -1; delta <= 1; delta++)
        {
            var m = mantissa + delta;
            if (m < 0)
            {
                continue;
            }

            var candidate = double.Parse(
                string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : string.Empty)}{m}E{exponent}"),
                NumberStyles.Float,
                CultureInfo.InvariantCulture);
            if (double.IsFinite(candidate))
            {
                yield return candidate;
            }
        }
    }

    /// <summary>The smallest finite double for which a monotone (false… then true…) predicate holds.</summary>
    private static double? FirstTrue(Func<double, bool> predicate)
    {
        if (!predicate(double.MaxValue))
        {
            return null;
        }

        if (predicate(double.MinValue))
        {
            return double.MinValue;
        }

        // Invariant: predicate(lo) is false, predicate(hi) is true.
        long lo = MinKey, hi = MaxKey;
        while (Span(lo, hi) > 1)
        {
            var mid = Mid(lo, hi);
            if (predicate(FromKey(mid)))
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return FromKey(hi);
    }

    /// <summary>The largest finite double for which a monotone (true… then false…) predicate holds: the double just below the first one for which it fails.</summary>
    private static double? LastTrue(Func<double, bool> predicate) =>
        !predicate(double.MinValue) ? null
        : FirstTrue(x => !predicate(x)) is { } firstFalse ? FromKey(Key(firstFalse) - 1)
        : double.MaxValue;

    // The key range spans more than long.MaxValue: differences are taken unsigned.
    private static ulong Span(long lo, long hi) => unchecked((ulong)hi - (ulong)lo);

    private static long Mid(long lo, long hi) => unchecked(lo + (long)(Span(lo, hi) / 2));

    /// <summary>Doubles as integers in numeric order (−0 and 0 share a key).</summary>
    private static long Key(double x)
    {
        var bits = BitConverter.DoubleToInt64Bits(x);
        return bits >= 0 ? bits : long.MinValue - bits;
    }

    private static double FromKey(long key) => BitConverter.Int64BitsToDouble(key >= 0 ? key : long.MinValue - key);
}
