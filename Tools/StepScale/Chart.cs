using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Simulation;

namespace StepScale.Cli;

/// <summary>Draws a simulation with ScottPlot: metric and thresholds on the left axis, capacity on the right.</summary>
internal static class Chart
{
    public static void Write(string path, StackPlan plan, ScalingSpec spec, DemandTrace trace, SimulationResult result)
    {
        var plot = new ScottPlot.Plot();
        // Hours for a day-long trace, minutes for a short one: ticks a person reads at a glance.
        var totalSeconds = (double)trace.Length * trace.IntervalSeconds;
        var (unitSeconds, unitName) = totalSeconds < 3 * 3600 ? (60.0, "minutes") : (3600.0, "hours");
        var hours = Enumerable.Range(0, trace.Length).Select(i => i * (double)trace.IntervalSeconds / unitSeconds).ToArray();

        // One line per distinct metric (the first policy on it), with every threshold on that metric dashed.
        var palette = new ScottPlot.Palettes.Category10();
        var shown = new List<(MetricSpec Metric, double Ratio)>();
        for (var i = 0; i < spec.Policies.Length; i++)
        {
            var p = spec.Policies[i];
            if (shown.Any(s => s.Metric == p.Metric && s.Ratio.Equals(p.LoadRatio)))
            {
                continue;
            }

            shown.Add((p.Metric, p.LoadRatio));
            var color = palette.GetColor(shown.Count - 1);
            var line = plot.Add.ScatterLine(hours, result.Metric[i]);
            line.Color = color;
            // Metrics that read alike (CPU and memory under one demand) overlap: each later one is drawn thinner, on top.
            line.LineWidth = Math.Max(1f, 3f - shown.Count + 1);
            line.LegendText = $"{p.Metric.DisplayName}{(p.Metric.UnitSuffix.Length > 0 ? $" ({p.Metric.UnitSuffix.Trim()})" : string.Empty)}";
            foreach (var t in spec.Policies.Where(q => q.Metric == p.Metric))
            {
                var h = plot.Add.HorizontalLine(t.Alarm.Threshold);
                h.Color = color.WithAlpha(0.8);
                // Scale-out thresholds dashed, scale-in dotted: the gap between them is the no-change band.
                h.LinePattern = t.Side == ScalingSide.ScaleOut ? ScottPlot.LinePattern.Dashed : ScottPlot.LinePattern.Dotted;
                h.LineWidth = 1;
                h.LegendText = $"{t.Name} {t.Alarm.ComparisonOperator.Symbol()} {Num.Format(t.Alarm.Threshold)}";
            }
        }

        var demand = plot.Add.ScatterLine(hours, trace.Demand);
        demand.Color = ScottPlot.Colors.Gray.WithAlpha(0.6);
        demand.LineWidth = 1;
        demand.LegendText = "demand (metric units × tasks)";

        // Demand beyond what the running tasks reserved (CPU or memory pinned at 100 %), shaded in tasks' worth.
        var peakUnserved = result.Unserved.Length > 0 ? result.Unserved.Max() : 0;
        if (peakUnserved > 0)
        {
            var unserved = plot.Add.FillY(hours, new double[hours.Length], result.Unserved);
            unserved.FillColor = ScottPlot.Colors.Red.WithAlpha(0.3);
            unserved.LineColor = ScottPlot.Colors.Red.WithAlpha(0.6);
            unserved.LegendText = $"unserved demand (tasks' worth, right axis): {result.Summary.UnservedTaskMinutes:0.#} task-minutes";
            unserved.Axes.YAxis = plot.Axes.Right;
        }

        var capacity = plot.Add.ScatterLine(hours, result.Capacity.Select(c => (double)c).ToArray());
        capacity.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        capacity.Color = ScottPlot.Colors.Black;
        capacity.LineWidth = 2.5f;
        capacity.LegendText = "capacity (tasks, right axis)";
        capacity.Axes.YAxis = plot.Axes.Right;

        plot.Title($"{plan.Stack}: {Cli.Count(result.Summary.ScaleActions, "scale action")}, {Cli.Count(result.Summary.Flaps, "flap")}, {result.Summary.TaskMinutes:0} task-minutes");
        plot.XLabel($"{unitName} since trace start");
        plot.YLabel("metric / demand");
        plot.Axes.Right.Label.Text = "tasks";
        plot.Axes.SetLimitsY(0, Math.Max(Math.Max(spec.MaxCapacity + 1, 2), Math.Ceiling(peakUnserved) + 1), plot.Axes.Right);
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
