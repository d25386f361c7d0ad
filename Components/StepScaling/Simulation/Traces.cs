using System.Collections.Immutable;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using StepScaling.Validation;

namespace StepScaling.Simulation;

/// <summary>Reads and writes demand traces as CSV: <c>timestamp,demand[,&lt;policy&gt;…]</c>.</summary>
public static class TraceCsv
{
    /// <summary>
    /// Reads a trace. <c>timestamp</c> is ISO 8601 or seconds since the start; samples must be evenly spaced.
    /// <c>demand</c> is a non-negative number, or empty for a missing sample. Extra columns named after a config
    /// policy give that policy its own demand.
    /// </summary>
    /// <returns>The trace, or null with the errors that stopped it.</returns>
    public static (DemandTrace? Trace, ImmutableArray<Diagnostic> Errors) Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var bag = new DiagnosticBag();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim };
        using var csv = new CsvReader(reader, config);
        try
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
            {
                bag.Error(source, "the trace is empty: expected a header 'timestamp,demand'");
                return (null, bag.ToImmutable());
            }

            // Spreadsheets capitalise headers: "Timestamp,Demand" is the same trace.
            if (header.Length < 2 || !header[0].TrimStart('\uFEFF').Equals("timestamp", StringComparison.OrdinalIgnoreCase) || !header[1].Equals("demand", StringComparison.OrdinalIgnoreCase))
            {
                bag.Error($"{source}:1", $"the header must start with 'timestamp,demand'; got '{string.Join(",", header)}'");
                return (null, bag.ToImmutable());
            }

            var times = new List<double>();
            var lines = new List<int>();
            var skipped = false;
            var columns = new List<double>[header.Length - 1];
            for (var c = 0; c < columns.Length; c++)
            {
                columns[c] = [];
            }

            DateTimeOffset? start = null;
            while (csv.Read())
            {
                var line = csv.Parser.Row;
                if (csv.Parser.Count != header.Length)
                {
                    bag.Error($"{source}:{line}", $"expected {header.Length} fields, as in the header '{string.Join(",", header)}'; got {csv.Parser.Count}");
                    skipped = true;
                    continue;
                }

                var stamp = csv.GetField(0) ?? string.Empty;
                double seconds;
                if (double.TryParse(stamp, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs))
                {
                    seconds = secs;
                }
                else if (DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts))
                {
                    start ??= ts;
                    seconds = (ts - start.Value).TotalSeconds;
                }
                else
                {
                    bag.Error($"{source}:{line}", $"timestamp must be ISO 8601 (2026-01-01T00:00:00Z) or seconds; got '{stamp}'");
                    skipped = true;
                    continue;
                }

                times.Add(seconds);
                lines.Add(line);
                for (var c = 0; c < columns.Length; c++)
                {
                    var text = csv.GetField(c + 1) ?? string.Empty;
                    if (text.Length == 0)
                    {
                        columns[c].Add(double.NaN);
                    }
                    else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d >= 0)
                    {
                        columns[c].Add(d);
                    }
                    else
                    {
                        bag.Error($"{source}:{line}", $"{header[c + 1]} must be a finite number of 0 or more, or empty for a missing sample; got '{text}'");
                        columns[c].Add(double.NaN);
                    }
                }
            }

            if (skipped)
            {
                // Without the rejected rows, the count and the spacing of the samples would only report those rows again.
                return (null, bag.ToImmutable());
            }

            if (times.Count < 2)
            {
                bag.Error(source, $"a trace needs at least 2 samples; got {times.Count}");
                return (null, bag.ToImmutable());
            }

            var interval = times[1] - times[0];
            if (interval <= 0 || interval != Math.Floor(interval))
            {
                bag.Error(source, $"samples must be a whole number of seconds apart, in order; the first two are {interval.ToString(CultureInfo.InvariantCulture)} s apart");
            }
            else
            {
                for (var i = 2; i < times.Count; i++)
                {
                    if (times[i] - times[i - 1] != interval)
                    {
                        bag.Error($"{source}:{lines[i]}", $"samples must be evenly spaced ({interval.ToString(CultureInfo.InvariantCulture)} s); this one is {(times[i] - times[i - 1]).ToString(CultureInfo.InvariantCulture)} s after the previous");
                        break;
                    }
                }
            }

            if (bag.HasErrors)
            {
                return (null, bag.ToImmutable());
            }

            var extra = ImmutableDictionary.CreateBuilder<string, double[]>(StringComparer.Ordinal);
            for (var c = 1; c < columns.Length; c++)
            {
                extra[header[c + 1]] = [.. columns[c]];
            }

            return (new DemandTrace { IntervalSeconds = (int)interval, Start = start ?? DateTimeOffset.UnixEpoch.AddSeconds(times[0]), Demand = [.. columns[0]], PolicyDemand = extra.ToImmutable() }, bag.ToImmutable());
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

    /// <summary>Writes a trace (ISO 8601 timestamps), with a column per policy after <c>demand</c> where it has them.</summary>
    public static void Write(DemandTrace trace, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(trace);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        var extra = trace.PolicyDemand.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        csv.WriteField("timestamp");
        csv.WriteField("demand");
        foreach (var (name, _) in extra)
        {
            csv.WriteField(name);
        }

        csv.NextRecord();
        for (var i = 0; i < trace.Length; i++)
        {
            csv.WriteField(trace.Start.AddSeconds((double)i * trace.IntervalSeconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            csv.WriteField(Value(trace.Demand[i]));
            foreach (var (_, column) in extra)
            {
                csv.WriteField(Value(column[i]));
            }

            csv.NextRecord();
        }

        // Four decimals keep utilization × a fractional task count (an average RunningTaskCount) close enough.
        static string Value(double d) => double.IsNaN(d) ? string.Empty : d.ToString("0.####", CultureInfo.InvariantCulture);
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
