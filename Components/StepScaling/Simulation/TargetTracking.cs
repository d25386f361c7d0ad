using System.Collections.Immutable;
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

    /// <summary>How a scale-in chooses its capacity. <value>The default value is <see cref="TargetTrackingScaleIn.Proportional"/>.</value></summary>
    public TargetTrackingScaleIn ScaleIn { get; init; } = TargetTrackingScaleIn.Proportional;

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

/// <summary>How a target-tracking scale-in chooses its capacity: AWS does not publish the rule (see the README).</summary>
public enum TargetTrackingScaleIn
{
    /// <summary>The fewest tasks that bring the last datapoint to the target, in one action.</summary>
    Proportional,
}

/// <summary>
/// Replays a demand trace through a <see cref="TargetTrackingPolicy"/>. What AWS documents is followed; what it does
/// not document is approximated, and said so here:
/// <list type="bullet">
/// <item>one datapoint a minute (the average of the samples in it; a Sum metric sums them); a minute with no sample is missing, and a window with a missing datapoint does not alarm ("does not perform scaling when the specified metric has insufficient data");</item>
/// <item>high alarm: the last 3 datapoints all above the target; low alarm: the last 15 all below 90 % of it; an alarm in ALARM acts every minute;</item>
/// <item>the new capacity is proportional: the fewest tasks that bring the metric to the target, ceil(load ÷ target), where load is the metric × the tasks producing it (AWS: "adds capacity proportional to the metric value"; its exact formula is not published);</item>
/// <item>scale-out during the scale-out cooldown only when it asks for more than the capacity already set ("won't increase the desired capacity again unless either a larger scale out is triggered or the cooldown period ends"): as the proportional capacity counts the load of the tasks already serving, a scale-out never repeats itself while new tasks start, so the scale-out cooldown needs no separate clock; scale-in waits for the scale-in cooldown, and a scale-out ends it;</item>
/// <item>scale-in goes to the proportional capacity in one action (AWS "scales in more gradually", by an undocumented amount).</item>
/// </list>
/// The figures (task-minutes, minutes above target, oracle, flaps) are computed as <see cref="Simulator"/> computes them.
/// </summary>
public static class TargetTrackingSimulator
{
    /// <summary>The policy name scale events carry.</summary>
    public const string PolicyName = "target-tracking";

