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
}
