using System.Text.Json.Nodes;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Validation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>
/// The blog post's setup, as Pulumi.dev.yaml writes it: memory &gt; 10 raw relative steps [0,10) +1, [10,25) +2,
/// [25,∞) +3; ≤ 10 (−∞,0] −1; cooldown 60, ChangeInCapacity, Average, period 60, one evaluation period.
/// </summary>
public class SeedTests
{
    private static readonly ScalingSpec Seed = new()
    {
        MinCapacity = 1,
        MaxCapacity = 4,
        FlapCheck = FlapCheckMode.Warn,
        Policies =
        [
            SeedPolicy("memory-out", Out0, ScalingSide.ScaleOut, ComparisonOperator.GreaterThanThreshold, [S(0, 10, 1), S(10, 25, 2), S(25, null, 3)]),
            SeedPolicy("memory-in", In0, ScalingSide.ScaleIn, ComparisonOperator.LessThanOrEqualToThreshold, [S(null, 0, -1)]),
        ],
    };

    private static StepPolicy SeedPolicy(string name, string path, ScalingSide side, ComparisonOperator op, StepAdjustment[] steps) => new()
    {
        Name = name,
        SourceName = "memory",
        Path = path,
        Side = side,
        Metric = new EcsServiceMetric("MemoryUtilization"),
        LoadModel = LoadModel.PerTask,
        LoadRatio = 1,
        Alarm = new AlarmSpec
        {
            Statistic = "Average",
            Period = 60,
            EvaluationPeriods = 1,
            DatapointsToAlarm = 1,
            ComparisonOperator = op,
            Threshold = 10,
            TreatMissingData = TreatMissingData.Missing,
        },
        Scaling = new StepScalingConfiguration
        {
            AdjustmentType = AdjustmentType.ChangeInCapacity,
            StepAdjustments = [.. steps],
            Cooldown = 60,
            MetricAggregationType = MetricAggregationType.Average,
        },
    };

    [Test]
    public void Plan_DevStack_NormalizesToExactlyTheSeed()
    {
        var plan = Repo.PlanDev();

        Assert.That(plan.Scaling, Is.EqualTo(Seed));
        Assert.That(plan.IsValid, Is.True);
        Assert.That(plan.AlarmNamePrefix, Is.EqualTo("dev-web"));
    }

    [Test]
    public void Plan_DevStack_OnlyFindingIsTheLoopWarningOnTheScaleInSide()
    {
        var plan = Repo.PlanDev();

        Assert.That(ExceptHttpOnly(plan.Diagnostics).Select(d => (d.Severity, d.Path)), Is.EqualTo(new[] { (Severity.Warning, In0) }));
        Assert.That(ExceptHttpOnly(plan.Diagnostics)[0].Message, Does.StartWith("scaling loop: at 1 task and 11 % MemoryUtilization"));
    }

