using System.Collections.Immutable;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>How one candidate did on the segments it was replayed on: its constraint violations and its figures.</summary>
/// <param name="Valid">Whether it passed the normalizer (always, for a decoded candidate; kept as a guard).</param>
/// <param name="Loops">Whether the flap analysis finds a loop or a reversal (<c>flapCheck: error</c> would fail).</param>
/// <param name="Figures">Its figures, summed over every segment.</param>
/// <param name="Excess">How far it exceeds the segments' limits, summed (<see cref="SegmentLimits.Excess"/>).</param>
/// <param name="Complexity">How plain the config reads (<see cref="SearchSpace.Complexity"/>); lower is simpler.</param>
public readonly record struct CandidateScore(bool Valid, bool Loops, Objectives Figures, double Excess, int Complexity)
{
    /// <summary>How far it is from meeting every hard constraint; 0 when it meets them all.</summary>
    public double Violation => (Valid ? 0 : 1e12) + (Loops ? 1e9 : 0) + Excess;

    /// <summary>Whether it meets every hard constraint.</summary>
    public bool Feasible => Violation == 0;

    /// <summary>Task-minutes over every segment.</summary>
    public double TaskMinutes => Figures.TaskMinutes;

    /// <summary>Scale actions over every segment.</summary>
    public int ScaleActions => Figures.ScaleActions;
}

/// <summary>One stretch of demand a candidate is replayed on, with what it may spend there.</summary>
/// <param name="Name">The trace name, with the part ("blocks 1–2 of 4", "demand × 1.2") where it is one.</param>
/// <param name="Trace">The demand.</param>
/// <param name="Options">Simulation options (the start-up delay, the initial capacity of a part that starts mid-trace).</param>
/// <param name="Limits">What a candidate may spend on it.</param>
public sealed record TuningSegment(string Name, DemandTrace Trace, SimulationOptions Options, SegmentLimits Limits)
{
    /// <summary>Days of demand in the segment.</summary>
    public double Days => Trace.Length * (double)Trace.IntervalSeconds / 86_400;
}

/// <summary>
/// Scores candidates: the normalizer (as for a hand-written stack), the flap analysis, then a replay of every
/// segment. Thread-safe: it keeps only per-thread scratch arrays between calls.
/// </summary>
public sealed class CandidateEvaluator
{
    private readonly string? _alarmPrefix;
    private readonly ImmutableArray<TuningSegment> _segments;

    // One simulation kernel per thread, its buffers reused: a replay allocates nothing but its result.
    [ThreadStatic]
    private static SimulationRunner? t_runner;

    /// <summary>Creates an evaluator over <paramref name="segments"/>.</summary>
    public CandidateEvaluator(string? alarmPrefix, ImmutableArray<TuningSegment> segments)
    {
        _alarmPrefix = alarmPrefix;
        _segments = segments;
    }

    /// <summary>The segments replayed.</summary>
    public ImmutableArray<TuningSegment> Segments => _segments;

    /// <summary>The normalised spec of a candidate, with <c>flapCheck: error</c>, or null when the normalizer rejects it.</summary>
    public ScalingSpec? Normalize(ScalingDefinition candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return ScalingNormalizer.Normalize(candidate with { FlapCheck = FlapCheckMode.Error }, _alarmPrefix).Spec;
    }

    /// <summary>Scores a candidate.</summary>
    public CandidateScore Evaluate(ScalingDefinition candidate, int complexity)
    {
        if (Normalize(candidate) is not { } spec)
        {
            return new CandidateScore(false, false, Objectives.Rejected, 0, complexity);
        }

        if (FlapAnalyzer.HasLoop(spec))
        {
            return new CandidateScore(true, true, Objectives.Rejected, 0, complexity);
        }

        var (figures, excess) = Score(_segments, s => Objectives.Of((t_runner ??= new SimulationRunner()).Run(spec, s.Trace, s.Options).Summary, s.Days));
        return new CandidateScore(true, false, figures, excess, complexity);
    }

    /// <summary>Figures and excess over <paramref name="segments"/> of whatever <paramref name="replay"/> runs.</summary>
    public static (Objectives Figures, double Excess) Score(ImmutableArray<TuningSegment> segments, Func<TuningSegment, Objectives> replay)
    {
        ArgumentNullException.ThrowIfNull(replay);
        var figures = Objectives.Zero;
        double excess = 0;
        foreach (var segment in segments)
        {
            var o = replay(segment);
            figures = figures.Plus(o);
            excess += segment.Limits.Excess(o);
        }

        return (figures, excess);
    }

    /// <summary>Per segment, the figures of a replay (for messages and reports).</summary>
    public ImmutableArray<Objectives> Figures(ScalingSpec spec) =>
        [.. _segments.Select(segment => Objectives.Of(Simulator.Run(spec, segment.Trace, segment.Options with { RecordTimeline = false, RecordEvents = false }).Summary, segment.Days))];
}
