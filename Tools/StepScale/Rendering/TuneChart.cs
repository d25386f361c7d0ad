using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Simulation;
using StepScaling.Tuning;

namespace StepScale.Cli;

/// <summary>
/// Draws a tuning with ScottPlot, two panels in one image. Top: the whole traces back to back on one time axis —
/// demand as tasks' worth at the target, the capacity of the baseline, the recommendation, target tracking and the
/// oracle (right axis), the recommendation's metric with its thresholds (left axis). Bottom: the Pareto front of
/// loop-free candidates on cost (task-minutes) and service (minutes above target + unserved task-minutes), with the
/// baseline, target tracking (at the stack's target and tuned) and the recommendation marked.
/// </summary>
internal static class TuneChart
{
    private const int Width = 1400, TimelineHeight = 700, FrontHeight = 600;

    public static void Write(string path, string stack, TuningResult result, ImmutableArray<SegmentComparison> comparison)
    {
        ChartKit.Save(path, Width, [(Timeline(stack, result, comparison), TimelineHeight), (Front(result, comparison), FrontHeight)]);
    }

    private static ScottPlot.Plot Front(TuningResult result, ImmutableArray<SegmentComparison> comparison)
    {
        var plot = new ScottPlot.Plot();
        void Points(IEnumerable<Objectives> figures, ScottPlot.Color color, ScottPlot.MarkerShape shape, float size, string label)
        {
            var list = figures.Where(o => double.IsFinite(o.Cost) && double.IsFinite(o.Service)).ToList();
            if (list.Count == 0)
            {
                return;
            }

            var s = plot.Add.ScatterPoints(list.Select(o => o.Cost).ToArray(), list.Select(o => o.Service).ToArray());
            s.Color = color;
            s.MarkerShape = shape;
            s.MarkerSize = size;
            s.LegendText = label;
        }

        Objectives Row(string label) => comparison.Select(c => c.Rows.FirstOrDefault(x => x.Label == label)).Where(x => x is not null)
            .Aggregate(Objectives.Zero, (a, x) => a.Plus(new Objectives(x!.TaskMinutes, x.MinutesAbove, x.Unserved ?? 0, x.ScaleActions, x.Flaps ?? 0, 0)));
        Points(result.Front.Where(p => !p.Feasible).Select(p => p.Figures), ScottPlot.Colors.LightGray, ScottPlot.MarkerShape.FilledCircle, 5, "front: outside the limits");
        Points(result.Front.Where(p => p.Feasible).Select(p => p.Figures), ScottPlot.Colors.SteelBlue, ScottPlot.MarkerShape.FilledCircle, 6, "front: meets the limits");
        if (result.TargetTracking is { } tt)
        {
            Points(tt.Front.Select(p => p.Figures), ScottPlot.Colors.Orange.WithAlpha(0.5), ScottPlot.MarkerShape.OpenCircle, 5, "target tracking, tuned grid (front)");
            Points([Row(TuningReport.TargetTrackingLabel)], ScottPlot.Colors.Orange, ScottPlot.MarkerShape.FilledTriangleUp, 14, "target tracking at the stack's target");
            Points([tt.BestFigures], ScottPlot.Colors.DarkOrange, ScottPlot.MarkerShape.FilledDiamond, 14, "target tracking, tuned");
        }

        Points([Row(TuningReport.BaselineLabel)], ScottPlot.Colors.Gray, ScottPlot.MarkerShape.FilledSquare, 14, "baseline (the stack as written)");
        Points([Row(TuningReport.RecommendedLabel)], ScottPlot.Colors.Black, ScottPlot.MarkerShape.FilledDiamond, 16, result.Supported ? "recommended" : "best compromise (NOT meeting the constraints)");
        // Zoom on the marked points: the far ends of the front (very expensive or very poor service) fall outside.
        Objectives[] marked = [Row(TuningReport.BaselineLabel), Row(TuningReport.RecommendedLabel), .. result.TargetTracking is { } t ? [t.BestFigures] : Array.Empty<Objectives>()];
        var minCost = result.Front.Select(p => p.Figures.Cost).Concat(marked.Select(o => o.Cost)).Min();
        plot.Axes.SetLimitsX(minCost * 0.98, Math.Max(minCost * 1.05, marked.Max(o => o.Cost) * 1.3));
        plot.Axes.SetLimitsY(0, Math.Max(5, marked.Max(o => o.Service) * 2.5));
        plot.Title($"Pareto front on all the data: {result.Front.Length} loop-free candidates, zoomed on the marked points (churn: see the report)");
        plot.XLabel("cost: task-minutes");
        plot.YLabel("service: minutes above target + unserved task-minutes");
        ChartKit.LegendOutside(plot);
        return plot;
    }

