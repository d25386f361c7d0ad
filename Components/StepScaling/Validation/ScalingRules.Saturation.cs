using StepScaling.Analysis;
using StepScaling.Model;

namespace StepScaling.Validation;

/// <summary>Warnings about bands that a CPU or memory utilization, which saturates at 100 %, can never reach.</summary>
public static partial class ScalingRules
{
    /// <summary>
    /// Whether the statistic keeps a utilization within its per-sample range (a Sum or a count does not).
    /// CloudWatch "Statistics definitions": averages, extremes, percentiles and trimmed or winsorized means of
    /// values that are at most 100 are at most 100.
    /// </summary>
    private static bool KeepsTheRange(string? statistic, string? extended) =>
        extended is null
            ? statistic is "Average" or "Minimum" or "Maximum"
            : extended.StartsWith('p') || extended.StartsWith("tm", StringComparison.OrdinalIgnoreCase)
              || extended.StartsWith("wm", StringComparison.OrdinalIgnoreCase) || extended.Equals("IQM", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Warns about every band (or hand-written step) of <paramref name="policy"/> that starts at or above
    /// <see cref="Capacity.MaxUtilization"/> on an ECS CPU or memory utilization: the reading never gets there.
    /// </summary>
    internal static void WarnBeyondSaturation(SideDefinition side, StepPolicy policy, DiagnosticBag bag)
    {
        if (!Capacity.Saturates(policy.Metric) || !KeepsTheRange(policy.Alarm.Statistic, policy.Alarm.ExtendedStatistic))
        {
            return;
        }

        var max = Capacity.MaxUtilization;
        var name = policy.Metric.DisplayName;
        switch (side.Steps)
        {
            case BandSteps bands:
                for (var i = 0; i < bands.Bands.Length; i++)
                {
                    // Scale-out bands are [from, to): a band from exactly 100 % is met only at 100 %; scale-in bands are (from, to].
                    if (bands.Bands[i].From is { } from && from >= max)
                    {
                        Warn($"{side.Path}.bands[{i}]", from, inclusive: policy.Side == ScalingSide.ScaleOut);
                    }
                }

                break;
            case RelativeSteps raw:
                for (var i = 0; i < raw.StepAdjustments.Length; i++)
                {
                    // Above the threshold a step's lower bound is inclusive, below it exclusive (AAS "Step scaling policies").
                    if (raw.StepAdjustments[i]?.LowerBound is { } lower && raw.Threshold + lower >= max)
                    {
                        var inclusive = lower > 0 || (lower == 0 && raw.ComparisonOperator == ComparisonOperator.GreaterThanOrEqualToThreshold);
                        Warn($"{side.Path}.stepAdjustments[{i}]", raw.Threshold + lower, inclusive);
                    }
                }

                break;
        }

        void Warn(string path, double start, bool inclusive) => bag.Warning(
            ScalingRules.UnreachableStep,
            path,
            start == max && inclusive
                ? $"starts at {Num.Format(start)} %, and {name} never reads above {Num.Format(max)} % on Fargate (a task cannot use more than it reserved): this step triggers only while every task is saturated for the whole period"
                : $"starts at {Num.Format(start)} %{(start == max ? " (exclusive)" : string.Empty)}, but {name} never reads above {Num.Format(max)} % on Fargate (a task cannot use more than it reserved): this step can never trigger");
    }
}
