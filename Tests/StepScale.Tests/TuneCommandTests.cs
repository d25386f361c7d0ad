using System.Text.Json;
using StepScaling.Testing;

namespace StepScale.Tests;

/// <summary><c>stepscale tune</c> end to end, in-process: the table, the YAML that pastes and passes check, the formats, the exit codes.</summary>
public class TuneCommandTests : CliTest
{
    private static string Sample(string name) => Path.Combine(RepositoryFiles.Root, "samples", "traces", $"{name}.csv");

    [Test]
    public void Tune_ProdOnSpike_PrintsEverySectionAndEndsWithTheVerdict()
    {
        var result = Run("tune", Repo.ProdStack, "--trace", Sample("spike"), "--budget", "3");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        AssertNoStackTrace(result);
        Assert.That(result.StdoutLines[0], Does.StartWith($"Tuned stack prod on {Sample("spike")}: target 70 % per task (the scale-out threshold of cpu-out); tuned cpu, memory."));
        Assert.That(result.StdoutLines[1], Does.StartWith("Constraints, on every sample of every trace: the flap analysis finds no loop or reversal"));
        Assert.That(result.StdoutLines[2], Is.EqualTo("Sane range: CPU and memory scale-out thresholds from 20 % to the target (a policy's own threshold for the others) + 10 points, below 90 %: cpu ≤ 80 %, memory ≤ 85 %."));
        var whole = result.StdoutLines.ToList().IndexOf("spike.csv");
        Assert.That(result.StdoutLines[whole - 1], Does.StartWith("Whole traces "));
        Assert.That(result.StdoutLines.Skip(whole + 1).Take(5).Select(l => l[..18].Trim()), Is.EqualTo(new[] { "baseline", "recommended", "target tracking", "tt tuned", "oracle" }));

        Assert.That(result.StdoutLines, Has.Some.StartsWith("Cross-validation, rolling origin: every trace cut into 4 blocks"));
        Assert.That(result.StdoutLines, Has.Some.StartsWith("Stability: replayed on all the data, the folds' choices spread over "));
        Assert.That(result.StdoutLines, Does.Contain("demand × 1.2").And.Contain("shifted by a third").And.Contain("start-up × 2"));
        Assert.That(result.StdoutLines, Has.Some.StartsWith("Pareto front: "));
        foreach (var point in new[] { "cheapest", "safest", "calmest", "recommended", "baseline" })
        {
            Assert.That(result.StdoutLines, Has.Some.StartsWith($"  {point} ").And.Some.Contains(" | memory out "), point);
        }

        Assert.That(result.StdoutLines, Does.Contain("  step-scaled-ecs:scaling:").And.Contain("Its plan:"));
        Assert.That(result.StdoutLines[^1], Does.StartWith("Verdict: "));
        Assert.That(result.StdoutLines[^5], Does.StartWith("Step scaling vs target tracking, on all the data"));
    }

    [Test]
    public void Tune_CloudWatchJsonTrace_ReadByContentLikeItsConvertedCsv()
    {
        // Issue 9: tune --trace takes get-metric-data output directly, and tunes exactly as on the CSV `trace` writes.
        var json = Path.Combine(RepositoryFiles.Root, "Tests", "Fixtures", "cloudwatch", "get-metric-data-cpu-memory.json");
        var csv = Path.Combine(Dir, "cpu-memory.csv");
        Assert.That(Run("trace", json, "--stack", Repo.ProdStack, "--out", csv).Exit, Is.EqualTo(0));

        var fromJson = Run("tune", Repo.ProdStack, "--trace", json, "--budget", "3", "--seed", "7");
        var fromCsv = Run("tune", Repo.ProdStack, "--trace", csv, "--budget", "3", "--seed", "7");

        Assert.That(fromJson.Exit, Is.EqualTo(0), fromJson.ToString());
        AssertNoStackTrace(fromJson);
        static IEnumerable<string> Table(CliResult r) => r.StdoutLines.Where(l => l.StartsWith("  ", StringComparison.Ordinal));
        Assert.That(Table(fromJson), Is.Not.Empty);
        Assert.That(Table(fromJson), Is.EqualTo(Table(fromCsv)), "the same comparison, recommendation and plan");
    }

