using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using StepScaling.Simulation;

namespace StepScale.Benchmarks;

/// <summary>
/// Reading and writing trace CSV: a year at one minute (525,600 rows) read and written, and a file with no end read
/// until the sample cap stops it (what a ten-million-row file costs before its error).
/// </summary>
[MemoryDiagnoser]
public class TraceBenchmarks
{
    private string _yearCsv = string.Empty;
    private DemandTrace _year = null!;

    [GlobalSetup]
    public void Setup()
    {
        _year = Workload.Year() with { Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        TraceCsv.Write(_year, writer);
        _yearCsv = writer.ToString();
    }

    [Benchmark]
    public DemandTrace? ReadCsv_OneYearAtOneMinute() => TraceCsv.Read(new StringReader(_yearCsv), "year.csv").Trace;

    [Benchmark]
    public int WriteCsv_OneYearAtOneMinute()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        TraceCsv.Write(_year, writer);
        return writer.GetStringBuilder().Length;
    }

    [Benchmark]
    public int ReadCsv_EndlessFile_StopsAtTheSampleCap() => TraceCsv.Read(new EndlessCsv(), "endless.csv").Errors.Length;

    /// <summary>A one-minute CSV trace that never ends.</summary>
    private sealed class EndlessCsv : TextReader
    {
        private readonly StringBuilder _buffer = new("timestamp,demand\n");
        private long _row;
        private int _at;

        public override int Read(char[] buffer, int index, int count)
        {
            if (_at == _buffer.Length)
            {
                _buffer.Clear();
                _at = 0;
                for (var i = 0; i < 1000; i++, _row++)
                {
                    _buffer.Append(CultureInfo.InvariantCulture, $"{1767225600 + (_row * 60)},{40 + (_row % 97)}\n");
                }
            }

            var n = Math.Min(count, _buffer.Length - _at);
            _buffer.CopyTo(_at, buffer.AsSpan(index, n), n);
            _at += n;
            return n;
        }

        public override int Peek() => -1;
    }
}
