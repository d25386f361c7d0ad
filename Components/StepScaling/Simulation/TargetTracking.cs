using System.Globalization;
using StepScaling.Analysis;
using StepScaling.Model;

namespace StepScaling.Simulation;

/// <summary>
/// An Application Auto Scaling target-tracking policy as the simulator approximates it, for comparison with step
/// scaling ("Target tracking scaling policies for Application Auto Scaling", "How target tracking scaling works").
/// AWS creates and manages two alarms: a high alarm over <see cref="HighDatapoints"/> one-minute datapoints above the
/// target and a low alarm over <see cref="LowDatapoints"/> datapoints below <see cref="LowFraction"/> of it.
/// </summary>
public sealed record TargetTrackingPolicy
{
    /// <summary>ECS services get a 300 s scale-in cooldown by default (TargetTrackingScalingPolicyConfiguration, ScaleInCooldown).</summary>
    public const int DefaultCooldownSeconds = 300;

    /// <summary>Datapoints (of one minute) the high alarm needs above the target.</summary>
    public const int HighDatapoints = 3;

    /// <summary>Datapoints (of one minute) the low alarm needs below <see cref="LowFraction"/> × target.</summary>
    public const int LowDatapoints = 15;

    /// <summary>The low alarm's threshold as a fraction of the target: "usually more than 10 % lower".</summary>
    public const double LowFraction = 0.9;

    /// <summary>The target-tracking alarms' period: one minute.</summary>
    public const int PeriodSeconds = 60;

    /// <summary>The metric level to keep each task at.</summary>
    public required double TargetValue { get; init; }

    /// <summary>The least number of tasks.</summary>
    public required int MinCapacity { get; init; }

    /// <summary>The most tasks.</summary>
    public required int MaxCapacity { get; init; }

    /// <summary>How demand becomes the metric.</summary>
    public LoadModel LoadModel { get; init; } = LoadModel.PerTask;

    /// <summary>The metric per unit of demand.</summary>
    public double LoadRatio { get; init; } = 1;

    /// <summary>Whether the metric is an ECS utilization, which reads at most 100 % (<see cref="Capacity.Saturates"/>).</summary>
    public bool Saturates { get; init; }

    /// <summary>Whether the metric is a per-period Sum (request counts) rather than an average.</summary>
    public bool SumMetric { get; init; }

    /// <summary>The trace column that feeds the metric (a config policy name), or null for the shared demand.</summary>
    public string? DemandColumn { get; init; }

    /// <summary>Seconds after a scale-in before the next scale-in. <value>The default value is 300.</value></summary>
    public int ScaleInCooldown { get; init; } = DefaultCooldownSeconds;

    /// <summary>The default reading of how a scale-in chooses its capacity.</summary>
    public const TargetTrackingScaleIn DefaultScaleInModel = TargetTrackingScaleIn.WindowPeak;

    /// <summary>
    /// How a scale-in chooses its capacity, which AWS does not publish (see <see cref="TargetTrackingScaleIn"/>).
    /// <value>The default value is <see cref="TargetTrackingScaleIn.WindowPeak"/>.</value>
    /// </summary>
    public TargetTrackingScaleIn ScaleInModel { get; init; } = DefaultScaleInModel;

    /// <summary>
    /// The target-tracking policy a step-scaling spec would be replaced by: the metric, load model and capacity
    /// limits of its first per-task scale-out policy (else its first per-task policy), tracking <paramref name="target"/>.
    /// Null when the spec has no per-task policy.
    /// </summary>
    public static TargetTrackingPolicy? For(ScalingSpec spec, double target)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = spec.Policies.FirstOrDefault(q => q.Side == ScalingSide.ScaleOut && q.LoadModel == LoadModel.PerTask)
            ?? spec.Policies.FirstOrDefault(q => q.LoadModel == LoadModel.PerTask);
        return p is null ? null : new TargetTrackingPolicy
        {
            TargetValue = target,
            MinCapacity = spec.MinCapacity,
            MaxCapacity = spec.MaxCapacity,
            LoadModel = p.LoadModel,
            LoadRatio = p.LoadRatio,
            SumMetric = p.Alarm.Statistic == "Sum",
            Saturates = Capacity.Saturates(p.Metric),
            DemandColumn = p.SourceName,
        };
    }
}

/// <summary>
/// How a target-tracking scale-in chooses its capacity. AWS documents when it scales in (the low alarm, the scale-in
/// cooldown) and that it "scales in more gradually", but not by how much ("How target tracking scaling for
/// Application Auto Scaling works"): these are the readings of that page the simulator offers.
/// </summary>
public enum TargetTrackingScaleIn
{
    /// <summary>
    /// The fewest tasks that would have kept every datapoint of the low alarm's 15-minute window at or below the
    /// target: ceil(highest load in the window ÷ target). The page: "the policy won't scale-in if it calculates that
    /// removing a minimum unit of capacity would likely bring the metric back above the target value", and removes
    /// capacity "only when the application is no longer experiencing demand at the same high level that it was
    /// previously".
    /// </summary>
    WindowPeak,

