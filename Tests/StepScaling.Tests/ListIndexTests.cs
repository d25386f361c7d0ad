using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>A list item that cannot be read never renumbers the items after it: every message points at the real item.</summary>
public class ListIndexTests
{
    [Test]
    public void Plan_NullPolicyBeforeABadOne_LaterPolicyKeepsItsIndex()
    {
        var plan = Plan("""
            scaling:
              policies:
                -
                - name: cpu
                  metric: CPUUtilization
                  period: 45
                  scaleOut:
                    bands:
                      - { from: 70, change: 1 }
            """);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0]", "must be a mapping (key: value pairs); got nothing (null)"),
            ("scaling.policies[1].period", "must be 10, 20, 30 or a multiple of 60 seconds; got 45"),
        }));
    }

    [Test]
    public void Plan_TextPolicyBeforeDuplicateNames_DuplicatePointsAtRealItems()
    {
        var plan = Plan("""
            scaling:
              policies:
                - cpu
                - name: cpu
                  metric: CPUUtilization
                  scaleOut: { bands: [ { from: 70, change: 1 } ] }
                - name: cpu
                  metric: MemoryUtilization
                  scaleOut: { bands: [ { from: 70, change: 1 } ] }
            """);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0]", "must be a mapping (key: value pairs); got text 'cpu'"),
            ("scaling.policies[2].name", "must be unique; 'cpu' is also the name of scaling.policies[1]"),
        }));
    }

    [Test]
    public void Plan_BandWithoutChangeBeforeABadBand_LaterBandKeepsItsIndex()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut:
                    bands:
                      - { from: 70, to: 85 }
                      - { from: 95, to: 90, change: 3 }
            """);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0].scaleOut.bands[0].change", "is required: the capacity change for this band, e.g. 2 or -1"),
            ("scaling.policies[0].scaleOut.bands[1]", "'from' must be below 'to'; got from 95, to 90"),
        }));
    }

    [Test]
    public void Plan_NullStepBeforeOthers_ErrorAtTheNullStepOnly()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut:
                    alarm: { comparisonOperator: GreaterThanThreshold, threshold: 70 }
                    stepAdjustments:
                      - { metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 }
                      - null
                      - { metricIntervalLowerBound: 10, scalingAdjustment: 2 }
            """);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0].scaleOut.stepAdjustments[1]", "must be a mapping (key: value pairs); got nothing (null)"),
        }));
    }

    [Test]
    public void Plan_TextQueryBeforeABadQuery_LaterQueryKeepsItsIndex()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: backlog
                  metric:
                    kind: math
                    queries:
                      - m1
                      - { id: Bad, metric: { namespace: AWS/SQS, name: Depth, stat: Sum, period: 60 } }
                      - { id: e1, expression: "Bad * 2", returnData: true }
                  scaleOut: { bands: [ { from: 100, change: 1 } ] }
            """);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0].metric.queries[0]", "must be a mapping (key: value pairs); got text 'm1'"),
            ("scaling.policies[0].metric.queries[1].id", "must start with a lower-case letter and hold only letters, digits and '_'; got 'Bad'"),
        }));
    }
}
