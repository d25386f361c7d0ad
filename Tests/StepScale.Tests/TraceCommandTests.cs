using System.Globalization;
using CsCheck;
using StepScaling.Simulation;

namespace StepScale.Tests;

/// <summary><c>stepscale trace</c> and <c>simulate --trace</c> on CloudWatch output (Tests/Fixtures/cloudwatch, pages cited in the README there).</summary>
public class TraceCommandTests : CliTest
{
    private static readonly string[] Pages =
        [ImportCommandTests.Fixture("cloudwatch/get-metric-data-page1.json"), ImportCommandTests.Fixture("cloudwatch/get-metric-data-page2.json")];

    [Test]
    public void Trace_Pages_WritesTheProjectsCsv()
    {
        var csv = Path.Combine(Dir, "out", "trace.csv");
        var result = Run(["trace", .. Pages, "--out", csv]);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StderrLines[^1], Is.EqualTo($"wrote {csv}: 120 samples, 60 s apart, from 2026-11-28T10:00:00Z"));
        var lines = File.ReadAllLines(csv);
        Assert.That(lines[0], Is.EqualTo("timestamp,demand"));
        Assert.That(lines[1], Is.EqualTo("2026-11-28T10:00:00Z,8"));
        Assert.That(lines[61], Is.EqualTo("2026-11-28T11:00:00Z,30"), "10 % × 3 tasks");
    }

    [Test]
    public void Simulate_CloudWatchJson_SameSummaryAsTheConvertedCsv()
    {
        var csv = Path.Combine(Dir, "trace.csv");
        Assert.That(Run(["trace", .. Pages, "--out", csv]).Exit, Is.EqualTo(0));
        var fromJson = Run("simulate", "--trace", Pages[0], Repo.DevStack, "--format", "json", "--trace", Pages[1]);
        var fromCsv = Run("simulate", Repo.DevStack, "--format", "json", "--trace", csv);

        Assert.That(fromJson.Exit, Is.EqualTo(0), fromJson.ToString());
        Assert.That(fromJson.Json().GetProperty("summary").ToString(), Is.EqualTo(fromCsv.Json().GetProperty("summary").ToString()));
        Assert.That(fromJson.Json().GetProperty("samples").GetInt32(), Is.EqualTo(120));
        Assert.That(fromJson.Json().GetProperty("summary").GetProperty("flaps").GetInt32(), Is.GreaterThan(10), "the blog setup loops on its own metrics");
    }

    [Test]
    public void Simulate_PerTaskMetricWithoutTasks_ErrorUntilTasksGiven()
    {
        var cpu = Write("cpu.json", """{"MetricDataResults": [{"Id": "memory", "Label": "MemoryUtilization", "Timestamps": ["2026-11-28T10:01:00Z", "2026-11-28T10:00:00Z"], "Values": [30, 20], "StatusCode": "Complete"}]}""");
        var without = Run("simulate", Repo.DevStack, "--trace", cpu);
        var with = Run("simulate", Repo.DevStack, "--trace", cpu, "--tasks", "2");

        AssertCleanFailure(without, 1);
        Assert.That(without.Errors.Single(), Does.StartWith("error: memory: is per task: demand = value × running tasks."));
        Assert.That(with.Exit, Is.EqualTo(0), with.ToString());
        Assert.That(with.Warnings, Has.Some.Contains("the trace is only as good as that guess"));
    }

    [Test]
    public void Trace_WithStack_ColumnsNamedAfterItsPolicies()
    {
        var stack = Stack("Pulumi.two.yaml", """
            scaling:
              maxCapacity: 10
              policies:
                - name: web-cpu
                  metric: CPUUtilization
                  scaleOut: { bands: [{ from: 70, change: 1 }] }
                - name: web-mem
                  metric: MemoryUtilization
                  scaleIn: { bands: [{ to: 20, change: -1 }] }
            """);
        var result = Run("trace", ImportCommandTests.Fixture("cloudwatch/get-metric-data-cpu-memory.json"), "--stack", stack);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[0], Is.EqualTo("timestamp,demand,web-cpu,web-mem"));
        Assert.That(result.StdoutLines[1], Is.EqualTo("2026-11-28T10:00:00Z,40,40,90"), "20 % and 45 % CPU and memory × 2 tasks; demand is the first policy's");
    }

    [Test]
    public void Trace_TasksNotPositive_TheErrorNamesTheOption()
    {
        var result = Run("trace", ImportCommandTests.Fixture("cloudwatch/get-metric-data-cpu-memory.json"), "--tasks", "0");

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        Assert.That(result.Errors, Has.Some.EqualTo("error: --tasks: must be a number of tasks above 0; got 0"));
    }

    [Test]
    public void Trace_NotCloudWatchJson_Exits2AndNamesTheAcceptedShapes()
    {
        var result = Run("trace", Write("x.json", "[1, 2, 3]"));

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors.Single(), Is.EqualTo("error: x.json: is JSON but not CloudWatch output: got an array of 3 items; expected the JSON of `aws cloudwatch get-metric-data` (an object with MetricDataResults) or of `aws cloudwatch get-metric-statistics` (an object with Label and Datapoints)"));
    }

    [Test]
    public void Trace_CsvOrEmptyFile_Exits2SayingJsonIsExpected()
    {
        var csv = Run("trace", Trace("t.csv", 10, 20));
        var empty = Run("trace", Write("e.json", string.Empty));

        AssertCleanFailure(csv, 2);
        Assert.That(csv.Errors.Single(), Does.EndWith("t.csv: not JSON; expected " + StepScaling.Simulation.CloudWatchTrace.AcceptedShapes));
        AssertCleanFailure(empty, 2);
    }

    [Test]
    public void Simulate_CsvAndJsonMixedOrSeveralCsv_Exit2()
    {
        var csv = Trace("t.csv", 10, 20);
        var mixed = Run("simulate", Repo.DevStack, "--trace", csv, "--trace", Pages[0]);
        var twoCsv = Run("simulate", Repo.DevStack, "--trace", csv, "--trace", csv);

        AssertCleanFailure(mixed, 2);
        AssertCleanFailure(twoCsv, 2);
        Assert.That(twoCsv.Errors.Single(), Does.Contain("a CSV trace is one file"));
    }

    /// <summary>One get-metric-data document: each series as (id, label, values a minute apart from 10:00 UTC).</summary>
    private static string MetricData(params (string Id, string Label, double[] Values)[] series) =>
        "{\"MetricDataResults\": [" + string.Join(",", series.Select(s =>
            $"{{\"Id\": \"{s.Id}\", \"Label\": \"{s.Label}\", \"Timestamps\": [{string.Join(",", s.Values.Select((_, i) => $"\"2026-11-28T10:{i:00}:00Z\""))}], \"Values\": [{string.Join(",", s.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}], \"StatusCode\": \"Complete\"}}")) + "]}";

    [Test]
    public void Trace_RandomDoubles_WrittenSoThatTheyReadBackBitIdentical()
    {
        Gen.Double[0, TraceLimits.MaxDemand].Array[2, 30].Sample(values =>
        {
            // CsCheck samples on several threads: one file each.
            var json = Write($"q-{Guid.NewGuid():N}.json", MetricData(("queue", "ApproximateNumberOfMessagesVisible", values)));
            var result = Run("trace", json);
            var (trace, _) = TraceCsv.Read(new StringReader(result.Stdout), "t.csv");
            return result.Exit == 0 && trace!.Demand.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(values.Select(BitConverter.DoubleToInt64Bits));
        }, iter: 200);
    }

    [Test]
    public void Trace_UtilizationTimesTasks_EveryDigitOfTheProduct()
    {
        var json = Write("cpu.json", MetricData(("cpu", "CPUUtilization", [39.74200150301644, 10]), ("tasks", "RunningTaskCount", [2, 2])));

        var result = Run("trace", json);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[1], Is.EqualTo("2026-11-28T10:00:00Z," + (39.74200150301644 * 2).ToString("R", CultureInfo.InvariantCulture)));
        Assert.That(result.StdoutLines[1], Is.EqualTo("2026-11-28T10:00:00Z,79.48400300603288"), "not 79.484");
    }

    [Test]
    public void Simulate_CloudWatchWithRunningTaskCount_StartsAtTheRecordedCountUnlessTold()
    {
        var json = ImportCommandTests.Fixture("cloudwatch/get-metric-data-running-tasks.json");

        var recorded = Run("simulate", Repo.DevStack, "--trace", json);
        var told = Run("simulate", Repo.DevStack, "--trace", json, "--initial-capacity", "2", "--format", "json");

        Assert.That(recorded.Exit, Is.EqualTo(0), recorded.ToString());
        Assert.That(recorded.StdoutLines[0], Is.EqualTo($"Simulated stack dev on {json}: 5 samples, 60 s apart, starting at 3 tasks."));
        Assert.That(recorded.StderrLines, Has.Some.EqualTo($"note: {json}: the replay starts at 3 tasks, from the RunningTaskCount recorded at the trace's first sample (3); --initial-capacity overrides it"));
        Assert.That(told.Json().GetProperty("initialCapacity").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public void Simulate_RecordedCountAboveMaxCapacity_HeldToItAndSaid()
    {
        var json = Write("cpu.json", MetricData(("cpu", "CPUUtilization", [30, 30]), ("tasks", "RunningTaskCount", [7.6, 7])));

        var result = Run("simulate", Repo.DevStack, "--trace", json, "--format", "json");

        Assert.That(result.Json().GetProperty("initialCapacity").GetInt32(), Is.EqualTo(4));
        Assert.That(result.StderrLines, Has.Some.Contains("the replay starts at 4 tasks, from the RunningTaskCount recorded at the trace's first sample (7.6, held to minCapacity 1..maxCapacity 4)"));
    }

    [Test]
    public void Trace_StatedPeriod_SubMinuteDataCombinedWithANote()
    {
        var json = Write("q.json", "{\"MetricDataResults\": [{\"Id\": \"q\", \"Label\": \"Depth\", \"Timestamps\": [\"2026-11-28T10:01:30Z\", \"2026-11-28T10:01:00Z\", \"2026-11-28T10:00:30Z\", \"2026-11-28T10:00:00Z\"], \"Values\": [4, 3, 2, 1], \"StatusCode\": \"Complete\"}]}");

        var result = Run("trace", json, "--period", "60");
        var bad = Run("trace", json, "--period", "0");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines.Skip(1), Is.EqualTo(new[] { "2026-11-28T10:00:00Z,1.5", "2026-11-28T10:01:00Z,3.5" }));
        Assert.That(result.StderrLines, Has.Some.StartWith("note: q: 4 datapoints fall in 2 periods of 60 s"));
        AssertCleanFailure(bad, 2);
    }

    [Test]
    public void Trace_UnknownStatusCode_ExitsOneNeverReadAsComplete()
    {
        var json = Write("q.json", MetricData(("q", "Depth", [1, 2])).Replace("Complete", "Finished", StringComparison.Ordinal));

        var result = Run("trace", json);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors.Single(), Does.StartWith("error: q.json#q: StatusCode 'Finished' is none of Complete, PartialData, InternalError, Forbidden"));
    }

    [Test]
    public void Simulate_StatedPeriod_SameTraceAsTraceMakesOfIt()
    {
        var json = Write("q.json", "{\"MetricDataResults\": [{\"Id\": \"cpu\", \"Label\": \"CPUUtilization\", \"Timestamps\": [\"2026-11-28T10:01:30Z\", \"2026-11-28T10:01:00Z\", \"2026-11-28T10:00:30Z\", \"2026-11-28T10:00:00Z\"], \"Values\": [40, 30, 20, 10], \"StatusCode\": \"Complete\"}]}");
        var csv = Path.Combine(Dir, "q.csv");
        Assert.That(Run("trace", json, "--period", "60", "--tasks", "2", "--out", csv).Exit, Is.EqualTo(0));

        var fromJson = Run("simulate", Repo.DevStack, "--trace", json, "--period", "60", "--tasks", "2", "--format", "json");
        var fromCsv = Run("simulate", Repo.DevStack, "--trace", csv, "--format", "json");
        var bad = Run("simulate", Repo.DevStack, "--trace", json, "--period", "86401");

        Assert.That(fromJson.Exit, Is.EqualTo(0), fromJson.ToString());
        Assert.That(fromJson.Json().GetProperty("intervalSeconds").GetInt32(), Is.EqualTo(60));
        Assert.That(fromJson.Json().GetProperty("summary").ToString(), Is.EqualTo(fromCsv.Json().GetProperty("summary").ToString()));
        AssertCleanFailure(bad, 2);
        Assert.That(bad.Errors.Single(), Is.EqualTo("error: --period: must be a whole number of seconds from 1 to 86400; got 86401"));
    }

    [Test]
    public void Trace_JsonFileOverTheSizeLimit_Exits2BeforeReadingIt()
    {
        var path = Write("huge.json", "{\"MetricDataResults\": [");
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(TraceLimits.MaxJsonBytes + 1); // sparse: no disk and no time spent on it
        }

        var result = RunWithin(TimeSpan.FromSeconds(30), "trace", path);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors.Single(), Is.EqualTo($"error: {path}: is 268435457 bytes, more than the 268435456 a CloudWatch JSON file may hold; split the query into pages"));
    }

    [Test]
    public void Simulate_PeriodWithACsvTrace_WarnsThatItAppliesToCloudWatchOnly()
    {
        var result = Run("simulate", Repo.DevStack, "--trace", Trace("t.csv", 10, 20), "--period", "60");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Warnings, Has.Some.EqualTo("warning: --period: applies to CloudWatch traces only; a CSV trace is evenly spaced already"));
    }
}
