using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Rendering;
using StepScaling.Simulation;
using StepScaling.Tuning;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary><c>stepscale tune</c>: recommend step-scaling settings that hold on all the data, show the trade-offs, race target tracking.</summary>
internal static class TuneCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("stack-file") { Description = "A Pulumi.<stack>.yaml file: its scaling is the baseline." };
        Cli.RejectUnknownOptions(file);
        var o = new TuneOptions();
        var tune = new Command("tune", "Recommend step-scaling settings for a demand: loop-free, no worse than the stack on service and churn on every trace, cheapest; cross-validated, stress-tested, raced against target tracking.");
        tune.Add(file);
        foreach (var option in o.All)
        {
            tune.Add(option);
        }

        // Progress only when stderr is the real terminal: never into a file, a pipe or a test's writer.
        var interactive = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        tune.SetAction(r => Tune(o.Read(r, r.GetValue(file)!), stdout, stderr, interactive));
        return tune;
    }

    private static int Tune(TuneRequest q, TextWriter stdout, TextWriter stderr, bool interactive)
    {
        if (q.Problem() is { } usage)
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(usage)}");
            return Cli.Usage;
        }

        // The stack name is escaped where each output writes it (the report, the chart).
        if (StackInput.Open(q.Path, stderr, escapeName: false) is not { } stack)
        {
            return Cli.Usage;
        }

        var (spec, definition, scalingJson, refused) = Baseline(stack, q, stderr);
        if (spec is null || definition is null)
        {
            return refused;
        }

        var named = new List<NamedTrace>();
        foreach (var path in q.Traces)
        {
            var (trace, exit) = LoadTrace(path, spec, q.Tasks, stderr);
            if (trace is null)
            {
                return exit;
            }

            named.Add(new NamedTrace(DiagnosticText.Escape(Path.GetFileName(path)), trace));
        }

        var progress = interactive && !q.Quiet ? new ProgressLine(stderr) : null;
        TuningResult result;
        try
        {
            result = Tuner.Tune(definition, stack.Plan.AlarmNamePrefix, named, q.Options(progress is null ? null : progress.Report));
        }
        catch (TargetNeededException)
        {
            stderr.WriteLine("error: The stack has no per-task scale-out policy to take a target from; give --target.");
            return Cli.Usage;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(e.Message.Split(" (Parameter", 2)[0])}");
            return Cli.Usage;
        }

        progress?.Done();
        return Write(stack.Plan, q, result, stack.File.Project, scalingJson, stdout, stderr);
    }

    private static int Write(StackPlan plan, TuneRequest q, TuningResult result, string project, string? scalingJson, TextWriter stdout, TextWriter stderr)
    {
        var comparison = TuningReport.Compare(result);
        var yaml = TuningYaml.ScalingBlock(project, scalingJson ?? "{}", result.Recommended, result.TunedPolicies);
        foreach (var note in TuneReport.Notes(result, TuneRequest.Words))
        {
            stderr.WriteLine($"note: {DiagnosticText.Escape(note)}");
        }

        var report = new TuneReport(plan, q.ReportSettings(), result, comparison, yaml);
        stdout.Write(q.Format switch
        {
            "json" => report.Json() + Environment.NewLine,
            "yaml" => yaml,
            "markdown" => report.Markdown(),
            _ => report.Text(),
        });

        var chart = q.Chart is null ? Cli.Ok : ChartOutput.Write(q.Chart, path => TuneChart.Write(path, DiagnosticText.Escape(plan.Stack), result, comparison), stderr);
        return chart != Cli.Ok ? chart : result.Supported ? Cli.Ok : Cli.Invalid;
    }

    /// <summary>The baseline's spec, definition and raw scaling block; null (after saying why) when the stack cannot be tuned.</summary>
    private static (ScalingSpec? Spec, ScalingDefinition? Definition, string? Json, int Exit) Baseline(LoadedStack stack, TuneRequest q, TextWriter stderr)
    {
        var plan = stack.Plan;
        // Loops in the baseline are what tuning fixes: they are notes here (and a finding in the report), not reasons to stop.
        var blocking = plan.Diagnostics.Where(d => d.Severity == Severity.Error && !stack.IsFlapFinding(d)).ToList();
        foreach (var d in stack.Findings(WarningScope.Result, q.AllWarnings).Where(d => !d.IsAcknowledged))
        {
            stderr.WriteLine(blocking.Contains(d) || d.Severity == Severity.Warning ? d.ToString() : $"note: baseline: {d.Path}: {d.Message}");
        }

        if (blocking.Count > 0 || plan.Scaling is not { } spec || plan.Config?.Scaling is not { } definition || !stack.File.Values.TryGetValue("scaling", out var scalingJson))
        {
            stderr.WriteLine(plan.Config is { Scaling: null } && blocking.Count == 0
                ? $"error: {DiagnosticText.Escape(q.Path)}: scaling is off; there is nothing to tune"
                : $"error: {DiagnosticText.Escape(q.Path)}: the stack has errors; fix them before tuning");
            return (null, null, null, Cli.Invalid);
        }

        var unknown = q.Policies.Where(p => !definition.Policies.Any(d => d.Name == p)).ToList();
        if (unknown.Count > 0)
        {
            stderr.WriteLine($"error: --policy: no policy named {DiagnosticText.Escape(string.Join(", ", unknown.Select(u => $"'{u}'")))} in {DiagnosticText.Escape(q.Path)}; its policies are {string.Join(", ", definition.Policies.Select(d => d.Name))}");
            return (null, null, null, Cli.Usage);
        }

        return (spec, definition, scalingJson, Cli.Ok);
    }

    private static (DemandTrace? Trace, int Exit) LoadTrace(string path, ScalingSpec spec, double? tasks, TextWriter stderr)
    {
        // A CSV trace or CloudWatch JSON (get-metric-data, get-metric-statistics), recognised by content, as simulate reads it.
        var loaded = TracePreparation.Load([path], spec, tasks, stderr);
        if (loaded.Trace is not { } demand)
        {
            return (null, loaded.Exit);
        }

        var name = DiagnosticText.Escape(path);
        TracePreparation.WarnUnknownColumns(spec, demand, name, stderr);

        // Target tracking reads one-minute datapoints and the alarms whole periods: hold samples to fit both.
        var resolution = Gcd(demand.ResolutionFor(spec), TargetTrackingPolicy.PeriodSeconds);
        return TracePreparation.Hold(demand, resolution, name, stderr) is { } held ? (held, Cli.Ok) : (null, Cli.Invalid);

        static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
    }

    /// <summary>A progress line on stderr every few seconds once tuning has run two seconds, with the best so far.</summary>
    /// <param name="stderr">Where the lines go (the caller decides whether it is a terminal).</param>
    /// <param name="elapsed">Time since tuning started.</param>
    internal sealed class ProgressLine(TextWriter stderr, Func<TimeSpan> elapsed)
    {
        /// <summary>Seconds before the first line.</summary>
        public const double FirstSeconds = 2;

        /// <summary>Seconds between lines.</summary>
        public const double EverySeconds = 3;

        private double _next = FirstSeconds;
        private bool _wrote;

        /// <summary>A progress line on <paramref name="stderr"/>, timed from now.</summary>
        public ProgressLine(TextWriter stderr)
            : this(stderr, Stopwatch.StartNew() is var clock ? () => clock.Elapsed : () => TimeSpan.Zero)
        {
        }

        public void Report(TuningProgress p)
        {
            ArgumentNullException.ThrowIfNull(p);
            var now = elapsed().TotalSeconds;
            if (now < _next)
            {
                return;
            }

            _next = now + EverySeconds;
            _wrote = true;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tune: {p.Phase}: {p.Evaluations} replays, {p.Elapsed.TotalSeconds:0} s; best so far {p.Best.TaskMinutes:#,0.#} task-minutes, {p.Best.MinutesAbove:0.#} min above target, {p.Best.Reversals} reversals ({(p.BestFeasible ? "meets the limits" : "outside the limits")})"));
        }

        public void Done()
        {
            if (_wrote)
            {
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tune: done in {elapsed().TotalSeconds:0.0} s"));
            }
        }
    }
}
