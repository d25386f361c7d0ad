using System.Collections.Immutable;
using StepScaling.Model;

namespace StepScaling.Simulation;

/// <summary>A demand trace: regular samples of demand, optionally with a column per policy.</summary>
public sealed record DemandTrace
{
    /// <summary>Seconds between samples.</summary>
    public required int IntervalSeconds { get; init; }

    /// <summary>The time of the first sample.</summary>
    public DateTimeOffset Start { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// Demand per sample. Per-task metrics read demand × loadRatio ÷ running tasks, so demand is in "metric units
    /// of one task": 240 on CPUUtilization is 2.4 tasks' worth of CPU (4 tasks at 60 %). Independent metrics read
    /// demand × loadRatio. NaN is a missing sample.
    /// </summary>
    public required double[] Demand { get; init; }

    /// <summary>Per-policy demand that replaces <see cref="Demand"/> for the config policy of that name.</summary>
    public ImmutableDictionary<string, double[]> PolicyDemand { get; init; } = ImmutableDictionary<string, double[]>.Empty;

    /// <summary>Number of samples.</summary>
    public int Length => Demand.Length;

    /// <summary>
    /// How many samples each original sample was held for (<see cref="HoldEach"/>): a Sum metric reads each held
    /// sample as its share, so the total over a period is what the original samples said.
    /// </summary>
    public int HeldFor { get; init; } = 1;

    /// <summary>The most samples <see cref="HoldEach"/> makes: a year at ten-second resolution.</summary>
    public const int MaxSamples = 3_153_600;

    /// <summary>The seconds between samples at which every alarm period is a whole number of samples.</summary>
    /// <param name="spec">The spec whose alarm periods the trace must fit.</param>
    public int ResolutionFor(ScalingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var step = IntervalSeconds;
        foreach (var p in spec.Policies)
        {
            step = Gcd(step, p.Alarm.Period);
        }

        return step;

        static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
    }

    /// <summary>
    /// The same demand at a finer resolution: each sample held for <c>IntervalSeconds / seconds</c> samples, as a
    /// metric published every <paramref name="seconds"/> would read it. Null when that would exceed <see cref="MaxSamples"/>.
    /// </summary>
    public DemandTrace? HoldEach(int seconds)
    {
        if (seconds <= 0 || IntervalSeconds % seconds != 0)
        {
            throw new ArgumentException($"{seconds} s does not divide the trace interval ({IntervalSeconds} s).", nameof(seconds));
        }

        var k = IntervalSeconds / seconds;
        if (k == 1)
        {
            return this;
        }

        if ((long)Length * k > MaxSamples)
        {
            return null;
        }

        return this with
        {
            IntervalSeconds = seconds,
            HeldFor = HeldFor * k,
            Demand = Hold(Demand, k),
            PolicyDemand = PolicyDemand.ToImmutableDictionary(kv => kv.Key, kv => Hold(kv.Value, k)),
        };

        static double[] Hold(double[] values, int k)
        {
            var result = new double[values.Length * k];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = values[i / k];
            }

            return result;
        }
    }
}

/// <summary>
/// Whether a larger scale-out inside a scale-out cooldown restarts the cooldown clock. AWS's documentation does not
/// settle it (AAS user guide, "Step scaling policies", Cooldown period); the README quotes what it does say.
/// </summary>
public enum CooldownRestart
{
    /// <summary>
    /// The larger scale-out restarts the clock ("After Application Auto Scaling successfully scales out using a step
    /// scaling policy, it starts to calculate the cooldown time"); capacity added since the cooldown began still counts.
    /// </summary>
    LargerScaleOut,

    /// <summary>The clock runs from the scale-out that began the cooldown ("the initiating scale-out activity").</summary>
    Never,
}

/// <summary>Simulation settings.</summary>
public sealed record SimulationOptions
{
    /// <summary>Default start-up delay: a Fargate task takes about a minute before it serves.</summary>
    public const int DefaultStartupDelaySeconds = 60;

    /// <summary>Default window in which two opposite scale actions count as a flap: 15 minutes.</summary>
    public const int DefaultFlapWindowSeconds = 900;

    /// <summary>Default reading of the scale-out cooldown: a larger scale-out restarts the clock.</summary>
    public const CooldownRestart DefaultCooldownRestart = CooldownRestart.LargerScaleOut;

    /// <summary>Seconds before a new task takes load. <value>The default value is 60.</value></summary>
    public int StartupDelaySeconds { get; init; } = DefaultStartupDelaySeconds;

    /// <summary>The capacity at the start; null for the minimum.</summary>
    public int? InitialCapacity { get; init; }

    /// <summary>Opposite scale actions closer than this are a flap. <value>The default value is 900 s.</value></summary>
    public int FlapWindowSeconds { get; init; } = DefaultFlapWindowSeconds;

    /// <summary>The per-task utilisation target for the summary; null for the first per-task scale-out threshold.</summary>
    public double? TargetUtilization { get; init; }

    /// <summary>Whether to keep the per-sample timeline (charts, JSON). <value>The default value is true.</value></summary>
    public bool RecordTimeline { get; init; } = true;

    /// <summary>
    /// Whether to keep the scale events (each allocates its record and reason); without them the summary still counts
    /// scale actions and flaps. <value>The default value is true.</value>
    /// </summary>
    public bool RecordEvents { get; init; } = true;

    /// <summary>
    /// Whether a larger scale-out inside the scale-out cooldown restarts its clock.
    /// <value>The default value is <see cref="CooldownRestart.LargerScaleOut"/>.</value>
    /// </summary>
    public CooldownRestart CooldownRestart { get; init; } = DefaultCooldownRestart;
}

