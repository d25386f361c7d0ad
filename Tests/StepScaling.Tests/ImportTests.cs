using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using StepScaling.Config;
using StepScaling.Import;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Testing;
using StepScaling.Validation;

namespace StepScaling.Tests;

/// <summary>
/// Import from Terraform and the AWS CLI. The fixtures in Tests/Fixtures cite their documentation pages in the
/// README there; the small inline documents below are cut from the same shapes (same pages) to make one messy case each.
/// </summary>
public class ImportTests
{
    private static string Fixture(string path) => Path.Combine(RepositoryFiles.Root, "Tests", "Fixtures", path);

    private static ImportInput ReadFixtures(params string[] paths) =>
        ImportReader.Read([.. paths.Select(p => (Path.GetFileName(p), File.ReadAllText(Fixture(p))))]);

    private static ImportResult Import(string? service, params string[] paths) => ScalingImporter.Import(ReadFixtures(paths), service);

    private static ImportResult ImportText(string? service, params string[] texts) =>
        ScalingImporter.Import(ImportReader.Read([.. texts.Select((t, i) => ($"in{i}.json", t))]), service);

    private static StackPlan PlanOf(ImportResult result, string stack = "dev")
    {
        var yaml = StackYamlWriter.Write(result, StackFile.DefaultProject, "test");
        return StackPlanner.Plan(StackFile.Parse(yaml, $"Pulumi.{stack}.yaml", StackFile.DefaultProject));
    }

    private static IEnumerable<string> Messages(ImportResult r, Severity level) => r.Findings.Where(f => f.Severity == level).Select(f => $"{(f.Subject == Subject.Value ? f.Path : f.Subject.ToString())}: {f.Message}");

    [Test]
    public void TerraformReader_BlogPlan_LinksAlarmsToPoliciesThroughConfigurationReferences()
    {
        var input = ReadFixtures("terraform/blog-plan.json");

        Assert.That(input.Kind, Is.EqualTo("terraform show -json (plan)"));
        Assert.That(input.Region, Is.EqualTo("us-east-1"));
        Assert.That(input.Targets.Single().ResourceId, Is.EqualTo("service/blog/web"));
        Assert.That(input.Targets.Single().MinCapacity, Is.EqualTo(1));
        Assert.That(input.Targets.Single().MaxCapacity, Is.EqualTo(4));
        var high = input.Alarms.Single(a => a.Name == "web-memory-high");
        Assert.That(high.AlarmActions, Is.EqualTo(new[] { "aws_appautoscaling_policy.scale_up" }), "the ARN is unknown in a plan; the reference names the policy");
        var up = input.Policies.Single(p => p.Key == "aws_appautoscaling_policy.scale_up");
        Assert.That(up.Steps, Is.EqualTo(new[] { new StepAdjustment(0, 10, 1), new StepAdjustment(10, 25, 2), new StepAdjustment(25, null, 3) }), "string bounds \"0\", \"10\" are numbers; null is open");
    }

    [Test]
    public void TerraformReader_StateInModules_StringsForNumbersAndEmptyBoundsAndForEachAddresses()
    {
        var input = ReadFixtures("terraform/modules-state.json");

        var target = input.Targets.Single(t => t.ResourceId == "service/prod/api");
        Assert.That((target.MinCapacity, target.MaxCapacity), Is.EqualTo((2, 10)), "\"2\" and \"10\" are numbers");
        var policyOut = input.Policies.Single(p => p.Key == "module.api.aws_appautoscaling_policy.cpu[\"out\"]");
        Assert.That(policyOut.Cooldown, Is.EqualTo(120));
        Assert.That(policyOut.MinAdjustmentMagnitude, Is.Null, "the provider's 0 means unset");
        Assert.That(policyOut.Steps, Is.EqualTo(new[] { new StepAdjustment(0, 15, 1), new StepAdjustment(15, null, 3) }), "\"\" is an open bound");
        var high = input.Alarms.Single(a => a.Name == "api-cpu-high");
        Assert.That((high.Period, high.EvaluationPeriods, high.DatapointsToAlarm, high.Threshold), Is.EqualTo(((int?)60, (int?)2, (int?)2, (double?)70)));
        Assert.That(high.AlarmActions[0], Is.EqualTo(policyOut.Key), "a known ARN links to the policy that has it");
    }

