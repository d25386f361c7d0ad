using System.CommandLine;
using System.Collections.Immutable;
using StepScaling.Model;
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
    /// <param name="Trace">The trace, or null.</param>
    /// <param name="Name">The file names, escaped for output.</param>
    /// <param name="Exit">The exit code when there is no trace.</param>
    /// <param name="TasksAtStart">CloudWatch input with RunningTaskCount: the tasks running at the trace's first sample.</param>
    internal sealed record Loaded(DemandTrace? Trace, string Name, int Exit, double? TasksAtStart = null);

    /// <summary>The <c>--tasks</c> option: a fixed task count for per-task CloudWatch metrics without RunningTaskCount.</summary>
    public static Option<double?> TasksOption() => new("--tasks")
    {
        Description = "CloudWatch traces: running tasks to multiply a per-task metric by when there is no RunningTaskCount series (a guess; a warning says so).",
    };

    /// <summary>Loads one CSV trace (streamed, held to the sample cap), or CloudWatch JSON from one or more files.</summary>
    /// <param name="paths">The files.</param>
    /// <param name="policies">The stack's policies, to give each the column of its metric; empty without a stack.</param>
    /// <param name="tasks">The fixed task count, if given.</param>
    /// <param name="stderr">Where messages go.</param>
    /// <param name="period">CloudWatch input: the query's period, datapoints within one combined.</param>
    public static Loaded Load(IReadOnlyList<string> paths, ImmutableArray<(string Name, MetricSpec Metric)> policies, double? tasks, TextWriter stderr, int? period = null)
    {
        var name = DiagnosticText.Escape(string.Join(", ", paths));
        var kinds = new List<bool>();
        foreach (var path in paths)
        {
            if (Kind(path, stderr) is not { } json)
            {
                return new Loaded(null, name, Cli.Usage);
            }

            kinds.Add(json);
        }

        if (!kinds.Contains(true))
        {
            if (paths.Count > 1)
            {
                stderr.WriteLine($"error: {name}: a CSV trace is one file; several files are only read as pages of CloudWatch JSON output");
                return new Loaded(null, name, Cli.Usage);
            }

            return LoadCsv(paths[0], (tasks, period), stderr);
        }

        if (kinds.Contains(false))
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(string.Join(", ", paths.Where((_, i) => !kinds[i]).Select(Path.GetFileName)))}: not JSON, among CloudWatch JSON files; give either one CSV trace or CloudWatch output files");
            return new Loaded(null, name, Cli.Usage);
        }

        return LoadJson(paths, policies, tasks, period, stderr) with { Name = name };
    }

    /// <summary>Whether a trace file is JSON (by its first characters), or null with the reason on stderr.</summary>
    internal static bool? Kind(string path, TextWriter stderr)
    {
        if (Directory.Exists(path))
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: is a directory, not a trace");
            return null;
        }

        try
        {
            using var reader = new StreamReader(path);
            var head = new char[4096];
            var json = CloudWatchTrace.LooksLikeJson(new string(head, 0, reader.ReadBlock(head)));
            if (json && new FileInfo(path).Length > TraceLimits.MaxJsonBytes)
            {
                stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: is {new FileInfo(path).Length} bytes, more than the {TraceLimits.MaxJsonBytes} a CloudWatch JSON file may hold; split the query into pages");
                return null;
            }

            return json;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: cannot read the trace: {DiagnosticText.Escape(e.Message)}");
            return null;
        }
    }

    /// <summary>A CSV trace, streamed: a file beyond the sample cap stops with an error before it is all held.</summary>
    private static Loaded LoadCsv(string path, (double? Tasks, int? Period) cloudWatchOnly, TextWriter stderr)
    {
        var name = DiagnosticText.Escape(path);
        DemandTrace? loaded;
        try
        {
            using var reader = new StreamReader(path);
            var (trace, errors) = TraceCsv.Read(reader, Path.GetFileName(path));
            foreach (var e in errors)
            {
                stderr.WriteLine(e.ToString());
            }

            loaded = trace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {name}: cannot read the trace: {DiagnosticText.Escape(e.Message)}");
            return new Loaded(null, name, Cli.Usage);
        }

        if (cloudWatchOnly.Tasks is not null)
        {
            stderr.WriteLine("warning: --tasks: applies to CloudWatch traces only; a CSV trace is demand already");
        }

        if (cloudWatchOnly.Period is not null)
        {
            stderr.WriteLine("warning: --period: applies to CloudWatch traces only; a CSV trace is evenly spaced already");
        }

        return new Loaded(loaded, name, loaded is null ? Cli.Invalid : Cli.Ok);
    }

    /// <summary>CloudWatch JSON files as one trace; every finding printed, escaped.</summary>
    private static Loaded LoadJson(IReadOnlyList<string> paths, ImmutableArray<(string Name, MetricSpec Metric)> policies, double? tasks, int? period, TextWriter stderr)
    {
        var texts = new List<(string Source, string Text)>();
        foreach (var path in paths)
        {
            try
            {
                texts.Add((Path.GetFileName(path), File.ReadAllText(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: cannot read the trace: {DiagnosticText.Escape(e.Message)}");
                return new Loaded(null, string.Empty, Cli.Usage);
            }
        }

        var (trace, findings, tasksAtStart) = CloudWatchTrace.ReadWithTasks(texts, new CloudWatchTraceOptions { Tasks = tasks, Policies = policies, PeriodSeconds = period });
        foreach (var f in findings)
        {
            stderr.WriteLine(CliFindings.Line(f));
        }

        // A file that is not CloudWatch output is unreadable input (2); data that cannot make a trace is invalid (1).
        var shape = findings.Any(CliFindings.IsUsageError);
        return new Loaded(trace, string.Empty, trace is not null ? Cli.Ok : shape ? Cli.Usage : Cli.Invalid, tasksAtStart);
    }

    /// <summary>The stack's policies as (config name, metric), one per config policy.</summary>
    public static ImmutableArray<(string Name, MetricSpec Metric)> Policies(ScalingSpec? spec) =>
        spec is null ? [] : [.. spec.Policies.DistinctBy(p => p.SourceName).Select(p => (p.SourceName, p.Metric))];

    /// <summary>The <c>--period</c> option: the query's period, datapoints less than one apart combined by the statistic.</summary>
    public static Option<int?> PeriodOption() => new("--period")
    {
        Description = "CloudWatch traces: the query's period in seconds (1 to 86400); datapoints less than a period apart are combined by the metric's statistic, with a note. Default: whole seconds.",
    };

    /// <summary>The exit code when <c>--period</c> is out of range (the message on stderr), else null.</summary>
    internal static int? CheckPeriod(int? period, TextWriter stderr)
    {
        if (period is >= 1 and <= 86_400 or null)
        {
            return null;
        }

        stderr.WriteLine($"error: --period: must be a whole number of seconds from 1 to 86400; got {period}");
        return Cli.Usage;
    }
}
