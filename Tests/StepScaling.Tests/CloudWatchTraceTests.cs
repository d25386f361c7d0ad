using System.Globalization;
using System.Text.Json;
using CsCheck;
using StepScaling.Import;
using StepScaling.Model;
using StepScaling.Simulation;
using StepScaling.Testing;
using StepScaling.Validation;

namespace StepScaling.Tests;

/// <summary>
/// CloudWatch output as demand. Fixture files: Tests/Fixtures/cloudwatch (pages cited in the README there). The
/// inline documents are the shape of `aws cloudwatch get-metric-data` output
/// (https://docs.aws.amazon.com/cli/latest/reference/cloudwatch/get-metric-data.html), one messy case each.
/// </summary>
public class CloudWatchTraceTests
{
    private static readonly DateTime T0 = new(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc);

    private static (string, string) Fixture(string name) =>
        (name, File.ReadAllText(Path.Combine(RepositoryFiles.Root, "Tests", "Fixtures", "cloudwatch", name)));

    private static (DemandTrace? Trace, IReadOnlyList<Diagnostic> Findings) Read(CloudWatchTraceOptions? options, params (string, string)[] files)
    {
        var (trace, findings) = CloudWatchTrace.Read(files, options ?? new CloudWatchTraceOptions());
        return (trace, findings);
    }

    private static IEnumerable<string> Of(IReadOnlyList<Diagnostic> findings, Severity level) =>
        findings.Where(f => f.Severity == level).Select(f => $"{f.Path}: {f.Message}");

    /// <summary>One get-metric-data result: (minute offset from 10:00 UTC, value), written newest first as CloudWatch does.</summary>
    private static string Result(string id, string label, IEnumerable<(double Minute, object? Value)> points, string status = "Complete", string? stampFormat = null)
    {
        var ordered = points.OrderByDescending(p => p.Minute).ToList();
        var stamps = ordered.Select(p => T0.AddMinutes(p.Minute).ToString(stampFormat ?? "yyyy-MM-ddTHH:mm:ss+00:00", CultureInfo.InvariantCulture));
        return JsonSerializer.Serialize(new { Id = id, Label = label, Timestamps = stamps, Values = ordered.Select(p => p.Value), StatusCode = status });
    }

    private static (string, string) Doc(params string[] results) => ("d.json", $"{{\"MetricDataResults\": [{string.Join(",", results)}], \"Messages\": []}}");

    private static IEnumerable<(double, object?)> Minutes(params object?[] values) => values.Select((v, i) => ((double)i, v));

    [Test]
    public void Read_TwoPagesInEitherOrder_JoinedNewestFirstIntoOneTraceOfUtilizationTimesTasks()
    {
        var (trace, findings) = Read(null, Fixture("get-metric-data-page1.json"), Fixture("get-metric-data-page2.json"));
        var (reversed, _) = Read(null, Fixture("get-metric-data-page2.json"), Fixture("get-metric-data-page1.json"));

        Assert.That(Of(findings, Severity.Error), Is.Empty);
        Assert.That(Of(findings, Severity.Warning), Is.Empty, "page 1 is PartialData, page 2 completes it");
        Assert.That(trace!.Length, Is.EqualTo(120));
        Assert.That(trace.IntervalSeconds, Is.EqualTo(60));
        Assert.That(trace.Start, Is.EqualTo(new DateTimeOffset(T0)));
        Assert.That(trace.Demand[0], Is.EqualTo(8.0), "10:00: 8 % × 1 task");
        Assert.That(trace.Demand[60], Is.EqualTo(30.0).Within(1e-9), "11:00: 10 % × 3 tasks");
        Assert.That(trace.Demand[90], Is.EqualTo(18.56).Within(1e-9), "11:30: 9.28 % × 2 tasks");
        Assert.That(reversed!.Demand, Is.EqualTo(trace.Demand));
        Assert.That(trace.PolicyDemand, Is.Empty, "one demand metric: one column");
    }

