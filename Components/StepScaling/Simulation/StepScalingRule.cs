using System.Collections.Immutable;
using System.Globalization;
using StepScaling.Analysis;
using StepScaling.Model;

namespace StepScaling.Simulation;

/// <summary>
/// Step scaling on the shared kernel: each policy's alarm judges its stream's datapoints; in ALARM the action runs
/// again every period, its step chosen by the aggregated datapoints, limited by the cooldowns, and the largest
/// resulting capacity wins (Application Auto Scaling user guide, "Step scaling policies").
/// </summary>
internal struct StepScalingRule : IScalingRule
{
    private ImmutableArray<StepPolicy> _policies;
    private int _pc;
    private int[] _stream;
    private AlarmWindow[] _alarms;

    // This sample's winning proposal: the largest resulting capacity.
    private int _bestTarget, _bestPolicy;
    private double _bestValue;

    /// <summary>The value the summary reports as its target.</summary>
    public double? Target;

    public readonly int ScaleOutCooldown => _policies[_bestPolicy].Scaling.Cooldown;

    public void Reset(ScalingSpec spec, DemandTrace trace, SimulationOptions options, ref ReplayCore core)
    {
        _policies = spec.Policies;
        _pc = _policies.Length;
        if (_alarms is null || _alarms.Length < _pc)
        {
            _alarms = new AlarmWindow[_pc];
            _stream = new int[_pc];
        }

        for (var i = 0; i < _pc; i++)
        {
            var p = _policies[i];
            _stream[i] = core.AddStream(Stream(p, trace), trace.Length);
            _alarms[i].Reset(p.Alarm.Threshold, p.Alarm.ComparisonOperator, p.Alarm.TreatMissingData, p.Alarm.DatapointsToAlarm, p.Alarm.EvaluationPeriods);
            _alarms[i].Stream = _stream[i];
        }

        ChooseTarget(options, ref core);
    }

    /// <summary>How a policy reads its metric: its demand column, load model, statistic and period.</summary>
    private static MetricStream Stream(StepPolicy p, DemandTrace trace)
    {
        var tick = trace.IntervalSeconds;
        var statKind = p.Alarm.Statistic switch
        {
            "Sum" => MetricStream.StatSum,
            "Minimum" => MetricStream.StatMinimum,
            "Maximum" => MetricStream.StatMaximum,
            "SampleCount" => MetricStream.StatSampleCount,
            _ => MetricStream.StatAverage,
        };

        // A count (Sum) spread over held samples: each carries its share, so a period sums to the original.
        var ratio = statKind == MetricStream.StatSum ? p.LoadRatio / trace.HeldFor : p.LoadRatio;
        double rank = 0;
        if (p.Alarm.ExtendedStatistic is { } ext && ext.StartsWith('p')
            && double.TryParse(ext.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var pct))
        {
            statKind = MetricStream.StatPercentile;
            rank = pct;
        }

        return MetricStream.Of(
            trace.PolicyDemand.TryGetValue(p.SourceName, out var own) ? own : trace.Demand,
            p.LoadModel == LoadModel.PerTask,
            Capacity.Saturates(p.Metric),
            p.Metric is AlbRequestCountPerTargetMetric,
            ratio,
            p.LoadRatio,
            Math.Max(1, p.Alarm.Period / tick),
            statKind,
            rank);
    }

    /// <summary>The summary's reference: the first per-task scale-out policy (else any per-task policy).</summary>
    private void ChooseTarget(SimulationOptions options, ref ReplayCore core)
    {
        var target = -1;
        for (var i = 0; i < _pc && target < 0; i++)
        {
            if (_policies[i].Side == ScalingSide.ScaleOut && _policies[i].LoadModel == LoadModel.PerTask)
            {
                target = i;
            }
        }

        var value = options.TargetUtilization ?? (target >= 0 ? _policies[target].Alarm.Threshold : null);
        Target = value;
        for (var i = 0; i < _pc && target < 0; i++)
        {
            if (_policies[i].LoadModel == LoadModel.PerTask)
            {
                target = i;
            }
        }

        if (target < 0)
        {
            core.SetTarget([], false, 1, 0);
            return;
        }

        // A Sum alarm's threshold is per period: a sample reads as its rate over the period.
        ref var st = ref core.Streams[_stream[target]];
        core.SetTarget(st.Demand, st.PerTask, st.Ratio * (st.StatKind == MetricStream.StatSum ? st.PeriodTicks : 1), value ?? 0);
    }

    public int Decide(ref ReplayCore core, long now, int running)
    {
        var streams = core.Streams;
        if (AllQuiet(streams.AsSpan(0, core.StreamCount)))
        {
            return core.Capacity;
        }

        var proposed = false;
        var changes = 0;
        var alarms = _alarms.AsSpan(0, _pc);
        for (var i = 0; i < alarms.Length; i++)
        {
            ref var alarm = ref alarms[i];
            ref var st = ref streams[alarm.Stream];
            if (!st.Closed)
            {
                continue;
            }

            changes -= alarm.Changes;
            var state = alarm.Push(st.Datapoint);
            changes += alarm.Changes;
            if (state == AlarmWindow.Alarm)
            {
                if (!proposed)
                {
                    _bestTarget = core.Capacity;
                    _bestPolicy = -1;
                    proposed = true;
                }

                Propose(ref core, i, now);
            }
        }

        // A window that changed may have a new quiet range; an alarm held in ALARM by steady pushes keeps its (empty) one.
        if (changes != 0)
        {
            SetQuietRanges(streams.AsSpan(0, core.StreamCount));
        }

        return proposed && _bestPolicy >= 0 ? _bestTarget : core.Capacity;
    }

