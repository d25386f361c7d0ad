using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Text;
using StepScaling.Tuning;
using StepScaling.Validation;

namespace StepScaling.Rendering;

/// <summary>What a tuning report prints beside the result: the stack file, the traces, the limits and options asked for, and the front end's words.</summary>
/// <param name="Path">The stack file, for "paste under config: in …".</param>
/// <param name="Traces">The traces' names.</param>
/// <param name="MaxAbove">The limit on minutes above target per trace, or null for the baseline's.</param>
/// <param name="MaxAbovePercent">The limit on minutes above target as a percent of each trace's minutes, or null.</param>
/// <param name="MaxUnserved">The limit on unserved task-minutes per trace, or null for the baseline's.</param>
/// <param name="MaxActionsPerDay">The limit on scale actions a day, or null for the baseline's.</param>
/// <param name="MaxReversalsPerDay">The limit on reversals a day, or null for the baseline's.</param>
/// <param name="StressConstraint">Whether each stress was a constraint.</param>
/// <param name="MaxFoldSpread">The largest fold spread still called stable.</param>
/// <param name="Margin">The sane range's margin above the target, in points.</param>
/// <param name="Ceiling">The sane range's ceiling, in percent.</param>
/// <param name="Seed">The search's seed.</param>
public sealed record TuneReportSettings(
    string Path, IReadOnlyList<string> Traces, double? MaxAbove, double? MaxAbovePercent, double? MaxUnserved, double? MaxActionsPerDay,
    double? MaxReversalsPerDay, bool StressConstraint, double MaxFoldSpread, double Margin, double Ceiling, int Seed)
{
    /// <summary>The front end's words for its options.</summary>
    /// <value>The default value is <see cref="ReportWording.Neutral"/>.</value>
    public ReportWording Words { get; init; } = ReportWording.Neutral;
}

/// <summary>The text, markdown and JSON of a tuning. Everything that came from input (file, trace and policy names) is escaped.</summary>
/// <param name="plan">The stack's plan.</param>
/// <param name="q">What the report prints beside the result.</param>
/// <param name="r">The tuning.</param>
/// <param name="comparison">The per-trace comparison (<see cref="TuningReport.Compare"/>).</param>
/// <param name="yaml">The recommended <c>scaling:</c> block.</param>
public sealed partial class TuneReport(StackPlan plan, TuneReportSettings q, TuningResult r, ImmutableArray<SegmentComparison> comparison, string yaml)
{
    private static string E(string s) => DiagnosticText.Escape(s);

    /// <summary>Where the target came from, in the front end's words for a given target.</summary>
    /// <param name="source">The source.</param>
    /// <param name="words">The front end's words.</param>
    /// <returns>The words.</returns>
    public static string TargetWords(TargetSource source, ReportWording words) => source.Origin == TargetOrigin.Given ? words.GivenTarget : source.ToString();

    /// <summary>The tuning's notes, the early stop last with the front end's word for the budget.</summary>
    /// <param name="result">The tuning.</param>
    /// <param name="words">The front end's words.</param>
    /// <returns>The notes, unescaped.</returns>
    public static IEnumerable<string> Notes(TuningResult result, ReportWording words) =>
        result.EarlyStop is { } stop ? [.. result.Notes, $"{stop}; a larger {words.Budget} may find better"] : result.Notes;

    private static string F1(double v) => double.IsFinite(v) ? v.ToString("0.#", CultureInfo.InvariantCulture) : "n/a";

