using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
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
/// (tuning) allocate only their results, and with neither timeline nor events only the summary. Not thread-safe: one
/// runner per thread.
/// </summary>
public sealed class SimulationRunner
{
    private static readonly SimulationOptions Defaults = new();
    private Kernel _kernel;

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

        _kernel.Reset(spec, trace, options);
        for (var s = 0; s < trace.Length; s++)
        {
            _kernel.Step(s);
        }

        return _kernel.Finish();
    }

    private const int Ok = 0, Alarm = 1, Insufficient = 2;
    private const int StatAverage = 0, StatSum = 1, StatMinimum = 2, StatMaximum = 3, StatSampleCount = 4, StatPercentile = 5;

    /// <summary>
    /// The simulation's state, one sample at a time: <see cref="Step"/> takes tasks that finished starting, samples and
    /// aggregates every metric, closes periods and evaluates alarms, invokes the policies in ALARM (with their
    /// cooldowns), applies the winning action and counts the figures. Buffers survive <see cref="Reset"/>.
    /// </summary>
    private struct Kernel
    {
        // The run's settings.
        private ImmutableArray<StepPolicy> _policies;
        private int _pc, _tick, _min, _max, _startupDelay, _flapWindow;
        private bool _record, _recordEvents, _restartOnLarger;

        // Per-policy alarm state; its arrays are reused across runs.
        private PolicyState[] _states;

        // Tasks still starting: a ring of (ready time, count).
        private long[] _pendingTime;
        private int[] _pendingCount;
        private int _pendingCap, _pendingHead, _pendingLen, _pendingTotal;

        // Capacity and cooldowns: a scale-out cooldown's start, base (capacity before it) and highest capacity reached.
        private int _capacity, _scaleOutBase, _scaleOutHigh;
        private long _lastScaleOut, _lastScaleIn;
        private bool _scaleInCooldownActive;

        // This sample's winning proposal: the largest resulting capacity.
        private int _bestTarget, _bestPolicy;
        private double _bestValue;

        // The summary's reference policy and its target.
        private int _targetPolicy;
        private double? _target;
        private double _targetValue, _targetRatio;
        private double[] _targetDemand;
        private bool _targetPerTask, _anyUnservedModel;

        // The figures.
        private double _taskSeconds, _oracleTaskSeconds, _secondsAbove, _unservedTaskSeconds, _lastKnownDemand;
        private int _noStep, _flaps, _actions, _lastDirection;
        private long _lastActionTime;

        // The timeline belongs to the result: new arrays every run. The event builder is reused.
        private int[] _capacityLine, _runningLine;
        private double[] _unservedLine;
        private double[][] _metricLine;
        private ImmutableArray<ScaleEvent>.Builder? _events;

        public void Reset(ScalingSpec spec, DemandTrace trace, SimulationOptions options)
        {
            _policies = spec.Policies;
            _pc = _policies.Length;
            _tick = trace.IntervalSeconds;
            _min = spec.MinCapacity;
            _max = spec.MaxCapacity;
            _startupDelay = options.StartupDelaySeconds;
            _flapWindow = options.FlapWindowSeconds;
            _record = options.RecordTimeline;
            _recordEvents = options.RecordEvents;
            _restartOnLarger = options.CooldownRestart == CooldownRestart.LargerScaleOut;

            if (_states is null || _states.Length < _pc)
            {
                _states = new PolicyState[_pc];
            }

            _anyUnservedModel = false;
            for (var i = 0; i < _pc; i++)
            {
                _states[i].Reset(_policies[i], trace, _tick);
                _anyUnservedModel |= _states[i].Saturates && _states[i].PerTask;
            }

            _pendingCap = Math.Max(4, (_startupDelay / _tick) + 4);
            if (_pendingTime is null || _pendingTime.Length < _pendingCap)
            {
                _pendingTime = new long[_pendingCap];
                _pendingCount = new int[_pendingCap];
            }

            _pendingHead = _pendingLen = _pendingTotal = 0;
            _capacity = Capacity.Clamp(options.InitialCapacity ?? _min, _min, _max);
            _scaleOutBase = _scaleOutHigh = _capacity;
            _lastScaleOut = _lastScaleIn = long.MinValue;
            _scaleInCooldownActive = false;
            ChooseTarget(options);

            _taskSeconds = _oracleTaskSeconds = _secondsAbove = _unservedTaskSeconds = 0;
            _lastKnownDemand = double.NaN;
            _noStep = _flaps = _actions = _lastDirection = 0;
            _lastActionTime = long.MinValue;

            var samples = trace.Length;
            _capacityLine = _record ? new int[samples] : [];
            _runningLine = _record ? new int[samples] : [];
            _unservedLine = _record ? new double[samples] : [];
            _metricLine = new double[_record ? _pc : 0][];
            for (var i = 0; i < _metricLine.Length; i++)
            {
                _metricLine[i] = new double[samples];
            }

            if (_recordEvents)
            {
                _events ??= ImmutableArray.CreateBuilder<ScaleEvent>();
                _events.Clear();
            }
        }

        /// <summary>The summary's reference: the first per-task scale-out policy (else any per-task policy).</summary>
        private void ChooseTarget(SimulationOptions options)
        {
            _targetPolicy = -1;
            for (var i = 0; i < _pc && _targetPolicy < 0; i++)
            {
                if (_policies[i].Side == ScalingSide.ScaleOut && _policies[i].LoadModel == LoadModel.PerTask)
                {
                    _targetPolicy = i;
                }
            }

            _target = options.TargetUtilization ?? (_targetPolicy >= 0 ? _policies[_targetPolicy].Alarm.Threshold : null);
            for (var i = 0; i < _pc && _targetPolicy < 0; i++)
            {
                if (_policies[i].LoadModel == LoadModel.PerTask)
                {
                    _targetPolicy = i;
                }
            }

            _targetValue = _target ?? 0;
            _targetDemand = _targetPolicy >= 0 ? _states[_targetPolicy].Demand : [];
            _targetPerTask = _targetPolicy >= 0 && _states[_targetPolicy].PerTask;

            // A Sum alarm's threshold is per period: a sample reads as its rate over the period.
            _targetRatio = _targetPolicy >= 0 ? _states[_targetPolicy].Ratio * (_states[_targetPolicy].StatKind == StatSum ? _states[_targetPolicy].PeriodTicks : 1) : 1;
        }

        /// <summary>One sample: every step of the replay, in order.</summary>
        public void Step(int s)
        {
            long now = (long)s * _tick;
            var running = ReleaseStartedTasks(now);

            // The hot loop reads its settings from locals: fields of this struct live in memory, locals in registers.
            var states = _states;
            var pc = _pc;
            var metricLine = _record ? _metricLine : null;
            double unserved = 0;
            _bestTarget = _capacity;
            _bestPolicy = -1;
            for (var i = 0; i < pc; i++)
            {
                ref var st = ref states[i];
                var v = Read(ref st, s, running, ref unserved);
                if (metricLine is not null)
                {
                    metricLine[i][s] = v;
                }

                if (Accumulate(ref st, v) && ClosePeriod(ref st) == Alarm)
                {
                    Propose(i, now);
                }
            }

            if (_bestPolicy >= 0 && _bestTarget != _capacity)
            {
                Act(now);
            }

            Account(s, unserved);
        }

        /// <summary>Tasks whose start-up delay is over begin taking load; returns the tasks serving.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int ReleaseStartedTasks(long now)
        {
            while (_pendingLen > 0 && _pendingTime[_pendingHead] <= now)
            {
                _pendingTotal -= _pendingCount[_pendingHead];
                _pendingHead = (_pendingHead + 1) % _pendingCap;
                _pendingLen--;
            }

            return Math.Max(0, _capacity - _pendingTotal);
        }

        /// <summary>What the policy's metric reads this sample (NaN: missing), and the demand it leaves unserved.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static double Read(ref PolicyState st, int s, int running, ref double unserved)
        {
            var d = st.Demand[s];
            var v = st.PerTask ? (running <= 0 ? double.NaN : d * st.Ratio / running) : d * st.Ratio;

            // A Fargate task cannot use more CPU or memory than it reserved: the reading stops at 100 %, and the
            // rest of the demand is not served (the binding metric, CPU or memory, decides how much).
            if (st.Saturates)
            {
                v = Math.Min(v, st.Cap);
                if (st.PerTask && !double.IsNaN(d))
                {
                    unserved = Math.Max(unserved, Capacity.UnservedTasks(d, st.LoadRatio, running));
                }
            }

            return v;
        }

        /// <summary>Adds a reading to the period's statistic; true when the period closes with this sample.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Accumulate(ref PolicyState st, double v)
        {
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

            return ++st.TicksInPeriod >= st.PeriodTicks;
        }

        /// <summary>The period closes: one datapoint, then the alarm evaluates its last N datapoints; returns its state.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int ClosePeriod(ref PolicyState st)
        {
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
            return st.State;
        }

        /// <summary>
        /// In ALARM the action runs again every period: the step uses the aggregated datapoints, the cooldowns
        /// decide what it may ask for, and the largest resulting capacity wins, even when it is the current one.
        /// </summary>
        private void Propose(int i, long now)
        {
            ref var st = ref _states[i];
            var p = _policies[i];
            var value = Aggregate(p.Scaling.MetricAggregationType, st.Window, st.WindowFill);
            if (double.IsNaN(value) || Steps.Find(p.Scaling.StepAdjustments, p.Alarm.ComparisonOperator, p.Alarm.Threshold, value) is not { } step)
            {
                _noStep++;
                return;
            }

            int proposed;
            if (p.Side == ScalingSide.ScaleOut)
            {
                // During the scale-out cooldown, capacity already added counts toward this scale-out, and only a
                // larger one acts, even after a scale-in (AAS user guide, "Step scaling policies", Cooldown period).
                var inCooldown = _lastScaleOut != long.MinValue && now - _lastScaleOut < p.Scaling.Cooldown;
                proposed = Capacity.Clamp(Capacity.Apply(inCooldown ? _scaleOutBase : _capacity, p.Scaling, step.ScalingAdjustment), _min, _max);
                if (inCooldown && proposed <= _scaleOutHigh)
                {
                    proposed = _capacity;
                }

                // A change already covered (or capped at max) asks to keep the capacity; ExactCapacity asks for exactly its value.
                if (p.Scaling.AdjustmentType != AdjustmentType.ExactCapacity)
                {
                    proposed = Math.Max(proposed, _capacity);
                }
            }
            else
            {
                // Scale-in waits out its cooldown, unless a scale-out has ended it.
                if (_scaleInCooldownActive && now - _lastScaleIn < p.Scaling.Cooldown)
                {
                    return;
                }

                proposed = Capacity.Clamp(Capacity.Apply(_capacity, p.Scaling, step.ScalingAdjustment), _min, _max);
            }

            if (_bestPolicy < 0 || proposed > _bestTarget)
            {
                _bestTarget = proposed;
                _bestPolicy = i;
                _bestValue = value;
            }
        }

        /// <summary>Applies the winning action: cooldown clocks, tasks starting or leaving, flaps and the event.</summary>
        private void Act(long now)
        {
            var p = _policies[_bestPolicy];
            var from = _capacity;
            if (_bestTarget > _capacity)
            {
                if (_lastScaleOut == long.MinValue || now - _lastScaleOut >= p.Scaling.Cooldown)
                {
                    _scaleOutBase = _capacity;
                    _lastScaleOut = now;
                }
                else if (_restartOnLarger)
                {
                    _lastScaleOut = now;
                }

                _scaleOutHigh = _bestTarget;
                _scaleInCooldownActive = false;
                var added = _bestTarget - _capacity;
                if (_startupDelay > 0)
                {
                    var slot = (_pendingHead + _pendingLen) % _pendingCap;
                    _pendingTime[slot] = now + _startupDelay;
                    _pendingCount[slot] = added;
                    _pendingLen = Math.Min(_pendingLen + 1, _pendingCap);
                    _pendingTotal += added;
                }
            }
            else
            {
                _lastScaleIn = now;
                _scaleInCooldownActive = true;

                // Tasks that are still starting are the first to go.
                var removed = _capacity - _bestTarget;
                while (removed > 0 && _pendingLen > 0)
                {
                    var last = (_pendingHead + _pendingLen - 1) % _pendingCap;
                    var take = Math.Min(removed, _pendingCount[last]);
                    _pendingCount[last] -= take;
                    _pendingTotal -= take;
                    removed -= take;
                    if (_pendingCount[last] == 0)
                    {
                        _pendingLen--;
                    }
                }
            }

            _capacity = _bestTarget;
            var direction = Math.Sign(_capacity - from);
            if (_lastDirection != 0 && direction != _lastDirection && now - _lastActionTime <= _flapWindow)
            {
                _flaps++;
            }

            _lastDirection = direction;
            _lastActionTime = now;
            _actions++;
            if (_recordEvents)
            {
                _events!.Add(new ScaleEvent((int)now, from, _capacity, p.Name, Reason(p, _bestValue, from, _capacity)));
            }
        }

        /// <summary>The figures for this sample, with the demand the running tasks left unserved.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Account(int s, double unservedTasks)
        {
            var serving = Math.Max(0, _capacity - _pendingTotal);
            if (_record)
            {
                _capacityLine[s] = _capacity;
                _runningLine[s] = serving;
                _unservedLine[s] = unservedTasks;
            }

            _taskSeconds += (double)_capacity * _tick;
            _unservedTaskSeconds += unservedTasks * _tick;
            if (_targetPolicy < 0 || _targetValue <= 0)
            {
                return;
            }

            var d = _targetDemand[s];
            if (!double.IsNaN(d))
            {
                var util = _targetPerTask ? (serving <= 0 ? double.NaN : d * _targetRatio / serving) : d * _targetRatio;
                if (util > _targetValue || (double.IsNaN(util) && d > 0))
                {
                    _secondsAbove += _tick;
                }

                _lastKnownDemand = d;
            }

            // A missing sample is a gap in the data, not in the load: the oracle keeps serving the last known demand.
            if (double.IsNaN(_lastKnownDemand))
            {
                _oracleTaskSeconds += (double)_min * _tick;
            }
            else
            {
                var need = _targetPerTask ? (int)Math.Min(_max, Math.Ceiling(_lastKnownDemand * _targetRatio / _targetValue)) : _capacity;
                _oracleTaskSeconds += (double)Math.Max(_min, need) * _tick;
            }
        }

        public SimulationResult Finish()
        {
            var taskMinutes = _taskSeconds / 60;
            var oracleMinutes = _oracleTaskSeconds / 60;
            return new SimulationResult
            {
                IntervalSeconds = _tick,
                Capacity = _capacityLine,
                Running = _runningLine,
                Metric = _metricLine,
                Unserved = _unservedLine,
                Events = _recordEvents ? _events!.ToImmutable() : [],
                Summary = new SimulationSummary
                {
                    TaskMinutes = taskMinutes,
                    MinutesAboveTarget = _secondsAbove / 60,
                    TargetUtilization = _target,
                    ScaleActions = _actions,
                    Flaps = _flaps,
                    OracleTaskMinutes = oracleMinutes,
                    TaskMinutesVsOracle = oracleMinutes > 0 ? taskMinutes / oracleMinutes : double.NaN,
                    NoStepFound = _noStep,
                    UnservedTaskMinutes = _anyUnservedModel ? _unservedTaskSeconds / 60 : null,
                },
            };
        }
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
        st.WindowPos = slot + 1 == st.N ? 0 : slot + 1;
        st.WindowFill = Math.Min(st.WindowFill + 1, st.N);

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

    /// <summary>One policy's alarm state, flattened for the hot loop; its arrays are reused when they are big enough.</summary>
    private struct PolicyState
    {
        public double[] Demand;
        public bool PerTask;
        public bool ZeroIsMissing;
        public bool Saturates;
        public double Cap;
        public double LoadRatio;
        public double Ratio;
        public int PeriodTicks;
        public int StatKind;
        public double PercentileRank;
        public double[]? PercentileBuffer;
        public double Threshold;
        public ComparisonOperator Op;
        public TreatMissingData Treat;
        public int DatapointsToAlarm;
        public int N;
        public double[] Window;
        public int[] WindowCodes;
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

        public void Reset(StepPolicy p, DemandTrace trace, int tick)
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
            N = p.Alarm.EvaluationPeriods;
            if (Window is null || Window.Length < N)
            {
                Window = new double[N];
                WindowCodes = new int[N];
            }
            else
            {
                // A slot's old code leaves the counts as a new datapoint enters it: none may be left from the last run.
                Array.Clear(WindowCodes, 0, N);
            }

            Sum = 0;
            Count = 0;
            TicksInPeriod = 0;
            WindowPos = 0;
            WindowFill = 0;
            Present = 0;
            Breaching = 0;
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
            PercentileRank = 0;
            if (p.Alarm.ExtendedStatistic is { } ext && ext.StartsWith('p')
                && double.TryParse(ext.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var pct))
            {
                StatKind = StatPercentile;
                PercentileRank = pct;
                if (PercentileBuffer is null || PercentileBuffer.Length < PeriodTicks)
                {
                    PercentileBuffer = new double[PeriodTicks];
                }
            }
        }
    }
}
