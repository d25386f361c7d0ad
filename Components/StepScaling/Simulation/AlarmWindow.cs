using StepScaling.Model;

namespace StepScaling.Simulation;

/// <summary>
/// A CloudWatch alarm's last N datapoints and its state, with the M-of-N rule and missing-data treatment: missing
/// datapoints are skipped (missing), keep the state (ignore), or count as breaching or not. With no datapoint to
/// judge, the alarm has insufficient data and takes no action. Its arrays are reused across runs.
/// </summary>
internal struct AlarmWindow
{
    public const int Ok = 0, Alarm = 1, Insufficient = 2;

    public double Threshold;
    public ComparisonOperator Op;
    public TreatMissingData Treat;
    public int DatapointsToAlarm;
    public int N;

    /// <summary>The datapoints, oldest at <see cref="Pos"/> once full (NaN: missing).</summary>
    public double[] Window;

    // Per slot: 0 = not counted, 1 = counted, not breaching, 2 = counted and breaching.
    private int[] _codes;
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
        if (Window is null || Window.Length < n)
        {
            Window = new double[n];
            _codes = new int[n];
        }
        else
        {
            // A slot's old code leaves the counts as a new datapoint enters it: none may be left from the last run.
            Array.Clear(_codes, 0, n);
        }

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
    public int Push(double datapoint)
    {
        int code;
        if (double.IsNaN(datapoint))
        {
            code = Treat switch
            {
                TreatMissingData.Breaching => 2,
                TreatMissingData.NotBreaching => 1,
                _ => 0,
            };
        }
        else
        {
            var breach = Op switch
            {
                ComparisonOperator.GreaterThanOrEqualToThreshold => datapoint >= Threshold,
                ComparisonOperator.GreaterThanThreshold => datapoint > Threshold,
                ComparisonOperator.LessThanThreshold => datapoint < Threshold,
                _ => datapoint <= Threshold,
            };
            code = breach ? 2 : 1;
        }

        var slot = Pos;
        var old = _codes[slot];
        _present += (code > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
        _breaching += (code == 2 ? 1 : 0) - (old == 2 ? 1 : 0);
        _codes[slot] = code;
        Window[slot] = datapoint;
        Pos = slot + 1 == N ? 0 : slot + 1;
        Fill = Math.Min(Fill + 1, N);

        if (!(Treat == TreatMissingData.Ignore && double.IsNaN(datapoint)))
        {
            State = _present == 0 ? Insufficient : _breaching >= DatapointsToAlarm ? Alarm : Ok;
        }

        return State;
    }
}
