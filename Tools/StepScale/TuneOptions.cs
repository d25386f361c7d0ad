using System.CommandLine;
using System.Globalization;
using StepScaling.Rendering;
using StepScaling.Simulation;
using StepScaling.Tuning;

namespace StepScale.Cli;

/// <summary>The options of <c>stepscale tune</c>, built once per command.</summary>
internal sealed class TuneOptions
{
    public Option<string[]> Traces { get; } = new("--trace", "-t") { Description = "A trace: CSV 'timestamp,demand' or CloudWatch JSON (get-metric-data, get-metric-statistics); repeat for several.", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };

    public Option<string[]> Policies { get; } = new("--policy", "-p") { Description = "A config policy to tune (repeat); default: every policy.", Arity = ArgumentArity.OneOrMore };

    public Option<double?> Target { get; } = new("--target") { Description = "The metric level a task should run at (default: the baseline's first per-task scale-out threshold)." };

    public Option<double?> MaxAbove { get; } = new("--max-minutes-above") { Description = "Minutes above target allowed per trace (default: no more than the baseline's)." };

    public Option<double?> MaxAbovePercent { get; } = new("--max-above-percent") { Description = "Minutes above target allowed per trace, as a percentage of its minutes." };

    public Option<double?> MaxUnserved { get; } = new("--max-unserved") { Description = "Unserved task-minutes (work above 100 % CPU or memory) allowed per trace (default: no more than the baseline's)." };

    public Option<double?> MaxActions { get; } = new("--max-actions-per-day") { Description = "Scale actions allowed per day (default: no more than the baseline's on each trace)." };

    public Option<double?> MaxReversals { get; } = new("--max-reversals-per-day") { Description = "Reversals within the flap window allowed per day (default: no more than the baseline's on each trace)." };

    public Option<bool> StressConstraint { get; } = new("--stress-constraint") { Description = "Make the stressed replays (demand × 1.2, shifted, start-up × 2) constraints too: no worse than the baseline under each." };

    public Option<int> Folds { get; } = new("--folds") { Description = "Rolling-origin cross-validation folds (0 for none).", DefaultValueFactory = _ => TuningOptions.DefaultFolds };

    public Option<double> MaxFoldSpread { get; } = new("--max-fold-spread") { Description = "The advice is unstable (exit 1) when the folds' choices, replayed on all the data, spread more than this share of the baseline's task-minutes.", DefaultValueFactory = _ => TuningOptions.DefaultMaxFoldSpread };

    public Option<double> Margin { get; } = new("--threshold-margin") { Description = "Percentage points a CPU or memory scale-out threshold may sit above the target.", DefaultValueFactory = _ => TuningOptions.DefaultThresholdMargin };

    public Option<double> Ceiling { get; } = new("--max-threshold") { Description = "CPU and memory scale-out thresholds stay below this percentage (widen up to 100 at your own risk).", DefaultValueFactory = _ => TuningOptions.DefaultScaleOutCeiling };

    public Option<double> Budget { get; } = new("--budget") { Description = "Seconds the whole tuning may take (folds, final search, target tracking).", DefaultValueFactory = _ => TuningOptions.DefaultBudgetSeconds };

    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed: the same seed gives the same result when the search converges.", DefaultValueFactory = _ => TuningOptions.DefaultSeed };

    public Option<string> TtScaleIn { get; } = TtScaleInOption();

    public Option<string> Format { get; } = FormatOption();

    public Option<string?> Chart { get; } = ChartOutput.Option(" (timeline and Pareto front)");

    public Option<double?> Tasks { get; } = TraceInput.TasksOption();

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress lines on stderr (they show only when stderr is a terminal)." };

    public Option<bool> AllWarnings { get; } = StackInput.AllWarningsOption();

    public IEnumerable<Option> All => [Traces, Policies, Target, MaxAbove, MaxAbovePercent, MaxUnserved, MaxActions, MaxReversals, StressConstraint, Folds, MaxFoldSpread, Margin, Ceiling, Budget, Seed, TtScaleIn, Format, Chart, Tasks, Quiet, AllWarnings];

    /// <summary>The readings of target tracking's scale-in, by their option values.</summary>
    private static readonly Dictionary<string, TargetTrackingScaleIn> ScaleInReadings = new(StringComparer.Ordinal)
    {
        ["window-peak"] = TargetTrackingScaleIn.WindowPeak,
        ["proportional"] = TargetTrackingScaleIn.Proportional,
        ["one-task"] = TargetTrackingScaleIn.OneTask,
    };

    private static Option<string> TtScaleInOption()
    {
        var option = new Option<string>("--tt-scale-in")
        {
            Description = "How the target-tracking race scales in (AWS does not publish it): window-peak (the 15-minute window's peak load at the target), proportional (the last minute's load at the target) or one-task (one task per scale-in).",
            DefaultValueFactory = _ => "window-peak",
        };
        option.AcceptOnlyFromAmong([.. ScaleInReadings.Keys]);
        return option;
    }

