using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using StepScaling.Import;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Simulation;

/// <summary>What a CloudWatch series measures, which decides how it becomes demand.</summary>
public enum CloudWatchSeriesKind
{
    /// <summary>ECS <c>CPUUtilization</c> (per task): demand = utilization × running tasks.</summary>
    CpuUtilization,

    /// <summary>ECS <c>MemoryUtilization</c> (per task): demand = utilization × running tasks.</summary>
    MemoryUtilization,

    /// <summary>Container Insights <c>RunningTaskCount</c>: not demand, the task count the utilization is multiplied by.</summary>
    RunningTaskCount,

    /// <summary>ALB <c>RequestCountPerTarget</c> (Sum): demand = requests per target × running tasks.</summary>
    RequestCountPerTarget,

    /// <summary>ALB <c>RequestCount</c> (Sum): demand = requests in the period.</summary>
    RequestCount,

    /// <summary>Any other metric (a queue depth): demand = the metric.</summary>
    Custom,
}

/// <summary>One metric series read from CloudWatch output, joined across pages and files.</summary>
public sealed record CloudWatchSeries
{
    /// <summary>The query id (<c>get-metric-data</c>) or the label (<c>get-metric-statistics</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The label CloudWatch returned (by default the metric name).</summary>
    public required string Label { get; init; }

    /// <summary>What it measures.</summary>
    public required CloudWatchSeriesKind Kind { get; init; }

    /// <summary>The datapoints by UTC time; NaN where a value was unusable.</summary>
    public required ImmutableSortedDictionary<DateTime, double> Points { get; init; }

    /// <summary>The seconds between datapoints (the query's period), or 0 with fewer than two datapoints.</summary>
    public int PeriodSeconds { get; init; }

    /// <summary>The column name this series gets in a trace.</summary>
    public string Column { get; init; } = string.Empty;
}

/// <summary>How <see cref="CloudWatchTrace.Read"/> turns metrics into demand.</summary>
public sealed record CloudWatchTraceOptions
{
    /// <summary>A fixed task count for per-task metrics when there is no <c>RunningTaskCount</c> series.</summary>
    public double? Tasks { get; init; }

    /// <summary>The stack's policies (config name and metric): each gets the column of the series that matches its metric.</summary>
    public ImmutableArray<(string Name, MetricSpec Metric)> Policies { get; init; } = [];

    /// <summary>
    /// The period the query asked for, in seconds: datapoints within one period (sub-minute or sub-second data) are
    /// combined by the metric's statistic, with a note. Null: whole seconds.
    /// </summary>
    public int? PeriodSeconds { get; init; }
}

/// <summary>
/// Reads CloudWatch output as a demand trace: <c>aws cloudwatch get-metric-data</c>
/// (https://docs.aws.amazon.com/cli/latest/reference/cloudwatch/get-metric-data.html: <c>MetricDataResults[]</c> with
/// <c>Id</c>, <c>Label</c>, <c>Timestamps</c>, <c>Values</c>, <c>StatusCode</c>, newest first, pages joinable) and
/// <c>aws cloudwatch get-metric-statistics</c>
/// (https://docs.aws.amazon.com/cli/latest/reference/cloudwatch/get-metric-statistics.html: <c>Label</c>,
/// <c>Datapoints[]</c>, unordered). Every messy case has a defined result and a message; nothing is guessed silently.
/// </summary>
public static partial class CloudWatchTrace
{
    /// <summary>The accepted inputs, as said in messages.</summary>
    public const string AcceptedShapes =
        "the JSON of `aws cloudwatch get-metric-data` (an object with MetricDataResults) or of `aws cloudwatch get-metric-statistics` (an object with Label and Datapoints)";

    private static readonly string[] Statistics = ["Average", "Sum", "Maximum", "Minimum", "SampleCount"];

