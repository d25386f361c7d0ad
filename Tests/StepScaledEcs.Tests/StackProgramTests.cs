using Pulumi;
using StepScaling.Config;
using static StepScaledEcs.Tests.Inputs;

namespace StepScaledEcs.Tests;

[TestFixture]
[NonParallelizable] // Pulumi's Deployment is process-global: mock tests must run one at a time.
public sealed class StackProgramTests
{
    private const string PolicyType = "aws:appautoscaling/policy:Policy";
    private const string AlarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";

    [TearDown]
    public void ClearConfig() => Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);

    private static async Task<(PulumiTestKit Kit, IDictionary<string, object?> Outputs)> RunStackAsync(string stack)
    {
        PulumiTestKit.UseStackConfig(StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), $"Pulumi.{stack}.yaml")));
        var kit = new PulumiTestKit();
        var (_, outputs) = await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options(stack, preview: true), StackProgram.Run);
        return (kit, outputs);
    }

    private static async Task<(PulumiTestKit Kit, IDictionary<string, object?> Outputs)> RunYamlAsync(string projectKeys, PulumiTestKit? kit = null)
    {
        var yaml = "config:\n  aws:region: eu-west-1\n" + string.Join('\n', projectKeys.Split('\n').Select(l => l.Length == 0 || char.IsWhiteSpace(l[0]) ? "  " + l : "  step-scaled-ecs:" + l));
        PulumiTestKit.UseStackConfig(StackFile.Parse(yaml, "Pulumi.test.yaml", PulumiTestKit.Project));
        kit ??= new PulumiTestKit();
        var (_, outputs) = await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("test", preview: false), StackProgram.Run);
        return (kit, outputs);
    }

    private const string Https = $$"""
        loadBalancer:
          certificateArn: {{StackCase.CertificateArn}}
          sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06
          idleTimeout: 120
          accessLogs: { bucket: my-alb-logs, prefix: web }
        """;

    private const string RequestScaling = """
        scaling:
          minCapacity: 2
          maxCapacity: 6
          policies:
            - name: requests
              metric: RequestCountPerTarget
              scaleOut: { bands: [{ from: 1000, change: 1 }] }
        """;

    [Test]
    public async Task Run_Certificate_HttpsListenerOn443AndPort80RedirectsWith301()
    {
        var (kit, outputs) = await RunYamlAsync(Https);

        var alb = kit.OfType("awsx:lb:ApplicationLoadBalancer").Single();
        Assert.That(alb.Input("listener"), Is.Null, "two listeners, not the default one");
        var listeners = Dicts(alb.Input("listeners"));
        Assert.That(listeners, Has.Count.EqualTo(2));
        Assert.That(listeners[0].ToDictionary(), Is.EquivalentTo(new Dictionary<string, object>
        {
            ["port"] = 443.0,
            ["protocol"] = "HTTPS",
            ["certificateArn"] = StackCase.CertificateArn,
            ["sslPolicy"] = "ELBSecurityPolicy-TLS13-1-3-2021-06",
        }), "no defaultActions: awsx forwards to its default target group");
        Assert.That((listeners[1]["port"], listeners[1]["protocol"]), Is.EqualTo((80.0, "HTTP")));
        var redirect = Dicts(listeners[1]["defaultActions"]).Single();
        Assert.That(redirect["type"], Is.EqualTo("redirect"));
        Assert.That(Dict(redirect["redirect"]).ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["protocol"] = "HTTPS", ["port"] = "443", ["statusCode"] = "HTTP_301" }));
        Assert.That((alb.Input("idleTimeout"), alb.Input("dropInvalidHeaderFields"), alb.Input("enableDeletionProtection")), Is.EqualTo((120.0, true, false)));
        Assert.That(Dict(alb.Input("accessLogs")!).ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["bucket"] = "my-alb-logs", ["prefix"] = "web", ["enabled"] = true }));
        Assert.That(await PulumiTestKit.ValueAsync((Output<string>)outputs["url"]!), Is.EqualTo("https://alb-1234567890.eu-west-1.elb.amazonaws.com"));
    }

    [Test]
    public async Task Run_NoCertificate_OneHttpListenerAndAnHttpUrl()
    {
        var (kit, outputs) = await RunYamlAsync("service:\n  name: web");

        var alb = kit.OfType("awsx:lb:ApplicationLoadBalancer").Single();
        Assert.That(Dict(alb.Input("listener")!).ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["port"] = 80.0, ["protocol"] = "HTTP" }));
        Assert.That(alb.Input("accessLogs"), Is.Null);
        Assert.That(await PulumiTestKit.ValueAsync((Output<string>)outputs["url"]!), Is.EqualTo("http://alb-1234567890.eu-west-1.elb.amazonaws.com"));
    }

    [Test]
    public async Task Run_DevStack_ServiceRegistersWithTheAlbsDefaultTargetGroupOnTheContainerPort()
    {
        var (kit, _) = await RunStackAsync("dev");

        var targetGroup = kit.OfType("aws:lb/targetGroup:TargetGroup").Single();
        Assert.That((Int(targetGroup.Input("port")!), targetGroup.Input("protocol"), targetGroup.Input("targetType")), Is.EqualTo((8080, "HTTP", "ip")));
        var service = kit.OfType("aws:ecs/service:Service").Single();
        var attachment = Dicts(service.Input("loadBalancers")).Single();
        Assert.That(attachment.ToDictionary(), Is.EquivalentTo(new Dictionary<string, object>
        {
            ["targetGroupArn"] = targetGroup.Arn,
            ["containerName"] = "web",
            ["containerPort"] = 8080.0,
        }));
        Assert.That(service.Input("healthCheckGracePeriodSeconds"), Is.EqualTo(60));
    }

    [Test]
    public async Task Run_RequestCountPerTarget_AlarmDimensionIsTheDefaultTargetGroupsArnSuffix()
    {
        var (kit, _) = await RunYamlAsync(RequestScaling);

        var alarm = kit.OfType(AlarmType).Single();
        Assert.That((alarm.Input("namespace"), alarm.Input("metricName"), alarm.Input("statistic")), Is.EqualTo(("AWS/ApplicationELB", "RequestCountPerTarget", "Sum")));
        Assert.That(Dict(alarm.Input("dimensions")!).ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["TargetGroup"] = "targetgroup/alb/0123456789abcdef" }));
    }

    [TestCase("defaultTargetGroup")]
    [TestCase("loadBalancer")]
    public void Run_AwsxOutputAbsent_ClearErrorNamingIt(string output)
    {
        var kit = new PulumiTestKit();
        kit.OmittedAlbOutputs.Add(output);

        // Every input that reads the output fails the same way: one RunException, or several in an AggregateException.
        var error = Assert.CatchAsync(() => RunYamlAsync("service:\n  name: web", kit));

        var errors = error is AggregateException aggregate ? aggregate.InnerExceptions : [error!];
        Assert.That(errors, Has.All.InstanceOf<RunException>());
        Assert.That(errors.Select(e => e.Message), Has.All.Contains($"the awsx:lb:ApplicationLoadBalancer 'alb' returned no '{output}' output"));
        Assert.That(errors.Select(e => e.Message), Has.None.Contains(nameof(NullReferenceException)));
    }

    [Test]
    public async Task Run_Alerts_CapacityAndStartFailureAlarmsNotifyTheTopicOnAlarmAndOk()
    {
        var (kit, _) = await RunYamlAsync(RequestScaling + $"\nalerts:\n  topicArn: {StackCase.TopicArn}\n  capacityExhaustedMinutes: 20\n");

        var alarms = kit.OfType(AlarmType).ToDictionary(a => a.Name);
        Assert.That(alarms.Keys, Is.EquivalentTo(new[] { "app-requests-out-alarm", "app-capacity-exhausted", "app-tasks-failing-to-start" }));
        var capacity = alarms["app-capacity-exhausted"];
        Assert.That(capacity.Input("name"), Is.EqualTo("test-app-capacity-exhausted"));
        Assert.That((capacity.Input("namespace"), capacity.Input("metricName"), capacity.Input("statistic"), capacity.Input("period")), Is.EqualTo(("ECS/ContainerInsights", "RunningTaskCount", "Minimum", 60)));
        Assert.That((capacity.Input("comparisonOperator"), capacity.Input("threshold"), capacity.Input("evaluationPeriods"), capacity.Input("datapointsToAlarm")), Is.EqualTo(("GreaterThanOrEqualToThreshold", 6, 20, 20)));
        Assert.That(Dict(capacity.Input("dimensions")!).ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["ClusterName"] = "cluster", ["ServiceName"] = "app-service" }));

        var start = alarms["app-tasks-failing-to-start"];
        Assert.That((start.Input("comparisonOperator"), start.Input("threshold"), start.Input("evaluationPeriods"), start.Input("datapointsToAlarm")), Is.EqualTo(("GreaterThanThreshold", 0, 10, 10)));
        var queries = Dicts(start.Input("metricQueries")).ToDictionary(q => (string)q["id"]);
        Assert.That(queries["notrunning"]["expression"], Is.EqualTo("desired - running"));
        Assert.That(queries["notrunning"]["returnData"], Is.EqualTo(true));
        foreach (var (id, metric, stat) in new[] { ("desired", "DesiredTaskCount", "Minimum"), ("running", "RunningTaskCount", "Maximum") })
        {
            var m = Dict(queries[id]["metric"]);
            Assert.That((m["namespace"], m["metricName"], m["stat"], m["period"], queries[id]["returnData"]), Is.EqualTo(("ECS/ContainerInsights", metric, stat, 60, false)), id);
            Assert.That(Dict(m["dimensions"]).ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["ClusterName"] = "cluster", ["ServiceName"] = "app-service" }));
        }

        foreach (var alert in new[] { capacity, start })
        {
            Assert.That(Strings(alert.Input("alarmActions")), Is.EqualTo(new[] { StackCase.TopicArn }));
            Assert.That(Strings(alert.Input("okActions")), Is.EqualTo(new[] { StackCase.TopicArn }));
        }

        Assert.That(alarms["app-requests-out-alarm"].Input("okActions"), Is.Null, "the scaling alarm notifies no one");
    }

    [Test]
    public void Run_BadSecurityConfig_EveryErrorNamedBeforeAnyResource()
    {
        var broken = StackFile.Parse("""
            config:
              step-scaled-ecs:service:
                user: "0:0"
                writablePaths: [tmp]
                logKmsKeyArn: arn:aws:kms:eu-west-1:123456789012:alias/logs
              step-scaled-ecs:loadBalancer:
                certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
                sslPolicy: ELBSecurityPolicy-TLS13-1-2-2099-01
              step-scaled-ecs:alerts:
                topicArn: arn:aws:sqs:eu-west-1:123456789012:on-call
            """, "Pulumi.broken.yaml", PulumiTestKit.Project);
        PulumiTestKit.UseStackConfig(broken);
        var kit = new PulumiTestKit();

        var error = Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("broken", true), StackProgram.Run));

        Assert.That(error!.Message, Does.Contain("service.user: must not be root (root, 0, 0:0 …) unless service.allowRoot is true; got '0:0'"));
        Assert.That(error.Message, Does.Contain("service.writablePaths[0]: must be an absolute path starting with '/', e.g. /tmp; got 'tmp'"));
        Assert.That(error.Message, Does.Contain("service.logKmsKeyArn: must be a KMS key ARN"));
        Assert.That(error.Message, Does.Contain("loadBalancer.sslPolicy: must be a predefined ALB security policy"));
        Assert.That(error.Message, Does.Contain("alerts.topicArn: must be an SNS topic ARN").And.Contain("'sqs' service"));
        Assert.That(kit.Resources, Is.Empty);
    }

    [Test]
    public async Task Run_DevStack_CreatesExactlyTheSeedAlarmsAndPolicies()
    {
        var (kit, _) = await RunStackAsync("dev");

        var alarms = kit.OfType(AlarmType).ToDictionary(a => a.Name);
        Assert.That(alarms.Keys, Is.EquivalentTo(new[] { "web-memory-out-alarm", "web-memory-in-alarm" }));
        Assert.That(kit.OfType(PolicyType).Select(p => p.Name), Is.EquivalentTo(new[] { "web-memory-out", "web-memory-in" }));

        var scaleOut = alarms["web-memory-out-alarm"];
        var scaleIn = alarms["web-memory-in-alarm"];
        Assert.Multiple(() =>
        {
            Assert.That(scaleOut.Input("comparisonOperator"), Is.EqualTo("GreaterThanThreshold"));
            Assert.That(scaleOut.Input("threshold"), Is.EqualTo(10));
            Assert.That(scaleIn.Input("comparisonOperator"), Is.EqualTo("LessThanOrEqualToThreshold"));
            Assert.That(scaleIn.Input("threshold"), Is.EqualTo(10));
            foreach (var alarm in alarms.Values)
            {
                Assert.That(alarm.Input("metricName"), Is.EqualTo("MemoryUtilization"));
                Assert.That(alarm.Input("namespace"), Is.EqualTo("AWS/ECS"));
                Assert.That(alarm.Input("statistic"), Is.EqualTo("Average"));
                Assert.That(alarm.Input("period"), Is.EqualTo(60));
                Assert.That(alarm.Input("evaluationPeriods"), Is.EqualTo(1));
            }
        });

        var outSteps = Steps(kit, "web-memory-out");
        var inSteps = Steps(kit, "web-memory-in");
        Assert.That(outSteps, Is.EqualTo(new[] { "[0,10)+1", "[10,25)+2", "[25,)+3" }));
        Assert.That(inSteps, Is.EqualTo(new[] { "[,0)-1" }));
    }

    [Test]
    public async Task Run_DevStack_BuildsTheNetworkAlbAndClusterWithContainerInsights()
    {
        var (kit, outputs) = await RunStackAsync("dev");

        Assert.That(kit.OfType("awsx:ec2:DefaultVpc"), Has.Count.EqualTo(1));
        Assert.That(kit.OfType("awsx:lb:ApplicationLoadBalancer"), Has.Count.EqualTo(1));
        Assert.That(kit.Calls, Is.SupersetOf(new[] { "aws:index/getCallerIdentity:getCallerIdentity", "aws:index/getRegion:getRegion", "aws:index/getPartition:getPartition" }));
        var cluster = kit.OfType("aws:ecs/cluster:Cluster").Single();
        var settings = cluster.List("settings").Cast<System.Collections.Immutable.ImmutableDictionary<string, object>>().Single();
        Assert.That(settings["name"], Is.EqualTo("containerInsights"));
        Assert.That(settings["value"], Is.EqualTo("enabled"));
        Assert.That(outputs.Keys, Is.SupersetOf(new[] { "url", "serviceName", "scalingSummary" }));
        var summary = await PulumiTestKit.ValueAsync((Output<string>)outputs["scalingSummary"]!);
        Assert.That(summary, Does.StartWith("Scales between 1 and 4 tasks."));
    }

    [Test]
    public async Task Run_ProdStack_CreatesAScaleOutAndAScaleInPairPerMetric()
    {
        var (kit, _) = await RunStackAsync("prod");

        Assert.That(kit.OfType("awsx:ec2:Vpc"), Has.Count.EqualTo(1));
        Assert.That(kit.OfType(PolicyType).Select(p => p.Name), Is.EquivalentTo(new[] { "web-cpu-out", "web-cpu-in", "web-memory-out", "web-memory-in" }));
        var alarms = kit.OfType(AlarmType).ToDictionary(a => a.Name);
        Assert.Multiple(() =>
        {
            Assert.That(alarms["web-cpu-out-alarm"].Input("comparisonOperator"), Is.EqualTo("GreaterThanOrEqualToThreshold"));
            Assert.That(alarms["web-cpu-out-alarm"].Input("threshold"), Is.EqualTo(70));
            Assert.That(alarms["web-cpu-in-alarm"].Input("comparisonOperator"), Is.EqualTo("LessThanThreshold"));
            Assert.That(alarms["web-cpu-in-alarm"].Input("threshold"), Is.EqualTo(30));
            Assert.That(alarms["web-cpu-in-alarm"].Input("evaluationPeriods"), Is.EqualTo(3));
            Assert.That(alarms["web-cpu-in-alarm"].Input("datapointsToAlarm"), Is.EqualTo(3));
            Assert.That(alarms["web-memory-out-alarm"].Input("threshold"), Is.EqualTo(75));
        });
        Assert.That(Steps(kit, "web-cpu-out"), Is.EqualTo(new[] { "[0,15)+1", "[15,)+3" }));
        var target = kit.OfType("aws:appautoscaling/target:Target").Single();
        Assert.That(target.Input("minCapacity"), Is.EqualTo(2));
    }

    [Test]
    public void Run_BrokenConfig_FailsWithTheListedErrorsBeforeAnyResource()
    {
        var broken = StackFile.Parse("""
            config:
              step-scaled-ecs:scaling:
                minCapacity: 2
                maxCapacity: 5
                policies:
                  - name: cpu
                    metric: CPUUtilization
                    scaleOut:
                      bands:
                        - { from: 20, to: 35, change: 2 }
                        - { from: 30, change: 3 }
                    scaleIn:
                      datapointsToAlarm: 4
                      bands:
                        - { to: 10, change: -1 }
            """, "Pulumi.broken.yaml", PulumiTestKit.Project);
        PulumiTestKit.UseStackConfig(broken);
        var kit = new PulumiTestKit();

        var error = Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("broken", true), StackProgram.Run));

        Assert.That(error!.Message, Does.Contain("scaling.policies[0].scaleOut.bands[1]: bands overlap: [20, 35) and [30, +inf)"));
        Assert.That(error.Message, Does.Contain("scaling.policies[0].scaleIn.datapointsToAlarm: must be between 1 and evaluationPeriods (1); got 4"));
        Assert.That(kit.Resources, Is.Empty);
    }

    [Test]
    public void Run_MisspelledProjectKey_FailsNamingItBeforeAnyResource()
    {
        // 'scalng' would otherwise leave scaling off without a word: pulumi up must stop, as stepscale check does.
        var typo = StackFile.Parse("""
            config:
              step-scaled-ecs:service:
                name: web
              step-scaled-ecs:scalng:
                maxCapacity: 4
            """, "Pulumi.typo.yaml", PulumiTestKit.Project);
        PulumiTestKit.UseStackConfig(typo);
        var kit = new PulumiTestKit();

        var error = Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("typo", true), StackProgram.Run));

        Assert.That(error!.Message, Does.Contain("scalng: unknown config key 'scalng'"));
        Assert.That(kit.Resources, Is.Empty);
    }

    [Test]
    public async Task Run_AcknowledgedHttpsWarning_TheProgramReadsTheKeyAndDeploys()
    {
        // Pulumi hands the program only the keys it asks for: acknowledge is one of them, so it is neither lost nor an unknown key.
        var (kit, _) = await RunYamlAsync("""
            acknowledge:
              - rule: lb.https
                reason: TLS ends at CloudFront
            """);

        Assert.That(kit.OfType("awsx:lb:ApplicationLoadBalancer"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Run_AcknowledgingAnErrorRule_FailsBeforeAnyResource()
    {
        PulumiTestKit.UseStackConfig(StackFile.Parse("""
            config:
              step-scaled-ecs:acknowledge:
                - rule: metric.period
                  reason: we know
            """, "Pulumi.ack.yaml", PulumiTestKit.Project));
        var kit = new PulumiTestKit();

        var error = Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("ack", true), StackProgram.Run));

        Assert.That(error!.Message, Does.Contain("acknowledge[0].rule: 'metric.period' is an error rule: an error cannot be acknowledged, only fixed"));
        Assert.That(kit.Resources, Is.Empty);
    }

    private static List<string> Steps(PulumiTestKit kit, string policyName)
    {
        var policy = kit.OfType(PolicyType).Single(p => p.Name == policyName);
        var steps = (IEnumerable<object>)policy.Object("stepScalingPolicyConfiguration")["stepAdjustments"];
        return [.. steps.Cast<System.Collections.Immutable.ImmutableDictionary<string, object>>().Select(s =>
            $"[{(s.TryGetValue("metricIntervalLowerBound", out var l) ? l : string.Empty)},{(s.TryGetValue("metricIntervalUpperBound", out var u) ? u : string.Empty)}){(Convert.ToInt32(s["scalingAdjustment"], System.Globalization.CultureInfo.InvariantCulture) > 0 ? "+" : string.Empty)}{s["scalingAdjustment"]}")];
    }
}
