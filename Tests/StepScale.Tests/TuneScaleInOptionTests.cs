using StepScaling.Testing;

namespace StepScale.Tests;

/// <summary><c>stepscale tune --tt-scale-in</c>: the reading of target tracking's scale-in the race replays.</summary>
public class TuneScaleInOptionTests : CliTest
{
    private static readonly string Bursty = Path.Combine(RepositoryFiles.Root, "samples", "traces", "bursty.csv");

    /// <summary>The whole-trace table's row for target tracking at the stack's target.</summary>
    private static string TargetTrackingRow(CliResult result)
    {
        var whole = result.StdoutLines.ToList().IndexOf("bursty.csv");
        return result.StdoutLines.Skip(whole + 1).Take(5).Single(l => l[..18].Trim() == "target tracking");
    }

    private static CliResult Tune(params string[] extra) =>
        Run(["tune", Repo.ProdStack, "--trace", Bursty, "--budget", "3", "--folds", "0", "--seed", "3", .. extra]);

    [Test]
    public void Tune_TtScaleInProportional_ChangesTheTargetTrackingRowOnATraceWhereTheReadingsDiffer()
    {
        var windowPeak = Tune();
        var explicitWindowPeak = Tune("--tt-scale-in", "window-peak");
        var proportional = Tune("--tt-scale-in", "proportional");

        Assert.That(proportional.Exit, Is.EqualTo(windowPeak.Exit), proportional.ToString());
        AssertNoStackTrace(proportional);
        Assert.That(TargetTrackingRow(explicitWindowPeak), Is.EqualTo(TargetTrackingRow(windowPeak)), "window-peak is the default");
        Assert.That(TargetTrackingRow(proportional), Is.Not.EqualTo(TargetTrackingRow(windowPeak)));
    }

    [Test]
    public void Tune_TtScaleInUnknownReading_UsageErrorListingTheReadings()
    {
        var result = Tune("--tt-scale-in", "gradual");

        Assert.That(result.Exit, Is.Not.EqualTo(0));
        AssertNoStackTrace(result);
        Assert.That(result.Stderr, Does.Contain("'gradual'").And.Contain("'window-peak'").And.Contain("'proportional'").And.Contain("'one-task'"));
    }
}
