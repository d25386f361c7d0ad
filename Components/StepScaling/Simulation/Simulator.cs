using System.Collections.Immutable;
using System.Globalization;
using StepScaling.Analysis;
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
}

/// <summary>Simulation settings.</summary>
public sealed record SimulationOptions
{
    /// <summary>Default start-up delay: a Fargate task takes about a minute before it serves.</summary>
    public const int DefaultStartupDelaySeconds = 60;

    /// <summary>Default window in which two opposite scale actions count as a flap: 15 minutes.</summary>
    public const int DefaultFlapWindowSeconds = 900;

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

    /// <summary>Task-minutes of an oracle that runs, each sample, the fewest tasks that meet the target.</summary>
    public required double OracleTaskMinutes { get; init; }

    /// <summary>Our task-minutes ÷ the oracle's (1 is perfect; above 1 is over-provisioning).</summary>
    public required double TaskMinutesVsOracle { get; init; }

    /// <summary>Times an alarm fired but no step matched ("No step adjustment found").</summary>
    public required int NoStepFound { get; init; }
}

/// <summary>
/// Replays a demand trace through a spec's alarms and policies with CloudWatch and Application Auto Scaling
/// semantics. Deterministic: the same inputs give the same result. The steady loop allocates nothing per sample.
/// </summary>
public static class Simulator
{
    private const int Ok = 0, Alarm = 1, Insufficient = 2;

    /// <summary>Runs the simulation.</summary>
    public static SimulationResult Run(ScalingSpec spec, DemandTrace trace, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trace);
        options ??= new SimulationOptions();
        if (trace.IntervalSeconds <= 0)
        {
            throw new ArgumentException("The trace interval must be positive.", nameof(trace));
        }

        var policies = spec.Policies;
        var pc = policies.Length;
        var tick = trace.IntervalSeconds;
        var samples = trace.Length;

        // Per-policy state, all allocated up front.
        var demandSource = new double[pc][];
        var periodTicks = new int[pc];
        var sum = new double[pc];
        var min = new double[pc];
        var max = new double[pc];
        var count = new int[pc];
        var ticksInPeriod = new int[pc];
        var window = new double[pc][];
        var windowPos = new int[pc];
        var windowFill = new int[pc];
        var state = new int[pc];
        var percentileBuffer = new double[pc][];
        var percentile = new double[pc];
        for (var i = 0; i < pc; i++)
        {
            var p = policies[i];
            demandSource[i] = trace.PolicyDemand.TryGetValue(p.SourceName, out var own) ? own : trace.Demand;
            periodTicks[i] = Math.Max(1, p.Alarm.Period / tick);
            window[i] = new double[p.Alarm.EvaluationPeriods];
            state[i] = Insufficient;
            min[i] = double.PositiveInfinity;
            max[i] = double.NegativeInfinity;
            if (p.Alarm.ExtendedStatistic is { } ext && ext.StartsWith('p') && double.TryParse(ext.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var pct))
            {
                percentile[i] = pct;
                percentileBuffer[i] = new double[periodTicks[i]];
            }
        }

        var record = options.RecordTimeline;
        var capacityLine = record ? new int[samples] : [];
        var runningLine = record ? new int[samples] : [];
        var metricLine = new double[record ? pc : 0][];
        for (var i = 0; i < metricLine.Length; i++)
        {
            metricLine[i] = new double[samples];
        }

        var events = ImmutableArray.CreateBuilder<ScaleEvent>();
        var capacity = Capacity.Clamp(options.InitialCapacity ?? spec.MinCapacity, spec.MinCapacity, spec.MaxCapacity);

        // Tasks still starting: a ring of (ready time, count).
        var pendingCap = Math.Max(4, (options.StartupDelaySeconds / tick) + 4);
        var pendingTime = new long[pendingCap];
        var pendingCount = new int[pendingCap];
        int pendingHead = 0, pendingLen = 0, pendingTotal = 0;

        long lastScaleOut = long.MinValue, lastScaleIn = long.MinValue;
        var scaleOutBase = capacity;
        var scaleInCooldownActive = false;

        var targetPolicy = -1;
        for (var i = 0; i < pc && targetPolicy < 0; i++)
        {
            if (policies[i].Side == ScalingSide.ScaleOut && policies[i].LoadModel == LoadModel.PerTask)
            {
                targetPolicy = i;
            }
        }

        double? target = options.TargetUtilization ?? (targetPolicy >= 0 ? policies[targetPolicy].Alarm.Threshold : null);
        if (targetPolicy < 0)
        {
            for (var i = 0; i < pc && targetPolicy < 0; i++)
            {
                if (policies[i].LoadModel == LoadModel.PerTask)
                {
                    targetPolicy = i;
                }
            }
        }

        double taskSeconds = 0, oracleTaskSeconds = 0, secondsAbove = 0;
        int noStep = 0, flaps = 0, lastDirection = 0;
        long lastActionTime = long.MinValue;

