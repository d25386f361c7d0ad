using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using StepScaling.Model;
using StepScaling.Rendering;
using StepScaling.Simulation;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary><c>stepscale simulate</c>: replay a demand trace through a stack's alarms and step policies.</summary>
internal static class SimulateCommand
{
    /// <summary>What the user asked <c>simulate</c> for.</summary>
    private sealed record Request(
        string Path, string[]? Traces, (double? Tasks, int? Period) CloudWatch, string Sample, string? Chart, string Format, SimulationOptions Options, double DemandScale, bool AllWarnings);

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("stack-file") { Description = "A Pulumi.<stack>.yaml file." };
        Cli.RejectUnknownOptions(file);
        var trace = new Option<string[]>("--trace", "-t") { Description = "A CSV trace 'timestamp,demand', or CloudWatch JSON (get-metric-data or get-metric-statistics output; repeat --trace for each page or metric file). Without it, a bundled sample is used." };
        var tasks = TraceInput.TasksOption();
        var period = TraceInput.PeriodOption();
        var sample = new Option<string>("--sample") { Description = $"The bundled sample to use without --trace: {string.Join(", ", SampleTraces.Names)}.", DefaultValueFactory = _ => SampleTraces.Default };
        sample.AcceptOnlyFromAmong([.. SampleTraces.Names]);
        var chart = ChartOutput.Option();
        var format = Cli.FormatOption();
        var delay = new Option<int>("--startup-delay") { Description = "Seconds before a new task takes load.", DefaultValueFactory = _ => SimulationOptions.DefaultStartupDelaySeconds };
        var initial = new Option<int?>("--initial-capacity") { Description = "Tasks at the start (default: minCapacity)." };
        var scale = new Option<double>("--demand-scale") { Description = "Multiply every demand value by this.", DefaultValueFactory = _ => 1.0 };
        var restart = new Option<string>("--cooldown-restart")
        {
            Description = "Whether a larger scale-out inside the scale-out cooldown restarts its clock (AWS's documentation leaves it open): "
                + $"{SimulationReport.LargerScaleOut} (default) or {SimulationReport.Never}.",
            DefaultValueFactory = _ => SimulationReport.LargerScaleOut,
        };
        restart.AcceptOnlyFromAmong(SimulationReport.LargerScaleOut, SimulationReport.Never);
        var all = StackInput.AllWarningsOption();

        var simulate = new Command("simulate", "Replay a demand trace through the stack's alarms and step policies, with AWS semantics.")
        {
            file, trace, sample, chart, format, delay, initial, scale, tasks, period, restart, all,
        };
        simulate.SetAction(r => Simulate(
            new Request(
                r.GetValue(file)!, r.GetValue(trace) is { Length: > 0 } traces ? traces : null, (r.GetValue(tasks), r.GetValue(period)), r.GetValue(sample)!, r.GetValue(chart), r.GetValue(format)!,
                new SimulationOptions
                {
                    StartupDelaySeconds = r.GetValue(delay),
                    InitialCapacity = r.GetValue(initial),
                    CooldownRestart = r.GetValue(restart) == SimulationReport.Never ? CooldownRestart.Never : CooldownRestart.LargerScaleOut,
                },
                r.GetValue(scale), r.GetValue(all)),
            stdout, stderr));

