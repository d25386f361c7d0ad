using System.Globalization;
using System.Text;
using StepScaling.Model;

namespace StepScaling.Tuning;

/// <summary>A candidate's tuned settings on one line, for the front and fold tables.</summary>
public static class SettingsText
{
    /// <summary>
    /// The tuned sides of <paramref name="definition"/>: "cpu out ≥70: +1, ≥85: +3, 1/1, 120 s; in &lt;30: -1, 3/3, 300 s".
    /// Policy names come from the stack file and are printed as they are; callers escape the line.
    /// </summary>
    public static string Of(ScalingDefinition definition, IEnumerable<string> tunedPolicies)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(tunedPolicies);
        var tuned = tunedPolicies.ToHashSet(StringComparer.Ordinal);
        var parts = definition.Policies.Where(p => tuned.Contains(p.Name)).Select(p =>
        {
            var sides = new List<string>();
            if (p.ScaleOut is { } o)
            {
                sides.Add("out " + Side(o, above: true));
            }

            if (p.ScaleIn is { } i)
            {
                sides.Add("in " + Side(i, above: false));
            }

            return $"{p.Name} {string.Join("; ", sides)}";
        });
        return string.Join(" | ", parts);
    }

    private static string Side(SideDefinition side, bool above)
    {
        var sb = new StringBuilder();
        if (side.Steps is BandSteps b)
        {
            var bands = above ? b.Bands.OrderBy(q => q.From ?? double.NegativeInfinity) : b.Bands.OrderByDescending(q => q.To ?? double.PositiveInfinity);
            var unit = side.AdjustmentType == AdjustmentType.PercentChangeInCapacity ? " %" : string.Empty;
            sb.AppendJoin(", ", bands.Select(q => string.Create(CultureInfo.InvariantCulture, $"{(above ? "≥" + Num.Format(q.From ?? 0) : "<" + Num.Format(q.To ?? 0))}: {q.Change:+0;-0;0}{unit}")));
        }
        else
        {
            sb.Append("raw steps");
        }

        sb.Append(CultureInfo.InvariantCulture, $", {side.DatapointsToAlarm ?? side.EvaluationPeriods}/{side.EvaluationPeriods}, {side.Cooldown} s");
        return sb.ToString();
    }
}