    [Test]
    public void TerraformReader_PlanWithModuleOutputsAndUnknownClusterName_FollowsOutputsAndBuildsTheResourceId()
    {
        var result = Import(null, "terraform/module-plan.json");

        Assert.That(result.ServiceName, Is.EqualTo("checkout"), "resource_id refers to the target, whose own refers to aws_ecs_service.this (name known)");
        Assert.That(result.Scaling!.Policies.Single().Metric, Is.InstanceOf<MetricMathMetric>());
        Assert.That(result.Sources.Select(s => (s.Alarm, s.ScalingPolicy)), Is.EquivalentTo(new[] { ("checkout-requests-high", "checkout-out"), ("checkout-requests-low", "checkout-in") }));
        Assert.That(Messages(result, Severity.Note), Has.Some.Contains("also notifies aws_sns_topic.alerts"));
        Assert.That((result.Scaling.MinCapacity, result.Scaling.MaxCapacity), Is.EqualTo((1, 6)));
    }

    [Test]
    public void Import_BlogPlan_PlanJsonEqualsTheDevStacksAndReportsItsLoop()
    {
        var imported = PlanOf(Import(null, "terraform/blog-plan.json"));
        var dev = StackPlanner.Plan(StackFile.Load(RepositoryFiles.Stack("dev")));

        // The dev stack builds app/ where the blog post ran a given image; the rest of the plan is the same.
        Assert.That(PlanRenderer.Json(imported), Is.EqualTo(PlanRenderer.Json(dev with { Config = dev.Config! with { Service = dev.Config.Service with { Build = null } } })));
        Assert.That(imported.FlapFindings.Single().Endless, Is.True, "a loop, not a reversal");
        Assert.That(imported.FlapFindings.Single().Message, Does.StartWith("at 1 task and 11 % MemoryUtilization, memory-out adds 1 → 2 tasks"));
    }

    [Test]
    public void Import_AwsCliBlogService_SamePlanAsTheTerraformPlan()
    {
        var fromCli = Import("web", "aws/describe-scaling-policies.json", "aws/describe-alarms.json", "aws/describe-scalable-targets.json");
        var fromTerraform = Import(null, "terraform/blog-plan.json");

        Assert.That(fromCli.Scaling!.Policies, Is.EqualTo(fromTerraform.Scaling!.Policies));
        Assert.That(PlanRenderer.Json(PlanOf(fromCli with { Region = null })), Is.EqualTo(PlanRenderer.Json(PlanOf(fromTerraform with { Region = null }))));
    }

    private static readonly object[] RoundTrips =
    [
        new object?[] { null, new[] { "terraform/blog-plan.json" } },
        new object?[] { "api", new[] { "terraform/modules-state.json" } },
        new object?[] { "worker", new[] { "terraform/modules-state.json" } },
        new object?[] { null, new[] { "terraform/module-plan.json" } },
        new object?[] { "web", new[] { "aws/describe-scaling-policies.json", "aws/describe-alarms.json", "aws/describe-scalable-targets.json" } },
        new object?[] { "api", new[] { "aws/describe-scaling-policies.json", "aws/describe-alarms.json", "aws/describe-scalable-targets.json" } },
    ];

