using System.Globalization;
using CsCheck;
using StepScaling.Simulation;
using StepScaling.Validation;

namespace StepScaling.Tests;

public class TraceCsvTests
{
    private static (DemandTrace? Trace, IReadOnlyList<string> Errors) Read(string csv)
    {
        var (trace, errors) = TraceCsv.Read(new StringReader(csv), "t.csv");
        return (trace, [.. errors.Where(e => e.Severity == Severity.Error).Select(e => $"{e.Path}: {e.Message}")]);
    }

    [Test]
    public void Read_IsoTimestamps_IntervalStartAndDemand()
    {
        var (trace, errors) = Read("timestamp,demand\n2026-01-01T00:00:00Z,10\n2026-01-01T00:01:00Z,12.5\n2026-01-01T00:02:00Z,\n");

        Assert.That(errors, Is.Empty);
        Assert.That(trace!.IntervalSeconds, Is.EqualTo(60));
        Assert.That(trace.Start, Is.EqualTo(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(trace.Demand, Is.EqualTo(new[] { 10, 12.5, double.NaN }), "an empty demand is a missing sample");
    }

    [Test]
    public void Read_SecondsTimestampsAndAPolicyColumn_PolicyDemandByName()
    {
        var (trace, errors) = Read("timestamp,demand,memory\n0,10,50\n30,20,60\n60,30,70\n");

        Assert.That(errors, Is.Empty);
        Assert.That(trace!.IntervalSeconds, Is.EqualTo(30));
        Assert.That(trace.PolicyDemand["memory"], Is.EqualTo(new double[] { 50, 60, 70 }));
    }

    [Test]
    public void Read_SpreadsheetExport_BomCrlfCapitalisedHeaderSpacesAndBlankLines()
    {
        var (trace, errors) = Read("\uFEFFTimestamp, Demand\r\n2026-01-01 00:00:00Z , 10\r\n2026-01-01 00:01:00Z, 20\r\n\r\n");

        Assert.That(errors, Is.Empty);
        Assert.That((trace!.IntervalSeconds, trace.Demand), Is.EqualTo((60, new double[] { 10, 20 })));
    }

    [Test]
    public void Read_UnixEpochSeconds_StartIsTheFirstTimestamp()
    {
        var (trace, _) = Read("timestamp,demand\n1764300000,1\n1764300060,2\n");

        Assert.That(trace!.Start, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_764_300_000)));
    }

    [Test]
    public void WriteThenRead_SampleTraces_RoundTrip()
    {
        foreach (var name in SampleTraces.Names)
        {
            var sample = SampleTraces.Generate(name, 120);
            using var writer = new StringWriter();
            TraceCsv.Write(sample, writer);

            var (trace, errors) = Read(writer.ToString());

            Assert.That(errors, Is.Empty, name);
            Assert.That(trace!.Demand, Is.EqualTo(sample.Demand).Within(0.005), name);
            Assert.That((trace.IntervalSeconds, trace.Start), Is.EqualTo((60, sample.Start)), name);
        }
    }

