using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace StepScaling.Simulation;

/// <summary>
/// How a scaling policy type turns datapoints into capacity: the only part of a replay that differs between step
/// scaling (<see cref="StepScalingRule"/>) and target tracking (<see cref="TargetTrackingRule"/>). Everything else,
/// task start-up, the 100 % ceiling, unserved demand, cooldown clocks, reversals, the oracle and the summary, is
/// <see cref="ReplayCore"/>. Implemented by structs, so the loop is specialised for each and calls nothing virtual.
/// </summary>
internal interface IScalingRule
{
    /// <summary>
    /// Evaluates the alarms whose period closed with this sample (the streams have read it) and returns the capacity
    /// to set: the current capacity for no action.
    /// </summary>
    int Decide(ref ReplayCore core, long now, int running);

    /// <summary>The scale-out cooldown of the action just decided (seconds; 0 when the rule keeps no scale-out clock).</summary>
    int ScaleOutCooldown { get; }

    /// <summary>The event record of the action just decided (only asked for when events are kept).</summary>
    ScaleEvent Event(long now, int from, int to);
}

/// <summary>The replay loop, one sample at a time, the same for every rule.</summary>
internal static class Replay
{
    public static void Run<TRule>(ref ReplayCore core, ref TRule rule, int samples)
        where TRule : struct, IScalingRule
    {
        var tick = core.Tick;
        var figures = new Figures { LastKnownDemand = double.NaN };
        for (var s = 0; s < samples; s++)
        {
            long now = (long)s * tick;
            var running = core.ReleaseStartedTasks(now);
            var unserved = core.ReadStreams(s, running);
            var target = rule.Decide(ref core, now, running);
            if (target != core.Capacity)
            {
                var from = core.Apply(now, target, rule.ScaleOutCooldown);
                if (core.RecordEvents)
                {
                    core.Events!.Add(rule.Event(now, from, target));
                }
            }

            core.Account(s, running, unserved, ref figures);
        }

        core.Figures = figures;
    }
}

/// <summary>
/// The running sums, kept in a local of the loop so that they live in registers. Task-seconds are sums of whole
/// tasks × whole seconds: counted in samples and multiplied by the interval once, they are the same doubles the
/// per-sample sums give (every partial sum is an integer below 2^53: a year of ten-second samples at 10^6 tasks is
/// about 3 × 10^12).
/// </summary>
internal struct Figures
{
    public long CapacitySamples, SamplesAbove, OracleSamples;
    public double UnservedTaskSeconds, LastKnownDemand;
}

/// <summary>
/// The state every replay shares: capacity and the tasks still starting, the cooldown clocks, the metric streams,
/// and the figures (task-minutes, minutes above target, unserved demand, scale actions, reversals, the oracle).
/// Its buffers survive <see cref="Reset"/>; the timeline arrays belong to the result and are new every run.
/// </summary>
internal struct ReplayCore
{
    // The run's settings.
    public int Tick, Min, Max;
    private int _startupDelay, _flapWindow;
    private bool _record, _restartOnLarger;
    public bool RecordEvents;

    // The metric streams the rule reads.
    public MetricStream[] Streams;
    public int StreamCount;

    // Tasks still starting: a ring of (ready time, count).
    private long[] _pendingTime;
    private int[] _pendingCount;
    private int _pendingCap, _pendingHead, _pendingLen, _pendingTotal;

    // Capacity and cooldowns: a scale-out cooldown's start, base (capacity before it) and highest capacity reached.
    public int Capacity, ScaleOutBase, ScaleOutHigh;
    public long LastScaleOut, LastScaleIn;
    public bool ScaleInCooldownActive;

    // The summary's reference metric and its target; the stream that reads it the same way, or -1.
    private double[] _targetDemand;
    private bool _hasTarget, _targetPerTask, _anyUnservedModel;
    private double _targetValue, _targetRatio, _targetReciprocal;
    private int _targetStream;

    // The figures.
    public Figures Figures;
    public int NoStepFound;
    private int _flaps, _actions, _lastDirection;
    private long _lastActionTime;

    // The timeline belongs to the result: new arrays every run. The event builder is reused.
    private int[] _capacityLine, _runningLine;
    private double[] _unservedLine;
    public ImmutableArray<ScaleEvent>.Builder? Events;