    /// <summary>
    /// Import → stack file → plan JSON gives back the AWS fields of every imported alarm and policy, compared with
    /// the fixture's own JSON read here independently of the importer's readers.
    /// </summary>
    [TestCaseSource(nameof(RoundTrips))]
    public void Import_EveryFixture_PlanJsonGivesBackTheAwsFieldsOfTheInput(string? service, string[] files)
    {
        var result = Import(service, files);
        var plan = PlanOf(result);
        Assert.That(plan.IsValid, Is.True, string.Join("\n", plan.Diagnostics));
        var json = JsonNode.Parse(PlanRenderer.Json(plan))!["policies"]!.AsArray();
        var raw = RawFixture.Load([.. files.Select(Fixture)]);
        Assert.That(result.Sources, Is.Not.Empty);

        foreach (var source in result.Sources)
        {
            var p = json.Single(x => (string)x!["name"]! == $"{source.Policy}-{(source.Side == ScalingSide.ScaleOut ? "out" : "in")}")!;
            var alarm = raw.Alarm(source.Alarm);
            var policy = raw.Policy(source.ScalingPolicy);
            var a = p["alarm"]!;
            var context = $"{source.Alarm} / {source.ScalingPolicy}";
            Assert.That((string?)a["comparisonOperator"], Is.EqualTo(alarm.Text("ComparisonOperator")), context);
            Assert.That((double?)a["threshold"], Is.EqualTo(alarm.Number("Threshold")), context);
            Assert.That((double?)a["evaluationPeriods"], Is.EqualTo(alarm.Number("EvaluationPeriods")), context);
            Assert.That((double?)a["datapointsToAlarm"], Is.EqualTo(alarm.Number("DatapointsToAlarm") ?? alarm.Number("EvaluationPeriods")), context);
            Assert.That((string?)a["treatMissingData"], Is.EqualTo(alarm.Text("TreatMissingData") ?? "missing"), context);
            if (alarm.Text("MetricName") is { } metricName)
            {
                Assert.That((string?)a["metricName"], Is.EqualTo(metricName), context);
                Assert.That((string?)a["namespace"], Is.EqualTo(alarm.Text("Namespace")), context);
                Assert.That((string?)a["statistic"], Is.EqualTo(alarm.Text("Statistic")), context);
                Assert.That((double?)a["period"], Is.EqualTo(alarm.Number("Period")), context);
            }
            else
            {
                Assert.That(a["metrics"]!.AsArray().Select(q => (string?)q!["id"]), Is.EqualTo(raw.QueryIds(source.Alarm)), context);
            }

            Assert.That((string?)p["adjustmentType"], Is.EqualTo(policy.Text("AdjustmentType")), context);
            Assert.That((double?)p["cooldown"], Is.EqualTo(policy.Number("Cooldown")), context);
            Assert.That((string?)p["metricAggregationType"], Is.EqualTo(policy.Text("MetricAggregationType") ?? "Average"), context);
            Assert.That((double?)p["minAdjustmentMagnitude"], Is.EqualTo(policy.Number("MinAdjustmentMagnitude") is { } m and > 0 ? m : null), context);
            var steps = p["stepAdjustments"]!.AsArray().Select(s => ((double?)s!["metricIntervalLowerBound"], (double?)s["metricIntervalUpperBound"], (double?)s["scalingAdjustment"]));
            Assert.That(steps, Is.EquivalentTo(raw.Steps(source.ScalingPolicy)), context);
        }
    }

    /// <summary>A plan with <c>count</c>: <c>aws_appautoscaling_policy.up[count.index].arn</c> is recorded as a reference without the index.</summary>
    private const string CountPlan = """
        {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
          {"address": "aws_appautoscaling_policy.up[0]", "mode": "managed", "type": "aws_appautoscaling_policy", "name": "up", "index": 0,
           "values": {"name": "web-up", "resource_id": "service/c/web", "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs",
             "step_scaling_policy_configuration": [{"adjustment_type": "ChangeInCapacity", "cooldown": 60, "step_adjustment": [{"metric_interval_lower_bound": "0", "scaling_adjustment": 1}]}]}},
          {"address": "aws_appautoscaling_policy.up[1]", "mode": "managed", "type": "aws_appautoscaling_policy", "name": "up", "index": 1,
           "values": {"name": "api-up", "resource_id": "service/c/api", "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs",
             "step_scaling_policy_configuration": [{"adjustment_type": "ChangeInCapacity", "cooldown": 60, "step_adjustment": [{"metric_interval_lower_bound": "0", "scaling_adjustment": 4}]}]}},
          {"address": "aws_cloudwatch_metric_alarm.high[0]", "mode": "managed", "type": "aws_cloudwatch_metric_alarm", "name": "high", "index": 0,
           "values": {"alarm_name": "web-high", "namespace": "AWS/ECS", "metric_name": "CPUUtilization", "dimensions": {"ServiceName": "web"}, "statistic": "Average", "period": 60, "evaluation_periods": 1, "comparison_operator": "GreaterThanThreshold", "threshold": 70}},
          {"address": "aws_cloudwatch_metric_alarm.high[1]", "mode": "managed", "type": "aws_cloudwatch_metric_alarm", "name": "high", "index": 1,
           "values": {"alarm_name": "api-high", "namespace": "AWS/ECS", "metric_name": "CPUUtilization", "dimensions": {"ServiceName": "api"}, "statistic": "Average", "period": 60, "evaluation_periods": 1, "comparison_operator": "GreaterThanThreshold", "threshold": 80}}]}},
         "configuration": {"root_module": {"resources": [
          {"address": "aws_cloudwatch_metric_alarm.high", "type": "aws_cloudwatch_metric_alarm", "name": "high",
           "expressions": {"alarm_actions": {"references": ["aws_appautoscaling_policy.up", "count.index"]}}}]}}}
        """;

