using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Simulation;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary>
/// Draws a simulation with ScottPlot: metric and thresholds on the left axis, capacity on the right. A long trace is
/// drawn from a downsampled series (<see cref="MinMax"/>: the lowest and highest value of each pixel column, so a
/// one-sample spike stays visible), which bounds the time and memory the chart takes whatever the trace's length.
/// </summary>
internal static class Chart
{
    /// <summary>The chart's size in pixels.</summary>
    public const int Width = 1400, Height = 700;

    public static void Write(string path, StackPlan plan, ScalingSpec spec, DemandTrace trace, SimulationResult result)
    {
        var plot = new ScottPlot.Plot();
        // Hours for a day-long trace, minutes for a short one: ticks a person reads at a glance.
        var totalSeconds = (double)trace.Length * trace.IntervalSeconds;
        var (unitSeconds, unitName) = totalSeconds < 3 * 3600 ? (60.0, "minutes") : (3600.0, "hours");
        var step = trace.IntervalSeconds / unitSeconds;

        var xEnd = trace.Length * step;
        AddMetrics(plot, spec, result, step, xEnd);
        var demand = Line(plot, MinMax(trace.Demand, step, Width));
        demand.Color = ScottPlot.Colors.Gray.WithAlpha(0.6);
        demand.LineWidth = 1;
        demand.LegendText = "demand (metric units × tasks)";

        // Demand beyond what the running tasks reserved (CPU or memory pinned at 100 %), shaded in tasks' worth.
        var peakUnserved = result.Unserved.Length > 0 ? result.Unserved.Max() : 0;
        if (peakUnserved > 0)
        {
            var (xs, ys) = MinMax(result.Unserved, step, Width);
            var unserved = plot.Add.FillY(xs, new double[xs.Length], ys);
            unserved.FillColor = ScottPlot.Colors.Red.WithAlpha(0.3);
            unserved.LineColor = ScottPlot.Colors.Red.WithAlpha(0.6);
            unserved.LegendText = $"unserved demand (tasks' worth, right axis): {result.Summary.UnservedTaskMinutes:0.#} task-minutes";
            unserved.Axes.YAxis = plot.Axes.Right;
        }

        var capacity = Line(plot, MinMax([.. result.Capacity.Select(c => (double)c)], step, Width));
        capacity.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        capacity.Color = ScottPlot.Colors.Black;
        capacity.LineWidth = 2.5f;
        capacity.LegendText = "capacity (tasks, right axis)";
        capacity.Axes.YAxis = plot.Axes.Right;
        ChartKit.EventMarkers(plot, result.Events, unitSeconds, xEnd, Width);

        // The stack name comes from the file name: escaped like every other byte from input (SVG cannot hold control characters).
        plot.Title($"{DiagnosticText.Escape(plan.Stack)}: {Cli.Count(result.Summary.ScaleActions, "scale action")}, {Cli.Count(result.Summary.Flaps, "flap")}, {result.Summary.TaskMinutes:0} task-minutes");
        plot.XLabel($"{unitName} since trace start");
        plot.YLabel("metric / demand");
        plot.Axes.Right.Label.Text = "tasks";
        plot.Axes.SetLimitsY(0, Math.Max(Math.Max(spec.MaxCapacity + 1, 2), Math.Ceiling(peakUnserved) + 1), plot.Axes.Right);
        plot.Axes.Right.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        ChartKit.LegendOutside(plot);

        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plot.SaveSvg(path, Width, Height);
        }
        else
        {
            plot.SavePng(path, Width, Height);
        }
    }

    /// <summary>
    /// One line per distinct metric (the first policy on it), with every threshold on that metric dashed (scale-out) or
    /// dotted (scale-in) and labelled at its value. A metric that reads the same as one drawn before it (CPU and
    /// memory under one demand) is drawn dashed over it and says so in the legend, so that both stay visible.
    /// </summary>
    private static void AddMetrics(ScottPlot.Plot plot, ScalingSpec spec, SimulationResult result, double step, double xEnd)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var shown = new List<(MetricSpec Metric, double Ratio, int Index)>();
        var thresholds = new List<ChartKit.Threshold>();
        for (var i = 0; i < spec.Policies.Length; i++)
        {
            var p = spec.Policies[i];
            if (shown.Any(s => s.Metric == p.Metric && s.Ratio.Equals(p.LoadRatio)))
            {
                continue;
            }

            var twin = shown.FirstOrDefault(s => ChartKit.SameSeries(result.Metric[s.Index], result.Metric[i]));
            shown.Add((p.Metric, p.LoadRatio, i));
            var color = palette.GetColor(shown.Count - 1);
            var line = Line(plot, MinMax(result.Metric[i], step, Width));
            line.Color = color;
            line.LineWidth = twin.Metric is null ? 2f : 2.5f;
            line.LinePattern = twin.Metric is null ? ScottPlot.LinePattern.Solid : ScottPlot.LinePattern.Dashed;
            line.LegendText = DiagnosticText.Escape($"{p.Metric.DisplayName}{(p.Metric.UnitSuffix.Length > 0 ? $" ({p.Metric.UnitSuffix.Trim()})" : string.Empty)}{(twin.Metric is { } same ? $", dashed: = {same.DisplayName}" : string.Empty)}");
            foreach (var t in spec.Policies.Where(q => q.Metric == p.Metric))
            {
                var h = plot.Add.HorizontalLine(t.Alarm.Threshold);
                h.Color = color.WithAlpha(0.8);
                // Scale-out thresholds dashed, scale-in dotted: the gap between them is the no-change band.
                h.LinePattern = t.Side == ScalingSide.ScaleOut ? ScottPlot.LinePattern.Dashed : ScottPlot.LinePattern.Dotted;
                h.LineWidth = 1;
                h.LegendText = DiagnosticText.Escape(ChartKit.Name(t));
                thresholds.Add(new ChartKit.Threshold(t.Alarm.Threshold, ChartKit.Name(t), color));
            }
        }

        ChartKit.LabelThresholds(plot, thresholds, xEnd);
        ChartKit.Gutter(plot, xEnd, Width - 400, thresholds);
    }

    private static ScottPlot.Plottables.Scatter Line(ScottPlot.Plot plot, (double[] Xs, double[] Ys) series) => plot.Add.ScatterLine(series.Xs, series.Ys);

    /// <summary>
    /// A series for a chart <paramref name="columns"/> pixels wide: as it is when it has at most two points per column,
    /// else each column's lowest and highest value, in the order they occur (a column of missing samples stays
    /// missing). Sample <c>i</c> is at <c>x = i × <paramref name="step"/></c>. Time and memory are linear in the samples
    /// and the result has at most <c>2 × columns</c> points.
    /// </summary>
    internal static (double[] Xs, double[] Ys) MinMax(double[] values, double step, int columns)
    {
        var n = values.Length;
        if (n <= 2 * columns)
        {
            return ([.. Enumerable.Range(0, n).Select(i => i * step)], (double[])values.Clone());
        }

        var xs = new List<double>(2 * columns);
        var ys = new List<double>(2 * columns);
        for (var c = 0; c < columns; c++)
        {
            int from = (int)((long)c * n / columns), to = (int)((long)(c + 1) * n / columns);
            int lo = -1, hi = -1;
            for (var i = from; i < to; i++)
            {
                if (double.IsNaN(values[i]))
                {
                    continue;
                }

                lo = lo < 0 || values[i] < values[lo] ? i : lo;
                hi = hi < 0 || values[i] > values[hi] ? i : hi;
            }

            foreach (var i in lo < 0 ? [from] : lo == hi ? [lo] : new[] { Math.Min(lo, hi), Math.Max(lo, hi) })
            {
                xs.Add(i * step);
                ys.Add(lo < 0 ? double.NaN : values[i]);
            }
        }

        return ([.. xs], [.. ys]);
    }
}
