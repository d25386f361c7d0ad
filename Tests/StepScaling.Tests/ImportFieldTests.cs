using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using StepScaling.Config;
using StepScaling.Import;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Tests;

/// <summary>
/// The one field rule of import, field by field, for the AWS CLI (describe-scalable-targets, describe-scaling-policies,
/// describe-alarms: https://docs.aws.amazon.com/cli/latest/reference/) and Terraform's JSON
/// (https://developer.hashicorp.com/terraform/internals/json-format): a missing value gets AWS's default with a note,
/// or is an error where AWS requires it; a value present but unusable is an error naming the field and the value.
/// </summary>
public class ImportFieldTests
{
    private const string PolicyArn = "arn:aws:autoscaling:us-east-1:1:scalingPolicy:a:resource/ecs/service/c/web:policyName/up";

    private static JsonObject CliTarget() => Obj("""
        {"ServiceNamespace": "ecs", "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 1, "MaxCapacity": 4}
        """);

    private static JsonObject CliPolicy() => Obj($$$"""
        {"PolicyARN": "{{{PolicyArn}}}", "PolicyName": "up", "ServiceNamespace": "ecs", "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount",
         "PolicyType": "StepScaling", "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity", "Cooldown": 60, "MetricAggregationType": "Average",
         "StepAdjustments": [{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1}, {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 2}]}}
        """);

    private static JsonObject CliAlarm() => Obj($$"""
        {"AlarmName": "web-high", "AlarmArn": "arn:aws:cloudwatch:us-east-1:1:alarm:web-high", "Namespace": "AWS/ECS", "MetricName": "MemoryUtilization",
         "Dimensions": [{"Name": "ClusterName", "Value": "c"}, {"Name": "ServiceName", "Value": "web"}], "Statistic": "Average", "Period": 60,
         "EvaluationPeriods": 1, "DatapointsToAlarm": 1, "Threshold": 10, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "missing",
         "ActionsEnabled": true, "AlarmActions": ["{{PolicyArn}}"]}
        """);

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static ImportResult ImportCli(JsonObject target, JsonObject policy, JsonObject alarm) => ScalingImporter.Import(ImportReader.Read(
    [
        ("targets.json", new JsonObject { ["ScalableTargets"] = new JsonArray(target) }.ToJsonString()),
        ("policies.json", new JsonObject { ["ScalingPolicies"] = new JsonArray(policy) }.ToJsonString()),
        ("alarms.json", new JsonObject { ["MetricAlarms"] = new JsonArray(alarm) }.ToJsonString()),
    ]), null);

    /// <summary>Sets (or, for null, removes) the field at a dotted path with list indexes: <c>A.B[0].C</c>.</summary>
    private static JsonObject With(JsonObject root, string path, string? json)
    {
        var parts = path.Split('.');
        JsonNode node = root;
        foreach (var part in parts[..^1])
        {
            node = part.EndsWith(']') ? node[part[..part.IndexOf('[', StringComparison.Ordinal)]]![int.Parse(part[(part.IndexOf('[', StringComparison.Ordinal) + 1)..^1], CultureInfo.InvariantCulture)]! : node[part]!;
        }

        if (json is null)
        {
            node.AsObject().Remove(parts[^1]);
        }
        else
        {
            node[parts[^1]] = JsonNode.Parse(json);
        }

        return root;
    }

    private static ImportResult ImportCliWith(string item, string path, string? json) => item switch
    {
        "target" => ImportCli(With(CliTarget(), path, json), CliPolicy(), CliAlarm()),
        "policy" => ImportCli(CliTarget(), With(CliPolicy(), path, json), CliAlarm()),
        _ => ImportCli(CliTarget(), CliPolicy(), With(CliAlarm(), path, json)),
    };

    private static IEnumerable<string> Errors(ImportResult r) => r.Findings.Where(f => f.Severity == Severity.Error).Select(f => f.ToString());

    [Test]
    public void Import_CompleteCliInput_NoErrorNoWarningNoNote()
    {
        var result = ImportCliWith("alarm", "Period", "60");

        Assert.That(result.Findings, Is.Empty);
        Assert.That(result.Scaling, Is.Not.Null);
    }

