using System.CommandLine;
using System.Text;
using StepScaling.Simulation;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary><c>stepscale traces</c>: the bundled sample traces as CSV files.</summary>
internal static class TracesCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var outDir = new Option<string>("--out", "-o") { Description = "The folder to write the samples to.", DefaultValueFactory = _ => "samples/traces" };
        var traces = new Command("traces", "Write the bundled sample traces (steady, spike, diurnal, bursty) as CSV; deterministic.") { outDir };
        traces.SetAction(r => Write(r.GetValue(outDir)!, stdout, stderr));
        return traces;
    }

    private static int Write(string dir, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            Directory.CreateDirectory(dir);
            foreach (var name in SampleTraces.Names)
            {
                var path = Path.Combine(dir, $"{name}.csv");
                using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
                TraceCsv.Write(SampleTraces.Generate(name), writer);
                stdout.WriteLine($"wrote {DiagnosticText.Escape(path)}");
            }

            return Cli.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(dir)}: cannot write: {DiagnosticText.Escape(e.Message)}");
            return Cli.Usage;
        }
    }
}
