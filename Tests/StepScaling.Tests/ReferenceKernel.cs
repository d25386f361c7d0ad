using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Simulation;

namespace StepScaling.Tests;

// The simulation kernel as it stood before it was shared with target tracking and optimised, frozen here as the
// reference the kernel must match bit for bit (KernelEquivalenceTests). Not production code: do not edit.
#pragma warning disable
internal sealed class ReferenceSimulationRunner
{
    private static readonly SimulationOptions Defaults = new();
    private Kernel _kernel;

    /// <summary>Runs the simulation, as the old Simulator.Run did.</summary>
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

internal static class ReferenceTargetTracking
{
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
                    reason = string.Create(CultureInfo.InvariantCulture, $"metric {Num.Format(Math.Round(datapoint, 2))} > target {Num.Format(target)} for {TargetTrackingPolicy.HighDatapoints} minutes: {"target-tracking"} sets {capacity} {(capacity == 1 ? "task" : "tasks")}");
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
                    reason = string.Create(CultureInfo.InvariantCulture, $"metric {Num.Format(Math.Round(datapoint, 2))} < {Num.Format(lowThreshold)} for {TargetTrackingPolicy.LowDatapoints} minutes: {"target-tracking"} sets {capacity} {(capacity == 1 ? "task" : "tasks")}");
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
                    events.Add(new ScaleEvent((int)now, from, capacity, "target-tracking", reason));
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