    [Test]
    public void Import_CountIndexedPlan_InstanceIOfTheAlarmInvokesInstanceIOfThePolicy()
    {
        var api = ImportText("api", CountPlan);
        var web = ImportText("web", CountPlan);

        var apiSide = (RelativeSteps)api.Scaling!.Policies.Single().ScaleOut!.Steps;
        var webSide = (RelativeSteps)web.Scaling!.Policies.Single().ScaleOut!.Steps;
        Assert.That((apiSide.Threshold, apiSide.StepAdjustments[0].ScalingAdjustment), Is.EqualTo((80.0, 4)));
        Assert.That((webSide.Threshold, webSide.StepAdjustments[0].ScalingAdjustment), Is.EqualTo((70.0, 1)));
        Assert.That(api.Findings.Where(f => f.Severity != Severity.Note).Select(f => f.Message), Has.None.Contains("triggers 2 policies"));
    }

    [Test]
    public void Import_SeveralServicesWithoutService_ListsThemForSelection()
    {
        var result = Import(null, "terraform/modules-state.json");

        Assert.That(result.NeedsServiceSelection, Is.True);
        Assert.That(result.Services.Select(s => s.ResourceId), Is.EquivalentTo(new[] { "service/prod/api", "service/prod/worker" }));
        Assert.That(result.Scaling, Is.Null);
    }

    [Test]
    public void Import_UnknownService_ErrorNamesTheServicesThere()
    {
        var result = Import("nope", "terraform/modules-state.json");

        Assert.That(Messages(result, Severity.Error), Is.EqualTo(new[] { "ServiceChoice: no ECS service 'nope' in the input; it scales service/prod/api, service/prod/worker" }));
    }

    [Test]
    public void Import_AwsCliApi_ReportsTargetTrackingOrphanPolicyNonEcsAndSns()
    {
        var result = Import("api", "aws/describe-scaling-policies.json", "aws/describe-alarms.json", "aws/describe-scalable-targets.json");

        var warnings = Messages(result, Severity.Warning).ToList();
        Assert.That(warnings, Has.Some.EqualTo("describe-scaling-policies.json#api-requests-tt: is a TargetTrackingScaling policy: not imported, as the stack models step scaling only; it still scales this service in AWS, which check, the flap analysis and simulate do not see"));
        Assert.That(warnings, Has.Some.EqualTo("describe-scaling-policies.json#api-spare: no alarm triggers this policy, so it never runs: not imported"));
        Assert.That(warnings, Has.Some.StartsWith("describe-scaling-policies.json#orders-read: scales dynamodb dynamodb:table:ReadCapacityUnits of 'table/orders', not an ECS service's"));
        Assert.That(Messages(result, Severity.Note), Has.Some.EqualTo("describe-alarms.json#api-cpu-high: also notifies arn:aws:sns:eu-west-1:123456789012:ops-alerts; the stack's alarms invoke only their policy, so add the notification yourself"));
        Assert.That(result.Scaling!.Policies.Single().Name, Is.EqualTo("cpu"));
        Assert.That((result.Scaling.MinCapacity, result.Scaling.MaxCapacity), Is.EqualTo((2, 12)));
    }