        for (var s = 0; s < samples; s++)
        {
            long now = (long)s * tick;

            // 1. Tasks whose start-up delay is over begin taking load.
            while (pendingLen > 0 && pendingTime[pendingHead] <= now)
            {
                pendingTotal -= pendingCount[pendingHead];
                pendingHead = (pendingHead + 1) % pendingCap;
                pendingLen--;
            }

            var running = Math.Max(0, capacity - pendingTotal);

            // 2. Sample every policy's metric and aggregate it over its period.
            int bestTarget = capacity, bestPolicy = -1;
            double bestValue = 0;
            for (var i = 0; i < pc; i++)
            {
                var p = policies[i];
                var v = Capacity.MetricValue(demandSource[i][s], p.LoadModel, p.LoadRatio, running);
                if (record)
                {
                    metricLine[i][s] = v;
                }

                if (!double.IsNaN(v))
                {
                    if (percentileBuffer[i] is { } buffer)
                    {
                        buffer[count[i]] = v;
                    }

                    sum[i] += v;
                    min[i] = Math.Min(min[i], v);
                    max[i] = Math.Max(max[i], v);
                    count[i]++;
                }

                if (++ticksInPeriod[i] < periodTicks[i])
                {
                    continue;
                }

                // 3. The period closes: one datapoint, then the alarm evaluates its last N datapoints.
                var datapoint = count[i] == 0 ? double.NaN : p.Alarm.Statistic switch
                {
                    "Sum" => sum[i],
                    "Minimum" => min[i],
                    "Maximum" => max[i],
                    "SampleCount" => count[i],
                    _ => percentileBuffer[i] is { } pb ? Percentile(pb, count[i], percentile[i]) : sum[i] / count[i],
                };
                sum[i] = 0;
                count[i] = 0;
                ticksInPeriod[i] = 0;
                min[i] = double.PositiveInfinity;
                max[i] = double.NegativeInfinity;

                var w = window[i];
                w[windowPos[i]] = datapoint;
                windowPos[i] = (windowPos[i] + 1) % w.Length;
                windowFill[i] = Math.Min(windowFill[i] + 1, w.Length);
                state[i] = Evaluate(p.Alarm, w, windowFill[i], datapoint, state[i]);
                if (state[i] != Alarm)
                {
                    continue;
                }

                // 4. In ALARM: the action runs again every period. The step uses the aggregated breaching datapoints.
                var value = Aggregate(p.Scaling.MetricAggregationType, w, windowFill[i]);
                if (double.IsNaN(value) || Steps.Find(p.Scaling.StepAdjustments, p.Alarm.ComparisonOperator, p.Alarm.Threshold, value) is not { } step)
                {
                    noStep++;
                    continue;
                }

                int proposed;
                var isOut = p.Side == ScalingSide.ScaleOut;
                if (isOut)
                {
                    // During the scale-out cooldown, capacity already added counts toward this scale-out.
                    var inCooldown = lastScaleOut != long.MinValue && now - lastScaleOut < p.Scaling.Cooldown;
                    var from = inCooldown ? scaleOutBase : capacity;
                    proposed = Capacity.Clamp(Capacity.Apply(from, p.Scaling, step.ScalingAdjustment), spec.MinCapacity, spec.MaxCapacity);
                    if (inCooldown && proposed <= capacity)
                    {
                        continue;
                    }
                }
                else
                {
                    // Scale-in waits out its cooldown, unless a scale-out has ended it.
                    if (scaleInCooldownActive && now - lastScaleIn < p.Scaling.Cooldown)
                    {
                        continue;
                    }

                    proposed = Capacity.Clamp(Capacity.Apply(capacity, p.Scaling, step.ScalingAdjustment), spec.MinCapacity, spec.MaxCapacity);
                }

                if (proposed == capacity)
                {
                    continue;
                }

                // Several policies at once: the largest resulting capacity wins.
                if (bestPolicy < 0 || proposed > bestTarget)
                {
                    bestTarget = proposed;
                    bestPolicy = i;
                    bestValue = value;
                }
            }

            // 5. Apply the winning action.
            if (bestPolicy >= 0)
            {
                var p = policies[bestPolicy];
                var from = capacity;
                if (bestTarget > capacity)
                {
                    if (lastScaleOut == long.MinValue || now - lastScaleOut >= p.Scaling.Cooldown)
                    {
                        scaleOutBase = capacity;
                        lastScaleOut = now;
                    }

                    scaleInCooldownActive = false;
                    var added = bestTarget - capacity;
                    if (options.StartupDelaySeconds > 0)
                    {
                        var slot = (pendingHead + pendingLen) % pendingCap;
                        pendingTime[slot] = now + options.StartupDelaySeconds;
                        pendingCount[slot] = added;
                        pendingLen = Math.Min(pendingLen + 1, pendingCap);
                        pendingTotal += added;
                    }
                }
                else
                {
                    lastScaleIn = now;
                    scaleInCooldownActive = true;

                    // Tasks that are still starting are the first to go.
                    var removed = capacity - bestTarget;
                    while (removed > 0 && pendingLen > 0)
                    {
                        var last = (pendingHead + pendingLen - 1) % pendingCap;
                        var take = Math.Min(removed, pendingCount[last]);
                        pendingCount[last] -= take;
                        pendingTotal -= take;
                        removed -= take;
                        if (pendingCount[last] == 0)
                        {
                            pendingLen--;
                        }
                    }
                }

                capacity = bestTarget;
                var direction = Math.Sign(capacity - from);
                if (lastDirection != 0 && direction != lastDirection && now - lastActionTime <= options.FlapWindowSeconds)
                {
                    flaps++;
                }

                lastDirection = direction;
                lastActionTime = now;
                events.Add(new ScaleEvent((int)now, from, capacity, p.Name, Reason(p, bestValue, from, capacity)));
            }

            // 6. The figures for this sample.
            if (record)
            {
                capacityLine[s] = capacity;
                runningLine[s] = Math.Max(0, capacity - pendingTotal);
            }

            taskSeconds += (double)capacity * tick;
            if (targetPolicy >= 0 && target is { } t && t > 0)
            {
                var tp = policies[targetPolicy];
                var d = demandSource[targetPolicy][s];
                if (!double.IsNaN(d))
                {
                    var util = Capacity.MetricValue(d, tp.LoadModel, tp.LoadRatio, Math.Max(0, capacity - pendingTotal));
                    if (util > t || (double.IsNaN(util) && d > 0))
                    {
                        secondsAbove += tick;
                    }

                    var need = tp.LoadModel == LoadModel.PerTask ? (int)Math.Min(spec.MaxCapacity, Math.Ceiling(d * tp.LoadRatio / t)) : capacity;
                    oracleTaskSeconds += (double)Math.Max(spec.MinCapacity, need) * tick;
                }
                else
                {
                    oracleTaskSeconds += (double)spec.MinCapacity * tick;
                }
            }
        }

