using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Tuning;

namespace StepScale.Cli;

/// <summary>
/// Draws a tuning with ScottPlot on one time axis: demand as tasks' worth at the target, and the capacity of the
/// baseline, the recommendation, target tracking and the oracle (right axis); the recommendation's metric with its
/// thresholds (left axis). A single trace's held-out part follows its tuned part; several traces follow each other,
/// a dashed line where one ends.
/// </summary>
internal static class TuneChart
{
    public static void Write(string path, string stack, TuningResult result, ImmutableArray<SegmentComparison> comparison)
    {
        // Every segment back to back: a trace's tuned and held-out parts, or several traces one after another.
        var parts = comparison;
        var tick = parts[0].Segment.Trace.IntervalSeconds;
        var length = parts.Sum(p => p.Segment.Trace.Length);
        var totalSeconds = (double)length * tick;
        var (unitSeconds, unitName) = totalSeconds < 3 * 3600 ? (60.0, "minutes") : (3600.0, "hours");
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
        foreach (var p in spec.Policies.Where(p => p.Metric == reference.Metric))
        {
            var h = plot.Add.HorizontalLine(p.Alarm.Threshold);
            h.Color = ScottPlot.Colors.SteelBlue;
            h.LinePattern = p.Side == ScalingSide.ScaleOut ? ScottPlot.LinePattern.Dashed : ScottPlot.LinePattern.Dotted;
            h.LineWidth = 1;
            h.LegendText = $"recommended {p.Name} {p.Alarm.ComparisonOperator.Symbol()} {Num.Format(p.Alarm.Threshold)}";
        }

        var target = plot.Add.HorizontalLine(result.Target);
        target.Color = ScottPlot.Colors.Red.WithAlpha(0.5);
        target.LineWidth = 1;
        target.LegendText = $"target {Num.Format(result.Target)}";

        var demand = reference.LoadModel == LoadModel.PerTask
            ? Concat(c => c.Segment.Trace.Demand.Select(d => d * reference.LoadRatio / result.Target))
            : Concat(c => c.Oracle.Select(o => (double)o));
        var demandLine = plot.Add.ScatterLine(x, demand);
        demandLine.Color = ScottPlot.Colors.Gray.WithAlpha(0.6);
        demandLine.LineWidth = 1;
        demandLine.LegendText = "demand ÷ target (tasks' worth, right axis)";
        demandLine.Axes.YAxis = plot.Axes.Right;

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
        if (parts.All(c => c.TargetTracking is not null))
        {
            Capacity(parts.SelectMany(c => c.TargetTracking!.Capacity.Select(v => (double)v)), ScottPlot.Colors.Orange, 1.5f, "target tracking (tasks)", ScottPlot.LinePattern.Solid);
        }

        Capacity(parts.SelectMany(c => c.Baseline.Capacity.Select(v => (double)v)), ScottPlot.Colors.Gray, 2f, "baseline (tasks)", ScottPlot.LinePattern.Dashed);
        Capacity(parts.SelectMany(c => c.Recommended.Capacity.Select(v => (double)v)), ScottPlot.Colors.Black, 2.5f, "recommended (tasks)", ScottPlot.LinePattern.Solid);

        var offset = 0;
        for (var i = 0; i + 1 < parts.Length; i++)
        {
            offset += parts[i].Segment.Trace.Length;
            var split = plot.Add.VerticalLine(offset * (double)tick / unitSeconds);
            split.Color = ScottPlot.Colors.Black.WithAlpha(0.4);
            split.LinePattern = ScottPlot.LinePattern.Dashed;
            split.LegendText = parts[i + 1].HeldOut ? "held out from here" : i == 0 ? "next trace" : string.Empty;
        }

        // The title counts what was tuned on: the held-out part is on the chart, not in these figures.
        var tuned = parts.Where(c => !c.HeldOut).ToList();
        var rec = tuned.Sum(c => c.Rows.First(r => r.Label == TuningReport.RecommendedLabel).TaskMinutes);
        var base0 = tuned.Sum(c => c.Rows.First(r => r.Label == TuningReport.BaselineLabel).TaskMinutes);
        plot.Title($"{stack} tuned on {(tuned.Count == 1 ? tuned[0].Segment.Name : $"{tuned.Count} traces")}: {rec:0} task-minutes recommended vs {base0:0} baseline");
        plot.XLabel(parts.Any(c => c.HeldOut) || parts.Length == 1 ? $"{unitName} since trace start" : $"{unitName}, traces back to back");
        plot.YLabel($"{reference.Metric.DisplayName}{reference.Metric.UnitSuffix} per task");
        plot.Axes.Right.Label.Text = "tasks";
        plot.Axes.SetLimitsY(0, Math.Max(spec.MaxCapacity + 1, 2), plot.Axes.Right);
        // The metric axis from 0, up to 100 % for a utilization (or the highest threshold, with room for the legend).
        var top = spec.Policies.Where(p => p.Metric == reference.Metric).Max(p => p.Alarm.Threshold);
        plot.Axes.SetLimitsY(0, reference.Metric.UnitSuffix.Trim() == "%" ? Math.Max(100, top + 10) : top * 1.5, plot.Axes.Left);
        plot.Axes.Right.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plot.SaveSvg(path, 1400, 700);
        }
        else
        {
            plot.SavePng(path, 1400, 700);
        }
    }
}
