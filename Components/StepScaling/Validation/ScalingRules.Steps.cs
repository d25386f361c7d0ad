using System.Collections.Immutable;
using StepScaling.Model;

namespace StepScaling.Validation;

/// <summary>
/// The rules of one side of a policy (Application Auto Scaling PutScalingPolicy StepScalingPolicyConfiguration and
/// its alarm): the steps, as bands or as step adjustments, checked by one checklist, and the side's alarm settings.
/// </summary>
public static partial class ScalingRules
{
    private static readonly IntervalKind BandKind = new("band", "bands", "from", "to", "change", " bands", IsBand: true);
    private static readonly IntervalKind StepKind = new("step adjustment", "step adjustments", "metricIntervalLowerBound", "metricIntervalUpperBound", "scalingAdjustment", string.Empty, IsBand: false);

    /// <summary>
    /// Every rule of one side: its steps, the per-task direction of its alarm, evaluation window, datapoints,
    /// cooldown, minimum magnitude and alarm name. Returns the relative steps AWS stores when the side has no error.
    /// </summary>
    public static RelativeSteps? CheckSide(PolicyDefinition policy, SideDefinition side, ScalingSide which, string? alarmNamePrefix, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(side);
        ArgumentNullException.ThrowIfNull(bag);
        var errorsBefore = bag.ErrorCount;
        var relative = CheckSteps(side, which, bag);
        if (relative is not null && (policy.LoadModel ?? policy.Metric.DefaultLoadModel) == LoadModel.PerTask && relative.ComparisonOperator.IsAbove() != (which == ScalingSide.ScaleOut))
        {
            bag.Error(
                $"{side.Path}.alarm.comparisonOperator",
                which == ScalingSide.ScaleOut
                    ? $"scale-out on a per-task metric must alarm above its threshold (GreaterThanThreshold or GreaterThanOrEqualToThreshold); got {relative.ComparisonOperator}"
                    : $"scale-in on a per-task metric must alarm below its threshold (LessThanThreshold or LessThanOrEqualToThreshold); got {relative.ComparisonOperator}");
        }

        CheckAlarmSettings(side, MetricRules.AlarmPeriod(policy), bag);
        CheckAdjustmentSettings(side, bag);
        if (alarmNamePrefix is not null && AwsRules.CheckAlarmName(AlarmNames.For(alarmNamePrefix, AlarmNames.Side(policy.Name, which))) is { } message)
        {
            bag.Error(side.Path, message);
        }

        return bag.ErrorCount > errorsBefore ? null : relative;
    }

    /// <summary>The steps of a side, as written (bands or an alarm with step adjustments), converted to what AWS stores when valid.</summary>
    private static RelativeSteps? CheckSteps(SideDefinition side, ScalingSide which, DiagnosticBag bag)
    {
        var path = side.Path;
        switch (side.Steps)
        {
            case BandSteps bands:
                return CheckBands(bands.Bands, which, side.AdjustmentType, $"{path}.bands", bag)
                    ? ConvertBands(bands.Bands, which, side.AdjustmentType, $"{path}.bands", bag)
                    : null;
            case RelativeSteps raw:
                return Finite(raw.Threshold, $"{path}.alarm.threshold", bag) && CheckRelativeSteps(raw, which, side.AdjustmentType, $"{path}.stepAdjustments", bag)
                    ? raw with { StepAdjustments = [.. Steps.Sorted(raw.StepAdjustments)] }
                    : null;
            default:
                bag.Error(path, "needs bands, or an alarm with stepAdjustments");
                return null;
        }
    }

    /// <summary>PutMetricAlarm EvaluationPeriods (and the window it spans with the period) and DatapointsToAlarm.</summary>
    private static void CheckAlarmSettings(SideDefinition side, int period, DiagnosticBag bag)
    {
        var path = side.Path;
        if (AwsRules.EvaluationPeriods.Check(side.EvaluationPeriods) is { } evaluationMessage)
        {
            bag.Error($"{path}.evaluationPeriods", evaluationMessage);
        }
        else if (period > 0)
        {
            var window = (long)period * side.EvaluationPeriods;
            var limit = period < 3600 ? AwsRules.MaxWindowShortPeriods : AwsRules.MaxWindowLongPeriods;
            if (window > limit)
            {
                bag.Error(
                    $"{path}.evaluationPeriods",
                    $"the evaluation window (period × evaluationPeriods) must be at most {(period < 3600 ? "1 day (86400 s) for periods under an hour" : "7 days (604800 s) for periods of an hour or more")}; got {period} × {side.EvaluationPeriods} = {window} s");
            }
        }

        if (side.DatapointsToAlarm is { } dp && (dp < 1 || dp > side.EvaluationPeriods))
        {
            bag.Error($"{path}.datapointsToAlarm", $"must be between 1 and evaluationPeriods ({side.EvaluationPeriods}); got {dp}");
        }
    }

