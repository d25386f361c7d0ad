using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StepScale.Tests;

/// <summary><c>stepscale simulate</c>: bundled samples and CSV traces, text, Markdown and JSON, charts, and bad input.</summary>
public class SimulateCommandTests : CliTest
{
    private static readonly string[] SummaryFields = ["taskMinutes", "minutesAboveTarget", "targetUtilization", "scaleActions", "flaps", "oracleTaskMinutes", "taskMinutesVsOracle", "noStepFound", "unservedTaskMinutes"];

    private static int Figure(CliResult result, string label)
    {
        var match = Regex.Match(result.Stdout, $@"^  {Regex.Escape(label)}:? +(\d+)", RegexOptions.Multiline);
        Assert.That(match.Success, Is.True, $"no '{label}' line in\n{result.Stdout}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static IReadOnlyList<(int Seconds, int From, int To, string Policy)> Events(JsonElement simulation) =>
        [.. simulation.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("seconds").GetInt32(), e.GetProperty("from").GetInt32(), e.GetProperty("to").GetInt32(), e.GetProperty("policy").GetString()!))];

    /// <summary>For prod: 10 minutes at 100 (50 % of 2 tasks), 20 at 200 (100 %: +3), 30 at 20 (3-of-3 scale-in, 300 s cooldown).</summary>
    private string ProdRampTrace(string name = "ramp.csv") =>
        Trace(name, [.. Enumerable.Repeat(100.0, 10), .. Enumerable.Repeat(200.0, 20), .. Enumerable.Repeat(20.0, 30)]);

