using System.Collections.Immutable;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>What <see cref="Tuner"/> may change, what it must keep, and how long it may search.</summary>
public sealed record TuningOptions
{
    /// <summary>Default search budget: 30 seconds of wall time.</summary>
    public const int DefaultBudgetSeconds = 30;

    /// <summary>Default held-out share of a single trace: its last 30 %.</summary>
    public const double DefaultHoldout = 0.3;

    /// <summary>Default random seed.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The config policies to tune (by name); empty for every policy. The others keep their settings.</summary>
    public ImmutableArray<string> Policies { get; init; } = [];

    /// <summary>The metric level a task should run at; null for the baseline's first per-task scale-out threshold.</summary>
    public double? Target { get; init; }

    /// <summary>Minutes above target allowed per trace; null to allow no more than the baseline.</summary>
    public double? MaxMinutesAbove { get; init; }

    /// <summary>Minutes above target allowed per trace, as a percentage of its minutes; null to allow no more than the baseline.</summary>
    public double? MaxAbovePercent { get; init; }

    /// <summary>Wall time the search may take. <value>The default value is 30 s.</value></summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(DefaultBudgetSeconds);

    /// <summary>Candidate evaluations the search may make; null for no limit but the budget and convergence.</summary>
    public int? MaxEvaluations { get; init; }

    /// <summary>The random seed: the same seed gives the same result when the search converges within its budget. <value>The default value is 1.</value></summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>With one trace, the share at its end held out of tuning and reported apart. <value>The default value is 0.3.</value></summary>
    public double Holdout { get; init; } = DefaultHoldout;

    /// <summary>Threads evaluating candidates; results never depend on it. <value>The default value is the processor count.</value></summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Seconds before a new task takes load. <value>The default value is 60.</value></summary>
    public int StartupDelaySeconds { get; init; } = SimulationOptions.DefaultStartupDelaySeconds;
}

/// <summary>A demand trace with the name it is reported under.</summary>
/// <param name="Name">The name (a file name).</param>
/// <param name="Trace">The demand, already at a resolution that fits the alarm periods.</param>
public sealed record NamedTrace(string Name, DemandTrace Trace);
