using System.Globalization;
using System.Text.RegularExpressions;
using StepScaling.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace StepScaling.Import;

/// <summary>
/// Writes an import as a Pulumi stack file: the service name and the <c>scaling</c> section, in the raw relative
/// form (<c>alarm</c> + <c>stepAdjustments</c>) with every AWS field spelt out, so nothing rests on a default.
/// </summary>
public static partial class StackYamlWriter
{
    /// <summary>The stack file text.</summary>
    /// <param name="result">A successful import (<see cref="ImportResult.Scaling"/> set).</param>
    /// <param name="project">The project namespace of the keys (<c>step-scaled-ecs</c>).</param>
    /// <param name="from">What was imported, for the header comment (file names).</param>
    public static string Write(ImportResult result, string project, string from)
    {
        ArgumentNullException.ThrowIfNull(result);
        var scaling = result.Scaling ?? throw new ArgumentException("The import has no scaling to write.", nameof(result));
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var e = new Emitter(text);
        e.Emit(new StreamStart());
        e.Emit(new DocumentStart(null, null, isImplicit: true));
        e.Emit(new Comment($"Imported by `stepscale import` from {from}: the step scaling of ECS service '{result.ServiceName}', as raw relative steps.", isInline: false));
        e.Emit(new Comment("Step bounds are relative to each alarm's threshold, as AWS and Terraform store them. Check it: stepscale check <this file>", isInline: false));
        Map(e);
        Key(e, "config");
        Map(e);
        if (result.Region is { } region)
        {
            Pair(e, "aws:region", region);
        }

        Key(e, $"{project}:service");
        Map(e);
        Pair(e, "name", result.ServiceName ?? ServiceSettingsName);
        End(e);

        Key(e, $"{project}:scaling");
        Map(e);
        PairNum(e, "minCapacity", scaling.MinCapacity);
        PairNum(e, "maxCapacity", scaling.MaxCapacity);
        Key(e, "policies");
        e.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
        foreach (var p in scaling.Policies)
        {
            Map(e);
            Pair(e, "name", p.Name);
            Key(e, "metric");
            Metric(e, p.Metric);
            if (p.Statistic is { } st)
            {
                Pair(e, "statistic", st);
            }

            if (p.ExtendedStatistic is { } ext)
            {
                Pair(e, "extendedStatistic", ext);
            }

            if (p.Metric is not MetricMathMetric)
            {
                PairNum(e, "period", p.Period);
            }

            foreach (var (side, def) in new[] { (ScalingSide.ScaleOut, p.ScaleOut), (ScalingSide.ScaleIn, p.ScaleIn) })
            {
                if (def is not null)
                {
                    if (result.Sources.FirstOrDefault(s => s.Policy == p.Name && s.Side == side) is { } source)
                    {
                        e.Emit(new Comment($"from alarm {source.Alarm} and policy {source.ScalingPolicy}", isInline: false));
                    }

                    Key(e, side.ToConfigName());
                    Side(e, def);
                }
            }

            End(e);
        }

        e.Emit(new SequenceEnd());
        End(e);
        End(e);
        End(e);
        e.Emit(new DocumentEnd(isImplicit: true));
        e.Emit(new StreamEnd());
        return text.ToString();
    }

    private const string ServiceSettingsName = Config.ServiceSettings.DefaultName;

    private static void Side(Emitter e, SideDefinition side)
    {
        Map(e);
        PairNum(e, "evaluationPeriods", side.EvaluationPeriods);
        if (side.DatapointsToAlarm is { } dp)
        {
            PairNum(e, "datapointsToAlarm", dp);
        }

        if (side.TreatMissingData is { } tmd)
        {
            Pair(e, "treatMissingData", tmd.ToAws());
        }

        PairNum(e, "cooldown", side.Cooldown);
        Pair(e, "adjustmentType", side.AdjustmentType.ToString());
        if (side.MinAdjustmentMagnitude is { } mam)
        {
            PairNum(e, "minAdjustmentMagnitude", mam);
        }

        if (side.MetricAggregationType is { } agg)
        {
            Pair(e, "metricAggregationType", agg.ToString());
        }

        if (side.Steps is RelativeSteps rel)
        {
            Key(e, "alarm");
            Map(e);
            Pair(e, "comparisonOperator", rel.ComparisonOperator.ToString());
            PairNum(e, "threshold", rel.Threshold);
            End(e);
            Key(e, "stepAdjustments");
            e.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
            foreach (var s in rel.StepAdjustments)
            {
                Map(e);
                if (s.LowerBound is { } l)
                {
                    PairNum(e, "metricIntervalLowerBound", l);
                }

                if (s.UpperBound is { } u)
                {
                    PairNum(e, "metricIntervalUpperBound", u);
                }

                PairNum(e, "scalingAdjustment", s.ScalingAdjustment);
                End(e);
            }

            e.Emit(new SequenceEnd());
        }

        End(e);
    }