    [TestCase("policy", "StepScalingPolicyConfiguration.Cooldown", "\"abc\"")]
    [TestCase("policy", "StepScalingPolicyConfiguration.Cooldown", "60.5")]
    [TestCase("policy", "StepScalingPolicyConfiguration.Cooldown", "-1")]
    [TestCase("target", "MaxCapacity", "\"ten\"")]
    [TestCase("target", "MaxCapacity", "1e12")]
    [TestCase("target", "MinCapacity", "1.5")]
    [TestCase("alarm", "Period", "60.5")]
    [TestCase("alarm", "Period", "\"sixty\"")]
    [TestCase("alarm", "EvaluationPeriods", "[1]")]
    [TestCase("alarm", "Threshold", "\"high\"")]
    [TestCase("alarm", "Threshold", "1e400")]
    [TestCase("alarm", "ActionsEnabled", "\"yes\"")]
    [TestCase("policy", "StepScalingPolicyConfiguration.StepAdjustments[0].ScalingAdjustment", "\"one\"")]
    [TestCase("policy", "StepScalingPolicyConfiguration.StepAdjustments[0].ScalingAdjustment", "1.5")]
    [TestCase("policy", "StepScalingPolicyConfiguration.StepAdjustments[1].MetricIntervalLowerBound", "\"0x10\"")]
    [TestCase("policy", "StepScalingPolicyConfiguration.StepAdjustments[1].MetricIntervalLowerBound", "\"Infinity\"")]
    [TestCase("policy", "StepScalingPolicyConfiguration.MinAdjustmentMagnitude", "true")]
    public void Import_CliFieldPresentButUnusable_ErrorNamesFieldAndValueAndNothingIsImported(string item, string path, string json)
    {
        var result = ImportCliWith(item, path, json);

        Assert.That(result.Scaling, Is.Null, "nothing is written in the value's place");
        Assert.That(Errors(result), Has.Some.Contains($"{path}: {JsonNode.Parse(json)!.ToJsonString()}"));
    }

    [TestCase("policy", "StepScalingPolicyConfiguration.Cooldown", "Cooldown is not set, so AWS uses its default, 300; written as 300")]
    [TestCase("policy", "StepScalingPolicyConfiguration.MetricAggregationType", "MetricAggregationType is not set, so AWS uses its default, Average; written as Average")]
    [TestCase("alarm", "TreatMissingData", "TreatMissingData is not set, so AWS uses its default, missing; written as missing")]
    [TestCase("alarm", "DatapointsToAlarm", "DatapointsToAlarm is not set, so AWS alarms when all 1 evaluation periods breach (its default)")]
    public void Import_CliFieldMissingWithAwsDefault_DefaultWrittenAndANoteSaysSo(string item, string path, string note)
    {
        var result = ImportCliWith(item, path, null);

        Assert.That(result.Scaling, Is.Not.Null);
        Assert.That(result.Findings.Where(f => f.Severity == Severity.Note).Select(f => f.Message), Has.Some.StartsWith(note));
    }

    [TestCase("alarm", "Period")]
    [TestCase("alarm", "EvaluationPeriods")]
    [TestCase("alarm", "Threshold")]
    [TestCase("alarm", "ComparisonOperator")]
    [TestCase("alarm", "Statistic")]
    [TestCase("policy", "StepScalingPolicyConfiguration.AdjustmentType")]
    [TestCase("policy", "StepScalingPolicyConfiguration.StepAdjustments[0].ScalingAdjustment")]
    [TestCase("target", "MinCapacity")]
    [TestCase("target", "MaxCapacity")]
    public void Import_CliFieldMissingThatAwsRequires_ErrorAndNothingIsImported(string item, string path)
    {
        var result = ImportCliWith(item, path, null);

        Assert.That(result.Scaling, Is.Null);
        Assert.That(Errors(result), Has.Some.Contains($"{path.Split('.')[^1]}").And.Some.Contains("not set, and AWS has no default"));
    }

    [Test]
    public void Import_ClusterLevelAlarm_ImportedAsCloudWatchMetricWithItsDimensionsAndANote()
    {
        var alarm = CliAlarm();
        alarm["Dimensions"] = JsonNode.Parse("""[{"Name": "ClusterName", "Value": "c"}]""");

        var result = ImportCli(CliTarget(), CliPolicy(), alarm);

        var metric = result.Scaling!.Policies.Single().Metric;
        Assert.That(metric, Is.EqualTo(new CloudWatchMetric("AWS/ECS", "MemoryUtilization", new Dictionary<string, string> { ["ClusterName"] = "c" }.ToImmutableSortedDictionary(StringComparer.Ordinal), null)));
        Assert.That(result.Findings.Select(f => f.Message), Has.Some.Contains("watches MemoryUtilization of cluster 'c' as a whole (no ServiceName dimension), not of service 'web'"));
    }