    [Test]
    public void Tune_ProdOnSteady_SaysTheBaselineIsAlreadyTheBestAndRecommendsItAsItIs()
    {
        // Constant demand at 36 % of 2 tasks: nothing scales, nothing can cost less than the minimum of 2 tasks.
        var result = Run("tune", Repo.ProdStack, "--trace", Sample("steady"), "--budget", "3");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[4], Does.StartWith("The baseline is already the best found: it meets every constraint"));
        Assert.That(result.Stdout, Does.Contain("        - {from: 70, to: 85, change: 1}\n        - {from: 85, change: 3}"));
    }

    [Test]
    public void Tune_YamlFormat_PastedUnderConfigPassesCheckWithFlapCheckError()
    {
        // The baseline flaps on bursty: the search must find another config, so it gets time to converge.
        var tuned = Run("tune", Repo.ProdStack, "--trace", Sample("bursty"), "--budget", "8", "--format", "yaml");
        Assert.That(tuned.Exit, Is.EqualTo(0), tuned.ToString());

        var stack = Write("Pulumi.tuned.yaml", "config:\n  aws:region: us-east-1\n  step-scaled-ecs:flapCheck: error\n" + tuned.Stdout);
        var check = Run("check", stack);

        Assert.That(check.Exit, Is.EqualTo(0), check.ToString());
        Assert.That(check.Stdout, Does.Contain(": ok (4 policies, 1 warning, 0 flap findings)"));
        Assert.That(check.OtherWarnings, Is.Empty, "the one warning is the stack's own: no certificate, plain HTTP");
    }

    [Test]
    public void Tune_Json_HasEveryTraceFoldStressFrontAndTheVerdict()
    {
        var result = Run("tune", Repo.ProdStack, "--trace", Sample("diurnal"), "--trace", Sample("steady"), "--budget", "4", "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var json = result.Json();
        Assert.That(json.GetProperty("supported").GetBoolean(), Is.True);
        var segments = json.GetProperty("segments").EnumerateArray().ToList();
        Assert.That(segments.Select(s => s.GetProperty("name").GetString()), Is.EqualTo(new[] { "diurnal.csv", "steady.csv" }));
        foreach (var s in segments)
        {
            var rows = s.GetProperty("rows").EnumerateArray().ToList();
            Assert.That(rows.Select(r => r.GetProperty("config").GetString()), Is.EqualTo(new[] { "baseline", "recommended", "target tracking", "tt tuned", "oracle" }));
            var (baseline, recommended) = (rows[0], rows[1]);
            Assert.That(recommended.GetProperty("reversals").GetInt32(), Is.LessThanOrEqualTo(baseline.GetProperty("reversals").GetInt32()));
            Assert.That(recommended.GetProperty("minutesAboveTarget").GetDouble(), Is.LessThanOrEqualTo(s.GetProperty("limits").GetProperty("minutesAboveTarget").GetDouble()));
            Assert.That(recommended.GetProperty("taskMinutes").GetDouble(), Is.LessThanOrEqualTo(baseline.GetProperty("taskMinutes").GetDouble()));
            Assert.That(rows[4].GetProperty("reversals").ValueKind, Is.EqualTo(JsonValueKind.Null), "the oracle is not a policy");
        }

        Assert.That(json.GetProperty("folds").GetArrayLength(), Is.EqualTo(3));
        Assert.That(json.GetProperty("stress").EnumerateArray().Select(s => s.GetProperty("stress").GetString()), Is.EqualTo(new[] { "demand × 1.2", "shifted by a third", "start-up × 2" }));
        Assert.That(json.GetProperty("front").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("point").GetString()), Is.EqualTo(new[] { "cheapest", "safest", "calmest", "recommended", "baseline" }));
        Assert.That(json.GetProperty("verdict").GetProperty("lines").GetArrayLength(), Is.EqualTo(3));
        Assert.That(json.GetProperty("scalingYaml").GetString(), Does.StartWith("  step-scaled-ecs:scaling:\n"));
    }

    [Test]
    public void Tune_Markdown_IsATableForAPullRequestComment()
    {
        var result = Run("tune", Repo.ProdStack, "--trace", Sample("spike"), "--trace", Sample("diurnal"), "--budget", "4", "--format", "markdown");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[0], Is.EqualTo("### Scaling tune: `prod` ✅"));
        Assert.That(result.StdoutLines, Does.Contain("| trace | config | task-minutes | × oracle | minutes above target | unserved | scale actions | reversals | peak tasks |"));
        Assert.That(result.StdoutLines.Count(l => l.StartsWith("| spike.csv |", StringComparison.Ordinal)), Is.EqualTo(5));
        Assert.That(result.StdoutLines, Has.Some.StartsWith("**Verdict:** "));
        Assert.That(result.StdoutLines.Count(l => l.StartsWith("| demand × 1.2 |", StringComparison.Ordinal) || l.StartsWith("| shifted by a third |", StringComparison.Ordinal) || l.StartsWith("| start-up × 2 |", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(result.StdoutLines, Has.Some.StartsWith("Folds: 3; replayed on all the data their choices spread over "));
        Assert.That(result.Stdout, Does.Contain("```yaml\n  step-scaled-ecs:scaling:"));
    }

    [Test]
    public void Tune_WithChart_WritesTheTimelineAndTheFrontInOneSvg()
    {
        var chart = Path.Combine(Dir, "out", "tune.svg");

        var result = Run("tune", Repo.ProdStack, "--trace", Sample("spike"), "--budget", "2", "--chart", chart);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StderrLines, Does.Contain($"chart written to {chart}"));
        Assert.That(File.ReadAllText(chart), Does.Contain("<svg").And.Contain("recommended (tasks)").And.Contain("oracle (tasks)").And.Contain("Pareto front on all the data")
            .And.Contain("baseline (the stack as written)").And.Contain("target tracking, tuned"));
    }

    [Test]
    public void Tune_FoldsDisagree_ExitsOneWithNoAdviceAndTheStabilityBinding()
    {
        var result = Run("tune", Repo.ProdStack, "--trace", Sample("bursty"), "--budget", "6", "--max-fold-spread", "0");

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        AssertNoStackTrace(result);
        Assert.That(result.Stdout, Does.Contain("NO ADVICE: the data cannot support a recommendation. Binding constraint: stability: the folds' choices disagree — replayed on all the data, fold "));
        Assert.That(result.Stdout, Does.Contain("Best compromise — it does NOT meet the constraints"));
        Assert.That(result.StdoutLines[0], Does.StartWith("Finding: the baseline reverses 10 times a day on bursty.csv"), "the baseline's own churn comes first");
    }

    [Test]
    public void Tune_MaxReversalsPerDayZero_RecommendationNeverReversesOrExitsOne()
    {
        var result = Run("tune", Repo.ProdStack, "--trace", Sample("bursty"), "--budget", "6", "--max-reversals-per-day", "0", "--folds", "0", "--format", "json");

        var json = result.Json();
        var rec = json.GetProperty("segments")[0].GetProperty("rows")[1];
        Assert.That(json.GetProperty("segments")[0].GetProperty("limits").GetProperty("reversals").GetDouble(), Is.Zero);
        Assert.That(result.Exit, Is.EqualTo(rec.GetProperty("reversals").GetInt32() == 0 ? 0 : 1), result.ToString());
    }

    [Test]
    public void Report_EveryFewSecondsAfterTheFirstTwo_OneLineWithTheBestSoFar()
    {
        var now = TimeSpan.Zero;
        using var stderr = new StringWriter();
        var line = new StepScale.Cli.TuneCommand.ProgressLine(stderr, () => now);
        var progress = new StepScaling.Tuning.TuningProgress("all data", 120, TimeSpan.FromSeconds(2.5), new StepScaling.Tuning.Objectives(2955, 10, 0, 21, 3, 1), true);

        foreach (var seconds in new[] { 0.5, 1.9, 2.5, 3.0, 5.4, 5.6, 7.0 })
        {
            now = TimeSpan.FromSeconds(seconds);
            line.Report(progress);
        }

        line.Done();
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3), "at 2.5 s and 5.6 s, then done");
        Assert.That(lines[0], Is.EqualTo("tune: all data: 120 replays, 3 s; best so far 2,955 task-minutes, 10 min above target, 3 reversals (meets the limits)"));
        Assert.That(lines[2], Is.EqualTo("tune: done in 7.0 s"));
    }

    [Test]
    public void Done_BeforeTwoSeconds_Silent()
    {
        using var stderr = new StringWriter();
        var line = new StepScale.Cli.TuneCommand.ProgressLine(stderr, () => TimeSpan.FromSeconds(1));

        line.Report(new StepScaling.Tuning.TuningProgress("fold 1 of 3", 10, TimeSpan.FromSeconds(1), StepScaling.Tuning.Objectives.Zero, false));
        line.Done();

        Assert.That(stderr.ToString(), Is.Empty);
    }

    [Test]
    public void Tune_StderrNotATerminal_NoProgressLines()
    {
        var result = Run("tune", Repo.ProdStack, "--trace", Sample("bursty"), "--budget", "4");

        Assert.That(result.StderrLines, Has.None.StartsWith("tune: "));
        Assert.That(Run("tune", Repo.ProdStack, "--trace", Sample("spike"), "--budget", "1", "--quiet").Exit, Is.EqualTo(0));
    }

    [Test]
    public void Tune_TraceBeyondMaxCapacity_ExitsOneAndNamesTheBindingConstraint()
    {
        var stack = Stack("Pulumi.small.yaml", "scaling:\n  minCapacity: 1\n  maxCapacity: 2\n  policies:\n    - name: cpu\n      metric: CPUUtilization\n      scaleOut:\n        bands:\n          - { from: 70, change: 1 }\n      scaleIn:\n        bands:\n          - { to: 20, change: -1 }");
        var trace = Trace("flood.csv", [.. Enumerable.Repeat(50.0, 20), .. Enumerable.Repeat(1000.0, 20), .. Enumerable.Repeat(50.0, 20)]);

        var result = Run("tune", stack, "--trace", trace, "--budget", "2", "--max-minutes-above", "0");

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        AssertNoStackTrace(result);
        Assert.That(result.Stdout, Does.Contain("NO ADVICE: the data cannot support a recommendation. Binding constraint: flood.csv: minutes above target "));
        Assert.That(result.Stdout, Does.Contain("the demand needs more than maxCapacity, 2 tasks, at the target: no config can serve it"));
        Assert.That(result.Stdout, Does.Contain("Best compromise — it does NOT meet the constraints").And.Contain("step-scaled-ecs:scaling:"));
    }

    [Test]
    public void Tune_LoopingBaseline_IsTunedAndItsLoopIsANote()
    {
        var stack = DevWith("flapCheck: error");

        var result = Run("tune", stack, "--trace", Sample("diurnal"), "--budget", "3");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.StderrLines, Has.Some.StartsWith("note: baseline: scaling.policies[0].scaleIn: scaling loop:"));
        Assert.That(result.StdoutLines[0], Does.StartWith("Finding: the baseline has a scaling loop or reversal in the flap analysis"), "the loop is the finding, said first");
    }

    [TestCase("--max-minutes-above", "5", "--max-above-percent", "1", "error: --max-minutes-above and --max-above-percent: give one or the other, not both")]
    [TestCase("--target", "0", null, null, "error: --target: must be a positive number; got 0")]
    [TestCase("--folds", "11", null, null, "error: --folds: must be from 0 to 10; got 11")]
    [TestCase("--max-threshold", "101", null, null, "error: --max-threshold: must be more than 25 and at most 100; got 101")]
    [TestCase("--threshold-margin", "-1", null, null, "error: --threshold-margin: must be from 0 to 100 percentage points; got -1")]
    [TestCase("--max-reversals-per-day", "-1", null, null, "error: --max-reversals-per-day: must be 0 or more; got -1")]
    [TestCase("--max-unserved", "NaN", null, null, "error: --max-unserved: must be 0 or more task-minutes; got NaN")]
    [TestCase("--budget", "-1", null, null, "error: --budget: must be more than 0 and at most 86400 seconds; got -1")]
    [TestCase("--chart", "out.pdf", null, null, "error: --chart: the path must end in .svg or .png; got 'out.pdf'")]
    [TestCase("--policy", "disk", null, null, "error: --policy: no policy named 'disk' in")]
    [TestCase("--max-above-percent", "101", null, null, "error: --max-above-percent: must be from 0 to 100; got 101")]
    public void Tune_BadOption_ExitsTwoWithTheOptionNamed(string option, string value, string? option2, string? value2, string message)
    {
        string[] extra = option2 is null ? [option, value] : [option, value, option2!, value2!];

        var result = Run(["tune", Repo.ProdStack, "--trace", Sample("spike"), .. extra]);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors[0], Does.StartWith(message));
    }

    [Test]
    public void Tune_WithoutTrace_ExitsTwo()
    {
        var result = Run("tune", Repo.ProdStack);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors[0], Does.Contain("--trace"));
    }

    [Test]
    public void Tune_StackWithErrors_ExitsOneBeforeTuning()
    {
        var stack = Stack("Pulumi.bad.yaml", "scaling:\n  minCapacity: 3\n  maxCapacity: 2");

        var result = Run("tune", stack, "--trace", Sample("spike"), "--budget", "1");

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Has.Some.EqualTo($"error: {stack}: the stack has errors; fix them before tuning"));
    }
}
