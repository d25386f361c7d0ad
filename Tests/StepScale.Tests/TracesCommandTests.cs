namespace StepScale.Tests;

/// <summary><c>stepscale traces</c>: the bundled samples as CSV files that the simulator reads back unchanged.</summary>
public class TracesCommandTests : CliTest
{
    private static readonly string[] Samples = ["steady", "spike", "diurnal", "bursty"];

    [Test]
    public void Traces_Out_WritesFourCsvFilesOfADayAtOneMinute()
    {
        var dir = Path.Combine(Dir, "nested", "traces");

        var result = Run("traces", "--out", dir);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(Samples.Select(s => $"wrote {Path.Combine(dir, s + ".csv")}")));
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EquivalentTo(Samples.Select(s => s + ".csv")));
        foreach (var sample in Samples)
        {
            var lines = File.ReadAllLines(Path.Combine(dir, sample + ".csv"));
            Assert.That(lines, Has.Length.EqualTo(1441), sample);
            Assert.That(lines[0], Is.EqualTo("timestamp,demand"));
            Assert.That(lines[1], Does.StartWith("2026-01-01T00:00:00Z,"));
            Assert.That(lines[^1], Does.StartWith("2026-01-01T23:59:00Z,"));
        }
    }

    [TestCase("steady")]
    [TestCase("spike")]
    [TestCase("diurnal")]
    [TestCase("bursty")]
    public void Traces_WrittenSample_SimulatesExactlyAsTheBundledOne(string sample)
    {
        Assert.That(Run("traces", "-o", Dir).Exit, Is.EqualTo(0));
        var path = Path.Combine(Dir, sample + ".csv");

        var fromFile = Run("simulate", Repo.ProdStack, "--trace", path, "--format", "json");
        var bundled = Run("simulate", Repo.ProdStack, "--sample", sample, "--format", "json");

        Assert.That(fromFile.Exit, Is.EqualTo(0), fromFile.ToString());
        Assert.That(fromFile.Errors, Is.Empty);
        var file = fromFile.Json();
        var original = bundled.Json();
        Assert.That(file.GetProperty("samples").GetInt32(), Is.EqualTo(1440));
        Assert.That(file.GetProperty("intervalSeconds").GetInt32(), Is.EqualTo(60));
        Assert.That(file.GetProperty("summary").GetRawText(), Is.EqualTo(original.GetProperty("summary").GetRawText()));
        Assert.That(file.GetProperty("events").GetRawText(), Is.EqualTo(original.GetProperty("events").GetRawText()));
    }

    [Test]
    public void Traces_TwoRuns_IdenticalFiles()
    {
        var first = Path.Combine(Dir, "a");
        var second = Path.Combine(Dir, "b");

        Run("traces", "--out", first);
        Run("traces", "--out", second);

        foreach (var sample in Samples)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(second, sample + ".csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(first, sample + ".csv"))), sample);
        }
    }

    [Test]
    public void Traces_OutIsAFile_ExitsTwoSayingItCannotWrite()
    {
        var file = Write("taken", "not a folder");

        var result = Run("traces", "--out", file);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors.Single(), Does.StartWith($"error: {file}: cannot write: "));
    }

    [Test]
    public void Traces_UnexpectedArgument_ExitsTwo()
    {
        var result = Run("traces", Dir);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { $"error: Unrecognized command or argument '{Dir}'." }));
        Assert.That(Directory.GetFiles(Dir), Is.Empty);
    }
}