    private static string F0(double v) => double.IsFinite(v) ? v.ToString("#,0", CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(double v) => double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    private static string Percent(double now, double before) =>
        before > 0 && double.IsFinite(before) && double.IsFinite(now) ? ((now - before) / before).ToString("+0.0 %;-0.0 %;0.0 %", CultureInfo.InvariantCulture) : "n/a";

    private string Unit => r.BaselineSpec.Policies.FirstOrDefault(p => p.Side == ScalingSide.ScaleOut && p.LoadModel == LoadModel.PerTask)?.Metric.UnitSuffix ?? string.Empty;

    private string Settings(ScalingDefinition d) => E(SettingsText.Of(d, r.TunedPolicies));

    /// <summary>The first line: the stack, the traces, the target and where it came from, the policies tuned.</summary>
    /// <returns>The line.</returns>
    public string Header() =>
        string.Create(CultureInfo.InvariantCulture, $"Tuned stack {E(plan.Stack)} on {E(string.Join(", ", q.Traces))}: target {Num.Format(r.Target)}{Unit} per task ({E(TargetWords(r.TargetSource, q.Words))}); tuned {E(string.Join(", ", r.TunedPolicies))}.");

    /// <summary>What stands out about the baseline, a line each.</summary>
    /// <returns>The lines.</returns>
    public IEnumerable<string> Findings() => r.Findings.Select(f => $"Finding: {E(f)}.");

    /// <summary>The constraints every candidate meets.</summary>
    /// <returns>The line.</returns>
    public string Constraints()
    {
        string Limit(double? flag, string unit, string name) => flag is { } v ? $"{name} at most {F1(v)} {unit}" : $"{name} no more than the baseline's";
        var above = q.MaxAbovePercent is { } p ? $"minutes above target at most {F1(p)} % of each trace's minutes" : Limit(q.MaxAbove, "per trace", "minutes above target");
        return $"Constraints, on every sample of every trace: the flap analysis finds no loop or reversal (flapCheck: error passes); {above}; "
            + $"{Limit(q.MaxUnserved, "per trace", "unserved task-minutes")}; {Limit(q.MaxActionsPerDay, "a day", "scale actions")}; {Limit(q.MaxReversalsPerDay, "a day", "reversals")}"
            + (q.StressConstraint ? "; the same under each stress (against the baseline under it)." : ".");
    }

    /// <summary>The sane range of the scale-out thresholds.</summary>
    /// <returns>The line.</returns>
    public string Range() =>
        r.HighestThresholds.Count == 0 ? "Sane range: no CPU or memory policy is tuned."
        : string.Create(CultureInfo.InvariantCulture, $"Sane range: CPU and memory scale-out thresholds from {Num.Format(SaneRange.Floor)} % to the target (a policy's own threshold for the others) + {F1(q.Margin)} points, below {F1(q.Ceiling)} %: {E(string.Join(", ", r.HighestThresholds.Select(kv => $"{kv.Key} ≤ {Num.Format(kv.Value)} %")))}.");

    /// <summary>What the search did: folds, replays, generations, time, seed, whether it converged.</summary>
    /// <returns>The line.</returns>
    public string SearchLine() =>
        string.Create(CultureInfo.InvariantCulture, $"Search: {r.Folds.Length} folds, then {r.Evaluations} full replays and {r.ScreenEvaluations} screening replays on all the data, {r.Generations} generations, {r.TargetTracking?.Evaluations ?? 0} target-tracking policies; {r.Elapsed.TotalSeconds:0.0} s, seed {q.Seed}; {(r.StoppedEarly ? "the final search stopped at the budget" : "converged")}.");

    /// <summary>The advice: the recommendation's figures against the baseline's, the baseline as it is, or no advice.</summary>
    /// <returns>The line.</returns>
    public string Advice()
    {
        if (!r.Supported)
        {
            return $"NO ADVICE: the data cannot support a recommendation. Binding constraint: {E(r.BindingConstraint ?? "none")}. Below: the best compromise, which does NOT meet the constraints.";
        }

        var b = Whole(TuningReport.BaselineLabel);
        var s = Whole(TuningReport.RecommendedLabel);
        return r.BaselineIsBest
            ? string.Create(CultureInfo.InvariantCulture, $"The baseline is already the best found: it meets every constraint, and nothing found uses fewer task-minutes (beyond {Tuner.TieTolerance:0.0 %}) or, as cheap, churns less. It is recommended as it is.")
            : string.Create(CultureInfo.InvariantCulture, $"Recommended, replayed on all the data: {F0(s.TaskMinutes)} task-minutes against the baseline's {F0(b.TaskMinutes)} ({Percent(s.TaskMinutes, b.TaskMinutes)}); {F1(s.MinutesAbove)} minutes above target against {F1(b.MinutesAbove)}; {s.ScaleActions} scale actions against {b.ScaleActions}; {s.Reversals} reversals against {b.Reversals}.");
    }

    private static string Cells(ComparisonRow row) =>
        string.Create(CultureInfo.InvariantCulture, $"{F1(row.TaskMinutes),10} {Ratio(row.VsOracle),8} {F1(row.MinutesAbove),11} {(row.Unserved is { } u ? F1(u) : "n/a"),9} {row.ScaleActions,8} {(row.Flaps is { } f ? f.ToString(CultureInfo.InvariantCulture) : "-"),6} {row.PeakTasks,5}");

    private void WholeTable(StringBuilder sb)
    {
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"Whole traces",-18}{"task-min",10} {"×oracle",8} {"min>target",11} {"unserved",9} {"actions",8} {"rev",6} {"peak",5}"));
        foreach (var c in comparison)
        {
            sb.AppendLine(E(c.Segment.Name));
            foreach (var row in c.Rows)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {row.Label,-16}{Cells(row)}");
            }
        }

        if (r.TargetTracking is { } tt)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  (target tracking: at the stack's target, scale-in cooldown {tt.Stack.ScaleInCooldown} s; tt tuned: target {Num.Format(tt.Best.TargetValue)}{Unit}, scale-in cooldown {tt.Best.ScaleInCooldown} s; minutes above are counted against {Num.Format(r.Target)}{Unit} for both)"));
        }

