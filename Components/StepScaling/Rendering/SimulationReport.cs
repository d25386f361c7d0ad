using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Simulation;

namespace StepScaling.Rendering;

/// <summary>The text, Markdown and JSON of a simulation (<c>stepscale simulate</c>); the stack and trace names come escaped.</summary>
public static class SimulationReport
{
    /// <summary>Scale events listed in text and Markdown; JSON lists them all.</summary>
    private const int EventsInText = 25;

    /// <summary>The cooldown-restart rules, as the report names them.</summary>
    public const string LargerScaleOut = "larger-scale-out";

    /// <summary>The rule under which a scale-out cooldown runs from the scale-out that began it.</summary>
    public const string Never = "never";

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

    /// <summary>The text report: the summary, the cooldown rule and the first scale events; <paramref name="words"/> says where the rest are listed.</summary>
    /// <param name="plan">The stack's plan.</param>
    /// <param name="traceName">The trace's name, escaped.</param>
    /// <param name="trace">The trace.</param>
    /// <param name="r">The simulation.</param>
    /// <param name="options">The options it ran with.</param>
    /// <param name="words">The front end's words (null: <see cref="ReportWording.Neutral"/>).</param>
    /// <returns>The report, one line a figure or event.</returns>
    public static string Text(StackPlan plan, string traceName, DemandTrace trace, SimulationResult r, SimulationOptions options, ReportWording? words = null)
    {
        var s = r.Summary;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Simulated stack {plan.Stack} on {traceName}: {trace.Length} samples, {trace.IntervalSeconds} s apart{(options.InitialCapacity is { } start ? $", starting at {Num.Count(start, "task")}" : string.Empty)}.");
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
            sb.AppendLine(CultureInfo.InvariantCulture, $"  … {r.Events.Length - EventsInText} more ({(words ?? ReportWording.Neutral).AllEvents})");
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

    /// <summary>The Markdown report: a table of the figures and the first scale events.</summary>
    /// <param name="plan">The stack's plan.</param>
    /// <param name="traceName">The trace's name, escaped.</param>
    /// <param name="trace">The trace.</param>
    /// <param name="r">The simulation.</param>
    /// <returns>The Markdown.</returns>
    public static string Markdown(StackPlan plan, string traceName, DemandTrace trace, SimulationResult r)
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

    /// <summary>The JSON report: the figures, every scale event and the stack's diagnostics.</summary>
    /// <param name="plan">The stack's plan.</param>
    /// <param name="traceName">The trace's name, escaped.</param>
    /// <param name="trace">The trace.</param>
    /// <param name="r">The simulation.</param>
    /// <param name="options">The options it ran with.</param>
    /// <returns>The JSON, indented.</returns>
    public static string Json(StackPlan plan, string traceName, DemandTrace trace, SimulationResult r, SimulationOptions options)
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
            ["diagnostics"] = PlanRenderer.DiagnosticsJson(plan.Diagnostics),
        };
        return root.ToJsonString(PlanRenderer.JsonOptions);
    }
}
