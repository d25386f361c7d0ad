using System.Globalization;
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
    /// <summary>The chart's size in pixels; <see cref="ZoomHeight"/> more when a panel below zooms on the busiest part.</summary>
    public const int Width = 1400, Height = 700, ZoomHeight = 480;

    /// <summary>The longest stretch the zoom panel shows: six hours, where minutes-apart events stand apart.</summary>
    private const int ZoomSeconds = 6 * 3600;

    /// <summary>The data columns of a panel: its width less the axes and the legend beside it.</summary>
    private const int DataColumns = Width - 400;

    /// <summary>A stretch of the trace drawn in one panel: samples [From, To), x in units of <c>UnitSeconds</c> since the trace's start.</summary>
    private sealed record View(int From, int To, int IntervalSeconds, double UnitSeconds, string UnitName)
    {
        public double Step => IntervalSeconds / UnitSeconds;

        public double XStart => From * Step;

        public double XEnd => To * Step;

        /// <summary>Hours for a day-long stretch, minutes for a short one: ticks a person reads at a glance.</summary>
        public static View Of(int from, int to, int interval)
        {
            var seconds = (double)(to - from) * interval;
            return seconds < 3 * 3600 ? new View(from, to, interval, 60, "minutes") : new View(from, to, interval, 3600, "hours");
        }

        /// <summary>The stretch of a series, downsampled to the panel's columns (<see cref="MinMax"/>) and placed on the time axis.</summary>
        public (double[] Xs, double[] Ys) Series(double[] values)
        {
            var (xs, ys) = MinMax(values[From..Math.Min(To, values.Length)], Step, Width);
            return ([.. xs.Select(x => x + XStart)], ys);
        }
    }

    public static void Write(string path, StackPlan plan, ScalingSpec spec, DemandTrace trace, SimulationResult result)
    {
        var whole = View.Of(0, trace.Length, trace.IntervalSeconds);
        var main = Panel(spec, trace, result, whole);
        // The stack name comes from the file name: escaped like every other byte from input (SVG cannot hold control characters).
        main.Title($"{DiagnosticText.Escape(plan.Stack)}: {Cli.Count(result.Summary.ScaleActions, "scale action")}, {Cli.Count(result.Summary.Flaps, "flap")}, {result.Summary.TaskMinutes:0} task-minutes");
        if (Busiest(result.Events, trace) is not { } zoom)
        {
            ChartKit.Save(path, Width, [(main, Height)]);
            return;
        }

        var detail = Panel(spec, trace, result, zoom);
        var events = result.Events.Count(e => e.Seconds >= zoom.From * trace.IntervalSeconds && e.Seconds < zoom.To * trace.IntervalSeconds);
        detail.Title($"zoom on the busiest part: {Cli.Count(events, "scale action")} from {zoom.XStart.ToString("0.#", CultureInfo.InvariantCulture)} to {zoom.XEnd.ToString("0.#", CultureInfo.InvariantCulture)} {zoom.UnitName}");
        ChartKit.Save(path, Width, [(main, Height), (detail, ZoomHeight)]);
    }

    /// <summary>
    /// The stretch with the most scale events, an eighth of the trace and at most <see cref="ZoomSeconds"/> (60 samples
    /// at least), when the trace is long enough for events to crowd together on the whole axis (8 × 60 samples); else null.
    /// </summary>
    private static View? Busiest(IReadOnlyList<ScaleEvent> events, DemandTrace trace)
    {
        var window = Math.Min(trace.Length / 8, Math.Max(60, ZoomSeconds / trace.IntervalSeconds));
        if (events.Count == 0 || window < 60)
        {
            return null;
        }

        // Events are in time order: a sliding window finds the start with the most events in one pass.
        var starts = events.Select(e => e.Seconds / trace.IntervalSeconds).ToList();
        int best = starts[0], most = 0;
        for (int first = 0, last = 0; first < starts.Count; first++)
        {
            while (last < starts.Count && starts[last] < starts[first] + window)
            {
                last++;
            }

            if (last - first > most)
            {
                (best, most) = (starts[first], last - first);
            }
        }

        // A little before the first event, so that what led to it shows.
        var from = Math.Clamp(best - (window / 8), 0, trace.Length - window);
        return View.Of(from, from + window, trace.IntervalSeconds);
    }

    /// <summary>One panel: metrics with labelled thresholds and demand on the left axis, unserved demand, capacity and its events on the right.</summary>
    private static ScottPlot.Plot Panel(ScalingSpec spec, DemandTrace trace, SimulationResult result, View view)
    {
        var plot = new ScottPlot.Plot();
        AddMetrics(plot, spec, result, view);
        var demand = Line(plot, view.Series(trace.Demand));
        demand.Color = ScottPlot.Colors.Gray.WithAlpha(0.6);
        demand.LineWidth = 1;
        demand.LegendText = "demand (metric units × tasks)";

        // Demand beyond what the running tasks reserved (CPU or memory pinned at 100 %), shaded in tasks' worth.
        var peakUnserved = result.Unserved.Length > 0 ? result.Unserved.Max() : 0;
        if (peakUnserved > 0)
        {
            var (xs, ys) = view.Series(result.Unserved);
            var unserved = plot.Add.FillY(xs, new double[xs.Length], ys);
            unserved.FillColor = ScottPlot.Colors.Red.WithAlpha(0.3);
            unserved.LineColor = ScottPlot.Colors.Red.WithAlpha(0.6);
            unserved.LegendText = $"unserved demand (tasks' worth, right axis): {result.Summary.UnservedTaskMinutes:0.#} task-minutes";
            unserved.Axes.YAxis = plot.Axes.Right;
        }

        var capacity = Line(plot, view.Series([.. result.Capacity.Select(c => (double)c)]));
        capacity.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        capacity.Color = ScottPlot.Colors.Black;
        capacity.LineWidth = 2.5f;
        capacity.LegendText = "capacity (tasks, right axis)";
        capacity.Axes.YAxis = plot.Axes.Right;
        var inView = result.Events.Where(e => e.Seconds >= view.From * trace.IntervalSeconds && e.Seconds < view.To * trace.IntervalSeconds).ToList();
        ChartKit.EventMarkers(plot, inView, view.UnitSeconds, view.XStart, view.XEnd, DataColumns);

        plot.XLabel($"{view.UnitName} since trace start");
        plot.YLabel("metric / demand");
        plot.Axes.Right.Label.Text = "tasks";
        plot.Axes.SetLimitsY(0, Math.Max(Math.Max(spec.MaxCapacity + 1, 2), Math.Ceiling(peakUnserved) + 1), plot.Axes.Right);
        plot.Axes.Right.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        ChartKit.LegendOutside(plot);
        return plot;
    }

    /// <summary>
    /// One line per distinct metric (the first policy on it), with every threshold on that metric dashed (scale-out) or
    /// dotted (scale-in) and labelled at its value. A metric that reads the same as one drawn before it (CPU and
    /// memory under one demand) is drawn dashed over it and says so in the legend, so that both stay visible.
    /// </summary>
    private static void AddMetrics(ScottPlot.Plot plot, ScalingSpec spec, SimulationResult result, View view)
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
            var line = Line(plot, view.Series(result.Metric[i]));
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

        ChartKit.LabelThresholds(plot, thresholds, view.XEnd);
        ChartKit.Gutter(plot, view.XStart, view.XEnd, DataColumns, thresholds);
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
