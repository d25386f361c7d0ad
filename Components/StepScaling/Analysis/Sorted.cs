namespace StepScaling.Analysis;

/// <summary>The sort key of an item: a struct implementing it makes <see cref="Sorted.CountAtOrBelow{T, TKey}"/> read the key without a delegate.</summary>
/// <typeparam name="T">The item.</typeparam>
internal interface ISortKey<T>
{
    /// <summary>The item's key.</summary>
    static abstract double Of(in T item);
}

/// <summary>Searches in ascending arrays, allocation-free.</summary>
internal static class Sorted
{
    /// <summary>How many of the <paramref name="ascending"/> values are at or below <paramref name="value"/>: the index of the first one above it.</summary>
    public static int CountAtOrBelow(ReadOnlySpan<double> ascending, double value) => CountAtOrBelow<double, Itself>(ascending, value);

    /// <summary>How many of the items, ascending by key, have a key at or below <paramref name="value"/>: the index of the first one above it.</summary>
    public static int CountAtOrBelow<T, TKey>(ReadOnlySpan<T> ascending, double value)
        where TKey : struct, ISortKey<T>
    {
        int lo = 0, hi = ascending.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (TKey.Of(ascending[mid]) <= value)
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

    private readonly struct Itself : ISortKey<double>
    {
        public static double Of(in double item) => item;
    }
}