    public void Reset(DemandTrace trace, SimulationOptions options, int min, int max)
    {
        Tick = trace.IntervalSeconds;
        Min = min;
        Max = max;
        _startupDelay = options.StartupDelaySeconds;
        _flapWindow = options.FlapWindowSeconds;
        _record = options.RecordTimeline;
        RecordEvents = options.RecordEvents;
        _restartOnLarger = options.CooldownRestart == CooldownRestart.LargerScaleOut;
        Streams ??= new MetricStream[4];
        StreamCount = 0;

        _pendingCap = Math.Max(4, (_startupDelay / Tick) + 4);
        if (_pendingTime is null || _pendingTime.Length < _pendingCap)
        {
            _pendingTime = new long[_pendingCap];
            _pendingCount = new int[_pendingCap];
        }

        _pendingHead = _pendingLen = _pendingTotal = 0;
        Capacity = Analysis.Capacity.Clamp(options.InitialCapacity ?? min, min, max);
        ScaleOutBase = ScaleOutHigh = Capacity;
        LastScaleOut = LastScaleIn = long.MinValue;
        ScaleInCooldownActive = false;

        _hasTarget = false;
        _targetStream = -1;
        _anyUnservedModel = false;
        Figures = default;
        NoStepFound = _flaps = _actions = _lastDirection = 0;
        _lastActionTime = long.MinValue;

        var samples = trace.Length;
        _capacityLine = _record ? new int[samples] : [];
        _runningLine = _record ? new int[samples] : [];
        _unservedLine = _record ? new double[samples] : [];
        if (RecordEvents)
        {
            Events ??= ImmutableArray.CreateBuilder<ScaleEvent>();
            Events.Clear();
        }
    }

    /// <summary>The stream that reads <paramref name="stream"/>'s metric: an existing one that reads it the same way, else a new one.</summary>
    public int AddStream(in MetricStream stream, int samples)
    {
        for (var k = 0; k < StreamCount; k++)
        {
            if (Streams[k].SameReading(stream))
            {
                return k;
            }
        }

        if (StreamCount == Streams.Length)
        {
            Array.Resize(ref Streams, StreamCount * 2);
        }

        // The slot keeps its buffers (percentile) for reuse and takes the new reading's settings.
        ref var slot = ref Streams[StreamCount];
        slot.Reset(stream.Demand, stream.PerTask, stream.Saturates, stream.ZeroIsMissing, stream.Ratio, stream.LoadRatio, stream.PeriodTicks, stream.StatKind, stream.PercentileRank);
        slot.Line = _record ? new double[samples] : null;
        _anyUnservedModel |= stream.Saturates && stream.PerTask;
        return StreamCount++;
    }

    /// <summary>
    /// The metric the summary judges: minutes above <paramref name="value"/> and the oracle read
    /// <paramref name="demand"/> × <paramref name="ratio"/> (per task or not). A value of 0 or less: no target.
    /// </summary>
    public void SetTarget(double[] demand, bool perTask, double ratio, double value)
    {
        _hasTarget = !(value <= 0);
        _targetDemand = demand;
        _targetPerTask = perTask;
        _targetRatio = ratio;
        _targetValue = value;
        _targetReciprocal = 1 / value;

        // A stream that reads exactly this (same demand, ratio, model) has already divided it: reuse its reading.
        _targetStream = -1;
        for (var k = 0; k < StreamCount && _targetStream < 0; k++)
        {
            ref var st = ref Streams[k];
            if (ReferenceEquals(st.Demand, demand) && st.PerTask == perTask && BitConverter.DoubleToInt64Bits(st.Ratio) == BitConverter.DoubleToInt64Bits(ratio))
            {
                _targetStream = k;
            }
        }
    }

    /// <summary>Tasks whose start-up delay is over begin taking load; returns the tasks serving.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReleaseStartedTasks(long now)
    {
        while (_pendingLen > 0 && _pendingTime[_pendingHead] <= now)
        {
            _pendingTotal -= _pendingCount[_pendingHead];
            _pendingHead = (_pendingHead + 1) % _pendingCap;
            _pendingLen--;
        }

        return Math.Max(0, Capacity - _pendingTotal);
    }

    /// <summary>Every stream reads the sample; returns the demand left unserved, in tasks' worth (the binding metric's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double ReadStreams(int s, int running)
    {
        double unserved = 0;
        var streams = Streams;
        for (var k = 0; k < StreamCount; k++)
        {
            streams[k].Read(s, running, ref unserved);
        }

        return unserved;
    }

