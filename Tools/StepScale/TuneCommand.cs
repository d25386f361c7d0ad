using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Simulation;
using StepScaling.Text;
using StepScaling.Tuning;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary><c>stepscale tune</c>: recommend step-scaling settings for a demand, loop-free, against target tracking and the oracle.</summary>
internal static class TuneCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("stack-file") { Description = "A Pulumi.<stack>.yaml file: its scaling is the baseline." };
        Cli.RejectUnknownOptions(file);
        var traces = new Option<string[]>("--trace", "-t") { Description = "A trace: CSV 'timestamp,demand' or CloudWatch JSON (get-metric-data, get-metric-statistics); repeat for several.", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var policies = new Option<string[]>("--policy", "-p") { Description = "A config policy to tune (repeat); default: every policy.", Arity = ArgumentArity.OneOrMore };
        var target = new Option<double?>("--target") { Description = "The metric level a task should run at (default: the baseline's first per-task scale-out threshold)." };
        var maxAbove = new Option<double?>("--max-minutes-above") { Description = "Minutes above target allowed per trace (default: no more than the baseline)." };
        var maxAbovePercent = new Option<double?>("--max-above-percent") { Description = "Minutes above target allowed per trace, as a percentage of its minutes." };
        var budget = new Option<double>("--budget") { Description = "Seconds the search may take.", DefaultValueFactory = _ => TuningOptions.DefaultBudgetSeconds };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same result when the search converges.", DefaultValueFactory = _ => TuningOptions.DefaultSeed };
        var format = new Option<string>("--format", "-f") { Description = "Output format: text, markdown, json or yaml (the scaling block only).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "markdown", "json", "yaml");
        var chart = new Option<string?>("--chart", "-c") { Description = "Write a chart: a path ending in .svg or .png." };
        var tasks = TraceInput.TasksOption();
        var holdout = new Option<double>("--holdout") { Description = "With one trace, the share at its end held out of tuning and reported apart (0 for none).", DefaultValueFactory = _ => TuningOptions.DefaultHoldout };

        var tune = new Command("tune", "Recommend step-scaling settings for a demand: loop-free, fewest task-minutes, compared with the baseline, target tracking and the oracle.")
        {
            file, traces, policies, target, maxAbove, maxAbovePercent, budget, seed, format, chart, holdout, tasks,
        };
        tune.SetAction(r => Tune(
            new Request(r.GetValue(file)!, r.GetValue(traces) ?? [], r.GetValue(policies) ?? [], r.GetValue(target), r.GetValue(maxAbove), r.GetValue(maxAbovePercent),
                r.GetValue(budget), r.GetValue(seed), r.GetValue(format)!, r.GetValue(chart), r.GetValue(holdout), r.GetValue(tasks)),
            stdout, stderr));
        return tune;
    }

    private sealed record Request(string Path, string[] Traces, string[] Policies, double? Target, double? MaxAbove, double? MaxAbovePercent, double Budget, int Seed, string Format, string? Chart, double Holdout, double? Tasks);

    private static int Tune(Request q, TextWriter stdout, TextWriter stderr)
    {
        if (Usage(q) is { } usage)
        {
            stderr.WriteLine($"error: {usage}");
            return Cli.Usage;
        }

        var file = Cli.Load(q.Path, stderr);
        if (file is null)
        {
            return Cli.Usage;
        }

        var plan = StackPlanner.Plan(file);
        var flapPaths = plan.FlapFindings.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        // Loops in the baseline are what tuning fixes: they are notes here, not reasons to stop.
        var blocking = plan.Diagnostics.Where(d => d.Severity == Severity.Error && !(flapPaths.Contains(d.Path) && plan.FlapFindings.Any(f => d.Message.StartsWith(f.Describe(), StringComparison.Ordinal)))).ToList();
        foreach (var d in plan.Diagnostics)
        {
            stderr.WriteLine(blocking.Contains(d) || d.Severity == Severity.Warning ? d.ToString() : $"note: baseline: {d.Path}: {d.Message}");
        }

        if (blocking.Count > 0 || plan.Scaling is not { } spec || plan.Config?.Scaling is not { } definition || !file.Values.TryGetValue("scaling", out var scalingJson))
        {
            stderr.WriteLine(plan.Config is { Scaling: null } && blocking.Count == 0
                ? $"error: {DiagnosticText.Escape(q.Path)}: scaling is off; there is nothing to tune"
                : $"error: {DiagnosticText.Escape(q.Path)}: the stack has errors; fix them before tuning");
            return Cli.Invalid;
        }

        var unknown = q.Policies.Where(p => !definition.Policies.Any(d => d.Name == p)).ToList();
        if (unknown.Count > 0)
        {
            stderr.WriteLine($"error: --policy: no policy named {string.Join(", ", unknown.Select(u => $"'{DiagnosticText.Escape(u)}'"))} in {DiagnosticText.Escape(q.Path)}; its policies are {string.Join(", ", definition.Policies.Select(d => d.Name))}");
            return Cli.Usage;
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

        TuningResult result;
        try
        {
            result = Tuner.Tune(definition, plan.AlarmNamePrefix, named, new TuningOptions
            {
                Policies = [.. q.Policies],
                Target = q.Target,
                MaxMinutesAbove = q.MaxAbove,
                MaxAbovePercent = q.MaxAbovePercent,
                Budget = TimeSpan.FromSeconds(q.Budget),
                Seed = q.Seed,
                Holdout = named.Count == 1 ? q.Holdout : 0,
            });
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {e.Message.Split(" (Parameter", 2)[0]}");
            return Cli.Usage;
        }

        var comparison = TuningReport.Compare(result);
        var yaml = TuningYaml.ScalingBlock(file.Project, scalingJson, result.Recommended, result.TunedPolicies);
        foreach (var note in result.Notes)
        {
            stderr.WriteLine($"note: {note}");
        }

        stdout.Write(q.Format switch
        {
            "json" => Json(plan, result, comparison, yaml) + Environment.NewLine,
            "yaml" => yaml,
            "markdown" => Markdown(plan, q, result, comparison, yaml),
            _ => Text(plan, q, result, comparison, yaml),
        });

        if (q.Chart is not null)
        {
            try
            {
                if (Path.GetDirectoryName(Path.GetFullPath(q.Chart)) is { } folder)
                {
                    Directory.CreateDirectory(folder);
                }

                TuneChart.Write(q.Chart, DiagnosticText.Escape(plan.Stack), result, comparison);
                stderr.WriteLine($"chart written to {DiagnosticText.Escape(q.Chart)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {DiagnosticText.Escape(q.Chart)}: cannot write the chart: {DiagnosticText.Escape(e.Message)}");
                return Cli.Usage;
            }
        }

        return result.Feasible ? Cli.Ok : Cli.Invalid;
    }

    private static string? Usage(Request q)
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        if (q.Chart is not null && !q.Chart.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) && !q.Chart.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            return $"--chart: the path must end in .svg or .png; got '{DiagnosticText.Escape(q.Chart)}'";
        }

        if (q.MaxAbove is not null && q.MaxAbovePercent is not null)
        {
            return "--max-minutes-above and --max-above-percent: give one or the other, not both";
        }

        return q switch
        {
            { Target: { } t } when !(double.IsFinite(t) && t > 0) => $"--target: must be a positive number; got {F(t)}",
            { MaxAbove: { } m } when !(double.IsFinite(m) && m >= 0) => $"--max-minutes-above: must be 0 or more minutes; got {F(m)}",
            { MaxAbovePercent: { } p } when !(p >= 0 && p <= 100) => $"--max-above-percent: must be from 0 to 100; got {F(p)}",
            { Budget: var b } when !(double.IsFinite(b) && b > 0 && b <= 86_400) => $"--budget: must be more than 0 and at most 86400 seconds; got {F(b)}",
            { Holdout: var h } when !(h >= 0 && h <= 0.9) => $"--holdout: must be from 0 to 0.9; got {F(h)}",
            _ => q.Traces.FirstOrDefault(Directory.Exists) is { } dir ? $"{dir}: is a directory, not a CSV trace" : null,
        };
    }

    private static (DemandTrace? Trace, int Exit) LoadTrace(string path, ScalingSpec spec, double? tasks, TextWriter stderr)
    {
        // A CSV trace or CloudWatch JSON (get-metric-data, get-metric-statistics), recognised by content, as simulate reads it.
        var loaded = TraceInput.Load([path], TraceInput.Policies(spec), tasks, stderr);
        if (loaded.Trace is not { } demand)
        {
            return (null, loaded.Exit);
        }

        foreach (var column in demand.PolicyDemand.Keys.Where(k => !spec.Policies.Any(p => p.SourceName == k)))
        {
            stderr.WriteLine($"warning: {DiagnosticText.Escape(path)}: trace column '{DiagnosticText.Escape(column)}' names no policy of the stack; it is ignored");
        }

        // Target tracking reads one-minute datapoints and the alarms whole periods: hold samples to fit both.
        var resolution = Gcd(demand.ResolutionFor(spec), TargetTrackingPolicy.PeriodSeconds);
        if (resolution != demand.IntervalSeconds)
        {
            if (demand.HoldEach(resolution) is not { } held)
            {
                stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: samples {demand.IntervalSeconds} s apart must be held at {resolution} s to fit the alarm periods, which makes more than {DemandTrace.MaxSamples} samples");
                return (null, Cli.Invalid);
            }

            stderr.WriteLine($"note: {DiagnosticText.Escape(path)}: samples are {demand.IntervalSeconds} s apart; each is held for {demand.IntervalSeconds / resolution} × {resolution} s so that every alarm period is whole");
            demand = held;
        }

        return (demand, Cli.Ok);

        static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
    }

    private static string F1(double v) => double.IsFinite(v) ? v.ToString("0.#", CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(double v) => double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    private static string Cells(ComparisonRow r) =>
        string.Create(CultureInfo.InvariantCulture, $"{F1(r.TaskMinutes),10} {Ratio(r.VsOracle),8} {F1(r.MinutesAbove),11} {(r.Unserved is { } u ? F1(u) : "n/a"),9} {r.ScaleActions,8} {(r.Flaps is { } f ? f.ToString(CultureInfo.InvariantCulture) : "-"),6} {r.PeakTasks,5}");

    private static string Header(TuningResult r, StackPlan plan, Request q) =>
        string.Create(CultureInfo.InvariantCulture, $"Tuned stack {DiagnosticText.Escape(plan.Stack)} on {DiagnosticText.Escape(string.Join(", ", q.Traces))}: target {Num.Format(r.Target)}{Unit(r)} per task ({r.TargetSource}); tuned {string.Join(", ", r.TunedPolicies)}.");

    private static string Unit(TuningResult r) =>
        r.BaselineSpec.Policies.FirstOrDefault(p => p.Side == ScalingSide.ScaleOut && p.LoadModel == LoadModel.PerTask)?.Metric.UnitSuffix ?? string.Empty;

    private static string Constraints(TuningResult r, Request q) =>
        "Constraints: the flap analysis finds no loop or reversal (flapCheck: error passes); no simulated flap on any trace; minutes above target "
        + (q.MaxAbove is { } m ? string.Create(CultureInfo.InvariantCulture, $"at most {F1(m)} per trace.")
            : q.MaxAbovePercent is { } p ? string.Create(CultureInfo.InvariantCulture, $"at most {F1(p)} % of each trace's minutes.")
            : "no more than the baseline's on each trace.");

    private static string SearchLine(TuningResult r, Request q) =>
        string.Create(CultureInfo.InvariantCulture, $"Search: {r.Evaluations} full replays and {r.ScreenEvaluations} screening replays in {r.Elapsed.TotalSeconds:0.0} s, {r.Generations} generations, seed {q.Seed}; {(r.StoppedEarly ? "stopped at the budget" : "converged")}.");

    private static string Verdict(TuningResult r) =>
        !r.Feasible ? $"No configuration met every constraint. Binding constraint: {r.BindingConstraint}. Below: the best compromise."
        : r.BaselineIsBest ? string.Create(CultureInfo.InvariantCulture, $"The baseline is already the best found: it meets every constraint, and nothing found uses fewer task-minutes (beyond {Tuner.TieTolerance:0.0 %}) or, as cheap, fewer scale actions. It is recommended as it is.")
        : string.Create(CultureInfo.InvariantCulture, $"Recommended: {F1(r.Score.TaskMinutes)} task-minutes on the tuning traces against the baseline's {F1(r.BaselineScore.TaskMinutes)} ({Percent(r.Score.TaskMinutes, r.BaselineScore.TaskMinutes)}), {r.Score.ScaleActions} scale actions against {r.BaselineScore.ScaleActions}, 0 flaps.");

    private static string Percent(double now, double before) =>
        before > 0 && double.IsFinite(before) ? ((now - before) / before).ToString("+0.0 %;-0.0 %;0.0 %", CultureInfo.InvariantCulture) : "n/a";

    private static string Text(StackPlan plan, Request q, TuningResult r, ImmutableArray<SegmentComparison> comparison, string yaml)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Header(r, plan, q));
        sb.AppendLine(Constraints(r, q));
        sb.AppendLine(SearchLine(r, q));
        sb.AppendLine(Verdict(r));
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"",-18}{"task-min",10} {"×oracle",8} {"min>target",11} {"unserved",9} {"actions",8} {"flaps",6} {"peak",5}"));
        foreach (var c in comparison)
        {
            sb.AppendLine(c.Segment.Name + (c.HeldOut ? " — not tuned on" : string.Empty));
            foreach (var row in c.Rows)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {row.Label,-16}{Cells(row)}");
            }
        }

        if (comparison.Length > 1 && !comparison.Any(c => c.HeldOut))
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"worst of {comparison.Length} traces (each column its worst)"));
            foreach (var row in Worst(comparison))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {row.Label,-16}{Cells(row)}");
            }
        }

        sb.AppendLine("  (task-min: task-minutes; ×oracle: ÷ the fewest tasks meeting the target; unserved: task-minutes of work above 100 %)");
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Recommended scaling (paste under config: in {Path.GetFileName(q.Path)}):"));
        sb.AppendLine();
        sb.Append(yaml);
        sb.AppendLine();
        sb.AppendLine("Its plan:");
        sb.AppendLine(PolicyText.Summary(r.RecommendedSpec));
        return sb.ToString();
    }

    private static IEnumerable<ComparisonRow> Worst(ImmutableArray<SegmentComparison> comparison) =>
        comparison[0].Rows.Select(first =>
        {
            var rows = comparison.Select(c => c.Rows.First(x => x.Label == first.Label)).ToList();
            return new ComparisonRow(first.Label, rows.Max(x => x.TaskMinutes), rows.Max(x => double.IsFinite(x.VsOracle) ? x.VsOracle : 0), rows.Max(x => x.MinutesAbove),
                rows.Any(x => x.Unserved is null) ? null : rows.Max(x => x.Unserved), rows.Max(x => x.ScaleActions), rows.Any(x => x.Flaps is null) ? null : rows.Max(x => x.Flaps), rows.Max(x => x.PeakTasks));
        });

    private static string Markdown(StackPlan plan, Request q, TuningResult r, ImmutableArray<SegmentComparison> comparison, string yaml)
    {
        static string Esc(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Scaling tune: `{plan.Stack}` {(r.Feasible ? "✅" : "⚠️")}");
        sb.AppendLine();
        sb.AppendLine(Esc(Header(r, plan, q)));
        sb.AppendLine();
        sb.AppendLine(Esc(Verdict(r)));
        sb.AppendLine();
        sb.AppendLine("| trace | config | task-minutes | × oracle | minutes above target | unserved | scale actions | flaps | peak tasks |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        var all = comparison.Select(c => (Name: c.Segment.Name + (c.HeldOut ? " (not tuned on)" : string.Empty), c.Rows)).ToList();
        if (comparison.Length > 1 && !comparison.Any(c => c.HeldOut))
        {
            all.Add(("worst", [.. Worst(comparison)]));
        }

        foreach (var (name, rows) in all)
        {
            foreach (var row in rows)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {Esc(name)} | {(row.Label == TuningReport.RecommendedLabel ? "**recommended**" : row.Label)} | {F1(row.TaskMinutes)} | {Ratio(row.VsOracle)} | {F1(row.MinutesAbove)} | {(row.Unserved is { } u ? F1(u) : "n/a")} | {row.ScaleActions} | {(row.Flaps is { } f ? f.ToString(CultureInfo.InvariantCulture) : "–")} | {row.PeakTasks} |");
            }
        }

        sb.AppendLine();
        sb.AppendLine(Esc(Constraints(r, q)));
        sb.AppendLine(Esc(SearchLine(r, q)));
        foreach (var note in r.Notes)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- note: {Esc(note)}");
        }

        sb.AppendLine();
        sb.AppendLine("<details><summary>Recommended <code>scaling:</code> block and its plan</summary>");
        sb.AppendLine();
        sb.AppendLine("```yaml");
        sb.Append(yaml);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(PolicyText.Summary(r.RecommendedSpec));
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("</details>");
        return sb.ToString();
    }

    private static string Json(StackPlan plan, TuningResult r, ImmutableArray<SegmentComparison> comparison, string yaml)
    {
        static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
        var root = new JsonObject
        {
            ["stack"] = plan.Stack,
            ["feasible"] = r.Feasible,
            ["baselineIsBest"] = r.BaselineIsBest,
            ["bindingConstraint"] = r.BindingConstraint,
            ["target"] = r.Target,
            ["targetSource"] = r.TargetSource,
            ["tunedPolicies"] = new JsonArray([.. r.TunedPolicies.Select(p => (JsonNode)p)]),
            ["search"] = new JsonObject
            {
                ["evaluations"] = r.Evaluations,
                ["screenEvaluations"] = r.ScreenEvaluations,
                ["generations"] = r.Generations,
                ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 3),
                ["stoppedEarly"] = r.StoppedEarly,
            },
            ["segments"] = new JsonArray([.. comparison.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Segment.Name,
                ["heldOut"] = c.HeldOut,
                ["allowedMinutesAboveTarget"] = c.Segment.AllowedMinutesAbove,
                ["rows"] = new JsonArray([.. c.Rows.Select(row => (JsonNode)new JsonObject
                {
                    ["config"] = row.Label,
                    ["taskMinutes"] = row.TaskMinutes,
                    ["vsOracle"] = Num(row.VsOracle),
                    ["minutesAboveTarget"] = row.MinutesAbove,
                    ["unserved"] = row.Unserved,
                    ["scaleActions"] = row.ScaleActions,
                    ["flaps"] = row.Flaps,
                    ["peakTasks"] = row.PeakTasks,
                })]),
            })]),
            ["scalingYaml"] = yaml,
            ["plan"] = PolicyText.Summary(r.RecommendedSpec),
            ["notes"] = new JsonArray([.. r.Notes.Select(n => (JsonNode)n)]),
        };
        return root.ToJsonString(PlanRenderer.JsonOptions);
    }
}