    /// <summary>
    /// Whether every datapoint closed with this sample is one its alarms take without a change, none in ALARM: then
    /// pushing them would change nothing and propose nothing.
    /// </summary>
    private static bool AllQuiet(Span<MetricStream> streams)
    {
        for (var k = 0; k < streams.Length; k++)
        {
            ref var st = ref streams[k];
            if (st.Closed && !(st.Datapoint >= st.QuietLo && st.Datapoint <= st.QuietHi))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each stream's quiet range: the intersection of its alarms' (see <see cref="AlarmWindow.QuietRange"/>).</summary>
    private readonly void SetQuietRanges(Span<MetricStream> streams)
    {
        foreach (ref var st in streams)
        {
            st.QuietLo = double.NegativeInfinity;
            st.QuietHi = double.PositiveInfinity;
        }

        foreach (ref var alarm in _alarms.AsSpan(0, _pc))
        {
            ref var st = ref streams[alarm.Stream];
            var (lo, hi) = alarm.QuietRange();
            st.QuietLo = Math.Max(st.QuietLo, lo);
            st.QuietHi = Math.Min(st.QuietHi, hi);
        }
    }

    /// <summary>
    /// In ALARM the action runs again every period: the step uses the aggregated datapoints, the cooldowns
    /// decide what it may ask for, and the largest resulting capacity wins, even when it is the current one.
    /// </summary>
    private void Propose(ref ReplayCore core, int i, long now)
    {
        ref var alarm = ref _alarms[i];
        var p = _policies[i];
        var value = Aggregate(p.Scaling.MetricAggregationType, alarm, core.Streams[_stream[i]]);
        if (double.IsNaN(value) || Steps.Find(p.Scaling.StepAdjustments, p.Alarm.ComparisonOperator, p.Alarm.Threshold, value) is not { } step)
        {
            core.NoStepFound++;
            return;
        }

        int proposed;
        if (p.Side == ScalingSide.ScaleOut)
        {
            // During the scale-out cooldown, capacity already added counts toward this scale-out, and only a
            // larger one acts, even after a scale-in (AAS user guide, "Step scaling policies", Cooldown period).
            var inCooldown = core.LastScaleOut != long.MinValue && now - core.LastScaleOut < p.Scaling.Cooldown;
            proposed = Capacity.Clamp(Capacity.Apply(inCooldown ? core.ScaleOutBase : core.Capacity, p.Scaling, step.ScalingAdjustment), core.Min, core.Max);
            if (inCooldown && proposed <= core.ScaleOutHigh)
            {
                proposed = core.Capacity;
            }

            // A change already covered (or capped at max) asks to keep the capacity; ExactCapacity asks for exactly its value.
            if (p.Scaling.AdjustmentType != AdjustmentType.ExactCapacity)
            {
                proposed = Math.Max(proposed, core.Capacity);
            }
        }
        else
        {
            // Scale-in waits out its cooldown, unless a scale-out has ended it.
            if (core.ScaleInCooldownActive && now - core.LastScaleIn < p.Scaling.Cooldown)
            {
                return;
            }

            proposed = Capacity.Clamp(Capacity.Apply(core.Capacity, p.Scaling, step.ScalingAdjustment), core.Min, core.Max);
        }

        if (_bestPolicy < 0 || proposed > _bestTarget)
        {
            _bestTarget = proposed;
            _bestPolicy = i;
            _bestValue = value;
        }
    }

    public readonly ScaleEvent Event(long now, int from, int to)
    {
        var p = _policies[_bestPolicy];
        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"{p.Metric.DisplayName} {Num.Format(Math.Round(_bestValue, 2))}{p.Metric.UnitSuffix} ({p.Scaling.MetricAggregationType}) {p.Alarm.ComparisonOperator.Symbol()} {Num.Format(p.Alarm.Threshold)}{p.Metric.UnitSuffix}: {p.Name} {(to > from ? "adds" : "removes")} {Math.Abs(to - from)} → {to} {(to == 1 ? "task" : "tasks")}");
        return new ScaleEvent((int)now, from, to, p.Name, reason);
    }

    /// <summary>Each policy's reading per sample, in spec order (a stream two policies share is copied for the second).</summary>
    public readonly double[][] MetricLines(in ReplayCore core)
    {
        var lines = new double[_pc][];
        for (var i = 0; i < _pc; i++)
        {
            var line = core.Streams[_stream[i]].Line;
            if (line is null)
            {
                return [];
            }

            lines[i] = Array.IndexOf(_stream, _stream[i], 0, i) >= 0 ? (double[])line.Clone() : line;
        }

        return lines;
    }

    /// <summary>The alarm's datapoints aggregated, in the order its window's slots hold them (NaN: none present).</summary>
    private static double Aggregate(MetricAggregationType type, in AlarmWindow alarm, in MetricStream stream)
    {
        double acc = type switch
        {
            MetricAggregationType.Minimum => double.PositiveInfinity,
            MetricAggregationType.Maximum => double.NegativeInfinity,
            _ => 0,
        };
        var n = 0;
        var fill = alarm.Small ? (int)Math.Min(stream.Pushes, alarm.N) : alarm.Fill;
        for (var k = 0; k < fill; k++)
        {
            var v = alarm.Small ? stream.WindowDatapoint(alarm.N, k) : alarm.Window[k];
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
}
