using System.Text.Json.Nodes;
using StepScaling.Model;
using StepScaling.Planning;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

public class PlanRendererTests
{
    private const string OneCpuPolicy = """
        scaling:
          policies:
            - name: cpu
              metric: CPUUtilization
              scaleOut: { bands: [{ from: 70, change: 1 }] }
        """;

    [Test]
    public void Text_DevStack_PoliciesStepsAndTheLoopWarning()
    {
        var text = PlanRenderer.Text(Repo.PlanDev());

        Assert.That(text, Does.StartWith("Stack dev: scalable target ecs:service:DesiredCount, 1–4 tasks, 2 policies."));
        Assert.That(text, Does.Contain("memory-out (scale-out)"));
        Assert.That(text, Does.Contain("  alarm dev-web-memory-out: GreaterThanThreshold 10, treat missing data: missing"));
        Assert.That(text, Does.Contain("  policy: ChangeInCapacity, cooldown 60 s, aggregation Average"));
        Assert.That(text, Does.Contain("    step [0, 10)            +1"));
        Assert.That(text, Does.Contain("    step [25, +inf)         +3"));
        Assert.That(text, Does.Contain("    step (-inf, 0]          -1"));
        Assert.That(text, Does.Contain("Flap check: 1 scaling loop under steady load."));
        Assert.That(text, Does.Contain("warning: scaling.policies[0].scaleIn: scaling loop: at 1 task"));
    }

    [Test]
    public void Text_ProdStack_NoLoop()
    {
        var text = PlanRenderer.Text(Repo.PlanProd());

        Assert.That(text, Does.Contain("2–12 tasks, 4 policies."));
        Assert.That(text, Does.Contain("Flap check: no scaling loop under steady load."));
        Assert.That(text, Does.Not.Contain("warning: scaling"));
    }