    private static Option<string> FormatOption()
    {
        var format = new Option<string>("--format", "-f") { Description = "Output format: text, markdown, json or yaml (the scaling block only).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "markdown", "json", "yaml");
        return format;
    }

    public TuneRequest Read(ParseResult r, string path) => new(
        path, r.GetValue(Traces) ?? [], r.GetValue(Policies) ?? [], r.GetValue(Target), r.GetValue(MaxAbove), r.GetValue(MaxAbovePercent), r.GetValue(MaxUnserved),
        r.GetValue(MaxActions), r.GetValue(MaxReversals), r.GetValue(StressConstraint), r.GetValue(Folds), r.GetValue(MaxFoldSpread), r.GetValue(Margin), r.GetValue(Ceiling),
        r.GetValue(Budget), r.GetValue(Seed), r.GetValue(Format)!, r.GetValue(Chart), r.GetValue(Tasks), r.GetValue(Quiet), r.GetValue(AllWarnings), ScaleInReadings[r.GetValue(TtScaleIn)!]);
}

/// <summary>What the user asked <c>tune</c> for.</summary>
internal sealed record TuneRequest(
    string Path, string[] Traces, string[] Policies, double? Target, double? MaxAbove, double? MaxAbovePercent, double? MaxUnserved, double? MaxActionsPerDay,
    double? MaxReversalsPerDay, bool StressConstraint, int Folds, double MaxFoldSpread, double Margin, double Ceiling, double Budget, int Seed, string Format,
    string? Chart, double? Tasks, bool Quiet, bool AllWarnings = false, TargetTrackingScaleIn TtScaleIn = TargetTrackingPolicy.DefaultScaleInModel)
{
    /// <summary>The CLI's words in simulation and tuning reports: its option names.</summary>
    public static ReportWording Words { get; } = new("--target", "--budget", "--folds 0", "--stress-constraint", "--format json lists them all");

    /// <summary>What the tuning report prints beside the result, in the CLI's words.</summary>
    public TuneReportSettings ReportSettings() =>
        new(Path, Traces, MaxAbove, MaxAbovePercent, MaxUnserved, MaxActionsPerDay, MaxReversalsPerDay, StressConstraint, MaxFoldSpread, Margin, Ceiling, Seed) { Words = Words };

    /// <summary>The first usage problem, or null.</summary>
    public string? Problem()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        static bool NonNegative(double? v) => v is not { } x || (double.IsFinite(x) && x >= 0);
        if (ChartOutput.Problem(Chart) is { } chart)
        {
            return chart;
        }

        if (MaxAbove is not null && MaxAbovePercent is not null)
        {
            return "--max-minutes-above and --max-above-percent: give one or the other, not both";
        }

        return this switch
        {
            { Target: { } t } when !(double.IsFinite(t) && t > 0) => $"--target: must be a positive number; got {F(t)}",
            { MaxAbove: var m } when !NonNegative(m) => $"--max-minutes-above: must be 0 or more minutes; got {F(m!.Value)}",
            { MaxAbovePercent: { } p } when !(p >= 0 && p <= 100) => $"--max-above-percent: must be from 0 to 100; got {F(p)}",
            { MaxUnserved: var u } when !NonNegative(u) => $"--max-unserved: must be 0 or more task-minutes; got {F(u!.Value)}",
            { MaxActionsPerDay: var a } when !NonNegative(a) => $"--max-actions-per-day: must be 0 or more; got {F(a!.Value)}",
            { MaxReversalsPerDay: var v } when !NonNegative(v) => $"--max-reversals-per-day: must be 0 or more; got {F(v!.Value)}",
            { Folds: var k } when k is < 0 or > 10 => $"--folds: must be from 0 to 10; got {k}",
            { MaxFoldSpread: var s } when !(s >= 0 && s <= 10) => $"--max-fold-spread: must be from 0 to 10; got {F(s)}",
            { Margin: var g } when !(g >= 0 && g <= 100) => $"--threshold-margin: must be from 0 to 100 percentage points; got {F(g)}",
            { Ceiling: var c } when !(c > SaneRange.Floor + 5 && c <= 100) => $"--max-threshold: must be more than {F(SaneRange.Floor + 5)} and at most 100; got {F(c)}",
            { Budget: var b } when !(double.IsFinite(b) && b > 0 && b <= 86_400) => $"--budget: must be more than 0 and at most 86400 seconds; got {F(b)}",
            _ => Traces.FirstOrDefault(Directory.Exists) is { } dir ? $"{dir}: is a directory, not a CSV trace" : null,
        };
    }

    /// <summary>The core's options for this request.</summary>
    public TuningOptions Options(Action<TuningProgress>? progress) => new()
    {
        Policies = [.. Policies],
        Target = Target,
        MaxMinutesAbove = MaxAbove,
        MaxAbovePercent = MaxAbovePercent,
        MaxUnserved = MaxUnserved,
        MaxActionsPerDay = MaxActionsPerDay,
        MaxReversalsPerDay = MaxReversalsPerDay,
        StressAsConstraint = StressConstraint,
        Folds = Folds,
        MaxFoldSpread = MaxFoldSpread,
        ThresholdMargin = Margin,
        ScaleOutCeiling = Ceiling,
        Budget = TimeSpan.FromSeconds(Budget),
        Seed = Seed,
        TargetTrackingScaleIn = TtScaleIn,
        Progress = progress,
    };
}