    [Test]
    public void Simulate_DevWithoutTrace_BundledDiurnalSampleShowsTheLoop()
    {
        var result = Run("simulate", Repo.DevStack);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[0], Is.EqualTo("Simulated stack dev on bundled sample 'diurnal': 1440 samples, 60 s apart."));
        Assert.That(result.Stdout, Does.Contain("  task-minutes:").And.Contain("  oracle task-minutes:").And.Contain("  minutes above target:"));
        Assert.That(Figure(result, "scale actions"), Is.GreaterThan(0));
        Assert.That(Figure(result, "flaps (reversals ≤ 15 min)"), Is.GreaterThan(0), "the seed loops, as the flap analysis predicts");
        Assert.That(result.StdoutLines, Does.Contain("Scale events:"));
        Assert.That(result.OtherWarnings.Single(), Does.StartWith($"warning: scaling.policies[0].scaleIn: {DevLoop}"));
    }

    [Test]
    public void Simulate_ProdOnSteadySample_SettlesWithoutFlaps()
    {
        var result = Run("simulate", Repo.ProdStack, "--sample", "steady");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[0], Is.EqualTo("Simulated stack prod on bundled sample 'steady': 1440 samples, 60 s apart."));
        Assert.That(Figure(result, "flaps (reversals ≤ 15 min)"), Is.Zero);
        Assert.That(Figure(result, "scale actions"), Is.Zero);
        Assert.That(result.StdoutLines, Does.Contain("No scale events."));
        Assert.That(result.StderrLines, Is.Empty, "the load balancer's HTTPS warning has no bearing on a replay; check reports it");
    }

    [Test]
    public void Simulate_ProdOnSpikeSample_ScalesOutAtSixAndBackIn()
    {
        var result = Run("simulate", Repo.ProdStack, "--sample", "spike");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain("  2026-01-01 06:00  2 → 3  CPUUtilization 80 % (Average) ≥ 70 %: cpu-out adds 1 → 3 tasks"));
        Assert.That(Figure(result, "scale actions"), Is.EqualTo(2));
    }

    [Test]
    public void Simulate_CsvTraceInSeconds_EventsAsAwsWouldScale()
    {
        var result = Run("simulate", Repo.ProdStack, "--trace", ProdRampTrace(), "--startup-delay", "0", "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var simulation = result.Json();
        Assert.That(simulation.GetProperty("trace").GetString(), Does.EndWith("ramp.csv"));
        Assert.That((simulation.GetProperty("samples").GetInt32(), simulation.GetProperty("intervalSeconds").GetInt32()), Is.EqualTo((60, 60)));
        Assert.That(Events(simulation), Is.EqualTo(new[]
        {
            (600, 2, 5, "cpu-out"),   // 100 % ≥ 85 %: +3 (memory's +2 loses to the larger change)
            (1920, 5, 4, "cpu-in"),   // 4 % for 3 of 3 minutes from 1800 s
            (2220, 4, 3, "cpu-in"),   // then once per 300 s cooldown
            (2520, 3, 2, "cpu-in"),
        }));
        var summary = simulation.GetProperty("summary");
        Assert.That(summary.GetProperty("taskMinutes").GetDouble(), Is.EqualTo((10 * 2) + (22 * 5) + (5 * 4) + (5 * 3) + (18 * 2)));
        Assert.That(summary.GetProperty("scaleActions").GetInt32(), Is.EqualTo(4));
        Assert.That(summary.GetProperty("flaps").GetInt32(), Is.Zero);
    }

    [Test]
    public void Simulate_CsvTraceInIso8601_SameEventsAtTheTraceTimes()
    {
        var rows = Enumerable.Range(0, 60).Select(i => FormattableString.Invariant($"{new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc).AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ},{(i < 10 ? 100 : i < 30 ? 200 : 20)}\n"));
        var path = Write("iso.csv", "timestamp,demand\n" + string.Concat(rows));

        var result = Run("simulate", Repo.ProdStack, "--trace", path, "--startup-delay", "0", "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var events = result.Json().GetProperty("events").EnumerateArray().ToList();
        Assert.That(events.Select(e => e.GetProperty("time").GetString()), Is.EqualTo(new[] { "2026-03-01T12:10:00Z", "2026-03-01T12:32:00Z", "2026-03-01T12:37:00Z", "2026-03-01T12:42:00Z" }));
    }

    [Test]
    public void Simulate_FiveMinuteSamples_HeldPerMinuteLikeTheSameDemandWrittenPerMinute()
    {
        // CloudWatch still evaluates a 60 s alarm every minute: a coarse trace is held, not read as one period per sample.
        double[] coarse = [40, 160, 160, 160, 40, 40, 40, 40];
        var fiveMinutes = Write("five.csv", "timestamp,demand\n" + string.Concat(coarse.Select((d, i) => FormattableString.Invariant($"{i * 300},{d}\n"))));
        var perMinute = Trace("minute.csv", [.. coarse.SelectMany(d => Enumerable.Repeat(d, 5))]);

        var held = Run("simulate", Repo.ProdStack, "--trace", fiveMinutes, "--startup-delay", "0", "--format", "json");
        var written = Run("simulate", Repo.ProdStack, "--trace", perMinute, "--startup-delay", "0", "--format", "json");

        Assert.That(held.Exit, Is.EqualTo(0), held.ToString());
        Assert.That(held.StderrLines, Does.Contain($"note: {fiveMinutes}: samples are 300 s apart; each is held for 5 × 60 s so that every alarm period is whole"));
        Assert.That(Events(held.Json()), Is.EqualTo(Events(written.Json())));
        Assert.That(Events(held.Json()), Has.Count.GreaterThan(1));
    }

    [Test]
    public void Simulate_TraceTimedInSecondsFromZero_EventsAtElapsedTimesNot1970()
    {
        var path = Trace("elapsed.csv", [40, 40, 160, 160, 160, 160, 160]);

        var text = Run("simulate", Repo.ProdStack, "--trace", path, "--startup-delay", "0");
        var json = Run("simulate", Repo.ProdStack, "--trace", path, "--startup-delay", "0", "--format", "json");

        Assert.That(text.StdoutLines, Has.Some.StartsWith("  +0:02  2 → 3"));
        Assert.That(text.Stdout, Does.Not.Contain("1970"));
        Assert.That(json.Json().GetProperty("events")[0].GetProperty("time").GetString(), Is.EqualTo("+0:02"));
    }

    [Test]
    public void Simulate_PolicyColumn_GivesThatPolicyItsOwnDemandAndUnknownColumnsWarn()
    {
        var rows = Enumerable.Range(0, 20).Select(i => FormattableString.Invariant($"{i * 60},100,{(i >= 5 ? 200 : 100)},1\n"));
        var path = Write("columns.csv", "timestamp,demand,memory,bogus\n" + string.Concat(rows));

        var result = Run("simulate", Repo.ProdStack, "--trace", path, "--startup-delay", "0", "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.OtherWarnings, Is.EqualTo(new[] { "warning: trace column 'bogus' names no policy of the stack; it is ignored" }));
        Assert.That(Events(result.Json()), Is.EqualTo(new[] { (300, 2, 4, "memory-out"), (480, 4, 3, "cpu-in") }));
    }

    [Test]
    public void Simulate_Json_SummaryFieldsEventsAndDiagnostics()
    {
        var result = Run("simulate", Repo.DevStack, "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var simulation = result.Json();
        Assert.That(simulation.GetProperty("stack").GetString(), Is.EqualTo("dev"));
        Assert.That(simulation.GetProperty("trace").GetString(), Is.EqualTo("bundled sample 'diurnal'"));
        Assert.That((simulation.GetProperty("samples").GetInt32(), simulation.GetProperty("intervalSeconds").GetInt32()), Is.EqualTo((1440, 60)));
        var summary = simulation.GetProperty("summary");
        Assert.That(summary.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(SummaryFields));
        Assert.That(summary.GetProperty("taskMinutes").GetDouble(), Is.InRange(1440.0, 4 * 1440.0), "between min and max capacity for a day");
        Assert.That(summary.GetProperty("targetUtilization").GetDouble(), Is.EqualTo(10));
        Assert.That(summary.GetProperty("flaps").GetInt32(), Is.GreaterThan(0));
        var events = simulation.GetProperty("events").EnumerateArray().ToList();
        Assert.That(events, Has.Count.EqualTo(summary.GetProperty("scaleActions").GetInt32()));
        foreach (var e in events)
        {
            Assert.That(e.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "time", "seconds", "from", "to", "policy", "reason" }));
            Assert.That(e.GetProperty("policy").GetString(), Is.AnyOf("memory-out", "memory-in"));
            Assert.That(e.GetProperty("to").GetInt32(), Is.InRange(1, 4).And.Not.EqualTo(e.GetProperty("from").GetInt32()));
        }

        Assert.That(simulation.GetProperty("diagnostics").EnumerateArray().Select(d => (d.GetProperty("severity").GetString(), d.GetProperty("path").GetString())), Is.EqualTo(new[] { ("warning", "loadBalancer.certificateArn"), ("warning", "scaling.policies[0].scaleIn") }));
    }

    [Test]
    public void Simulate_Markdown_FiguresTable()
    {
        var result = Run("simulate", Repo.ProdStack, "--sample", "steady", "--format", "markdown");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[]
        {
            "### Scaling simulation: `prod` on bundled sample 'steady'",
            "| Figure | Value |",
            "|---|---|",
            "| task-minutes | 2880 |",
            "| oracle task-minutes | 2880 (×1.00) |",
            "| minutes above target | 0 |",
            "| unserved task-minutes | 0 (demand beyond 100 % CPU or memory) |",
            "| scale actions | 0 |",
            "| flaps | 0 |",
        }));
    }

    [Test]
    public void Simulate_ChartSvg_WritesAnSvgFile()
    {
        var chart = Path.Combine(Dir, "prod.svg");

        var result = Run("simulate", Repo.ProdStack, "--chart", chart);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(new FileInfo(chart).Length, Is.GreaterThan(0));
        var start = File.ReadAllText(chart).TrimStart();
        Assert.That(start.StartsWith("<svg", StringComparison.Ordinal) || start.StartsWith("<?xml", StringComparison.Ordinal), Is.True, start[..Math.Min(80, start.Length)]);
        Assert.That(start, Does.Contain("<svg"));
        Assert.That(result.StderrLines, Does.Contain($"chart written to {chart}"));
    }

    [Test]
    public void Simulate_ChartPng_WritesAPngFile()
    {
        var chart = Path.Combine(Dir, "dev.PNG");

        var result = Run("simulate", Repo.DevStack, "-c", chart);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var bytes = File.ReadAllBytes(chart);
        Assert.That(bytes, Has.Length.GreaterThan(1000));
        Assert.That(bytes[..8], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
    }

    [TestCase("out.jpg")]
    [TestCase("out.svg.txt")]
    [TestCase("out")]
    public void Simulate_UnsupportedChartExtension_ExitsTwoBeforeSimulating(string name)
    {
        var chart = Path.Combine(Dir, name);

        var result = Run("simulate", Repo.ProdStack, "--chart", chart);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { $"error: --chart: the path must end in .svg or .png; got '{chart}'" }));
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(File.Exists(chart), Is.False);
    }

    [Test]
    public void Simulate_ChartInAMissingFolder_CreatesTheFolder()
    {
        var chart = Path.Combine(Dir, "out", "charts", "prod.png");

        var result = Run("simulate", Repo.ProdStack, "--chart", chart);

        Assert.That(result.Exit, Is.Zero);
        Assert.That(File.ReadAllBytes(chart).Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
    }

    [Test]
    public void Simulate_ChartUnderAFile_ExitsTwoSayingItCannotWrite()
    {
        var blocker = Path.Combine(Dir, "not-a-folder");
        File.WriteAllText(blocker, "x");
        var chart = Path.Combine(blocker, "out.png");

        var result = Run("simulate", Repo.ProdStack, "--chart", chart);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors.Single(), Does.StartWith($"error: {chart}: cannot write the chart: "));
    }

    public static IEnumerable<TestCaseData> BadTraces()
    {
        static TestCaseData Case(string name, string csv, string error) => new TestCaseData(csv, error).SetArgDisplayNames(name);

        yield return Case("empty file", string.Empty, "error: trace.csv: the trace is empty: expected a header 'timestamp,demand'");
        yield return Case("header only", "timestamp,demand\n", "error: trace.csv: a trace needs at least 2 samples; got 0");
        yield return Case("one sample", "timestamp,demand\n0,10\n", "error: trace.csv: a trace needs at least 2 samples; got 1");
        yield return Case("demand column missing", "timestamp\n0\n60\n", "error: trace.csv:1: the header must start with 'timestamp,demand'; got 'timestamp'");
        yield return Case("columns swapped", "demand,timestamp\n10,0\n10,60\n", "error: trace.csv:1: the header must start with 'timestamp,demand'; got 'demand,timestamp'");
        yield return Case("a row missing its demand", "timestamp,demand\n0,10\n60\n120,10\n", "error: trace.csv:3: expected 2 fields, as in the header 'timestamp,demand'; got 1");
        yield return Case("a row with an extra field", "timestamp,demand\n0,10\n60,10,5\n", "error: trace.csv:3: expected 2 fields, as in the header 'timestamp,demand'; got 3");
        yield return Case("non-numeric demand", "timestamp,demand\n0,abc\n60,50\n", "error: trace.csv:2: demand must be a number from 0 to 1000000000000000, or empty for a missing sample; got 'abc'");
        yield return Case("negative demand", "timestamp,demand\n0,-5\n60,50\n", "error: trace.csv:2: demand must be a number from 0 to 1000000000000000, or empty for a missing sample; got '-5'");
        yield return Case("huge demand", "timestamp,demand\n0,1e400\n60,50\n", "error: trace.csv:2: demand must be a number from 0 to 1000000000000000, or empty for a missing sample; got '1e400'");
        yield return Case("NaN demand", "timestamp,demand\n0,NaN\n60,50\n", "error: trace.csv:2: demand must be a number from 0 to 1000000000000000, or empty for a missing sample; got 'NaN'");
        yield return Case("bad timestamp", "timestamp,demand\nyesterday,10\n60,10\n", "error: trace.csv:2: timestamp must be " + StepScaling.Simulation.TraceTime.Accepted + "; got 'yesterday'");
        yield return Case("timestamps descending", "timestamp,demand\n120,5\n60,50\n", "error: trace.csv:3: time goes backwards: this sample ('60') is 60 s before the previous; rows must be in time order");
        yield return Case("timestamps out of order later", "timestamp,demand\n0,5\n60,5\n30,5\n", "error: trace.csv:4: time goes backwards: this sample ('30') is 30 s before the previous; rows must be in time order");
        yield return Case("duplicate timestamps", "timestamp,demand\n0,1\n0,1\n", "error: trace.csv:3: this sample's time ('0') repeats the previous row's; each time may appear once");
        yield return Case("a step not a whole number of intervals", "timestamp,demand\n2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,2\n2026-01-01T00:02:30Z,2\n", "error: trace.csv:4: this sample is 90 s after the previous, not a whole multiple of the trace's interval (60 s, its smallest step between rows); a gap must span whole intervals");
        yield return Case("fractional spacing", "timestamp,demand\n0,1\n0.5,1\n", "error: trace.csv:3: samples must be a whole number of seconds apart; this one is 0.5 s after the previous");
        yield return Case("unclosed quote", "timestamp,demand\n0,1\n60,\"2\n", "error: trace.csv:3: malformed CSV: a quoted field is not closed, or a quote sits inside an unquoted field: '\"2'");
    }

    [TestCaseSource(nameof(BadTraces))]
    public void Simulate_BadTrace_ExitsOneWithTheLineAndTheRule(string csv, string error)
    {
        var trace = Write("trace.csv", csv);

        var result = RunWithin(TimeSpan.FromSeconds(30), "simulate", Repo.ProdStack, "--trace", trace);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Is.EqualTo(new[] { error }));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Simulate_EveryBadRowOfATrace_ListedAtOnceWithoutFollowOnErrors()
    {
        var trace = Write("trace.csv", "timestamp,demand\n0,abc\n60,-1\nnoon,5\n180,5,1\n240,5\n");

        var result = Run("simulate", Repo.ProdStack, "--trace", trace);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Is.EqualTo(new[]
        {
            "error: trace.csv:2: demand must be a number from 0 to 1000000000000000, or empty for a missing sample; got 'abc'",
            "error: trace.csv:3: demand must be a number from 0 to 1000000000000000, or empty for a missing sample; got '-1'",
            "error: trace.csv:4: timestamp must be " + StepScaling.Simulation.TraceTime.Accepted + "; got 'noon'",
            "error: trace.csv:5: expected 2 fields, as in the header 'timestamp,demand'; got 3",
        }));
    }

    [Test]
    public void Simulate_StepNotAWholeNumberOfIntervalsAfterBlankLines_NamesTheLineOfTheSample()
    {
        var trace = Write("trace.csv", "timestamp,demand\n0,5\n\n60,5\n\n150,5\n");

        var result = Run("simulate", Repo.ProdStack, "--trace", trace);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Is.EqualTo(new[] { "error: trace.csv:6: this sample is 90 s after the previous, not a whole multiple of the trace's interval (60 s, its smallest step between rows); a gap must span whole intervals" }));
    }

    [Test]
    public void Simulate_CsvWithGaps_NoteAndTheSameReplayAsEmptyCells()
    {
        // The prod ramp with a night-like hole of 20 minutes in the high load and another of 5 in the low load: rows
        // left out by a monitoring export, or written with an empty demand; both are missing samples.
        double?[] demand = [.. Enumerable.Repeat<double?>(100, 10), .. Enumerable.Repeat<double?>(200, 5), .. Enumerable.Repeat<double?>(null, 20), .. Enumerable.Repeat<double?>(200, 15), .. Enumerable.Repeat<double?>(20, 10), .. Enumerable.Repeat<double?>(null, 5), .. Enumerable.Repeat<double?>(20, 15)];
        Directory.CreateDirectory(Path.Combine(Dir, "gapped"));
        Directory.CreateDirectory(Path.Combine(Dir, "cells"));
        var gapped = Write("gapped/trace.csv", "timestamp,demand\n" + string.Concat(demand.Select((d, i) => d is { } v ? FormattableString.Invariant($"{i * 60},{v}\n") : string.Empty)));
        var cells = Write("cells/trace.csv", "timestamp,demand\n" + string.Concat(demand.Select((d, i) => FormattableString.Invariant($"{i * 60},{d}\n"))));

        var withGaps = Run("simulate", Repo.ProdStack, "--trace", gapped, "--startup-delay", "0", "--format", "json");
        var withCells = Run("simulate", Repo.ProdStack, "--trace", cells, "--startup-delay", "0", "--format", "json");
        var text = Run("simulate", Repo.ProdStack, "--trace", gapped, "--startup-delay", "0");
        var textWithCells = Run("simulate", Repo.ProdStack, "--trace", cells, "--startup-delay", "0");

        Assert.That(withGaps.Exit, Is.EqualTo(0), withGaps.ToString());
        Assert.That(withGaps.StderrLines, Does.Contain("note: trace.csv: 2 gaps in the timestamps, 25 missing samples in all (the longest, 20, just before row 17); missing samples are read as missing datapoints"));
        Assert.That(withCells.StderrLines, Has.None.StartWith("note: trace.csv:"), "empty cells are not gaps");
        var (a, b) = (withGaps.Json(), withCells.Json());
        Assert.That((a.GetProperty("samples").GetInt32(), a.GetProperty("intervalSeconds").GetInt32()), Is.EqualTo((demand.Length, 60)));
        Assert.That(a.GetProperty("summary").GetRawText(), Is.EqualTo(b.GetProperty("summary").GetRawText()), "bit-identical summary, oracle included");
        Assert.That(a.GetProperty("events").GetRawText(), Is.EqualTo(b.GetProperty("events").GetRawText()));
        Assert.That(Events(a), Is.Not.Empty);
        Assert.That(text.Stdout.Replace(gapped, "T", StringComparison.Ordinal), Is.EqualTo(textWithCells.Stdout.Replace(cells, "T", StringComparison.Ordinal)));
    }

    [Test]
    public void Simulate_BinaryTrace_ExitsOneWithoutAStackTrace()
    {
        var bytes = new byte[2048];
#pragma warning disable CA5394 // Not security: a fixed seed makes the garbage reproducible.
        new Random(7).NextBytes(bytes);
#pragma warning restore CA5394

        var result = RunWithin(TimeSpan.FromSeconds(30), "simulate", Repo.ProdStack, "--trace", Write("trace.csv", bytes));

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Has.Count.GreaterThanOrEqualTo(1));
        Assert.That(result.Errors[0], Does.StartWith("error: trace.csv"));
    }

    [Test]
    public void Simulate_MissingSamples_AreGapsNotErrors()
    {
        var trace = Write("gaps.csv", "timestamp,demand\n0,100\n60,\n120,100\n180,100\n");

        var result = Run("simulate", Repo.ProdStack, "--trace", trace);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[0], Does.EndWith("gaps.csv: 4 samples, 60 s apart."));
    }

    [Test]
    public void Simulate_MissingTraceFile_ExitsTwo()
    {
        var missing = Path.Combine(Dir, "nope.csv");

        var result = Run("simulate", Repo.ProdStack, "--trace", missing);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors.Single(), Does.StartWith($"error: {missing}: cannot read the trace: "));
    }

    [Test]
    public void Simulate_TraceIsADirectory_ExitsTwoSayingSo()
    {
        var result = Run("simulate", Repo.ProdStack, "--trace", Dir);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { $"error: {Dir}: is a directory, not a CSV trace" }));
    }

    [Test]
    public void Simulate_StackWithErrors_ExitsOneWithoutSimulating()
    {
        var path = Stack("Pulumi.bad.yaml", "scaling:\n  minCapacity: 5\n  maxCapacity: 2\n  policies: []");

        var result = Run("simulate", path);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Is.EqualTo(new[]
        {
            "error: scaling.maxCapacity: must be at least minCapacity (5); got 2",
            $"error: {path}: the stack has errors; fix them before simulating",
        }));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Simulate_ValidScalingButAKeyPulumiWouldNotRead_ExitsOneWithoutSimulating()
    {
        var path = Write("Pulumi.prod.yaml", File.ReadAllText(Repo.ProdStack) + "  other-app:flapCheck: off\n");

        var result = Run("simulate", path);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors[0], Does.StartWith("error: other-app:flapCheck: is in namespace 'other-app'"));
        Assert.That(result.Errors[^1], Is.EqualTo($"error: {path}: the stack has errors; fix them before simulating"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Simulate_DevWithFlapCheckError_StillSimulatesTheLoop()
    {
        // The finding is an error for deployment, but seeing the loop play out is the point of simulating it.
        var result = Run("simulate", DevWith("flapCheck: error"));

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Errors.Single(), Does.StartWith($"error: scaling.policies[0].scaleIn: {DevLoop}"));
        Assert.That(Figure(result, "flaps (reversals ≤ 15 min)"), Is.GreaterThan(0));
    }

    [TestCase(null, 180, Description = "default: the larger scale-out at 60 s restarts the 120 s cooldown")]
    [TestCase("larger-scale-out", 180)]
    [TestCase("never", 120, Description = "the cooldown runs from the scale-out at 0 s")]
    public void Simulate_CooldownRestart_ChoosesWhenTheScaleOutCooldownEnds(string? reading, int cooldownEnds)
    {
        // Prod, cpu-out cooldown 120 s. 0 s: 150 on 2 tasks, 75 % → +1. 60 s: 300 on 3, 100 % → +3 from the base of 2:
        // 5 is larger than 3. Then 450 on 5, 90 %, asks for +3 from 2 again: 5, not larger, until the cooldown ends.
        var trace = Trace("larger.csv", [150, 300, 450, 450, 450, 450]);
        string[] options = reading is null ? [] : ["--cooldown-restart", reading];

        var result = Run(["simulate", Repo.ProdStack, "--trace", trace, "--startup-delay", "0", "--format", "json", .. options]);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(Events(result.Json()), Is.EqualTo(new[] { (0, 2, 3, "cpu-out"), (60, 3, 5, "cpu-out"), (cooldownEnds, 5, 8, "cpu-out") }));
        Assert.That(result.Json().GetProperty("cooldownRestart").GetString(), Is.EqualTo(reading ?? "larger-scale-out"));
    }

    [Test]
    public void Simulate_DemandBeyondWhatTheTasksReserved_CpuReadsAt100AndUnservedDemandIsReported()
    {
        // Prod: 600 on 2 tasks would read 300 %; it reads 100 % (cpu-out +3 → 5) and leaves 6 − 2 = 4 tasks' worth
        // unserved. 60 s: 5 tasks, 100 %, inside the cooldown: nothing; 1 unserved. 120 s: the cooldown is over,
        // 100 % again → 8; 1 unserved in that minute (5 serving). 4 + 1 + 1 = 6 task-minutes.
        var trace = Trace("saturated.csv", [600, 600, 600]);
        var chart = Path.Combine(Dir, "saturated.svg");

        var json = Run("simulate", Repo.ProdStack, "--trace", trace, "--startup-delay", "0", "--format", "json");
        var text = Run("simulate", Repo.ProdStack, "--trace", trace, "--startup-delay", "0", "--chart", chart);

        Assert.That(json.Exit, Is.EqualTo(0), json.ToString());
        Assert.That(Events(json.Json()), Is.EqualTo(new[] { (0, 2, 5, "cpu-out"), (120, 5, 8, "cpu-out") }));
        Assert.That(json.Json().GetProperty("events")[0].GetProperty("reason").GetString(), Does.StartWith("CPUUtilization 100 % (Average)"));
        Assert.That(json.Json().GetProperty("summary").GetProperty("unservedTaskMinutes").GetDouble(), Is.EqualTo(6));
        Assert.That(text.StdoutLines, Does.Contain("  unserved task-minutes:  6 (demand beyond 100 % CPU or memory)"));
        Assert.That(text.StdoutLines, Does.Contain("  cooldown restart:       larger-scale-out (a larger scale-out restarts the scale-out cooldown)"));
        Assert.That(File.ReadAllText(chart), Does.Contain("unserved demand"));
    }

    [Test]
    public void Simulate_NoCpuOrMemoryPolicy_UnservedDemandIsNotApplicable()
    {
        var stack = Write("Pulumi.requests.yaml", """
            config:
              aws:region: us-east-1
              step-scaled-ecs:scaling:
                minCapacity: 1
                maxCapacity: 4
                policies:
                  - name: requests
                    metric: RequestCountPerTarget
                    scaleOut: { bands: [{ from: 1000, change: 1 }] }
            """);

        var text = Run("simulate", stack, "--sample", "steady");
        var json = Run("simulate", stack, "--sample", "steady", "--format", "json");

        Assert.That(text.Exit, Is.EqualTo(0), text.ToString());
        Assert.That(text.StdoutLines, Does.Contain("  unserved task-minutes:  n/a (no policy on CPUUtilization or MemoryUtilization)"));
        Assert.That(json.Json().GetProperty("summary").GetProperty("unservedTaskMinutes").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void Simulate_DemandScaleZero_NothingScales()
    {
        var result = Run("simulate", Repo.ProdStack, "--demand-scale", "0", "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Json().GetProperty("events").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void Simulate_InitialCapacityAboveMax_StartsAtMaxAndScalesIn()
    {
        var result = Run("simulate", Repo.ProdStack, "--sample", "steady", "--initial-capacity", "99", "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var events = Events(result.Json());
        Assert.That(events[0].From, Is.EqualTo(12));
        Assert.That(events.All(e => e.To == e.From - 1), Is.True);
        Assert.That(events[^1].To, Is.EqualTo(2));
    }

    [TestCase("--startup-delay", "-1", "error: --startup-delay: must be 0 or more seconds; got -1")]
    [TestCase("--initial-capacity", "-3", "error: --initial-capacity: must be 0 or more tasks; got -3")]
    [TestCase("--demand-scale", "-1", "error: --demand-scale: must be a finite number of 0 or more; got -1")]
    [TestCase("--demand-scale", "NaN", "error: --demand-scale: must be a finite number of 0 or more; got NaN")]
    [TestCase("--demand-scale", "1e308", "error: --demand-scale: scaled demand exceeds 1000000000000000, the largest demand a trace may hold; got 1E+308")]
    [TestCase("--startup-delay", "abc", "error: Cannot parse argument 'abc' for option '--startup-delay' as expected type 'System.Int32'.")]
    [TestCase("--sample", "nope", "error: Argument 'nope' not recognized. Must be one of:")]
    [TestCase("--format", "csv", "error: Argument 'csv' not recognized. Must be one of:")]
    [TestCase("--cooldown-restart", "sometimes", "error: Argument 'sometimes' not recognized. Must be one of:")]
    public void Simulate_BadOption_ExitsTwoNamingIt(string option, string value, string error)
    {
        var result = Run("simulate", Repo.ProdStack, option, value);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { error }));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Simulate_UnknownOption_ExitsTwoNamingIt()
    {
        foreach (var args in new[] { new[] { "simulate", Repo.ProdStack, "--bogus" }, ["simulate", "--bogus", Repo.ProdStack] })
        {
            var result = Run(args);

            AssertCleanFailure(result, 2);
            Assert.That(result.Stderr, Does.Contain("'--bogus'"));
            Assert.That(result.Stdout, Is.Empty);
        }
    }

    [Test]
    public void Simulate_TraceWrittenWithCrLfAndBom_Read()
    {
        var text = "timestamp,demand\r\n0,100\r\n60,100\r\n120,100\r\n";
        var trace = Write("crlf.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

        var result = Run("simulate", Repo.ProdStack, "--trace", trace);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[0], Does.EndWith("crlf.csv: 3 samples, 60 s apart."));
    }
}