    /// <summary>StepScalingPolicyConfiguration Cooldown and MinAdjustmentMagnitude (PercentChangeInCapacity only).</summary>
    private static void CheckAdjustmentSettings(SideDefinition side, DiagnosticBag bag)
    {
        var path = side.Path;
        if (AwsRules.Cooldown.Check(side.Cooldown) is { } cooldownMessage)
        {
            bag.Error($"{path}.cooldown", cooldownMessage);
        }

        if (side.MinAdjustmentMagnitude is not { } mam)
        {
            return;
        }

        if (side.AdjustmentType != AdjustmentType.PercentChangeInCapacity)
        {
            bag.Error($"{path}.minAdjustmentMagnitude", $"applies only with adjustmentType PercentChangeInCapacity; adjustmentType is {side.AdjustmentType}");
        }
        else if (AwsRules.MinAdjustmentMagnitude.Check(mam) is { } magnitudeMessage)
        {
            bag.Error($"{path}.minAdjustmentMagnitude", magnitudeMessage);
        }
    }

    /// <summary>Band rules: the shared checklist, then from &lt; to, one open outer end on the side's far end, and contiguity.</summary>
    private static bool CheckBands(ImmutableArray<Band> bands, ScalingSide side, AdjustmentType type, string path, DiagnosticBag bag)
    {
        var before = bag.ErrorCount;
        var items = Entries(bands, b => new Interval(b.From, b.To, b.Change), BandKind, path, bag);
        if (items is null)
        {
            return false;
        }

        CheckEach(items, BandKind, side, type, path, bag, (b, bp, usable) =>
        {
            if (usable && b.Lower is { } f && b.Upper is { } t && !(f < t))
            {
                bag.Error(bp, $"'from' must be below 'to'; got from {Num.Format(f)}, to {Num.Format(t)}");
            }

            if (side == ScalingSide.ScaleOut && b.Lower is null)
            {
                bag.Error($"{bp}.from", "is required: a scale-out band starts at a value ('from'); only its upper end may be open");
            }

            if (side == ScalingSide.ScaleIn && b.Upper is null)
            {
                bag.Error($"{bp}.to", "is required: a scale-in band ends at a value ('to'); only its lower end may be open");
            }
        });
        if (bag.ErrorCount > before)
        {
            return false;
        }

        var ordered = items.Select((b, i) => (Item: b, Index: i)).OrderBy(x => x.Item.Lower ?? double.NegativeInfinity).ToList();
        CheckOpenEnds(ordered, side, path, bag);
        CheckContiguous(ordered, BandKind, path, bag);
        return bag.ErrorCount == before;
    }

    /// <summary>Only the band at the side's far end is open: the highest scale-out band has no 'to', the lowest scale-in band no 'from'.</summary>
    private static void CheckOpenEnds(List<(Interval Item, int Index)> ordered, ScalingSide side, string path, DiagnosticBag bag)
    {
        if (side == ScalingSide.ScaleOut)
        {
            var last = ordered[^1];
            if (last.Item.Upper is { } to)
            {
                bag.Error($"{path}[{last.Index}].to", $"the highest scale-out band must be open (no 'to') so that every value above it finds a step; got {Num.Format(to)}");
            }

            foreach (var (_, index) in ordered.Take(ordered.Count - 1).Where(x => x.Item.Upper is null))
            {
                bag.Error($"{path}[{index}].to", "only the highest scale-out band may be open; this band needs a 'to'");
            }

            return;
        }

        var first = ordered[0];
        if (first.Item.Lower is { } from)
        {
            bag.Error($"{path}[{first.Index}].from", $"the lowest scale-in band must be open (no 'from') so that every value below it finds a step; got {Num.Format(from)}");
        }

        foreach (var (_, index) in ordered.Skip(1).Where(x => x.Item.Lower is null))
        {
            bag.Error($"{path}[{index}].from", "only the lowest scale-in band may be open; this band needs a 'from'");
        }
    }

