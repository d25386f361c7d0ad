using System.Collections.Immutable;
using StepScaling.Model;

namespace StepScaling.Tuning;

/// <summary>Where a tuning target comes from.</summary>
public enum TargetOrigin
{
    /// <summary>The caller gave it (<see cref="TuningOptions.Target"/>).</summary>
    Given,

    /// <summary>The scale-out threshold of the stack's first per-task scale-out policy.</summary>
    ScaleOutThreshold,
}

/// <summary>Where the target came from; front ends name a given target in their own terms (a CLI option).</summary>
/// <param name="Origin">Given, or a policy's threshold.</param>
/// <param name="Policy">The policy whose threshold it is; null for a given target.</param>
public sealed record TargetSource(TargetOrigin Origin, string? Policy)
{
    /// <summary>A target the caller gave.</summary>
    public static TargetSource Given { get; } = new(TargetOrigin.Given, null);

    /// <summary>In words: <c>the target given</c> or <c>the scale-out threshold of cpu</c>.</summary>
    public override string ToString() => Origin == TargetOrigin.Given ? "the target given" : $"the scale-out threshold of {Policy}";
}

/// <summary>One fold of the cross-validation: what it chose on its prefix and how that choice did on the next block.</summary>
/// <param name="Plan">The blocks.</param>
/// <param name="Choice">The settings chosen on the prefix (the baseline when nothing beat it there).</param>
/// <param name="Thresholds">The choice's tuned thresholds, keyed "policy.scaleOut" / "policy.scaleIn".</param>
/// <param name="Train">The choice's figures on the prefix.</param>
/// <param name="Test">The choice's figures on the next block.</param>
/// <param name="BaselineTest">The baseline's figures on the next block.</param>
/// <param name="TestExceeded">The limits the choice exceeds on the next block (limits from the baseline there, or the flags); empty when it meets them.</param>
/// <param name="FeasibleOnTrain">Whether the choice met every limit on the prefix.</param>
/// <param name="Whole">The choice replayed on all the data (every sample of every trace).</param>
/// <param name="WholeMeetsLimits">Whether the choice meets every limit on all the data.</param>
/// <param name="KeptBaseline">Whether nothing beat the baseline on the fold's blocks, so it kept it: no evidence for a change, and no vote in the stability.</param>
public sealed record FoldResult(
    FoldPlan Plan, ScalingDefinition Choice, ImmutableDictionary<string, double> Thresholds, Objectives Train, Objectives Test,
    Objectives BaselineTest, ImmutableArray<string> TestExceeded, bool FeasibleOnTrain, Objectives Whole, bool WholeMeetsLimits, bool KeptBaseline);

/// <summary>
/// How far the folds' choices disagree. Settings are compared by what they do: each fold's choice is replayed on all
/// the data, and the spread of their task-minutes is the measure (two policies reading the same signal can swap
/// thresholds and behave alike; an alarm that never fires can take any value). A fold that kept the baseline found no
/// evidence for a change on its blocks and does not count.
/// </summary>
/// <param name="Stable">Whether the spread is within the allowed share of the baseline's task-minutes.</param>
/// <param name="Spread">(most − fewest task-minutes of the folds' choices on all the data) ÷ the baseline's.</param>
/// <param name="Ranges">Per tuned threshold ("policy.scaleOut"), its lowest and highest value across the folds (for the report).</param>
/// <param name="Cheapest">The fold whose choice costs least on all the data, or null without folds.</param>
/// <param name="Dearest">The fold whose choice costs most on all the data, or null without folds.</param>
public sealed record FoldStability(bool Stable, double Spread, ImmutableDictionary<string, (double Low, double High)> Ranges, int? Cheapest, int? Dearest);

/// <summary>The figures under one stress, summed over every trace.</summary>
/// <param name="Kind">The stress.</param>
/// <param name="Recommended">The recommendation's figures.</param>
/// <param name="Baseline">The baseline's figures.</param>
/// <param name="TargetTracking">The best tuned target tracking's figures, or null.</param>
/// <param name="Exceeded">The limits the recommendation exceeds under this stress (the baseline's own figures under it, or the flags).</param>
public sealed record StressResult(StressKind Kind, Objectives Recommended, Objectives Baseline, Objectives? TargetTracking, ImmutableArray<string> Exceeded);

