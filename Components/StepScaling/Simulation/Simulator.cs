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

    /// <summary>Whether to keep every scale action with its reason; without, actions are only counted. <value>The default value is true.</value></summary>
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
    private const int Ok = 0, Alarm = 1, Insufficient = 2;
    private const int StatAverage = 0, StatSum = 1, StatMinimum = 2, StatMaximum = 3, StatSampleCount = 4, StatPercentile = 5;

    /// <summary>Runs the simulation.</summary>
    public static SimulationResult Run(ScalingSpec spec, DemandTrace trace, SimulationOptions? options = null) => Run(spec, trace, options, null);

    /// <summary>
    /// Runs the simulation reusing <paramref name="buffers"/> (one per thread) for its scratch arrays: with
    /// <see cref="SimulationOptions.RecordTimeline"/> and <see cref="SimulationOptions.RecordEvents"/> off, a run
    /// allocates only its result, whatever the trace length — what tuning needs to replay many candidates.
    /// </summary>
    public static SimulationResult Run(ScalingSpec spec, DemandTrace trace, SimulationOptions? options, SimulationBuffers? buffers)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trace);
        options ??= new SimulationOptions();
        if (trace.IntervalSeconds <= 0)
        {
            throw new ArgumentException("The trace interval must be positive.", nameof(trace));
        }

        // A period must be a whole number of samples, or datapoints would not line up with CloudWatch's periods.
        if (trace.ResolutionFor(spec) != trace.IntervalSeconds)
        {
            throw new ArgumentException($"Every alarm period must be a whole number of samples; resample the trace to {trace.ResolutionFor(spec)} s first (DemandTrace.HoldEach).", nameof(trace));
        }

        var policies = spec.Policies;
        var pc = policies.Length;
        var tick = trace.IntervalSeconds;
        var samples = trace.Length;
        var states = buffers?.States is PolicyState[] kept && kept.Length == pc ? kept : new PolicyState[pc];
        if (buffers is not null)
        {
            buffers.States = states;
        }

        for (var i = 0; i < pc; i++)
        {
            states[i] = new PolicyState(policies[i], trace, tick, buffers, i);
        }

        var record = options.RecordTimeline;
        var capacityLine = record ? new int[samples] : [];
        var runningLine = record ? new int[samples] : [];
        var unservedLine = record ? new double[samples] : [];
        var metricLine = record ? new double[pc][] : [];
        for (var i = 0; i < metricLine.Length; i++)
        {
            metricLine[i] = new double[samples];
        }

        // Without events (tuning), a scale action is counted and nothing is allocated for it.
        var events = options.RecordEvents ? ImmutableArray.CreateBuilder<ScaleEvent>() : null;
        var actions = 0;
        var capacity = Capacity.Clamp(options.InitialCapacity ?? spec.MinCapacity, spec.MinCapacity, spec.MaxCapacity);

        // Tasks still starting: a ring of (ready time, count).
        var pendingCap = Math.Max(4, (options.StartupDelaySeconds / tick) + 4);
        var pendingTime = buffers?.PendingTime(pendingCap) ?? new long[pendingCap];
        var pendingCount = buffers?.PendingCount(pendingCap) ?? new int[pendingCap];
        int pendingHead = 0, pendingLen = 0, pendingTotal = 0;

        long lastScaleOut = long.MinValue, lastScaleIn = long.MinValue;
        var scaleOutBase = capacity;
        var scaleOutHigh = capacity;
        var restartOnLarger = options.CooldownRestart == CooldownRestart.LargerScaleOut;
        var scaleInCooldownActive = false;

        // The summary's reference: the first per-task scale-out policy (else any per-task policy).
        var targetPolicy = -1;
        for (var i = 0; i < pc && targetPolicy < 0; i++)
        {
            if (policies[i].Side == ScalingSide.ScaleOut && policies[i].LoadModel == LoadModel.PerTask)
            {
                targetPolicy = i;
            }
        }

        double? target = options.TargetUtilization ?? (targetPolicy >= 0 ? policies[targetPolicy].Alarm.Threshold : null);
        for (var i = 0; i < pc && targetPolicy < 0; i++)
        {
            if (policies[i].LoadModel == LoadModel.PerTask)
            {
                targetPolicy = i;
            }
        }

        var targetValue = target ?? 0;
        var targetDemand = targetPolicy >= 0 ? states[targetPolicy].Demand : [];
        var targetPerTask = targetPolicy >= 0 && states[targetPolicy].PerTask;
        // A Sum alarm's threshold is per period: a sample reads as its rate over the period.
        var targetRatio = targetPolicy >= 0 ? states[targetPolicy].Ratio * (states[targetPolicy].StatKind == StatSum ? states[targetPolicy].PeriodTicks : 1) : 1;

        double taskSeconds = 0, oracleTaskSeconds = 0, secondsAbove = 0, unservedTaskSeconds = 0;
        var lastKnownDemand = double.NaN;
        var anyUnservedModel = false;
        for (var i = 0; i < pc; i++)
        {
            anyUnservedModel |= states[i].Saturates && states[i].PerTask;
        }

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
            double bestValue = 0, unservedTasks = 0;
            for (var i = 0; i < pc; i++)
            {
                ref var st = ref states[i];
                var d = st.Demand[s];
                var v = st.PerTask ? (running <= 0 ? double.NaN : d * st.Ratio / running) : d * st.Ratio;

                // A Fargate task cannot use more CPU or memory than it reserved: the reading stops at 100 %, and the
                // rest of the demand is not served (the binding metric, CPU or memory, decides how much).
                if (st.Saturates)
                {
                    v = Math.Min(v, st.Cap);
                    if (st.PerTask && !double.IsNaN(d))
                    {
                        unservedTasks = Math.Max(unservedTasks, Capacity.UnservedTasks(d, st.LoadRatio, running));
                    }
                }
                if (record)
                {
                    metricLine[i][s] = v;
                }

                if (!double.IsNaN(v))
                {
                    switch (st.StatKind)
                    {
                        case StatMinimum:
                            st.Min = Math.Min(st.Min, v);
                            break;
                        case StatMaximum:
                            st.Max = Math.Max(st.Max, v);
                            break;
                        case StatPercentile:
                            st.PercentileBuffer![st.Count] = v;
                            break;
                        default:
                            st.Sum += v;
                            break;
                    }

                    st.Count++;
                }

                if (++st.TicksInPeriod < st.PeriodTicks)
                {
                    continue;
                }

                // 3. The period closes: one datapoint, then the alarm evaluates its last N datapoints.
                var datapoint = st.Count == 0 ? double.NaN : st.StatKind switch
                {
                    StatSum => st.Sum,
                    StatMinimum => st.Min,
                    StatMaximum => st.Max,
                    StatSampleCount => st.Count,
                    StatPercentile => Percentile(st.PercentileBuffer!, st.Count, st.PercentileRank),
                    _ => st.Sum / st.Count,
                };

                // The ALB publishes RequestCountPerTarget only when there were requests: an idle period is missing data.
                if (st.ZeroIsMissing && datapoint == 0)
                {
                    datapoint = double.NaN;
                }

                st.Sum = 0;
                st.Count = 0;
                st.TicksInPeriod = 0;
                st.Min = double.PositiveInfinity;
                st.Max = double.NegativeInfinity;
                st.State = Push(ref st, datapoint);
                if (st.State != Alarm)
                {
                    continue;
                }

                // 4. In ALARM: the action runs again every period. The step uses the aggregated datapoints.
                var p = policies[i];
                var value = Aggregate(p.Scaling.MetricAggregationType, st.Window, st.WindowFill);
                if (double.IsNaN(value) || Steps.Find(p.Scaling.StepAdjustments, p.Alarm.ComparisonOperator, p.Alarm.Threshold, value) is not { } step)
                {
                    noStep++;
                    continue;
                }

                int proposed;
                if (p.Side == ScalingSide.ScaleOut)
                {
                    // During the scale-out cooldown, capacity already added counts toward this scale-out, and only a
                    // larger one acts, even after a scale-in (AAS user guide, "Step scaling policies", Cooldown period).
                    var inCooldown = lastScaleOut != long.MinValue && now - lastScaleOut < p.Scaling.Cooldown;
                    proposed = Capacity.Clamp(Capacity.Apply(inCooldown ? scaleOutBase : capacity, p.Scaling, step.ScalingAdjustment), spec.MinCapacity, spec.MaxCapacity);
                    if (inCooldown && proposed <= scaleOutHigh)
                    {
                        proposed = capacity;
                    }

                    // A change already covered (or capped at max) asks to keep the capacity; ExactCapacity asks for exactly its value.
                    if (p.Scaling.AdjustmentType != AdjustmentType.ExactCapacity)
                    {
                        proposed = Math.Max(proposed, capacity);
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

                // Several policies at once: the largest resulting capacity wins, even when it is the current one.
                if (bestPolicy < 0 || proposed > bestTarget)
                {
                    bestTarget = proposed;
                    bestPolicy = i;
                    bestValue = value;
                }
            }

            if (bestTarget == capacity)
            {
                bestPolicy = -1;
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
                    else if (restartOnLarger)
                    {
                        lastScaleOut = now;
                    }

                    scaleOutHigh = bestTarget;
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
                actions++;
                events?.Add(new ScaleEvent((int)now, from, capacity, p.Name, Reason(p, bestValue, from, capacity)));
            }

            // 6. The figures for this sample.
            if (record)
            {
                capacityLine[s] = capacity;
                runningLine[s] = Math.Max(0, capacity - pendingTotal);
                unservedLine[s] = unservedTasks;
            }

            taskSeconds += (double)capacity * tick;
            unservedTaskSeconds += unservedTasks * tick;
            if (targetPolicy >= 0 && targetValue > 0)
            {
                var d = targetDemand[s];
                if (!double.IsNaN(d))
                {
                    var servers = Math.Max(0, capacity - pendingTotal);
                    var util = targetPerTask ? (servers <= 0 ? double.NaN : d * targetRatio / servers) : d * targetRatio;
                    if (util > targetValue || (double.IsNaN(util) && d > 0))
                    {
                        secondsAbove += tick;
                    }

                    lastKnownDemand = d;
                }

                // A missing sample is a gap in the data, not in the load: the oracle keeps serving the last known demand.
                if (double.IsNaN(lastKnownDemand))
                {
                    oracleTaskSeconds += (double)spec.MinCapacity * tick;
                }
                else
                {
                    var need = targetPerTask ? (int)Math.Min(spec.MaxCapacity, Math.Ceiling(lastKnownDemand * targetRatio / targetValue)) : capacity;
                    oracleTaskSeconds += (double)Math.Max(spec.MinCapacity, need) * tick;
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
            Unserved = unservedLine,
            Events = events?.ToImmutable() ?? [],
            Summary = new SimulationSummary
            {
                TaskMinutes = taskMinutes,
                MinutesAboveTarget = secondsAbove / 60,
                TargetUtilization = target,
                ScaleActions = actions,
                Flaps = flaps,
                OracleTaskMinutes = oracleMinutes,
                TaskMinutesVsOracle = oracleMinutes > 0 ? taskMinutes / oracleMinutes : double.NaN,
                NoStepFound = noStep,
                UnservedTaskMinutes = anyUnservedModel ? unservedTaskSeconds / 60 : null,
            },
        };
    }

    /// <summary>
    /// Adds a datapoint to the alarm's window of N and returns the new state, with CloudWatch's M-of-N rule and
    /// missing-data treatment: missing datapoints are skipped (missing), keep the state (ignore), or count as
    /// breaching or not. With no datapoint to judge, the alarm has insufficient data and takes no action.
    /// Present and breaching counts are kept up to date as datapoints enter and leave the window.
    /// </summary>
    private static int Push(ref PolicyState st, double datapoint)
    {
        int code; // 0 = not counted, 1 = counted, not breaching, 2 = counted and breaching
        if (double.IsNaN(datapoint))
        {
            code = st.Treat switch
            {
                TreatMissingData.Breaching => 2,
                TreatMissingData.NotBreaching => 1,
                _ => 0,
            };
        }
        else
        {
            var breach = st.Op switch
            {
                ComparisonOperator.GreaterThanOrEqualToThreshold => datapoint >= st.Threshold,
                ComparisonOperator.GreaterThanThreshold => datapoint > st.Threshold,
                ComparisonOperator.LessThanThreshold => datapoint < st.Threshold,
                _ => datapoint <= st.Threshold,
            };
            code = breach ? 2 : 1;
        }

        var slot = st.WindowPos;
        var old = st.WindowCodes[slot];
        st.Present += (code > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
        st.Breaching += (code == 2 ? 1 : 0) - (old == 2 ? 1 : 0);
        st.WindowCodes[slot] = code;
        st.Window[slot] = datapoint;
        st.WindowPos = slot + 1 == st.Window.Length ? 0 : slot + 1;
        st.WindowFill = Math.Min(st.WindowFill + 1, st.Window.Length);

        if (st.Treat == TreatMissingData.Ignore && double.IsNaN(datapoint))
        {
            return st.State;
        }

        return st.Present == 0 ? Insufficient : st.Breaching >= st.DatapointsToAlarm ? Alarm : Ok;
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
            $"{p.Metric.DisplayName} {Num.Format(Math.Round(value, 2))}{p.Metric.UnitSuffix} ({p.Scaling.MetricAggregationType}) {p.Alarm.ComparisonOperator.Symbol()} {Num.Format(p.Alarm.Threshold)}{p.Metric.UnitSuffix}: {p.Name} {(to > from ? "adds" : "removes")} {Math.Abs(to - from)} → {to} {(to == 1 ? "task" : "tasks")}");

    /// <summary>One policy's alarm state, flattened for the hot loop.</summary>
    private struct PolicyState
    {
        public readonly double[] Demand;
        public readonly bool PerTask;
        public readonly bool ZeroIsMissing;
        public readonly bool Saturates;
        public readonly double Cap;
        public readonly double LoadRatio;
        public readonly double Ratio;
        public readonly int PeriodTicks;
        public readonly int StatKind;
        public readonly double PercentileRank;
        public readonly double[]? PercentileBuffer;
        public readonly double Threshold;
        public readonly ComparisonOperator Op;
        public readonly TreatMissingData Treat;
        public readonly int DatapointsToAlarm;
        public readonly double[] Window;
        public readonly int[] WindowCodes;
        public double Sum;
        public double Min;
        public double Max;
        public int Count;
        public int TicksInPeriod;
        public int WindowPos;
        public int WindowFill;
        public int State;
        public int Present;
        public int Breaching;

        public PolicyState(StepPolicy p, DemandTrace trace, int tick, SimulationBuffers? buffers, int index)
        {
            Demand = trace.PolicyDemand.TryGetValue(p.SourceName, out var own) ? own : trace.Demand;
            PerTask = p.LoadModel == LoadModel.PerTask;
            ZeroIsMissing = p.Metric is AlbRequestCountPerTargetMetric;
            Ratio = p.LoadRatio;
            LoadRatio = p.LoadRatio;
            Saturates = Capacity.Saturates(p.Metric);
            PeriodTicks = Math.Max(1, p.Alarm.Period / tick);
            Threshold = p.Alarm.Threshold;
            Op = p.Alarm.ComparisonOperator;
            Treat = p.Alarm.TreatMissingData;
            DatapointsToAlarm = p.Alarm.DatapointsToAlarm;
            Window = buffers?.Window(index, p.Alarm.EvaluationPeriods) ?? new double[p.Alarm.EvaluationPeriods];
            WindowCodes = buffers?.Codes(index, p.Alarm.EvaluationPeriods) ?? new int[p.Alarm.EvaluationPeriods];
            State = Insufficient;
            Min = double.PositiveInfinity;
            Max = double.NegativeInfinity;
            StatKind = p.Alarm.Statistic switch
            {
                "Sum" => StatSum,
                "Minimum" => StatMinimum,
                "Maximum" => StatMaximum,
                "SampleCount" => StatSampleCount,
                _ => StatAverage,
            };

            // A count (Sum) spread over held samples: each carries its share, so a period sums to the original.
            if (StatKind == StatSum)
            {
                Ratio /= trace.HeldFor;
            }

            // The 100 % ceiling applies to a sample as published; a held Sum sample carries its share of it.
            Cap = Saturates ? Capacity.MaxUtilization * Ratio / LoadRatio : double.PositiveInfinity;
            if (p.Alarm.ExtendedStatistic is { } ext && ext.StartsWith('p')
                && double.TryParse(ext.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var pct))
            {
                StatKind = StatPercentile;
                PercentileRank = pct;
                PercentileBuffer = buffers?.Percentile(index, PeriodTicks) ?? new double[PeriodTicks];
            }
        }
    }
}
