using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary>Chart paths and writing, for every command with <c>--chart</c>.</summary>
internal static class ChartOutput
{
    /// <summary>The <c>--chart</c> option; <paramref name="what"/> says what the chart shows.</summary>
    public static System.CommandLine.Option<string?> Option(string what = "") => new("--chart", "-c")
    {
        Description = $"Write a chart{what}: a path ending in .svg or .png.",
    };

    /// <summary>The usage problem with a <c>--chart</c> path (it must end in .svg or .png), or null; <paramref name="path"/> is escaped here.</summary>
    public static string? Problem(string? path) =>
        path is not null && !path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
            ? $"--chart: the path must end in .svg or .png; got '{DiagnosticText.Escape(path)}'"
            : null;

    /// <summary>True when the chart goes to SVG, else PNG.</summary>
    public static bool IsSvg(string path) => path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Draws a chart to <paramref name="path"/>, creating its folder (like <c>traces --out</c>: <c>--chart out/dev.png</c>
    /// works on a fresh clone), and says so; the exit code (2 when it cannot be written, with the reason).
    /// </summary>
    public static int Write(string path, Action<string> draw, TextWriter stderr)
    {
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            draw(path);
            stderr.WriteLine($"chart written to {DiagnosticText.Escape(path)}");
            return Cli.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: cannot write the chart: {DiagnosticText.Escape(e.Message)}");
            return Cli.Usage;
        }
    }
}
