using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using StepScaling.Import;
using StepScaling.Model;

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
    public static (ImmutableArray<CloudWatchSeries> Series, ImmutableArray<ImportFinding> Findings) ReadSeries(IReadOnlyList<(string Source, string Text)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var findings = new List<ImportFinding>();
        var raw = new Dictionary<string, RawSeries>(StringComparer.Ordinal);
        var offsetless = 0;
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
                findings.Add(new ImportFinding(ImportLevel.Error, source, $"not JSON ({e.Message.Split(". ")[0]}); expected {AcceptedShapes}"));
                continue;
            }

            if (root.Prop("MetricDataResults") is { ValueKind: JsonValueKind.Array } results)
            {
                foreach (var m in root.Items("Messages"))
                {
                    findings.Add(new ImportFinding(ImportLevel.Warning, source, $"CloudWatch says: {m.Str("Code")}: {m.Str("Value")}"));
                }

                foreach (var r in results.EnumerateArray())
                {
                    var id = r.Str("Id") ?? r.Str("Label") ?? "m1";
                    var series = Get(raw, id, r.Str("Label") ?? id);
                    var status = r.Str("StatusCode") ?? "Complete";
                    series.Statuses.Add(status);
                    if (status is "InternalError" or "Forbidden")
                    {
                        findings.Add(new ImportFinding(ImportLevel.Error, $"{source}#{id}", $"CloudWatch returned StatusCode {status} for this query{string.Concat(r.Items("Messages").Select(m => $"; {m.Str("Code")}: {m.Str("Value")}"))}; its values cannot be used"));
                        continue;
                    }

                    var stamps = r.Items("Timestamps").ToList();
                    var values = r.Items("Values").ToList();
                    if (stamps.Count != values.Count)
                    {
                        findings.Add(new ImportFinding(ImportLevel.Error, $"{source}#{id}", $"has {stamps.Count} timestamps but {values.Count} values; the output is cut or edited"));
                        continue;
                    }

                    for (var i = 0; i < stamps.Count; i++)
                    {
                        Add(series, stamps[i], values[i], source, findings, ref offsetless);
                    }
                }
            }
            else if (root.Prop("Datapoints") is { ValueKind: JsonValueKind.Array } points)
            {
                var label = root.Str("Label") ?? "metric";
                var series = Get(raw, label, label);
                series.Statuses.Add("Complete");
                var kind = Classify(label, label);
                foreach (var p in points.EnumerateArray())
                {
                    // A datapoint holds the statistics asked for; take the one that fits the metric.
                    var present = Statistics.Where(s => p.Prop(s) is not null).ToList();
                    JsonElement? value = null;
                    string? used = null;
                    foreach (var s in Preferred(kind).Concat(present))
                    {
                        if (p.Prop(s) is { } v)
                        {
                            value = v;
                            used = s;
                            break;
                        }
                    }

                    if (value is null && p.Prop("ExtendedStatistics") is { ValueKind: JsonValueKind.Object } ext && ext.EnumerateObject().FirstOrDefault() is { Value.ValueKind: not JsonValueKind.Undefined } first)
                    {
                        value = first.Value;
                        used = first.Name;
                    }

                    if (value is null || p.Prop("Timestamp") is not { } stamp)
                    {
                        findings.Add(new ImportFinding(ImportLevel.Error, $"{source}#{label}", $"a datapoint has no Timestamp or no statistic (one of {string.Join(", ", Statistics)} or ExtendedStatistics): {p.GetRawText()}"));
                        continue;
                    }

                    series.Statistics.Add(used!);
                    Add(series, stamp, value.Value, source, findings, ref offsetless);
                }
            }
            else
            {
                findings.Add(new ImportFinding(ImportLevel.Error, source, $"is JSON but not CloudWatch output: got {JsonValues.Describe(root)}; expected {AcceptedShapes}"));
            }
        }

        if (offsetless > 0)
        {
            findings.Add(new ImportFinding(ImportLevel.Note, "timestamps", $"{offsetless} timestamps have no UTC offset; they are read as UTC, as CloudWatch returns them"));
        }

        var list = new List<CloudWatchSeries>();
        foreach (var s in raw.Values)
        {
            if (s.Statistics.Count > 1)
            {
                findings.Add(new ImportFinding(ImportLevel.Note, s.Id, $"the datapoints hold several statistics; {string.Join(", ", s.Statistics)} is used"));
            }

            if (s.Statuses.Count > 0 && s.Statuses.All(x => x == "PartialData"))
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, s.Id, "every page of this query says StatusCode PartialData: CloudWatch holds more datapoints than the files given (follow NextToken and pass every page); the trace covers only the datapoints given"));
            }

            if (s.Conflicts.Count > 0)
            {
                var (t, a, b) = s.Conflicts.MinBy(c => c.Item1);
                findings.Add(new ImportFinding(ImportLevel.Error, s.Id, $"{s.Conflicts.Count} timestamps appear twice with different values, first {Stamp(t)}: {Fmt(a)} and {Fmt(b)}; pages of one query never disagree, so these files are from different queries"));
            }

            if (s.SameDuplicates > 0)
            {
                findings.Add(new ImportFinding(ImportLevel.Note, s.Id, $"{s.SameDuplicates} datapoints appear twice with the same value (overlapping pages); each is counted once"));
            }

            if (s.Negative > 0)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, s.Id, $"{s.Negative} values are negative (first at {Stamp(s.FirstNegative)}); demand cannot be negative, so they are read as missing samples"));
            }

            if (s.NotANumber > 0)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, s.Id, $"{s.NotANumber} values are NaN, null, not numbers or beyond ±1e15 (first at {Stamp(s.FirstNaN)}); they are read as missing samples"));
            }

            var times = s.Points.Keys.ToList();
            var period = 0;
            for (var i = 1; i < times.Count; i++)
            {
                var gap = (int)Math.Round((times[i] - times[i - 1]).TotalSeconds);
                period = period == 0 ? gap : Gcd(period, gap);
            }

            var kind = Classify(s.Id, s.Label);
            list.Add(new CloudWatchSeries
            {
                Id = s.Id,
                Label = s.Label,
                Kind = kind,
                Points = s.Points.ToImmutableSortedDictionary(),
                PeriodSeconds = period,
                Column = ColumnName(s.Id, s.Label, kind),
            });
        }

        return ([.. list], [.. findings]);
    }

    /// <summary>Reads CloudWatch output files as one demand trace.</summary>
    /// <returns>The trace (null on any error) and every finding: errors, warnings and notes.</returns>
    public static (DemandTrace? Trace, ImmutableArray<ImportFinding> Findings) Read(IReadOnlyList<(string Source, string Text)> files, CloudWatchTraceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (all, read) = ReadSeries(files);
        var findings = new List<ImportFinding>(read);
        if (findings.Any(f => f.Level == ImportLevel.Error))
        {
            return (null, [.. findings]);
        }

        var series = all.Where(s => s.Points.Count > 0).ToList();
        foreach (var empty in all.Where(s => s.Points.Count == 0))
        {
            findings.Add(new ImportFinding(series.Count == 0 ? ImportLevel.Error : ImportLevel.Warning, empty.Id, "has no datapoints: check the dimensions (ClusterName, ServiceName, TargetGroup), the time range, and that the metric exists (CloudWatch keeps 1-minute data for 15 days, 5-minute data for 63 days)"));
        }

        if (all.IsEmpty)
        {
            findings.Add(new ImportFinding(ImportLevel.Error, string.Join(", ", files.Select(f => f.Source)), "holds no metric results: the query returned nothing"));
        }

        var tasks = series.Where(s => s.Kind == CloudWatchSeriesKind.RunningTaskCount).ToList();
        var demand = series.Where(s => s.Kind != CloudWatchSeriesKind.RunningTaskCount).ToList();
        if (tasks.Count > 1)
        {
            findings.Add(new ImportFinding(ImportLevel.Error, string.Join(", ", tasks.Select(t => t.Id)), "several RunningTaskCount series; give one per service"));
        }

        if (series.Count > 0 && demand.Count == 0)
        {
            findings.Add(new ImportFinding(ImportLevel.Error, tasks.FirstOrDefault()?.Id ?? "input", "only RunningTaskCount was given; add the metric that drives scaling (CPUUtilization, MemoryUtilization, RequestCountPerTarget or your own)"));
        }

        var perTask = demand.Where(s => s.Kind is CloudWatchSeriesKind.CpuUtilization or CloudWatchSeriesKind.MemoryUtilization or CloudWatchSeriesKind.RequestCountPerTarget).ToList();
        if (perTask.Count > 0 && tasks.Count == 0)
        {
            if (options.Tasks is { } fixedTasks)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, string.Join(", ", perTask.Select(s => s.Id)), $"is per task and there is no RunningTaskCount series: demand is the value × {Fmt(fixedTasks)} tasks (--tasks) throughout, so the trace is only as good as that guess; add Container Insights' RunningTaskCount to the query"));
            }
            else
            {
                findings.Add(new ImportFinding(ImportLevel.Error, string.Join(", ", perTask.Select(s => s.Id)), "is per task: demand = value × running tasks. Add Container Insights' RunningTaskCount (namespace ECS/ContainerInsights, dimensions ClusterName and ServiceName) to the query or as another file, or give a fixed --tasks n"));
            }
        }

        if (options.Tasks is { } t0 && (!double.IsFinite(t0) || t0 <= 0))
        {
            findings.Add(new ImportFinding(ImportLevel.Error, "--tasks", $"must be a number of tasks above 0; got {Fmt(t0)}"));
        }

        if (findings.Any(f => f.Level == ImportLevel.Error))
        {
            return (null, [.. findings]);
        }

        // 1. One grid: the finest period; a coarser series is held over it (a Sum spread), an out-of-step one rejected.
        var used = demand.Concat(tasks).ToList();
        var interval = used.Where(s => s.PeriodSeconds > 0).Select(s => s.PeriodSeconds).DefaultIfEmpty(0).Min();
        if (interval <= 0)
        {
            findings.Add(new ImportFinding(ImportLevel.Error, string.Join(", ", used.Select(s => s.Id)), "a trace needs at least 2 datapoints a period apart; got one"));
            return (null, [.. findings]);
        }

        foreach (var s in used.Where(s => s.PeriodSeconds > interval))
        {
            if (s.PeriodSeconds % interval != 0)
            {
                findings.Add(new ImportFinding(ImportLevel.Error, s.Id, $"has datapoints {s.PeriodSeconds} s apart, which is not a multiple of the {interval} s of the other series; query every metric with the same period"));
            }
            else
            {
                findings.Add(new ImportFinding(ImportLevel.Note, s.Id, $"has datapoints {s.PeriodSeconds} s apart, the others {interval} s: each is held for {s.PeriodSeconds / interval} samples{(IsSum(s.Kind) ? ", its count spread evenly over them" : string.Empty)}"));
            }
        }

        var start = demand.Min(s => s.Points.Keys.First());
        var end = demand.Max(s => s.Points.Keys.Last());
        foreach (var s in used)
        {
            var off = s.Points.Keys.FirstOrDefault(k => ((long)Math.Round((k - start).TotalSeconds) % interval + interval) % interval != 0);
            if (off != default)
            {
                findings.Add(new ImportFinding(ImportLevel.Error, s.Id, $"has a datapoint at {Stamp(off)}, out of step with the {interval} s grid that starts at {Stamp(start)}; query every metric with the same start time and period"));
            }
        }

        var length = (long)Math.Round((end - start).TotalSeconds) / interval + 1;
        if (length > DemandTrace.MaxSamples)
        {
            findings.Add(new ImportFinding(ImportLevel.Error, "trace", $"{length} samples of {interval} s is more than {DemandTrace.MaxSamples}; query a shorter range or a longer period"));
        }

        if (findings.Any(f => f.Level == ImportLevel.Error))
        {
            return (null, [.. findings]);
        }

        var n = (int)length;
        var taskGrid = tasks.Count == 1 ? Grid(tasks[0], start, interval, n) : null;
        var columns = new List<(CloudWatchSeries Series, double[] Demand)>();
        foreach (var s in demand)
        {
            var grid = Grid(s, start, interval, n);
            var missingTasks = 0;
            if (s.Kind is CloudWatchSeriesKind.CpuUtilization or CloudWatchSeriesKind.MemoryUtilization or CloudWatchSeriesKind.RequestCountPerTarget)
            {
                for (var i = 0; i < n; i++)
                {
                    var k = taskGrid is null ? options.Tasks!.Value : taskGrid[i];
                    if (double.IsNaN(k) && !double.IsNaN(grid[i]))
                    {
                        missingTasks++;
                    }

                    grid[i] *= k;
                }
            }

            if (missingTasks > 0)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, s.Id, $"{missingTasks} datapoints have no RunningTaskCount at the same time; they are missing samples"));
            }

            var gaps = grid.Count(double.IsNaN);
            if (gaps > 0)
            {
                findings.Add(new ImportFinding(ImportLevel.Note, s.Id, $"{gaps} of {n} samples are missing (gaps in the data, or unusable values); the simulator treats them as CloudWatch does, by the alarm's treatMissingData"));
            }

            columns.Add((s, grid));
        }

        // 2. Columns: each stack policy gets the series of its metric; without a stack, series are named by id.
        var policyDemand = ImmutableDictionary.CreateBuilder<string, double[]>(StringComparer.Ordinal);
        double[]? first = null;
        if (!options.Policies.IsDefaultOrEmpty)
        {
            foreach (var (name, metric) in options.Policies)
            {
                if (policyDemand.ContainsKey(name))
                {
                    continue;
                }

                var match = columns.FirstOrDefault(c => c.Series.Id == name || Matches(metric, c.Series));
                if (match.Demand is not null)
                {
                    policyDemand[name] = match.Demand;
                    first ??= match.Demand;
                    findings.Add(new ImportFinding(ImportLevel.Note, match.Series.Id, $"is the demand of policy '{name}'"));
                }
            }
        }
        else if (columns.Count > 1)
        {
            foreach (var (s, d) in columns)
            {
                policyDemand[s.Column] = d;
            }

            findings.Add(new ImportFinding(ImportLevel.Note, "columns", $"several metrics: one column each ({string.Join(", ", columns.Select(c => c.Series.Column))}), named after the query ids; simulate gives a column to the stack policy of that name, and 'demand' (the first) to the others"));
        }

        var main = first ?? columns[0].Demand;
        return (new DemandTrace
        {
            IntervalSeconds = interval,
            Start = new DateTimeOffset(start, TimeSpan.Zero),
            Demand = main,
            PolicyDemand = policyDemand.ToImmutable(),
        }, [.. findings]);
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

    private static RawSeries Get(Dictionary<string, RawSeries> raw, string id, string label)
    {
        if (!raw.TryGetValue(id, out var s))
        {
            s = new RawSeries(id, label);
            raw[id] = s;
        }

        return s;
    }

    private static void Add(RawSeries s, JsonElement stamp, JsonElement value, string source, List<ImportFinding> findings, ref int offsetless)
    {
        var text = stamp.ValueKind == JsonValueKind.String ? stamp.GetString()! : stamp.GetRawText();
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts))
        {
            findings.Add(new ImportFinding(ImportLevel.Error, $"{source}#{s.Id}", $"timestamp '{text}' is not ISO 8601 (2026-01-01T00:00:00Z)"));
            return;
        }

        if (!OffsetRegex().IsMatch(text))
        {
            offsetless++;
        }

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

    private static string Stamp(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Fmt(double v) => double.IsNaN(v) ? "NaN" : Num.Format(v);

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    [GeneratedRegex(@"(Z|z|[+-]\d\d:?\d\d)$")]
    private static partial Regex OffsetRegex();

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