/// <summary>What <see cref="Tuner.Tune"/> found.</summary>
public sealed record TuningResult
{
    /// <summary>The stack's scaling as written.</summary>
    public required ScalingDefinition Baseline { get; init; }

    /// <summary>The baseline, normalised.</summary>
    public required ScalingSpec BaselineSpec { get; init; }

    /// <summary>The recommendation: chosen on all the data after rounding (the baseline itself when nothing beat it).</summary>
    public required ScalingDefinition Recommended { get; init; }

    /// <summary>The recommendation, normalised with <c>flapCheck: error</c>.</summary>
    public required ScalingSpec RecommendedSpec { get; init; }

    /// <summary>Its score on all the data (every sample of every trace; the stressed traces too with <see cref="TuningOptions.StressAsConstraint"/>).</summary>
    public required CandidateScore Score { get; init; }

    /// <summary>The baseline's score on the same data.</summary>
    public required CandidateScore BaselineScore { get; init; }

    /// <summary>Whether the recommendation meets every constraint on all the data.</summary>
    public bool Feasible => Score.Feasible;

    /// <summary>Whether the data supports the advice: it meets every constraint on all the data and the folds agree.</summary>
    public bool Supported => Feasible && Stability.Stable;

    /// <summary>Whether nothing found is cheaper than the baseline (beyond a tie, then calmer), so the baseline is recommended as it is.</summary>
    public required bool BaselineIsBest { get; init; }

    /// <summary>When the data cannot support advice: the binding constraint and where in the data it binds, in words.</summary>
    public string? BindingConstraint { get; init; }

    /// <summary>What stands out about the baseline itself (a static loop, a reversal rate above <see cref="Tuner.ReversalsPerDayFinding"/>); printed first.</summary>
    public required ImmutableArray<string> Findings { get; init; }

    /// <summary>The target (metric level per task).</summary>
    public required double Target { get; init; }

    /// <summary>Where the target came from: given by the caller, or a policy's scale-out threshold.</summary>
    public required TargetSource TargetSource { get; init; }

    /// <summary>The highest CPU or memory scale-out threshold the search could pick, per tuned policy.</summary>
    public required IReadOnlyDictionary<string, double> HighestThresholds { get; init; }

    /// <summary>Every trace, whole, with its limits: what the recommendation is chosen and checked on.</summary>
    public required ImmutableArray<TuningSegment> Segments { get; init; }

    /// <summary>The cross-validation folds, in order; empty when the traces are too short for two blocks.</summary>
    public required ImmutableArray<FoldResult> Folds { get; init; }

    /// <summary>How far the folds' choices disagree.</summary>
    public required FoldStability Stability { get; init; }

    /// <summary>The recommendation, the baseline and target tracking under each stress.</summary>
    public required ImmutableArray<StressResult> Stress { get; init; }

    /// <summary>The Pareto front of loop-free candidates on all the data, cheapest first.</summary>
    public required ImmutableArray<FrontPoint<ScalingDefinition>> Front { get; init; }

    /// <summary>Target tracking's side of the race, or null when the stack has no per-task metric.</summary>
    public required TargetTrackingOutcome? TargetTracking { get; init; }

    /// <summary>Full-trace candidate evaluations of the final search.</summary>
    public required int Evaluations { get; init; }

    /// <summary>Screening evaluations of the final search on a prefix of the traces (successive halving).</summary>
    public required int ScreenEvaluations { get; init; }

    /// <summary>Generations of the final search.</summary>
    public required int Generations { get; init; }

    /// <summary>Whether the budget (time or evaluations) ended the final search before it converged.</summary>
    public required bool StoppedEarly { get; init; }

    /// <summary>Wall time of the whole tuning.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Remarks: sides kept as they were, folds that fit, rounding (the early stop is <see cref="EarlyStop"/>).</summary>
    public required ImmutableArray<string> Notes { get; init; }

    /// <summary>Where the budget stopped the final search before it converged, in words (<c>the final search stopped at its budget (200 evaluations) before it converged: …</c>); null when it converged. A front end adds how to give a larger budget.</summary>
    public string? EarlyStop { get; init; }

    /// <summary>The policies tuned.</summary>
    public required ImmutableArray<string> TunedPolicies { get; init; }
}