    [Test]
    public void Import_WithoutScalableTargets_WarnsThatTheCapacityLimitsAreDefaults()
    {
        var result = Import("web", "aws/describe-scaling-policies.json", "aws/describe-alarms.json");

        Assert.That(result.HasCapacity, Is.False);
        Assert.That(Messages(result, Severity.Warning), Has.Some.Contains("minCapacity and maxCapacity are not known without the output of `aws application-autoscaling describe-scalable-targets`"));
    }

    private const string TwoPolicies = """
        {"ScalingPolicies": [
          {"PolicyARN": "arn:aws:autoscaling:us-east-1:1:scalingPolicy:a:resource/ecs/service/c/web:policyName/up1", "PolicyName": "up1", "ServiceNamespace": "ecs", "ResourceId": "service/c/web",
           "ScalableDimension": "ecs:service:DesiredCount", "PolicyType": "StepScaling",
           "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity", "Cooldown": 60, "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}},
          {"PolicyARN": "arn:aws:autoscaling:us-east-1:1:scalingPolicy:b:resource/ecs/service/c/web:policyName/up2", "PolicyName": "up2", "ServiceNamespace": "ecs", "ResourceId": "service/c/web",
           "ScalableDimension": "ecs:service:DesiredCount", "PolicyType": "StepScaling",
           "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 2}]}}]}
        """;

    private static string Alarms(string actions, string op = "GreaterThanThreshold", string extra = "") => $$"""
        {"MetricAlarms": [{"AlarmName": "cpu-high", "AlarmArn": "arn:aws:cloudwatch:us-east-1:1:alarm:cpu-high", "Namespace": "AWS/ECS", "MetricName": "CPUUtilization",
          "Dimensions": [{"Name": "ClusterName", "Value": "c"}, {"Name": "ServiceName", "Value": "web"}], "Statistic": "Average", "Period": 60, "EvaluationPeriods": 1,
          "Threshold": 70, "ComparisonOperator": "{{op}}", "AlarmActions": [{{actions}}] {{extra}}}]}
        """;

    private const string Up1 = "\"arn:aws:autoscaling:us-east-1:1:scalingPolicy:a:resource/ecs/service/c/web:policyName/up1\"";
    private const string Up2 = "\"arn:aws:autoscaling:us-east-1:1:scalingPolicy:b:resource/ecs/service/c/web:policyName/up2\"";

    [Test]
    public void Import_AlarmTriggeringTwoPolicies_ReportedAndImportedOncePerPolicy()
    {
        var result = ImportText(null, TwoPolicies, Alarms($"{Up1}, {Up2}"));

        Assert.That(Messages(result, Severity.Warning), Has.Some.EqualTo("in1.json#cpu-high: triggers 2 policies (up1, up2); a stack alarm invokes one policy, so it is imported once per policy, with the same settings"));
        Assert.That(result.Scaling!.Policies.Select(p => p.Name), Is.EqualTo(new[] { "cpu", "cpu-2" }));
        Assert.That(Messages(result, Severity.Note), Has.Some.EqualTo("in1.json#cpu-high → up2: Cooldown is not set, so AWS uses its default, 300; written as 300"));
        Assert.That(result.Scaling.Policies[1].ScaleOut!.Cooldown, Is.EqualTo(300));
        Assert.That(Messages(result, Severity.Note), Has.Some.EqualTo("in1.json#cpu-high → up2: MetricAggregationType is not set, so AWS uses its default, Average; written as Average"));
        Assert.That(result.Scaling.Policies[1].ScaleOut!.MetricAggregationType, Is.EqualTo(MetricAggregationType.Average));
    }

    [Test]
    public void Import_PolicyTriggeredByNoAlarm_ReportedAndLeftOut()
    {
        var result = ImportText(null, TwoPolicies, Alarms(Up1));

        Assert.That(Messages(result, Severity.Warning), Has.Some.EqualTo("in0.json#up2: no alarm triggers this policy, so it never runs: not imported"));
        Assert.That(result.Scaling!.Policies.Single().ScaleOut!.Steps, Is.EqualTo(new RelativeSteps(ComparisonOperator.GreaterThanThreshold, 70, [new StepAdjustment(0, null, 1)])));
    }

