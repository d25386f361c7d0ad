using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using StepScaling.Model;
using StepScaling.Simulation;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary><c>stepscale trace</c>: CloudWatch output (get-metric-data, get-metric-statistics) to the project's CSV trace.</summary>
internal static class TraceCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("file") { Arity = ArgumentArity.OneOrMore, Description = "JSON of `aws cloudwatch get-metric-data` or `get-metric-statistics`; pages as several files." };
        Cli.RejectUnknownOptions(files);
        var output = new Option<string?>("--out", "-o") { Description = "Write the CSV here (default: stdout)." };
        var tasks = TraceInput.TasksOption();
        var stack = new Option<string?>("--stack") { Description = "A stack file: each of its policies gets the column of the metric it watches." };
        var period = TraceInput.PeriodOption();
        var command = new Command("trace", "Turn CloudWatch metrics (get-metric-data, get-metric-statistics) into a demand trace CSV for simulate.")
        {
            files, output, tasks, stack, period,
        };
        command.SetAction(r => Run(r.GetValue(files) ?? [], r.GetValue(output), r.GetValue(tasks), r.GetValue(stack), r.GetValue(period), stdout, stderr));
        return command;
    }

    private static int Run(string[] paths, string? outPath, double? tasks, string? stackPath, int? period, TextWriter stdout, TextWriter stderr)
    {
        if (TraceInput.CheckPeriod(period, stderr) is { } usage)
        {
            return usage;
        }

        if (StackPolicies(stackPath, stderr) is not { } policies)
        {
            return stackPath is not null && File.Exists(stackPath) ? Cli.Invalid : Cli.Usage;
        }

        foreach (var path in paths.Where(File.Exists))
        {
            // trace converts CloudWatch output; a CSV is a trace already.
            var json = TraceInput.Kind(path, stderr);
            if (json == false)
            {
                stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: not JSON; expected {CloudWatchTrace.AcceptedShapes}");
            }

            if (json != true)
            {
                return Cli.Usage;
            }
        }

        var loaded = TraceInput.Load(paths, policies, tasks, stderr, period);
        if (loaded.Trace is not { } trace)
        {
            return loaded.Exit;
        }

        var csv = new StringWriter(CultureInfo.InvariantCulture);
        TraceCsv.Write(trace, csv);
        if (outPath is null)
        {
            stdout.Write(csv.ToString());
        }
        else if (!OutputFile.Write(outPath, csv.ToString(), stderr))
        {
            return Cli.Usage;
        }

        var columns = trace.PolicyDemand.Keys.Order(StringComparer.Ordinal).Select(DiagnosticText.Escape).ToList();
        stderr.WriteLine($"{(outPath is null ? "trace" : $"wrote {DiagnosticText.Escape(outPath)}")}: {trace.Length} samples, {trace.IntervalSeconds} s apart, from {trace.Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}{(columns.Count > 0 ? $"; columns demand, {string.Join(", ", columns)}" : string.Empty)}");
        return Cli.Ok;
    }

    /// <summary>The stack's policies for <c>--stack</c> (empty without one), or null with the reason on stderr.</summary>
    private static ImmutableArray<(string Name, MetricSpec Metric)>? StackPolicies(string? stackPath, TextWriter stderr)
    {
        if (stackPath is null)
        {
            return ImmutableArray<(string, MetricSpec)>.Empty;
        }

        if (StackInput.Load(stackPath, stderr) is not { } file)
        {
            return null;
        }

        var plan = StackInput.PlanOf(file);
        if (plan.Scaling is null)
        {
            StackInput.Report(plan.Diagnostics.Where(d => d.Severity == Severity.Error), stderr);

            stderr.WriteLine($"error: --stack: {DiagnosticText.Escape(stackPath)} has no valid scaling to name the columns after");
            return null;
        }

        return TraceInput.Policies(plan.Scaling);
    }
}