    [Test]
    public void Import_AlarmOnSameServiceNameInAnotherCluster_NotThisServicesMetric()
    {
        var alarm = CliAlarm();
        alarm["Dimensions"] = JsonNode.Parse("""[{"Name": "ClusterName", "Value": "other"}, {"Name": "ServiceName", "Value": "web"}]""");

        var result = ImportCli(CliTarget(), CliPolicy(), alarm);

        Assert.That(result.Scaling!.Policies.Single().Metric, Is.InstanceOf<CloudWatchMetric>());
        Assert.That(result.Findings.Select(f => f.Message), Has.Some.Contains("watches MemoryUtilization of service 'web' of cluster 'other'"));
    }

    [Test]
    public void Import_CliDimensionGivenTwice_ErrorNotACrash()
    {
        var alarm = CliAlarm();
        alarm["Dimensions"] = JsonNode.Parse("""[{"Name": "ServiceName", "Value": "web"}, {"Name": "ServiceName", "Value": "api"}]""");

        Assert.That(Errors(ImportCli(CliTarget(), CliPolicy(), alarm)), Has.Some.Contains("Dimensions[1].Name: \"ServiceName\" names a dimension that is given twice"));
    }

    [TestCase("""{"ScalingPolicies": [], "ScalingPolicies": []}""", "$: the key \"ScalingPolicies\" is given twice")]
    [TestCase("""{"MetricAlarms": [{"AlarmName": "a\ud800"}]}""", "$.MetricAlarms[0].AlarmName: the text is not valid Unicode")]
    public void Read_DuplicateKeyOrLoneSurrogate_CleanErrorNamingThePlace(string json, string expected)
    {
        var input = ImportReader.Read([("in.json", json)]);

        Assert.That(input.Findings.Select(f => f.ToString()), Has.Some.Contains(expected));
    }

    /// <summary>
    /// Any finite double read from JSON (threshold, bounds) comes back bit for bit from the stack file import writes,
    /// as Pulumi reads it (StackFile.Parse); before, a number was only promised "round-trip" for the ones tried.
    /// </summary>
    [Test]
    public void Import_AnyFiniteDoubles_WrittenYamlReadsBackBitIdentical()
    {
        var number = Gen.Double.Where(double.IsFinite);
        Gen.Select(number, number, number).Sample(
            values =>
            {
                var (threshold, lower, upper) = values;
                var policy = CliPolicy();
                var steps = (JsonArray)policy["StepScalingPolicyConfiguration"]!["StepAdjustments"]!;
                steps[0]!["MetricIntervalLowerBound"] = lower;
                steps[0]!["MetricIntervalUpperBound"] = upper;
                var result = ImportCli(CliTarget(), policy, With(CliAlarm(), "Threshold", threshold.ToString("R", CultureInfo.InvariantCulture)));
                var file = StackFile.Parse(StackYamlWriter.Write(result, StackFile.DefaultProject, "t"), "Pulumi.t.yaml", StackFile.DefaultProject);
                var side = JsonNode.Parse(file.Values["scaling"])!["policies"]![0]!["scaleOut"]!;
                var step = side["stepAdjustments"]![0]!;
                return file.Diagnostics.IsEmpty
                    && Bits(side["alarm"]!["threshold"]!) == BitConverter.DoubleToInt64Bits(threshold)
                    && Bits(step["metricIntervalLowerBound"]!) == BitConverter.DoubleToInt64Bits(lower)
                    && Bits(step["metricIntervalUpperBound"]!) == BitConverter.DoubleToInt64Bits(upper);
            },
            iter: 300);
    }

    private static long Bits(JsonNode node) => BitConverter.DoubleToInt64Bits(node.GetValue<double>());

    // ---- Terraform: a state with the blog setup, messy variants made from it ----

