using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Simulation;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary><c>stepscale simulate</c> and <c>stepscale traces</c>.</summary>
internal static class SimulateCommand
{
    private const int EventsInText = 25;

    /// <summary>The <c>--cooldown-restart</c> values, for <see cref="CooldownRestart"/>.</summary>
    private const string LargerScaleOut = "larger-scale-out", Never = "never";

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("stack-file") { Description = "A Pulumi.<stack>.yaml file." };
        Cli.RejectUnknownOptions(file);
        var trace = new Option<string[]>("--trace", "-t") { Description = "A CSV trace 'timestamp,demand', or CloudWatch JSON (get-metric-data or get-metric-statistics output; repeat --trace for each page or metric file). Without it, a bundled sample is used." };
        var tasks = TraceInput.TasksOption();
        var period = TraceInput.PeriodOption();
        var sample = new Option<string>("--sample") { Description = $"The bundled sample to use without --trace: {string.Join(", ", SampleTraces.Names)}.", DefaultValueFactory = _ => SampleTraces.Default };
        sample.AcceptOnlyFromAmong([.. SampleTraces.Names]);
        var chart = new Option<string?>("--chart", "-c") { Description = "Write a chart: a path ending in .svg or .png." };
        var format = Cli.FormatOption();
        var delay = new Option<int>("--startup-delay") { Description = "Seconds before a new task takes load.", DefaultValueFactory = _ => SimulationOptions.DefaultStartupDelaySeconds };
        var initial = new Option<int?>("--initial-capacity") { Description = "Tasks at the start (default: minCapacity)." };
        var scale = new Option<double>("--demand-scale") { Description = "Multiply every demand value by this.", DefaultValueFactory = _ => 1.0 };
        var restart = new Option<string>("--cooldown-restart")
        {
            Description = "Whether a larger scale-out inside the scale-out cooldown restarts its clock (AWS's documentation leaves it open): "
                + $"{LargerScaleOut} (default) or {Never}.",
            DefaultValueFactory = _ => LargerScaleOut,
        };
        restart.AcceptOnlyFromAmong(LargerScaleOut, Never);

        var simulate = new Command("simulate", "Replay a demand trace through the stack's alarms and step policies, with AWS semantics.")
        {
            file, trace, sample, chart, format, delay, initial, scale, tasks, period, restart,
        };
        simulate.SetAction(r => Simulate(
            r.GetValue(file)!, r.GetValue(trace) is { Length: > 0 } traces ? traces : null, (r.GetValue(tasks), r.GetValue(period)), r.GetValue(sample)!, r.GetValue(chart), r.GetValue(format)!,
            new SimulationOptions
            {
                StartupDelaySeconds = r.GetValue(delay),
                InitialCapacity = r.GetValue(initial),
                CooldownRestart = r.GetValue(restart) == Never ? CooldownRestart.Never : CooldownRestart.LargerScaleOut,
            },
            r.GetValue(scale), stdout, stderr));

