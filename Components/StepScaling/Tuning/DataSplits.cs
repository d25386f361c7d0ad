using System.Collections.Immutable;
using System.Globalization;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>A stress the recommendation is replayed under.</summary>
public enum StressKind
{
    /// <summary>Demand × <see cref="Stress.GrowthFactor"/> (growth).</summary>
    Growth,

    /// <summary>Demand shifted in time: each trace rotated by a third of its length, its last third first.</summary>
    Shift,

    /// <summary>Tasks take <see cref="Stress.SlowStartFactor"/> × the start-up delay to take load.</summary>
    SlowStart,
}

/// <summary>The stress transforms: pure functions of a trace or of simulation options.</summary>
public static class Stress
{
    /// <summary>The growth stress multiplies demand by this.</summary>
    public const double GrowthFactor = 1.2;

    /// <summary>The slow-start stress multiplies the start-up delay by this.</summary>
    public const int SlowStartFactor = 2;

    /// <summary>Every stress, in report order.</summary>
    public static readonly ImmutableArray<StressKind> All = [StressKind.Growth, StressKind.Shift, StressKind.SlowStart];

    /// <summary>Every sample (shared and per-policy columns) × <paramref name="factor"/>; a missing sample stays missing.</summary>
    public static DemandTrace Grow(DemandTrace trace, double factor)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return trace with
        {
            Demand = [.. trace.Demand.Select(d => d * factor)],
            PolicyDemand = trace.PolicyDemand.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.Select(d => d * factor).ToArray()),
        };
    }

    /// <summary>
    /// The trace rotated left by <paramref name="samples"/>: sample i of the result is sample (i + samples) mod n of the
    /// input, so what happened at <paramref name="samples"/> happens at the start; dates keep the original start.
    /// </summary>
    public static DemandTrace Rotate(DemandTrace trace, int samples)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var n = trace.Length;
        var k = n == 0 ? 0 : ((samples % n) + n) % n;
        double[] R(double[] a) => [.. a.AsSpan(k), .. a.AsSpan(0, k)];
        return trace with { Demand = R(trace.Demand), PolicyDemand = trace.PolicyDemand.ToImmutableDictionary(kv => kv.Key, kv => R(kv.Value)) };
    }

    /// <summary>The rotation the shift stress uses: a third of the trace, in whole alarm periods of <paramref name="align"/> samples.</summary>
    public static int ShiftSamples(int length, int align) => Math.Max(1, align) * (length / 3 / Math.Max(1, align));

    /// <summary>A segment under a stress: its trace or its options changed, its limits as given.</summary>
    public static TuningSegment Apply(TuningSegment segment, StressKind kind, int align, SegmentLimits limits)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return kind switch
        {
            StressKind.Growth => segment with { Name = $"{segment.Name} {Describe(kind)}", Trace = Grow(segment.Trace, GrowthFactor), Limits = limits },
            StressKind.Shift => segment with { Name = $"{segment.Name} {Describe(kind)}", Trace = Rotate(segment.Trace, ShiftSamples(segment.Trace.Length, align)), Limits = limits },
            _ => segment with { Name = $"{segment.Name} {Describe(kind)}", Options = segment.Options with { StartupDelaySeconds = segment.Options.StartupDelaySeconds * SlowStartFactor }, Limits = limits },
        };
    }

    /// <summary>A stress in words.</summary>
    public static string Describe(StressKind kind) => kind switch
    {
        StressKind.Growth => string.Create(CultureInfo.InvariantCulture, $"demand × {GrowthFactor}"),
        StressKind.Shift => "shifted by a third",
        _ => string.Create(CultureInfo.InvariantCulture, $"start-up × {SlowStartFactor}"),
    };
}

/// <summary>A stretch of one trace: samples [Start, Start + Length).</summary>
/// <param name="Trace">The index of the trace in the list given.</param>
/// <param name="Start">The first sample.</param>
/// <param name="Length">The number of samples.</param>
public readonly record struct TracePart(int Trace, int Start, int Length);

/// <summary>One fold of rolling-origin cross-validation: tune on the first <paramref name="Number"/> blocks of every trace, score on the next.</summary>
/// <param name="Number">The fold number, from 1; also the number of blocks tuned on.</param>
/// <param name="Blocks">Blocks each trace is cut into (folds + 1).</param>
/// <param name="Train">Per trace, the blocks tuned on.</param>
/// <param name="Test">Per trace, the block scored on.</param>
public sealed record FoldPlan(int Number, int Blocks, ImmutableArray<TracePart> Train, ImmutableArray<TracePart> Test);

/// <summary>Rolling-origin (expanding window) time-series cross-validation.</summary>
public static class RollingOrigin
{
    /// <summary>The fewest samples a block may have: a block shorter than a day of one-minute samples is still scored, but never shorter than this.</summary>
    public const int MinBlockSamples = 120;

    /// <summary>
    /// Cuts every trace into <c>folds + 1</c> blocks of nearly equal length, each edge on a whole alarm period of
    /// <paramref name="align"/> samples; fold k tunes on blocks 1..k and scores on block k + 1. Fewer folds when a block
    /// would be shorter than <see cref="MinBlockSamples"/> in the shortest trace; none when not even one fits.
    /// </summary>
    public static ImmutableArray<FoldPlan> Plan(IReadOnlyList<int> lengths, int folds, int align)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        align = Math.Max(1, align);
        while (folds > 0 && !Fits(lengths, folds + 1, align))
        {
            folds--;
        }

        if (folds <= 0)
        {
            return [];
        }

        var blocks = folds + 1;
        return [.. Enumerable.Range(1, folds).Select(k => new FoldPlan(
            k,
            blocks,
            [.. lengths.Select((n, t) => new TracePart(t, 0, Edge(n, k, blocks, align)))],
            [.. lengths.Select((n, t) => new TracePart(t, Edge(n, k, blocks, align), Edge(n, k + 1, blocks, align) - Edge(n, k, blocks, align)))]))];
    }

    /// <summary>The start of block <paramref name="b"/> (0-based) of <paramref name="blocks"/> in a trace of <paramref name="length"/> samples, on a whole period.</summary>
    private static int Edge(int length, int b, int blocks, int align) =>
        b == blocks ? length : (int)Math.Round(length * (double)b / blocks / align) * align;

    private static bool Fits(IReadOnlyList<int> lengths, int blocks, int align) =>
        lengths.Count > 0 && lengths.All(n => Enumerable.Range(0, blocks).All(b => Edge(n, b + 1, blocks, align) - Edge(n, b, blocks, align) >= Math.Max(MinBlockSamples, align)));
}
