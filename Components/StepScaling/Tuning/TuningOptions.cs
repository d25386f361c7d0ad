using System.Collections.Immutable;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>What <see cref="Tuner"/> may change, what it must keep, and how long it may search.</summary>
public sealed record TuningOptions
{
    /// <summary>Default search budget: 30 seconds of wall time.</summary>
    public const int DefaultBudgetSeconds = 30;

    /// <summary>Default number of cross-validation folds.</summary>
    public const int DefaultFolds = 3;

    /// <summary>Default largest spread of the folds' choices' task-minutes on all the data, as a share of the baseline's, for the advice to count as stable.</summary>
    public const double DefaultMaxFoldSpread = 0.10;

    /// <summary>Default margin, in percentage points, a CPU or memory scale-out threshold may sit above the target.</summary>
    public const double DefaultThresholdMargin = 10;

    /// <summary>Default ceiling of a CPU or memory scale-out threshold: a threshold is always below it.</summary>
    public const double DefaultScaleOutCeiling = 90;

    /// <summary>Default random seed.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The config policies to tune (by name); empty for every policy. The others keep their settings.</summary>
    public ImmutableArray<string> Policies { get; init; } = [];

    /// <summary>The metric level a task should run at; null for the baseline's first per-task scale-out threshold.</summary>
    public double? Target { get; init; }

    /// <summary>Minutes above target allowed per trace (a part of a trace: its share); null to allow no more than the baseline.</summary>
    public double? MaxMinutesAbove { get; init; }

    /// <summary>Minutes above target allowed per trace, as a percentage of its minutes; null to allow no more than the baseline.</summary>
    public double? MaxAbovePercent { get; init; }

    /// <summary>Unserved task-minutes allowed per trace (a part: its share); null to allow no more than the baseline.</summary>
    public double? MaxUnserved { get; init; }

    /// <summary>Scale actions allowed per day; null to allow no more than the baseline's on each trace.</summary>
    public double? MaxActionsPerDay { get; init; }

    /// <summary>Reversals within the flap window allowed per day; null to allow no more than the baseline's on each trace.</summary>
    public double? MaxReversalsPerDay { get; init; }

    /// <summary>Whether the stressed replays are constraints too (no worse than the baseline under each stress), not only a report.</summary>
    public bool StressAsConstraint { get; init; }

    /// <summary>Rolling-origin folds (0 for none). <value>The default value is 3.</value></summary>
    public int Folds { get; init; } = DefaultFolds;

    /// <summary>The advice is unstable when the folds' choices, replayed on all the data, spread more than this share of the baseline's task-minutes. <value>The default value is 0.1.</value></summary>
    public double MaxFoldSpread { get; init; } = DefaultMaxFoldSpread;

    /// <summary>Percentage points a CPU or memory scale-out threshold may sit above its reference (the target). <value>The default value is 10.</value></summary>
    public double ThresholdMargin { get; init; } = DefaultThresholdMargin;

    /// <summary>A CPU or memory scale-out threshold stays below this. <value>The default value is 90.</value></summary>
    public double ScaleOutCeiling { get; init; } = DefaultScaleOutCeiling;

    /// <summary>Wall time the whole tuning may take (folds, final search, target tracking). <value>The default value is 30 s.</value></summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(DefaultBudgetSeconds);

    /// <summary>Candidate evaluations the final search may make (each fold gets a share); null for no limit but the budget and convergence.</summary>
    public int? MaxEvaluations { get; init; }

    /// <summary>The random seed: the same seed gives the same result when the search converges within its budget. <value>The default value is 1.</value></summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Threads evaluating candidates; results never depend on it. <value>The default value is the processor count.</value></summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Seconds before a new task takes load. <value>The default value is 60.</value></summary>
    public int StartupDelaySeconds { get; init; } = SimulationOptions.DefaultStartupDelaySeconds;

    /// <summary>
    /// How target tracking's scale-in chooses its capacity in the race (AWS does not publish it; see <see cref="Simulation.TargetTrackingScaleIn"/>).
    /// <value>The default value is <see cref="TargetTrackingPolicy.DefaultScaleInModel"/> (<see cref="TargetTrackingScaleIn.WindowPeak"/>).</value>
    /// </summary>
    public TargetTrackingScaleIn TargetTrackingScaleIn { get; init; } = TargetTrackingPolicy.DefaultScaleInModel;

    /// <summary>Called from the tuning thread after every generation and phase, with the best so far; null for none.</summary>
    public Action<TuningProgress>? Progress { get; init; }
}

/// <summary>Where the tuning is.</summary>
/// <param name="Phase">"fold 2 of 3", "all data", "target tracking".</param>
/// <param name="Evaluations">Full replays so far in this phase.</param>
/// <param name="Elapsed">Wall time since the tuning started.</param>
/// <param name="Best">The best candidate's figures so far in this phase.</param>
/// <param name="BestFeasible">Whether it meets every constraint.</param>
public sealed record TuningProgress(string Phase, int Evaluations, TimeSpan Elapsed, Objectives Best, bool BestFeasible);

/// <summary>A demand trace with the name it is reported under.</summary>
/// <param name="Name">The name (a file name).</param>
/// <param name="Trace">The demand, already at a resolution that fits the alarm periods.</param>
public sealed record NamedTrace(string Name, DemandTrace Trace);