    [Test]
    public void Markdown_DevStack_HasATableRowPerPolicy()
    {
        var lines = PlanRenderer.Markdown(Repo.PlanDev()).Split(Environment.NewLine);

        Assert.That(lines[0], Is.EqualTo("### Step scaling plan: `dev`"));
        Assert.That(lines, Does.Contain("| Policy | Side | Alarm | Steps (absolute) | Relative step adjustments | Cooldown |"));
        Assert.That(lines, Does.Contain("|---|---|---|---|---|---|"));
        Assert.That(lines, Does.Contain("| `memory-out` | scale-out | `dev-web-memory-out`<br>MemoryUtilization > 10 %<br>Average, 60 s, 1 of 1 | 10–20 % → +1 task<br>20–35 % → +2 tasks<br>≥ 35 % → +3 tasks | `[0, 10)` +1<br>`[10, 25)` +2<br>`[25, +inf)` +3 | 60 s |"));
        Assert.That(lines, Does.Contain("| `memory-in` | scale-in | `dev-web-memory-in`<br>MemoryUtilization ≤ 10 %<br>Average, 60 s, 1 of 1 | ≤ 10 % → -1 task | `(-inf, 0]` -1 | 60 s |"));
        Assert.That(lines, Does.Contain("**Flap check:** 1 scaling loop under steady load. ⚠️"));
        Assert.That(lines.Count(l => l.StartsWith("- **warning** `scaling.policies[0].scaleIn`: scaling loop:", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void Markdown_ProdStack_NoLoopCheckMark()
    {
        Assert.That(PlanRenderer.Markdown(Repo.PlanProd()), Does.Contain("**Flap check:** no scaling loop under steady load. ✅"));
    }

    [Test]
    public void Renderers_ConfigErrors_SayNothingCanBePlanned()
    {
        var plan = Plan("service:\n  cpu: 300");

        Assert.That(plan.Config, Is.Null);
        Assert.That(plan.IsValid, Is.False);
        Assert.That(PlanRenderer.Text(plan), Does.StartWith("Stack test: the config has errors; nothing can be planned."));
        Assert.That(PlanRenderer.Text(plan), Does.Contain("error: service.cpu: must be a Fargate CPU value"));
        Assert.That(PlanRenderer.Markdown(plan), Does.Contain("The configuration has errors; nothing can be planned."));
        Assert.That(PlanRenderer.Markdown(plan), Does.Contain("- **error** `service.cpu`: must be a Fargate CPU value"));
        var json = JsonNode.Parse(PlanRenderer.Json(plan))!;
        Assert.That((bool?)json["valid"], Is.False);
        Assert.That(json["minCapacity"], Is.Null);
        Assert.That(json["policies"]!.AsArray(), Is.Empty);
        Assert.That((string?)json["diagnostics"]![0]!["severity"], Is.EqualTo("error"));
    }

    [Test]
    public void Json_TextIsNotEscaped_ReadableByPeople()
    {
        var json = PlanRenderer.Json(Repo.PlanDev());

        Assert.That(json, Does.Contain("\"ClusterName\": \"<cluster name>\"").And.Contain("→ +1 task").And.Contain("memory-in's threshold"));
        Assert.That(json, Does.Not.Contain("\\u"));
    }

    [Test]
    public void Plan_ServiceAndScalingErrors_EveryErrorInOneRun()
    {
        // A bad service section must not hide the scaling rules' errors: the user fixes everything in one pass.
        var plan = Plan("""
            service:
              cpu: 300
            scaling:
              policies:
                - name: cpu
                  metric: CPUUtilization
                  period: 45
                  scaleOut:
                    bands: [{ from: 70, to: 80, change: 1 }, { from: 75, change: 2 }]
            """);

        Assert.That(Errors(plan.Diagnostics).Select(e => e.Path), Is.EqualTo(new[] { "service.cpu", "scaling.policies[0].period", "scaling.policies[0].scaleOut.bands[1]" }));
        Assert.That(plan.IsValid, Is.False);
        Assert.That(plan.Scaling, Is.Null);
    }

    [Test]
    public void Plan_TypoBadMetricAndOverlap_AllInOneRunEachOnce()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut:
                    cooldwn: 60
                    bands: [{ from: 70, to: 85, change: 1 }, { from: 80, change: 3 }]
                - name: mem
                  metric: MemoryUtilisation
                  period: 45
                  scaleOut:
                    bands: [{ from: 70, change: 1 }]
            """);

        Assert.That(Errors(plan.Diagnostics).Select(e => e.Path), Is.EqualTo(new[]
        {
            "scaling.policies[0].scaleOut.cooldwn",
            "scaling.policies[1].metric",
            "scaling.policies[0].scaleOut.bands[1]",
            "scaling.policies[1].period",
        }));
    }

    [Test]
    public void Json_MetricMathAlarm_PeriodOnEachQueryNotOnTheAlarm()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: backlog
                  metric:
                    kind: math
                    queries:
                      - { id: m1, metric: { namespace: AWS/SQS, name: ApproximateNumberOfMessagesVisible, dimensions: { QueueName: jobs }, stat: Sum, period: 120 } }
                      - { id: e1, expression: "m1 / 10", returnData: true }
                  scaleOut:
                    bands: [{ from: 100, change: 1 }]
            """);

        var alarm = JsonNode.Parse(PlanRenderer.Json(plan))!["policies"]![0]!["alarm"]!;

        Assert.That(plan.IsValid, Is.True, string.Join("; ", plan.Diagnostics));
        Assert.That(alarm["period"], Is.Null);
        Assert.That((int?)alarm["metrics"]![0]!["metricStat"]!["period"], Is.EqualTo(120));
    }

    [Test]
    public void Text_ExactAndPercentSteps_ShownAsAwsAppliesThem()
    {
        var plan = Plan("""
            scaling:
              maxCapacity: 10
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut: { adjustmentType: ExactCapacity, bands: [{ from: 70, to: 85, change: 4 }, { from: 85, change: 8 }] }
                  scaleIn: { adjustmentType: PercentChangeInCapacity, bands: [{ to: 30, change: -50 }] }
            """);

        var text = PlanRenderer.Text(plan);

        Assert.That(text, Does.Contain("step [0, 15)            = 4").And.Contain("step [15, +inf)         = 8").And.Contain("step (-inf, 0]          -50 %"));
        Assert.That(text, Does.Contain("Flap check: 1 scaling loop and 1 reversal under steady load."));
    }

    [Test]
    public void Markdown_PipeInAMetricName_EscapedSoTheTableHoldsItsColumns()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: queue
                  metric: { kind: cloudwatch, namespace: Custom/App, name: "jobs|waiting" }
                  scaleOut:
                    bands: [{ from: 100, change: 1 }]
            """);

        var row = PlanRenderer.Markdown(plan).Split('\n').Single(l => l.StartsWith("| `queue-out`", StringComparison.Ordinal));

        Assert.That(row, Does.Contain("jobs\\|waiting"));
        Assert.That(row.Replace("\\|", string.Empty, StringComparison.Ordinal).Count(c => c == '|'), Is.EqualTo(7), "six cells");
    }

    [Test]
    public void Plan_ScalingSectionItselfBroken_ItsOwnErrorsOnly()
    {
        var plan = Plan("service:\n  cpu: 300\nscaling:\n  minCapacity: lots");

        Assert.That(Errors(plan.Diagnostics).Select(e => e.Path), Is.EqualTo(new[] { "service.cpu", "scaling.minCapacity" }));
    }

    [Test]
    public void Renderers_ScalingErrors_SayTheScalingHasErrors()
    {
        var plan = Plan("scaling:\n  policies:\n    - { name: cpu, metric: CPUUtilization, scaleOut: { bands: [{ from: 70, to: 80, change: 1 }] } }");

        Assert.That(plan.Config, Is.Not.Null);
        Assert.That(plan.Scaling, Is.Null);
        Assert.That(PlanRenderer.Text(plan), Does.StartWith("Stack test: the scaling has errors; nothing can be planned."));
        Assert.That(PlanRenderer.Text(plan), Does.Contain("error: scaling.policies[0].scaleOut.bands[0].to: the highest scale-out band must be open"));
        Assert.That((bool?)JsonNode.Parse(PlanRenderer.Json(plan))!["scalingEnabled"], Is.False);
    }

    [Test]
    public void Renderers_ScalingOff_SaySo()
    {
        var plan = Plan("service:\n  name: web");

        Assert.That(plan.IsValid, Is.True);
        Assert.That(PlanRenderer.Text(plan), Does.StartWith("Stack test: scaling is off."));
        Assert.That(PlanRenderer.Text(plan), Does.Not.Contain("Flap check"));
        Assert.That(PlanRenderer.Markdown(plan), Does.Contain("Scaling is off: the service runs its desired count."));
    }

    [Test]
    public void Renderers_FlapCheckOff_NoFlapLine()
    {
        var plan = StackPlanner.Plan(DevStackWith("flapCheck: off"));

        Assert.That(plan.FlapFindings, Is.Empty);
        Assert.That(ExceptHttpOnly(plan.Diagnostics), Is.Empty);
        Assert.That(PlanRenderer.Text(plan), Does.Not.Contain("Flap check"));
    }

    [Test]
    public void Plan_FlapCheckError_LoopIsAnErrorAndThePlanInvalid()
    {
        var plan = StackPlanner.Plan(DevStackWith("flapCheck: error"));

        Assert.That(plan.IsValid, Is.False);
        Assert.That(ExceptHttpOnly(plan.Diagnostics).Single().Severity, Is.EqualTo(Validation.Severity.Error));
        Assert.That(ExceptHttpOnly(plan.Diagnostics).Single().Message, Does.Contain(". Fix: lower memory-in's threshold"));
    }

    [Test]
    public void Plan_DesiredCountOutsideCapacity_Error()
    {
        var plan = Plan("service:\n  desiredCount: 9\n" + OneCpuPolicy);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[] { ("service.desiredCount", "must be within scaling.minCapacity and scaling.maxCapacity (1–4); got 9") }));
    }

    [Test]
    public void Plan_AlarmNamePrefix_StackAndServiceName()
    {
        var plan = StackPlanner.Plan(ParseStack(StackYaml("service:\n  name: api\n" + OneCpuPolicy), "Pulumi.staging.yaml"));

        Assert.That(plan.AlarmNamePrefix, Is.EqualTo("staging-api"));
        Assert.That((string?)JsonNode.Parse(PlanRenderer.Json(plan))!["policies"]![0]!["alarm"]!["alarmName"], Is.EqualTo("staging-api-cpu-out"));
    }

    [Test]
    public void Plan_FileDiagnostics_ComeFirst()
    {
        var plan = StackPlanner.Plan(ParseStack("config:\n  step-scaled-ecs:service:\n    secure: AAAA\n  step-scaled-ecs:flapCheck: loud\n"));

        Assert.That(plan.Diagnostics.Select(d => d.Path), Is.EqualTo(new[] { "service", "flapCheck", HttpOnly.Path }));
    }

    [Test]
    public void Json_MetricMathAndAlb_DimensionsAndQueries()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: rps
                  metric: RequestCountPerTarget
                  scaleOut: { bands: [{ from: 1000, change: 1 }] }
                - name: backlog
                  metric:
                    kind: math
                    queries:
                      - { id: m1, metric: { namespace: AWS/SQS, name: Visible, dimensions: { QueueName: jobs }, stat: Sum, period: 60 } }
                      - { id: e1, expression: m1 / 10, returnData: true }
                  scaleOut: { bands: [{ from: 5, change: 1 }] }
            """);
        var policies = JsonNode.Parse(PlanRenderer.Json(plan))!["policies"]!.AsArray();

        var rps = policies[0]!["alarm"]!;
        Assert.That(((string?)rps["namespace"], (string?)rps["metricName"], (string?)rps["statistic"], (string?)rps["treatMissingData"]), Is.EqualTo(("AWS/ApplicationELB", "RequestCountPerTarget", "Sum", "notBreaching")));
        Assert.That((string?)rps["dimensions"]!["TargetGroup"], Is.EqualTo("<target group ARN suffix>"));
        var math = policies[1]!["alarm"]!;
        Assert.That(math["namespace"], Is.Null);
        Assert.That(math["statistic"], Is.Null);
        Assert.That(JsonNode.DeepEquals(math["metrics"], JsonNode.Parse("""
            [
              { "id": "m1", "expression": null, "label": null, "returnData": false,
                "metricStat": { "metric": { "namespace": "AWS/SQS", "metricName": "Visible", "dimensions": { "QueueName": "jobs" } }, "period": 60, "stat": "Sum", "unit": null } },
              { "id": "e1", "expression": "m1 / 10", "label": null, "returnData": true, "metricStat": null }
            ]
            """)), Is.True, math["metrics"]!.ToJsonString());
    }

    [Test]
    public void Dimensions_CloudWatchMetric_AsWritten()
    {
        var spec = Spec(1, 4, Policy(Out(B(5, null, 1)), null, metric: new CloudWatchMetric("AWS/SQS", "Visible", System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add("QueueName", "jobs"), null)));

        Assert.That(PlanRenderer.Dimensions(spec.Policies[0]), Is.EqualTo(new Dictionary<string, string> { ["QueueName"] = "jobs" }));
        Assert.That(PlanRenderer.MetricId(spec.Policies[0].Metric), Is.EqualTo(((string?)"AWS/SQS", (string?)"Visible")));
    }
}
