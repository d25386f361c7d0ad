using System.Collections.Immutable;
using StepScaling.Config;
using StepScaling.Model;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>Stack files → config values → <see cref="StackConfig"/>: every shape problem is a diagnostic with a path.</summary>
public class ConfigMapperTests
{
    private const string ArnMessage = "must be the ARN of an SSM parameter (arn:aws:ssm:…:parameter/…) or a Secrets Manager secret (arn:aws:secretsmanager:…:secret:…), never the secret itself";

    private static IReadOnlyList<(string Path, string Message)> MapErrors(string projectKeys) => Errors(Map(projectKeys).Diagnostics);

    private static StackConfig MapOk(string projectKeys)
    {
        var result = Map(projectKeys);
        Assert.That(Errors(result.Diagnostics), Is.Empty);
        return result.Config!;
    }

    // ---- The repository's stacks ----

    [Test]
    public void Map_DevStack_ServiceNetworkAndRawRelativeSteps()
    {
        var result = StackConfigMapper.Map(StackFile.Load(Repo.DevStack).Values);

        Assert.That(result.Diagnostics, Is.EqualTo(new[] { HttpOnly }));
        var config = result.Config!;
        var service = config.Service;
        Assert.That((service.Name, service.Cpu, service.Memory, service.ContainerPort, service.AssignPublicIp, service.User), Is.EqualTo(("web", 256, 512, 8080, true, "10001:10001")));
        Assert.That(service.Build, Is.EqualTo(new ImageBuildSettings { Context = "app", Repository = new() { ForceDelete = true } }), "the Flask app in app/, built and pushed by the program");
        Assert.That(service.Environment, Is.Empty);
        Assert.That(service.Secrets, Is.Empty);
        Assert.That(service.HealthCheck!.Command, Is.EqualTo(new[] { "CMD", "python3", "/srv/app/healthcheck.py" }));
        Assert.That(config.Network, Is.EqualTo(new NetworkSettings { UseDefaultVpc = true }));
        Assert.That(config.FlapCheck, Is.EqualTo(FlapCheckMode.Warn));
        var policy = config.Scaling!.Policies.Single();
        Assert.That(policy.Metric, Is.EqualTo(Memory));
        Assert.That(policy.ScaleOut!.Steps, Is.EqualTo(new RelativeSteps(ComparisonOperator.GreaterThanThreshold, 10, [S(0, 10, 1), S(10, 25, 2), S(25, null, 3)])));
        Assert.That(policy.ScaleIn!.Steps, Is.EqualTo(new RelativeSteps(ComparisonOperator.LessThanOrEqualToThreshold, 10, [S(null, 0, -1)])));
        Assert.That(policy.ScaleIn.Path, Is.EqualTo(In0));
    }

    [Test]
    public void Map_ProdStack_BandsHealthCheckAndNetwork()
    {
        var result = StackConfigMapper.Map(StackFile.Load(Repo.ProdStack).Values);

        Assert.That(result.Diagnostics, Is.EqualTo(new[] { HttpOnly }));
        var config = result.Config!;
        Assert.That(config.FlapCheck, Is.EqualTo(FlapCheckMode.Error));
        Assert.That(config.Scaling!.FlapCheck, Is.EqualTo(FlapCheckMode.Error));
        Assert.That(config.Network, Is.EqualTo(new NetworkSettings { VpcCidr = "10.20.0.0/16", NatGateways = NatGatewayStrategy.OnePerAz }));
        Assert.That((config.Service.Cpu, config.Service.Memory, config.Service.LogRetentionDays), Is.EqualTo((512, 1024, 90)));
        Assert.That(config.Service.HealthCheck!.Command, Is.EqualTo(new[] { "CMD-SHELL", "curl -fs http://localhost:8080/ || exit 1" }));
        Assert.That(config.Service.HealthCheck.StartPeriod, Is.EqualTo(10));
        Assert.That(config.Scaling.Policies.Select(p => p.Name), Is.EqualTo(new[] { "cpu", "memory" }));
        Assert.That(config.Scaling.Policies[0].ScaleOut!.Steps, Is.EqualTo(new BandSteps([B(70, 85, 1), B(85, null, 3)])));
        Assert.That(config.Scaling.Policies[0].ScaleIn!.EvaluationPeriods, Is.EqualTo(3));
        Assert.That(config.Scaling.Policies[0].ScaleIn!.DatapointsToAlarm, Is.EqualTo(3));
    }

    [Test]
    public void Map_NoKeys_DefaultsAndNoScaling()
    {
        var result = StackConfigMapper.Map(ImmutableDictionary<string, string>.Empty);

        Assert.That(result.Diagnostics, Is.EqualTo(new[] { HttpOnly }));
        Assert.That(result.Config!.Service, Is.EqualTo(new ServiceSettings()));
        Assert.That(result.Config.Network, Is.EqualTo(new NetworkSettings()));
        Assert.That(result.Config.Scaling, Is.Null);
    }

    [Test]
    public void Map_ScalingEnabledFalse_ScalingIsOffWithAWarning()
    {
        var result = Map("""
            scaling:
              enabled: false
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut:
                    bands: [{ from: 70, change: 1 }]
            """);

        Assert.That(Errors(result.Diagnostics), Is.Empty);
        Assert.That(result.Config!.Scaling, Is.Null);
        Assert.That(Warnings(ExceptHttpOnly(result.Diagnostics)), Is.EqualTo(new[] { ("scaling.enabled", "is false: scaling is off, and the policy under scaling.policies is neither checked nor deployed") }));
    }

