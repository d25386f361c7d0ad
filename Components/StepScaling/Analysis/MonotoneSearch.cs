namespace StepScaling.Analysis;

/// <summary>A predicate over non-negative doubles that is false up to some value and true from it on.</summary>
internal interface IMonotonePredicate
{
    /// <summary>Whether the predicate holds at <paramref name="x"/>.</summary>
    bool Holds(double x);
}

/// <summary>
/// Where a monotone predicate switches, to the last bit: the least double at which it holds, found by galloping from
/// a hint and then bisecting over the bit patterns of non-negative doubles, which are ordered as the doubles are.
/// With a good hint (the switch computed in real arithmetic) this costs two or three evaluations.
/// </summary>
internal static class MonotoneSearch
{
    /// <summary>The bit pattern of <see cref="double.MaxValue"/>: the last finite double.</summary>
    public static readonly long MaxValueBits = BitConverter.DoubleToInt64Bits(double.MaxValue);

    /// <summary>The bit pattern of +∞.</summary>
    public static readonly long InfinityBits = BitConverter.DoubleToInt64Bits(double.PositiveInfinity);

    /// <summary>
    /// The least x in (0, limit] at which <paramref name="predicate"/> holds, where it does not hold at 0; NaN when
    /// it does not hold at the limit either.
    /// </summary>
    public static double LeastHolding<T>(ref T predicate, double hint, long limitBits)
        where T : struct, IMonotonePredicate
    {
        var start = double.IsNaN(hint) || hint <= 0 ? 0 : Math.Min(BitConverter.DoubleToInt64Bits(hint), limitBits);
        long lo, hi;
        if (start > 0 && predicate.Holds(BitConverter.Int64BitsToDouble(start)))
        {
            hi = start;
            for (long step = 1; ; step <<= 1)
            {
                var probe = hi - step;
                if (probe <= 0)
                {
                    lo = 0;
                    break;
                }

                if (!predicate.Holds(BitConverter.Int64BitsToDouble(probe)))
                {
                    lo = probe;
                    break;
                }

                hi = probe;
            }
        }
        else
        {
            lo = start;
            for (long step = 1; ; step <<= 1)
            {
                var probe = step >= limitBits - lo ? limitBits : lo + step;
                if (probe == limitBits)
                {
                    if (!predicate.Holds(BitConverter.Int64BitsToDouble(limitBits)))
                    {
                        return double.NaN;
                    }

                    hi = limitBits;
                    break;
                }

                if (predicate.Holds(BitConverter.Int64BitsToDouble(probe)))
                {
                    hi = probe;
                    break;
                }

                lo = probe;
            }
        }

        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (predicate.Holds(BitConverter.Int64BitsToDouble(mid)))
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return BitConverter.Int64BitsToDouble(hi);
    }
}
