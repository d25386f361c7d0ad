using System.Collections.Immutable;
using StepScaling.Model;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

public class StepsTests
{
    private static readonly ImmutableArray<StepAdjustment> SeedOut = [S(0, 10, 1), S(10, 25, 2), S(25, null, 3)];

    [Test]
    public void ToRelative_ScaleOutBandsInAnyOrder_ThresholdIsLowestFromAndBoundsAreRelative()
    {
        var relative = Steps.ToRelative([B(20, 35, 2), B(35, null, 3), B(10, 20, 1)], ScalingSide.ScaleOut);

        Assert.That(relative.ComparisonOperator, Is.EqualTo(ComparisonOperator.GreaterThanOrEqualToThreshold));
        Assert.That(relative.Threshold, Is.EqualTo(10));
        Assert.That(relative.StepAdjustments, Is.EqualTo(new[] { S(0, 10, 1), S(10, 25, 2), S(25, null, 3) }));
    }

    [Test]
    public void ToRelative_ScaleInBands_ThresholdIsHighestToAndAlarmIsBelow()
    {
        var relative = Steps.ToRelative([B(10, 30, -1), B(null, 10, -2)], ScalingSide.ScaleIn);

        Assert.That(relative.ComparisonOperator, Is.EqualTo(ComparisonOperator.LessThanThreshold));
        Assert.That(relative.Threshold, Is.EqualTo(30));
        Assert.That(relative.StepAdjustments, Is.EqualTo(new[] { S(null, -20, -2), S(-20, 0, -1) }));
    }

    [Test]
    public void ToRelative_DecimalEdges_ReadingAtTheEdgeFindsTheUpperBand()
    {
        // In double, 0.3 − 0.1 is 0.19999999999999998: a bound of 0.2 would put the reading 0.3 in the lower band.
        var relative = Steps.ToRelative([B(0.1, 0.3, 1), B(0.3, null, 2)], ScalingSide.ScaleOut);

        Assert.That(relative.StepAdjustments[0].UpperBound, Is.LessThanOrEqualTo(0.3 - 0.1));
        Assert.That(Steps.Find(relative.StepAdjustments, relative.ComparisonOperator, relative.Threshold, 0.3)?.ScalingAdjustment, Is.EqualTo(2));
        Assert.That(Steps.Find(relative.StepAdjustments, relative.ComparisonOperator, relative.Threshold, Math.BitDecrement(0.3))?.ScalingAdjustment, Is.EqualTo(1));
    }

    [Test]
    public void ToRelative_NoBands_Throws()
    {
        Assert.That(() => Steps.ToRelative([], ScalingSide.ScaleOut), Throws.ArgumentException);
    }

    [Test]
    public void ToRelative_ScaleOutWithoutLowestFrom_Throws()
    {
        Assert.That(() => Steps.ToRelative([B(null, 10, 1)], ScalingSide.ScaleOut), Throws.ArgumentException.With.Message.Contains("'from'"));
    }

    [Test]
    public void ToRelative_ScaleInWithoutHighestTo_Throws()
    {
        Assert.That(() => Steps.ToRelative([B(10, null, -1)], ScalingSide.ScaleIn), Throws.ArgumentException.With.Message.Contains("'to'"));
    }

    [Test]
    public void ToAbsolute_SeedScaleOut_GivesTheBlogBands()
    {
        var bands = Steps.ToAbsolute(new RelativeSteps(ComparisonOperator.GreaterThanThreshold, 10, [S(25, null, 3), S(0, 10, 1), S(10, 25, 2)]));

        Assert.That(bands, Is.EqualTo(new[] { B(10, 20, 1), B(20, 35, 2), B(35, null, 3) }));
    }

    [Test]
    public void ToAbsolute_SeedScaleIn_OpenBelowTheThreshold()
    {
        var bands = Steps.ToAbsolute(new RelativeSteps(ComparisonOperator.LessThanOrEqualToThreshold, 10, [S(null, 0, -1)]));

        Assert.That(bands, Is.EqualTo(new[] { B(null, 10, -1) }));
    }

