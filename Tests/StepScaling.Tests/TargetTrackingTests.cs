using StepScaling.Simulation;

namespace StepScaling.Tests;

/// <summary>The target-tracking approximation against hand-computed one-minute timelines (target 50, low alarm at 45).</summary>
public class TargetTrackingTests
{
    private static readonly TargetTrackingPolicy Policy = new() { TargetValue = 50, MinCapacity = 1, MaxCapacity = 10 };

    private static readonly SimulationOptions NoDelay = new() { StartupDelaySeconds = 0 };

    private static DemandTrace Minutes(params double[] demand) => new() { IntervalSeconds = 60, Demand = demand };

    private static double[] Repeat(double value, int count) => [.. Enumerable.Repeat(value, count)];

    [Test]
    public void Run_ThreeMinutesAboveTarget_ScalesOutProportionallyOnTheThird()
    {
        // 1 task at 40 % for 5 minutes, then 160 % of one task: minutes 5, 6, 7 breach; ceil(160 / 50) = 4 tasks.
        var result = TargetTrackingSimulator.Run(Policy, Minutes([.. Repeat(40, 5), .. Repeat(160, 10)]), NoDelay);

        Assert.That(result.Capacity[6], Is.EqualTo(1));
        Assert.That(result.Capacity[7], Is.EqualTo(4));
        Assert.That(result.Events, Has.Length.EqualTo(1));
        Assert.That(result.Events[0].Seconds, Is.EqualTo(420));
        Assert.That((result.Events[0].From, result.Events[0].To), Is.EqualTo((1, 4)));
    }

    [Test]
    public void Run_TwoHighMinutesThenAMissingOne_WaitsForThreeInARow()
    {
        // High at 5 and 6, no datapoint at 7, high from 8: the third consecutive high minute is 10.
        var result = TargetTrackingSimulator.Run(Policy, Minutes([.. Repeat(40, 5), 160, 160, double.NaN, .. Repeat(160, 6)]), NoDelay);

        Assert.That(result.Events, Has.Length.EqualTo(1));
        Assert.That(result.Events[0].Seconds, Is.EqualTo(600));
        Assert.That(result.Events[0].To, Is.EqualTo(4));
    }

    [Test]
    public void Run_FifteenMinutesBelowNinetyPercent_ScalesInOnTheFifteenthToTheProportionalCapacity()
    {
        // 4 tasks at 20 % each (80 in all): below 45 from minute 0; on minute 14, ceil(80 / 50) = 2 tasks.
        var result = TargetTrackingSimulator.Run(Policy, Minutes(Repeat(80, 30)), NoDelay with { InitialCapacity = 4 });

        Assert.That(result.Capacity[13], Is.EqualTo(4));
        Assert.That(result.Capacity[14], Is.EqualTo(2));
        Assert.That(result.Events, Has.Length.EqualTo(1), "at 2 tasks (40 %) the proportional capacity is 2: nothing more to remove");
        Assert.That(result.Events[0].Seconds, Is.EqualTo(840));
    }

    [Test]
    public void Run_ProportionalSecondScaleIn_WaitsForTheScaleInCooldown()
    {
        // 8 tasks at 20 %: on minute 14, 8 → 4. Demand falls to 40 at minute 15 (proportional: 1), but the next scale-in waits 300 s: minute 19.
        var result = TargetTrackingSimulator.Run(Policy with { ScaleInModel = TargetTrackingScaleIn.Proportional }, Minutes([.. Repeat(160, 15), .. Repeat(40, 15)]), NoDelay with { InitialCapacity = 8 });

        Assert.That(result.Events.Select(e => (e.Seconds, e.From, e.To)), Is.EqualTo(new[] { (840, 8, 4), (1140, 4, 1) }));
    }

    [Test]
    public void Run_WindowPeakSecondScaleIn_WaitsUntilTheHigherLoadHasLeftTheLowWindow()
    {
        // As above, but the default reading: on minute 19 the window (minutes 5–19) still holds 160, whose tasks at the
        // target are the 4 running. On minute 29 the window holds only 40: ceil(40 / 50) = 1.
        var result = TargetTrackingSimulator.Run(Policy, Minutes([.. Repeat(160, 15), .. Repeat(40, 30)]), NoDelay with { InitialCapacity = 8 });

        Assert.That(result.Events.Select(e => (e.Seconds, e.From, e.To)), Is.EqualTo(new[] { (840, 8, 4), (1740, 4, 1) }));
    }