    [Test]
    public void Read_OnlyPartialDataPages_WarnsThatTheTraceIsIncomplete()
    {
        var (trace, findings) = Read(null, Fixture("get-metric-data-page1.json"));

        Assert.That(trace!.Length, Is.EqualTo(60));
        Assert.That(Of(findings, Severity.Warning), Has.Some.StartWith("memory: every page of this query says StatusCode PartialData"));
    }

    [Test]
    public void Read_CpuMemoryAndTasksInOneFile_OneColumnPerMetricNamedByQueryId()
    {
        var (trace, findings) = Read(null, Fixture("get-metric-data-cpu-memory.json"));

        Assert.That(trace!.PolicyDemand.Keys, Is.EquivalentTo(new[] { "cpu", "memory" }));
        Assert.That(trace.PolicyDemand["cpu"][0], Is.EqualTo(40.0), "20 % × 2 tasks");
        Assert.That(trace.PolicyDemand["memory"][29], Is.EqualTo(37.3038 * 3).Within(1e-9));
        Assert.That(Of(findings, Severity.Note), Has.Some.StartWith("columns: several metrics: one column each (cpu, memory)"));
    }

    [Test]
    public void Read_WithStackPolicies_EachPolicyGetsTheSeriesOfItsMetricAndDemandIsTheFirstPolicys()
    {
        var options = new CloudWatchTraceOptions { Policies = [("mem", new EcsServiceMetric("MemoryUtilization")), ("processor", new EcsServiceMetric("CPUUtilization"))] };
        var (trace, _) = Read(options, Fixture("get-metric-data-cpu-memory.json"));

        Assert.That(trace!.PolicyDemand.Keys, Is.EquivalentTo(new[] { "mem", "processor" }));
        Assert.That(trace.Demand, Is.EqualTo(trace.PolicyDemand["mem"]));
        Assert.That(trace.PolicyDemand["processor"][0], Is.EqualTo(40.0));
    }

    [Test]
    public void Read_TwoCustomMetricsFromStatisticsFiles_TwoColumnsNeverOneOverwritten()
    {
        static (string, string) Stats(string label, double v) => ($"{label}.json", $$"""{"Label": "{{label}}", "Datapoints": [{"Timestamp": "2026-11-28T10:00:00Z", "Maximum": {{v}}}, {"Timestamp": "2026-11-28T10:01:00Z", "Maximum": {{v}}}]}""");
        var (trace, _) = Read(null, Stats("Depth", 5), Stats("Age", 7));

        Assert.That(trace!.PolicyDemand.Values.Select(v => v[0]), Is.EquivalentTo(new double[] { 5, 7 }));
    }

    [Test]
    public void Read_StackPolicyWhoseMetricNoSeriesMeasures_WarnsItReadsTheDemandColumn()
    {
        var options = new CloudWatchTraceOptions { Policies = [("memory", new EcsServiceMetric("MemoryUtilization")), ("queue", new CloudWatchMetric("AWS/SQS", "ApproximateNumberOfMessagesVisible", System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty, null))] };
        var (trace, findings) = Read(options, Fixture("get-metric-data-page1.json"), Fixture("get-metric-data-page2.json"));

        Assert.That(trace!.PolicyDemand.Keys, Is.EqualTo(new[] { "memory" }));
        Assert.That(Of(findings, Severity.Warning), Is.EqualTo(new[] { "queue: no series is named 'queue' or measures ApproximateNumberOfMessagesVisible; this policy reads the 'demand' column" }));
    }

    [Test]
    public void Read_GetMetricStatisticsUnordered_SortedAtTheirFiveMinutePeriod()
    {
        var (trace, findings) = Read(null, Fixture("get-metric-statistics-cpu.json"), Fixture("get-metric-statistics-tasks.json"));

        Assert.That(Of(findings, Severity.Error), Is.Empty);
        Assert.That(trace!.IntervalSeconds, Is.EqualTo(300));
        Assert.That(trace.Length, Is.EqualTo(12));
        Assert.That(trace.Demand[0], Is.EqualTo(60.0), "10:00: 30 % × 2 tasks");
        Assert.That(trace.Demand[11], Is.EqualTo(63.0 * 3), "10:55: 63 % × 3 tasks");
    }