    private static JsonObject TfState() => Obj("""
        {"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": [
          {"address": "aws_appautoscaling_target.t", "mode": "managed", "type": "aws_appautoscaling_target", "name": "t",
           "values": {"max_capacity": 4, "min_capacity": 1, "resource_id": "service/c/web", "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs"},
           "sensitive_values": {}},
          {"address": "aws_appautoscaling_policy.up", "mode": "managed", "type": "aws_appautoscaling_policy", "name": "up",
           "values": {"arn": "arn:aws:autoscaling:us-east-1:1:scalingPolicy:a:resource/ecs/service/c/web:policyName/up", "name": "up", "policy_type": "StepScaling",
             "resource_id": "service/c/web", "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs",
             "step_scaling_policy_configuration": [{"adjustment_type": "ChangeInCapacity", "cooldown": 60, "metric_aggregation_type": "Average", "min_adjustment_magnitude": 0,
               "step_adjustment": [{"metric_interval_lower_bound": "0", "metric_interval_upper_bound": "10", "scaling_adjustment": 1},
                                   {"metric_interval_lower_bound": "10", "metric_interval_upper_bound": "", "scaling_adjustment": 2}]}]},
           "sensitive_values": {}},
          {"address": "aws_cloudwatch_metric_alarm.high", "mode": "managed", "type": "aws_cloudwatch_metric_alarm", "name": "high",
           "values": {"alarm_name": "web-high", "namespace": "AWS/ECS", "metric_name": "MemoryUtilization", "dimensions": {"ClusterName": "c", "ServiceName": "web"},
             "statistic": "Average", "period": 60, "evaluation_periods": 1, "datapoints_to_alarm": 1, "threshold": 10, "comparison_operator": "GreaterThanThreshold",
             "treat_missing_data": "missing", "actions_enabled": true, "alarm_actions": ["arn:aws:autoscaling:us-east-1:1:scalingPolicy:a:resource/ecs/service/c/web:policyName/up"]},
           "sensitive_values": {"alarm_actions": [], "dimensions": {}}}]}}}
        """);

    private static JsonObject TfValues(JsonObject state, int i) => state["values"]!["root_module"]!["resources"]![i]!["values"]!.AsObject();

    private static ImportResult ImportTf(JsonObject state) => ScalingImporter.Import(ImportReader.Read([("tf.json", state.ToJsonString())]), null);

    [TestCase(1, "step_scaling_policy_configuration[0].cooldown", "\"abc\"")]
    [TestCase(1, "step_scaling_policy_configuration[0].cooldown", "\"60.5\"")]
    [TestCase(0, "max_capacity", "\"ten\"")]
    [TestCase(0, "max_capacity", "1e12")]
    [TestCase(2, "period", "60.5")]
    [TestCase(2, "period", "\"sixty\"")]
    [TestCase(2, "threshold", "\"ten\"")]
    [TestCase(1, "step_scaling_policy_configuration[0].step_adjustment[1].metric_interval_lower_bound", "\"0x10\"")]
    [TestCase(1, "step_scaling_policy_configuration[0].step_adjustment[1].metric_interval_lower_bound", "\"inf\"")]
    [TestCase(1, "step_scaling_policy_configuration[0].step_adjustment[1].metric_interval_lower_bound", "\" 10\"")]
    [TestCase(1, "step_scaling_policy_configuration[0].step_adjustment[0].scaling_adjustment", "\"one\"")]
    public void Import_TerraformFieldPresentButUnusable_ErrorNamesFieldAndValue(int resource, string path, string json)
    {
        var state = TfState();
        With(TfValues(state, resource), path, json);

        var result = ImportTf(state);

        Assert.That(result.Scaling, Is.Null);
        Assert.That(Errors(result), Has.Some.Contains($"{path}: {JsonNode.Parse(json)!.ToJsonString()}"));
    }

    [Test]
    public void Import_TerraformState_ImportsTheBlogSetupWithoutFindings()
    {
        var result = ImportTf(TfState());

        Assert.That(result.Findings, Is.Empty);
        Assert.That(((RelativeSteps)result.Scaling!.Policies.Single().ScaleOut!.Steps).StepAdjustments, Is.EqualTo(new[] { new StepAdjustment(0, 10, 1), new StepAdjustment(10, null, 2) }));
    }

    [Test]
    public void Import_TerraformMapWithADuplicateKey_CleanError()
    {
        var text = TfState().ToJsonString().Replace("\"ServiceName\":\"web\"", "\"ServiceName\":\"web\",\"ServiceName\":\"api\"", StringComparison.Ordinal);

        var input = ImportReader.Read([("tf.json", text)]);

        Assert.That(input.Findings.Select(f => f.ToString()), Is.EqualTo(new[]
        {
            "error: tf.json: $.values.root_module.resources[2].values.dimensions: the key \"ServiceName\" is given twice in one object; JSON readers disagree on which one wins, so import reads neither",
        }));
    }

