using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Simulation;

/// <summary>
/// The limits every demand trace is held to, whatever file it came from (the README's "Limits" table): checked
/// while reading, with a clear error, before any simulation work.
/// </summary>
public static class TraceLimits
{
    /// <summary>The most samples a trace may hold: <see cref="DemandTrace.MaxSamples"/> (a year at ten-second resolution).</summary>
    public const int MaxSamples = DemandTrace.MaxSamples;

    /// <summary>The largest demand value: <see cref="Num.MaxMagnitude"/>, which keeps every figure the simulator derives finite.</summary>
    public const double MaxDemand = Num.MaxMagnitude;

    /// <summary>The largest timestamp in seconds since 1970-01-01T00:00:00Z: 9999-12-31T23:59:59Z, the last second .NET and ISO 8601's four-digit years can write.</summary>
    public const long MaxEpochSeconds = 253_402_300_799;

    /// <summary>The longest field in a trace CSV, in characters: a timestamp, a number or a column name needs far fewer.</summary>
    public const int MaxFieldChars = 65_536;

    /// <summary>The largest CloudWatch JSON file read, in bytes (a get-metric-data page holds at most 100,800 datapoints, far less).</summary>
    public const long MaxJsonBytes = 256L * 1024 * 1024;

    /// <summary>The latest time a trace may reach: the end of its last sample's period.</summary>
    public static DateTimeOffset Latest => DateTimeOffset.FromUnixTimeSeconds(MaxEpochSeconds);

    /// <summary>Why a trace of <paramref name="length"/> samples from <paramref name="start"/> breaks a limit, or null.</summary>
    public static string? CheckSpan(DateTimeOffset start, long intervalSeconds, long length)
    {
        if (length > MaxSamples)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{length} samples is more than the {MaxSamples} a trace may hold; use a shorter range or a longer period");
        }

        // The last sample's period must end by the latest time: a replay reads the time at the end of each period.
        var pastTheEnd = (Latest - start).TotalSeconds < (double)intervalSeconds * length;
        return pastTheEnd
            ? string.Create(CultureInfo.InvariantCulture, $"the trace runs past {Latest.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, the latest time a trace may reach ({length} samples {intervalSeconds} s apart from {start.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})")
            : null;
    }

    /// <summary>Why a demand value breaks the limit, or null: a finite number from 0 to <see cref="MaxDemand"/>.</summary>
    public static bool IsDemand(double value) => double.IsFinite(value) && value >= 0 && value <= MaxDemand;

    /// <summary>The demand rule, as said in messages.</summary>
    public static string DemandRule => $"a number from 0 to {Num.Format(MaxDemand)}";
}

/// <summary>
/// Timestamps in a trace: ISO 8601 with a UTC offset or <c>Z</c>, or seconds since the epoch, read
/// culture-invariantly. Anything a machine's culture would read its own way (<c>1/2/2026</c>, <c>Jan 1 2026</c>,
/// <c>00:01</c>) is refused.
/// </summary>
public static partial class TraceTime
{
    /// <summary>How a timestamp was written.</summary>
    public enum Form
    {
        /// <summary>ISO 8601 with an offset.</summary>
        Iso,

        /// <summary>Seconds since 1970-01-01T00:00:00Z.</summary>
        Seconds,
    }

    /// <summary>What is accepted, as said in messages.</summary>
    public const string Accepted = "ISO 8601 with a UTC offset or Z (2026-01-01T00:00:00Z, 2026-01-01T01:00:00+01:00) or seconds since 1970-01-01T00:00:00Z (1767225600)";