        sb.AppendLine("  (task-min: task-minutes; ×oracle: ÷ the fewest tasks meeting the target; unserved: task-minutes of work above 100 %; rev: reversals within the flap window)");
    }

    private void FoldTable(StringBuilder sb)
    {
        if (r.Folds.Length == 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Cross-validation: none ({q.Words.NoFolds}, or the traces are too short for two blocks).");
            return;
        }

        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Cross-validation, rolling origin: every trace cut into {r.Folds[0].Plan.Blocks} blocks; fold k tunes on blocks 1–k and is scored on block k+1 (limits there: the baseline's figures there)."));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {"fold",-5}{"task-min",10} {"vs base",8} {"min>target",11} {"rev",6}  {"next block",-11}{"all data",10} {"limits",7}  choice"));
        foreach (var f in r.Folds)
        {
            var verdict = f.TestExceeded.IsEmpty ? "meets" : "EXCEEDS";
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {f.Plan.Number,-5}{F1(f.Test.TaskMinutes),10} {Percent(f.Test.TaskMinutes, f.BaselineTest.TaskMinutes),8} {F1(f.Test.MinutesAbove) + "/" + F1(f.BaselineTest.MinutesAbove),11} {f.Test.Reversals + "/" + f.BaselineTest.Reversals,6}  {verdict,-11}{F0(f.Whole.TaskMinutes),10} {(f.WholeMeetsLimits ? "meets" : "EXCEEDS"),7}  {(f.KeptBaseline ? "the baseline (nothing beat it on blocks 1–" + f.Plan.Number.ToString(CultureInfo.InvariantCulture) + "; no vote in the stability)" : Settings(f.Choice))}");
            foreach (var e in f.TestExceeded)
            {
                sb.AppendLine("        " + E(e));
            }
        }

        sb.AppendLine("  (next block: the choice's figures there / the baseline's; all data: the choice replayed on every trace, and whether it meets the limits there)");
        var ranges = string.Join(", ", r.Stability.Ranges.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {Num.Format(kv.Value.Low)}–{Num.Format(kv.Value.High)}"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Stability: replayed on all the data, the folds' choices spread over {r.Stability.Spread:0.0 %} of the baseline's task-minutes ({(r.Stability.Stable ? "stable" : "UNSTABLE")}; at most {q.MaxFoldSpread:0.0 %} is stable); their thresholds: {E(ranges)}."));
    }

    private static string StressCells(Objectives o) =>
        string.Create(CultureInfo.InvariantCulture, $"{F1(o.TaskMinutes),10} {F1(o.MinutesAbove),11} {F1(o.Unserved),9} {o.ScaleActions,8} {o.Reversals,6}");

    private void StressTable(StringBuilder sb)
    {
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"Stress (all traces)",-22}{"task-min",10} {"min>target",11} {"unserved",9} {"actions",8} {"rev",6}"));
        var plain = (Rec: Whole(TuningReport.RecommendedLabel), Base: Whole(TuningReport.BaselineLabel), Tt: r.TargetTracking?.BestFigures);
        var rows = new List<(string Name, Objectives Rec, Objectives Base, Objectives? Tt, ImmutableArray<string> Exceeded)> { ("plain", plain.Rec, plain.Base, plain.Tt, []) };
        rows.AddRange(r.Stress.Select(s => (Stress.Describe(s.Kind), s.Recommended, s.Baseline, s.TargetTracking, s.Exceeded)));
        foreach (var (name, rec, bas, tt, exceeded) in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{name}{(exceeded.IsEmpty ? string.Empty : " — recommendation worse than the baseline here")}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {"recommended",-20}{StressCells(rec)}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {"baseline",-20}{StressCells(bas)}");
            if (tt is { } t)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {"tt tuned",-20}{StressCells(t)}");
            }
        }

        sb.AppendLine(q.StressConstraint ? $"  ({q.Words.StressConstraint}: each stress is a constraint, against the baseline under it)" : $"  (a report: {q.Words.StressConstraint} makes each stress a constraint)");
    }

    /// <summary>A row's figures summed over the whole traces (never the stressed ones).</summary>
    /// <param name="label">The row: <see cref="TuningReport.RecommendedLabel"/> or <see cref="TuningReport.BaselineLabel"/>.</param>
    /// <returns>The figures.</returns>
    public Objectives Whole(string label) =>
        comparison.Select(c => c.Rows.First(x => x.Label == label)).Aggregate(Objectives.Zero, (a, x) => a.Plus(new Objectives(x.TaskMinutes, x.MinutesAbove, x.Unserved ?? 0, x.ScaleActions, x.Flaps ?? 0, 0)))
        with { Days = r.Segments.Sum(s => s.Days) };

    /// <summary>The representative points of the front, with the baseline for reference.</summary>
    /// <returns>The points: name, figures, settings.</returns>
    public IEnumerable<(string Name, Objectives Figures, ScalingDefinition Definition)> Points()
    {
        var front = new ParetoFront<ScalingDefinition>();
        foreach (var p in r.Front)
        {
            front.Add(p.Item, p.Figures, p.Feasible);
        }

        foreach (var (name, point) in new[] { ("cheapest", front.Cheapest), ("safest", front.Safest), ("calmest", front.Calmest) })
        {
            if (point is not null)
            {
                yield return (name, point.Figures, point.Item);
            }
        }

        yield return ("recommended", r.Score.Figures, r.Recommended);
        yield return ("baseline", r.BaselineScore.Figures, r.Baseline);
    }

    private void FrontTable(StringBuilder sb)
    {
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Pareto front: {r.Front.Length} loop-free candidates that no other beats on cost, service and churn on all the data ({r.Front.Count(p => p.Feasible)} of them meet the constraints)."));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {"point",-13}{"task-min",10} {"service",8} {"churn/d",8}  settings"));
        foreach (var (name, o, d) in Points())
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-13}{F1(o.Cost),10} {F1(o.Service),8} {F1(o.Churn),8}  {Settings(d)}"));
        }

        sb.AppendLine("  (service: minutes above target + unserved task-minutes; churn/d: (scale actions + reversals) a day)");
    }

    /// <summary>The race against target tracking on all the data; null without a per-task metric.</summary>
    /// <returns>The verdict, or null.</returns>
    public RaceVerdict? Race() => r.TargetTracking is { } tt ? RaceVerdict.Of(Whole(TuningReport.RecommendedLabel), tt.BestFigures) : null;

    private void VerdictText(StringBuilder sb)
    {
        if (r.TargetTracking is not { } tt || Race() is not { } race)
        {
            sb.AppendLine("Verdict: no per-task metric, so no target-tracking policy to race.");
            return;
        }

        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Step scaling vs target tracking, on all the data (step: the recommendation; target tracking: tuned, target {Num.Format(tt.Best.TargetValue)}{Unit}, scale-in cooldown {tt.Best.ScaleInCooldown} s, {(tt.BestFeasible ? "meets the same constraints" : "does NOT meet the same constraints: " + E(string.Join("; ", tt.BestExceeded)))}):"));
        foreach (var line in race.Lines)
        {
            var who = line.Better switch { RaceSide.StepScaling => "step scaling", RaceSide.TargetTracking => "target tracking", _ => "tie" };
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {line.Objective,-56} step {F1(line.Step),10}  tt {F1(line.TargetTracking),10}  → {who}"));
        }

        sb.AppendLine("Verdict: " + Verdict(race));
    }

    /// <summary>A race's verdict in words.</summary>
    /// <param name="race">The race.</param>
    /// <returns>The sentence.</returns>
    public static string Verdict(RaceVerdict race) => race.Dominant switch
    {
        RaceSide.StepScaling => "step scaling dominates target tracking: no worse on any objective and better on at least one.",
        RaceSide.TargetTracking => "target tracking dominates step scaling: no worse on any objective and better on at least one.",
        _ when race.Lines.All(l => l.Better == RaceSide.Tie) => "a tie on every objective.",
        _ => $"neither dominates: step scaling is better on {ObjectiveNames(race, RaceSide.StepScaling)}, target tracking on {ObjectiveNames(race, RaceSide.TargetTracking)}.",
    };

    private static string ObjectiveNames(RaceVerdict race, RaceSide side) =>
        string.Join(" and ", race.Lines.Where(l => l.Better == side).Select(l => l.Objective.Split(' ')[0]));

    /// <summary>The text report.</summary>
    /// <returns>The report.</returns>
    public string Text()
    {
        var sb = new StringBuilder();
        foreach (var f in Findings())
        {
            sb.AppendLine(f);
        }

        sb.AppendLine(Header()).AppendLine(Constraints()).AppendLine(Range()).AppendLine(SearchLine()).AppendLine(Advice()).AppendLine();
        WholeTable(sb);
        sb.AppendLine();
        FoldTable(sb);
        sb.AppendLine();
        StressTable(sb);
        sb.AppendLine();
        FrontTable(sb);
        sb.AppendLine();
        sb.AppendLine(r.Supported
            ? string.Create(CultureInfo.InvariantCulture, $"Recommended scaling (paste under config: in {E(Path.GetFileName(q.Path))}):")
            : "Best compromise — it does NOT meet the constraints (see the binding constraint above); not a recommendation:");
        sb.AppendLine().Append(yaml).AppendLine().AppendLine("Its plan:").AppendLine(PolicyText.Summary(r.RecommendedSpec)).AppendLine();
        VerdictText(sb);
        return sb.ToString();
    }
}