    private static ScottPlot.Plot Timeline(string stack, TuningResult result, ImmutableArray<SegmentComparison> parts)
    {
        var tick = parts[0].Segment.Trace.IntervalSeconds;
        var length = parts.Sum(p => p.Segment.Trace.Length);
        var (unitSeconds, unitName) = (double)length * tick < 3 * 3600 ? (60.0, "minutes") : (3600.0, "hours");
        var x = Enumerable.Range(0, length).Select(i => i * (double)tick / unitSeconds).ToArray();
        double[] Concat(Func<SegmentComparison, IEnumerable<double>> pick) => [.. parts.SelectMany(pick)];

        var plot = new ScottPlot.Plot();
        var spec = result.RecommendedSpec;
        var reference = spec.Policies.FirstOrDefault(p => p.Side == ScalingSide.ScaleOut && p.LoadModel == LoadModel.PerTask) ?? spec.Policies[0];
        var index = spec.Policies.IndexOf(reference);
        var metric = plot.Add.ScatterLine(x, Concat(c => c.Recommended.Metric.Length > index ? c.Recommended.Metric[index] : []));
        metric.Color = ScottPlot.Colors.SteelBlue.WithAlpha(0.7);
        metric.LineWidth = 1;
        metric.LegendText = $"{reference.Metric.DisplayName} per task, recommended (left axis)";
        var thresholds = new List<ChartKit.Threshold>();
        foreach (var p in spec.Policies.Where(p => p.Metric == reference.Metric))
        {
            var h = plot.Add.HorizontalLine(p.Alarm.Threshold);
            h.Color = ScottPlot.Colors.SteelBlue;
            h.LinePattern = p.Side == ScalingSide.ScaleOut ? ScottPlot.LinePattern.Dashed : ScottPlot.LinePattern.Dotted;
            h.LineWidth = 1;
            h.LegendText = $"recommended {ChartKit.Name(p)}";
            thresholds.Add(new ChartKit.Threshold(p.Alarm.Threshold, ChartKit.Name(p), ScottPlot.Colors.SteelBlue));
        }

        var target = plot.Add.HorizontalLine(result.Target);
        target.Color = ScottPlot.Colors.Red.WithAlpha(0.5);
        target.LineWidth = 1;
        target.LegendText = $"target {Num.Format(result.Target)}";
        thresholds.Add(new ChartKit.Threshold(result.Target, $"target {Num.Format(result.Target)}", ScottPlot.Colors.Red));
        ChartKit.LabelThresholds(plot, thresholds, x.Length == 0 ? 0 : x[^1]);
        ChartKit.Gutter(plot, 0, x.Length == 0 ? 0 : x[^1], Width - 400, thresholds);

        var demand = reference.LoadModel == LoadModel.PerTask
            ? Concat(c => c.Segment.Trace.Demand.Select(d => d * reference.LoadRatio / result.Target))
            : Concat(c => c.Oracle.Select(o => (double)o));
        var demandLine = plot.Add.ScatterLine(x, demand);
        demandLine.Color = ScottPlot.Colors.Gray.WithAlpha(0.6);
        demandLine.LineWidth = 1;
        demandLine.LegendText = "demand ÷ target (tasks' worth, right axis)";
        demandLine.Axes.YAxis = plot.Axes.Right;
        Capacities(plot, x, parts, unitSeconds);
        Finish(plot, stack, result, parts, unitSeconds, unitName, reference);
        return plot;
    }