    [Test]
    public void Import_AnomalyDetectionOperator_ReportedAsUnrepresentable()
    {
        var result = ImportText(null, TwoPolicies, Alarms($"{Up1}, {Up2}", op: "GreaterThanUpperThreshold"));

        Assert.That(Messages(result, Severity.Warning), Has.Some.StartsWith("in1.json#cpu-high → up1: comparison operator 'GreaterThanUpperThreshold' cannot be represented"));
        Assert.That(Messages(result, Severity.Error), Has.Some.StartsWith("service/c/web: nothing to import"));
    }

    [Test]
    public void Import_AlarmOnAnotherServicesMetric_ImportedAsCloudWatchMetricWithItsDimensions()
    {
        var result = ImportText(null, TwoPolicies, Alarms(Up1).Replace("\"Value\": \"web\"", "\"Value\": \"other\"", StringComparison.Ordinal));

        Assert.That(result.Scaling!.Policies.Single().Metric, Is.InstanceOf<CloudWatchMetric>());
        Assert.That(Messages(result, Severity.Note), Has.Some.Contains("watches CPUUtilization of service 'other' of cluster 'c', not of service 'web'"));
    }

    [Test]
    public void Import_DisabledActionsAndOkAction_Reported()
    {
        var result = ImportText(null, TwoPolicies, Alarms(Up1, extra: ", \"ActionsEnabled\": false, \"OKActions\": [\"arn:aws:sns:us-east-1:1:ok\"]"));

        Assert.That(Messages(result, Severity.Warning), Has.Some.Contains("its actions are disabled"));
        Assert.That(Messages(result, Severity.Note), Has.Some.Contains("has an OK or insufficient-data action arn:aws:sns:us-east-1:1:ok"));
    }

    [Test]
    public void Read_JsonOfAnotherShape_SaysWhichShapesAreAccepted()
    {
        var input = ImportReader.Read([("x.json", "{\"Reservations\": []}")]);

        Assert.That(input.Findings.Single().ToString(), Is.EqualTo($"error: x.json: is JSON but not an input import reads: got an object with the keys Reservations; expected {ImportReader.AcceptedShapes}"));
    }

    [Test]
    public void Read_NotJson_ErrorNamesTheFile()
    {
        var input = ImportReader.Read([("x.tf", "resource \"aws_appautoscaling_policy\" \"up\" {}")]);

        Assert.That(input.Findings.Single().ToString(), Does.StartWith("error: x.tf: not JSON (line 1: "));
    }

    [Test]
    public void Read_PoliciesWithoutAlarms_ErrorAsksForDescribeAlarms()
    {
        var input = ImportReader.Read([("p.json", TwoPolicies)]);

        Assert.That(input.Findings.Single().Message, Does.StartWith("no `aws cloudwatch describe-alarms` output (MetricAlarms)"));
    }

    [Test]
    public void Read_TerraformAndAwsTogether_Error()
    {
        var input = ImportReader.Read([("a.json", File.ReadAllText(Fixture("terraform/blog-plan.json"))), ("p.json", TwoPolicies)]);

        Assert.That(input.Findings.Single().Message, Does.StartWith("give one `terraform show -json` file, or the AWS CLI outputs"));
    }

    [Test]
    public void Read_EmptyTerraformState_SaysItHoldsNoResources()
    {
        var input = ImportReader.Read([("state.json", """{"format_version": "1.0"}""")]);

        Assert.That(input.Findings.Single().ToString(), Is.EqualTo("error: state.json: the state has no values.root_module: it holds no resources (was `terraform show -json` run on the right workspace?)"));
    }

    [Test]
    public void Import_NoEcsScaling_ErrorCountsWhatTheInputHolds()
    {
        var result = ImportText(null, """{"format_version": "1.0", "values": {"root_module": {"resources": []}}}""");

        Assert.That(Messages(result, Severity.Error), Is.EqualTo(new[] { "terraform show -json (state): no ECS service scaling found: the input holds 0 scalable targets, 0 scaling policies and 0 metric alarms, none of them on an ECS service's ecs:service:DesiredCount" }));
    }

