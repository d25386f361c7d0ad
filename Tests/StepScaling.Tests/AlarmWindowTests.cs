using CsCheck;
using StepScaling.Model;
using StepScaling.Simulation;

namespace StepScaling.Tests;

/// <summary>
/// <see cref="AlarmWindow.QuietRange"/>, which lets the kernel skip a quiet sample's pushes: every datapoint inside
/// the range leaves the alarm exactly as it was, and the doubles just outside it do not.
/// </summary>
public class AlarmWindowTests
{
    private static readonly Gen<double> Thresholds = Gen.OneOf(
        Gen.Double[-1000, 1000],
        Gen.OneOfConst(0.0, -0.0, double.Epsilon, -double.Epsilon, 70, 70.00000000000001, 1e-300, double.MaxValue, -double.MaxValue));

    private static readonly Gen<(ComparisonOperator Op, TreatMissingData Treat, int N, int M, double Threshold, double[] Noise)> Windows =
        Gen.Select(Gen.Enum<ComparisonOperator>(), Gen.Enum<TreatMissingData>(), Gen.Int[1, 8], Gen.Int[1, 8], Thresholds, Gen.Double.Array[0, 6])
            .Select(t => (t.Item1, t.Item2, t.Item3, Math.Min(t.Item4, t.Item3), t.Item5, t.Item6));

    [Test]
    public void QuietRange_DatapointsInside_ChangeNothingAndThoseJustOutsideDo()
    {
        Windows.Sample(
            w =>
            {
                var window = Quiet(w.Op, w.Treat, w.N, w.M, w.Threshold, w.Noise);
                var (lo, hi) = window.QuietRange();
                Assert.That(lo, Is.LessThanOrEqualTo(hi), "a window of N quiet datapoints, not in ALARM, is quiet");
                foreach (var d in new[] { lo, hi, Math.BitIncrement(lo), Math.BitDecrement(hi), w.Threshold }.Where(d => d >= lo && d <= hi))
                {
                    var pushed = window;
                    pushed.Push(d);
                    Assert.That(pushed, Is.EqualTo(window), $"pushing {d:R} inside [{lo:R}, {hi:R}]");
                }

                foreach (var d in new[] { Math.BitDecrement(lo), Math.BitIncrement(hi) }.Where(double.IsFinite))
                {
                    var pushed = window;
                    pushed.Push(d);
                    Assert.That(pushed, Is.Not.EqualTo(window), $"pushing {d:R} just outside [{lo:R}, {hi:R}]");
                }
            },
            iter: 20_000);
    }

    [Test]
    public void QuietRange_InAlarmOrNotSteady_Empty()
    {
        var alarm = new AlarmWindow();
        alarm.Reset(70, ComparisonOperator.GreaterThanThreshold, TreatMissingData.Missing, 1, 1);
        alarm.Push(80);
        Assert.That(alarm.QuietRange(), Is.EqualTo((double.PositiveInfinity, double.NegativeInfinity)), "in ALARM");

        var filling = new AlarmWindow();
        filling.Reset(70, ComparisonOperator.GreaterThanThreshold, TreatMissingData.Missing, 2, 3);
        filling.Push(10);
        Assert.That(filling.QuietRange(), Is.EqualTo((double.PositiveInfinity, double.NegativeInfinity)), "not full yet");
    }

    /// <summary>An alarm after some datapoints, then N that do not breach, the last at the threshold's edge.</summary>
    private static AlarmWindow Quiet(ComparisonOperator op, TreatMissingData treat, int n, int m, double threshold, double[] noise)
    {
        var window = new AlarmWindow();
        window.Reset(threshold, op, treat, m, n);
        foreach (var d in noise)
        {
            window.Push(d);
        }

        // The closest datapoint to the threshold that does not breach.
        var calm = op switch
        {
            ComparisonOperator.GreaterThanThreshold or ComparisonOperator.LessThanThreshold => threshold,
            ComparisonOperator.GreaterThanOrEqualToThreshold => Math.BitDecrement(threshold),
            _ => Math.BitIncrement(threshold),
        };
        for (var i = 0; i < n; i++)
        {
            window.Push(calm);
        }

        return window;
    }
}
