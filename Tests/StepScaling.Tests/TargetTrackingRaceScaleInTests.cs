using StepScaling.Simulation;
using StepScaling.Tuning;

namespace StepScaling.Tests;

/// <summary>
/// <c>tune</c>'s target-tracking race under each reading of AWS's unpublished scale-in rule
/// (<see cref="TuningOptions.TargetTrackingScaleIn"/>): the race replays the reading chosen, and the readings give
/// different races where they scale in differently.
/// </summary>
public class TargetTrackingRaceScaleInTests
{
    private static readonly TuningOptions Quick = new() { MaxEvaluations = 50, Folds = 0, Budget = TimeSpan.FromSeconds(20) };

    private static TuningResult TuneProdOnBursty(TuningOptions options)
    {
        using var reader = new StreamReader(Path.Combine(Repo.Root, "samples", "traces", "bursty.csv"));
        var trace = new NamedTrace("bursty.csv", TraceCsv.Read(reader, "bursty.csv").Trace!);
        return Tuner.Tune(Repo.PlanProd().Config!.Scaling!, Repo.PlanProd().AlarmNamePrefix, [trace], options);
    }

    [Test]
    public void Tune_DefaultOptions_RaceScalesInByTheWindowPeak()
    {
        var tt = TuneProdOnBursty(Quick).TargetTracking!;

        Assert.That(Quick.TargetTrackingScaleIn, Is.EqualTo(TargetTrackingScaleIn.WindowPeak));
        Assert.That(tt.Stack.ScaleInModel, Is.EqualTo(TargetTrackingScaleIn.WindowPeak));
        Assert.That(tt.Best.ScaleInModel, Is.EqualTo(TargetTrackingScaleIn.WindowPeak));
    }

    [TestCase(TargetTrackingScaleIn.Proportional)]
    [TestCase(TargetTrackingScaleIn.OneTask)]
    public void Tune_OtherScaleInReading_RaceReplaysItAndDiffersFromTheWindowPeakRace(TargetTrackingScaleIn reading)
    {
        var windowPeak = TuneProdOnBursty(Quick);
        var other = TuneProdOnBursty(Quick with { TargetTrackingScaleIn = reading });

        var tt = other.TargetTracking!;
        Assert.That(tt.Stack.ScaleInModel, Is.EqualTo(reading));
        Assert.That(tt.Best.ScaleInModel, Is.EqualTo(reading));
        Assert.That(tt.Front.Select(p => p.Item.ScaleInModel), Is.All.EqualTo(reading));
        var segment = other.Segments.Single();
        Assert.That(tt.StackFigures, Is.EqualTo(TargetTrackingRace.Figures(tt.Stack, segment, 70)), "the stack's row is a replay under the reading");
        Assert.That(
            TargetTrackingRace.Figures(tt.Stack, segment, 70),
            Is.Not.EqualTo(TargetTrackingRace.Figures(tt.Stack with { ScaleInModel = TargetTrackingScaleIn.WindowPeak }, segment, 70)),
            "the readings scale in differently on this trace");
        Assert.That(tt.StackFigures, Is.Not.EqualTo(windowPeak.TargetTracking!.StackFigures), "so the race differs");
    }
}