    [Test]
    public void Sorted_OpenLowerStepFirst_ThenByLowerBound()
    {
        var sorted = Steps.Sorted([S(5, null, 3), S(null, -5, 1), S(-5, 5, 2)]);

        Assert.That(sorted.Select(s => s.ScalingAdjustment), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [TestCase(10.0, 1, Description = "at the threshold: the first step's lower bound is inclusive")]
    [TestCase(19.99, 1)]
    [TestCase(20.0, 2, Description = "lower bound inclusive above the threshold")]
    [TestCase(34.99, 2)]
    [TestCase(35.0, 3)]
    [TestCase(1000.0, 3)]
    public void Find_AboveThreshold_LowerInclusiveUpperExclusive(double value, int expected)
    {
        var step = Steps.Find(SeedOut, ComparisonOperator.GreaterThanThreshold, 10, value);

        Assert.That(step?.ScalingAdjustment, Is.EqualTo(expected));
    }

    [TestCase(30.0, -1, Description = "at the threshold: the upper bound 0 is inclusive below it")]
    [TestCase(20.5, -1)]
    [TestCase(20.0, -2, Description = "upper bound inclusive below the threshold")]
    [TestCase(0.0, -2)]
    public void Find_BelowThreshold_LowerExclusiveUpperInclusive(double value, int expected)
    {
        ImmutableArray<StepAdjustment> steps = [S(null, -10, -2), S(-10, 0, -1)];

        var step = Steps.Find(steps, ComparisonOperator.LessThanThreshold, 30, value);

        Assert.That(step?.ScalingAdjustment, Is.EqualTo(expected));
    }

    [Test]
    public void Find_ValueInAGapBetweenSteps_ReturnsNull()
    {
        ImmutableArray<StepAdjustment> steps = [S(0, 10, 1), S(20, null, 2)];

        Assert.That(Steps.Find(steps, ComparisonOperator.GreaterThanOrEqualToThreshold, 50, 65), Is.Null);
    }

    [Test]
    public void Reachable_SeedScaleOut_ClipsTheFirstStepToTheExclusiveThreshold()
    {
        var reachable = Steps.Reachable(ComparisonOperator.GreaterThanThreshold, 10, SeedOut);

        Assert.That(reachable, Is.EqualTo(new[]
        {
            new AbsoluteStep(10, false, 20, false, 1),
            new AbsoluteStep(20, true, 35, false, 2),
            new AbsoluteStep(35, true, null, false, 3),
        }));
    }

    [Test]
    public void Reachable_SeedScaleIn_IncludesTheThreshold()
    {
        var reachable = Steps.Reachable(ComparisonOperator.LessThanOrEqualToThreshold, 10, [S(null, 0, -1)]);

        Assert.That(reachable, Is.EqualTo(new[] { new AbsoluteStep(null, false, 10, true, -1) }));
    }

    [Test]
    public void Reachable_StepsOnTheQuietSideOfTheAlarm_AreLeftOut()
    {
        var reachable = Steps.Reachable(
            ComparisonOperator.GreaterThanOrEqualToThreshold,
            50,
            [S(null, -10, 1), S(-10, 0, 1), S(0, null, 2)]);

        Assert.That(reachable, Is.EqualTo(new[] { new AbsoluteStep(50, true, null, false, 2) }));
    }

    [Test]
    public void Reachable_ScaleInStepsAboveTheThreshold_AreLeftOut()
    {
        var reachable = Steps.Reachable(ComparisonOperator.LessThanThreshold, 30, [S(null, 0, -1), S(0, 10, -1), S(10, null, -1)]);

        Assert.That(reachable, Is.EqualTo(new[] { new AbsoluteStep(null, false, 30, false, -1) }));
    }

    [TestCase(10.0, true, 20.0, false, 10.0, true)]
    [TestCase(10.0, false, 20.0, false, 10.0, false)]
    [TestCase(10.0, false, 20.0, true, 20.0, true)]
    [TestCase(10.0, true, 20.0, false, 20.0, false)]
    public void AbsoluteStepContains_Edges_FollowInclusivity(double low, bool lowInclusive, double high, bool highInclusive, double value, bool expected)
    {
        var step = new AbsoluteStep(low, lowInclusive, high, highInclusive, 1);

        Assert.That(step.Contains(value), Is.EqualTo(expected));
    }

    [Test]
    public void AbsoluteStepContains_OpenEnds_ContainEverythingOnThatSide()
    {
        Assert.That(new AbsoluteStep(null, false, 10, true, -1).Contains(-1e12), Is.True);
        Assert.That(new AbsoluteStep(35, true, null, false, 3).Contains(1e12), Is.True);
    }

    [Test]
    public void AbsoluteStepDescribe_EachShape_ReadsAsWords()
    {
        Assert.That(new AbsoluteStep(10, false, 20, false, 1).Describe(" %"), Is.EqualTo("10–20 %"));
        Assert.That(new AbsoluteStep(35, true, null, false, 3).Describe(" %"), Is.EqualTo("≥ 35 %"));
        Assert.That(new AbsoluteStep(35, false, null, false, 3).Describe(string.Empty), Is.EqualTo("> 35"));
        Assert.That(new AbsoluteStep(null, false, 10, true, -1).Describe(" %"), Is.EqualTo("≤ 10 %"));
        Assert.That(new AbsoluteStep(null, false, 30, false, -1).Describe(string.Empty), Is.EqualTo("< 30"));
        Assert.That(new AbsoluteStep(null, false, null, false, 1).Describe(string.Empty), Is.EqualTo("any value"));
    }
}

public class NumTests
{
    [TestCase(10.0, "10")]
    [TestCase(12.5, "12.5")]
    [TestCase(-0.25, "-0.25")]
    [TestCase(1e15, "1000000000000000")]
    public void Format_Number_InvariantShortestForm(double value, string expected)
    {
        Assert.That(Num.Format(value), Is.EqualTo(expected));
    }

    [Test]
    public void Format_UnderACommaDecimalCulture_StillUsesAPoint()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.That(Num.Format(12.5), Is.EqualTo("12.5"));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [TestCase(2, "+2")]
    [TestCase(-1, "-1")]
    [TestCase(0, "0")]
    public void Signed_Adjustment_HasAnExplicitSign(int value, string expected)
    {
        Assert.That(Num.Signed(value), Is.EqualTo(expected));
    }

    [Test]
    public void Interval_Bounds_HalfOpenWithInfinities()
    {
        Assert.That(Num.Interval(20, 35), Is.EqualTo("[20, 35)"));
        Assert.That(Num.Interval(30, null), Is.EqualTo("[30, +inf)"));
        Assert.That(Num.Interval(null, 0, false, true), Is.EqualTo("(-inf, 0]"));
        Assert.That(Num.Interval(-10, 0, false, true), Is.EqualTo("(-10, 0]"));
    }

    [TestCase(0.0, true)]
    [TestCase(1e15, true)]
    [TestCase(-1e15, true)]
    [TestCase(2e15, false)]
    [TestCase(double.NaN, false)]
    [TestCase(double.PositiveInfinity, false)]
    [TestCase(double.NegativeInfinity, false)]
    public void IsUsable_Value_FiniteAndWithinRange(double value, bool expected)
    {
        Assert.That(Num.IsUsable(value), Is.EqualTo(expected));
    }
}
