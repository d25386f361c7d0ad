using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using StepScaling.Model;

namespace StepScaling.Simulation;

/// <summary>
/// A CloudWatch alarm's last N datapoints and its state, with the M-of-N rule and missing-data treatment: missing
/// datapoints are skipped (missing), keep the state (ignore), or count as breaching or not. With no datapoint to
/// judge, the alarm has insufficient data and takes no action. A window of at most 64 keeps its counts as bits
/// and its datapoints in its stream's history (<see cref="MetricStream.History"/>); a longer one keeps both itself.
/// Its arrays are reused across runs.
/// </summary>
internal struct AlarmWindow
{
    public const int Ok = 0, Alarm = 1, Insufficient = 2;

    public double Threshold;
    public ComparisonOperator Op;
    public TreatMissingData Treat;
    public int DatapointsToAlarm;
    public int N;

    /// <summary>The stream whose datapoints the alarm judges (its index in <see cref="ReplayCore.Streams"/>).</summary>
    public int Stream;

    /// <summary>The longest window kept as bits.</summary>
    public const int MaxSmall = 64;

    /// <summary>Whether the window is kept as bits (N at most <see cref="MaxSmall"/>).</summary>
    public bool Small;

    // A small window: bit k is the datapoint k pushes ago, counted and breaching.
    private ulong _countedBits, _breachingBits, _mask;

    // The code a push may take without changing anything: a full small window of counted datapoints, none (Counted)
    // or all (Counted | Breaching) breaching, takes one more of the same. −1: none (a long window, or not steady).
    private int _steadyCode;

    /// <summary>Pushes that were not steady (that may have changed the window, its state or its quiet range).</summary>
    public int Changes;

    /// <summary>A long window's datapoints, oldest at <see cref="Pos"/> once full (NaN: missing).</summary>
    public double[] Window;

    // Per slot: 0 = not counted, Counted, or Counted | Breaching.
    private const int Counted = 1, Breaching = 2;
    private byte[] _codes;

    // The comparison as one test: breach = (datapoint × sign > threshold × sign) != invert (× ±1 is exact).
    private double _sign, _signedThreshold;
    private bool _invert, _ignoreMissing;
    private int _missingCode;
    public int Pos;
    public int Fill;
    public int State;
    private int _present;
    private int _breaching;

    public void Reset(double threshold, ComparisonOperator op, TreatMissingData treat, int datapointsToAlarm, int n)
    {
        Threshold = threshold;
        Op = op;
        Treat = treat;
        DatapointsToAlarm = datapointsToAlarm;
        N = n;
        Small = n <= MaxSmall;
        _mask = n >= MaxSmall ? ulong.MaxValue : (1UL << n) - 1;
        _countedBits = _breachingBits = 0;
        _steadyCode = -1;
        if (Small)
        {
            // The stream keeps the datapoints.
        }
        else if (Window is null || Window.Length < n)
        {
            Window = new double[n];
            _codes = new byte[n];
        }
        else
        {
            // A slot's old code leaves the counts as a new datapoint enters it: none may be left from the last run.
            Array.Clear(_codes, 0, n);
        }

        // GreaterThan: d > t; GreaterThanOrEqual: not (−d > −t); LessThan: −d > −t; LessThanOrEqual: not (d > t).
        var below = op is ComparisonOperator.LessThanThreshold or ComparisonOperator.GreaterThanOrEqualToThreshold;
        _sign = below ? -1 : 1;
        _signedThreshold = threshold * _sign;
        _invert = op is ComparisonOperator.GreaterThanOrEqualToThreshold or ComparisonOperator.LessThanOrEqualToThreshold;
        _ignoreMissing = treat == TreatMissingData.Ignore;
        _missingCode = treat switch
        {
            TreatMissingData.Breaching => Counted | Breaching,
            TreatMissingData.NotBreaching => Counted,
            _ => 0,
        };
        Pos = 0;
        Fill = 0;
        _present = 0;
        _breaching = 0;
        State = Insufficient;
    }

    /// <summary>
    /// Adds a datapoint to the window of N and returns the new state. Present and breaching counts are kept up to
    /// date as datapoints enter and leave the window.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Push(double datapoint)
    {
        var missing = double.IsNaN(datapoint);
        var code = missing ? _missingCode : ((datapoint * _sign > _signedThreshold) != _invert ? Counted | Breaching : Counted);

        // The steady cases: nothing changes (the state was computed from these counts at the last push, which was counted).
        if (code == _steadyCode)
        {
            return State;
        }

        Changes++;

        if (Small)
        {
            _countedBits = ((_countedBits << 1) | (uint)(code & Counted)) & _mask;
            _breachingBits = ((_breachingBits << 1) | (uint)(code >> 1)) & _mask;
            _present = BitOperations.PopCount(_countedBits);
            _breaching = BitOperations.PopCount(_breachingBits);
            _steadyCode = _countedBits != _mask ? -1 : _breachingBits == 0 ? Counted : _breachingBits == _mask ? Counted | Breaching : -1;
        }
        else
        {
            PushLong(datapoint, code);
        }

        if (!(missing && _ignoreMissing))
        {
            State = _present == 0 ? Insufficient : _breaching >= DatapointsToAlarm ? Alarm : Ok;
        }

        return State;
    }

    /// <summary>
    /// The datapoints a push takes without changing anything while the alarm is not in ALARM: [Lo, Hi], or an empty
    /// range (Lo &gt; Hi) when the window is not steady and quiet. NaN is in no range.
    /// </summary>
    public readonly (double Lo, double Hi) QuietRange()
    {
        if (_steadyCode != Counted || State == Alarm || !double.IsFinite(Threshold))
        {
            return (double.PositiveInfinity, double.NegativeInfinity);
        }

        // Not breaching: the complement of the comparison; a strict bound is the next double (exact for finite ones).
        return Op switch
        {
            ComparisonOperator.GreaterThanThreshold => (double.NegativeInfinity, Threshold),
            ComparisonOperator.GreaterThanOrEqualToThreshold => (double.NegativeInfinity, Math.BitDecrement(Threshold)),
            ComparisonOperator.LessThanThreshold => (Threshold, double.PositiveInfinity),
            _ => (Math.BitIncrement(Threshold), double.PositiveInfinity),
        };
    }

    /// <summary>A long window: the datapoint and its code enter the slot of the oldest, and the counts follow.</summary>
    private void PushLong(double datapoint, int code)
    {
        // Pos is always below N, which is at most the arrays' length.
        var slot = Pos;
        ref var old = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_codes), slot);
        _present += (code & Counted) - (old & Counted);
        _breaching += (code >> 1) - (old >> 1);
        old = (byte)code;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Window), slot) = datapoint;
        Pos = slot + 1 == N ? 0 : slot + 1;
        Fill += Fill < N ? 1 : 0;
    }
}
