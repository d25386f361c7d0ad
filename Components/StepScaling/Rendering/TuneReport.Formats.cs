using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StepScaling.Planning;
using StepScaling.Text;
using StepScaling.Tuning;

namespace StepScaling.Rendering;

/// <summary>The markdown and JSON forms of a tuning.</summary>
public sealed partial class TuneReport
{
    private static string Md(string s) => E(s).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The Markdown report.</summary>
    /// <returns>The Markdown.</returns>
    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Scaling tune: `{Md(plan.Stack)}` {(r.Supported ? "✅" : "⚠️ no advice")}").AppendLine();
        foreach (var f in Findings())
        {
            sb.AppendLine("**" + Md(f) + "**").AppendLine();
        }

        sb.AppendLine(Md(Header())).AppendLine().AppendLine(Md(Advice())).AppendLine();
        sb.AppendLine("| trace | config | task-minutes | × oracle | minutes above target | unserved | scale actions | reversals | peak tasks |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in comparison)
        {
            foreach (var row in c.Rows)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {Md(c.Segment.Name)} | {(row.Label == TuningReport.RecommendedLabel ? "**recommended**" : row.Label)} | {F1(row.TaskMinutes)} | {Ratio(row.VsOracle)} | {F1(row.MinutesAbove)} | {(row.Unserved is { } u ? F1(u) : "n/a")} | {row.ScaleActions} | {(row.Flaps is { } f ? f.ToString(CultureInfo.InvariantCulture) : "–")} | {row.PeakTasks} |");
            }
        }