    /// <summary>
    /// The fewest tasks that bring the last datapoint to the target, ceil(load ÷ target), in one action: the scale-out
    /// rule mirrored ("calculates the scaling adjustment based on the metric and the target value").
    /// </summary>
    Proportional,

    /// <summary>One task per scale-in (the "minimum unit of capacity"), each followed by the scale-in cooldown.</summary>
    OneTask,
}

/// <summary>
/// Replays a demand trace through a <see cref="TargetTrackingPolicy"/> on the simulation kernel step scaling uses
/// (<see cref="SimulationRunner"/>): start-up delay, the 100 % ceiling, unserved demand, cooldown clocks, reversals,
/// the oracle and the summary are the same code; <see cref="TargetTrackingRule"/> is the difference. What AWS
/// documents is followed; what it does not document is approximated, and said so here:
/// <list type="bullet">
/// <item>one datapoint a minute (the average of the samples in it; a Sum metric sums them); a minute with no sample is missing, and a window with a missing datapoint does not alarm ("does not perform scaling when the specified metric has insufficient data");</item>
/// <item>high alarm: the last 3 datapoints all above the target; low alarm: the last 15 all below 90 % of it; an alarm in ALARM acts every minute;</item>
/// <item>scale-out to the proportional capacity: the fewest tasks that bring the metric to the target, ceil(load ÷ target), where load is the metric × the tasks producing it (AWS: "adds capacity proportional to the metric value"; its exact formula is not published);</item>
/// <item>scale-out during the scale-out cooldown only when it asks for more than the capacity already set: as the proportional capacity counts the load of the tasks already serving, a scale-out never repeats itself while new tasks start, so the scale-out cooldown needs no separate clock; scale-in waits for the scale-in cooldown, and a scale-out ends it;</item>
/// <item>scale-in to the capacity <see cref="TargetTrackingPolicy.ScaleInModel"/> reads AWS's "scales in more gradually" as.</item>
/// </list>
/// </summary>
public static class TargetTrackingSimulator
{
    /// <summary>The policy name scale events carry.</summary>
    public const string PolicyName = "target-tracking";

    /// <summary>Runs the simulation; the trace must have whole one-minute periods (60 s a multiple of its interval).</summary>
    public static SimulationResult Run(TargetTrackingPolicy policy, DemandTrace trace, SimulationOptions? options = null) =>
        new SimulationRunner().Run(policy, trace, options);
}

/// <summary>Target tracking's alarms and capacity rule on the shared kernel (see <see cref="TargetTrackingSimulator"/>).</summary>
internal struct TargetTrackingRule : IScalingRule
{
    private TargetTrackingPolicy _policy;
    private double _target, _lowThreshold;
    private bool _perTask;
    private AlarmWindow _high, _low;

    // The load of each datapoint in the low alarm's window (metric × tasks producing it), for WindowPeak.
    private double[] _loads;
    private int _loadPos;

    // The action just decided: its direction and the datapoint behind it.
    private bool _scaleOut;
    private double _datapoint;

    public readonly int ScaleOutCooldown => 0;

    /// <summary>Refuses a trace without whole one-minute periods and a target that is not positive.</summary>
    public static void Validate(TargetTrackingPolicy policy, DemandTrace trace)
    {
        var tick = trace.IntervalSeconds;
        if (tick <= 0 || TargetTrackingPolicy.PeriodSeconds % tick != 0)
        {
            throw new ArgumentException($"Target tracking evaluates one-minute datapoints: the trace interval ({tick} s) must divide 60 s.", nameof(trace));
        }

        if (!(policy.TargetValue > 0))
        {
            throw new ArgumentException("The target value must be positive.", nameof(policy));
        }
    }