    /// <summary>The Application Auto Scaling step rules (the shared checklist, bounds, open ends, contiguity), plus coverage of the alarm's breaching side.</summary>
    private static bool CheckRelativeSteps(RelativeSteps raw, ScalingSide side, AdjustmentType type, string path, DiagnosticBag bag)
    {
        var before = bag.ErrorCount;
        var items = Entries(raw.StepAdjustments, s => new Interval(s.LowerBound, s.UpperBound, s.ScalingAdjustment), StepKind, path, bag);
        if (items is null)
        {
            return false;
        }

        CheckEach(items, StepKind, side, type, path, bag, (s, sp, usable) =>
        {
            if (s.Lower is null && s.Upper is null)
            {
                bag.Error(sp, "a step adjustment needs a lower bound, an upper bound, or both; both are null");
            }
            else if (usable && s.Lower is { } l && s.Upper is { } u && !(u > l))
            {
                bag.Error(sp, $"the upper bound must be greater than the lower bound; got {Num.Interval(l, u)}");
            }
        });
        if (!CheckOpenBounds(items, path, bag, before))
        {
            return false;
        }

        var ordered = items.Select((s, i) => (Item: s, Index: i))
            .OrderBy(x => x.Item.Lower ?? double.NegativeInfinity)
            .ThenBy(x => x.Item.Upper ?? double.PositiveInfinity)
            .ToList();
        CheckContiguous(ordered, StepKind, path, bag);
        if (bag.ErrorCount > before)
        {
            return false;
        }

        CheckCoverage(raw, ordered[0].Item.Lower, ordered[^1].Item.Upper, path, bag);
        return bag.ErrorCount == before;
    }

    /// <summary>
    /// Step adjustments' open bounds (PutScalingPolicy StepAdjustment): at most one null lower and one null upper bound;
    /// once those hold, a negative lower bound needs a step open to -inf and a positive upper bound one open to +inf.
    /// False when an error so far stops the checklist before that second part.
    /// </summary>
    private static bool CheckOpenBounds(List<Interval> steps, string path, DiagnosticBag bag, int errorsBefore)
    {
        var nullLower = steps.Count(s => s.Lower is null);
        var nullUpper = steps.Count(s => s.Upper is null);
        if (nullLower > 1)
        {
            bag.Error(path, $"at most one step adjustment may have a null lower bound; got {nullLower}");
        }

        if (nullUpper > 1)
        {
            bag.Error(path, $"at most one step adjustment may have a null upper bound; got {nullUpper}");
        }

        if (bag.ErrorCount > errorsBefore)
        {
            return false;
        }

        if (steps.Any(s => s.Lower < 0) && nullLower == 0)
        {
            bag.Error(path, $"a step with a negative lower bound ({Num.Format(steps.Where(s => s.Lower < 0).Min(s => s.Lower!.Value))}) requires a step with a null lower bound (open to -inf)");
        }

        if (steps.Any(s => s.Upper > 0) && nullUpper == 0)
        {
            bag.Error(path, $"a step with a positive upper bound ({Num.Format(steps.Where(s => s.Upper > 0).Max(s => s.Upper!.Value))}) requires a step with a null upper bound (open to +inf)");
        }

        return true;
    }

    /// <summary>The steps are one contiguous run; it must cover every value at which the alarm fires.</summary>
    private static void CheckCoverage(RelativeSteps raw, double? low, double? high, string path, DiagnosticBag bag)
    {
        var threshold = Num.Format(raw.Threshold);
        if (raw.ComparisonOperator.IsAbove())
        {
            if (low is { } lo && lo > 0)
            {
                bag.Error(path, $"no step covers {Num.Interval(0, lo)} above the threshold: the alarm fires at {raw.ComparisonOperator.Symbol()} {threshold}, but metric values from {threshold} to {Num.Format(DoubleEdges.EdgeOfBound(lo, raw.Threshold, fromAbove: true) ?? raw.Threshold + lo)} find no step adjustment and nothing scales");
            }

            if (high is { } hi && hi <= 0)
            {
                bag.Error(path, $"no step covers values above the threshold: the alarm fires whenever the metric is {raw.ComparisonOperator.Symbol()} {threshold}, but the steps end at {Num.Format(hi)}; bounds are relative to the threshold, so scale-out steps start at 0");
            }

            return;
        }

        if (high is { } h && h < 0)
        {
            bag.Error(path, $"no step covers {Num.Interval(h, 0, false, true)} below the threshold: the alarm fires at {raw.ComparisonOperator.Symbol()} {threshold}, but metric values from {Num.Format(DoubleEdges.EdgeOfBound(h, raw.Threshold, fromAbove: false) ?? raw.Threshold + h)} to {threshold} find no step adjustment and nothing scales");
        }

        if (low is { } l && l >= 0)
        {
            bag.Error(path, $"no step covers values below the threshold: the alarm fires whenever the metric is {raw.ComparisonOperator.Symbol()} {threshold}, but the steps start at {Num.Format(l)}; bounds are relative to the threshold, so scale-in steps end at 0");
        }
    }