    /// <summary>Reads one timestamp.</summary>
    /// <returns>The time and its form, or the reason it is refused.</returns>
    public static (DateTimeOffset Time, Form Form, string? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SecondsRegex().IsMatch(text))
        {
            var seconds = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (seconds < 0 || seconds > MaxEpochSecondsAsDouble)
            {
                var hint = seconds > 0 && seconds / 1000 <= MaxEpochSecondsAsDouble ? "; it looks like milliseconds since the epoch: give seconds (divide by 1000)" : string.Empty;
                return (default, Form.Seconds, $"timestamp {text} s is outside 0 to {TraceLimits.MaxEpochSeconds} seconds since 1970-01-01T00:00:00Z (up to {TraceLimits.Latest.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}){hint}");
            }

            return (DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)), Form.Seconds, null);
        }

        if (IsoRegex().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return (time, Form.Iso, null);
        }

        return (default, Form.Iso, $"timestamp must be {Accepted}; got '{text}'");
    }

    private const double MaxEpochSecondsAsDouble = TraceLimits.MaxEpochSeconds;

    [GeneratedRegex(@"^[0-9]{1,15}(\.[0-9]{1,9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex SecondsRegex();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoRegex();
}

/// <summary>Reads and writes demand traces as CSV: <c>timestamp,demand[,&lt;policy&gt;…]</c>.</summary>
public static class TraceCsv
{
    /// <summary>Row errors listed before reading stops: a file of garbage gets a screenful, not a million lines.</summary>
    private const int MaxRowErrors = 50;

    /// <summary>
    /// Reads a trace, streaming: at most <paramref name="maxSamples"/> rows are held, so a huge file ends in an error,
    /// not in memory. <c>timestamp</c> is one of <see cref="TraceTime.Accepted"/>, one form per file, in time order.
    /// The trace's interval is its smallest step between rows; every step must be a whole multiple of it, and a longer
    /// step is a gap of missing samples (one note per file says how many). <c>demand</c> is
    /// <see cref="TraceLimits.DemandRule"/>, or empty for a missing sample. Extra columns named after a config policy
    /// give that policy its own demand; a column name may appear once. The span, gaps included, is held to the sample
    /// cap while reading, so a gap of years is an error before anything is allocated.
    /// </summary>
    /// <returns>The trace, or null with the errors that stopped it.</returns>
    public static (DemandTrace? Trace, ImmutableArray<Diagnostic> Errors) Read(TextReader reader, string source, int maxSamples = TraceLimits.MaxSamples)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var bag = new DiagnosticBag();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, MaxFieldSize = TraceLimits.MaxFieldChars };
        using var csv = new CsvReader(reader, config);
        try
        {
            if (ReadHeader(csv, source, bag) is not { } header)
            {
                return (null, bag.ToImmutable());
            }

            var rows = new Rows(header);
            return ReadRows(csv, source, maxSamples, rows, bag) ? (Build(rows, source, maxSamples, bag), bag.ToImmutable()) : (null, bag.ToImmutable());
        }
        catch (MaxFieldSizeException e)
        {
            bag.Error($"{source}:{e.Context?.Parser?.Row}", $"a field is longer than {TraceLimits.MaxFieldChars} characters, the most a trace field may hold; is this a trace?");
            return (null, bag.ToImmutable());
        }
        catch (BadDataException e)
        {
            // CsvHelper's own message tells the caller how to configure CsvHelper; say what is wrong in the file.
            bag.Error($"{source}:{e.Context?.Parser?.Row}", $"malformed CSV: a quoted field is not closed, or a quote sits inside an unquoted field: '{e.Field.Trim()}'");
            return (null, bag.ToImmutable());
        }
        catch (CsvHelperException e)
        {
            bag.Error(source, $"malformed CSV: {e.Message.Split('\n')[0]}");
            return (null, bag.ToImmutable());
        }
    }

    /// <summary>The header, checked: <c>timestamp,demand</c> first (any case), every name once.</summary>
    private static string[]? ReadHeader(CsvReader csv, string source, DiagnosticBag bag)
    {
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            bag.Error(source, "the trace is empty: expected a header 'timestamp,demand'");
            return null;
        }

        // Spreadsheets capitalise headers: "Timestamp,Demand" is the same trace.
        header[0] = header[0].TrimStart('\uFEFF');
        if (header.Length < 2 || !header[0].Equals("timestamp", StringComparison.OrdinalIgnoreCase) || !header[1].Equals("demand", StringComparison.OrdinalIgnoreCase))
        {
            bag.Error($"{source}:1", $"the header must start with 'timestamp,demand'; got '{string.Join(",", header)}'");
            return null;
        }

        // A repeated name would let the last column win silently; names differing only in case are the same to a reader.
        foreach (var twice in header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            bag.Error($"{source}:1", $"column '{twice.Key}' appears {twice.Count()} times in the header (names are compared ignoring case); each column may appear once");
        }

        return bag.HasErrors ? null : header;
    }

    /// <summary>Reads every row into <paramref name="rows"/>; false when a row was refused or the file is over the cap.</summary>
    private static bool ReadRows(CsvReader csv, string source, int maxSamples, Rows rows, DiagnosticBag bag)
    {
        var count = 0;
        while (csv.Read())
        {
            if (++count > maxSamples)
            {
                bag.Error(source, $"holds more than {maxSamples} samples, the most a trace may hold (reading stopped there); use a shorter range or a longer interval");
                return false;
            }

            var line = csv.Parser.Row;
            if (csv.Parser.Count != rows.Header.Length)
            {
                bag.Error($"{source}:{line}", $"expected {rows.Header.Length} fields, as in the header '{string.Join(",", rows.Header)}'; got {csv.Parser.Count}");
            }
            else
            {
                ReadRow(csv, $"{source}:{line}", rows, bag);
            }

            // The final interval is at most the smallest step so far, so the span so far over that step is a lower
            // bound of the final length: a gap of years stops here, before the gapped trace is ever allocated.
            if (rows.SamplesAtLeast > maxSamples)
            {
                bag.Error($"{source}:{line}", string.Create(CultureInfo.InvariantCulture, $"the trace spans more than {maxSamples} samples by this row ({rows.Times[^1]} s from the first at an interval of at most {rows.MinStep} s, gaps included), the most a trace may hold (reading stopped there); use a shorter range or a longer interval"));
                return false;
            }

            if (bag.ErrorCount >= MaxRowErrors)
            {
                bag.Error(source, $"reading stopped after {MaxRowErrors} errors");
                return false;
            }
        }

        // Without the rejected rows, the count and the spacing of the samples would only report those rows again.
        return !bag.HasErrors;
    }

    /// <summary>One row: its timestamp in the file's one form and after the previous one, and each value within the demand limit.</summary>
    private static void ReadRow(CsvReader csv, string where, Rows rows, DiagnosticBag bag)
    {
        var stamp = csv.GetField(0) ?? string.Empty;
        var (time, form, error) = TraceTime.Parse(stamp);
        if (error is not null)
        {
            bag.Error(where, error);
            return;
        }

        if (rows.Form is { } first && first != form)
        {
            bag.Error(where, $"timestamps must all be written one way: the first row's is {Describe(first)}, this one is {Describe(form)} ('{stamp}')");
            return;
        }

        rows.Form = form;
        rows.Start ??= time;
        var at = (time - rows.Start.Value).TotalSeconds;
        if (rows.Times.Count > 0 && StepError(at - rows.Times[^1], stamp) is { } stepError)
        {
            bag.Error(where, stepError);
            return;
        }

        rows.Add(at, csv.Parser.Row);
        for (var c = 0; c < rows.Columns.Length; c++)
        {
            var text = csv.GetField(c + 1) ?? string.Empty;
            if (text.Length == 0)
            {
                rows.Columns[c].Add(double.NaN);
            }
            else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && TraceLimits.IsDemand(d))
            {
                rows.Columns[c].Add(d);
            }
            else
            {
                bag.Error(where, $"{rows.Header[c + 1]} must be {TraceLimits.DemandRule}, or empty for a missing sample; got '{text}'");
                rows.Columns[c].Add(double.NaN);
            }
        }

        static string Describe(TraceTime.Form f) => f == TraceTime.Form.Iso ? "ISO 8601" : "seconds since the epoch";
    }

    /// <summary>Why a step from the previous row is refused (backwards, repeated, not whole seconds, too long), or null.</summary>
    private static string? StepError(double step, string stamp) => step switch
    {
        < 0 => string.Create(CultureInfo.InvariantCulture, $"time goes backwards: this sample ('{stamp}') is {-step} s before the previous; rows must be in time order"),
        0 => $"this sample's time ('{stamp}') repeats the previous row's; each time may appear once",
        _ when step != Math.Floor(step) => string.Create(CultureInfo.InvariantCulture, $"samples must be a whole number of seconds apart; this one is {step} s after the previous"),
        > int.MaxValue => string.Create(CultureInfo.InvariantCulture, $"this sample is {step} s after the previous, more than the {int.MaxValue} s a trace's interval may be"),
        _ => null,
    };

    /// <summary>
    /// The trace from the rows: at least two, within the limits, at the smallest step between rows; a longer step, a
    /// whole multiple of it, is a gap read as missing samples, with one note for the file.
    /// </summary>
    private static DemandTrace? Build(Rows rows, string source, int maxSamples, DiagnosticBag bag)
    {
        var times = rows.Times;
        if (times.Count < 2)
        {
            bag.Error(source, $"a trace needs at least 2 samples; got {times.Count}");
            return null;
        }

        var interval = rows.MinStep;
        var gaps = new GapSummary();
        for (var i = 1; i < times.Count; i++)
        {
            var step = times[i] - times[i - 1];
            if (step % interval != 0)
            {
                bag.Error($"{source}:{rows.Lines[i]}", string.Create(CultureInfo.InvariantCulture, $"this sample is {step} s after the previous, not a whole multiple of the trace's interval ({interval} s, its smallest step between rows); a gap must span whole intervals"));
                if (bag.ErrorCount >= MaxRowErrors)
                {
                    bag.Error(source, $"reading stopped after {MaxRowErrors} errors");
                    return null;
                }
            }
            else if (step > interval)
            {
                gaps.Add((long)(step / interval) - 1, rows.Lines[i]);
            }
        }

        // The same bound as while reading, now exact; kept here so the allocation below never depends on the caller.
        var length = (long)(times[^1] / interval) + 1;
        var limit = length > maxSamples
            ? $"the trace spans {length} samples, gaps included; more than the {maxSamples} a trace may hold"
            : TraceLimits.CheckSpan(rows.Start!.Value, (long)interval, length);
        if (limit is not null)
        {
            bag.Error(source, limit);
        }

        if (bag.HasErrors)
        {
            return null;
        }

        if (gaps.Count > 0)
        {
            bag.Note(source, gaps.Describe());
        }

        var extra = ImmutableDictionary.CreateBuilder<string, double[]>(StringComparer.Ordinal);
        for (var c = 1; c < rows.Columns.Length; c++)
        {
            extra[rows.Header[c + 1]] = Spread(rows.Columns[c], times, interval, (int)length);
        }

        return new DemandTrace { IntervalSeconds = (int)interval, Start = rows.Start!.Value, Demand = Spread(rows.Columns[0], times, interval, (int)length), PolicyDemand = extra.ToImmutable() };
    }

    /// <summary>A column placed on the trace's grid: each value at its time, NaN (missing) in the gaps.</summary>
    private static double[] Spread(List<double> values, List<double> times, double interval, int length)
    {
        var grid = new double[length];
        Array.Fill(grid, double.NaN);
        for (var i = 0; i < values.Count; i++)
        {
            grid[(long)(times[i] / interval)] = values[i];
        }

        return grid;
    }

    /// <summary>
    /// Writes a trace (ISO 8601 timestamps in UTC), with a column per policy after <c>demand</c> where it has them.
    /// Every value is written in its shortest round-trip form, so it reads back as the same double.
    /// </summary>
    public static void Write(DemandTrace trace, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(trace);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        var extra = trace.PolicyDemand.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        csv.WriteField("timestamp");
        csv.WriteField("demand");
        foreach (var (name, _) in extra)
        {
            // A column name from input is escaped like every other byte the tool writes.
            csv.WriteField(DiagnosticText.Escape(name));
        }

        csv.NextRecord();
        for (var i = 0; i < trace.Length; i++)
        {
            csv.WriteField(trace.Start.AddSeconds((double)i * trace.IntervalSeconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture));
            csv.WriteField(Value(trace.Demand[i]));
            foreach (var (_, column) in extra)
            {
                csv.WriteField(Value(column[i]));
            }

            csv.NextRecord();
        }

        static string Value(double d) => double.IsNaN(d) ? string.Empty : Num.Format(d);
    }

    /// <summary>The rows read so far.</summary>
    private sealed class Rows(string[] header)
    {
        public string[] Header { get; } = header;

        /// <summary>Each row's time, in seconds after the first row's.</summary>
        public List<double> Times { get; } = [];

        public List<int> Lines { get; } = [];

        public List<double>[] Columns { get; } = [.. Enumerable.Range(0, header.Length - 1).Select(_ => new List<double>())];

        public TraceTime.Form? Form { get; set; }

        public DateTimeOffset? Start { get; set; }

        /// <summary>
        /// The smallest step between rows so far, in whole seconds: the trace's interval once all are read. The smallest
        /// step, not the steps' greatest common divisor: a divisor would invent a resolution no two rows show (steps of
        /// 120 and 180 s would make a 60-s trace with every other sample missing); the smallest step keeps the file's
        /// own and refuses a step out of line with it.
        /// </summary>
        public double MinStep { get; private set; } = double.PositiveInfinity;

        /// <summary>The fewest samples the trace can have from the rows so far, gaps included (the interval only shrinks).</summary>
        public double SamplesAtLeast => Times.Count < 2 ? Times.Count : (Times[^1] / MinStep) + 1;

        /// <summary>Adds a row's time; the caller has checked that it is a whole number of seconds after the previous.</summary>
        public void Add(double at, int line)
        {
            if (Times.Count > 0)
            {
                MinStep = Math.Min(MinStep, at - Times[^1]);
            }

            Times.Add(at);
            Lines.Add(line);
        }
    }

    /// <summary>The gaps of a trace, for its one note: how many, the samples missing in all, the longest and where.</summary>
    private sealed class GapSummary
    {
        private long _missing;
        private long _longest;
        private int _longestLine;

        public int Count { get; private set; }

        public void Add(long missing, int line)
        {
            Count++;
            _missing += missing;
            if (missing > _longest)
            {
                (_longest, _longestLine) = (missing, line);
            }
        }

        public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Count:N0} gap{(Count == 1 ? string.Empty : "s")} in the timestamps, {_missing:N0} missing sample{(_missing == 1 ? string.Empty : "s")} in all (the longest, {_longest:N0}, just before row {_longestLine}); missing samples are read as missing datapoints");
    }
}

