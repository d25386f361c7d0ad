using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Text;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

public class PolicyTextTests
{
    [Test]
    public void Describe_SeedScaleOut_TheBlogWording()
    {
        Assert.That(
            PolicyText.Describe(Repo.DevSpec().Policies[0]),
            Is.EqualTo("MemoryUtilization > 10 % (Average over 60 s, 1 of 1 period): 10–20 % → +1 task, 20–35 % → +2, ≥ 35 % → +3"));
    }

    [Test]
    public void Describe_SeedScaleIn_OneOpenStep()
    {
        Assert.That(
            PolicyText.Describe(Repo.DevSpec().Policies[1]),
            Is.EqualTo("MemoryUtilization ≤ 10 % (Average over 60 s, 1 of 1 period): ≤ 10 % → -1 task"));
    }

    [Test]
    public void Summary_Seed_CapacityThenOneLinePerPolicy()
    {
        Assert.That(PolicyText.Summary(Repo.DevSpec()), Is.EqualTo(
            "Scales between 1 and 4 tasks.\n"
            + "Scale out: MemoryUtilization > 10 % (Average over 60 s, 1 of 1 period): 10–20 % → +1 task, 20–35 % → +2, ≥ 35 % → +3; cooldown 60 s.\n"
            + "Scale in: MemoryUtilization ≤ 10 % (Average over 60 s, 1 of 1 period): ≤ 10 % → -1 task; cooldown 60 s."));
    }

    [Test]
    public void Summary_NoSpec_ScalingIsOff()
    {
        Assert.That(PolicyText.Summary(null), Is.EqualTo("Scaling is off: the service runs its desired count."));
    }

    [Test]
    public void Describe_ProdScaleIn_ThreeOfThreePeriods()
    {
        Assert.That(
            PolicyText.Describe(Repo.ProdSpec().Policies[1]),
            Is.EqualTo("CPUUtilization < 30 % (Average over 60 s, 3 of 3 periods): < 30 % → -1 task"));
    }

    [Test]
    public void Describe_ScaleInWithTwoBands_ReadsDownwardsFromTheThreshold()
    {
        var spec = Spec(1, 4, Policy(null, In(B(null, 10, -2), B(10, 30, -1))));

        Assert.That(
            PolicyText.Describe(spec.Policies[0]),
            Is.EqualTo("CPUUtilization < 30 % (Average over 60 s, 1 of 1 period): 10–30 % → -1 task, ≤ 10 % → -2"));
    }

    [Test]
    public void Describe_PercentWithMinimumMagnitudeAndPercentile_NamesThem()
    {
        var spec = Spec(1, 10, Policy(
            Out(B(70, 90, 20), B(90, null, 50)) with { AdjustmentType = AdjustmentType.PercentChangeInCapacity, MinAdjustmentMagnitude = 2, EvaluationPeriods = 3, DatapointsToAlarm = 2 },
            null) with { ExtendedStatistic = "p99" });

        Assert.That(
            PolicyText.Describe(spec.Policies[0]),
            Is.EqualTo("CPUUtilization ≥ 70 % (p99 over 60 s, 2 of 3 periods): 70–90 % → +20 % of capacity (at least 2 tasks), ≥ 90 % → +50 %"));
    }

    [Test]
    public void Describe_ExactCapacityOnAMetricWithoutUnit_EqualsSign()
    {
        var queue = new CloudWatchMetric("AWS/SQS", "Backlog", ImmutableSortedDictionary<string, string>.Empty, null);
        var spec = Spec(1, 10, Policy(Out(B(100, 1000, 1), B(1000, null, 8)) with { AdjustmentType = AdjustmentType.ExactCapacity }, null, metric: queue));

        Assert.That(
            PolicyText.Describe(spec.Policies[0]),
            Is.EqualTo("Backlog ≥ 100 (Average over 60 s, 1 of 1 period): 100–1000 → = 1 task, ≥ 1000 → = 8"));
    }

    [TestCase(AdjustmentType.ChangeInCapacity, 2, true, "+2 tasks")]
    [TestCase(AdjustmentType.ChangeInCapacity, -1, true, "-1 task")]
    [TestCase(AdjustmentType.ChangeInCapacity, 3, false, "+3")]
    [TestCase(AdjustmentType.PercentChangeInCapacity, -25, true, "-25 % of capacity")]
    [TestCase(AdjustmentType.PercentChangeInCapacity, 10, false, "+10 %")]
    [TestCase(AdjustmentType.ExactCapacity, 3, true, "= 3 tasks")]
    [TestCase(AdjustmentType.ExactCapacity, 0, false, "= 0")]
    public void Adjustment_EachType_InWords(AdjustmentType type, int value, bool withUnit, string expected)
    {
        var scaling = new StepScalingConfiguration { AdjustmentType = type, StepAdjustments = [], Cooldown = 60, MetricAggregationType = MetricAggregationType.Average };

        Assert.That(PolicyText.Adjustment(scaling, value, withUnit), Is.EqualTo(expected));
    }

    [Test]
    public void Adjustment_PercentWithMinimumOfOne_SingularTask()
    {
        var scaling = new StepScalingConfiguration { AdjustmentType = AdjustmentType.PercentChangeInCapacity, StepAdjustments = [], Cooldown = 60, MetricAggregationType = MetricAggregationType.Average, MinAdjustmentMagnitude = 1 };

        Assert.That(PolicyText.Adjustment(scaling, 10, true), Is.EqualTo("+10 % of capacity (at least 1 task)"));
    }
}