    /// <summary>The checklist's start, for bands and step adjustments alike: at least one, none null, at most 20 (Application Auto Scaling quotas).</summary>
    private static List<Interval>? Entries<T>(ImmutableArray<T> items, Func<T, Interval> read, IntervalKind kind, string path, DiagnosticBag bag)
        where T : class
    {
        if (items.IsDefaultOrEmpty)
        {
            bag.Error(path, $"at least one {kind.Singular} is required");
            return null;
        }

        if (items.IndexOf(null!) is var nullItem and >= 0)
        {
            bag.Error($"{path}[{nullItem}]", "must not be null");
            return null;
        }

        if (items.Length > AwsRules.MaxStepAdjustments)
        {
            bag.Error(path, $"a policy can have at most {AwsRules.MaxStepAdjustments} step adjustments; got {items.Length}{kind.CountSuffix}");
        }

        return [.. items.Select(read)];
    }

    /// <summary>The checklist per entry: finite bounds, the kind's own bound rules (<paramref name="bounds"/>, told whether both bounds are usable), then the adjustment.</summary>
    private static void CheckEach(List<Interval> items, IntervalKind kind, ScalingSide side, AdjustmentType type, string path, DiagnosticBag bag, Action<Interval, string, bool> bounds)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var ip = $"{path}[{i}]";
            var usable = Finite(item.Lower, $"{ip}.{kind.LowerKey}", bag) & Finite(item.Upper, $"{ip}.{kind.UpperKey}", bag);
            bounds(item, ip, usable);
            ValidateAdjustment(item.Change, side, type, $"{ip}.{kind.ChangeKey}", bag);
        }
    }

    /// <summary>The checklist's end: in order, each entry starts where the one before ends (no overlap, no gap). Bands' open ends are checked apart.</summary>
    private static void CheckContiguous(List<(Interval Item, int Index)> ordered, IntervalKind kind, string path, DiagnosticBag bag)
    {
        for (var k = 1; k < ordered.Count; k++)
        {
            var (prev, _) = ordered[k - 1];
            var (next, nextIndex) = ordered[k];
            if (kind.IsBand && (prev.Upper is null || next.Lower is null))
            {
                continue;
            }

            var prevUpper = prev.Upper ?? double.PositiveInfinity;
            var nextLower = next.Lower ?? double.NegativeInfinity;
            if (nextLower < prevUpper)
            {
                bag.Error($"{path}[{nextIndex}]", $"{kind.Plural} overlap: {Num.Interval(prev.Lower, prev.Upper)} and {Num.Interval(next.Lower, next.Upper)}");
            }
            else if (nextLower > prevUpper)
            {
                var values = kind.IsBand ? $"; values in {Num.Interval(prevUpper, nextLower)} would find no step" : string.Empty;
                bag.Error($"{path}[{nextIndex}]", $"{kind.Plural} leave a gap: {Num.Interval(prev.Lower, prev.Upper)} and {Num.Interval(next.Lower, next.Upper)}{values}");
            }
        }
    }

    /// <summary>A bound or threshold the arithmetic can use: finite, within the tool's magnitude. False (and an error) when not.</summary>
    private static bool Finite(double? value, string path, DiagnosticBag bag)
    {
        if (value is { } v && !Num.IsUsable(v))
        {
            bag.Error(path, $"must be a finite number within ±{Num.Format(Num.MaxMagnitude)}; got {Num.Format(v)}");
            return false;
        }

        return true;
    }

    /// <summary>One entry of the checklist: a band (absolute) or a step adjustment (relative to the threshold).</summary>
    private readonly record struct Interval(double? Lower, double? Upper, int Change);

    /// <summary>How the checklist names the entries of one kind, and whether they are bands (which check their open ends apart).</summary>
    private sealed record IntervalKind(string Singular, string Plural, string LowerKey, string UpperKey, string ChangeKey, string CountSuffix, bool IsBand);
}
