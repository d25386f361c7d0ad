namespace StepScaling.Simulation;

/// <summary>
/// Scratch arrays a simulation can reuse from one run to the next (alarm windows, percentile buffers, the ring of
/// starting tasks), so that replaying many candidates on one trace allocates nothing per run but its result. One
/// instance per thread: runs that share an instance must not overlap.
/// </summary>
public sealed class SimulationBuffers
{
    private readonly List<double[]> _windows = [];
    private readonly List<int[]> _codes = [];
    private readonly List<double[]> _percentiles = [];
    private long[] _pendingTime = [];
    private int[] _pendingCount = [];

    /// <summary>The per-policy state array of the last run, kept by <see cref="Simulator"/> (its element type is private to it).</summary>
    internal Array? States { get; set; }

    internal double[] Window(int policy, int length) => Take(_windows, policy, length);

    internal int[] Codes(int policy, int length) => Take(_codes, policy, length);

    internal double[] Percentile(int policy, int length) => Take(_percentiles, policy, length);

    internal long[] PendingTime(int length) => Fit(ref _pendingTime, length);

    internal int[] PendingCount(int length) => Fit(ref _pendingCount, length);

    /// <summary>A zeroed array of exactly <paramref name="length"/> for slot <paramref name="index"/>: reused when the length matches.</summary>
    private static T[] Take<T>(List<T[]> pool, int index, int length)
    {
        while (pool.Count <= index)
        {
            pool.Add([]);
        }

        var array = pool[index];
        if (array.Length != length)
        {
            // Alarm windows are indexed modulo their length, so the length must be exact.
            array = new T[length];
            pool[index] = array;
        }
        else
        {
            Array.Clear(array);
        }

        return array;
    }

    private static T[] Fit<T>(ref T[] array, int length)
    {
        if (array.Length != length)
        {
            array = new T[length];
        }
        else
        {
            Array.Clear(array);
        }

        return array;
    }
}