    [Test]
    public void Import_TerraformSensitiveThreshold_ErrorNamesTheFieldButNeverItsValue()
    {
        var state = TfState();
        TfValues(state, 2)["threshold"] = 42.125;
        state["values"]!["root_module"]!["resources"]![2]!["sensitive_values"]!["threshold"] = true;

        var result = ImportTf(state);

        Assert.That(Errors(result), Has.Some.Contains("threshold is marked sensitive"));
        Assert.That(result.Findings.Select(f => f.ToString()), Has.None.Contains("42.125"));
        Assert.That(result.Scaling, Is.Null);
    }

    /// <summary>A plan whose alarm threshold comes from another resource: omitted from planned_values, true in after_unknown.</summary>
    [Test]
    public void Import_TerraformPlanUnknownThreshold_ErrorSaysNotKnownBeforeApply()
    {
        var state = TfState();
        var plan = new JsonObject { ["format_version"] = "1.2", ["planned_values"] = state["values"]!.DeepClone() };
        ((JsonObject)plan["planned_values"]!["root_module"]!["resources"]![2]!["values"]!).Remove("threshold");
        plan["resource_changes"] = new JsonArray(new JsonObject
        {
            ["address"] = "aws_cloudwatch_metric_alarm.high",
            ["change"] = new JsonObject { ["actions"] = new JsonArray("create"), ["after_unknown"] = new JsonObject { ["threshold"] = true } },
        });

        var result = ImportTf(plan);

        Assert.That(Errors(result), Has.Some.EqualTo("error: tf.json#aws_cloudwatch_metric_alarm.high: threshold is not known before apply (after_unknown), so its value cannot be imported; import the state after apply"));
        Assert.That(result.Scaling, Is.Null);
    }

    // ---- Terraform plans: unknown values resolved through configuration ----

    private static JsonObject BlogPlan() => Obj(File.ReadAllText(Path.Combine(StepScaling.Testing.RepositoryFiles.Root, "Tests", "Fixtures", "terraform", "blog-plan.json")));

    private static IEnumerable<JsonObject> Alarms(JsonObject plan, string part) => part == "planned"
        ? plan["planned_values"]!["root_module"]!["resources"]!.AsArray().Select(r => r!.AsObject()).Where(r => (string?)r["type"] == TerraformReader.AlarmType).Select(r => r["values"]!.AsObject())
        : plan["resource_changes"]!.AsArray().Select(r => r!.AsObject()).Where(r => (string?)r["type"] == TerraformReader.AlarmType).Select(r => r["change"]!.AsObject());

    private static ImportResult ImportPlan(JsonObject plan) => ScalingImporter.Import(ImportReader.Read([("plan.json", plan.ToJsonString())]), null);

    [Test]
    public void Import_PlanWithWholeAlarmActionsUnknown_LinkedThroughConfigurationReferences()
    {
        var plan = BlogPlan();
        foreach (var values in Alarms(plan, "planned"))
        {
            values.Remove("alarm_actions");
        }

        foreach (var change in Alarms(plan, "changes"))
        {
            change["after_unknown"]!["alarm_actions"] = true;
        }

        var result = ImportPlan(plan);

        Assert.That(result.Sources.Select(s => s.ScalingPolicy), Is.EquivalentTo(new[] { "scale-up", "scale-down" }));
    }

    [Test]
    public void Import_PlanWithAKnownSnsArnBesideAnUnknownPolicyArn_LinksThePolicyAndNotesTheTopic()
    {
        var plan = BlogPlan();
        foreach (var values in Alarms(plan, "planned"))
        {
            values["alarm_actions"] = new JsonArray("arn:aws:sns:us-east-1:123456789012:ops", null);
        }

        foreach (var change in Alarms(plan, "changes"))
        {
            change["after_unknown"]!["alarm_actions"] = new JsonArray(false, true);
        }

        var result = ImportPlan(plan);

        Assert.That(result.Sources.Select(s => s.ScalingPolicy), Is.EquivalentTo(new[] { "scale-up", "scale-down" }));
        Assert.That(result.Findings.Select(f => f.Message), Has.Some.StartsWith("also notifies arn:aws:sns:us-east-1:123456789012:ops"));
    }