    [Test]
    public void Read_RequestsPerTargetWithTasksAtACoarserPeriod_TasksHeldAndRequestsTimesTasks()
    {
        var (trace, findings) = Read(null, Fixture("get-metric-data-requests.json"));

        Assert.That(trace!.IntervalSeconds, Is.EqualTo(60));
        Assert.That(trace.Demand, Is.EqualTo(new double[] { 200, 400, 600, 800, 1000, 2400, 2800, 3200, 3600, 4000 }), "requests per target × 2 tasks, then × 4 from 10:05");
        Assert.That(Of(findings, Severity.Note), Has.Some.EqualTo("tasks: has datapoints 300 s apart, the others 60 s: each is held for 5 samples"));
    }

    [Test]
    public void Read_CoarserSumSeries_SpreadOverTheHeldSamples()
    {
        var (trace, _) = Read(new CloudWatchTraceOptions { Tasks = 1 },
            Doc(Result("requests", "RequestCount", [(0, 600), (5, 300)]), Result("queue", "ApproximateNumberOfMessagesVisible", Minutes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))));

        Assert.That(trace!.PolicyDemand["requests"], Is.EqualTo(new double[] { 120, 120, 120, 120, 120, 60, 60, 60, 60, 60 }), "a period's count is kept: 600 over five minutes");
        Assert.That(trace.PolicyDemand["queue"][9], Is.EqualTo(10), "a custom metric is the metric itself");
    }

    [Test]
    public void Read_Gaps_MissingSamplesWithANote()
    {
        var (trace, findings) = Read(new CloudWatchTraceOptions { Tasks = 2 }, Doc(Result("cpu", "CPUUtilization", [(0, 10), (1, 20), (4, 50)])));

        Assert.That(trace!.Demand, Is.EqualTo(new[] { 20, 40, double.NaN, double.NaN, 100 }));
        Assert.That(Of(findings, Severity.Note), Has.Some.StartWith("cpu: 2 of 5 samples are missing"));
    }

    [Test]
    public void Read_NoRunningTaskCountAndNoTasksOption_ErrorSaysHowToGetOne()
    {
        var (trace, findings) = Read(null, Doc(Result("cpu", "CPUUtilization", Minutes(10, 20))));

        Assert.That(trace, Is.Null);
        Assert.That(Of(findings, Severity.Error), Is.EqualTo(new[] { "cpu: is per task: demand = value × running tasks. Add Container Insights' RunningTaskCount (namespace ECS/ContainerInsights, dimensions ClusterName and ServiceName) to the query or as another file, or give a fixed task count" }));
        Assert.That(findings.Single(f => f.Severity == Severity.Error).Mention, Is.EqualTo(Mention.TaskCountNeeded));
    }

    [Test]
    public void Read_TaskCountNotPositive_ErrorIsTypedAsAboutTheTaskCount()
    {
        var (trace, findings) = Read(new CloudWatchTraceOptions { Tasks = 0 }, Doc(Result("cpu", "CPUUtilization", Minutes(10, 20))));

        var error = findings.Single(f => f.Severity == Severity.Error);
        Assert.That(trace, Is.Null);
        Assert.That((error.Subject, error.Path, error.Message), Is.EqualTo((Subject.TaskCount, "tasks", "must be a number of tasks above 0; got 0")));
    }

    [Test]
    public void Read_NotCloudWatchOutput_ErrorIsTypedAsTheInputShape()
    {
        var (_, findings) = Read(null, ("x.json", "[1, 2, 3]"));

        Assert.That(findings.Single().Subject, Is.EqualTo(Subject.InputShape));
    }

    [Test]
    public void Read_FixedTasks_WarnsThatTheTraceIsOnlyAsGoodAsTheGuess()
    {
        var (trace, findings) = Read(new CloudWatchTraceOptions { Tasks = 3 }, Doc(Result("cpu", "CPUUtilization", Minutes(10, 20))));

        Assert.That(trace!.Demand, Is.EqualTo(new double[] { 30, 60 }));
        Assert.That(Of(findings, Severity.Warning).Single(), Does.Contain("demand is the value × 3 tasks (the fixed task count given) throughout, so the trace is only as good as that guess"));
        Assert.That(findings.Single(f => f.Severity == Severity.Warning).Mention, Is.EqualTo(Mention.TaskCountGiven));
    }

    [Test]
    public void Read_DuplicateTimestamps_SameValueCountedOnceDifferentValueIsAnError()
    {
        var (same, sameFindings) = Read(new CloudWatchTraceOptions { Tasks = 1 }, Doc(Result("cpu", "CPUUtilization", [(0, 10), (1, 20)]), Result("cpu", "CPUUtilization", [(1, 20), (2, 30)])));
        var (conflict, conflictFindings) = Read(new CloudWatchTraceOptions { Tasks = 1 }, Doc(Result("cpu", "CPUUtilization", [(0, 10), (1, 20)]), Result("cpu", "CPUUtilization", [(1, 25)])));

        Assert.That(same!.Demand, Is.EqualTo(new double[] { 10, 20, 30 }));
        Assert.That(Of(sameFindings, Severity.Note), Has.Some.EqualTo("cpu: 1 datapoints appear twice with the same value (overlapping pages); each is counted once"));
        Assert.That(conflict, Is.Null);
        Assert.That(Of(conflictFindings, Severity.Error).Single(), Does.StartWith("cpu: 1 timestamps appear twice with different values, first 2026-11-28T10:01:00Z: 20 and 25"));
    }

    [Test]
    public void Read_TimestampsWithOffsets_ConvertedToUtc()
    {
        // 11:00+01:00 is 10:00 UTC.
        var (trace, findings) = Read(new CloudWatchTraceOptions { Tasks = 1 }, Doc(Result("q", "Depth", Minutes(1, 2), stampFormat: "yyyy-MM-ddTHH:mm:ss").Replace("T10:0", "T11:0", StringComparison.Ordinal).Replace("\",\"", "+01:00\",\"", StringComparison.Ordinal).Replace(":00\"]", ":00+01:00\"]", StringComparison.Ordinal)));

        Assert.That(Of(findings, Severity.Error), Is.Empty);
        Assert.That(trace!.Start, Is.EqualTo(new DateTimeOffset(T0)));
    }

    [Test]
    public void Read_TimestampsWithoutOffset_ReadAsUtcWithANote()
    {
        var (trace, findings) = Read(null, Doc(Result("q", "Depth", Minutes(1, 2), stampFormat: "yyyy-MM-ddTHH:mm:ss")));

        Assert.That(trace!.Start, Is.EqualTo(new DateTimeOffset(T0)));
        Assert.That(Of(findings, Severity.Note), Has.Some.EqualTo("timestamps: 2 timestamps have no UTC offset; they are read as UTC, as CloudWatch returns them"));
    }

    [Test]
    public void Read_NegativeAndNaNValues_MissingSamplesWithAWarning()
    {
        var (trace, findings) = Read(null, Doc(Result("q", "Depth", Minutes(5, -1, "NaN", null, 7, 1e300))));

        Assert.That(trace!.Demand, Is.EqualTo(new[] { 5, double.NaN, double.NaN, double.NaN, 7, double.NaN }));
        Assert.That(Of(findings, Severity.Warning), Is.EquivalentTo(new[]
        {
            "q: 1 values are negative (first at 2026-11-28T10:01:00Z); demand cannot be negative, so they are read as missing samples",
            "q: 3 values are NaN, null, not numbers or beyond ±1e15 (first at 2026-11-28T10:02:00Z); they are read as missing samples",
        }));
    }

    [Test]
    public void Read_EmptyResult_ErrorSaysWhatToCheck()
    {
        var (trace, findings) = Read(null, Doc(Result("cpu", "CPUUtilization", [])));

        Assert.That(trace, Is.Null);
        Assert.That(Of(findings, Severity.Error).Single(), Does.StartWith("cpu: has no datapoints: check the dimensions (ClusterName, ServiceName, TargetGroup), the time range"));
    }

    [Test]
    public void Read_NoResultsAtAll_Error()
    {
        var (trace, findings) = Read(null, ("e.json", "{\"MetricDataResults\": [], \"Messages\": []}"));

        Assert.That(trace, Is.Null);
        Assert.That(Of(findings, Severity.Error).Single(), Is.EqualTo("e.json: holds no metric results: the query returned nothing"));
    }

    [Test]
    public void Read_JsonOfAnotherShape_SaysWhichShapesAreAccepted()
    {
        var (trace, findings) = Read(null, ("x.json", "{\"ScalingPolicies\": []}"));

        Assert.That(trace, Is.Null);
        Assert.That(Of(findings, Severity.Error).Single(), Is.EqualTo($"x.json: is JSON but not CloudWatch output: got an object with the keys ScalingPolicies; expected {CloudWatchTrace.AcceptedShapes}"));
    }

    [Test]
    public void Read_ForbiddenStatus_ErrorWithCloudWatchsMessage()
    {
        var forbidden = Result("cpu", "CPUUtilization", [], status: "Forbidden").Replace("}", ",\"Messages\":[{\"Code\":\"AccessDenied\",\"Value\":\"not authorized\"}]}", StringComparison.Ordinal);
        var (trace, findings) = Read(null, Doc(forbidden));

        Assert.That(trace, Is.Null);
        Assert.That(Of(findings, Severity.Error).Single(), Is.EqualTo("d.json#cpu: CloudWatch returned StatusCode Forbidden for this query; AccessDenied: not authorized; its values cannot be used"));
    }

    [Test]
    public void Read_SeriesOutOfStep_ErrorAsksForTheSameStartAndPeriod()
    {
        var (trace, findings) = Read(null, Doc(Result("q", "Depth", Minutes(1, 2, 3)), Result("r", "Other", [(0.5, 1), (1.5, 2), (2.5, 3)])));

        Assert.That(trace, Is.Null);
        Assert.That(Of(findings, Severity.Error).Single(), Does.StartWith("r: has a datapoint at 2026-11-28T10:00:30Z, out of step with the 60 s grid that starts at 2026-11-28T10:00:00Z"));
    }

    [Test]
    public void Write_ThenReadAsCsv_SameTraceWithItsColumns()
    {
        var (trace, _) = Read(null, Fixture("get-metric-data-cpu-memory.json"));
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        TraceCsv.Write(trace!, text);
        var (again, errors) = TraceCsv.Read(new StringReader(text.ToString()), "t.csv");

        Assert.That(errors, Is.Empty);
        Assert.That(again!.Start, Is.EqualTo(trace!.Start));
        Assert.That(again.PolicyDemand["cpu"], Is.EqualTo(trace.PolicyDemand["cpu"]).Within(1e-4));
        Assert.That(again.PolicyDemand["memory"], Is.EqualTo(trace.PolicyDemand["memory"]).Within(1e-4));
    }

    [Test]
    public void LooksLikeJson_JsonAndCsv_Told()
    {
        Assert.That(CloudWatchTrace.LooksLikeJson("\uFEFF\n  {\"MetricDataResults\": []}"), Is.True);
        Assert.That(CloudWatchTrace.LooksLikeJson("timestamp,demand\n0,1\n"), Is.False);
    }

    [TestCase("\"Done\"", "'Done'")]
    [TestCase("\"complete\"", "'complete'")]
    [TestCase("1", "1")]
    public void Read_UnknownStatusCode_ErrorNeverReadAsComplete(string json, string shown)
    {
        var result = Result("q", "Depth", Minutes(1, 2, 3)).Replace("\"StatusCode\":\"Complete\"", $"\"StatusCode\":{json}", StringComparison.Ordinal);

        var (trace, findings) = Read(null, Doc(result));

        Assert.That(trace, Is.Null);
        Assert.That(Of(findings, Severity.Error).Single(), Is.EqualTo($"d.json#q: StatusCode {shown} is none of Complete, PartialData, InternalError, Forbidden (the values CloudWatch documents); whether its values are complete is unknown, so they are not used"));
    }

    [Test]
    public void Read_NoStatusCode_ReadAsCompleteWithANote()
    {
        var result = Result("q", "Depth", Minutes(1, 2, 3)).Replace(",\"StatusCode\":\"Complete\"", string.Empty, StringComparison.Ordinal);

        var (trace, findings) = Read(null, Doc(result));

        Assert.That(trace!.Demand, Is.EqualTo(new double[] { 1, 2, 3 }));
        Assert.That(Of(findings, Severity.Note), Has.Some.EqualTo("d.json#q: has no StatusCode (the API marks it optional); read as Complete"));
    }

    private static (string, string) SubSecond(string id, string label) => Doc(JsonSerializer.Serialize(new
    {
        Id = id,
        Label = label,
        Timestamps = new[] { "2026-11-28T10:01:00.500Z", "2026-11-28T10:01:00Z", "2026-11-28T10:00:00.400Z", "2026-11-28T10:00:00.200Z", "2026-11-28T10:00:00Z" },
        Values = new[] { 5.0, 4, 3, 2, 1 },
        StatusCode = "Complete",
    }));

    [Test]
    public void Read_DatapointsLessThanASecondApart_AveragedIntoOneSampleWithANoteNoneDropped()
    {
        var (trace, findings) = Read(null, Fixture("get-metric-data-subsecond.json"));

        Assert.That(Of(findings, Severity.Error), Is.Empty);
        Assert.That(trace!.Demand, Is.EqualTo(new[] { 2.0, 4.5 }), "(1 + 2 + 3) / 3 and (4 + 5) / 2");
        Assert.That((trace.IntervalSeconds, trace.Start), Is.EqualTo((60, new DateTimeOffset(T0))));
        Assert.That(Of(findings, Severity.Note), Has.Some.EqualTo("depth: 5 datapoints fall in 2 periods of 1 s (datapoints less than a second apart); each period's datapoints are combined by Average into one sample at the period's start"));
    }

    [Test]
    public void Read_RequestCountLessThanASecondApart_Summed()
    {
        var (trace, _) = Read(null, SubSecond("requests", "RequestCount"));

        Assert.That(trace!.Demand, Is.EqualTo(new[] { 6.0, 9.0 }));
    }

    [Test]
    public void Read_TenSecondDataWithAStatedMinutePeriod_CombinedIntoMinutes()
    {
        var points = Enumerable.Range(0, 12).Select(i => (i / 6.0, (object?)(double)i));

        var (trace, findings) = Read(new CloudWatchTraceOptions { PeriodSeconds = 60 }, Doc(Result("q", "Depth", points)));

        Assert.That(trace!.IntervalSeconds, Is.EqualTo(60));
        Assert.That(trace.Demand, Is.EqualTo(new[] { 2.5, 8.5 }));
        Assert.That(Of(findings, Severity.Note), Has.Some.StartWith("q: 12 datapoints fall in 2 periods of 60 s"));
    }

    [Test]
    public void Read_EpochSecondsTimestamps_ReadAsUtc()
    {
        var doc = ("d.json", "{\"MetricDataResults\": [{\"Id\": \"q\", \"Label\": \"Depth\", \"Timestamps\": [1795860060, 1795860000], \"Values\": [2, 1], \"StatusCode\": \"Complete\"}]}");

        var (trace, findings) = Read(null, doc);

        Assert.That(Of(findings, Severity.Error), Is.Empty);
        Assert.That(trace!.Start, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_795_860_000)));
    }

    [Test]
    public void Read_EpochMillisecondsTimestamps_ErrorSuggestingSeconds()
    {
        var doc = ("d.json", "{\"MetricDataResults\": [{\"Id\": \"q\", \"Label\": \"Depth\", \"Timestamps\": [1795860060000, 1795860000000], \"Values\": [2, 1], \"StatusCode\": \"Complete\"}]}");

        var (trace, findings) = Read(null, doc);

        Assert.That(trace, Is.Null);
        Assert.That(Of(findings, Severity.Error), Has.Some.StartWith("d.json#q: timestamp 1795860060000 s is outside 0 to 253402300799 seconds").And.Some.EndWith("give seconds (divide by 1000)"));
    }

    [Test]
    public void Read_HostileIdLabelAndMessages_EscapedInEveryFinding()
    {
        var result = Result("q\u001b]0;pwned\u0007", "Depth\u2028\u202E", Minutes(1, 2), status: "PartialData");
        var doc = ("d\u0085.json", $"{{\"MetricDataResults\": [{result}], \"Messages\": [{{\"Code\": \"X\\nerror: forged\", \"Value\": \"\\u009b31m\"}}]}}");

        var (_, findings) = Read(null, doc);

        Assert.That(findings, Is.Not.Empty);
        foreach (var f in findings)
        {
            Assert.That(f.Path + f.Message, Does.Not.Match("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]"), f.ToString());
        }

        Assert.That(findings.Select(f => f.Message), Has.Some.EqualTo("CloudWatch says: X\\nerror: forged: \\u009B31m"));
    }

    [Test]
    public void ReadWithTasks_RunningTaskCountInTheFiles_TasksAtTheFirstSample()
    {
        var (trace, _, tasks) = CloudWatchTrace.ReadWithTasks([Fixture("get-metric-data-running-tasks.json")], new CloudWatchTraceOptions());
        var (_, _, none) = CloudWatchTrace.ReadWithTasks([Doc(Result("q", "Depth", Minutes(1, 2)))], new CloudWatchTraceOptions());

        Assert.That(trace, Is.Not.Null);
        Assert.That(tasks, Is.EqualTo(3.0), "the fixture runs 3 tasks at 10:00");
        Assert.That(trace!.Demand[0], Is.EqualTo(90.0), "30 % × 3 tasks");
        Assert.That(none, Is.Null);
    }

    [Test]
    public void Read_AnyMetricDataShape_ATraceOrAnErrorNeverAnException()
    {
        var stamp = Gen.OneOfConst("\"2026-11-28T10:00:00Z\"", "\"2026-11-28T10:01:00.5Z\"", "1795860000", "1795860000000", "\"9999-12-31T23:59:00Z\"", "\"x\"", "null", "{}", "-1");
        var value = Gen.OneOfConst("1", "1e308", "-5", "null", "\"a\"", "0.1", "[]");
        var status = Gen.OneOfConst("\"Complete\"", "\"PartialData\"", "\"Other\"", "7", "null");
        var result = Gen.Select(stamp.Array[0, 5], value.Array[0, 5], status, (t, v, s) =>
            $"{{\"Id\": \"q\", \"Label\": \"Depth\", \"Timestamps\": [{string.Join(",", t)}], \"Values\": [{string.Join(",", v)}], \"StatusCode\": {s}}}");
        result.Array[0, 3].Sample(results =>
        {
            var (trace, findings) = Read(new CloudWatchTraceOptions { PeriodSeconds = 60 }, ("d.json", $"{{\"MetricDataResults\": [{string.Join(",", results)}]}}"));
            return (trace is null) == findings.Any(f => f.Severity == Severity.Error);
        }, iter: 2000);
    }
}
