using System.CommandLine;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StepScaling.Import;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Simulation;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary>
/// Trace files for <c>simulate --trace</c> (and any command that replays demand): the project's CSV, or CloudWatch
/// output (get-metric-data, get-metric-statistics; pages as several files), recognised by content.
/// </summary>
internal static class TraceInput
{
    /// <summary>A trace loaded, or the exit code that explains why not (the messages are already on stderr).</summary>
    internal sealed record Loaded(DemandTrace? Trace, string Name, int Exit);

    /// <summary>The <c>--tasks</c> option: a fixed task count for per-task CloudWatch metrics without RunningTaskCount.</summary>
    public static Option<double?> TasksOption() => new("--tasks")
    {
        Description = "CloudWatch traces: running tasks to multiply a per-task metric by when there is no RunningTaskCount series (a guess; a warning says so).",
    };

    /// <summary>Loads one CSV trace, or CloudWatch JSON from one or more files.</summary>
    /// <param name="paths">The files.</param>
    /// <param name="policies">The stack's policies, to give each the column of its metric; empty without a stack.</param>
    /// <param name="tasks">The fixed task count, if given.</param>
    /// <param name="stderr">Where messages go.</param>
    public static Loaded Load(IReadOnlyList<string> paths, ImmutableArray<(string Name, MetricSpec Metric)> policies, double? tasks, TextWriter stderr)
    {
        var texts = new List<(string Source, string Text)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                stderr.WriteLine($"error: {path}: is a directory, not a trace");
                return new Loaded(null, path, Cli.Usage);
            }

            try
            {
                texts.Add((Path.GetFileName(path), File.ReadAllText(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: cannot read the trace: {DiagnosticText.Escape(e.Message)}");
                return new Loaded(null, path, Cli.Usage);
            }
        }

        var name = string.Join(", ", paths);
        var json = texts.Select(t => CloudWatchTrace.LooksLikeJson(t.Text)).ToList();
        if (!json.Contains(true))
        {
            if (texts.Count > 1)
            {
                stderr.WriteLine($"error: {name}: a CSV trace is one file; several files are only read as pages of CloudWatch JSON output");
                return new Loaded(null, name, Cli.Usage);
            }

            using var reader = new StringReader(texts[0].Text);
            var (loaded, errors) = TraceCsv.Read(reader, texts[0].Source);
            foreach (var e in errors)
            {
                stderr.WriteLine(e.ToString());
            }

            if (tasks is not null)
            {
                stderr.WriteLine("warning: --tasks: applies to CloudWatch traces only; a CSV trace is demand already");
            }

            return new Loaded(loaded, paths[0], loaded is null ? Cli.Invalid : Cli.Ok);
        }

        if (json.Contains(false))
        {
            stderr.WriteLine($"error: {string.Join(", ", texts.Where((_, i) => !json[i]).Select(t => t.Source))}: not JSON, among CloudWatch JSON files; give either one CSV trace or CloudWatch output files");
            return new Loaded(null, name, Cli.Usage);
        }

        var (trace, findings) = CloudWatchTrace.Read(texts, new CloudWatchTraceOptions { Tasks = tasks, Policies = policies });
        foreach (var f in findings)
        {
            stderr.WriteLine(f.ToString());
        }

        // A file that is not CloudWatch output is unreadable input (2); data that cannot make a trace is invalid (1).
        var shape = findings.Any(f => f.Level == ImportLevel.Error && (f.Message.Contains(CloudWatchTrace.AcceptedShapes, StringComparison.Ordinal)));
        return new Loaded(trace, name, trace is not null ? Cli.Ok : shape ? Cli.Usage : Cli.Invalid);
    }

    /// <summary>The stack's policies as (config name, metric), one per config policy.</summary>
    public static ImmutableArray<(string Name, MetricSpec Metric)> Policies(ScalingSpec? spec) =>
        spec is null ? [] : [.. spec.Policies.DistinctBy(p => p.SourceName).Select(p => (p.SourceName, p.Metric))];

    /// <summary><c>stepscale trace</c>: CloudWatch output to the project's CSV.</summary>
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("file") { Arity = ArgumentArity.OneOrMore, Description = "JSON of `aws cloudwatch get-metric-data` or `get-metric-statistics`; pages as several files." };
        Cli.RejectUnknownOptions(files);
        var output = new Option<string?>("--out", "-o") { Description = "Write the CSV here (default: stdout)." };
        var tasks = TasksOption();
        var stack = new Option<string?>("--stack") { Description = "A stack file: each of its policies gets the column of the metric it watches." };
        var command = new Command("trace", "Turn CloudWatch metrics (get-metric-data, get-metric-statistics) into a demand trace CSV for simulate.")
        {
            files, output, tasks, stack,
        };
        command.SetAction(r => Convert(r.GetValue(files) ?? [], r.GetValue(output), r.GetValue(tasks), r.GetValue(stack), stdout, stderr));
        return command;
    }

    private static int Convert(string[] paths, string? outPath, double? tasks, string? stackPath, TextWriter stdout, TextWriter stderr)
    {
        var policies = ImmutableArray<(string, MetricSpec)>.Empty;
        if (stackPath is not null)
        {
            if (Cli.Load(stackPath, stderr) is not { } file)
            {
                return Cli.Usage;
            }

            var plan = StackPlanner.Plan(file);
            if (plan.Scaling is null)
            {
                foreach (var d in plan.Diagnostics.Where(d => d.Severity == Severity.Error))
                {
                    stderr.WriteLine(d.ToString());
                }

                stderr.WriteLine($"error: --stack: {stackPath} has no valid scaling to name the columns after");
                return Cli.Invalid;
            }

            policies = Policies(plan.Scaling);
        }

        foreach (var path in paths.Where(File.Exists))
        {
            // trace converts CloudWatch output; a CSV is a trace already.
            if (!CloudWatchTrace.LooksLikeJson(File.ReadAllText(path)))
            {
                stderr.WriteLine($"error: {path}: not JSON; expected {CloudWatchTrace.AcceptedShapes}");
                return Cli.Usage;
            }
        }

        var loaded = Load(paths, policies, tasks, stderr);
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
        else
        {
            try
            {
                if (Path.GetDirectoryName(Path.GetFullPath(outPath)) is { } folder)
                {
                    Directory.CreateDirectory(folder);
                }

                File.WriteAllText(outPath, csv.ToString(), new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {DiagnosticText.Escape(outPath)}: cannot write: {DiagnosticText.Escape(e.Message)}");
                return Cli.Usage;
            }
        }

        var columns = trace.PolicyDemand.Keys.Order(StringComparer.Ordinal).ToList();
        stderr.WriteLine($"{(outPath is null ? "trace" : $"wrote {outPath}")}: {trace.Length} samples, {trace.IntervalSeconds} s apart, from {trace.Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}{(columns.Count > 0 ? $"; columns demand, {string.Join(", ", columns)}" : string.Empty)}");
        return Cli.Ok;
    }
}