    [Test]
    public void Import_PlanWithUnknownServiceNameDimension_NameOfTheReferencedEcsServiceMakesItTheServicesMetric()
    {
        var plan = BlogPlan();
        foreach (var values in Alarms(plan, "planned"))
        {
            values["dimensions"]!.AsObject().Remove("ServiceName");
        }

        foreach (var change in Alarms(plan, "changes"))
        {
            change["after_unknown"]!["dimensions"] = new JsonObject { ["ServiceName"] = true };
        }

        var result = ImportPlan(plan);

        Assert.That(result.Scaling!.Policies.Select(p => p.Metric), Is.All.EqualTo(new EcsServiceMetric("MemoryUtilization")));
    }

    [Test]
    public void Import_PlanWithAnUnknownDimensionOfAnotherMetric_ErrorSaysNotKnownBeforeApply()
    {
        var plan = BlogPlan();
        foreach (var values in Alarms(plan, "planned"))
        {
            values["namespace"] = "Custom/App";
            values["dimensions"]!.AsObject().Remove("ServiceName");
        }

        foreach (var change in Alarms(plan, "changes"))
        {
            change["after_unknown"]!["dimensions"] = new JsonObject { ["Queue"] = true };
        }

        var result = ImportPlan(plan);

        Assert.That(result.Scaling, Is.Null);
        Assert.That(Errors(result), Has.Some.Contains("the value of dimension Queue is not known before apply"));
    }

    private static JsonObject CliMathAlarm()
    {
        var alarm = CliAlarm();
        foreach (var key in new[] { "Namespace", "MetricName", "Dimensions", "Statistic", "Period" })
        {
            alarm.Remove(key);
        }

        alarm["Metrics"] = JsonNode.Parse("""
            [{"Id": "m1", "ReturnData": false, "MetricStat": {"Metric": {"Namespace": "AWS/ECS", "MetricName": "MemoryUtilization",
               "Dimensions": [{"Name": "ClusterName", "Value": "c"}, {"Name": "ServiceName", "Value": "web"}]}, "Period": 60, "Stat": "Average"}},
             {"Id": "e1", "Expression": "m1 * 2", "ReturnData": true}]
            """);
        return alarm;
    }

    [TestCase("Metrics[0].Id")]
    [TestCase("Metrics[0].MetricStat.Period")]
    [TestCase("Metrics[0].MetricStat.Stat")]
    [TestCase("Metrics[0].MetricStat.Metric.Namespace")]
    [TestCase("Metrics[0].MetricStat.Metric.MetricName")]
    public void Import_CliMetricMathQueryMissingARequiredField_ErrorNamesItsPath(string path)
    {
        Assume.That(ImportCli(CliTarget(), CliPolicy(), CliMathAlarm()).Scaling, Is.Not.Null, "the complete math alarm imports");

        var result = ImportCli(CliTarget(), CliPolicy(), With(CliMathAlarm(), path, null));

        Assert.That(result.Scaling, Is.Null);
        Assert.That(Errors(result), Has.Some.Contains($"{path} is not set, and AWS has no default"));
    }

    /// <summary>The same through Terraform: the provider's numbers as JSON numbers and bounds as text, any finite double back bit for bit.</summary>
    [Test]
    public void Import_TerraformAnyFiniteDoubles_WrittenYamlReadsBackBitIdentical()
    {
        var number = Gen.Double.Where(double.IsFinite);
        Gen.Select(number, number).Sample(
            values =>
            {
                var (threshold, lower) = values;
                var state = TfState();
                TfValues(state, 2)["threshold"] = threshold;
                TfValues(state, 1)["step_scaling_policy_configuration"]![0]!["step_adjustment"]![1]!["metric_interval_lower_bound"] = lower.ToString("R", CultureInfo.InvariantCulture);
                var result = ImportTf(state);
                var file = StackFile.Parse(StackYamlWriter.Write(result, StackFile.DefaultProject, "t"), "Pulumi.t.yaml", StackFile.DefaultProject);
                var side = JsonNode.Parse(file.Values["scaling"])!["policies"]![0]!["scaleOut"]!;
                return file.Diagnostics.IsEmpty
                    && Bits(side["alarm"]!["threshold"]!) == BitConverter.DoubleToInt64Bits(threshold)
                    && Bits(side["stepAdjustments"]![1]!["metricIntervalLowerBound"]!) == BitConverter.DoubleToInt64Bits(lower);
            },
            iter: 200);
    }