    /// <summary>Whether a trace file's text is JSON (CloudWatch output) rather than CSV.</summary>
    public static bool LooksLikeJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        return trimmed.Length > 0 && trimmed[0] is '{' or '[';
    }

    /// <summary>Reads the series of every file, joined by id across pages and files.</summary>
    public static (ImmutableArray<CloudWatchSeries> Series, ImmutableArray<Diagnostic> Findings) ReadSeries(IReadOnlyList<(string Source, string Text)> files, int? periodSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var reading = new Reading();
        foreach (var (source, text) in files)
        {
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true });
                root = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                reading.Findings.Add(Finding(Severity.Error, source, $"not JSON (line {e.LineNumber + 1}: {e.Message.Split(". ")[0]}); expected {AcceptedShapes}") with { Subject = Subject.InputShape });
                continue;
            }

            if (root.Prop("MetricDataResults") is { ValueKind: JsonValueKind.Array } results)
            {
                ReadMetricData(root, results, source, reading);
            }
            else if (root.Prop("Datapoints") is { ValueKind: JsonValueKind.Array } points)
            {
                ReadStatistics(root, points, source, reading);
            }
            else
            {
                reading.Findings.Add(Finding(Severity.Error, source, $"is JSON but not CloudWatch output: got {JsonValues.Describe(root)}; expected {AcceptedShapes}") with { Subject = Subject.InputShape });
            }
        }

        if (reading.Offsetless > 0)
        {
            reading.Findings.Add(Finding(Severity.Note, "timestamps", $"{reading.Offsetless} timestamps have no UTC offset; they are read as UTC, as CloudWatch returns them"));
        }

        var series = reading.Series.Values.Select(s => Summarise(s, periodSeconds ?? 1, reading.Findings)).ToImmutableArray();
        return (series, [.. reading.Findings]);
    }

    /// <summary>One page of get-metric-data: results newest first, joined with other pages by query id.</summary>
    private static void ReadMetricData(JsonElement root, JsonElement results, string source, Reading reading)
    {
        foreach (var m in root.Items("Messages"))
        {
            reading.Findings.Add(Finding(Severity.Warning, source, $"CloudWatch says: {m.Str("Code")}: {m.Str("Value")}"));
        }

        foreach (var r in results.EnumerateArray())
        {
            var id = r.Str("Id") ?? r.Str("Label") ?? "m1";
            var series = reading.Get(id, r.Str("Label") ?? id);
            if (Status(r, id, source, reading) is not { } status)
            {
                continue;
            }

            series.Statuses.Add(status);
            if (status is "InternalError" or "Forbidden")
            {
                reading.Findings.Add(Finding(Severity.Error, $"{source}#{id}", $"CloudWatch returned StatusCode {status} for this query{string.Concat(r.Items("Messages").Select(m => $"; {m.Str("Code")}: {m.Str("Value")}"))}; its values cannot be used"));
                continue;
            }

            var stamps = r.Items("Timestamps").ToList();
            var values = r.Items("Values").ToList();
            if (stamps.Count != values.Count)
            {
                reading.Findings.Add(Finding(Severity.Error, $"{source}#{id}", $"has {stamps.Count} timestamps but {values.Count} values; the output is cut or edited"));
                continue;
            }

            for (var i = 0; i < stamps.Count; i++)
            {
                reading.Add(series, stamps[i], values[i], source);
            }
        }
    }

    /// <summary>
    /// The result's StatusCode, one of the values the API reference lists
    /// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataResult.html: Complete,
    /// InternalError, PartialData, Forbidden); an unknown one is an error, never read as Complete.
    /// </summary>
    private static string? Status(JsonElement result, string id, string source, Reading reading)
    {
        var status = result.Prop("StatusCode") is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
        if (result.Prop("StatusCode") is null)
        {
            reading.Findings.Add(Finding(Severity.Note, $"{source}#{id}", "has no StatusCode (the API marks it optional); read as Complete"));
            return "Complete";
        }

        if (status is "Complete" or "PartialData" or "InternalError" or "Forbidden")
        {
            return status;
        }

        reading.Findings.Add(Finding(Severity.Error, $"{source}#{id}", $"StatusCode {(status is null ? result.Prop("StatusCode")!.Value.GetRawText() : $"'{status}'")} is none of Complete, PartialData, InternalError, Forbidden (the values CloudWatch documents); whether its values are complete is unknown, so they are not used"));
        return null;
    }

    /// <summary>A finding; <see cref="Diagnostic"/> escapes its location and message (ids, labels and messages come from the file).</summary>
    private static Diagnostic Finding(Severity level, string where, string message) => new(level, where, message);

    /// <summary>get-metric-statistics: one metric, datapoints in any order, each with the statistics asked for.</summary>
    private static void ReadStatistics(JsonElement root, JsonElement points, string source, Reading reading)
    {
        var label = root.Str("Label") ?? "metric";
        var series = reading.Get(label, label);
        series.Statuses.Add("Complete");
        var preferred = Preferred(Classify(label, label));
        foreach (var p in points.EnumerateArray())
        {
            // Take the statistic that fits the metric (Sum for counts, else Average), else the one there is.
            var used = preferred.Concat(Statistics).FirstOrDefault(s => p.Prop(s) is not null);
            var value = used is null ? null : p.Prop(used);
            if (value is null && p.Prop("ExtendedStatistics") is { ValueKind: JsonValueKind.Object } ext && ext.EnumerateObject().FirstOrDefault() is { Value.ValueKind: not JsonValueKind.Undefined } first)
            {
                value = first.Value;
                used = first.Name;
            }

            if (value is null || p.Prop("Timestamp") is not { } stamp)
            {
                reading.Findings.Add(Finding(Severity.Error, $"{source}#{label}", $"a datapoint has no Timestamp or no statistic (one of {string.Join(", ", Statistics)} or ExtendedStatistics): {p.GetRawText()}"));
                continue;
            }

            series.Statistics.Add(used!);
            reading.Add(series, stamp, value.Value, source);
        }
    }

    /// <summary>A joined series with what was found on the way reported: its period is the greatest common gap.</summary>
    private static CloudWatchSeries Summarise(RawSeries s, int bucketSeconds, List<Diagnostic> findings)
    {
        if (s.Statistics.Count > 1)
        {
            findings.Add(Finding(Severity.Note, s.Id, $"the datapoints hold several statistics; {string.Join(", ", s.Statistics)} is used"));
        }

        if (s.Statuses.Count > 0 && s.Statuses.All(x => x == "PartialData"))
        {
            findings.Add(Finding(Severity.Warning, s.Id, "every page of this query says StatusCode PartialData: CloudWatch holds more datapoints than the files given (follow NextToken and pass every page); the trace covers only the datapoints given"));
        }

        if (s.Conflicts.Count > 0)
        {
            var (t, a, b) = s.Conflicts.MinBy(c => c.Item1);
            findings.Add(Finding(Severity.Error, s.Id, $"{s.Conflicts.Count} timestamps appear twice with different values, first {Stamp(t)}: {Fmt(a)} and {Fmt(b)}; pages of one query never disagree, so these files are from different queries"));
        }

        if (s.SameDuplicates > 0)
        {
            findings.Add(Finding(Severity.Note, s.Id, $"{s.SameDuplicates} datapoints appear twice with the same value (overlapping pages); each is counted once"));
        }

        if (s.Negative > 0)
        {
            findings.Add(Finding(Severity.Warning, s.Id, $"{s.Negative} values are negative (first at {Stamp(s.FirstNegative)}); demand cannot be negative, so they are read as missing samples"));
        }

        if (s.NotANumber > 0)
        {
            findings.Add(Finding(Severity.Warning, s.Id, $"{s.NotANumber} values are NaN, null, not numbers or beyond ±1e15 (first at {Stamp(s.FirstNaN)}); they are read as missing samples"));
        }

        var points = Combine(s, bucketSeconds, findings);
        var times = points.Keys.ToList();
        var period = 0;
        for (var i = 1; i < times.Count; i++)
        {
            var gap = (int)Math.Round((times[i] - times[i - 1]).TotalSeconds);
            period = period == 0 ? gap : Gcd(period, gap);
        }

        var kind = Classify(s.Id, s.Label);
        return new CloudWatchSeries
        {
            Id = s.Id,
            Label = s.Label,
            Kind = kind,
            Points = points.ToImmutableSortedDictionary(),
            PeriodSeconds = period,
            Column = ColumnName(s.Id, s.Label, kind),
        };
    }

    /// <summary>
    /// The datapoints on whole periods (<paramref name="bucketSeconds"/>, from the epoch): datapoints less than a period
    /// apart (sub-second timestamps, sub-minute data) are combined by the metric's statistic, with a note; none is dropped.
    /// </summary>
    private static SortedDictionary<DateTime, double> Combine(RawSeries s, int bucketSeconds, List<Diagnostic> findings)
    {
        var ticks = TimeSpan.TicksPerSecond * (long)bucketSeconds;
        var groups = s.Points.GroupBy(p => new DateTime(p.Key.Ticks - (p.Key.Ticks % ticks), DateTimeKind.Utc)).ToList();
        if (groups.All(g => g.Count() == 1 && g.Key == g.First().Key))
        {
            return s.Points;
        }

        var statistic = s.Statistics.Count == 1 ? s.Statistics.Min! : Preferred(Classify(s.Id, s.Label)).First();
        var combined = new SortedDictionary<DateTime, double>();
        foreach (var g in groups)
        {
            var values = g.Select(p => p.Value).Where(v => !double.IsNaN(v)).ToList();
            combined[g.Key] = values.Count == 0 ? double.NaN : statistic switch
            {
                "Sum" or "SampleCount" => values.Sum(),
                "Maximum" => values.Max(),
                "Minimum" => values.Min(),
                _ => values.Average(),
            };
        }

        var how = statistic is "Sum" or "SampleCount" or "Maximum" or "Minimum" or "Average" ? statistic : $"Average ({statistic} cannot be combined exactly; the average of the values is used)";
        findings.Add(Finding(Severity.Note, s.Id, $"{s.Points.Count} datapoints fall in {combined.Count} periods of {bucketSeconds} s (datapoints less than {(bucketSeconds == 1 ? "a second" : $"{bucketSeconds} s")} apart); each period's datapoints are combined by {how} into one sample at the period's start"));
        return combined;
    }

    /// <summary>Reads CloudWatch output files as one demand trace.</summary>
    /// <returns>The trace (null on any error) and every finding: errors, warnings and notes.</returns>
    public static (DemandTrace? Trace, ImmutableArray<Diagnostic> Findings) Read(IReadOnlyList<(string Source, string Text)> files, CloudWatchTraceOptions options)
    {
        var (trace, findings, _) = ReadWithTasks(files, options);
        return (trace, findings);
    }

    /// <summary>As <see cref="Read"/>, with the RunningTaskCount at the trace's first sample when the files have that series.</summary>
    /// <returns>The trace, the findings, and the tasks running at the start (the first datapoint of RunningTaskCount), or null.</returns>
    public static (DemandTrace? Trace, ImmutableArray<Diagnostic> Findings, double? TasksAtStart) ReadWithTasks(IReadOnlyList<(string Source, string Text)> files, CloudWatchTraceOptions options)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        var (all, read) = ReadSeries(files, options.PeriodSeconds);
        var findings = new List<Diagnostic>(read);
        if (findings.Any(f => f.Severity == Severity.Error))
        {
            return (null, [.. findings], null);
        }

        // 1. Which series are demand and which the task count; 2. one grid for all; 3. demand per sample; 4. columns.
        var (demand, tasks) = Roles(all, files, options, findings);
        if (findings.Any(f => f.Severity == Severity.Error))
        {
            return (null, [.. findings], null);
        }

        if (Layout(demand, tasks, findings) is not var (interval, start, n))
        {
            return (null, [.. findings], null);
        }

        var taskGrid = tasks is null ? null : Grid(tasks, start, interval, n);
        var columns = demand.Select(s => (Series: s, Demand: Demand(s, Grid(s, start, interval, n), taskGrid, options.Tasks, findings))).ToList();
        var (main, policyDemand) = Columns(columns, options, findings);
        if (findings.Any(f => f.Severity == Severity.Error))
        {
            return (null, [.. findings], null);
        }

        var atStart = taskGrid?.FirstOrDefault(double.IsFinite);
        return (new DemandTrace
        {
            IntervalSeconds = interval,
            Start = new DateTimeOffset(start, TimeSpan.Zero),
            Demand = main,
            PolicyDemand = policyDemand,
        }, [.. findings], atStart is > 0 ? atStart : null);
    }

    private static bool IsPerTask(CloudWatchSeriesKind kind) =>
        kind is CloudWatchSeriesKind.CpuUtilization or CloudWatchSeriesKind.MemoryUtilization or CloudWatchSeriesKind.RequestCountPerTarget;

    /// <summary>The demand series and the one RunningTaskCount series (if any); empty results and missing task counts reported.</summary>
    private static (List<CloudWatchSeries> Demand, CloudWatchSeries? Tasks) Roles(
        ImmutableArray<CloudWatchSeries> all, IReadOnlyList<(string Source, string Text)> files, CloudWatchTraceOptions options, List<Diagnostic> findings)
    {
        var series = all.Where(s => s.Points.Count > 0).ToList();
        foreach (var empty in all.Where(s => s.Points.Count == 0))
        {
            findings.Add(Finding(series.Count == 0 ? Severity.Error : Severity.Warning, empty.Id, "has no datapoints: check the dimensions (ClusterName, ServiceName, TargetGroup), the time range, and that the metric exists (CloudWatch keeps 1-minute data for 15 days, 5-minute data for 63 days)"));
        }

        if (all.IsEmpty)
        {
            findings.Add(Finding(Severity.Error, string.Join(", ", files.Select(f => f.Source)), "holds no metric results: the query returned nothing"));
        }

        var tasks = series.Where(s => s.Kind == CloudWatchSeriesKind.RunningTaskCount).ToList();
        var demand = series.Where(s => s.Kind != CloudWatchSeriesKind.RunningTaskCount).ToList();
        if (tasks.Count > 1)
        {
            findings.Add(Finding(Severity.Error, string.Join(", ", tasks.Select(t => t.Id)), "several RunningTaskCount series; give one per service"));
        }

        if (series.Count > 0 && demand.Count == 0)
        {
            findings.Add(Finding(Severity.Error, tasks.FirstOrDefault()?.Id ?? "input", "only RunningTaskCount was given; add the metric that drives scaling (CPUUtilization, MemoryUtilization, RequestCountPerTarget or your own)"));
        }

        var perTask = string.Join(", ", demand.Where(s => IsPerTask(s.Kind)).Select(s => s.Id));
        if (perTask.Length > 0 && tasks.Count == 0)
        {
            findings.Add(options.Tasks is { } fixedTasks
                ? Finding(Severity.Warning, perTask, $"is per task and there is no RunningTaskCount series: demand is the value × {Fmt(fixedTasks)} tasks ({Diagnostic.Words(Mention.TaskCountGiven)}) throughout, so the trace is only as good as that guess; add Container Insights' RunningTaskCount to the query") with { Mention = Mention.TaskCountGiven }
                : Finding(Severity.Error, perTask, $"is per task: demand = value × running tasks. Add Container Insights' RunningTaskCount (namespace ECS/ContainerInsights, dimensions ClusterName and ServiceName) to the query or as another file, or {Diagnostic.Words(Mention.TaskCountNeeded)}") with { Mention = Mention.TaskCountNeeded });
        }

        if (options.Tasks is { } t0 && (!double.IsFinite(t0) || t0 <= 0))
        {
            findings.Add(Finding(Severity.Error, "tasks", $"must be a number of tasks above 0; got {Fmt(t0)}") with { Subject = Subject.TaskCount });
        }

        return (demand, tasks.FirstOrDefault());
    }

    /// <summary>One grid for every series: the finest period; a coarser series is held over it, one out of step is an error.</summary>
    private static (int Interval, DateTime Start, int Length)? Layout(List<CloudWatchSeries> demand, CloudWatchSeries? tasks, List<Diagnostic> findings)
    {
        var used = tasks is null ? demand : [.. demand, tasks];
        var interval = used.Where(s => s.PeriodSeconds > 0).Select(s => s.PeriodSeconds).DefaultIfEmpty(0).Min();
        if (interval <= 0)
        {
            findings.Add(Finding(Severity.Error, string.Join(", ", used.Select(s => s.Id)), "a trace needs at least 2 datapoints a period apart; got one"));
            return null;
        }

        foreach (var s in used.Where(s => s.PeriodSeconds > interval))
        {
            findings.Add(s.PeriodSeconds % interval != 0
                ? Finding(Severity.Error, s.Id, $"has datapoints {s.PeriodSeconds} s apart, which is not a multiple of the {interval} s of the other series; query every metric with the same period")
                : Finding(Severity.Note, s.Id, $"has datapoints {s.PeriodSeconds} s apart, the others {interval} s: each is held for {s.PeriodSeconds / interval} samples{(IsSum(s.Kind) ? ", its count spread evenly over them" : string.Empty)}"));
        }

        var start = demand.Min(s => s.Points.Keys.First());
        var end = demand.Max(s => s.Points.Keys.Last());
        foreach (var s in used)
        {
            var off = s.Points.Keys.FirstOrDefault(k => ((long)Math.Round((k - start).TotalSeconds) % interval + interval) % interval != 0);
            if (off != default)
            {
                findings.Add(Finding(Severity.Error, s.Id, $"has a datapoint at {Stamp(off)}, out of step with the {interval} s grid that starts at {Stamp(start)}; query every metric with the same start time and period"));
            }
        }

        var length = (long)Math.Round((end - start).TotalSeconds) / interval + 1;
        if (TraceLimits.CheckSpan(new DateTimeOffset(start, TimeSpan.Zero), interval, length) is { } limit)
        {
            findings.Add(Finding(Severity.Error, "trace", limit));
        }

        return findings.Any(f => f.Severity == Severity.Error) ? null : (interval, start, (int)length);
    }

    /// <summary>A series' values on the grid as demand: a per-task metric times the running tasks at the same sample.</summary>
    private static double[] Demand(CloudWatchSeries s, double[] grid, double[]? taskGrid, double? fixedTasks, List<Diagnostic> findings)
    {
        var missingTasks = 0;
        if (IsPerTask(s.Kind))
        {
            for (var i = 0; i < grid.Length; i++)
            {
                var k = taskGrid?[i] ?? fixedTasks!.Value;
                missingTasks += double.IsNaN(k) && !double.IsNaN(grid[i]) ? 1 : 0;
                grid[i] *= k;
            }
        }

        if (missingTasks > 0)
        {
            findings.Add(Finding(Severity.Warning, s.Id, $"{missingTasks} datapoints have no RunningTaskCount at the same time; they are missing samples"));
        }

        var over = Array.FindIndex(grid, v => v > TraceLimits.MaxDemand);
        if (over >= 0)
        {
            findings.Add(Finding(Severity.Error, s.Id, $"demand at sample {over} is {Num.Format(grid[over])}, beyond the largest demand a trace may hold ({Num.Format(TraceLimits.MaxDemand)})"));
        }

        var gaps = grid.Count(double.IsNaN);
        if (gaps > 0)
        {
            findings.Add(Finding(Severity.Note, s.Id, $"{gaps} of {grid.Length} samples are missing (gaps in the data, or unusable values); the simulator treats them as CloudWatch does, by the alarm's treatMissingData"));
        }

        return grid;
    }

    /// <summary>
    /// The <c>demand</c> column and the per-policy ones: each stack policy gets the series named after it, else the
    /// series of its metric; without a stack, several series are named by their query ids.
    /// </summary>
    private static (double[] Main, ImmutableDictionary<string, double[]> PolicyDemand) Columns(
        List<(CloudWatchSeries Series, double[] Demand)> columns, CloudWatchTraceOptions options, List<Diagnostic> findings)
    {
        var policyDemand = ImmutableDictionary.CreateBuilder<string, double[]>(StringComparer.Ordinal);
        double[]? first = null;
        if (!options.Policies.IsDefaultOrEmpty)
        {
            foreach (var (name, metric) in options.Policies.DistinctBy(p => p.Name))
            {
                var match = columns.FirstOrDefault(c => c.Series.Id == name);
                match = match.Demand is null ? columns.FirstOrDefault(c => Matches(metric, c.Series)) : match;
                if (match.Demand is not null)
                {
                    policyDemand[name] = match.Demand;
                    first ??= match.Demand;
                    findings.Add(Finding(Severity.Note, match.Series.Id, $"is the demand of policy '{name}'"));
                }
                else
                {
                    findings.Add(Finding(Severity.Warning, name, $"no series is named '{name}' or measures {metric.DisplayName}; this policy reads the 'demand' column"));
                }
            }
        }
        else if (columns.Count > 1)
        {
            foreach (var (s, d) in columns)
            {
                // Two series can want one name (two statistics files of custom metrics): the second gets a suffix.
                var name = s.Column;
                for (var i = 2; policyDemand.ContainsKey(name); i++)
                {
                    name = string.Create(CultureInfo.InvariantCulture, $"{s.Column}-{i}");
                }

                policyDemand[name] = d;
            }

            findings.Add(Finding(Severity.Note, "columns", $"several metrics: one column each ({string.Join(", ", policyDemand.Keys.Order(StringComparer.Ordinal))}), named after the query ids; simulate gives a column to the stack policy of that name, and 'demand' (the first) to the others"));
        }

        return (first ?? columns[0].Demand, policyDemand.ToImmutable());
    }

    /// <summary>Whether a series is what a stack policy's metric would read.</summary>
    public static bool Matches(MetricSpec metric, CloudWatchSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return metric switch
        {
            EcsServiceMetric { MetricName: "CPUUtilization" } => series.Kind == CloudWatchSeriesKind.CpuUtilization,
            EcsServiceMetric { MetricName: "MemoryUtilization" } => series.Kind == CloudWatchSeriesKind.MemoryUtilization,
            AlbRequestCountPerTargetMetric => series.Kind is CloudWatchSeriesKind.RequestCountPerTarget or CloudWatchSeriesKind.RequestCount,
            CloudWatchMetric c => series.Label.Equals(c.MetricName, StringComparison.OrdinalIgnoreCase) || series.Id.Equals(c.MetricName, StringComparison.OrdinalIgnoreCase),
            MetricMathMetric m => m.Queries.Any(q => q.ReturnData && (q.Id == series.Id || q.Label == series.Label)),
            _ => false,
        };
    }

    private static bool IsSum(CloudWatchSeriesKind kind) => kind is CloudWatchSeriesKind.RequestCount or CloudWatchSeriesKind.RequestCountPerTarget;

    private static IEnumerable<string> Preferred(CloudWatchSeriesKind kind) => IsSum(kind) ? ["Sum"] : ["Average"];

    /// <summary>The kind, from the label (by default the metric name), else from the query id.</summary>
    private static CloudWatchSeriesKind Classify(string id, string label)
    {
        foreach (var text in new[] { label, id })
        {
            var t = text.ToUpperInvariant();
            if (t.Contains("RUNNINGTASKCOUNT", StringComparison.Ordinal) || t is "TASKS" or "RUNNING_TASKS")
            {
                return CloudWatchSeriesKind.RunningTaskCount;
            }

            if (t.Contains("CPUUTILIZATION", StringComparison.Ordinal) || t == "CPU")
            {
                return CloudWatchSeriesKind.CpuUtilization;
            }

            if (t.Contains("MEMORYUTILIZATION", StringComparison.Ordinal) || t is "MEMORY" or "MEM")
            {
                return CloudWatchSeriesKind.MemoryUtilization;
            }

            if (t.Contains("REQUESTCOUNTPERTARGET", StringComparison.Ordinal))
            {
                return CloudWatchSeriesKind.RequestCountPerTarget;
            }

            if (t.Contains("REQUESTCOUNT", StringComparison.Ordinal))
            {
                return CloudWatchSeriesKind.RequestCount;
            }
        }

        return CloudWatchSeriesKind.Custom;
    }

    private static string ColumnName(string id, string label, CloudWatchSeriesKind kind)
    {
        // get-metric-data ids are chosen by the user (name them after the policies); statistics outputs only have a label.
        if (id != label && IdRegex().IsMatch(id))
        {
            return id;
        }

        return kind switch
        {
            CloudWatchSeriesKind.CpuUtilization => "cpu",
            CloudWatchSeriesKind.MemoryUtilization => "memory",
            CloudWatchSeriesKind.RequestCountPerTarget or CloudWatchSeriesKind.RequestCount => "requests",
            CloudWatchSeriesKind.RunningTaskCount => "tasks",
            _ => IdRegex().IsMatch(id) ? id : "metric",
        };
    }

    private static double[] Grid(CloudWatchSeries s, DateTime start, int interval, int n)
    {
        var grid = new double[n];
        Array.Fill(grid, double.NaN);
        var hold = Math.Max(1, s.PeriodSeconds / interval);
        foreach (var (t, v) in s.Points)
        {
            var i = (int)((long)Math.Round((t - start).TotalSeconds) / interval);
            for (var j = 0; j < hold; j++)
            {
                if (i + j >= 0 && i + j < n)
                {
                    grid[i + j] = IsSum(s.Kind) ? v / hold : v;
                }
            }
        }

        return grid;
    }

    /// <summary>What reading the files has gathered so far: the series by id and the findings.</summary>
    private sealed class Reading
    {
        public Dictionary<string, RawSeries> Series { get; } = new(StringComparer.Ordinal);

        public List<Diagnostic> Findings { get; } = [];

        public int Offsetless { get; private set; }

        public RawSeries Get(string id, string label)
        {
            if (!Series.TryGetValue(id, out var s))
            {
                s = new RawSeries(id, label);
                Series[id] = s;
            }

            return s;
        }

        /// <summary>Adds one datapoint: UTC time, unusable values as NaN, duplicates counted or kept as conflicts.</summary>
        public void Add(RawSeries s, JsonElement stamp, JsonElement value, string source)
        {
            var text = stamp.ValueKind == JsonValueKind.String ? stamp.GetString()! : stamp.GetRawText();
            // CloudWatch's CLI writes ISO 8601 with an offset; SDKs write seconds since the epoch. An offsetless ISO time reads as UTC, with a note.
            var offsetless = !OffsetRegex().IsMatch(text) && OffsetlessRegex().IsMatch(text);
            var (ts, _, error) = TraceTime.Parse(offsetless ? text + "Z" : text);
            if (error is not null)
            {
                Findings.Add(Finding(Severity.Error, $"{source}#{s.Id}", error));
                return;
            }

            Offsetless += offsetless ? 1 : 0;

            var t = ts.UtcDateTime;
            var v = JsonValues.Num(value) ?? double.NaN;
            if (!Num.IsUsable(v) && !(v < 0 && v >= -Num.MaxMagnitude))
            {
                s.NotANumber++;
                s.FirstNaN = s.NotANumber == 1 || t < s.FirstNaN ? t : s.FirstNaN;
                v = double.NaN;
            }
            else if (v < 0)
            {
                s.Negative++;
                s.FirstNegative = s.Negative == 1 || t < s.FirstNegative ? t : s.FirstNegative;
                v = double.NaN;
            }

            if (s.Points.TryGetValue(t, out var existing))
            {
                if (existing.Equals(v))
                {
                    s.SameDuplicates++;
                }
                else
                {
                    s.Conflicts.Add((t, existing, v));
                }

                return;
            }

            s.Points[t] = v;
        }
    }

    private static string Stamp(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Fmt(double v) => double.IsNaN(v) ? "NaN" : Num.Format(v);

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    [GeneratedRegex(@"(Z|z|[+-]\d\d:?\d\d)$")]
    private static partial Regex OffsetRegex();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,7})?)?$")]
    private static partial Regex OffsetlessRegex();

    [GeneratedRegex("^[a-z][a-zA-Z0-9_-]{0,63}$")]
    private static partial Regex IdRegex();

    private sealed class RawSeries(string id, string label)
    {
        public string Id { get; } = id;

        public string Label { get; } = label;

        public SortedDictionary<DateTime, double> Points { get; } = [];

        public List<string> Statuses { get; } = [];

        public SortedSet<string> Statistics { get; } = new(StringComparer.Ordinal);

        public List<(DateTime, double, double)> Conflicts { get; } = [];

        public int SameDuplicates { get; set; }

        public int Negative { get; set; }

        public DateTime FirstNegative { get; set; }

        public int NotANumber { get; set; }

        public DateTime FirstNaN { get; set; }
    }
}
