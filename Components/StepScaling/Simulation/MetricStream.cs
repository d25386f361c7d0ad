using System.Runtime.CompilerServices;
using StepScaling.Analysis;

namespace StepScaling.Simulation;

/// <summary>
/// One metric as a scaling rule reads it: demand becomes a reading each sample (capped at 100 % for an ECS
/// utilization, the rest unserved) and the readings of a period become one datapoint. Alarms that read the same
/// metric the same way (the scale-out and scale-in sides of a policy; CPU and memory on one demand) share a stream,
/// so a sample is read once, not once per alarm. Its arrays are reused across runs.
/// </summary>
internal struct MetricStream
{
    public const int StatAverage = 0, StatSum = 1, StatMinimum = 2, StatMaximum = 3, StatSampleCount = 4, StatPercentile = 5;

    // What decides the reading (two streams with the same are one).
    public double[] Demand;
    public bool PerTask;
    public bool Saturates;
    public bool ZeroIsMissing;
    public double Ratio;
    public double LoadRatio;
    public double Cap;
    public int PeriodTicks;
    public int StatKind;
    public double PercentileRank;

    // The period being aggregated.
    public double[]? PercentileBuffer;
    public double Sum;
    public double Min;
    public double Max;
    public int Count;
    public int TicksInPeriod;

    // This sample: the reading before the cap, and the datapoint when a period closed with it.
    public double Raw;
    public bool Closed;
    public double Datapoint;

    /// <summary>
    /// The datapoints every alarm reading this stream takes without a change while none is in ALARM (set by the
    /// rule after each evaluation; empty, Lo &gt; Hi, when some alarm may change).
    /// </summary>
    public double QuietLo, QuietHi;

    /// <summary>
    /// The last <see cref="AlarmWindow.MaxSmall"/> datapoints (NaN: missing): datapoint t (counting from 0 since the
    /// run began) is at t mod 64. Small alarm windows read their datapoints here.
    /// </summary>
    public double[] History;

    /// <summary>Datapoints since the run began.</summary>
    public long Pushes;

    /// <summary>The reading per sample (charts, JSON), or null without a timeline.</summary>
    public double[]? Line;

    /// <summary>A stream's reading settings, for <see cref="ReplayCore.AddStream"/> (which resets a reused slot to them).</summary>
    public static MetricStream Of(double[] demand, bool perTask, bool saturates, bool zeroIsMissing, double ratio, double loadRatio, int periodTicks, int statKind, double percentileRank) => new()
    {
        Demand = demand,
        PerTask = perTask,
        Saturates = saturates,
        ZeroIsMissing = zeroIsMissing,
        Ratio = ratio,
        LoadRatio = loadRatio,
        PeriodTicks = periodTicks,
        StatKind = statKind,
        PercentileRank = percentileRank,
    };

    /// <summary>
    /// Sets the reading: <paramref name="ratio"/> is the metric per unit of demand as a sample carries it (a held
    /// Sum sample carries its share), <paramref name="loadRatio"/> as published.
    /// </summary>
    public void Reset(double[] demand, bool perTask, bool saturates, bool zeroIsMissing, double ratio, double loadRatio, int periodTicks, int statKind, double percentileRank)
    {
        Demand = demand;
        PerTask = perTask;
        Saturates = saturates;
        ZeroIsMissing = zeroIsMissing;
        Ratio = ratio;
        LoadRatio = loadRatio;

        // The 100 % ceiling applies to a sample as published; a held Sum sample carries its share of it.
        Cap = saturates ? Capacity.MaxUtilization * ratio / loadRatio : double.PositiveInfinity;
        PeriodTicks = periodTicks;
        StatKind = statKind;
        PercentileRank = percentileRank;
        if (statKind == StatPercentile && (PercentileBuffer is null || PercentileBuffer.Length < periodTicks))
        {
            PercentileBuffer = new double[periodTicks];
        }

        Sum = 0;
        Count = 0;
        TicksInPeriod = 0;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
        Closed = periodTicks == 1;
        QuietLo = double.PositiveInfinity;
        QuietHi = double.NegativeInfinity;
        Line = null;
        History ??= new double[AlarmWindow.MaxSmall];
        Pushes = 0;
    }