    public void Reset(TargetTrackingPolicy policy, DemandTrace trace, ref ReplayCore core)
    {
        _policy = policy;
        _target = policy.TargetValue;
        _lowThreshold = _target * TargetTrackingPolicy.LowFraction;
        _perTask = policy.LoadModel == LoadModel.PerTask;
        var demand = policy.DemandColumn is { } column && trace.PolicyDemand.TryGetValue(column, out var own) ? own : trace.Demand;
        var periodTicks = TargetTrackingPolicy.PeriodSeconds / trace.IntervalSeconds;

        // A Sum metric spread over held samples: each carries its share, so a minute sums to the original.
        var ratio = policy.LoadRatio / (policy.SumMetric ? trace.HeldFor : 1);
        var stat = policy.SumMetric ? MetricStream.StatSum : MetricStream.StatAverage;
        core.AddStream(MetricStream.Of(demand, _perTask, policy.Saturates, false, ratio, policy.LoadRatio, periodTicks, stat, 0), trace.Length);

        // A missing datapoint counts as not breaching: the window needs every datapoint present to alarm.
        _high.Reset(_target, ComparisonOperator.GreaterThanThreshold, TreatMissingData.NotBreaching, TargetTrackingPolicy.HighDatapoints, TargetTrackingPolicy.HighDatapoints);
        _low.Reset(_lowThreshold, ComparisonOperator.LessThanThreshold, TreatMissingData.NotBreaching, TargetTrackingPolicy.LowDatapoints, TargetTrackingPolicy.LowDatapoints);
        _loads ??= new double[TargetTrackingPolicy.LowDatapoints];
        _loadPos = 0;

        // The summary's target reads a per-period rate for a Sum metric, as step scaling's does.
        core.SetTarget(demand, _perTask, ratio * (policy.SumMetric ? periodTicks : 1), _target);
    }

    public int Decide(ref ReplayCore core, long now, int running)
    {
        ref var stream = ref core.Streams[0];
        var capacity = core.Capacity;
        if (!stream.Closed)
        {
            return capacity;
        }

        // One datapoint a minute; both alarms slide over it.
        var datapoint = stream.Datapoint;
        var high = _high.Push(datapoint) == AlarmWindow.Alarm;
        var low = _low.Push(datapoint) == AlarmWindow.Alarm;
        _datapoint = datapoint;

        // The load the tasks carried: the fewest tasks carrying it at the target is the proportional capacity.
        var present = !double.IsNaN(datapoint);
        var load = present ? (_perTask ? datapoint * running : datapoint * capacity) : double.NaN;
        _loads[_loadPos] = load;
        _loadPos = _loadPos + 1 == _loads.Length ? 0 : _loadPos + 1;
        if (!high && !low)
        {
            return capacity;
        }

        var proportional = present ? Tasks(load, core.Min, core.Max) : capacity;
        if (high && proportional > capacity)
        {
            // During the scale-out cooldown AWS adds only for a larger scale-out: a proportional capacity above the current one is one.
            _scaleOut = true;
            return proportional;
        }

        if (low && proportional < capacity && (!core.ScaleInCooldownActive || now - core.LastScaleIn >= _policy.ScaleInCooldown))
        {
            _scaleOut = false;
            return ScaleInTo(proportional, capacity, core.Min, core.Max);
        }

        return capacity;
    }

    /// <summary>The capacity a scale-in sets, per <see cref="TargetTrackingPolicy.ScaleInModel"/>; below <paramref name="capacity"/> or equal (no action).</summary>
    private readonly int ScaleInTo(int proportional, int capacity, int min, int max) => _policy.ScaleInModel switch
    {
        TargetTrackingScaleIn.Proportional => proportional,
        TargetTrackingScaleIn.OneTask => capacity - 1,
        _ => Math.Min(capacity, Tasks(PeakLoad(), min, max)),
    };

    /// <summary>The highest load of the low alarm's window (in ALARM, every one of its datapoints is present).</summary>
    private readonly double PeakLoad()
    {
        var peak = double.NegativeInfinity;
        foreach (var load in _loads)
        {
            peak = Math.Max(peak, load);
        }

        return peak;
    }

    /// <summary>The fewest tasks that carry <paramref name="load"/> at the target, within [min, max].</summary>
    private readonly int Tasks(double load, int min, int max) =>
        Capacity.Clamp((int)Math.Min(int.MaxValue, Math.Ceiling((load / _target) - 1e-9)), min, max);

    public readonly ScaleEvent Event(long now, int from, int to)
    {
        var reason = _scaleOut
            ? string.Create(CultureInfo.InvariantCulture, $"metric {Num.Format(Math.Round(_datapoint, 2))} > target {Num.Format(_target)} for {TargetTrackingPolicy.HighDatapoints} minutes: {TargetTrackingSimulator.PolicyName} sets {to} {(to == 1 ? "task" : "tasks")}")
            : string.Create(CultureInfo.InvariantCulture, $"metric {Num.Format(Math.Round(_datapoint, 2))} < {Num.Format(_lowThreshold)} for {TargetTrackingPolicy.LowDatapoints} minutes: {TargetTrackingSimulator.PolicyName} sets {to} {(to == 1 ? "task" : "tasks")}");
        return new ScaleEvent((int)now, from, to, TargetTrackingSimulator.PolicyName, reason);
    }

    /// <summary>The metric the policy read per sample, or none without a timeline.</summary>
    public static double[][] MetricLines(in ReplayCore core) => core.Streams[0].Line is { } line ? [line] : [];
}