    [Test]
    public void Json_DevStack_RootFields()
    {
        var root = JsonNode.Parse(PlanRenderer.Json(Repo.PlanDev()))!.AsObject();

        Assert.That(root.Select(kv => kv.Key), Is.EqualTo(new[] { "stack", "valid", "scalingEnabled", "minCapacity", "maxCapacity", "policies", "imageBuild", "flapFindings", "diagnostics" }));
        Assert.That((string?)root["stack"], Is.EqualTo("dev"));
        Assert.That((bool?)root["valid"], Is.True);
        Assert.That((bool?)root["scalingEnabled"], Is.True);
        Assert.That((int?)root["minCapacity"], Is.EqualTo(1));
        Assert.That((int?)root["maxCapacity"], Is.EqualTo(4));
        Assert.That(root["policies"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public void Json_DevStack_ScaleOutPolicyHasExactlyTheAwsFields()
    {
        var policy = PolicyJson(0);

        AssertJson(policy, """
            {
              "name": "memory-out",
              "side": "scaleOut",
              "adjustmentType": "ChangeInCapacity",
              "cooldown": 60,
              "metricAggregationType": "Average",
              "minAdjustmentMagnitude": null,
              "stepAdjustments": [
                { "metricIntervalLowerBound": 0, "metricIntervalUpperBound": 10, "scalingAdjustment": 1 },
                { "metricIntervalLowerBound": 10, "metricIntervalUpperBound": 25, "scalingAdjustment": 2 },
                { "metricIntervalLowerBound": 25, "metricIntervalUpperBound": null, "scalingAdjustment": 3 }
              ],
              "alarm": {
                "alarmName": "dev-web-memory-out",
                "namespace": "AWS/ECS",
                "metricName": "MemoryUtilization",
                "dimensions": { "ClusterName": "<cluster name>", "ServiceName": "<service name>" },
                "statistic": "Average",
                "extendedStatistic": null,
                "period": 60,
                "evaluationPeriods": 1,
                "datapointsToAlarm": 1,
                "comparisonOperator": "GreaterThanThreshold",
                "threshold": 10,
                "treatMissingData": "missing"
              },
              "description": "MemoryUtilization > 10 % (Average over 60 s, 1 of 1 period): 10–20 % → +1 task, 20–35 % → +2, ≥ 35 % → +3"
            }
            """);
    }

    [Test]
    public void Json_DevStack_ScaleInPolicyHasExactlyTheAwsFields()
    {
        var policy = PolicyJson(1);

        AssertJson(policy, """
            {
              "name": "memory-in",
              "side": "scaleIn",
              "adjustmentType": "ChangeInCapacity",
              "cooldown": 60,
              "metricAggregationType": "Average",
              "minAdjustmentMagnitude": null,
              "stepAdjustments": [
                { "metricIntervalLowerBound": null, "metricIntervalUpperBound": 0, "scalingAdjustment": -1 }
              ],
              "alarm": {
                "alarmName": "dev-web-memory-in",
                "namespace": "AWS/ECS",
                "metricName": "MemoryUtilization",
                "dimensions": { "ClusterName": "<cluster name>", "ServiceName": "<service name>" },
                "statistic": "Average",
                "extendedStatistic": null,
                "period": 60,
                "evaluationPeriods": 1,
                "datapointsToAlarm": 1,
                "comparisonOperator": "LessThanOrEqualToThreshold",
                "threshold": 10,
                "treatMissingData": "missing"
              },
              "description": "MemoryUtilization ≤ 10 % (Average over 60 s, 1 of 1 period): ≤ 10 % → -1 task"
            }
            """);
    }

    [Test]
    public void Json_DevStack_FieldNamesAreTheAwsCamelCaseNames()
    {
        var policy = PolicyJson(0);

        Assert.That(policy.Select(kv => kv.Key), Is.EqualTo(new[]
        {
            "name", "side", "adjustmentType", "cooldown", "metricAggregationType", "minAdjustmentMagnitude", "stepAdjustments", "alarm", "description",
        }));
        Assert.That(policy["stepAdjustments"]![0]!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[] { "metricIntervalLowerBound", "metricIntervalUpperBound", "scalingAdjustment" }));
        Assert.That(policy["alarm"]!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[]
        {
            "alarmName", "namespace", "metricName", "dimensions", "statistic", "extendedStatistic", "period", "evaluationPeriods", "datapointsToAlarm", "comparisonOperator", "threshold", "treatMissingData",
        }));
    }

    [Test]
    public void Json_DevStack_FlapFindingCarriesTheCounterExample()
    {
        var finding = JsonNode.Parse(PlanRenderer.Json(Repo.PlanDev()))!["flapFindings"]!.AsArray().Single()!;

        Assert.That((string?)finding["kind"], Is.EqualTo("sameMetricLoop"));
        Assert.That(((string?)finding["firstPolicy"], (string?)finding["secondPolicy"]), Is.EqualTo(("memory-out", "memory-in")));
        Assert.That(((int?)finding["capacity"], (double?)finding["demand"], (int?)finding["capacityAfterFirst"], (int?)finding["capacityAfterSecond"]), Is.EqualTo((1, 11.0, 2, 1)));
        Assert.That((int?)finding["cycleSeconds"], Is.EqualTo(120));
        Assert.That((double?)finding["suggestedScaleInThreshold"], Is.EqualTo(5));
    }

    [Test]
    public void Analyze_Seed_TheBlogLoopEveryTwoMinutes()
    {
        var finding = FlapAnalyzer.Analyze(Seed).Single();

        Assert.That(finding.Message, Is.EqualTo("at 1 task and 11 % MemoryUtilization, memory-out adds 1 → 2 tasks at 5.5 %, which is ≤ 10 % → memory-in removes 1 → back to 1 task at 11 %: loops about every 2 minutes"));
        Assert.That(finding.Suggestion, Does.StartWith("lower memory-in's threshold from 10 % to 5 % or less"));
    }

    private static JsonObject PolicyJson(int index) =>
        JsonNode.Parse(PlanRenderer.Json(Repo.PlanDev()))!["policies"]![index]!.AsObject();

    private static void AssertJson(JsonNode actual, string expected) =>
        Assert.That(JsonNode.DeepEquals(actual, JsonNode.Parse(expected)), Is.True, () => $"Expected:\n{expected}\nActual:\n{actual}");
}
