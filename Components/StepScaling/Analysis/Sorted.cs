namespace StepScaling.Analysis;

/// <summary>Searches in ascending arrays, allocation-free.</summary>
internal static class Sorted
{
    /// <summary>How many of the <paramref name="ascending"/> values are at or below <paramref name="value"/>: the index of the first one above it.</summary>
    public static int CountAtOrBelow(ReadOnlySpan<double> ascending, double value)
    {
        int lo = 0, hi = ascending.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ascending[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