/// <summary>One scale action.</summary>
/// <param name="Seconds">Seconds since the trace start.</param>
/// <param name="From">Capacity before.</param>
/// <param name="To">Capacity after.</param>
/// <param name="Policy">The policy that acted.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record ScaleEvent(int Seconds, int From, int To, string Policy, string Reason);

/// <summary>What a simulation produced.</summary>
public sealed record SimulationResult
{
    /// <summary>Seconds between samples.</summary>
    public required int IntervalSeconds { get; init; }

    /// <summary>Capacity (desired count) per sample; empty without a timeline.</summary>
    public required int[] Capacity { get; init; }

    /// <summary>Tasks taking load per sample; empty without a timeline.</summary>
    public required int[] Running { get; init; }

    /// <summary>Per policy (spec order), the metric it read per sample; empty without a timeline.</summary>
    public required double[][] Metric { get; init; }

    /// <summary>
    /// Per sample, the demand the running tasks could not serve, in tasks' worth (a CPU or memory utilization would
    /// have read above 100 %); empty without a timeline.
    /// </summary>
    public double[] Unserved { get; init; } = [];

    /// <summary>Every scale action, in order.</summary>
    public required ImmutableArray<ScaleEvent> Events { get; init; }

    /// <summary>The figures.</summary>
    public required SimulationSummary Summary { get; init; }
}

/// <summary>The figures of a simulation.</summary>
public sealed record SimulationSummary
{
    /// <summary>Sum of capacity over time, in task-minutes.</summary>
    public required double TaskMinutes { get; init; }

    /// <summary>Minutes in which per-task utilisation was above the target.</summary>
    public required double MinutesAboveTarget { get; init; }

    /// <summary>The target used.</summary>
    public required double? TargetUtilization { get; init; }

    /// <summary>Scale actions taken.</summary>
    public required int ScaleActions { get; init; }

    /// <summary>Direction reversals within the flap window.</summary>
    public required int Flaps { get; init; }

    /// <summary>
    /// Task-minutes of an oracle that runs, each sample, the fewest tasks that meet the target (a missing sample
    /// counts as the last known demand).
    /// </summary>
    public required double OracleTaskMinutes { get; init; }

    /// <summary>Our task-minutes ÷ the oracle's (1 is perfect; above 1 is over-provisioning).</summary>
    public required double TaskMinutesVsOracle { get; init; }

    /// <summary>Times an alarm fired but no step matched ("No step adjustment found").</summary>
    public required int NoStepFound { get; init; }

    /// <summary>
    /// Demand the running tasks could not serve, in task-minutes: what a CPU or memory utilization above 100 % would
    /// have asked for. Null when no per-task policy is on CPUUtilization or MemoryUtilization.
    /// </summary>
    public double? UnservedTaskMinutes { get; init; }
}

/// <summary>
/// Replays a demand trace through a spec's alarms and policies with CloudWatch and Application Auto Scaling
/// semantics. Deterministic: the same inputs give the same result. Everything is allocated before the loop; the
/// steady loop allocates nothing per sample (an event allocates its record and reason).
/// </summary>
public static class Simulator
{
    /// <summary>Runs the simulation.</summary>
    public static SimulationResult Run(ScalingSpec spec, DemandTrace trace, SimulationOptions? options = null) =>
        new SimulationRunner().Run(spec, trace, options);
}

/// <summary>
/// Runs simulations one after another on the same kernel, reusing its buffers: many candidate specs on one trace
/// (tuning) allocate only their results, and with neither timeline nor events only the summary. Step scaling and
/// target tracking share the kernel (<see cref="ReplayCore"/>); only their rules differ. Not thread-safe: one runner
/// per thread.
/// </summary>
public sealed class SimulationRunner
{
    private static readonly SimulationOptions Defaults = new();
    private ReplayCore _core;
    private StepScalingRule _step;
    private TargetTrackingRule _targetTracking;

    /// <summary>Runs the simulation, as <see cref="Simulator.Run"/> does.</summary>
    public SimulationResult Run(ScalingSpec spec, DemandTrace trace, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trace);
        options ??= Defaults;
        if (trace.IntervalSeconds <= 0)
        {
            throw new ArgumentException("The trace interval must be positive.", nameof(trace));
        }

        // A period must be a whole number of samples, or datapoints would not line up with CloudWatch's periods.
        if (trace.ResolutionFor(spec) != trace.IntervalSeconds)
        {
            throw new ArgumentException($"Every alarm period must be a whole number of samples; resample the trace to {trace.ResolutionFor(spec)} s first (DemandTrace.HoldEach).", nameof(trace));
        }

        _core.Reset(trace, options, spec.MinCapacity, spec.MaxCapacity);
        _step.Reset(spec, trace, options, ref _core);
        Replay.Run(ref _core, ref _step, trace.Length);
        return _core.Finish(_step.MetricLines(_core), _step.Target);
    }

    /// <summary>Runs a target-tracking simulation, as <see cref="TargetTrackingSimulator.Run"/> does.</summary>
    public SimulationResult Run(TargetTrackingPolicy policy, DemandTrace trace, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(trace);
        options ??= Defaults;
        TargetTrackingRule.Validate(policy, trace);
        _core.Reset(trace, options, policy.MinCapacity, policy.MaxCapacity);
        _targetTracking.Reset(policy, trace, ref _core);
        Replay.Run(ref _core, ref _targetTracking, trace.Length);
        return _core.Finish(TargetTrackingRule.MetricLines(_core), policy.TargetValue);
    }
}