/// <summary>
/// The bundled sample traces, generated deterministically (fixed seeds): one day at one-minute resolution,
/// demand in "percent of one task".
/// </summary>
public static class SampleTraces
{
    /// <summary>The names of the samples, in order.</summary>
    public static readonly ImmutableArray<string> Names = ["steady", "spike", "diurnal", "bursty"];

    /// <summary>The sample used when no trace is given.</summary>
    public const string Default = "diurnal";

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Generates a sample by name.</summary>
    public static DemandTrace Generate(string name, int minutes = 1440) => name switch
    {
        // A flat 36 % of one task: shows whether a setup settles or loops under steady load.
        "steady" => Make(minutes, _ => 36),

        // 40, then 160 for 30 minutes from 06:00: a launch or a retry storm.
        "spike" => Make(minutes, m => m is >= 360 and < 390 ? 160 : 40),

        // A day: 40 at night to 140 in the afternoon, a cosine.
        "diurnal" => Make(minutes, m => Math.Round(40 + (100 * (1 - Math.Cos(2 * Math.PI * m / 1440)) / 2), 2)),

        // 50 with bursts of +30 to +150 lasting 2 to 10 minutes, from a fixed seed.
        "bursty" => Bursty(minutes),
        _ => throw new ArgumentException($"unknown sample '{name}'; the samples are {string.Join(", ", Names)}", nameof(name)),
    };

    private static DemandTrace Make(int minutes, Func<int, double> demand) =>
        new() { IntervalSeconds = 60, Start = Start, Demand = [.. Enumerable.Range(0, minutes).Select(demand)] };

    private static DemandTrace Bursty(int minutes)
    {
#pragma warning disable CA5394 // Not security: a fixed seed makes the sample reproducible.
        var random = new Random(20261128);
        var demand = new double[minutes];
        var burstLeft = 0;
        double burst = 0;
        for (var m = 0; m < minutes; m++)
        {
            if (burstLeft == 0 && random.NextDouble() < 0.02)
            {
                burstLeft = random.Next(2, 11);
                burst = random.Next(30, 151);
            }

            demand[m] = Math.Round(50 + (burstLeft > 0 ? burst : 0) + (random.NextDouble() * 6) - 3, 2);
            burstLeft = Math.Max(0, burstLeft - 1);
        }
#pragma warning restore CA5394

        return new DemandTrace { IntervalSeconds = 60, Start = Start, Demand = demand };
    }
}