    [Test]
    public void Generate_SameName_SameTrace()
    {
        var first = SampleTraces.Generate("bursty").Demand;
        var second = SampleTraces.Generate("bursty").Demand;

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first, Is.Not.EqualTo(SampleTraces.Generate("steady").Demand));
    }

    [Test]
    public void Generate_UnknownName_NamesTheSamples()
    {
        Assert.That(() => SampleTraces.Generate("flat"), Throws.ArgumentException.With.Message.Contains("steady, spike, diurnal, bursty"));
    }

    [TestCase("", "t.csv: the trace is empty")]
    [TestCase("time,load\n0,1\n60,2\n", "t.csv:1: the header must start with 'timestamp,demand'; got 'time,load'")]
    [TestCase("timestamp,demand\n0,1\n", "t.csv: a trace needs at least 2 samples; got 1")]
    [TestCase("timestamp,demand\nmonday,1\n60,2\n120,3\n", "t.csv:2: timestamp must be ISO 8601")]
    [TestCase("timestamp,demand\n0,lots\n60,2\n", "t.csv:2: demand must be a number from 0 to 1000000000000000, or empty for a missing sample; got 'lots'")]
    [TestCase("timestamp,demand\n0,-5\n60,2\n", "got '-5'")]
    [TestCase("timestamp,demand\n0,1e400\n60,2\n", "got '1e400'")]
    [TestCase("timestamp,demand\n0,NaN\n60,2\n", "got 'NaN'")]
    [TestCase("timestamp,demand\n60,1\n0,2\n", "t.csv:3: time goes backwards: this sample ('0') is 60 s before the previous; rows must be in time order")]
    [TestCase("timestamp,demand\n0,1\n60,1\n60,2\n", "t.csv:4: this sample's time ('60') repeats the previous row's; each time may appear once")]
    [TestCase("timestamp,demand\n0,1\n0.5,2\n", "t.csv:3: samples must be a whole number of seconds apart; this one is 0.5 s after the previous")]
    [TestCase("timestamp,demand\n0,1\n60,2\n150,3\n", "t.csv:4: this sample is 90 s after the previous, not a whole multiple of the trace's interval (60 s, its smallest step between rows); a gap must span whole intervals")]
    [TestCase("timestamp,demand\n0,1\n90,2\n150,3\n", "t.csv:3: this sample is 90 s after the previous, not a whole multiple of the trace's interval (60 s")]
    [TestCase("timestamp,demand\n0,1\n60,2,3\n", "t.csv:3: expected 2 fields, as in the header 'timestamp,demand'; got 3")]
    public void Read_BadTrace_ClearErrorNoTrace(string csv, string expected)
    {
        var (trace, errors) = Read(csv);

        Assert.That(trace, Is.Null);
        Assert.That(errors, Has.Some.Contains(expected));
    }

    [Test]
    public void Read_GapOfWholeIntervals_MissingSamplesAndOneNote()
    {
        var (trace, errors) = TraceCsv.Read(new StringReader("timestamp,demand,memory\n0,10,1\n60,11,2\n300,12,3\n360,13,\n"), "gaps.csv");

        Assert.That(errors.Where(e => e.Severity == Severity.Error), Is.Empty);
        Assert.That((trace!.IntervalSeconds, trace.Length), Is.EqualTo((60, 7)));
        Assert.That(trace.Demand, Is.EqualTo(new[] { 10, 11, double.NaN, double.NaN, double.NaN, 12, 13 }));
        Assert.That(trace.PolicyDemand["memory"], Is.EqualTo(new[] { 1, 2, double.NaN, double.NaN, double.NaN, 3, double.NaN }));
        Assert.That(errors.Single().ToString(), Is.EqualTo("note: gaps.csv: 1 gap in the timestamps, 3 missing samples in all (the longest, 3, just before row 4); missing samples are read as missing datapoints"));
    }

    [Test]
    public void Read_GapAtTheStart_IntervalIsTheSmallestStep()
    {
        var (trace, errors) = Read("timestamp,demand\n2026-01-01T00:00:00Z,1\n2026-01-01T04:01:00Z,2\n2026-01-01T04:02:00Z,3\n");

        Assert.That(errors, Is.Empty);
        Assert.That((trace!.IntervalSeconds, trace.Length), Is.EqualTo((60, 243)));
        Assert.That(trace.Demand[0], Is.EqualTo(1));
        Assert.That(trace.Demand[1..241], Is.All.NaN);
        Assert.That(trace.Demand[241..], Is.EqualTo(new double[] { 2, 3 }));
    }

    [Test]
    public void Read_OnlyLongerSteps_IntervalIsThatStepNoGaps()
    {
        var (trace, errors) = TraceCsv.Read(new StringReader("timestamp,demand\n0,1\n120,2\n240,3\n"), "t.csv");

        Assert.That((trace!.IntervalSeconds, trace.Length, errors.Length), Is.EqualTo((120, 3, 0)), "no gap, no note");
    }

    [Test]
    public void Read_ManyGaps_EveryOneMissingAndOneNoteForThemAll()
    {
        // Seven nights of 4 hours missing from a week at one minute, as a monitoring export leaves them.
        var rows = Enumerable.Range(0, 7 * 1440).Where(m => m % 1440 >= 240).ToList();
        var csv = "timestamp,demand\n" + string.Concat(rows.Select(m => FormattableString.Invariant($"{1_767_225_600 + (m * 60)},{m % 97}\n")));

        var (trace, errors) = TraceCsv.Read(new StringReader(csv), "gaps.csv");

        Assert.That(trace!.Length, Is.EqualTo((7 * 1440) - 240), "the trace starts at the first row");
        Assert.That(trace.Demand.Count(double.IsNaN), Is.EqualTo(6 * 240));
        Assert.That(Enumerable.Range(0, trace.Length).Where(i => !double.IsNaN(trace.Demand[i])).Select(i => i + 240), Is.EqualTo(rows));
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { "note: gaps.csv: 6 gaps in the timestamps, 1,440 missing samples in all (the longest, 240, just before row 1202); missing samples are read as missing datapoints" }));
    }

    [Test]
    public void Read_GapPastTheSampleCap_ErrorAtThatRowBeforeAllocating()
    {
        using var endless = new EndlessCsv(firstGapSeconds: 60L * 1_000_000);

        var (trace, errors) = TraceCsv.Read(endless, "t.csv", maxSamples: 1000);

        Assert.That(trace, Is.Null);
        Assert.That(errors.Single().ToString(), Is.EqualTo("error: t.csv:4: the trace spans more than 1000 samples by this row (60000120 s from the first at an interval of at most 60 s, gaps included), the most a trace may hold (reading stopped there); use a shorter range or a longer interval"));
        Assert.That(endless.Rows, Is.LessThan(100), "the reader stops at the gap, not at the end of the file");
    }

    [Test]
    public void Read_GapPastTheFullSampleCap_ErrorNotATrace()
    {
        var (trace, errors) = Read("timestamp,demand\n0,1\n10,1\n31536010,1\n");

        Assert.That(trace, Is.Null);
        Assert.That(errors.Single(), Does.StartWith("t.csv:4: the trace spans more than 3153600 samples by this row"));
    }

    [Test]
    public void Read_SmallerStepLaterInTheFile_EarlierStepsCheckedAgainstIt()
    {
        // 120 is a whole multiple of the final 40-s interval; 100 is not, and is named though it came before the 40.
        var (trace, errors) = Read("timestamp,demand\n0,1\n120,1\n220,1\n260,1\n");

        Assert.That(trace, Is.Null);
        Assert.That(errors.Single(), Is.EqualTo("t.csv:4: this sample is 100 s after the previous, not a whole multiple of the trace's interval (40 s, its smallest step between rows); a gap must span whole intervals"));
    }

    [Test]
    public void Read_RowsOfEmptyCellsRemoved_SameTraceAsWithTheEmptyCells()
    {
        // A row is missing (both cells empty) or present (each cell a value or empty); the first two are present, so
        // the smallest step is the interval either way, and the last is present, so the span is the same.
        var value = Gen.OneOf(Gen.Double[0, 1000], Gen.Const(double.NaN));
        var present = Gen.Select(value, value, (d, m) => (Missing: false, Demand: d, Memory: m));
        var row = Gen.Frequency((3, present), (1, Gen.Const((Missing: true, Demand: double.NaN, Memory: double.NaN))));
        Gen.Select(present.Array[2], row.Array[0, 40], present, Gen.Int[1, 3600], Gen.Bool).Sample((head, middle, last, interval, iso) =>
        {
            var all = head.Concat(middle).Append(last).ToArray();
            var withCells = Csv(all.Select((r, i) => (i, r)), interval, iso);
            var without = Csv(all.Select((r, i) => (i, r)).Where(x => !x.r.Missing), interval, iso);
            var (a, _) = TraceCsv.Read(new StringReader(withCells), "t.csv");
            var (b, _) = TraceCsv.Read(new StringReader(without), "t.csv");
            return a is not null && b is not null && (a.IntervalSeconds, a.Start) == (b.IntervalSeconds, b.Start)
                && Bits(a.Demand).SequenceEqual(Bits(b.Demand)) && Bits(a.PolicyDemand["memory"]).SequenceEqual(Bits(b.PolicyDemand["memory"]));
        });

        static string Csv(IEnumerable<(int I, (bool Missing, double Demand, double Memory) R)> rows, int interval, bool iso) =>
            "timestamp,demand,memory\n" + string.Concat(rows.Select(x => $"{Stamp(1_767_225_600L + ((long)x.I * interval), iso)},{Cell(x.R.Demand)},{Cell(x.R.Memory)}\n"));

        static string Stamp(long seconds, bool iso) => iso
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
            : seconds.ToString(CultureInfo.InvariantCulture);

        static string Cell(double d) => double.IsNaN(d) ? string.Empty : d.ToString("R", CultureInfo.InvariantCulture);

        static IEnumerable<long> Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits);
    }

    [Test]
    public void Read_SeveralBadRows_EveryRowReported()
    {
        var (_, errors) = Read("timestamp,demand\n0,x\n60,y\n120,3\n");

        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That(errors, Has.Some.StartsWith("t.csv:2:").And.Some.StartsWith("t.csv:3:"));
    }

    [TestCase("1/2/2026 00:00")]
    [TestCase("Jan 1 2026")]
    [TestCase("00:01")]
    [TestCase("2026-01-01T00:00:00")]
    [TestCase("2026-01-01")]
    [TestCase("Infinity")]
    [TestCase("1.5e9")]
    public void Read_CultureOrOffsetlessTimestamp_RejectedSayingWhatIsAccepted(string stamp)
    {
        var (trace, errors) = Read($"timestamp,demand\n{stamp},1\n{stamp},2\n");

        Assert.That(trace, Is.Null);
        Assert.That(errors, Has.Some.EqualTo($"t.csv:2: timestamp must be {TraceTime.Accepted}; got '{stamp}'"));
    }

    [Test]
    public void Read_IsoAndSecondsMixed_ErrorNamingBothForms()
    {
        var (trace, errors) = Read("timestamp,demand\n2026-01-01T00:00:00Z,1\n1767225660,2\n");

        Assert.That(trace, Is.Null);
        Assert.That(errors.Single(), Is.EqualTo("t.csv:3: timestamps must all be written one way: the first row's is ISO 8601, this one is seconds since the epoch ('1767225660')"));
    }

    [Test]
    public void Read_OffsetTimestamps_ReadAsTheSameInstants()
    {
        var (trace, errors) = Read("timestamp,demand\n2026-01-01T01:00:00+01:00,1\n2026-01-01T00:01:00Z,2\n");

        Assert.That(errors, Is.Empty);
        Assert.That((trace!.Start, trace.IntervalSeconds), Is.EqualTo((new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), 60)));
    }

    [Test]
    public void Read_EpochMilliseconds_ErrorSuggestingSeconds()
    {
        var (trace, errors) = Read("timestamp,demand\n1767225600000,1\n1767225660000,2\n");

        Assert.That(trace, Is.Null);
        Assert.That(errors[0], Does.StartWith("t.csv:2: timestamp 1767225600000 s is outside 0 to 253402300799 seconds").And.EndWith("it looks like milliseconds since the epoch: give seconds (divide by 1000)"));
    }

    [Test]
    public void Read_TraceReachingYear10000_ErrorNamingTheLatestTime()
    {
        var (trace, errors) = Read("timestamp,demand\n9999-12-31T23:58:00Z,1\n9999-12-31T23:59:00Z,2\n");

        Assert.That(trace, Is.Null);
        Assert.That(errors.Single(), Does.StartWith("t.csv: the trace runs past 9999-12-31T23:59:59Z"));
    }

    [TestCase("timestamp,demand,cpu,cpu", "cpu")]
    [TestCase("timestamp,demand,Demand", "demand")]
    [TestCase("timestamp,demand,web,WEB", "web")]
    public void Read_DuplicateColumnName_ErrorNotLastWins(string header, string name)
    {
        var (trace, errors) = Read($"{header}\n0,1,2{(header.Count(c => c == ',') == 3 ? ",3" : string.Empty)}\n60,1,2{(header.Count(c => c == ',') == 3 ? ",3" : string.Empty)}\n");

        Assert.That(trace, Is.Null);
        Assert.That(errors.Single(), Does.StartWith($"t.csv:1: column '{name}' appears 2 times in the header"));
    }

    [Test]
    public void Read_EndlessFile_StopsAtTheSampleCapWithAnError()
    {
        using var endless = new EndlessCsv();

        var (trace, errors) = TraceCsv.Read(endless, "t.csv", maxSamples: 1000);

        Assert.That(trace, Is.Null);
        Assert.That(errors.Single().Message, Is.EqualTo("holds more than 1000 samples, the most a trace may hold (reading stopped there); use a shorter range or a longer interval"));
        Assert.That(endless.Rows, Is.LessThan(2000), "the reader stops near the cap, not at the end of the file");
    }

    [Test]
    public void Read_DemandBeyondTheLimit_Error()
    {
        var (trace, errors) = Read("timestamp,demand\n0,1.7e308\n60,2\n");

        Assert.That(trace, Is.Null);
        Assert.That(errors.Single(), Is.EqualTo("t.csv:2: demand must be a number from 0 to 1000000000000000, or empty for a missing sample; got '1.7e308'"));
    }

    [Test]
    public void WriteThenRead_RandomDoubles_BitIdentical()
    {
        Gen.Double[0, TraceLimits.MaxDemand].Array[2, 20].Sample(values =>
        {
            var trace = new DemandTrace { IntervalSeconds = 60, Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Demand = values };
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            TraceCsv.Write(trace, writer);
            var (again, _) = Read(writer.ToString());
            return again!.Demand.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(values.Select(BitConverter.DoubleToInt64Bits));
        });
    }

    [Test]
    public void Read_FieldLongerThanTheLimit_ErrorNotAllHeld()
    {
        var (trace, errors) = Read("timestamp,demand\n0," + new string('9', TraceLimits.MaxFieldChars + 1) + "\n60,1\n");

        Assert.That(trace, Is.Null);
        Assert.That(errors.Single(), Is.EqualTo("t.csv:2: a field is longer than 65536 characters, the most a trace field may hold; is this a trace?"));
    }

    [Test]
    public void Read_AnyText_ATraceOrErrorsNeverAnException()
    {
        // Rows built from the pieces traces are made of, hostile ones among them, in any order.
        var piece = Gen.OneOfConst("timestamp", "demand", "0", "60", "1767225600", "1767225600000", "2026-01-01T00:00:00Z", "9999-12-31T23:59:00Z", "1/2/2026", "-1", "1e400", "NaN", "Infinity", "\"", "\"a,\"", "\u2028", "\u001b", string.Empty, "1.5", "253402300799");
        var row = piece.Array[0, 4].Select(p => string.Join(",", p));
        Gen.OneOf(row.Array[0, 6].Select(r => "timestamp,demand\n" + string.Join("\n", r)), row.Array[0, 6].Select(r => string.Join("\n", r))).Sample(text =>
        {
            var (trace, errors) = TraceCsv.Read(new StringReader(text), "t.csv");
            return (trace is null) == errors.Any(e => e.Severity == Severity.Error);
        }, iter: 2000);
    }

    /// <summary>A CSV trace that never ends, counting the rows read.</summary>
    /// <param name="firstGapSeconds">Seconds missing before the third row (none by default).</param>
    private sealed class EndlessCsv(long firstGapSeconds = 0) : TextReader
    {
        private string _pending = "timestamp,demand\n";

        public int Rows { get; private set; }

        public override int Peek() => Fill()[0];

        public override int Read()
        {
            var c = Fill()[0];
            _pending = _pending[1..];
            return c;
        }

        public override int Read(char[] buffer, int index, int count)
        {
            var text = Fill();
            var n = Math.Min(count, text.Length);
            text.CopyTo(0, buffer, index, n);
            _pending = text[n..];
            return n;
        }

        private string Fill()
        {
            if (_pending.Length == 0)
            {
                _pending = string.Create(CultureInfo.InvariantCulture, $"{(Rows * 60L) + (Rows >= 2 ? firstGapSeconds : 0)},1\n");
                Rows++;
            }

            return _pending;
        }
    }
}