    [Test]
    public void Write_QuotesStringsYamlWouldReadAsOtherTypes()
    {
        var result = ImportText(null, TwoPolicies.Replace("service/c/web", "service/c/true", StringComparison.Ordinal).Replace("policyName/up1", "policyName/x", StringComparison.Ordinal),
            Alarms("\"arn:aws:autoscaling:us-east-1:1:scalingPolicy:a:resource/ecs/service/c/true:policyName/x\"").Replace("\"Value\": \"web\"", "\"Value\": \"true\"", StringComparison.Ordinal));
        var yaml = StackYamlWriter.Write(result, StackFile.DefaultProject, "t");

        Assert.That(yaml, Does.Contain("name: \"true\""));
        Assert.That(StackPlanner.Plan(StackFile.Parse(yaml, "Pulumi.t.yaml", StackFile.DefaultProject)).Config!.Service.Name, Is.EqualTo("true"));
    }

    /// <summary>
    /// Whatever import maps, the stack file it writes reads back as the same definition: thresholds, bounds and every
    /// side setting survive YAML exactly (numbers are written in round-trip form, strings quoted where YAML would retype them).
    /// </summary>
    [Test]
    public void Write_AnyRelativeSteps_ReadBackByTheConfigMapperUnchanged()
    {
        var number = Gen.Double[-1e6, 1e6].Select(d => Math.Round(d, 3));
        var bound = Gen.Frequency((1, Gen.Const((double?)null)), (3, number.Select(d => (double?)d)));
        static Gen<int?> Maybe(Gen<int> g) => Gen.Frequency((1, Gen.Const((int?)null)), (3, g.Select(i => (int?)i)));
        var step = Gen.Select(bound, bound, Gen.Int[-100, 100], (l, u, a) => new StepAdjustment(l, u, a));
        var side = Gen.Select(
            Gen.Select(Gen.Enum<ComparisonOperator>(), number, step.Array[1, 4], (op, t, steps) => new RelativeSteps(op, t, [.. steps])),
            Gen.Select(Gen.Int[1, 10], Maybe(Gen.Int[1, 10]), Gen.Enum<TreatMissingData>(), Gen.Int[0, 3600]),
            Gen.Select(Gen.Enum<AdjustmentType>(), Maybe(Gen.Int[1, 5]), Gen.Enum<MetricAggregationType>()),
            (steps, alarm, policy) => new SideDefinition
            {
                Path = "scaling.policies[0].scaleOut",
                Steps = steps,
                EvaluationPeriods = alarm.Item1,
                DatapointsToAlarm = alarm.Item2,
                TreatMissingData = alarm.Item3,
                Cooldown = alarm.Item4,
                AdjustmentType = policy.Item1,
                MinAdjustmentMagnitude = policy.Item2,
                MetricAggregationType = policy.Item3,
            });
        var name = Gen.OneOfConst("web", "true", "1e3", "null", "a: b", "#x", "~");

        Gen.Select(side, name).Sample((definition, service) =>
        {
            var result = new ImportResult
            {
                ServiceName = service,
                Scaling = new ScalingDefinition { Policies = [new PolicyDefinition { Name = "p", Metric = new EcsServiceMetric("CPUUtilization"), Statistic = "Average", ScaleOut = definition }] },
            };
            var file = StackFile.Parse(StackYamlWriter.Write(result, StackFile.DefaultProject, "t"), "Pulumi.t.yaml", StackFile.DefaultProject);
            var mapped = StackConfigMapper.Map(file.Values);
            var back = (mapped.Config?.Scaling ?? mapped.PartialScaling?.Scaling)?.Policies.Single().ScaleOut;
            return file.Diagnostics.IsEmpty && back == definition && (mapped.Config?.Service.Name ?? mapped.PartialScaling?.ServiceName) == service;
        }, iter: 100);
    }

    /// <summary>The fixtures' own fields, read without the importer: AWS CLI names, or Terraform's mapped to them.</summary>
    private sealed class RawFixture
    {
        private readonly List<JsonNode> _alarms = [];
        private readonly List<JsonNode> _policies = [];
        private bool _terraform;