    /// <summary>Runs the simulation; the trace must have whole one-minute periods (60 s a multiple of its interval).</summary>
    public static SimulationResult Run(TargetTrackingPolicy policy, DemandTrace trace, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(trace);
        options ??= new SimulationOptions();
        var tick = trace.IntervalSeconds;
        if (tick <= 0 || TargetTrackingPolicy.PeriodSeconds % tick != 0)
        {
            throw new ArgumentException($"Target tracking evaluates one-minute datapoints: the trace interval ({tick} s) must divide 60 s.", nameof(trace));
        }

        if (!(policy.TargetValue > 0))
        {
            throw new ArgumentException("The target value must be positive.", nameof(policy));
        }

        var demand = policy.DemandColumn is { } column && trace.PolicyDemand.TryGetValue(column, out var own) ? own : trace.Demand;
        var samples = trace.Length;
        var periodTicks = TargetTrackingPolicy.PeriodSeconds / tick;
        var perTask = policy.LoadModel == LoadModel.PerTask;
        // A Sum metric spread over held samples: each carries its share, so a minute sums to the original.
        var ratio = policy.LoadRatio / (policy.SumMetric ? trace.HeldFor : 1);
        var target = policy.TargetValue;
        var lowThreshold = target * TargetTrackingPolicy.LowFraction;
        var record = options.RecordTimeline;
        var capacityLine = record ? new int[samples] : [];
        var runningLine = record ? new int[samples] : [];
        var metricLine = record ? new double[samples] : [];
        var unservedLine = record ? new double[samples] : [];
        var cap = policy.Saturates ? Capacity.MaxUtilization * ratio / policy.LoadRatio : double.PositiveInfinity;
        double unservedSeconds = 0;
        var lastKnown = double.NaN;
        var events = ImmutableArray.CreateBuilder<ScaleEvent>();
        var capacity = Capacity.Clamp(options.InitialCapacity ?? policy.MinCapacity, policy.MinCapacity, policy.MaxCapacity);

        var pending = new List<(long Ready, int Count)>();
        var pendingTotal = 0;
        var high = new bool[TargetTrackingPolicy.HighDatapoints];
        var low = new bool[TargetTrackingPolicy.LowDatapoints];
        int highFill = 0, lowFill = 0, highBreaching = 0, lowBreaching = 0, highPos = 0, lowPos = 0;
        double periodSum = 0;
        int periodCount = 0, periodTicksSeen = 0;
        long lastScaleIn = long.MinValue;
        var scaleInCooldownActive = false;
        double taskSeconds = 0, oracleSeconds = 0, secondsAbove = 0;
        int flaps = 0, lastDirection = 0;
        long lastActionTime = long.MinValue;
        // The summary's target reads a per-period rate for a Sum metric, as the simulator's does.
        var summaryRatio = policy.LoadRatio / (policy.SumMetric ? trace.HeldFor : 1) * (policy.SumMetric ? periodTicks : 1);

        for (var s = 0; s < samples; s++)
        {
            long now = (long)s * tick;
            while (pending.Count > 0 && pending[0].Ready <= now)
            {
                pendingTotal -= pending[0].Count;
                pending.RemoveAt(0);
            }

            var running = Math.Max(0, capacity - pendingTotal);
            var d = demand[s];
            var v = double.IsNaN(d) ? double.NaN : perTask ? (running <= 0 ? double.NaN : d * ratio / running) : d * ratio;
            // As in the step-scaling simulator: a Fargate task reads at most 100 %, and the rest is not served.
            var unserved = 0.0;
            if (policy.Saturates)
            {
                v = Math.Min(v, cap);
                unserved = perTask && !double.IsNaN(d) ? Capacity.UnservedTasks(d, policy.LoadRatio, running) : 0;
            }

            if (record)
            {
                metricLine[s] = v;
            }

            if (!double.IsNaN(v))
            {
                periodSum += v;
                periodCount++;
            }

            if (++periodTicksSeen == periodTicks)
            {
                // One datapoint a minute; both alarms slide over it.
                var datapoint = periodCount == 0 ? double.NaN : policy.SumMetric ? periodSum : periodSum / periodCount;
                var present = !double.IsNaN(datapoint);
                Slide(high, ref highPos, ref highFill, ref highBreaching, present && datapoint > target, present);
                Slide(low, ref lowPos, ref lowFill, ref lowBreaching, present && datapoint < lowThreshold, present);
                periodSum = 0;
                periodCount = 0;
                periodTicksSeen = 0;

                // The load the tasks carried: the fewest tasks carrying it at the target is the proportional capacity.
                var load = present ? (perTask ? datapoint * running : datapoint * capacity) : double.NaN;
                var proportional = present ? Capacity.Clamp((int)Math.Min(int.MaxValue, Math.Ceiling((load / target) - 1e-9)), policy.MinCapacity, policy.MaxCapacity) : capacity;
                var from = capacity;
                string? reason = null;
                if (highBreaching == high.Length && proportional > capacity)
                {
                    // During the scale-out cooldown AWS adds only for a larger scale-out: a proportional capacity above the current one is one.
                    scaleInCooldownActive = false;
                    var added = proportional - capacity;
                    if (options.StartupDelaySeconds > 0)
                    {
                        pending.Add((now + options.StartupDelaySeconds, added));
                        pendingTotal += added;
                    }

                    capacity = proportional;
                    reason = string.Create(CultureInfo.InvariantCulture, $"metric {Num.Format(Math.Round(datapoint, 2))} > target {Num.Format(target)} for {TargetTrackingPolicy.HighDatapoints} minutes: {PolicyName} sets {capacity} {(capacity == 1 ? "task" : "tasks")}");
                }
                else if (lowBreaching == low.Length && proportional < capacity
                    && (!scaleInCooldownActive || now - lastScaleIn >= policy.ScaleInCooldown))
                {
                    lastScaleIn = now;
                    scaleInCooldownActive = true;
                    var removed = capacity - proportional;
                    // Tasks still starting are the first to go, the newest first.
                    for (var k = pending.Count - 1; k >= 0 && removed > 0; k--)
                    {
                        var take = Math.Min(removed, pending[k].Count);
                        pending[k] = (pending[k].Ready, pending[k].Count - take);
                        pendingTotal -= take;
                        removed -= take;
                    }

                    pending.RemoveAll(p => p.Count == 0);
                    capacity = proportional;
                    reason = string.Create(CultureInfo.InvariantCulture, $"metric {Num.Format(Math.Round(datapoint, 2))} < {Num.Format(lowThreshold)} for {TargetTrackingPolicy.LowDatapoints} minutes: {PolicyName} sets {capacity} {(capacity == 1 ? "task" : "tasks")}");
                }

                if (reason is not null)
                {
                    var direction = Math.Sign(capacity - from);
                    if (lastDirection != 0 && direction != lastDirection && now - lastActionTime <= options.FlapWindowSeconds)
                    {
                        flaps++;
                    }

                    lastDirection = direction;
                    lastActionTime = now;
                    events.Add(new ScaleEvent((int)now, from, capacity, PolicyName, reason));
                }
            }

            if (record)
            {
                capacityLine[s] = capacity;
                runningLine[s] = Math.Max(0, capacity - pendingTotal);
                unservedLine[s] = unserved;
            }

            taskSeconds += (double)capacity * tick;
            unservedSeconds += unserved * tick;
            if (!double.IsNaN(d))
            {
                var servers = Math.Max(0, capacity - pendingTotal);
                var util = perTask ? (servers <= 0 ? double.NaN : d * summaryRatio / servers) : d * summaryRatio;
                if (util > target || (double.IsNaN(util) && d > 0))
                {
                    secondsAbove += tick;
                }

                lastKnown = d;
            }

            // The oracle, as the simulator's: a missing sample keeps the last known demand.
            if (double.IsNaN(lastKnown))
            {
                oracleSeconds += (double)policy.MinCapacity * tick;
            }
            else
            {
                var need = perTask ? (int)Math.Min(policy.MaxCapacity, Math.Ceiling(lastKnown * summaryRatio / target)) : capacity;
                oracleSeconds += (double)Math.Max(policy.MinCapacity, need) * tick;
            }
        }

        var taskMinutes = taskSeconds / 60;
        var oracleMinutes = oracleSeconds / 60;
        return new SimulationResult
        {
            IntervalSeconds = tick,
            Capacity = capacityLine,
            Running = runningLine,
            Metric = record ? [metricLine] : [],
            Unserved = unservedLine,
            Events = events.ToImmutable(),
            Summary = new SimulationSummary
            {
                TaskMinutes = taskMinutes,
                MinutesAboveTarget = secondsAbove / 60,
                TargetUtilization = target,
                ScaleActions = events.Count,
                Flaps = flaps,
                OracleTaskMinutes = oracleMinutes,
                TaskMinutesVsOracle = oracleMinutes > 0 ? taskMinutes / oracleMinutes : double.NaN,
                NoStepFound = 0,
                UnservedTaskMinutes = policy.Saturates && perTask ? unservedSeconds / 60 : null,
            },
        };
    }

    /// <summary>Adds one datapoint to an alarm's window: it alarms only when every datapoint in the window is present and breaching.</summary>
    private static void Slide(bool[] window, ref int pos, ref int fill, ref int breaching, bool breach, bool present)
    {
        if (fill == window.Length && window[pos])
        {
            breaching--;
        }

        // A missing datapoint counts as not breaching: the window needs every datapoint present to alarm.
        var counted = breach && present;
        window[pos] = counted;
        if (counted)
        {
            breaching++;
        }

        pos = pos + 1 == window.Length ? 0 : pos + 1;
        fill = Math.Min(fill + 1, window.Length);
    }
}