    [Test]
    public void Map_SideDefaults_LeftForTheNormalizer()
    {
        var config = MapOk("""
            scaling:
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut:
                    bands: [{ from: 70, change: 1 }]
            """);

        var side = config.Scaling!.Policies[0].ScaleOut!;
        Assert.That(side with { Steps = new BandSteps([]) }, Is.EqualTo(new SideDefinition { Path = Out0, Steps = new BandSteps([]) }));
        Assert.That((config.Scaling.MinCapacity, config.Scaling.MaxCapacity), Is.EqualTo((Defaults.MinCapacity, Defaults.MaxCapacity)));
    }

    [Test]
    public void Map_EverySideKey_Mapped()
    {
        var config = MapOk("""
            scaling:
              policies:
                - name: queue
                  metric: { kind: cloudwatch, namespace: AWS/SQS, name: ApproximateNumberOfMessagesVisible, dimensions: { QueueName: jobs }, unit: Count }
                  statistic: Maximum
                  period: 120
                  loadModel: independent
                  loadRatio: 0.5
                  scaleOut:
                    evaluationPeriods: 3
                    datapointsToAlarm: 2
                    treatMissingData: notBreaching
                    cooldown: 30
                    adjustmentType: PercentChangeInCapacity
                    minAdjustmentMagnitude: 2
                    metricAggregationType: Maximum
                    bands: [{ from: 100, change: 50 }]
            """);

        var policy = config.Scaling!.Policies[0];
        Assert.That(policy.Metric, Is.EqualTo(new CloudWatchMetric("AWS/SQS", "ApproximateNumberOfMessagesVisible", ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("QueueName", "jobs")]), "Count")));
        Assert.That((policy.Statistic, policy.Period, policy.LoadModel, policy.LoadRatio), Is.EqualTo(("Maximum", 120, (LoadModel?)LoadModel.Independent, 0.5)));
        Assert.That(policy.ScaleOut, Is.EqualTo(new SideDefinition
        {
            Path = Out0,
            Steps = new BandSteps([B(100, null, 50)]),
            EvaluationPeriods = 3,
            DatapointsToAlarm = 2,
            TreatMissingData = TreatMissingData.NotBreaching,
            Cooldown = 30,
            AdjustmentType = AdjustmentType.PercentChangeInCapacity,
            MinAdjustmentMagnitude = 2,
            MetricAggregationType = MetricAggregationType.Maximum,
        }));
    }

    [Test]
    public void Map_MetricKinds_EachMapped()
    {
        var config = MapOk("""
            scaling:
              policies:
                - name: rps
                  metric: RequestCountPerTarget
                  scaleOut: { bands: [{ from: 1000, change: 1 }] }
                - name: rps2
                  metric: { kind: albRequestCountPerTarget, targetGroup: targetgroup/web/0123456789abcdef }
                  scaleOut: { bands: [{ from: 1000, change: 1 }] }
                - name: ecs
                  metric: { kind: ecs, name: MemoryUtilization }
                  scaleOut: { bands: [{ from: 80, change: 1 }] }
                - name: math
                  metric:
                    kind: math
                    queries:
                      - { id: m1, metric: { namespace: AWS/SQS, name: Visible, stat: Sum, period: 300 } }
                      - { id: e1, expression: m1 / 10, label: backlog, returnData: true }
                  scaleOut: { bands: [{ from: 5, change: 1 }] }
            """);

        var metrics = config.Scaling!.Policies.Select(p => p.Metric).ToList();
        Assert.That(metrics[0], Is.EqualTo(new AlbRequestCountPerTargetMetric(null)));
        Assert.That(metrics[1], Is.EqualTo(new AlbRequestCountPerTargetMetric("targetgroup/web/0123456789abcdef")));
        Assert.That(metrics[2], Is.EqualTo(Memory));
        Assert.That(metrics[3], Is.EqualTo(new MetricMathMetric(
        [
            new MetricQuery { Id = "m1", Metric = new MetricStat { Namespace = "AWS/SQS", MetricName = "Visible", Stat = "Sum", Period = 300 } },
            new MetricQuery { Id = "e1", Expression = "m1 / 10", Label = "backlog", ReturnData = true },
        ])));
        Assert.That(metrics[3].DisplayName, Is.EqualTo("backlog"));
    }

    // ---- Unknown keys ----

    [Test]
    public void Map_UnknownTopLevelKey_ErrorListsTheKnownKeys()
    {
        var errors = Errors(StackConfigMapper.Map(new Dictionary<string, string> { ["scalling"] = "{}" }).Diagnostics);

        Assert.That(errors, Is.EqualTo(new[] { ("scalling", "unknown config key 'scalling' (known keys: service, network, scaling, flapCheck, loadBalancer, alerts, acknowledge)") }));
    }

    [Test]
    public void Map_UnknownTopLevelKeyWhenNotReported_Ignored()
    {
        var result = StackConfigMapper.Map(new Dictionary<string, string> { ["scalling"] = "{}" }, reportUnknownKeys: false);

        Assert.That(ExceptHttpOnly(result.Diagnostics), Is.Empty);
    }

    [Test]
    public void Map_MisspelledScalingKey_DidYouMean()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  minCapcity: 1
                """),
            Is.EqualTo(new[] { ("scaling.minCapcity", "unknown key 'minCapcity'; did you mean 'minCapacity'?") }));
    }

    [Test]
    public void Map_MisspelledSideKeyInAnyCase_DidYouMean()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleOut:
                        CoolDwn: 30
                        bands: [{ from: 70, change: 1 }]
                """),
            Is.EqualTo(new[] { ("scaling.policies[0].scaleOut.CoolDwn", "unknown key 'CoolDwn'; did you mean 'cooldown'?") }));
    }

    [Test]
    public void Map_MisspelledBandKey_DidYouMean()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleOut:
                        bands: [{ form: 70, change: 1 }]
                """),
            Has.Member(("scaling.policies[0].scaleOut.bands[0].form", "unknown key 'form'; did you mean 'from'?")));
    }

    [Test]
    public void Map_UnknownKeyFarFromAnyKnown_ListsTheKnownKeys()
    {
        Assert.That(
            MapErrors("""
                network:
                  subnets: 3
                """),
            Is.EqualTo(new[] { ("network.subnets", "unknown key 'subnets' (known keys: natGateways, useDefaultVpc, vpcCidr)") }));
    }

    [Test]
    public void Map_UnknownServiceKey_DidYouMean()
    {
        Assert.That(
            MapErrors("""
                service:
                  memmory: 512
                """),
            Is.EqualTo(new[] { ("service.memmory", "unknown key 'memmory'; did you mean 'memory'?") }));
    }

    // ---- Wrong types ----

    [TestCase("scaling:\n  minCapacity: two", "scaling.minCapacity", "must be a number; got 'two'", TestName = "Map_TextWhereANumberGoes_Error")]
    [TestCase("scaling:\n  minCapacity: 1.5", "scaling.minCapacity", "must be a whole number from 0 to 10000; got 1.5", TestName = "Map_FractionWhereAWholeNumberGoes_Error")]
    [TestCase("service:\n  cpu: true", "service.cpu", "must be a number; got a boolean (true)", TestName = "Map_BooleanWhereANumberGoes_Error")]
    [TestCase("service:\n  containerPort: 70000", "service.containerPort", "must be a whole number from 1 to 65535; got 70000", TestName = "Map_PortOutOfRange_Error")]
    [TestCase("scaling:\n  policies: { name: cpu }", "scaling.policies", "must be a list; got a mapping", TestName = "Map_MappingWhereAListGoes_Error")]
    [TestCase("service: [web]", "service", "must be a mapping (key: value pairs); got a list", TestName = "Map_ListWhereAMappingGoes_Error")]
    [TestCase("network: default", "network", "must be a mapping (key: value pairs); got text 'default'", TestName = "Map_TextWhereAMappingGoes_Error")]
    [TestCase("scaling:\n  policies: [cpu]", "scaling.policies[0]", "must be a mapping (key: value pairs); got text 'cpu'", TestName = "Map_PolicyThatIsNotAMapping_Error")]
    [TestCase("service:\n  assignPublicIp: maybe", "service.assignPublicIp", "must be true or false; got text 'maybe'", TestName = "Map_NonBooleanFlag_Error")]
    [TestCase("service:\n  environment: { MODE: [a] }", "service.environment.MODE", "must be text; got a list", TestName = "Map_EnvironmentValueThatIsAList_Error")]
    [TestCase("service:\n  name: 123", "service.name", "must be 1 to 32 letters, digits, '-' or '_', starting with a letter; got '123'", TestName = "Map_NumericServiceName_ReadAsTextThenRejected")]
    [TestCase("scaling:\n  maxCapacity: .inf", "scaling.maxCapacity", "must be a finite number; got .inf", TestName = "Map_InfiniteCapacity_FiniteNumberError")]
    [TestCase("flapCheck: loud", "flapCheck", "must be one of warn, error, off; got 'loud'", TestName = "Map_FlapCheckUnknown_Error")]
    [TestCase("service:\n  environment: { \"MY-VAR\": x }", "service.environment.MY-VAR", "is not a valid environment variable name (letters, digits and '_', not starting with a digit); got 'MY-VAR'", TestName = "Map_BadEnvironmentVariableName_Error")]
    public void Map_OneBadValue_OneErrorNamingPathRuleAndValue(string yaml, string path, string message)
    {
        Assert.That(MapErrors(yaml), Is.EqualTo(new[] { (path, message) }));
    }

    [Test]
    public void Map_QuotedNumber_Accepted()
    {
        Assert.That(MapOk("service:\n  cpu: \"512\"\n  memory: '1024'").Service.Cpu, Is.EqualTo(512));
    }

    [Test]
    public void Map_QuotedBoolean_Accepted()
    {
        Assert.That(MapOk("service:\n  assignPublicIp: \"true\"").Service.AssignPublicIp, Is.True);
    }

    [Test]
    public void Map_ListItemsThatAreNotText_ErrorPerItem()
    {
        Assert.That(MapErrors("service:\n  command: [run, 1, [x]]"), Is.EqualTo(new[]
        {
            ("service.command[1]", "must be text; got the number 1"),
            ("service.command[2]", "must be text; got a list"),
        }));
    }

    [Test]
    public void Map_EnvironmentNumbersAndBooleans_KeptAsText()
    {
        var env = MapOk("service:\n  environment: { PORT: 8080, DEBUG: false, NAME: web }").Service.Environment;

        Assert.That(env, Is.EqualTo(new Dictionary<string, string> { ["DEBUG"] = "false", ["NAME"] = "web", ["PORT"] = "8080" }));
    }

    [Test]
    public void Map_BadEnumValue_ErrorListsTheChoices()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleOut:
                        treatMissingData: sometimes
                        adjustmentType: Percent
                        bands: [{ from: 70, change: 1 }]
                """),
            Is.EqualTo(new[]
            {
                ("scaling.policies[0].scaleOut.treatMissingData", "must be one of missing, ignore, breaching, notBreaching; got 'sometimes'"),
                ("scaling.policies[0].scaleOut.adjustmentType", "must be one of ChangeInCapacity, PercentChangeInCapacity, ExactCapacity; got 'Percent'"),
            }));
    }

    [Test]
    public void Map_EnumInAnotherCase_Accepted()
    {
        Assert.That(MapOk("network:\n  natGateways: ONEPERAZ").Network.NatGateways, Is.EqualTo(NatGatewayStrategy.OnePerAz));
    }

    [Test]
    public void Map_InvalidJsonValue_Error()
    {
        var errors = Errors(StackConfigMapper.Map(new Dictionary<string, string> { ["scaling"] = "{ not json" }).Diagnostics);

        Assert.That(errors.Single().Path, Is.EqualTo("scaling"));
        Assert.That(errors.Single().Message, Does.StartWith("is not valid JSON: "));
    }

    // ---- Non-finite numbers ----

    [TestCase(".inf")]
    [TestCase(".nan")]
    [TestCase("-.inf")]
    [TestCase(".NaN")]
    [TestCase("1e400")]
    [TestCase("-1e400")]
    public void Map_NonFiniteThreshold_FiniteNumberError(string literal)
    {
        Assert.That(
            MapErrors($$"""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleOut:
                        alarm: { comparisonOperator: GreaterThanThreshold, threshold: {{literal}} }
                        stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }]
                """),
            Is.EqualTo(new[] { ("scaling.policies[0].scaleOut.alarm.threshold", $"must be a finite number; got {literal}") }));
    }

    [Test]
    public void Map_InfiniteBandEdge_FiniteNumberError()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleIn:
                        bands: [{ from: -.inf, to: 30, change: -1 }]
                """),
            Is.EqualTo(new[] { ("scaling.policies[0].scaleIn.bands[0].from", "must be a finite number; got -.inf") }));
    }

    [Test]
    public void Map_InfiniteLoadRatio_FiniteNumberError()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      loadRatio: .inf
                      scaleOut: { bands: [{ from: 70, change: 1 }] }
                """),
            Is.EqualTo(new[] { ("scaling.policies[0].loadRatio", "must be a finite number; got .inf") }));
    }

    // ---- Policies and sides ----

    [Test]
    public void Map_PolicyWithoutNameOrMetric_TwoErrors()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - scaleOut: { bands: [{ from: 70, change: 1 }] }
                """),
            Is.EqualTo(new[]
            {
                ("scaling.policies[0].name", "is required: a short name for the policy, e.g. memory"),
                ("scaling.policies[0].metric", "is required: CPUUtilization, MemoryUtilization, RequestCountPerTarget, or a mapping with 'kind'"),
            }));
    }

    [Test]
    public void Map_UnknownMetricShorthand_Error()
    {
        Assert.That(
            MapErrors("scaling:\n  policies:\n    - { name: lat, metric: Latency, scaleOut: { bands: [{ from: 1, change: 1 }] } }"),
            Is.EqualTo(new[] { ("scaling.policies[0].metric", "as text, must be CPUUtilization, MemoryUtilization or RequestCountPerTarget; got 'Latency' (use a mapping with kind: cloudwatch for any other metric)") }));
    }

    [Test]
    public void Map_MetricWithoutKind_Error()
    {
        Assert.That(
            MapErrors("scaling:\n  policies:\n    - { name: q, metric: { name: Visible }, scaleOut: { bands: [{ from: 1, change: 1 }] } }"),
            Has.Member(("scaling.policies[0].metric.kind", "is required: ecs, albRequestCountPerTarget, cloudwatch or math")));
    }

    [Test]
    public void Map_MetricWithUnknownKind_Error()
    {
        Assert.That(
            MapErrors("scaling:\n  policies:\n    - { name: q, metric: { kind: sqs }, scaleOut: { bands: [{ from: 1, change: 1 }] } }"),
            Is.EqualTo(new[] { ("scaling.policies[0].metric.kind", "must be one of ecs, albRequestCountPerTarget, cloudwatch, math; got 'sqs'") }));
    }

    [Test]
    public void Map_SideWithNeitherForm_Error()
    {
        Assert.That(
            MapErrors("scaling:\n  policies:\n    - { name: cpu, metric: CPUUtilization, scaleOut: { cooldown: 60 } }"),
            Is.EqualTo(new[] { (Out0, "needs bands (absolute values, e.g. - { from: 20, to: 35, change: 2 }) or stepAdjustments with an alarm (relative, as in Terraform)") }));
    }

    [Test]
    public void Map_SideWithBothForms_Error()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleOut:
                        bands: [{ from: 70, change: 1 }]
                        stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }]
                """),
            Is.EqualTo(new[] { (Out0, "give either bands (absolute values) or stepAdjustments (relative to alarm.threshold), not both") }));
    }

    [Test]
    public void Map_BandsWithAnAlarm_Error()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleOut:
                        alarm: { comparisonOperator: GreaterThanThreshold, threshold: 70 }
                        bands: [{ from: 70, change: 1 }]
                """),
            Is.EqualTo(new[] { ($"{Out0}.alarm", "bands derive the alarm's threshold and comparison; remove 'alarm', or write stepAdjustments relative to it") }));
    }

    [Test]
    public void Map_StepAdjustmentsWithoutAlarm_Error()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleOut:
                        stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }]
                """),
            Is.EqualTo(new[] { ($"{Out0}.alarm", "is required with stepAdjustments: { comparisonOperator, threshold }, because the bounds are relative to the threshold") }));
    }

    [Test]
    public void Map_AlarmWithoutComparisonOrThreshold_TwoErrors()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleOut:
                        alarm: {}
                        stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }]
                """),
            Is.EqualTo(new[]
            {
                ($"{Out0}.alarm.comparisonOperator", "is required: GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold"),
                ($"{Out0}.alarm.threshold", "is required"),
            }));
    }

    [Test]
    public void Map_BandWithoutChange_Error()
    {
        Assert.That(
            MapErrors("scaling:\n  policies:\n    - { name: cpu, metric: CPUUtilization, scaleOut: { bands: [{ from: 70 }] } }"),
            Is.EqualTo(new[] { ($"{Out0}.bands[0].change", "is required: the capacity change for this band, e.g. 2 or -1") }));
    }

    [Test]
    public void Map_StepWithoutScalingAdjustment_Error()
    {
        Assert.That(
            MapErrors("""
                scaling:
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      scaleOut:
                        alarm: { comparisonOperator: GreaterThanThreshold, threshold: 70 }
                        stepAdjustments: [{ metricIntervalLowerBound: 0 }]
                """),
            Is.EqualTo(new[] { ($"{Out0}.stepAdjustments[0].scalingAdjustment", "is required") }));
    }

    [Test]
    public void Map_FlapCheckOff_CarriedIntoScaling()
    {
        var config = MapOk("flapCheck: off\nscaling:\n  minCapacity: 2");

        Assert.That(config.FlapCheck, Is.EqualTo(FlapCheckMode.Off));
        Assert.That(config.Scaling!.FlapCheck, Is.EqualTo(FlapCheckMode.Off));
    }

    // ---- Service rules: Fargate sizes, log retention, secrets ----

    [TestCase(256, 512)]
    [TestCase(256, 2048)]
    [TestCase(512, 4096)]
    [TestCase(1024, 2048)]
    [TestCase(2048, 16384)]
    [TestCase(4096, 30720)]
    [TestCase(8192, 61440)]
    [TestCase(16384, 122880)]
    public void Map_FargateSizeFromTheTable_Valid(int cpu, int memory)
    {
        Assert.That(MapErrors($"service:\n  cpu: {cpu}\n  memory: {memory}"), Is.Empty);
    }

    [TestCase(256, 4096, "512, 1024 or 2048")]
    [TestCase(512, 1536, "1024 to 4096 in steps of 1024")]
    [TestCase(1024, 1024, "2048 to 8192 in steps of 1024")]
    [TestCase(8192, 18432, "16384 to 61440 in steps of 4096")]
    [TestCase(16384, 24576, "32768 to 122880 in steps of 8192")]
    public void Map_MemoryNotAllowedWithTheCpu_ErrorDescribesTheChoices(int cpu, int memory, string allowed)
    {
        Assert.That(
            MapErrors($"service:\n  cpu: {cpu}\n  memory: {memory}"),
            Is.EqualTo(new[] { ("service.memory", $"with cpu {cpu}, Fargate memory must be {allowed} MiB; got {memory}") }));
    }

    [Test]
    public void Map_CpuNotAFargateValue_Error()
    {
        Assert.That(
            MapErrors("service:\n  cpu: 300"),
            Is.EqualTo(new[] { ("service.cpu", "must be a Fargate CPU value (256, 512, 1024, 2048, 4096, 8192, 16384); got 300") }));
    }

    [TestCase(1)]
    [TestCase(30)]
    [TestCase(90)]
    [TestCase(3653)]
    public void Map_LogRetentionAllowedByCloudWatch_Valid(int days)
    {
        Assert.That(MapOk($"service:\n  logRetentionDays: {days}").Service.LogRetentionDays, Is.EqualTo(days));
    }

    [TestCase(31)]
    [TestCase(3650)]
    public void Map_LogRetentionNotAllowedByCloudWatch_Error(int days)
    {
        Assert.That(
            MapErrors($"service:\n  logRetentionDays: {days}"),
            Is.EqualTo(new[] { ("service.logRetentionDays", $"must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got {days}") }));
    }

    [TestCase("arn:aws:ssm:us-east-1:123456789012:parameter/web/db-url")]
    [TestCase("arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/db-AbCdEf")]
    [TestCase("arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/x")]
    public void Map_SecretArn_Valid(string arn)
    {
        Assert.That(MapOk($"service:\n  secrets:\n    DB_PASSWORD: \"{arn}\"").Service.Secrets["DB_PASSWORD"], Is.EqualTo(arn));
    }

    [TestCase("hunter2")]
    [TestCase("arn:aws:ssm:us-east-1:12345:parameter/x")]
    [TestCase("arn:aws:s3:::bucket/key")]
    [TestCase("arn:aws:secretsmanager:us-east-1:123456789012:parameter/x")]
    public void Map_SecretThatIsNotAnArn_Error(string value)
    {
        Assert.That(MapErrors($"service:\n  secrets:\n    DB_PASSWORD: \"{value}\""), Is.EqualTo(new[] { ("service.secrets.DB_PASSWORD", ArnMessage) }));
    }

    [Test]
    public void Map_SecretWithABadVariableName_Error()
    {
        Assert.That(
            MapErrors("service:\n  secrets:\n    1BAD: \"arn:aws:ssm:us-east-1:123456789012:parameter/x\""),
            Is.EqualTo(new[] { ("service.secrets.1BAD", "is not a valid environment variable name (letters, digits and '_', not starting with a digit); got '1BAD'") }));
    }

    [Test]
    public void Map_SecretAlsoPlainVariable_Error()
    {
        Assert.That(
            MapErrors("service:\n  environment: { DB_URL: x }\n  secrets:\n    DB_URL: \"arn:aws:ssm:us-east-1:123456789012:parameter/x\""),
            Is.EqualTo(new[] { ("service.secrets.DB_URL", "is also a plain environment variable; a name can be one or the other") }));
    }

    [TestCase("API_KEY")]
    [TestCase("db_password")]
    [TestCase("GITHUB_TOKEN")]
    [TestCase("AWS_SECRET_ACCESS_KEY")]
    public void Map_SecretLookingEnvironmentVariable_Error(string name)
    {
        Assert.That(
            MapErrors($"service:\n  environment:\n    {name}: x"),
            Is.EqualTo(new[] { ($"service.environment.{name}", "looks like a secret: plain environment values are visible in the task definition; put it under service.secrets as an SSM parameter or Secrets Manager ARN") }));
    }

    [Test]
    public void Map_BadServiceNameAndEmptyImage_BothReported()
    {
        Assert.That(MapErrors("service:\n  name: my app\n  image: ''"), Is.EqualTo(new[]
        {
            ("service.name", "must be 1 to 32 letters, digits, '-' or '_', starting with a letter; got 'my app'"),
            ("service.image", "must name a container image, e.g. public.ecr.aws/nginx/nginx:stable"),
        }));
    }

    [Test]
    public void Map_HealthCheckWithoutCommandAndIntervalTooLong_BothReported()
    {
        Assert.That(MapErrors("service:\n  healthCheck: { interval: 301 }"), Is.EqualTo(new[]
        {
            ("service.healthCheck.interval", "must be a whole number from 5 to 300 seconds; got 301"),
            ("service.healthCheck.command", "is required: the health-check command, e.g. [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]"),
        }));
    }

    [TestCase("10.0.0.0/8")]
    [TestCase("10.0.0.0/25")]
    [TestCase("256.0.0.0/16")]
    [TestCase("10.0.0/16")]
    public void Map_VpcCidrOutOfRange_Error(string cidr)
    {
        Assert.That(
            MapErrors($"network:\n  vpcCidr: \"{cidr}\""),
            Is.EqualTo(new[] { ("network.vpcCidr", $"must be an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16; got '{cidr}'") }));
    }

    [Test]
    public void Map_DefaultVpcWithoutPublicIp_Warning()
    {
        var result = Map("network:\n  useDefaultVpc: true");

        Assert.That(result.Config, Is.Not.Null);
        Assert.That(Warnings(result.Diagnostics), Is.EqualTo(new[]
        {
            ("service.assignPublicIp", "is false while network.useDefaultVpc is true: the default VPC has no NAT gateway, so tasks without a public IP cannot pull their image"),
            (HttpOnly.Path, HttpOnly.Message),
        }));
    }

    [Test]
    public void Map_ManyProblems_AllReportedAndNoConfig()
    {
        var result = Map("""
            service:
              cpu: 300
              memmory: 512
            network:
              vpcCidr: nope
            flapCheck: loud
            scaling:
              minCapacity: two
            """);

        Assert.That(result.Config, Is.Null);
        Assert.That(Errors(result.Diagnostics).Select(e => e.Path), Is.EquivalentTo(new[] { "service.memmory", "service.cpu", "network.vpcCidr", "flapCheck", "scaling.minCapacity" }));
    }
}

/// <summary>Reading the stack file itself: YAML problems are diagnostics, never exceptions.</summary>
public class StackFileTests
{
    [TestCase("config:\n  step-scaled-ecs:scaling: [1, 2\n", "Pulumi.test.yaml:3:1", "malformed YAML: While parsing a flow sequence, did not find expected ',' or ']'.")]
    [TestCase("config:\n  step-scaled-ecs:service: \"web\n", "Pulumi.test.yaml:2:28", "malformed YAML: While scanning a quoted scalar, found unexpected end of stream.")]
    [TestCase("config:\n  step-scaled-ecs:flapCheck: a: b\n", "Pulumi.test.yaml:2:31", "malformed YAML: While scanning a plain scalar value, found invalid mapping.")]
    public void Parse_MalformedYaml_DiagnosticWithLineAndColumn(string text, string path, string message)
    {
        var file = ParseStack(text);

        Assert.That(file.Diagnostics.Select(d => (d.Severity, d.Path, d.Message)), Is.EqualTo(new[] { (Validation.Severity.Error, path, message) }));
        Assert.That(file.Values, Is.Empty);
    }

    [TestCase("config:\n  step-scaled-ecs:scaling: [1, 2\n  other: x\n")]
    [TestCase("config:\n  step-scaled-ecs:scaling: {minCapacity: 1\n  other: 2\n")]
    public void Parse_UnclosedFlowCollectionFollowedByAKey_DiagnosticNotException(string text)
    {
        // YamlDotNet throws InvalidOperationException, not YamlException, for these.
        var file = ParseStack(text);

        var error = file.Diagnostics.Single();
        Assert.That((error.Severity, error.Path), Is.EqualTo((Validation.Severity.Error, "Pulumi.test.yaml")));
        Assert.That(error.Message, Does.StartWith("malformed YAML: the parser gave up (").And.EndWith("); look for an unclosed '[' or '{'"));
    }

    [Test]
    public void Parse_TabIndentation_Diagnostic()
    {
        var file = ParseStack("config:\n\tstep-scaled-ecs:flapCheck: warn\n");

        Assert.That(file.Diagnostics.Single().Message, Does.StartWith("malformed YAML: "));
    }

    [TestCase("")]
    [TestCase("# only a comment\n")]
    [TestCase("config:\n")]
    public void Parse_EmptyDocumentOrConfig_NoValuesNoDiagnostics(string text)
    {
        var file = ParseStack(text);

        Assert.That(file.Values, Is.Empty);
        Assert.That(file.Diagnostics, Is.Empty);
    }

    [Test]
    public void Parse_RootIsAList_Error()
    {
        Assert.That(ParseStack("- a\n- b\n").Diagnostics.Select(d => (d.Path, d.Message)), Is.EqualTo(new[] { ("Pulumi.test.yaml", "a stack file must be a mapping with a 'config' key") }));
    }

    [Test]
    public void Parse_ConfigIsAScalar_Error()
    {
        Assert.That(ParseStack("config: 5\n").Diagnostics.Select(d => (d.Path, d.Message)), Is.EqualTo(new[] { ("config", "must be a mapping of 'namespace:key' to values") }));
    }

    [Test]
    public void Parse_SecureValue_ErrorBecauseNothingReadsSecrets()
    {
        var file = ParseStack("config:\n  step-scaled-ecs:service:\n    secure: AAABAF5=\n");

        Assert.That(file.Diagnostics.Select(d => (d.Path, d.Message)), Is.EqualTo(new[] { ("service", "is a Pulumi secret: this project reads no secret config values (service.secrets takes ARNs)") }));
        Assert.That(file.Values, Is.Empty);
    }

    [Test]
    public void Parse_OtherNamespacesIgnored_BareKeyRefusedAsPulumiRefusesIt()
    {
        var file = ParseStack("config:\n  aws:region: us-east-1\n  other:thing: 1\n  flapCheck: off\n  step-scaled-ecs:network:\n    useDefaultVpc: true\n");

        Assert.That(file.Values.Keys, Is.EqualTo(new[] { "network" }));
        Assert.That(file.Values["network"], Is.EqualTo("{\"useDefaultVpc\":true}"));
        Assert.That(Errors(file.Diagnostics), Is.EqualTo(new[] { ("flapCheck", "has no namespace, so Pulumi refuses this stack file: a config key is '<namespace>:<name>'; write 'step-scaled-ecs:flapCheck'") }));
    }

    [Test]
    public void Parse_OtherTopLevelKeys_Ignored()
    {
        var file = ParseStack("encryptionsalt: v1:abc\nconfig:\n  step-scaled-ecs:flapCheck: error\n");

        Assert.That(file.Diagnostics, Is.Empty);
        Assert.That(file.Values["flapCheck"], Is.EqualTo("error"));
    }

    [Test]
    public void ToJson_PlainScalars_TypedAsPulumisYamlReaderTypesThem()
    {
        var file = ParseStack("config:\n  step-scaled-ecs:service:\n    a: 10\n    b: \"10\"\n    c: true\n    d: ~\n    e: 1.50\n    f: 1e400\n    g: .inf\n    h: +5\n");

        // yaml.v3: 1.50 is the float 1.5; 1e400 overflows ParseFloat and stays text; .inf is kept as text and reported.
        Assert.That(file.Values["service"], Is.EqualTo("{\"a\":10,\"b\":\"10\",\"c\":true,\"d\":null,\"e\":1.5,\"f\":\"1e400\",\"g\":\".inf\",\"h\":5}"));
        Assert.That(Errors(file.Diagnostics), Is.EqualTo(new[] { ("service.g", "is .inf, which Pulumi reads as a float that JSON cannot hold, so Pulumi cannot load the stack file; use a finite number") }));
    }

    [TestCase("Pulumi.prod.yaml", "prod")]
    [TestCase("stacks/Pulumi.my-stack.yml", "my-stack")]
    [TestCase("other.yaml", "other")]
    public void StackNameFromPath_FileName_StackName(string path, string expected)
    {
        Assert.That(StackFile.StackNameFromPath(path), Is.EqualTo(expected));
    }

    [Test]
    public void Load_ProjectNameFromPulumiYamlBesideIt_UsedAsTheNamespace()
    {
        var dir = Directory.CreateTempSubdirectory("stepscaling-tests-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "Pulumi.yaml"), "name: other-project\nruntime: dotnet\n");
            var path = Path.Combine(dir.FullName, "Pulumi.qa.yaml");
            File.WriteAllText(path, "config:\n  other-project:flapCheck: off\n  step-scaled-ecs:flapCheck: error\n");

            var file = StackFile.Load(path);

            Assert.That((file.Stack, file.Project), Is.EqualTo(("qa", "other-project")));
            Assert.That(file.Values, Is.EqualTo(new Dictionary<string, string> { ["flapCheck"] = "off" }));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Load_NoPulumiYamlBesideIt_DefaultProject()
    {
        var dir = Directory.CreateTempSubdirectory("stepscaling-tests-");
        try
        {
            var path = Path.Combine(dir.FullName, "Pulumi.qa.yaml");
            File.WriteAllText(path, "config:\n  step-scaled-ecs:flapCheck: error\n");

            Assert.That(StackFile.Load(path).Project, Is.EqualTo(StackFile.DefaultProject));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Load_MalformedPulumiYamlBesideIt_DefaultProject()
    {
        var dir = Directory.CreateTempSubdirectory("stepscaling-tests-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "Pulumi.yaml"), "name: [a, b\nruntime: dotnet\n");
            var path = Path.Combine(dir.FullName, "Pulumi.qa.yaml");
            File.WriteAllText(path, "config:\n  step-scaled-ecs:flapCheck: error\n");

            var file = StackFile.Load(path);

            Assert.That(file.Project, Is.EqualTo(StackFile.DefaultProject));
            Assert.That(file.Values["flapCheck"], Is.EqualTo("error"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Load_RepositoryStacks_ReadTheProjectNameFromPulumiYaml()
    {
        var file = StackFile.Load(Repo.DevStack);

        Assert.That((file.Stack, file.Project), Is.EqualTo(("dev", "step-scaled-ecs")));
        Assert.That(file.Values.Keys, Is.EqualTo(new[] { "loadBalancer", "network", "scaling", "service" }));
        Assert.That(file.Diagnostics, Is.Empty);
    }

    [Test]
    public void Load_MissingFile_ThrowsIOException()
    {
        Assert.That(() => StackFile.Load(Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "Pulumi.x.yaml")), Throws.InstanceOf<IOException>());
    }
}

public class FargateSizesTests
{
    [Test]
    public void MemoryFor_EachCpu_MatchesTheAwsTable()
    {
        Assert.That(FargateSizes.MemoryFor(256), Is.EqualTo(new[] { 512, 1024, 2048 }));
        Assert.That(FargateSizes.MemoryFor(512), Is.EqualTo(new[] { 1024, 2048, 3072, 4096 }));
        Assert.That(FargateSizes.MemoryFor(1024), Has.Count.EqualTo(7).And.Contains(2048).And.Contains(8192));
        Assert.That(FargateSizes.MemoryFor(2048), Has.Count.EqualTo(13).And.Contains(4096).And.Contains(16384));
        Assert.That(FargateSizes.MemoryFor(4096), Has.Count.EqualTo(23).And.Contains(8192).And.Contains(30720));
        Assert.That(FargateSizes.MemoryFor(8192), Has.Count.EqualTo(12).And.Contains(16384).And.Contains(61440).And.Not.Contains(17408));
        Assert.That(FargateSizes.MemoryFor(16384), Has.Count.EqualTo(12).And.Contains(32768).And.Contains(122880).And.Not.Contains(36864));
    }

    [Test]
    public void MemoryFor_UnknownCpu_Empty()
    {
        Assert.That(FargateSizes.MemoryFor(300), Is.Empty);
        Assert.That(FargateSizes.IsValid(300, 512), Is.False);
        Assert.That(FargateSizes.DescribeMemory(300), Is.EqualTo("none"));
    }

    [Test]
    public void CpuValues_AllSevenSizes()
    {
        Assert.That(FargateSizes.CpuValues, Is.EqualTo(new[] { 256, 512, 1024, 2048, 4096, 8192, 16384 }));
    }

    [TestCase("Warn", FlapCheckMode.Warn)]
    [TestCase("ERROR", FlapCheckMode.Error)]
    [TestCase(" off ", FlapCheckMode.Off)]
    public void Map_FlapCheckInAnyCase_Accepted(string text, FlapCheckMode expected)
    {
        Assert.That(StackConfigMapper.Map(new Dictionary<string, string> { ["flapCheck"] = text }).Config!.FlapCheck, Is.EqualTo(expected));
    }
}