    private static void Capacities(ScottPlot.Plot plot, double[] x, ImmutableArray<SegmentComparison> parts, double unitSeconds)
    {
        void Capacity(IEnumerable<double> values, ScottPlot.Color color, float width, string label, ScottPlot.LinePattern pattern)
        {
            var line = plot.Add.ScatterLine(x, values.ToArray());
            line.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
            line.Color = color;
            line.LineWidth = width;
            line.LinePattern = pattern;
            line.LegendText = label;
            line.Axes.YAxis = plot.Axes.Right;
        }

        Capacity(parts.SelectMany(c => c.Oracle.Select(o => (double)o)), ScottPlot.Colors.Green, 1.5f, "oracle (tasks)", ScottPlot.LinePattern.Dotted);
        if (parts.All(c => c.TunedTargetTracking is not null))
        {
            Capacity(parts.SelectMany(c => c.TunedTargetTracking!.Capacity.Select(v => (double)v)), ScottPlot.Colors.Orange, 1.5f, "target tracking, tuned (tasks)", ScottPlot.LinePattern.Solid);
        }

        // The baseline dashed over the recommendation: where they agree, both stay visible.
        Capacity(parts.SelectMany(c => c.Recommended.Capacity.Select(v => (double)v)), ScottPlot.Colors.Black, 2.5f, "recommended (tasks)", ScottPlot.LinePattern.Solid);
        Capacity(parts.SelectMany(c => c.Baseline.Capacity.Select(v => (double)v)), ScottPlot.Colors.Gray, 2f, "baseline (tasks), dashed over the recommended", ScottPlot.LinePattern.Dashed);
        ChartKit.EventMarkers(plot, RecommendedEvents(parts), unitSeconds, 0, x.Length == 0 ? 0 : x[^1], Width - 400, " (recommended)");
    }

    /// <summary>The recommendation's scale events on the traces laid back to back.</summary>
    private static List<ScaleEvent> RecommendedEvents(ImmutableArray<SegmentComparison> parts)
    {
        var events = new List<ScaleEvent>();
        var offset = 0;
        foreach (var c in parts)
        {
            events.AddRange(c.Recommended.Events.Select(e => e with { Seconds = e.Seconds + offset }));
            offset += c.Segment.Trace.Length * c.Segment.Trace.IntervalSeconds;
        }

        return events;
    }

    private static void Finish(ScottPlot.Plot plot, string stack, TuningResult result, ImmutableArray<SegmentComparison> parts, double unitSeconds, string unitName, StepPolicy reference)
    {
        var tick = parts[0].Segment.Trace.IntervalSeconds;
        var offset = 0;
        for (var i = 0; i + 1 < parts.Length; i++)
        {
            offset += parts[i].Segment.Trace.Length;
            var split = plot.Add.VerticalLine(offset * (double)tick / unitSeconds);
            split.Color = ScottPlot.Colors.Black.WithAlpha(0.4);
            split.LinePattern = ScottPlot.LinePattern.Dashed;
            split.LegendText = i == 0 ? "next trace" : string.Empty;
        }

        var rec = parts.Sum(c => c.Rows.First(r => r.Label == TuningReport.RecommendedLabel).TaskMinutes);
        var base0 = parts.Sum(c => c.Rows.First(r => r.Label == TuningReport.BaselineLabel).TaskMinutes);
        var spec = result.RecommendedSpec;
        plot.Title($"{stack} tuned on {(parts.Length == 1 ? parts[0].Segment.Name : $"{parts.Length} traces")}, whole: {rec:0} task-minutes {(result.Supported ? "recommended" : "best compromise (NOT meeting the constraints)")} vs {base0:0} baseline");
        plot.XLabel(parts.Length == 1 ? $"{unitName} since trace start" : $"{unitName}, traces back to back");
        plot.YLabel($"{reference.Metric.DisplayName}{reference.Metric.UnitSuffix} per task");
        plot.Axes.Right.Label.Text = "tasks";
        plot.Axes.SetLimitsY(0, Math.Max(spec.MaxCapacity + 1, 2), plot.Axes.Right);
        // The metric axis from 0, up to 100 % for a utilization (or the highest threshold, with room for the legend).
        var top = spec.Policies.Where(p => p.Metric == reference.Metric).Max(p => p.Alarm.Threshold);
        plot.Axes.SetLimitsY(0, reference.Metric.UnitSuffix.Trim() == "%" ? Math.Max(100, top + 10) : top * 1.5, plot.Axes.Left);
        plot.Axes.Right.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        ChartKit.LegendOutside(plot);
    }
}
