using StepScaling.Analysis;
using StepScaling.Model;

namespace StepScaling.Tests;

public class CapacityTests
{
    private static StepScalingConfiguration Scaling(AdjustmentType type, int? minMagnitude = null) =>
        new() { AdjustmentType = type, StepAdjustments = [], Cooldown = 60, MetricAggregationType = MetricAggregationType.Average, MinAdjustmentMagnitude = minMagnitude };

    [TestCase(3, 2, 5)]
    [TestCase(3, -5, -2)]
    public void Apply_ChangeInCapacity_AddsUnclamped(int current, int adjustment, int expected)
    {
        Assert.That(Capacity.Apply(current, Scaling(AdjustmentType.ChangeInCapacity), adjustment), Is.EqualTo(expected));
    }

    [TestCase(3, 7)]
    [TestCase(9, 0)]
    public void Apply_ExactCapacity_IsTheAdjustment(int current, int adjustment)
    {
        Assert.That(Capacity.Apply(current, Scaling(AdjustmentType.ExactCapacity), adjustment), Is.EqualTo(adjustment));
    }

    [TestCase(10, 25, 12, Description = "+2.5 rounds down to +2")]
    [TestCase(4, 50, 6, Description = "+2 exactly")]
    [TestCase(3, 50, 4, Description = "+1.5 rounds down to +1")]
    [TestCase(3, 10, 4, Description = "+0.3 becomes +1")]
    [TestCase(1, 100, 2, Description = "+1 exactly")]
    [TestCase(10, -25, 8, Description = "-2.5 rounds up to -2")]
    [TestCase(3, -50, 2, Description = "-1.5 rounds up to -1")]
    [TestCase(3, -10, 2, Description = "-0.3 becomes -1")]
    [TestCase(0, 50, 0, Description = "no change from zero")]
    public void Apply_PercentChangeInCapacity_RoundsAsAwsDocuments(int current, int percent, int expected)
    {
        Assert.That(Capacity.Apply(current, Scaling(AdjustmentType.PercentChangeInCapacity), percent), Is.EqualTo(expected));
    }

    [TestCase(3, 10, 2, 5, Description = "+1 raised to +2")]
    [TestCase(3, -10, 2, 1, Description = "-1 raised to -2")]
    [TestCase(10, 50, 2, 15, Description = "+5 already above the minimum")]
    [TestCase(0, 50, 2, 0, Description = "no change stays no change")]
    public void Apply_MinAdjustmentMagnitude_RaisesSmallPercentChanges(int current, int percent, int minimum, int expected)
    {
        Assert.That(Capacity.Apply(current, Scaling(AdjustmentType.PercentChangeInCapacity, minimum), percent), Is.EqualTo(expected));
    }

    [TestCase(0, 1, 4, 1)]
    [TestCase(9, 1, 4, 4)]
    [TestCase(3, 1, 4, 3)]
    public void Clamp_Capacity_WithinMinAndMax(int capacity, int min, int max, int expected)
    {
        Assert.That(Capacity.Clamp(capacity, min, max), Is.EqualTo(expected));
    }

    [Test]
    public void MetricValue_PerTask_DemandTimesRatioOverTasks()
    {
        Assert.That(Capacity.MetricValue(240, LoadModel.PerTask, 0.5, 4), Is.EqualTo(30));
        Assert.That(Capacity.MetricValue(240, LoadModel.PerTask, 1, 0), Is.NaN);
    }

    [Test]
    public void MetricValue_Independent_IgnoresTasks()
    {
        Assert.That(Capacity.MetricValue(240, LoadModel.Independent, 0.5, 4), Is.EqualTo(120));
        Assert.That(Capacity.MetricValue(240, LoadModel.Independent, 1, 0), Is.EqualTo(240));
    }

    [Test]
    public void MetricValue_EcsUtilizationAboveWhatTheTasksReserved_ReadsAtMost100()
    {
        var cpu = Build.Spec(1, 10, Build.Policy(Build.Out(Build.B(70, null, 1)), null)).Policies[0];

        Assert.That(Capacity.MetricValue(300, cpu, 2), Is.EqualTo(100));
        Assert.That(Capacity.MetricValue(150, cpu, 2), Is.EqualTo(75));
        Assert.That(Capacity.MetricValue(150, cpu, 0), Is.NaN);
    }

    [Test]
    public void Saturates_OnlyEcsCpuAndMemoryUtilization()
    {
        Assert.That(Capacity.Saturates(new EcsServiceMetric("CPUUtilization")), Is.True);
        Assert.That(Capacity.Saturates(new EcsServiceMetric("MemoryUtilization")), Is.True);
        Assert.That(Capacity.Saturates(new CloudWatchMetric("AWS/ECS", "CPUUtilization", System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty, null)), Is.True);
        Assert.That(Capacity.Saturates(new CloudWatchMetric("AWS/SQS", "CPUUtilization", System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty, null)), Is.False);
        Assert.That(Capacity.Saturates(new AlbRequestCountPerTargetMetric(null)), Is.False);
    }

    [TestCase(300, 1, 2, 1.0)]
    [TestCase(300, 1.5, 2, 2.5)]
    [TestCase(150, 1, 2, 0.0)]
    [TestCase(150, 1, 0, 1.5)]
    public void UnservedTasks_DemandBeyondWhatTheTasksCarry(double demand, double ratio, int tasks, double expected)
    {
        Assert.That(Capacity.UnservedTasks(demand, ratio, tasks), Is.EqualTo(expected));
    }
}