        sb.AppendLine().AppendLine("| front point | task-minutes | service | churn a day | settings |").AppendLine("|---|---:|---:|---:|---|");
        foreach (var (name, o, d) in Points())
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {F1(o.Cost)} | {F1(o.Service)} | {F1(o.Churn)} | {Md(SettingsText.Of(d, r.TunedPolicies))} |");
        }

        sb.AppendLine().AppendLine("| stress | recommended: task-min / min above / reversals | baseline | worse than the baseline |").AppendLine("|---|---|---|---|");
        foreach (var st in r.Stress)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {Stress.Describe(st.Kind)} | {F1(st.Recommended.TaskMinutes)} / {F1(st.Recommended.MinutesAbove)} / {st.Recommended.Reversals} | {F1(st.Baseline.TaskMinutes)} / {F1(st.Baseline.MinutesAbove)} / {st.Baseline.Reversals} | {(st.Exceeded.IsEmpty ? "no" : "**yes**")} |");
        }

        sb.AppendLine().AppendLine(string.Create(CultureInfo.InvariantCulture, $"Folds: {r.Folds.Length}; replayed on all the data their choices spread over {r.Stability.Spread:0.0 %} of the baseline's task-minutes ({(r.Stability.Stable ? "stable" : "**unstable**")})."));
        sb.AppendLine().AppendLine(Md(Constraints())).AppendLine(Md(SearchLine()));
        if (Race() is { } race)
        {
            sb.AppendLine().AppendLine("**Verdict:** " + Md(Verdict(race)));
        }

        sb.AppendLine().AppendLine("<details><summary>Recommended <code>scaling:</code> block and its plan</summary>").AppendLine().AppendLine("```yaml").Append(yaml).AppendLine("```");
        sb.AppendLine().AppendLine("```").AppendLine(PolicyText.Summary(r.RecommendedSpec)).AppendLine("```").AppendLine().AppendLine("</details>");
        return sb.ToString();
    }

    private static JsonValue? JNum(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonObject Figures(Objectives o) => new()
    {
        ["taskMinutes"] = JNum(o.TaskMinutes),
        ["minutesAboveTarget"] = JNum(o.MinutesAbove),
        ["unserved"] = JNum(o.Unserved),
        ["scaleActions"] = o.ScaleActions,
        ["reversals"] = o.Reversals,
        ["service"] = JNum(o.Service),
        ["churnPerDay"] = JNum(o.Churn),
    };

    /// <summary>The JSON report.</summary>
    /// <returns>The JSON, indented.</returns>
    public string Json()
    {
        var race = Race();
        var root = new JsonObject
        {
            ["stack"] = plan.Stack,
            ["supported"] = r.Supported,
            ["feasible"] = r.Feasible,
            ["baselineIsBest"] = r.BaselineIsBest,
            ["bindingConstraint"] = r.BindingConstraint,
            ["findings"] = new JsonArray([.. r.Findings.Select(f => (JsonNode)f)]),
            ["target"] = r.Target,
            ["targetSource"] = TargetWords(r.TargetSource, q.Words),
            ["tunedPolicies"] = new JsonArray([.. r.TunedPolicies.Select(p => (JsonNode)p)]),
            ["highestThresholds"] = new JsonObject(r.HighestThresholds.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["search"] = new JsonObject { ["evaluations"] = r.Evaluations, ["screenEvaluations"] = r.ScreenEvaluations, ["generations"] = r.Generations, ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 3), ["stoppedEarly"] = r.StoppedEarly },
            ["segments"] = new JsonArray([.. comparison.Select(SegmentJson)]),
            ["folds"] = new JsonArray([.. r.Folds.Select(FoldJson)]),
            ["stability"] = new JsonObject { ["stable"] = r.Stability.Stable, ["spread"] = r.Stability.Spread, ["cheapestFold"] = r.Stability.Cheapest, ["dearestFold"] = r.Stability.Dearest },
            ["stress"] = new JsonArray([.. r.Stress.Select(s => (JsonNode)new JsonObject { ["stress"] = Stress.Describe(s.Kind), ["recommended"] = Figures(s.Recommended), ["baseline"] = Figures(s.Baseline), ["targetTrackingTuned"] = s.TargetTracking is { } t ? Figures(t) : null, ["exceeded"] = new JsonArray([.. s.Exceeded.Select(e => (JsonNode)e)]) })]),
            ["front"] = new JsonArray([.. r.Front.Select(p => (JsonNode)new JsonObject { ["figures"] = Figures(p.Figures), ["feasible"] = p.Feasible, ["settings"] = SettingsText.Of(p.Item, r.TunedPolicies) })]),
            ["points"] = new JsonArray([.. Points().Select(p => (JsonNode)new JsonObject { ["point"] = p.Name, ["figures"] = Figures(p.Figures), ["settings"] = SettingsText.Of(p.Definition, r.TunedPolicies) })]),
            ["targetTracking"] = r.TargetTracking is { } tt ? new JsonObject { ["targetValue"] = tt.Best.TargetValue, ["scaleInCooldown"] = tt.Best.ScaleInCooldown, ["feasible"] = tt.BestFeasible, ["figures"] = Figures(tt.BestFigures), ["atStackTarget"] = Figures(tt.StackFigures) } : null,
            ["verdict"] = race is null ? null : new JsonObject { ["dominant"] = race.Dominant?.ToString(), ["text"] = Verdict(race), ["lines"] = new JsonArray([.. race.Lines.Select(l => (JsonNode)new JsonObject { ["objective"] = l.Objective, ["step"] = JNum(l.Step), ["targetTracking"] = JNum(l.TargetTracking), ["better"] = l.Better.ToString() })]) },
            ["scalingYaml"] = yaml,
            ["plan"] = PolicyText.Summary(r.RecommendedSpec),
            ["notes"] = new JsonArray([.. Notes(r, q.Words).Select(n => (JsonNode)n)]),
        };
        return root.ToJsonString(PlanRenderer.JsonOptions);
    }

    private static JsonNode SegmentJson(SegmentComparison c) => new JsonObject
    {
        ["name"] = c.Segment.Name,
        ["limits"] = new JsonObject { ["minutesAboveTarget"] = JNum(c.Segment.Limits.MaxMinutesAbove), ["unserved"] = JNum(c.Segment.Limits.MaxUnserved), ["scaleActions"] = JNum(c.Segment.Limits.MaxActions), ["reversals"] = JNum(c.Segment.Limits.MaxReversals) },
        ["rows"] = new JsonArray([.. c.Rows.Select(row => (JsonNode)new JsonObject
        {
            ["config"] = row.Label,
            ["taskMinutes"] = row.TaskMinutes,
            ["vsOracle"] = JNum(row.VsOracle),
            ["minutesAboveTarget"] = row.MinutesAbove,
            ["unserved"] = row.Unserved,
            ["scaleActions"] = row.ScaleActions,
            ["reversals"] = row.Flaps,
            ["peakTasks"] = row.PeakTasks,
        })]),
    };

    private JsonNode FoldJson(FoldResult f) => new JsonObject
    {
        ["fold"] = f.Plan.Number,
        ["blocks"] = f.Plan.Blocks,
        ["choice"] = SettingsText.Of(f.Choice, r.TunedPolicies),
        ["thresholds"] = new JsonObject(f.Thresholds.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["train"] = Figures(f.Train),
        ["test"] = Figures(f.Test),
        ["baselineTest"] = Figures(f.BaselineTest),
        ["testExceeded"] = new JsonArray([.. f.TestExceeded.Select(e => (JsonNode)e)]),
        ["whole"] = Figures(f.Whole),
        ["wholeMeetsLimits"] = f.WholeMeetsLimits,
    };
}
