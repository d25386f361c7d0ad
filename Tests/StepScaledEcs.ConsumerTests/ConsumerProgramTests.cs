using System.Collections.Immutable;
using System.Text.Json;
using Pulumi;
using StepScaling.Config;
using StepScaling.Validation;

namespace StepScaledEcs.ConsumerTests;

/// <summary>
/// The consumer program under Pulumi mocks: every output it hands the component reaches the right property of the
/// right resource; with every such output unknown (a preview) the component and its children register; a bad
/// value that resolves later fails the update with the tool's own message, before any resource uses it.
/// </summary>
[TestFixture]
[NonParallelizable] // Pulumi's Deployment is process-global: mock tests must run one at a time.
public sealed class ConsumerProgramTests
{
    private const string AlarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";
    private const string TaskDefinitionType = "aws:ecs/taskDefinition:TaskDefinition";

    /// <summary>Every output of another resource the program hands the component, by (type, output).</summary>
    private static readonly (string Type, string Output)[] References =
    [
        ("aws:sns/topic:Topic", "arn"),
        ("aws:secretsmanager/secret:Secret", "arn"),
        ("aws:s3/bucket:Bucket", "bucket"),
        ("aws:kms/key:Key", "arn"),
        ("aws:iam/policy:Policy", "arn"),
        ("awsx:ecr:Image", "imageUri"),
        ("aws:lb/targetGroup:TargetGroup", "arn"),
        ("aws:lb/targetGroup:TargetGroup", "arnSuffix"),
        ("aws:ecs/cluster:Cluster", "arn"),
        ("aws:ecs/cluster:Cluster", "name"),
    ];

    private static string ImageUri => $"{ConsumerMocks.RepositoryUrl(ConsumerProgram.RepositoryName)}@{ConsumerMocks.Digest}";

    private static async Task<ConsumerMocks> RunAsync(bool preview, Action<ConsumerMocks>? configure = null)
    {
        var mocks = new ConsumerMocks();
        configure?.Invoke(mocks);
        await Deployment.TestAsync(mocks.Mocks.Object, ConsumerMocks.Options(preview), ConsumerProgram.Run);
        return mocks;
    }

    private static async Task<IReadOnlyList<string>> ErrorsAsync(Action<ConsumerMocks> configure, ConsumerMocks? mocks = null)
    {
        mocks ??= new ConsumerMocks();
        configure(mocks);
        try
        {
            await Deployment.TestAsync(mocks.Mocks.Object, ConsumerMocks.Options(preview: false), ConsumerProgram.Run);
        }
        catch (RunException e)
        {
            return [e.Message];
        }
        catch (AggregateException e)
        {
            return [.. e.InnerExceptions.Select(i => i.Message)];
        }

        return [];
    }

    /// <summary>The tool's own message as a user sees it: no exception type, no stack trace.</summary>
    private static void AssertClean(IReadOnlyList<string> errors)
    {
        Assert.That(errors, Is.Not.Empty);
        Assert.That(errors, Has.All.StartsWith("1 error in the step-scaling configuration:").And.All.Not.Contains("Exception").And.All.Not.Contains("   at "));
    }

    private static JsonElement Container(ConsumerMocks mocks)
    {
        var definitions = (string)mocks.One(TaskDefinitionType, $"{ConsumerProgram.Name}-task").Input("containerDefinitions")!;
        return JsonDocument.Parse(definitions).RootElement.EnumerateArray().Single();
    }

    [Test]
    public async Task Run_AlertsTopic_IsTheActionOfEveryAlertAlarm()
    {
        var mocks = await RunAsync(preview: false);

        var topic = ConsumerMocks.ArnOf("aws:sns/topic:Topic", "alerts");
        foreach (var alert in new[] { "capacity-exhausted", "tasks-failing-to-start" })
        {
            var alarm = mocks.One(AlarmType, $"{ConsumerProgram.Name}-{alert}");
            Assert.That(alarm.List("alarmActions"), Is.EqualTo(new[] { topic }), alert);
            Assert.That(alarm.List("okActions"), Is.EqualTo(new[] { topic }), alert);
        }
    }

