using StepScaling.Model;
using StepScaling.Simulation;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary>What the simulate and tune charts share: labelled thresholds, scale-event and reversal markers, a legend outside the data.</summary>
internal static class ChartKit
{
    /// <summary>A threshold line to label: where it is, what it is, in which colour.</summary>
    internal readonly record struct Threshold(double Value, string Label, ScottPlot.Color Color);

    /// <summary>
    /// One label per threshold value, just right of the data (<see cref="Gutter"/> keeps room there), naming every line at that value: lines that
    /// coincide (CPU and memory scale-in both at 30 %) are drawn on top of each other, so only the label tells them apart.
    /// </summary>
    public static void LabelThresholds(ScottPlot.Plot plot, IEnumerable<Threshold> thresholds, double xEnd)
    {
        var groups = thresholds.GroupBy(t => t.Value).OrderByDescending(g => g.Key).ToList();
        var near = groups.Count == 0 ? 0 : Math.Abs(groups[0].Key) * 0.08;
        for (var i = 0; i < groups.Count; i++)
        {
            var names = groups[i].Select(t => t.Label).Distinct(StringComparer.Ordinal).ToList();
            var text = plot.Add.Text(DiagnosticText.Escape(string.Join(" · ", names)), xEnd, groups[i].Key);
            // A label sits above its line, unless the line just above is so close that their labels would overlap: then below.
            text.LabelAlignment = i > 0 && groups[i - 1].Key - groups[i].Key < near ? ScottPlot.Alignment.UpperLeft : ScottPlot.Alignment.LowerLeft;
            text.LabelFontSize = 11;
            text.LabelFontColor = names.Count > 1 ? ScottPlot.Colors.Black : groups[i].First().Color;
            text.LabelBackgroundColor = ScottPlot.Colors.White.WithAlpha(0.75);
            text.LabelPadding = 2;
        }
    }

    /// <summary>
    /// Markers on the capacity line: ▲ where a scale-out lands, ▼ where a scale-in does, and a red ring round each
    /// reversal (an action against the direction of the one before, within the flap window), so that a one-minute
    /// event is visible on a day- or year-long axis. At most one marker of a kind per 4 pixel columns.
    /// </summary>
    public static void EventMarkers(ScottPlot.Plot plot, IReadOnlyList<ScaleEvent> events, double unitSeconds, double xStart, double xEnd, int columns, string what = "")
    {
        var outs = new List<ScottPlot.Coordinates>();
        var ins = new List<ScottPlot.Coordinates>();
        var reversals = new List<ScottPlot.Coordinates>();
        var seen = new HashSet<(int Column, int Kind)>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var at = new ScottPlot.Coordinates(e.Seconds / unitSeconds, e.To);
            // A marker is about 9 pixels wide: one of a kind per 4 pixel columns hides nothing a reader could see.
            var column = xEnd > xStart ? (int)((at.X - xStart) / (xEnd - xStart) * columns / 4) : 0;
            var kind = e.To > e.From ? 0 : 1;
            if (seen.Add((column, kind)))
            {
                (kind == 0 ? outs : ins).Add(at);
            }

            if (IsReversal(events, i) && seen.Add((column, 2)))
            {
                reversals.Add(at);
            }
        }

