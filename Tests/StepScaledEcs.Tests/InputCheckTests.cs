using System.Text.Json;
using Pulumi;
using Pulumi.Utilities;
using StepScaling.Config;
using StepScaling.Planning;
using StepScaling.Validation;

namespace StepScaledEcs.Tests;

/// <summary>
/// Inputs checked at the earliest moment their value is known: at construction when already resolved, else when
/// they resolve, with the same message either way; and a stack's checked sections handed to the component as they are.
/// </summary>
[TestFixture]
[NonParallelizable] // Pulumi's Deployment is process-global: mock tests must run one at a time.
public sealed class InputCheckTests
{
    private const string BadImage = "nginx:latest@md5:abc";

    /// <summary>A value that resolves after the component is constructed, as a resource's output does.</summary>
    private static Output<string> Later(string value) => Output.Create(Task.Run(async () =>
    {
        await Task.Delay(20).ConfigureAwait(false);
        return value;
    }));

    private static async Task<(PulumiTestKit Kit, IReadOnlyList<string> Errors)> ErrorsAsync(Func<StepScaledEcsServiceArgs> args, bool preview = false)
    {
        var kit = new PulumiTestKit();
        try
        {
            await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("dev", preview), () => { _ = new StepScaledEcsService("web", args()); });
        }
        catch (RunException e)
        {
            return (kit, [e.Message]);
        }
        catch (AggregateException e)
        {
            return (kit, [.. e.InnerExceptions.Select(i => i.Message)]);
        }