    /// <summary>Sets the capacity: cooldown clocks, tasks starting or leaving, reversals. Returns the capacity before.</summary>
    public int Apply(long now, int target, int scaleOutCooldown)
    {
        var from = Capacity;
        if (target > from)
        {
            if (LastScaleOut == long.MinValue || now - LastScaleOut >= scaleOutCooldown)
            {
                ScaleOutBase = from;
                LastScaleOut = now;
            }
            else if (_restartOnLarger)
            {
                LastScaleOut = now;
            }

            ScaleOutHigh = target;
            ScaleInCooldownActive = false;
            StartTasks(now, target - from);
        }
        else
        {
            LastScaleIn = now;
            ScaleInCooldownActive = true;
            StopTasks(from - target);
        }

        Capacity = target;
        var direction = Math.Sign(target - from);
        if (_lastDirection != 0 && direction != _lastDirection && now - _lastActionTime <= _flapWindow)
        {
            _flaps++;
        }

        _lastDirection = direction;
        _lastActionTime = now;
        _actions++;
        return from;
    }

    private void StartTasks(long now, int added)
    {
        if (_startupDelay > 0)
        {
            var slot = (_pendingHead + _pendingLen) % _pendingCap;
            _pendingTime[slot] = now + _startupDelay;
            _pendingCount[slot] = added;
            _pendingLen = Math.Min(_pendingLen + 1, _pendingCap);
            _pendingTotal += added;
        }
    }

    /// <summary>Tasks that are still starting are the first to go, the newest first.</summary>
    private void StopTasks(int removed)
    {
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

    /// <summary>The figures for this sample, with the demand the running tasks left unserved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Account(int s, int running, double unservedTasks, ref Figures figures)
    {
        var serving = Math.Max(0, Capacity - _pendingTotal);
        if (_record)
        {
            _capacityLine[s] = Capacity;
            _runningLine[s] = serving;
            _unservedLine[s] = unservedTasks;
        }

        figures.CapacitySamples += Capacity;
        if (unservedTasks != 0)
        {
            figures.UnservedTaskSeconds += unservedTasks * Tick;
        }

        if (_hasTarget)
        {
            AccountTarget(s, running, serving, ref figures);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void AccountTarget(int s, int running, int serving, ref Figures figures)
    {
        var d = _targetDemand[s];
        if (!double.IsNaN(d))
        {
            // The stream reading this metric divided it already, for the same tasks unless an action changed them.
            var util = _targetStream >= 0 && serving == running ? Streams[_targetStream].Raw
                : _targetPerTask ? (serving <= 0 ? double.NaN : d * _targetRatio / serving) : d * _targetRatio;
            if (util > _targetValue || (double.IsNaN(util) && d > 0))
            {
                figures.SamplesAbove++;
            }

            figures.LastKnownDemand = d;
        }

        // A missing sample is a gap in the data, not in the load: the oracle keeps serving the last known demand.
        var last = figures.LastKnownDemand;
        if (double.IsNaN(last))
        {
            figures.OracleSamples += Min;
        }
        else
        {
            var need = _targetPerTask ? (int)Math.Min(Max, TasksAtTarget(last * _targetRatio)) : Capacity;
            figures.OracleSamples += Math.Max(Min, need);
        }
    }

    /// <summary>
    /// ceil(<paramref name="load"/> ÷ target), by a multiplication with the target's reciprocal: that quotient is
    /// within a few ulps of the divided one, so away from an integer (by far more than that) both have the same
    /// ceiling; near one, or out of range, it divides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly double TasksAtTarget(double load)
    {
        var q = load * _targetReciprocal;
        var n = Math.Ceiling(q);
        return n - q > 1e-7 && q - (n - 1) > 1e-7 && Math.Abs(q) < 1e6 ? n : Math.Ceiling(load / _targetValue);
    }

    /// <summary>The result: the timeline (with the given per-metric lines), the events and the summary.</summary>
    public SimulationResult Finish(double[][] metricLines, double? target)
    {
        var taskMinutes = (double)Figures.CapacitySamples * Tick / 60;
        var oracleMinutes = (double)Figures.OracleSamples * Tick / 60;
        return new SimulationResult
        {
            IntervalSeconds = Tick,
            Capacity = _capacityLine,
            Running = _runningLine,
            Metric = metricLines,
            Unserved = _unservedLine,
            Events = RecordEvents ? Events!.ToImmutable() : [],
            Summary = new SimulationSummary
            {
                TaskMinutes = taskMinutes,
                MinutesAboveTarget = (double)Figures.SamplesAbove * Tick / 60,
                TargetUtilization = target,
                ScaleActions = _actions,
                Flaps = _flaps,
                OracleTaskMinutes = oracleMinutes,
                TaskMinutesVsOracle = oracleMinutes > 0 ? taskMinutes / oracleMinutes : double.NaN,
                NoStepFound = NoStepFound,
                UnservedTaskMinutes = _anyUnservedModel ? Figures.UnservedTaskSeconds / 60 : null,
            },
        };
    }
}