        public static RawFixture Load(IEnumerable<string> paths)
        {
            var raw = new RawFixture();
            foreach (var path in paths)
            {
                var root = JsonNode.Parse(File.ReadAllText(path))!;
                if (root["MetricAlarms"] is JsonArray alarms)
                {
                    raw._alarms.AddRange(alarms.Select(a => a!));
                }

                if (root["ScalingPolicies"] is JsonArray policies)
                {
                    raw._policies.AddRange(policies.Select(p => p!));
                }

                if (root["format_version"] is not null)
                {
                    raw._terraform = true;
                    var module = (root["planned_values"] ?? root["values"])!["root_module"]!;
                    foreach (var r in Resources(module))
                    {
                        var type = (string)r["type"]!;
                        if (type == "aws_cloudwatch_metric_alarm")
                        {
                            raw._alarms.Add(r["values"]!);
                        }
                        else if (type == "aws_appautoscaling_policy")
                        {
                            raw._policies.Add(r["values"]!);
                        }
                    }
                }
            }

            return raw;
        }

        private static IEnumerable<JsonNode> Resources(JsonNode module) =>
            (module["resources"]?.AsArray() ?? []).Select(r => r!).Concat((module["child_modules"]?.AsArray() ?? []).SelectMany(c => Resources(c!)));

        public Fields Alarm(string name) => new(_alarms.Single(a => (string?)(a["AlarmName"] ?? a["alarm_name"]) == name), _terraform, null);

        public Fields Policy(string name)
        {
            var p = _policies.Single(x => (string?)(x["PolicyName"] ?? x["name"]) == name);
            return new Fields(p, _terraform, _terraform ? p["step_scaling_policy_configuration"]![0] : p["StepScalingPolicyConfiguration"]);
        }

        public IEnumerable<string?> QueryIds(string alarm)
        {
            var a = _alarms.Single(x => (string?)(x["AlarmName"] ?? x["alarm_name"]) == alarm);
            return (a["Metrics"] ?? a["metric_query"])!.AsArray().Select(q => (string?)(q!["Id"] ?? q["id"]));
        }

        public IEnumerable<(double?, double?, double?)> Steps(string policy)
        {
            var p = Policy(policy);
            var steps = _terraform ? p.Config!["step_adjustment"]!.AsArray() : p.Config!["StepAdjustments"]!.AsArray();
            return steps.Select(s => _terraform
                ? (Fields.Num(s!["metric_interval_lower_bound"]), Fields.Num(s["metric_interval_upper_bound"]), Fields.Num(s["scaling_adjustment"]))
                : (Fields.Num(s!["MetricIntervalLowerBound"]), Fields.Num(s["MetricIntervalUpperBound"]), Fields.Num(s["ScalingAdjustment"])));
        }
    }

    private sealed record Fields(JsonNode Node, bool Terraform, JsonNode? Config)
    {
        private static readonly Dictionary<string, string> TerraformNames = new()
        {
            ["ComparisonOperator"] = "comparison_operator", ["Threshold"] = "threshold", ["EvaluationPeriods"] = "evaluation_periods",
            ["DatapointsToAlarm"] = "datapoints_to_alarm", ["TreatMissingData"] = "treat_missing_data", ["MetricName"] = "metric_name",
            ["Namespace"] = "namespace", ["Statistic"] = "statistic", ["Period"] = "period", ["AdjustmentType"] = "adjustment_type",
            ["Cooldown"] = "cooldown", ["MetricAggregationType"] = "metric_aggregation_type", ["MinAdjustmentMagnitude"] = "min_adjustment_magnitude",
        };

        private static readonly string[] PolicyFields = ["AdjustmentType", "Cooldown", "MetricAggregationType", "MinAdjustmentMagnitude"];

        private JsonNode? Get(string awsName)
        {
            var holder = PolicyFields.Contains(awsName) ? Config : Node;
            return holder?[Terraform ? TerraformNames[awsName] : awsName];
        }

        public string? Text(string awsName) => Get(awsName) is JsonValue v && v.ToString() is { Length: > 0 } s ? s : null;

        public double? Number(string awsName) => Num(Get(awsName));

        public static double? Num(JsonNode? node) => node is JsonValue v
            ? v.TryGetValue<double>(out var d) ? d : v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : null
            : null;
    }
}