    [Test]
    public void Import_PlanWithASensitiveAlarmAction_ErrorWithoutTheValue()
    {
        var plan = BlogPlan();
        foreach (var values in Alarms(plan, "planned"))
        {
            values["alarm_actions"] = new JsonArray("arn:aws:sns:us-east-1:123456789012:secret-topic", null);
        }

        foreach (var resource in plan["planned_values"]!["root_module"]!["resources"]!.AsArray().Where(r => (string?)r!["type"] == TerraformReader.AlarmType))
        {
            resource!["sensitive_values"]!["alarm_actions"] = new JsonArray(true, false);
        }

        var result = ImportPlan(plan);

        Assert.That(Errors(result), Has.Some.Contains("alarm_actions[0] is marked sensitive"));
        Assert.That(result.Findings.Select(f => f.ToString()), Has.None.Contains("secret-topic"));
        Assert.That(result.Scaling, Is.Null);
    }

    [Test]
    public void Import_PlanWithPolicyNamespaceAndDimensionUnknown_TakenFromTheReferencedTarget()
    {
        var plan = BlogPlan();
        foreach (var resource in plan["planned_values"]!["root_module"]!["resources"]!.AsArray().Where(r => (string?)r!["type"] == TerraformReader.PolicyType))
        {
            var values = resource!["values"]!.AsObject();
            values.Remove("service_namespace");
            values.Remove("scalable_dimension");
            values.Remove("resource_id");
        }

        foreach (var change in plan["resource_changes"]!.AsArray().Where(r => (string?)r!["type"] == TerraformReader.PolicyType))
        {
            var unknown = change!["change"]!["after_unknown"]!.AsObject();
            unknown["service_namespace"] = true;
            unknown["scalable_dimension"] = true;
            unknown["resource_id"] = true;
        }

        var result = ImportPlan(plan);

        Assert.That(Errors(result), Is.Empty);
        Assert.That(result.Sources.Select(s => s.ScalingPolicy), Is.EquivalentTo(new[] { "scale-up", "scale-down" }));
    }

    /// <summary>The alarm lives in a child module that gets the policy ARN as an input variable from the root module.</summary>
    [Test]
    public void Import_PlanWithAlarmInAModuleGivenThePolicyArnAsAVariable_LinkedThroughTheModuleCall()
    {
        var plan = BlogPlan();
        var resources = plan["planned_values"]!["root_module"]!["resources"]!.AsArray();
        var alarm = resources.Single(r => (string?)r!["address"] == "aws_cloudwatch_metric_alarm.memory_high")!;
        resources.Remove(alarm);
        alarm["address"] = "module.alarms.aws_cloudwatch_metric_alarm.memory_high";
        plan["planned_values"]!["root_module"]!["child_modules"] = new JsonArray(new JsonObject { ["address"] = "module.alarms", ["resources"] = new JsonArray(alarm) });
        var change = plan["resource_changes"]!.AsArray().Single(r => (string?)r!["address"] == "aws_cloudwatch_metric_alarm.memory_high")!;
        change["address"] = "module.alarms.aws_cloudwatch_metric_alarm.memory_high";
        var configured = plan["configuration"]!["root_module"]!["resources"]!.AsArray();
        var alarmConfig = configured.Single(r => (string?)r!["address"] == "aws_cloudwatch_metric_alarm.memory_high")!;
        configured.Remove(alarmConfig);
        alarmConfig["expressions"]!["alarm_actions"] = new JsonObject { ["references"] = new JsonArray("var.scale_out_arn") };
        plan["configuration"]!["root_module"]!["module_calls"] = new JsonObject
        {
            ["alarms"] = new JsonObject
            {
                ["source"] = "./alarms",
                ["expressions"] = new JsonObject { ["scale_out_arn"] = new JsonObject { ["references"] = new JsonArray("aws_appautoscaling_policy.scale_up.arn", "aws_appautoscaling_policy.scale_up") } },
                ["module"] = new JsonObject { ["resources"] = new JsonArray(alarmConfig) },
            },
        };

        var result = ImportPlan(plan);

        Assert.That(result.Sources.Select(s => (s.Alarm, s.ScalingPolicy)), Is.EquivalentTo(new[] { ("web-memory-high", "scale-up"), ("web-memory-low", "scale-down") }));
    }
}