        var taskMinutes = taskSeconds / 60;
        var oracleMinutes = oracleTaskSeconds / 60;
        return new SimulationResult
        {
            IntervalSeconds = tick,
            Capacity = capacityLine,
            Running = runningLine,
            Metric = metricLine,
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
                NoStepFound = noStep,
            },
        };
    }

    /// <summary>
    /// The alarm state after a new datapoint, with CloudWatch's M-of-N rule and missing-data treatment:
    /// missing datapoints are skipped (missing), keep the state (ignore), or count as breaching or not.
    /// </summary>
    private static int Evaluate(AlarmSpec alarm, double[] window, int fill, double latest, int current)
    {
        var treat = alarm.TreatMissingData;
        if (treat == TreatMissingData.Ignore && double.IsNaN(latest))
        {
            return current;
        }

        int present = 0, breaching = 0;
        for (var k = 0; k < fill; k++)
        {
            var v = window[k];
            if (double.IsNaN(v))
            {
                if (treat == TreatMissingData.Breaching)
                {
                    present++;
                    breaching++;
                }
                else if (treat == TreatMissingData.NotBreaching)
                {
                    present++;
                }

                continue;
            }

            present++;
            if (alarm.ComparisonOperator.Breaches(v, alarm.Threshold))
            {
                breaching++;
            }
        }

        if (present == 0)
        {
            return Insufficient;
        }

        if (breaching >= alarm.DatapointsToAlarm)
        {
            return Alarm;
        }

        // OK once the alarm can no longer reach M breaching datapoints in the window.
        return present - breaching > alarm.EvaluationPeriods - alarm.DatapointsToAlarm || present >= Math.Min(fill, alarm.EvaluationPeriods) ? Ok : current;
    }

    private static double Aggregate(MetricAggregationType type, double[] window, int fill)
    {
        double acc = type switch
        {
            MetricAggregationType.Minimum => double.PositiveInfinity,
            MetricAggregationType.Maximum => double.NegativeInfinity,
            _ => 0,
        };
        var n = 0;
        for (var k = 0; k < fill; k++)
        {
            var v = window[k];
            if (double.IsNaN(v))
            {
                continue;
            }

            n++;
            acc = type switch
            {
                MetricAggregationType.Minimum => Math.Min(acc, v),
                MetricAggregationType.Maximum => Math.Max(acc, v),
                _ => acc + v,
            };
        }

        return n == 0 ? double.NaN : type == MetricAggregationType.Average ? acc / n : acc;
    }

    private static double Percentile(double[] buffer, int count, double pct)
    {
        Array.Sort(buffer, 0, count);
        var rank = (int)Math.Ceiling(pct / 100 * count);
        return buffer[Math.Clamp(rank - 1, 0, count - 1)];
    }

    private static string Reason(StepPolicy p, double value, int from, int to) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{p.Metric.DisplayName} {Num.Format(Math.Round(value, 2))}{p.Metric.UnitSuffix} ({p.Scaling.MetricAggregationType}) {p.Alarm.ComparisonOperator.Symbol()} {Num.Format(p.Alarm.Threshold)}{p.Metric.UnitSuffix}: {p.Name} {(to > from ? "adds" : "removes")} {Math.Abs(to - from)} → {to} tasks");
}