    [Test]
    public void Run_OneTaskScaleIn_RemovesOneTaskEachScaleInCooldown()
    {
        var result = TargetTrackingSimulator.Run(Policy with { ScaleInModel = TargetTrackingScaleIn.OneTask }, Minutes([.. Repeat(160, 15), .. Repeat(40, 30)]), NoDelay with { InitialCapacity = 8 });

        Assert.That(
            result.Events.Select(e => (e.Seconds, e.From, e.To)),
            Is.EqualTo(new[] { (840, 8, 7), (1140, 7, 6), (1440, 6, 5), (1740, 5, 4), (2040, 4, 3), (2340, 3, 2), (2640, 2, 1) }));
    }

    [TestCase(TargetTrackingScaleIn.Proportional, 2, 1)]
    [TestCase(TargetTrackingScaleIn.WindowPeak, 0, 0)]
    [TestCase(TargetTrackingScaleIn.OneTask, 2, 1)]
    public void Run_ABurstInsideTheLowWindow_OnlyWindowPeakKeepsTheTasksItWillNeed(TargetTrackingScaleIn model, int actions, int flaps)
    {
        // 4 tasks; 110 a minute (27.5 %) with one 170 (42.5 %) on minute 3: all below 45, so the low alarm fires on minute 14.
        // Proportional and OneTask go to 3 (ceil(110 / 50)); then 160 (53 % of 3 tasks) for 3 minutes scales back out to 4.
        // WindowPeak reads the 170 in the window: ceil(170 / 50) = 4, no scale-in, and 160 on 4 tasks is 40 %.
        var result = TargetTrackingSimulator.Run(Policy with { ScaleInModel = model }, Minutes([110, 110, 110, 170, .. Repeat(110, 11), .. Repeat(160, 3)]), NoDelay with { InitialCapacity = 4 });

        Assert.That((result.Summary.ScaleActions, result.Summary.Flaps), Is.EqualTo((actions, flaps)));
    }

    [Test]
    public void ScaleInModel_Default_WindowPeak()
    {
        Assert.That(new TargetTrackingPolicy { TargetValue = 50, MinCapacity = 1, MaxCapacity = 2 }.ScaleInModel, Is.EqualTo(TargetTrackingScaleIn.WindowPeak));
    }

    [Test]
    public void Run_BetweenTheLowAlarmAndTheTarget_TakesNoAction()
    {
        // 47 % of one task: not above 50, not below 45.
        var result = TargetTrackingSimulator.Run(Policy, Minutes(Repeat(47, 60)), NoDelay);

        Assert.That(result.Events, Is.Empty);
        Assert.That(result.Summary.MinutesAboveTarget, Is.Zero);
    }

    [Test]
    public void Run_NewTasksStillStarting_DoNotTriggerASecondScaleOut()
    {
        // With the 60 s start-up delay the one running task still reads 160 % on minute 8, but it carries the same load: no second action.
        var result = TargetTrackingSimulator.Run(Policy, Minutes([.. Repeat(40, 5), .. Repeat(160, 10)]));

        Assert.That(result.Events.Select(e => (e.Seconds, e.To)), Is.EqualTo(new[] { (420, 4) }));
        Assert.That(result.Running[7], Is.EqualTo(1));
        Assert.That(result.Running[8], Is.EqualTo(4));
    }

    [Test]
    public void For_ProdSpec_TracksTheCpuPolicyWithItsCapacityLimits()
    {
        var policy = TargetTrackingPolicy.For(Repo.ProdSpec(), 60);

        Assert.That(policy, Is.Not.Null);
        Assert.That((policy!.TargetValue, policy.MinCapacity, policy.MaxCapacity, policy.DemandColumn), Is.EqualTo((60.0, 2, 12, "cpu")));
    }
}