        return simulate;
    }

    private static int Simulate(Request q, TextWriter stdout, TextWriter stderr)
    {
        if ((CheckArguments(q, stderr) ?? TraceInput.CheckPeriod(q.CloudWatch.Period, stderr)) is { } usage)
        {
            return usage;
        }

        if (StackInput.Open(q.Path, stderr) is not { } stack)
        {
            return Cli.Usage;
        }

        StackInput.Report(stack.Findings(WarningScope.Result, q.AllWarnings), stderr);
        var plan = stack.Plan;

        // Errors in the file itself (malformed YAML, keys Pulumi would not read) leave a config that is not the stack's.
        if (stack.FileHasErrors || plan.Scaling is not { } spec)
        {
            stderr.WriteLine(!stack.FileHasErrors && plan.Config is { Scaling: null }
                ? $"error: {DiagnosticText.Escape(q.Path)}: scaling is off; there is nothing to simulate"
                : $"error: {DiagnosticText.Escape(q.Path)}: the stack has errors; fix them before simulating");
            return Cli.Invalid;
        }

        var (demand, traceName, exit, startAt) = LoadDemand(spec, q, stderr);
        if (demand is null)
        {
            return exit;
        }

        var options = q.Options.InitialCapacity is null && startAt is { } recorded ? q.Options with { InitialCapacity = recorded } : q.Options;
        var result = Simulator.Run(spec, demand, options);
        stdout.Write(q.Format switch
        {
            "json" => SimulationReport.Json(plan, traceName, demand, result, options) + Environment.NewLine,
            "markdown" => SimulationReport.Markdown(plan, traceName, demand, result),
            _ => SimulationReport.Text(plan, traceName, demand, result, options, TuneRequest.Words),
        });

        return q.Chart is null ? Cli.Ok : ChartOutput.Write(q.Chart, path => Chart.Write(path, plan, spec, demand, result), stderr);
    }

    /// <summary>The options that need no file, checked first; the exit code when one is wrong.</summary>
    private static int? CheckArguments(Request q, TextWriter stderr)
    {
        var error = ChartOutput.Problem(q.Chart)
            ?? (!double.IsFinite(q.DemandScale) || q.DemandScale < 0
                ? $"--demand-scale: must be a finite number of 0 or more; got {q.DemandScale.ToString(CultureInfo.InvariantCulture)}"
            : q.Options.StartupDelaySeconds < 0
                ? $"--startup-delay: must be 0 or more seconds; got {q.Options.StartupDelaySeconds}"
            : q.Options.InitialCapacity < 0
                ? $"--initial-capacity: must be 0 or more tasks; got {q.Options.InitialCapacity}"
            : q.Traces?.FirstOrDefault(Directory.Exists) is { } traceFolder
                ? $"{DiagnosticText.Escape(traceFolder)}: is a directory, not a CSV trace"
            : null);
        if (error is null)
        {
            return null;
        }

        stderr.WriteLine($"error: {error}");
        return Cli.Usage;
    }

    /// <summary>
    /// The demand to replay (a bundled sample, or the trace files), scaled and held to fit the alarm periods, within
    /// the trace limits; with the task count to start at when CloudWatch input recorded RunningTaskCount.
    /// </summary>
    private static (DemandTrace? Trace, string Name, int Exit, int? StartAt) LoadDemand(ScalingSpec spec, Request q, TextWriter stderr)
    {
        var loaded = q.Traces is null
            ? new TraceInput.Loaded(SampleTraces.Generate(q.Sample), $"bundled sample '{q.Sample}'", Cli.Ok)
            : TracePreparation.Load(q.Traces, spec, q.CloudWatch.Tasks, stderr, q.CloudWatch.Period);
        if (loaded.Trace is not { } demand)
        {
            return (null, loaded.Name, loaded.Exit, null);
        }

        TracePreparation.WarnUnknownColumns(spec, demand, null, stderr);
        if (q.DemandScale != 1)
        {
            if (Scale(demand, q.DemandScale, stderr) is not { } scaled)
            {
                return (null, loaded.Name, Cli.Usage, null);
            }

            demand = scaled;
        }

        var startAt = StartAt(spec, loaded, stderr);
        return TracePreparation.Hold(demand, demand.ResolutionFor(spec), loaded.Name, stderr) is { } held ? (held, loaded.Name, Cli.Ok, startAt) : (null, loaded.Name, Cli.Invalid, null);
    }

    /// <summary>Every demand value times <paramref name="factor"/>; null, with the error, beyond the largest demand a trace may hold.</summary>
    private static DemandTrace? Scale(DemandTrace demand, double factor, TextWriter stderr)
    {
        var scaled = demand with
        {
            Demand = [.. demand.Demand.Select(d => d * factor)],
            PolicyDemand = demand.PolicyDemand.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.Select(d => d * factor).ToArray()),
        };
        if (scaled.Demand.Concat(scaled.PolicyDemand.Values.SelectMany(v => v)).Any(d => d > TraceLimits.MaxDemand))
        {
            stderr.WriteLine($"error: --demand-scale: scaled demand exceeds {Num.Format(TraceLimits.MaxDemand)}, the largest demand a trace may hold; got {factor.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return scaled;
    }

    /// <summary>The task count CloudWatch input recorded at the trace's first sample (RunningTaskCount), held to the capacity range, with a note; else null.</summary>
    private static int? StartAt(ScalingSpec spec, TraceInput.Loaded loaded, TextWriter stderr)
    {
        if (loaded.TasksAtStart is not { } recorded)
        {
            return null;
        }

        var n = (int)Math.Round(recorded, MidpointRounding.AwayFromZero);
        var clamped = Math.Clamp(n, spec.MinCapacity, spec.MaxCapacity);
        stderr.WriteLine($"note: {loaded.Name}: the replay starts at {Cli.Count(clamped, "task")}, from the RunningTaskCount recorded at the trace's first sample ({Num.Format(recorded)}{(n != clamped ? $", held to minCapacity {spec.MinCapacity}..maxCapacity {spec.MaxCapacity}" : string.Empty)}); --initial-capacity overrides it");
        return clamped;
    }
}