    private static void Metric(Emitter e, MetricSpec metric)
    {
        switch (metric)
        {
            case EcsServiceMetric ecs:
                Scalar(e, ecs.MetricName);
                break;
            case AlbRequestCountPerTargetMetric { TargetGroup: null }:
                Scalar(e, AlbRequestCountPerTargetMetric.MetricName);
                break;
            case AlbRequestCountPerTargetMetric alb:
                Map(e);
                Pair(e, "kind", "albRequestCountPerTarget");
                Pair(e, "targetGroup", alb.TargetGroup!);
                End(e);
                break;
            case CloudWatchMetric cw:
                Map(e);
                Pair(e, "kind", "cloudwatch");
                Pair(e, "namespace", cw.Namespace);
                Pair(e, "name", cw.MetricName);
                Dimensions(e, cw.Dimensions);
                if (cw.Unit is { } unit)
                {
                    Pair(e, "unit", unit);
                }

                End(e);
                break;
            case MetricMathMetric math:
                Map(e);
                Pair(e, "kind", "math");
                Key(e, "queries");
                e.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                foreach (var q in math.Queries)
                {
                    Map(e);
                    Pair(e, "id", q.Id);
                    if (q.Expression is { } expr)
                    {
                        Pair(e, "expression", expr);
                    }

                    if (q.Label is { } label)
                    {
                        Pair(e, "label", label);
                    }

                    Key(e, "returnData");
                    e.Emit(new Scalar(null, null, q.ReturnData ? "true" : "false", ScalarStyle.Plain, true, false));
                    if (q.Metric is { } m)
                    {
                        Key(e, "metric");
                        Map(e);
                        Pair(e, "namespace", m.Namespace);
                        Pair(e, "name", m.MetricName);
                        Dimensions(e, m.Dimensions);
                        Pair(e, "stat", m.Stat);
                        PairNum(e, "period", m.Period);
                        if (m.Unit is { } u)
                        {
                            Pair(e, "unit", u);
                        }

                        End(e);
                    }

                    End(e);
                }

                e.Emit(new SequenceEnd());
                End(e);
                break;
            default:
                throw new ArgumentException($"Unknown metric kind {metric.GetType().Name}.", nameof(metric));
        }
    }

    private static void Dimensions(Emitter e, System.Collections.Immutable.ImmutableSortedDictionary<string, string> dims)
    {
        if (dims.Count == 0)
        {
            return;
        }

        Key(e, "dimensions");
        Map(e);
        foreach (var (k, v) in dims)
        {
            Pair(e, k, v);
        }

        End(e);
    }

    private static void Map(Emitter e) => e.Emit(new MappingStart(null, null, false, MappingStyle.Block));

    private static void End(Emitter e) => e.Emit(new MappingEnd());

    private static void Key(Emitter e, string key) => Scalar(e, key);

    private static void Pair(Emitter e, string key, string value)
    {
        Scalar(e, key);
        Scalar(e, value);
    }

    private static void PairNum(Emitter e, string key, double value)
    {
        Scalar(e, key);
        e.Emit(new Scalar(null, null, Num.Format(value), ScalarStyle.Plain, true, false));
    }

    /// <summary>A string, quoted where YAML would read it as something else (a number, a boolean, null).</summary>
    private static void Scalar(Emitter e, string value) =>
        e.Emit(new Scalar(null, null, value, Ambiguous().IsMatch(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true));

    [GeneratedRegex(@"^(|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0x[0-9a-fA-F]+|0o[0-7]+)$")]
    private static partial Regex Ambiguous();
}