        return (kit, []);
    }

    private static string ContainerImage(PulumiTestKit kit) =>
        JsonDocument.Parse((string)kit.OfType("aws:ecs/taskDefinition:TaskDefinition").Single().Input("containerDefinitions")!).RootElement[0].GetProperty("image").GetString()!;

    [TestCase(false)]
    [TestCase(true)]
    public async Task Constructor_BadImageKnownNowOrLater_FailsWithTheSameMessage(bool preview)
    {
        var (nowKit, now) = await ErrorsAsync(() => StepScaledEcsServiceTests.Args(null, new ServiceArgs { Name = "web", Image = BadImage }), preview);
        var (laterKit, later) = await ErrorsAsync(() => StepScaledEcsServiceTests.Args(null, new ServiceArgs { Name = "web", Image = Later(BadImage) }), preview);

        Assert.That(now, Has.Count.EqualTo(1));
        Assert.That(now[0], Does.Contain("service.image: a digest must be sha256:").And.Contain("'md5:abc'"));
        Assert.That(later, Is.Not.Empty);
        Assert.That(later, Has.All.EqualTo(now[0]), "the same field, rule and value");
        Assert.That(nowKit.Resources, Is.Empty, "known at construction: nothing is registered");
        Assert.That(laterKit.OfType("aws:ecs/taskDefinition:TaskDefinition"), Is.Empty, "resolved later: nothing that uses it is created");
    }

    [Test]
    public async Task Constructor_GoodImageResolvingLater_IsTheContainerImage()
    {
        var (kit, errors) = await ErrorsAsync(() => StepScaledEcsServiceTests.Args(null, new ServiceArgs { Name = "web", Image = Later("public.ecr.aws/docker/library/httpd:2.4") }));

        Assert.That(errors, Is.Empty);
        Assert.That(ContainerImage(kit), Is.EqualTo("public.ecr.aws/docker/library/httpd:2.4"));
    }

    [Test]
    public async Task Constructor_UnknownAtPreview_RegistersEverythingAndChecksNothingYet()
    {
        var (kit, errors) = await ErrorsAsync(() => StepScaledEcsServiceTests.Args(null, new ServiceArgs { Name = "web", Image = OutputUtilities.CreateUnknown(BadImage) }), preview: true);

        Assert.That(errors, Is.Empty, "an unknown value is not checked at preview");
        Assert.That(kit.OfType("aws:ecs/taskDefinition:TaskDefinition"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Constructor_BadSecretImage_MessageHidesTheValue()
    {
        var (_, errors) = await ErrorsAsync(() => StepScaledEcsServiceTests.Args(null, new ServiceArgs { Name = "web", Image = Output.CreateSecret("registry.example.com/app@md5:topsecret") }));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("service.image").And.Contain("[secret]").And.Not.Contain("topsecret"));
    }

    [Test]
    public async Task Constructor_CapacityProviderNameResolvingEmpty_FailsWithTheItemRule()
    {
        var (kit, errors) = await ErrorsAsync(() =>
        {
            var args = StepScaledEcsServiceTests.Args(null);
            args.CapacityProviderStrategy = [new CapacityProviderArgs { CapacityProvider = Later(" "), Weight = 1 }];
            return args;
        });

        var expected = StepScaling.Validation.AwsRules.CheckCapacityProviderItem(" ", 1, 0);
        Assert.That(errors, Is.Not.Empty);
        Assert.That(errors, Has.All.Contains($"capacityProviderStrategy[0]: {expected}"));
        Assert.That(kit.OfType("aws:ecs/service:Service"), Is.Empty);
    }

    [Test]
    public async Task Constructor_DimensionsResolvingLaterOnAnEcsMetric_ErrorBeforeAnyResource()
    {
        var scaling = new ScalingArgs
        {
            Policies =
            [
                new PolicyArgs
                {
                    Name = "cpu",
                    Metric = new MetricArgs { Kind = "ecs", Name = "CPUUtilization", Dimensions = { { "QueueName", Later("jobs") } } },
                    ScaleOut = new SideArgs { Bands = [new BandArgs { From = 70, Change = 1 }] },
                },
            ],
        };

        var (kit, errors) = await ErrorsAsync(() => StepScaledEcsServiceTests.Args(scaling));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("scaling.policies[0].metric.dimensions: unknown key 'dimensions'"), "an ECS metric takes no dimensions, known or not");
        Assert.That(kit.Resources, Is.Empty);
    }

    [Test]
    public async Task Constructor_CloudWatchDimensionsResolvingLater_AreTheAlarmsDimensions()
    {
        var scaling = new ScalingArgs
        {
            Policies =
            [
                new PolicyArgs
                {
                    Name = "queue",
                    LoadModel = "independent",
                    Metric = new MetricArgs { Kind = "cloudwatch", Namespace = "AWS/SQS", Name = "ApproximateNumberOfMessagesVisible", Dimensions = { { "QueueName", Later("jobs") } } },
                    ScaleOut = new SideArgs { Bands = [new BandArgs { From = 100, Change = 1 }] },
                },
            ],
        };

        var (kit, errors) = await ErrorsAsync(() => StepScaledEcsServiceTests.Args(scaling));

        Assert.That(errors, Is.Empty);
        var alarm = kit.OfType("aws:cloudwatch/metricAlarm:MetricAlarm").Single(a => a.Name == "web-queue-out-alarm");
        Assert.That(alarm.Object("dimensions"), Is.EquivalentTo(new Dictionary<string, object> { ["QueueName"] = "jobs" }));
    }

    [Test]
    public void UncheckedMessage_Paths_NamesEachAndSaysWhenTheyAreChecked()
    {
        Assert.That(References.UncheckedMessage([]), Is.Null);
        Assert.That(References.UncheckedMessage(["service.image", "alerts.topicArn"]), Does.StartWith("not checked yet, unknown until other resources exist: service.image, alerts.topicArn.")
            .And.Contain("checked when it resolves"));
    }

    [Test]
    public async Task UseCheckedSections_DevPlanAndAnImageFromAnotherResource_RunsThePlanWithThatImage()
    {
        var plan = StackPlanner.Plan(StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), "Pulumi.dev.yaml")).Values, "dev").Component!;
        var (kit, errors) = await ErrorsAsync(() => Stack(plan, new ServiceArgs { Image = Later("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:" + new string('a', 64)) }));

        Assert.That(errors, Is.Empty);
        Assert.That(ContainerImage(kit), Does.EndWith("@sha256:" + new string('a', 64)));
        Assert.That(kit.OfType("aws:cloudwatch/metricAlarm:MetricAlarm").Select(a => a.Name), Is.SupersetOf(plan.Spec!.Policies.Select(p => $"web-{p.Name}-alarm")));
    }

    [Test]
    public async Task UseCheckedSections_SectionGivenTwiceOrPlainServiceSetting_ErrorsNameThem()
    {
        var plan = StackPlanner.Plan(StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), "Pulumi.dev.yaml")).Values, "dev").Component!;
        var (kit, errors) = await ErrorsAsync(() =>
        {
            var args = Stack(plan, new ServiceArgs { Cpu = 1024 });
            args.Scaling = new ScalingArgs();
            return args;
        });

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("scaling: is also in the checked sections").And.Contain("service: with checked sections, may set only its inputs").And.Contain("got cpu"));
        Assert.That(kit.Resources, Is.Empty);
    }

    [Test]
    public async Task UseCheckedSections_PlanOfAnotherStack_Error()
    {
        var plan = StackPlanner.Plan(StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), "Pulumi.dev.yaml")).Values, "prod").Component!;
        var (_, errors) = await ErrorsAsync(() => Stack(plan, null));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("checkedSections: were checked for stack 'prod'"));
    }

    private static StepScaledEcsServiceArgs Stack(ComponentPlan plan, ServiceArgs? service) => new StepScaledEcsServiceArgs
    {
        ClusterArn = "arn:aws:ecs:eu-west-1:123456789012:cluster/my-cluster",
        ClusterName = "my-cluster",
        Subnets = new InputList<string> { "subnet-a" },
        LoadBalancer = new LoadBalancerAttachmentArgs { TargetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef", TargetGroupArnSuffix = "targetgroup/web/0123456789abcdef" },
        ClusterHasContainerInsights = true,
        Service = service,
    }.UseCheckedSections(plan);
}
