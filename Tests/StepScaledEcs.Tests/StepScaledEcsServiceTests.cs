using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Moq;
using Pulumi;
using Pulumi.Testing;
using StepScaling.Config;
using StepScaling.Model;
using StepScaling.Planning;

namespace StepScaledEcs.Tests;

[TestFixture]
[NonParallelizable] // Pulumi's Deployment is process-global: mock tests must run one at a time.
public sealed class StepScaledEcsServiceTests
{
    private const string Component = StepScaledEcsService.TypeToken;
    private const string PolicyType = "aws:appautoscaling/policy:Policy";
    private const string AlarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";
    private const string ServiceType = "aws:ecs/service:Service";

    /// <summary>The dev stack's scaling section, read into args as the program reads it.</summary>
    internal static ScalingArgs SeedScaling() =>
        ArgsJson.FromConfig<ScalingArgs>(StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), "Pulumi.dev.yaml")).Values, "scaling")!;

    internal static StepScaledEcsServiceArgs Args(ScalingArgs? scaling, ServiceArgs? service = null) => new()
    {
        ClusterArn = "arn:aws:ecs:eu-west-1:123456789012:cluster/my-cluster",
        ClusterName = "my-cluster",
        Subnets = new InputList<string> { "subnet-a", "subnet-b" },
        Service = service ?? new ServiceArgs { Name = "web" },
        Scaling = scaling,
        FlapCheck = "warn",
    };

    private static BandArgs Band(double? from, double? to, int change) => new() { From = from, To = to, Change = change };

    private static async Task<(PulumiTestKit Kit, ImmutableArray<Resource> Resources, StepScaledEcsService Service)> RunAsync(
        StepScaledEcsServiceArgs args, bool preview = false, ComponentResourceOptions? options = null)
    {
        var kit = new PulumiTestKit();
        StepScaledEcsService? component = null;
        var resources = await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("dev", preview), () =>
        {
            component = new StepScaledEcsService("web", args, options);
        });
        return (kit, resources, component!);
    }

    [Test]
    public async Task Constructor_SeedScaling_RegistersTheExpectedResourceGraph()
    {
        var (kit, _, _) = await RunAsync(Args(SeedScaling()));

        var counts = kit.Resources.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(counts, Is.EquivalentTo(new Dictionary<string, int>
        {
            [Component] = 1,
            ["aws:iam/role:Role"] = 2,
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"] = 1,
            ["aws:cloudwatch/logGroup:LogGroup"] = 1,
            ["aws:ecs/taskDefinition:TaskDefinition"] = 1,
            [ServiceType] = 1,
            ["aws:appautoscaling/target:Target"] = 1,
            [PolicyType] = 2,
            [AlarmType] = 2,
        }));
        Assert.That(kit.Resources.Where(r => r.Type != Component).Select(r => r.Name), Is.All.StartsWith("web-"));
    }

    [Test]
    public async Task Constructor_SeedScaling_EveryChildIsParentedToTheComponent()
    {
        // Transformations on a component see each child with its options; the mock's URNs do not show parents.
        var parents = new List<(string Name, Resource? Parent)>();
        var options = new ComponentResourceOptions
        {
            ResourceTransformations =
            {
                args =>
                {
                    // The component's own transformations see the component too; only its children count here.
                    if (args.Resource is not StepScaledEcsService)
                    {
                        parents.Add((args.Resource.GetResourceName(), args.Options.Parent));
                    }

                    return null;
                },
            },
        };

        var (kit, _, component) = await RunAsync(Args(SeedScaling()), options: options);

        var children = kit.Resources.Where(r => r.Type != Component).Select(r => r.Name).ToList();
        Assert.That(children, Has.Count.EqualTo(11));
        Assert.That(parents.Select(p => p.Name), Is.EquivalentTo(children));
        Assert.That(parents.Select(p => p.Parent), Is.All.SameAs(component));
    }

    [Test]
    public async Task Constructor_SeedScaling_StepIntervalsAreInvariantStringsWithOpenEnds()
    {
        var (kit, _, _) = await RunAsync(Args(SeedScaling()));

        Assert.That(Steps(kit, "web-memory-out"), Is.EqualTo(new[] { ("0", "10", 1.0), ("10", "25", 2.0), ("25", (string?)null, 3.0) }));
        Assert.That(Steps(kit, "web-memory-in"), Is.EqualTo(new[] { ((string?)null, "0", -1.0) }));
        var config = kit.OfType(PolicyType).Single(p => p.Name == "web-memory-out").Object("stepScalingPolicyConfiguration");
        Assert.Multiple(() =>
        {
            Assert.That(config["adjustmentType"], Is.EqualTo("ChangeInCapacity"));
            Assert.That(config["cooldown"], Is.EqualTo(60));
            Assert.That(config["metricAggregationType"], Is.EqualTo("Average"));
        });
    }

    [Test]
    public async Task Constructor_BandsAddedChangedOrRemoved_SameResourcesAndPhysicalNames()
    {
        // Replacing a policy or an alarm means a window with no scaling: a band edit must only update them in place.
        static ScalingArgs Memory(params BandArgs[] scaleOut) => new()
        {
            MinCapacity = 1,
            MaxCapacity = 6,
            Policies =
            [
                new PolicyArgs
                {
                    Name = "memory",
                    Metric = new MetricArgs { Kind = "ecs", Name = "MemoryUtilization" },
                    ScaleOut = new SideArgs { Bands = [.. scaleOut] },
                    ScaleIn = new SideArgs { Bands = [Band(null, 30, -1)] },
                },
            ],
        };

        static IReadOnlyList<(string, string, object?)> Names(PulumiTestKit kit) =>
            [.. kit.Resources.Where(r => r.Type is PolicyType or AlarmType or ServiceType).Select(r => (r.Type, r.Name, r.Input("name"))).OrderBy(x => x.Name, StringComparer.Ordinal).ThenBy(x => x.Type, StringComparer.Ordinal)];

        var (one, _, _) = await RunAsync(Args(Memory(Band(70, null, 1))));
        var (three, _, _) = await RunAsync(Args(Memory(Band(60, 75, 1), Band(75, 90, 2), Band(90, null, 4))));
        var (two, _, _) = await RunAsync(Args(Memory(Band(65, 80, 1), Band(80, null, 3))));

        Assert.That(Names(three), Is.EqualTo(Names(one)));
        Assert.That(Names(two), Is.EqualTo(Names(one)));
        Assert.That(Steps(three, "web-memory-out"), Has.Count.EqualTo(3), "the edit did reach the policy");
        Assert.That(Names(one).Where(n => n.Item1 != ServiceType).Select(n => n.Item3), Is.EqualTo(new[] { "dev-web-memory-in", "dev-web-memory-in", "dev-web-memory-out", "dev-web-memory-out" }));
    }

    [Test]
    public async Task Constructor_FractionalBandsUnderDecimalCommaCulture_BoundsUseADecimalPoint()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var scaling = new ScalingArgs
            {
                MinCapacity = 1,
                MaxCapacity = 6,
                Policies =
                [
                    new PolicyArgs
                    {
                        Name = "cpu",
                        Metric = new MetricArgs { Kind = "ecs", Name = "CPUUtilization" },
                        ScaleOut = new SideArgs { Bands = [Band(60.5, 72.75, 1), Band(72.75, null, 2)] },
                    },
                ],
            };
            var (kit, _, _) = await RunAsync(Args(scaling));

            Assert.That(Steps(kit, "web-cpu-out"), Is.EqualTo(new[] { ("0", "12.25", 1.0), ("12.25", (string?)null, 2.0) }));
            Assert.That(kit.OfType(AlarmType).Single().Input("threshold"), Is.EqualTo(60.5));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Test]
    public async Task Constructor_SeedScaling_EachAlarmTriggersItsOwnPolicy()
    {
        var (kit, _, _) = await RunAsync(Args(SeedScaling()));

        foreach (var side in new[] { "memory-out", "memory-in" })
        {
            var alarm = kit.OfType(AlarmType).Single(a => a.Name == $"web-{side}-alarm");
            var policy = kit.OfType(PolicyType).Single(p => p.Name == $"web-{side}");
            Assert.That(alarm.List("alarmActions"), Is.EqualTo(new[] { policy.Arn }), side);
            Assert.That(alarm.Input("name"), Is.EqualTo($"dev-web-{side}"));
            Assert.That(policy.Input("name"), Is.EqualTo($"dev-web-{side}"));
        }
    }

    [Test]
    public async Task Constructor_SeedScaling_TargetAndAlarmsUseClusterAndServiceNames()
    {
        var (kit, _, _) = await RunAsync(Args(SeedScaling()));

        var target = kit.OfType("aws:appautoscaling/target:Target").Single();
        Assert.Multiple(() =>
        {
            Assert.That(target.Input("resourceId"), Is.EqualTo("service/my-cluster/web-service"));
            Assert.That(target.Input("scalableDimension"), Is.EqualTo("ecs:service:DesiredCount"));
            Assert.That(target.Input("serviceNamespace"), Is.EqualTo("ecs"));
            Assert.That(target.Input("minCapacity"), Is.EqualTo(1));
            Assert.That(target.Input("maxCapacity"), Is.EqualTo(4));
        });
        foreach (var alarm in kit.OfType(AlarmType))
        {
            Assert.That(alarm.Object("dimensions"), Is.EquivalentTo(new Dictionary<string, object> { ["ClusterName"] = "my-cluster", ["ServiceName"] = "web-service" }));
            Assert.That(alarm.Input("namespace"), Is.EqualTo("AWS/ECS"));
            Assert.That(alarm.Input("metricName"), Is.EqualTo("MemoryUtilization"));
        }

        var policy = kit.OfType(PolicyType).First();
        Assert.That(policy.Input("resourceId"), Is.EqualTo("service/my-cluster/web-service"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Constructor_ScalingOnOrOff_IgnoresDesiredCountOnlyWhenScaling(bool scaling)
    {
        ResourceOptions? serviceOptions = null;
        var options = new ComponentResourceOptions
        {
            ResourceTransformations =
            {
                args =>
                {
                    if (args.Resource is Pulumi.Aws.Ecs.Service)
                    {
                        serviceOptions = args.Options;
                    }

                    return null;
                },
            },
        };

        var (kit, _, _) = await RunAsync(Args(scaling ? SeedScaling() : null), options: options);

        Assert.That(serviceOptions, Is.Not.Null);
        if (scaling)
        {
            Assert.That(serviceOptions!.IgnoreChanges, Is.EqualTo(new[] { "desiredCount" }));
        }
        else
        {
            Assert.That(serviceOptions!.IgnoreChanges, Is.Empty);
            Assert.That(kit.OfType(PolicyType), Is.Empty);
            Assert.That(kit.OfType(AlarmType), Is.Empty);
        }
    }

    [Test]
    public async Task Constructor_SeedScaling_PublishesOutputsKnownAtPreview()
    {
        var (_, _, component) = await RunAsync(Args(SeedScaling()), preview: true);

        var summary = await PulumiTestKit.ValueAsync(component.ScalingSummary);
        Assert.That(summary, Does.Contain("MemoryUtilization > 10 % (Average over 60 s, 1 of 1 period): 10–20 % → +1 task, 20–35 % → +2, ≥ 35 % → +3"));
        Assert.That(await PulumiTestKit.ValueAsync(component.AlarmNames), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["memory-out"] = "dev-web-memory-out",
            ["memory-in"] = "dev-web-memory-in",
        }));
    }

    [Test]
    public async Task Constructor_SeedScaling_PolicyArnsByPolicyName()
    {
        var (kit, _, component) = await RunAsync(Args(SeedScaling()));

        var arns = await PulumiTestKit.ValueAsync(component.PolicyArns);
        Assert.That(arns["memory-out"], Is.EqualTo(kit.OfType(PolicyType).Single(p => p.Name == "web-memory-out").Arn));
        Assert.That(arns["memory-in"], Is.EqualTo(kit.OfType(PolicyType).Single(p => p.Name == "web-memory-in").Arn));
        Assert.That(await PulumiTestKit.ValueAsync(component.ScalableTargetResourceId), Is.EqualTo("service/my-cluster/web-service"));
    }

    [Test]
    public void Constructor_InvalidArguments_FailsWithEveryErrorAndRegistersNothing()
    {
        var scaling = new ScalingArgs
        {
            MinCapacity = 3,
            MaxCapacity = 2,
            Policies =
            [
                new PolicyArgs
                {
                    Name = "cpu",
                    Metric = new MetricArgs { Kind = "ecs", Name = "CPUUtilization" },
                    Period = 45,
                    ScaleOut = new SideArgs { Bands = [Band(20, 35, 2), Band(30, null, 3)] },
                },
            ],
        };
        var kit = new PulumiTestKit();

        var error = Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("dev", true), () =>
        {
            _ = new StepScaledEcsService("web", Args(scaling, new ServiceArgs { Name = "web", Cpu = 256, Memory = 4096 }));
        }));

        Assert.That(error!.Message, Does.Contain("scaling.maxCapacity: must be at least minCapacity (3); got 2"));
        Assert.That(error.Message, Does.Contain("scaling.policies[0].period: must be 10, 20, 30 or a multiple of 60 seconds; got 45"));
        Assert.That(error.Message, Does.Contain("scaling.policies[0].scaleOut.bands[1]: bands overlap: [20, 35) and [30, +inf)"));
        Assert.That(error.Message, Does.Contain("service.memory: with cpu 256, Fargate memory must be 512, 1024 or 2048 MiB; got 4096"));
        Assert.That(error.Message, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(kit.Resources, Is.Empty, "nothing may be registered when the arguments are invalid");
    }

    [Test]
    public void Validate_GracePeriodWithoutALoadBalancer_WarnedNotDropped()
    {
        var diagnostics = StepScaledEcsService.Validate(Args(null, new ServiceArgs { Name = "web", HealthCheckGracePeriod = 120 }), "dev");

        Assert.That(diagnostics.Select(d => d.ToString()), Is.EqualTo(new[]
        {
            "warning: service.healthCheckGracePeriod: is ignored: the service has no LoadBalancer, and ECS applies the grace period only to load-balancer health checks; got 120",
        }));
    }

    [Test]
    public void Validate_BadImageAndCapacityProviderFromCSharp_SameRulesAsConfig()
    {
        var args = Args(null, new ServiceArgs { Name = "web", Image = "nginx latest" });
        args = new StepScaledEcsServiceArgs
        {
            ClusterArn = args.ClusterArn,
            ClusterName = args.ClusterName,
            Subnets = args.Subnets,
            Service = args.Service,
            CapacityProviderStrategy = [new CapacityProviderArgs { CapacityProvider = "FARGATE_SPOT", Weight = 1001 }],
        };

        Assert.That(StepScaledEcsService.Validate(args, "dev").Select(d => d.ToString()), Is.EqualTo(new[]
        {
            "error: service.image: must be an image reference such as registry.example.com:5000/team/app:1.2 (lower-case path, no spaces); got 'nginx latest'",
            "error: capacityProviderStrategy[0]: needs a capacity provider, a weight from 0 to 1000 and a base from 0 to 100000; got 'FARGATE_SPOT', weight 1001, base 0",
        }));
    }

    [Test]
    public async Task Constructor_DefaultsAndSecrets_PassTheGuardrails()
    {
        var service = new ServiceArgs
        {
            Name = "web",
            Environment = new() { ["MODE"] = "production" },
            Secrets = new() { ["DB_PASSWORD"] = "arn:aws:ssm:eu-west-1:123456789012:parameter/web/db-password" },
        };
        var (kit, _, _) = await RunAsync(Args(SeedScaling(), service));

        foreach (var r in kit.Resources)
        {
            switch (r.Type)
            {
                case AlarmType:
                    Assert.That(r.List("alarmActions"), Is.Not.Empty, $"{r.Name} has no action");
                    break;
                case PolicyType:
                    Assert.That(r.Input("resourceId"), Is.Not.Null.And.Not.Empty, $"{r.Name} has no target");
                    Assert.That(r.Input("policyType"), Is.EqualTo("StepScaling"));
                    break;
                case ServiceType:
                    Assert.That(r.Object("networkConfiguration")["assignPublicIp"], Is.EqualTo(false), "no public IP by default");
                    Assert.That(r.Object("deploymentCircuitBreaker"), Is.EquivalentTo(new Dictionary<string, object> { ["enable"] = true, ["rollback"] = true }));
                    Assert.That(r.Input("propagateTags"), Is.EqualTo("SERVICE"));
                    break;
                case "aws:ecs/taskDefinition:TaskDefinition":
                    using (var doc = JsonDocument.Parse((string)r.Input("containerDefinitions")!))
                    {
                        var container = doc.RootElement[0];
                        Assert.That(container.GetProperty("logConfiguration").GetProperty("logDriver").GetString(), Is.EqualTo("awslogs"));
                        Assert.That(container.GetProperty("logConfiguration").GetProperty("options").GetProperty("awslogs-region").GetString(), Is.EqualTo("eu-west-1"));
                        Assert.That(container.GetProperty("environment").EnumerateArray().Select(e => e.GetProperty("name").GetString()), Is.EqualTo(new[] { "MODE" }));
                        var secret = container.GetProperty("secrets")[0];
                        Assert.That(secret.GetProperty("valueFrom").GetString(), Does.StartWith("arn:aws:ssm:"));
                    }

                    Assert.That(r.Input("networkMode"), Is.EqualTo("awsvpc"));
                    Assert.That(r.List("requiresCompatibilities"), Is.EqualTo(new[] { "FARGATE" }));
                    break;
                case "aws:cloudwatch/logGroup:LogGroup":
                    Assert.That(r.Input("retentionInDays"), Is.EqualTo(30));
                    break;
            }
        }

        var secretsPolicy = kit.OfType("aws:iam/rolePolicy:RolePolicy").Single();
        Assert.That((string)secretsPolicy.Input("policy")!, Does.Contain("arn:aws:ssm:eu-west-1:123456789012:parameter/web/db-password").And.Contain("ssm:GetParameters"));
    }

    [Test]
    public void Constructor_AlertsWithoutContainerInsights_ErrorAndNothingRegistered()
    {
        var kit = new PulumiTestKit();
        var args = Args(SeedScaling());

        var error = Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("dev", true), () =>
        {
            _ = new StepScaledEcsService("web", WithAlerts(args, containerInsights: false));
        }));

        Assert.That(error!.Message, Does.Contain("alerts: read Container Insights metrics (ECS/ContainerInsights RunningTaskCount, DesiredTaskCount), but the cluster does not have Container Insights"));
        Assert.That(kit.Resources, Is.Empty);
    }

    [Test]
    public async Task Constructor_AlertsWithoutScaling_OnlyTheStartFailureAlarmAndAWarning()
    {
        var args = WithAlerts(Args(scaling: null), containerInsights: true);
        var (kit, _, component) = await RunAsync(args);

        var alarm = kit.OfType(AlarmType).Single();
        Assert.That(alarm.Name, Is.EqualTo("web-tasks-failing-to-start"));
        Assert.That(await PulumiTestKit.ValueAsync(component.AlertAlarmNames), Is.EquivalentTo(new Dictionary<string, string> { ["tasks-failing-to-start"] = "dev-web-tasks-failing-to-start" }));
        Assert.That(StepScaledEcsService.Validate(args, "dev").Where(d => d.Severity == StepScaling.Validation.Severity.Warning).Select(w => w.Path), Is.EqualTo(new[] { "alerts.capacityExhaustedMinutes" }));
    }

    [Test]
    public async Task Constructor_Alerts_CapacityThresholdIsMaxCapacityOverTheConfiguredMinutes()
    {
        var (kit, _, component) = await RunAsync(WithAlerts(Args(SeedScaling()), containerInsights: true));

        var capacity = kit.OfType(AlarmType).Single(a => a.Name == "web-capacity-exhausted");
        Assert.That((capacity.Input("threshold"), capacity.Input("evaluationPeriods")), Is.EqualTo((4, 15)));
        Assert.That(Inputs.Dict(capacity.Input("dimensions")!).ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["ClusterName"] = "my-cluster", ["ServiceName"] = "web-service" }));
        Assert.That(await PulumiTestKit.ValueAsync(component.AlertAlarmNames), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["capacity-exhausted"] = "dev-web-capacity-exhausted",
            ["tasks-failing-to-start"] = "dev-web-tasks-failing-to-start",
        }));
    }

    [Test]
    public async Task Constructor_KmsKeys_ExecutionRoleDecryptsAndLogGroupEncrypts()
    {
        const string Key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var service = new ServiceArgs { Name = "web", SecretsKmsKeyArns = [Key], LogKmsKeyArn = Key };

        var (kit, _, _) = await RunAsync(Args(null, service));

        var policy = Inputs.Json(kit.OfType("aws:iam/rolePolicy:RolePolicy").Single(), "policy");
        Assert.That(policy.GetProperty("Statement").GetRawText(), Is.EqualTo($$"""[{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":["{{Key}}"]}]"""));
        Assert.That(kit.OfType("aws:cloudwatch/logGroup:LogGroup").Single().Input("kmsKeyId"), Is.EqualTo(Key));
    }

    [Test]
    public async Task Constructor_Defaults_ContainerHardenedAsConfigured()
    {
        var (kit, _, _) = await RunAsync(Args(null));

        var container = Inputs.Container(kit.OfType("aws:ecs/taskDefinition:TaskDefinition").Single());
        Assert.That(container.GetProperty("image").GetString(), Is.EqualTo("public.ecr.aws/nginx/nginx-unprivileged:stable"));
        Assert.That(container.GetProperty("portMappings")[0].GetProperty("containerPort").GetInt32(), Is.EqualTo(8080));
        Assert.That(container.GetProperty("user").GetString(), Is.EqualTo("101"));
        Assert.That(container.GetProperty("readonlyRootFilesystem").GetBoolean(), Is.True);
        Assert.That(container.GetProperty("linuxParameters").GetRawText(), Is.EqualTo(
            """{"initProcessEnabled":true,"capabilities":{"add":[],"drop":["ALL"]},"tmpfs":[{"containerPath":"/tmp","size":64,"mountOptions":["rw","nosuid","nodev","mode=1777"]}]}"""));
    }

    [Test]
    public void TrustPolicy_OnlyEcsTasksOfTheAccountInTheRegionAndPartition()
    {
        Assert.That(StepScaledEcsService.TrustPolicy("aws-cn", "cn-north-1", "210987654321"), Is.EqualTo(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"210987654321"},"ArnLike":{"aws:SourceArn":"arn:aws-cn:ecs:cn-north-1:210987654321:*"}}}]}"""));
    }

    [Test]
    public void Constructor_RootUserWithoutAllowRoot_ErrorNamesThePath()
    {
        var kit = new PulumiTestKit();

        var error = Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("dev", true), () =>
        {
            _ = new StepScaledEcsService("web", Args(null, new ServiceArgs { Name = "web", User = "root", WritablePaths = ["relative/path"] }));
        }));

        Assert.That(error!.Message, Does.Contain("service.user: must not be root (root, 0, 0:0 …) unless service.allowRoot is true; got 'root'"));
        Assert.That(error.Message, Does.Contain("service.writablePaths[0]: must be an absolute path starting with '/', e.g. /tmp; got 'relative/path'"));
        Assert.That(kit.Resources, Is.Empty);
    }

    private static StepScaledEcsServiceArgs WithAlerts(StepScaledEcsServiceArgs args, bool containerInsights) => new()
    {
        ClusterArn = args.ClusterArn,
        ClusterName = args.ClusterName,
        Subnets = args.Subnets,
        Service = args.Service,
        Scaling = args.Scaling,
        FlapCheck = args.FlapCheck,
        Alerts = new AlertsArgs { TopicArn = "arn:aws:sns:eu-west-1:123456789012:on-call" },
        ClusterHasContainerInsights = containerInsights,
    };

    private static List<(string? Lower, string? Upper, double Adjustment)> Steps(PulumiTestKit kit, string policyName)
    {
        var policy = kit.OfType(PolicyType).Single(p => p.Name == policyName);
        var steps = (IEnumerable<object>)policy.Object("stepScalingPolicyConfiguration")["stepAdjustments"];
        return [.. steps.Cast<ImmutableDictionary<string, object>>().Select(s => (
            s.TryGetValue("metricIntervalLowerBound", out var l) ? (string?)l : null,
            s.TryGetValue("metricIntervalUpperBound", out var u) ? (string?)u : null,
            Convert.ToDouble(s["scalingAdjustment"], CultureInfo.InvariantCulture)))];
    }
}