        Markers(plot, outs, ScottPlot.MarkerShape.FilledTriangleUp, 9, ScottPlot.Colors.DarkGreen, $"scale-out{what} ({Cli.Count(events.Count(e => e.To > e.From), "action")})");
        Markers(plot, ins, ScottPlot.MarkerShape.FilledTriangleDown, 9, ScottPlot.Colors.Purple, $"scale-in{what} ({Cli.Count(events.Count(e => e.To < e.From), "action")})");
        Markers(plot, reversals, ScottPlot.MarkerShape.OpenCircle, 16, ScottPlot.Colors.Red, $"reversal ≤ {SimulationOptions.DefaultFlapWindowSeconds / 60} min{what} ({Enumerable.Range(0, events.Count).Count(i => IsReversal(events, i))})");
    }

    /// <summary>Whether event <paramref name="i"/> turns back the one before it within the flap window, as the simulator counts flaps.</summary>
    internal static bool IsReversal(IReadOnlyList<ScaleEvent> events, int i) =>
        i > 0 && Math.Sign(events[i].To - events[i].From) != Math.Sign(events[i - 1].To - events[i - 1].From)
        && events[i].Seconds - events[i - 1].Seconds <= SimulationOptions.DefaultFlapWindowSeconds;

    private static void Markers(ScottPlot.Plot plot, List<ScottPlot.Coordinates> at, ScottPlot.MarkerShape shape, float size, ScottPlot.Color color, string label)
    {
        if (at.Count == 0)
        {
            return;
        }

        var markers = plot.Add.Markers(at, shape, size, color);
        markers.LegendText = label;
        markers.Axes.YAxis = plot.Axes.Right;
    }

    /// <summary>Whether a series reads the same as another at every sample (CPU and memory under one demand), so that its line would hide the other's.</summary>
    public static bool SameSeries(double[] a, double[] b) =>
        a.Length == b.Length && a.Zip(b).All(p => p.First.Equals(p.Second) || Math.Abs(p.First - p.Second) <= 1e-9 * Math.Max(1, Math.Abs(p.First)));

    /// <summary>The x-axis from 0 to the end of the data plus a gutter on the right where the threshold labels sit, over no data.</summary>
    public static void Gutter(ScottPlot.Plot plot, double xStart, double xEnd, int columns, IEnumerable<Threshold> thresholds)
    {
        // About 7 pixels a character at the label's size; at most a third of the width.
        var chars = thresholds.GroupBy(t => t.Value).Select(g => string.Join(" · ", g.Select(t => t.Label).Distinct(StringComparer.Ordinal)).Length).DefaultIfEmpty(0).Max();
        var share = Math.Min(1.0 / 3, (chars * 7.0 + 12) / columns);
        var span = xEnd - xStart;
        plot.Axes.SetLimitsX(xStart - (span * 0.01), xStart + (span / (1 - share)));
    }

    /// <summary>The legend in its own panel right of the plot, where it hides no data.</summary>
    public static void LegendOutside(ScottPlot.Plot plot)
    {
        plot.ShowLegend(ScottPlot.Edge.Right);
        plot.Legend.FontSize = 10;
    }

    /// <summary>Draws panels one above the other into one PNG or SVG; ScottPlot clears what it may draw on, so each panel gets its own clip.</summary>
    public static void Save(string path, int width, IReadOnlyList<(ScottPlot.Plot Plot, int Height)> panels)
    {
        var height = panels.Sum(p => p.Height);
        void Draw(SkiaSharp.SKCanvas canvas)
        {
            var top = 0;
            foreach (var (plot, h) in panels)
            {
                canvas.Save();
                canvas.ClipRect(new SkiaSharp.SKRect(0, top, width, top + h));
                canvas.Translate(0, top);
                plot.Render(canvas, width, h);
                canvas.Restore();
                top += h;
            }
        }

        using var stream = File.Create(path);
        if (ChartOutput.IsSvg(path))
        {
            using var svg = SkiaSharp.SKSvgCanvas.Create(new SkiaSharp.SKRect(0, 0, width, height), stream);
            Draw(svg);
        }
        else
        {
            using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(width, height));
            Draw(surface.Canvas);
            using var image = surface.Snapshot();
            using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
            data.SaveTo(stream);
        }
    }

    /// <summary>The policy label of a threshold: <c>cpu-in &lt; 30</c>.</summary>
    public static string Name(StepPolicy p) => $"{p.Name} {p.Alarm.ComparisonOperator.Symbol()} {Num.Format(p.Alarm.Threshold)}";
}
