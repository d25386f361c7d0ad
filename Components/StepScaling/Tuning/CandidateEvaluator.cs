using System.Collections.Immutable;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>How one candidate did on the tuning traces: its constraint violations and its cost.</summary>
/// <param name="Valid">Whether it passed the normalizer (always, for a decoded candidate; kept as a guard).</param>
/// <param name="Loops">Whether the flap analysis finds a loop or a reversal (<c>flapCheck: error</c> would fail).</param>
/// <param name="Flaps">Simulated flaps over every trace.</param>
/// <param name="ExcessMinutesAbove">Minutes above target beyond what each trace allows, summed.</param>
/// <param name="TaskMinutes">Task-minutes over every trace.</param>
/// <param name="ScaleActions">Scale actions over every trace.</param>
/// <param name="MinutesAbove">Minutes above target over every trace.</param>
/// <param name="Complexity">How plain the config reads (<see cref="SearchSpace.Complexity"/>); lower is simpler.</param>
public readonly record struct CandidateScore(bool Valid, bool Loops, int Flaps, double ExcessMinutesAbove, double TaskMinutes, int ScaleActions, double MinutesAbove, int Complexity)
{
    /// <summary>How far it is from meeting every hard constraint; 0 when it meets them all.</summary>
    public double Violation => (Valid ? 0 : 1e12) + (Loops ? 1e9 : 0) + (Flaps * 1e4) + ExcessMinutesAbove;

    /// <summary>Whether it meets every hard constraint.</summary>
    public bool Feasible => Violation == 0;
}

/// <summary>One stretch of demand a candidate is replayed on, with what it may spend above target.</summary>
/// <param name="Name">The trace name, with "(held out)" or "(first 70 %)" where it is a part.</param>
/// <param name="Trace">The demand.</param>
/// <param name="Options">Simulation options (the initial capacity of a held-out part).</param>
/// <param name="AllowedMinutesAbove">Minutes above target a candidate may spend on it.</param>
public sealed record TuningSegment(string Name, DemandTrace Trace, SimulationOptions Options, double AllowedMinutesAbove);

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
            return new CandidateScore(false, false, 0, 0, double.PositiveInfinity, int.MaxValue, double.PositiveInfinity, complexity);
        }

        if (FlapAnalyzer.HasLoop(spec))
        {
            return new CandidateScore(true, true, 0, 0, double.PositiveInfinity, int.MaxValue, double.PositiveInfinity, complexity);
        }

        double taskMinutes = 0, above = 0, excess = 0;
        int flaps = 0, actions = 0;
        foreach (var segment in _segments)
        {
            var s = (t_runner ??= new SimulationRunner()).Run(spec, segment.Trace, segment.Options).Summary;
            taskMinutes += s.TaskMinutes;
            above += s.MinutesAboveTarget;
            excess += Math.Max(0, s.MinutesAboveTarget - segment.AllowedMinutesAbove);
            flaps += s.Flaps;
            actions += s.ScaleActions;
        }

        return new CandidateScore(true, false, flaps, excess, taskMinutes, actions, above, complexity);
    }

    /// <summary>Per segment, the summary of a replay (for messages and reports).</summary>
    public ImmutableArray<SimulationSummary> Summaries(ScalingSpec spec) =>
        [.. _segments.Select(segment => Simulator.Run(spec, segment.Trace, segment.Options).Summary)];
}