        return simulate;
    }

    public static Command BuildTraces(TextWriter stdout, TextWriter stderr)
    {
        var outDir = new Option<string>("--out", "-o") { Description = "The folder to write the samples to.", DefaultValueFactory = _ => "samples/traces" };
        var traces = new Command("traces", "Write the bundled sample traces (steady, spike, diurnal, bursty) as CSV; deterministic.") { outDir };
        traces.SetAction(r => WriteSamples(r.GetValue(outDir)!, stdout, stderr));
        return traces;
    }

    private static int WriteSamples(string dir, TextWriter stdout, TextWriter stderr)
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

    private static int Simulate(string path, string[]? tracePaths, (double? Tasks, int? Period) cloudWatch, string sample, string? chartPath, string format, SimulationOptions options, double demandScale, TextWriter stdout, TextWriter stderr)
    {
        if ((CheckArguments(tracePaths, chartPath, options, demandScale, stderr) ?? TraceInput.CheckPeriod(cloudWatch.Period, stderr)) is { } usage)
        {
            return usage;
        }

        var file = Cli.Load(path, stderr);
        if (file is null)
        {
            return Cli.Usage;
        }

        var plan = Cli.PlanOf(file);
        foreach (var d in plan.Diagnostics)
        {
            stderr.WriteLine(d.ToString());
        }

        // Errors in the file itself (malformed YAML, keys Pulumi would not read) leave a config that is not the stack's.
        var fileErrors = file.Diagnostics.Any(d => d.Severity == Severity.Error);
        if (fileErrors || plan.Scaling is not { } spec)
        {
            stderr.WriteLine(!fileErrors && plan.Config is { Scaling: null }
                ? $"error: {DiagnosticText.Escape(path)}: scaling is off; there is nothing to simulate"
                : $"error: {DiagnosticText.Escape(path)}: the stack has errors; fix them before simulating");
            return Cli.Invalid;
        }

        var (demand, traceName, exit, startAt) = LoadDemand(spec, tracePaths, cloudWatch, sample, demandScale, stderr);
        if (demand is null)
        {
            return exit;
        }

        if (options.InitialCapacity is null && startAt is { } recorded)
        {
            options = options with { InitialCapacity = recorded };
        }

        var result = Simulator.Run(spec, demand, options);
        stdout.Write(format switch
        {
            "json" => Json(plan, traceName, demand, result, options) + Environment.NewLine,
            "markdown" => Markdown(plan, traceName, demand, result),
            _ => Text(plan, traceName, demand, result, options),
        });

        return chartPath is null ? Cli.Ok : WriteChart(chartPath, plan, spec, demand, result, stderr);
    }

    /// <summary>The options that need no file, checked first; the exit code when one is wrong.</summary>
    private static int? CheckArguments(string[]? tracePaths, string? chartPath, SimulationOptions options, double demandScale, TextWriter stderr)
    {
        var error = chartPath is not null && !chartPath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) && !chartPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
                ? $"--chart: the path must end in .svg or .png; got '{DiagnosticText.Escape(chartPath)}'"
            : !double.IsFinite(demandScale) || demandScale < 0
                ? $"--demand-scale: must be a finite number of 0 or more; got {demandScale.ToString(CultureInfo.InvariantCulture)}"
            : options.StartupDelaySeconds < 0
                ? $"--startup-delay: must be 0 or more seconds; got {options.StartupDelaySeconds}"
            : options.InitialCapacity < 0
                ? $"--initial-capacity: must be 0 or more tasks; got {options.InitialCapacity}"
            : tracePaths?.FirstOrDefault(Directory.Exists) is { } traceFolder
                ? $"{DiagnosticText.Escape(traceFolder)}: is a directory, not a CSV trace"
            : null;
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
    private static (DemandTrace? Trace, string Name, int Exit, int? StartAt) LoadDemand(ScalingSpec spec, string[]? tracePaths, (double? Tasks, int? Period) cloudWatch, string sample, double demandScale, TextWriter stderr)
    {
        var loaded = tracePaths is null
            ? new TraceInput.Loaded(SampleTraces.Generate(sample), $"bundled sample '{sample}'", Cli.Ok)
            : TraceInput.Load(tracePaths, TraceInput.Policies(spec), cloudWatch.Tasks, stderr, cloudWatch.Period);
        if (loaded.Trace is not { } demand)
        {
            return (null, loaded.Name, loaded.Exit, null);
        }

        foreach (var column in demand.PolicyDemand.Keys.Where(k => !spec.Policies.Any(p => p.SourceName == k)))
        {
            stderr.WriteLine($"warning: trace column '{DiagnosticText.Escape(column)}' names no policy of the stack; it is ignored");
        }

        if (demandScale != 1)
        {
            demand = demand with
            {
                Demand = [.. demand.Demand.Select(d => d * demandScale)],
                PolicyDemand = demand.PolicyDemand.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.Select(d => d * demandScale).ToArray()),
            };
            if (demand.Demand.Concat(demand.PolicyDemand.Values.SelectMany(v => v)).Any(d => d > TraceLimits.MaxDemand))
            {
                stderr.WriteLine($"error: --demand-scale: scaled demand exceeds {Num.Format(TraceLimits.MaxDemand)}, the largest demand a trace may hold; got {demandScale.ToString(CultureInfo.InvariantCulture)}");
                return (null, loaded.Name, Cli.Usage, null);
            }
        }

        var startAt = loaded.TasksAtStart is { } recorded ? (int)Math.Round(recorded, MidpointRounding.AwayFromZero) : (int?)null;
        if (startAt is { } n)
        {
            var clamped = Math.Clamp(n, spec.MinCapacity, spec.MaxCapacity);
            stderr.WriteLine($"note: {loaded.Name}: the replay starts at {Cli.Count(clamped, "task")}, from the RunningTaskCount recorded at the trace's first sample ({Num.Format(loaded.TasksAtStart!.Value)}{(n != clamped ? $", held to minCapacity {spec.MinCapacity}..maxCapacity {spec.MaxCapacity}" : string.Empty)}); --initial-capacity overrides it");
            startAt = clamped;
        }

        return HoldForPeriods(spec, demand, loaded.Name, stderr) is { } held ? (held, loaded.Name, Cli.Ok, startAt) : (null, loaded.Name, Cli.Invalid, null);
    }

    /// <summary>CloudWatch aggregates whole periods: samples coarser than a period, or out of step with it, are held.</summary>
    private static DemandTrace? HoldForPeriods(ScalingSpec spec, DemandTrace demand, string traceName, TextWriter stderr)
    {
        var resolution = demand.ResolutionFor(spec);
        if (resolution == demand.IntervalSeconds)
        {
            return demand;
        }

        if (demand.HoldEach(resolution) is not { } held)
        {
            stderr.WriteLine($"error: {traceName}: samples {demand.IntervalSeconds} s apart must be held at {resolution} s to fit the alarm periods, which makes more than {DemandTrace.MaxSamples} samples; use a shorter trace or evenly dividing periods");
            return null;
        }

        stderr.WriteLine($"note: {traceName}: samples are {demand.IntervalSeconds} s apart; each is held for {demand.IntervalSeconds / resolution} × {resolution} s so that every alarm period is whole");
        return held;
    }

    private static int WriteChart(string chartPath, StackPlan plan, ScalingSpec spec, DemandTrace demand, SimulationResult result, TextWriter stderr)
    {
        try
        {
            // Like `traces --out`, a missing folder is created: `--chart out/dev.png` works on a fresh clone.
            if (Path.GetDirectoryName(Path.GetFullPath(chartPath)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            Chart.Write(chartPath, plan, spec, demand, result);
            stderr.WriteLine($"chart written to {DiagnosticText.Escape(chartPath)}");
            return Cli.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(chartPath)}: cannot write the chart: {DiagnosticText.Escape(e.Message)}");
            return Cli.Usage;
        }
    }

    /// <summary>A trace timed in seconds from 0 has no date: its times read as elapsed time, +h:mm.</summary>
    private static bool Undated(DemandTrace trace) => trace.Start < DateTimeOffset.UnixEpoch.AddYears(1);

    private static string Elapsed(DemandTrace trace, int seconds)
    {
        var t = trace.Start - DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"+{(int)t.TotalHours}:{t.Minutes:00}{(t.Seconds != 0 ? $":{t.Seconds:00}" : string.Empty)}");
    }

    private static string Time(DemandTrace trace, int seconds) => Undated(trace)
        ? Elapsed(trace, seconds)
        : trace.Start.AddSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string RestartName(SimulationOptions options) => options.CooldownRestart == CooldownRestart.Never ? Never : LargerScaleOut;

    private static string Text(StackPlan plan, string traceName, DemandTrace trace, SimulationResult r, SimulationOptions options)
    {
        var s = r.Summary;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Simulated stack {plan.Stack} on {traceName}: {trace.Length} samples, {trace.IntervalSeconds} s apart{(options.InitialCapacity is { } start ? $", starting at {Cli.Count(start, "task")}" : string.Empty)}.");
        AppendSummary(sb, s, bullet: "  ");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  cooldown restart:       {RestartName(options)} ({(options.CooldownRestart == CooldownRestart.Never ? "a scale-out cooldown runs from the scale-out that began it" : "a larger scale-out restarts the scale-out cooldown")})");
        sb.AppendLine();
        sb.AppendLine(r.Events.IsEmpty ? "No scale events." : "Scale events:");
        foreach (var e in r.Events.Take(EventsInText))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {Time(trace, e.Seconds)}  {e.From} → {e.To}  {e.Reason}");
        }

        if (r.Events.Length > EventsInText)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  … {r.Events.Length - EventsInText} more (--format json lists them all)");
        }

        return sb.ToString();
    }

    private static void AppendSummary(StringBuilder sb, SimulationSummary s, string bullet)
    {
        sb.AppendLine(CultureInfo.InvariantCulture, $"{bullet}task-minutes:           {s.TaskMinutes:0.#}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{bullet}oracle task-minutes:    {s.OracleTaskMinutes:0.#} (ours ÷ oracle = {(double.IsFinite(s.TaskMinutesVsOracle) ? s.TaskMinutesVsOracle.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")})");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{bullet}minutes above target:   {s.MinutesAboveTarget:0.#}{(s.TargetUtilization is { } t ? $" (target {Num.Format(t)})" : " (no per-task target)")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{bullet}unserved task-minutes:  {Unserved(s)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{bullet}scale actions:          {s.ScaleActions}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{bullet}flaps (reversals ≤ {SimulationOptions.DefaultFlapWindowSeconds / 60} min): {s.Flaps}");
        if (s.NoStepFound > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{bullet}no step found:          {s.NoStepFound} alarm actions matched no step adjustment");
        }
    }

    /// <summary>Unserved demand in task-minutes, or why there is no figure.</summary>
    private static string Unserved(SimulationSummary s) => s.UnservedTaskMinutes is { } u
        ? string.Create(CultureInfo.InvariantCulture, $"{u:0.#} (demand beyond 100 % CPU or memory)")
        : "n/a (no policy on CPUUtilization or MemoryUtilization)";

    private static string Markdown(StackPlan plan, string traceName, DemandTrace trace, SimulationResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Scaling simulation: `{plan.Stack}` on {traceName}");
        sb.AppendLine();
        sb.AppendLine("| Figure | Value |");
        sb.AppendLine("|---|---|");
        var s = r.Summary;
        sb.AppendLine(CultureInfo.InvariantCulture, $"| task-minutes | {s.TaskMinutes:0.#} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| oracle task-minutes | {s.OracleTaskMinutes:0.#} (×{(double.IsFinite(s.TaskMinutesVsOracle) ? s.TaskMinutesVsOracle.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")}) |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| minutes above target | {s.MinutesAboveTarget:0.#} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| unserved task-minutes | {Unserved(s)} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| scale actions | {s.ScaleActions} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| flaps | {s.Flaps}{(s.Flaps > 0 ? " ⚠️" : string.Empty)} |");
        sb.AppendLine();
        foreach (var e in r.Events.Take(EventsInText))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- `{Time(trace, e.Seconds)}` {e.From} → {e.To}: {e.Reason}");
        }

        if (r.Events.Length > EventsInText)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- … {r.Events.Length - EventsInText} more");
        }

        return sb.ToString();
    }

    private static string Json(StackPlan plan, string traceName, DemandTrace trace, SimulationResult r, SimulationOptions options)
    {
        var s = r.Summary;
        var root = new JsonObject
        {
            ["stack"] = plan.Stack,
            ["trace"] = traceName,
            ["samples"] = trace.Length,
            ["intervalSeconds"] = trace.IntervalSeconds,
            ["cooldownRestart"] = RestartName(options),
            ["initialCapacity"] = options.InitialCapacity,
            ["summary"] = new JsonObject
            {
                ["taskMinutes"] = s.TaskMinutes,
                ["minutesAboveTarget"] = s.MinutesAboveTarget,
                ["targetUtilization"] = s.TargetUtilization,
                ["scaleActions"] = s.ScaleActions,
                ["flaps"] = s.Flaps,
                ["oracleTaskMinutes"] = s.OracleTaskMinutes,
                ["taskMinutesVsOracle"] = double.IsFinite(s.TaskMinutesVsOracle) ? s.TaskMinutesVsOracle : null,
                ["noStepFound"] = s.NoStepFound,
                ["unservedTaskMinutes"] = s.UnservedTaskMinutes,
            },
            ["events"] = new JsonArray([.. r.Events.Select(e => (JsonNode)new JsonObject
            {
                ["time"] = Undated(trace) ? Elapsed(trace, e.Seconds) : trace.Start.AddSeconds(e.Seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["seconds"] = e.Seconds,
                ["from"] = e.From,
                ["to"] = e.To,
                ["policy"] = e.Policy,
                ["reason"] = e.Reason,
            })]),
            ["diagnostics"] = new JsonArray([.. plan.Diagnostics.Select(d => (JsonNode)new JsonObject
            {
                ["severity"] = Diagnostic.Label(d.Severity),
                ["path"] = d.Path,
                ["message"] = d.Message,
            })]),
        };
        return root.ToJsonString(PlanRenderer.JsonOptions);
    }
}