    /// <summary>Whether <paramref name="other"/> reads the same demand into the same datapoints.</summary>
    public readonly bool SameReading(in MetricStream other) =>
        ReferenceEquals(Demand, other.Demand) && PerTask == other.PerTask && Saturates == other.Saturates
        && ZeroIsMissing == other.ZeroIsMissing && Same(Ratio, other.Ratio) && Same(LoadRatio, other.LoadRatio)
        && PeriodTicks == other.PeriodTicks && StatKind == other.StatKind && Same(PercentileRank, other.PercentileRank);

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    /// <summary>
    /// Reads sample <paramref name="s"/> with <paramref name="running"/> tasks serving, raises
    /// <paramref name="unserved"/> to the demand this metric leaves unserved, and closes the period when it ends.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Read(int s, int running, ref double unserved)
    {
        var d = Demand[s];
        var v = PerTask ? (running <= 0 ? double.NaN : d * Ratio / running) : d * Ratio;
        Raw = v;

        // A Fargate task cannot use more CPU or memory than it reserved: the reading stops at 100 %, and the
        // rest of the demand is not served (the binding metric, CPU or memory, decides how much).
        if (Saturates)
        {
            v = Math.Min(v, Cap);
            if (PerTask && !double.IsNaN(d))
            {
                unserved = Math.Max(unserved, Unserved(d, LoadRatio, running));
            }
        }

        if (Line is not null)
        {
            Line[s] = v;
        }

        if (PeriodTicks == 1)
        {
            // A period of one sample (closed from the start): its datapoint is the reading, as the aggregation would
            // give it (0 + v for a sum or an average, whose ÷ 1 changes nothing), with no period state to keep.
            Datapoint = OneSample(v);
        }
        else
        {
            Accumulate(v);
            Closed = ++TicksInPeriod >= PeriodTicks;
            if (!Closed)
            {
                return;
            }

            Datapoint = ClosePeriod();
        }

        History[Pushes & (AlarmWindow.MaxSmall - 1)] = Datapoint;
        Pushes++;
    }

    /// <summary>
    /// The datapoints of an alarm window of <paramref name="n"/> (at most <see cref="AlarmWindow.MaxSmall"/>) in the
    /// order a ring of n slots holds them: slot j has the latest datapoint t with t mod n = j.
    /// </summary>
    public readonly double WindowDatapoint(int n, int j)
    {
        var last = Pushes - 1;
        var t = last - ((last - j) % n);
        return History[t & (AlarmWindow.MaxSmall - 1)];
    }

    /// <summary>
    /// <see cref="Capacity.UnservedTasks"/>, without its division when the tasks clearly carry the demand: below
    /// 100 % × running by a relative margin far above rounding, the exact figure is 0 as well.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Unserved(double demand, double ratio, int running) =>
        demand * ratio <= Capacity.MaxUtilization * running * (1 - 1e-9) ? 0 : Capacity.UnservedTasks(demand, ratio, running);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Accumulate(double v)
    {
        if (double.IsNaN(v))
        {
            return;
        }

        switch (StatKind)
        {
            case StatMinimum:
                Min = Math.Min(Min, v);
                break;
            case StatMaximum:
                Max = Math.Max(Max, v);
                break;
            case StatPercentile:
                PercentileBuffer![Count] = v;
                break;
            default:
                Sum += v;
                break;
        }

        Count++;
    }

    /// <summary>The datapoint of a period of one sample whose reading is <paramref name="v"/> (NaN: none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly double OneSample(double v)
    {
        if (double.IsNaN(v))
        {
            return double.NaN;
        }

        var datapoint = StatKind switch
        {
            StatSampleCount => 1,
            StatSum or StatAverage => 0 + v,
            _ => v,
        };

        // The ALB publishes RequestCountPerTarget only when there were requests: an idle period is missing data.
        return ZeroIsMissing && datapoint == 0 ? double.NaN : datapoint;
    }

    /// <summary>The period's datapoint (NaN: none), and a fresh period.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double ClosePeriod()
    {
        var datapoint = Count == 0 ? double.NaN : StatKind switch
        {
            StatSum => Sum,
            StatMinimum => Min,
            StatMaximum => Max,
            StatSampleCount => Count,
            StatPercentile => Percentile(PercentileBuffer!, Count, PercentileRank),

            // The average of one reading is the reading (0 + v is v, and v ÷ 1 too): no division for a period of one sample.
            _ => Count == 1 ? Sum : Sum / Count,
        };

        // The ALB publishes RequestCountPerTarget only when there were requests: an idle period is missing data.
        if (ZeroIsMissing && datapoint == 0)
        {
            datapoint = double.NaN;
        }

        Sum = 0;
        Count = 0;
        TicksInPeriod = 0;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
        return datapoint;
    }

    private static double Percentile(double[] buffer, int count, double pct)
    {
        Array.Sort(buffer, 0, count);
        var rank = (int)Math.Ceiling(pct / 100 * count);
        return buffer[Math.Clamp(rank - 1, 0, count - 1)];
    }
}