    [Test]
    public async Task Run_SecretAndBucket_ReachTheContainerDefinition()
    {
        var mocks = await RunAsync(preview: false);

        var container = Container(mocks);
        var secrets = container.GetProperty("secrets").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("valueFrom").GetString());
        var environment = container.GetProperty("environment").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString());
        Assert.That(secrets, Is.EqualTo(new Dictionary<string, string?> { ["DB_PASSWORD"] = ConsumerMocks.ArnOf("aws:secretsmanager/secret:Secret", "db-password") }));
        Assert.That(environment, Is.EqualTo(new Dictionary<string, string?> { ["LOG_LEVEL"] = "info", ["UPLOAD_BUCKET"] = ConsumerMocks.BucketName("uploads") }));
    }

    [Test]
    public async Task Run_ImageUri_IsTheContainerImage()
    {
        var mocks = await RunAsync(preview: false);

        Assert.That(Container(mocks).GetProperty("image").GetString(), Is.EqualTo(ImageUri));
        Assert.That(mocks.One("awsx:ecr:Image", "app").Input("repositoryUrl"), Is.EqualTo(ConsumerMocks.RepositoryUrl(ConsumerProgram.RepositoryName)));
    }

    [Test]
    public async Task Run_KeysAndPolicy_ReachTheLogGroupTheExecutionRoleAndTheTaskRole()
    {
        var mocks = await RunAsync(preview: false);

        var logsKey = ConsumerMocks.ArnOf("aws:kms/key:Key", "logs-key");
        var secretsKey = ConsumerMocks.ArnOf("aws:kms/key:Key", "secrets-key");
        Assert.That(mocks.One("aws:cloudwatch/logGroup:LogGroup", $"{ConsumerProgram.Name}-logs").Input("kmsKeyId"), Is.EqualTo(logsKey));

        var attachment = mocks.One("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", $"{ConsumerProgram.Name}-task-policies");
        Assert.That(attachment.List("policyArns"), Is.EqualTo(new[] { ConsumerMocks.ArnOf("aws:iam/policy:Policy", "uploads-rw") }));
        Assert.That(attachment.Input("roleName"), Is.EqualTo($"{ConsumerProgram.Name}-task"), "the task role, not the execution role");

        using var policy = JsonDocument.Parse((string)mocks.One("aws:iam/rolePolicy:RolePolicy", $"{ConsumerProgram.Name}-secrets").Input("policy")!);
        var resources = policy.RootElement.GetProperty("Statement").EnumerateArray().SelectMany(s => s.GetProperty("Resource").EnumerateArray()).Select(r => r.GetString()).ToList();
        Assert.That(resources, Is.EquivalentTo(new[] { ConsumerMocks.ArnOf("aws:secretsmanager/secret:Secret", "db-password"), secretsKey }));
    }

    [Test]
    public async Task Run_TargetGroupOfTheAlb_IsTheScalingAlarmsDimensionAndTheServicesTarget()
    {
        var mocks = await RunAsync(preview: false);

        foreach (var side in new[] { "requests-out", "requests-in" })
        {
            var alarm = mocks.One(AlarmType, $"{ConsumerProgram.Name}-{side}-alarm");
            Assert.That(alarm.Map("dimensions"), Is.EquivalentTo(new Dictionary<string, object> { ["TargetGroup"] = ConsumerMocks.TargetGroupSuffix("web") }), side);
            Assert.That((alarm.Input("namespace"), alarm.Input("metricName")), Is.EqualTo(((object)"AWS/ApplicationELB", (object)"RequestCountPerTarget")), side);
        }

        var loadBalancers = mocks.One("aws:ecs/service:Service", $"{ConsumerProgram.Name}-service").List("loadBalancers");
        Assert.That(((ImmutableDictionary<string, object>)loadBalancers.Single())["targetGroupArn"], Is.EqualTo(ConsumerMocks.ArnOf("aws:lb/targetGroup:TargetGroup", "web")));
    }

    [Test]
    public async Task Run_EveryReferenceUnknownAtPreview_RegistersTheSameResourcesWithoutError()
    {
        var known = await RunAsync(preview: true);
        var unknown = await RunAsync(preview: true, mocks => mocks.Unknown.UnionWith(References));

        static string[] Graph(ConsumerMocks m) => [.. m.Resources.Select(r => $"{r.Type} {r.Name}").Order(StringComparer.Ordinal)];
        Assert.That(Graph(unknown), Is.EqualTo(Graph(known)), "the same resources, whatever is unknown");
        Assert.That(Graph(unknown), Has.Member($"{TaskDefinitionType} {ConsumerProgram.Name}-task").And.Member($"{AlarmType} {ConsumerProgram.Name}-requests-out-alarm")
            .And.Member($"aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive {ConsumerProgram.Name}-task-policies"));
        Assert.That(unknown.One(TaskDefinitionType, $"{ConsumerProgram.Name}-task").Input("containerDefinitions"), Is.Not.EqualTo(known.One(TaskDefinitionType, $"{ConsumerProgram.Name}-task").Input("containerDefinitions")),
            "the container definitions wait for the image, secret and bucket");
    }

    [Test]
    public async Task Run_ImageThatBreaksTheGrammarResolvesLater_FailsWithTheToolsMessageAndNoTaskDefinition()
    {
        const string bad = "web-app:latest@sha256:short";
        var mocks = new ConsumerMocks();
        var errors = await ErrorsAsync(m => m.Overrides[("awsx:ecr:Image", "imageUri")] = bad, mocks);

        // The very message stack config gets for the same value.
        var expected = new DiagnosticBag();
        ServiceRules.ValidateReferences(new ServiceSettings { Image = bad }, expected);
        Assert.That(expected.Items, Has.Count.EqualTo(1));
        AssertClean(errors);
        Assert.That(errors, Has.All.Contains(expected.Items[0].ToString()).And.All.Contains("service.image").And.All.Contains("'sha256:short'"));
        Assert.That(mocks.OfType(TaskDefinitionType), Is.Empty, "no task definition is created with the bad image");
    }

    [Test]
    public async Task Run_TopicArnThatIsNotAnSnsArnResolvesLater_FailsWithTheToolsMessageAndNoAlertAlarm()
    {
        const string bad = "arn:aws:sqs:eu-west-1:123456789012:alerts";
        var mocks = new ConsumerMocks();
        var errors = await ErrorsAsync(m => m.Overrides[("aws:sns/topic:Topic", "arn")] = bad, mocks);

        var expected = new DiagnosticBag();
        AlertRules.CheckTopicArn(bad, expected);
        Assert.That(expected.Items, Has.Count.EqualTo(1));
        AssertClean(errors);
        Assert.That(errors, Has.All.Contains(expected.Items[0].ToString()).And.All.Contains("alerts.topicArn").And.All.Contains(bad));
        Assert.That(mocks.OfType(AlarmType).Where(a => a.Name.EndsWith("capacity-exhausted", StringComparison.Ordinal) || a.Name.EndsWith("tasks-failing-to-start", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Run_SecretArnThatIsTheSecretItselfResolvesLater_FailsAndNamesTheVariable()
    {
        var errors = await ErrorsAsync(m => m.Overrides[("aws:secretsmanager/secret:Secret", "arn")] = "hunter2");

        AssertClean(errors);
        Assert.That(errors, Has.All.Contains("service.secrets.DB_PASSWORD: must be the ARN of an SSM parameter"));
    }

    [Test]
    public async Task Run_ValidReferences_NoErrorAndTheScalingKnownAtPreview()
    {
        var mocks = new ConsumerMocks();
        mocks.Unknown.UnionWith(References);
        var (_, outputs) = await Deployment.TestAsync(mocks.Mocks.Object, ConsumerMocks.Options(preview: true), ConsumerProgram.Run);

        var summary = await Pulumi.Utilities.OutputUtilities.GetValueAsync((Output<string>)outputs["scalingSummary"]!);
        Assert.That(summary, Does.Contain("RequestCountPerTarget"), "the loop proof and summary need nothing unknown");
        Assert.That(await ErrorsAsync(_ => { }), Is.Empty);
    }
}
