using System.Globalization;
using System.Text;
using StepScaling.Model;

namespace StepScaling.Text;

/// <summary>Plain-language descriptions of policies, in the words of the blog post that started this project.</summary>
public static class PolicyText
{
    /// <summary>
    /// One line per policy, e.g.
    /// <c>MemoryUtilization > 10 % (Average over 60 s, 1 of 1 periods): 10–20 % → +1 task, 20–35 % → +2, ≥ 35 % → +3</c>.
    /// </summary>
    public static string Describe(StepPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var unit = policy.Metric.UnitSuffix;
        var alarm = policy.Alarm;
        var sb = new StringBuilder();
        sb.Append(policy.Metric.DisplayName).Append(' ').Append(alarm.ComparisonOperator.Symbol()).Append(' ')
          .Append(Num.Format(alarm.Threshold)).Append(unit)
          .Append(" (").Append(alarm.StatisticLabel).Append(" over ").Append(Num.Format(alarm.Period)).Append(" s, ")
          .Append(Num.Format(alarm.DatapointsToAlarm)).Append(" of ").Append(Num.Format(alarm.EvaluationPeriods))
          .Append(alarm.EvaluationPeriods == 1 ? " period" : " periods").Append("): ");
        var steps = Steps.Reachable(alarm.ComparisonOperator, alarm.Threshold, policy.Scaling.StepAdjustments);
        if (policy.Side == ScalingSide.ScaleIn)
        {
            // Read scale-in from the threshold downwards, the way it acts.
            steps = [.. steps.Reverse()];
        }

        sb.Append(string.Join(", ", steps.Select((s, i) => $"{s.Describe(unit)} → {Adjustment(policy.Scaling, s.Adjustment, i == 0)}")));
        return sb.ToString();
    }

    /// <summary>An adjustment in words: <c>+1 task</c>, <c>-2 tasks</c>, <c>+50 % of capacity</c>, <c>= 3 tasks</c>.</summary>
    public static string Adjustment(StepScalingConfiguration scaling, int value, bool withUnit)
    {
        ArgumentNullException.ThrowIfNull(scaling);
        var tasks = Math.Abs(value) == 1 ? "task" : "tasks";
        return scaling.AdjustmentType switch
        {
            AdjustmentType.ChangeInCapacity => withUnit ? $"{Num.Signed(value)} {tasks}" : Num.Signed(value),
            AdjustmentType.PercentChangeInCapacity => withUnit
                ? $"{Num.Signed(value)} % of capacity" + (scaling.MinAdjustmentMagnitude is { } m ? string.Create(CultureInfo.InvariantCulture, $" (at least {m} {(m == 1 ? "task" : "tasks")})") : string.Empty)
                : $"{Num.Signed(value)} %",
            _ => withUnit ? $"= {Num.Format(value)} {tasks}" : $"= {Num.Format(value)}",
        };
    }

    /// <summary>The whole scaling in a few lines: capacity, then one line per policy.</summary>
    public static string Summary(ScalingSpec? spec)
    {
        if (spec is null)
        {
            return "Scaling is off: the service runs its desired count.";
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Scales between {spec.MinCapacity} and {spec.MaxCapacity} tasks.");
        foreach (var p in spec.Policies)
        {
            sb.Append('\n').Append(p.Side == ScalingSide.ScaleOut ? "Scale out: " : "Scale in: ").Append(Describe(p))
              .Append(CultureInfo.InvariantCulture, $"; cooldown {p.Scaling.Cooldown} s.");
        }

        return sb.ToString();
    }
}
