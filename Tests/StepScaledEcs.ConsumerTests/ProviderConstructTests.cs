using System.Collections.Immutable;
using System.Reflection;
using Pulumi;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using StepScaledEcs.Provider;

namespace StepScaledEcs.ConsumerTests;

/// <summary>
/// What a TypeScript, Python or YAML program sends the component package: its inputs as property values, where
/// another resource's output is computed (unknown) at preview. The provider's Construct passes them through
/// ComponentProviderHost's serializer to the component, which must accept them.
/// </summary>
[TestFixture]
[NonParallelizable] // Pulumi's Deployment is process-global: mock tests must run one at a time.
public sealed class ProviderConstructTests
{
    private const string Token = StepScaledEcsService.TypeToken;

    private static PropertyValue Text(string value) => new(value);

    private static PropertyValue Object(params (string Key, PropertyValue Value)[] entries) => new(entries.ToImmutableDictionary(e => e.Key, e => e.Value));

    private static PropertyValue List(params PropertyValue[] items) => new([.. items]);

    /// <summary>The consumer program's component inputs as another language sends them; <paramref name="reference"/> stands for each value from another resource.</summary>
    private static ImmutableDictionary<string, PropertyValue> Inputs(Func<string, PropertyValue> reference) => new Dictionary<string, PropertyValue>
    {
        ["clusterArn"] = reference("arn:aws:ecs:eu-west-1:123456789012:cluster/cluster"),
        ["clusterName"] = reference("cluster"),
        ["subnets"] = List(Text("subnet-private-a"), Text("subnet-private-b")),
        ["clusterHasContainerInsights"] = new PropertyValue(true),
        ["loadBalancer"] = Object(
            ("targetGroupArn", reference("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef")),
            ("targetGroupArnSuffix", reference("targetgroup/web/0123456789abcdef"))),
        ["service"] = Object(
            ("name", Text("web")),
            ("image", reference($"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web-app@{ConsumerMocks.Digest}")),
            ("environment", Object(("UPLOAD_BUCKET", reference("uploads-20261207")))),
            ("secrets", Object(("DB_PASSWORD", reference("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf")))),
            ("secretsKmsKeyArns", List(reference("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-000000000011"))),
            ("logKmsKeyArn", reference("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-000000000008"))),
        ["taskRolePolicyArns"] = List(reference("arn:aws:iam::123456789012:policy/uploads-rw")),
        ["capacityProviderStrategy"] = List(Object(("capacityProvider", reference("FARGATE")), ("weight", new PropertyValue(1)))),
        ["scaling"] = Object(
            ("minCapacity", new PropertyValue(2)),
            ("maxCapacity", new PropertyValue(10)),
            ("policies", List(Object(
                ("name", Text("requests")),
                ("metric", Object(("kind", Text("albRequestCountPerTarget")), ("targetGroup", reference("targetgroup/web/0123456789abcdef")))),
                ("scaleOut", Object(("bands", List(Object(("from", new PropertyValue(1000)), ("to", new PropertyValue(2000)), ("change", new PropertyValue(1))), Object(("from", new PropertyValue(2000)), ("change", new PropertyValue(3))))))),
                ("scaleIn", Object(("bands", List(Object(("to", new PropertyValue(200)), ("change", new PropertyValue(-1))))), ("cooldown", new PropertyValue(300)))))))),
        ["alerts"] = Object(("topicArn", reference("arn:aws:sns:eu-west-1:123456789012:alerts"))),
    }.ToImmutableDictionary();

    private static async Task<(ConsumerMocks Mocks, ConstructResponse Response)> ConstructAsync(ImmutableDictionary<string, PropertyValue> inputs, bool preview)
    {
        var mocks = new ConsumerMocks();
        ConstructResponse? response = null;
        await Deployment.TestAsync(mocks.Mocks.Object, ConsumerMocks.Options(preview), async () =>
        {
            response = await new StepScaledEcsProvider().Construct(new ConstructRequest(Token, "web", inputs, new ComponentResourceOptions()), CancellationToken.None);
        });
        return (mocks, response!);
    }

    private static string[] Graph(ConsumerMocks m) => [.. m.Resources.Select(r => $"{r.Type} {r.Name}").Order(StringComparer.Ordinal)];

    [Test]
    public async Task Construct_EveryReferenceComputed_TheComponentAcceptsThemAndRegistersItsChildren()
    {
        var (computed, response) = await ConstructAsync(Inputs(_ => PropertyValue.Computed), preview: true);
        var (known, _) = await ConstructAsync(Inputs(Text), preview: true);

        Assert.That(response.Urn.ToString(), Does.EndWith($"{Token}::web"));
        Assert.That(Graph(computed), Is.EqualTo(Graph(known)), "unknown inputs change no resource of the graph");
        Assert.That(Graph(computed), Has.Member("aws:ecs/taskDefinition:TaskDefinition web-task").And.Member("aws:cloudwatch/metricAlarm:MetricAlarm web-requests-out-alarm").And.Member("aws:cloudwatch/metricAlarm:MetricAlarm web-capacity-exhausted"));
        Assert.That(response.Outputs["scalingSummary"].TryGetString(out var summary) ? summary : null, Does.Contain("RequestCountPerTarget"), "the scaling is known at preview");
    }

    [Test]
    public async Task Construct_KnownReferences_ReachTheChildrenAsGiven()
    {
        var (mocks, _) = await ConstructAsync(Inputs(Text), preview: false);

        var service = mocks.One("aws:ecs/service:Service", "web-service");
        var strategy = (ImmutableDictionary<string, object>)service.List("capacityProviderStrategies").Single();
        Assert.That(strategy["capacityProvider"], Is.EqualTo("FARGATE"));
        Assert.That(mocks.One("aws:cloudwatch/logGroup:LogGroup", "web-logs").Input("kmsKeyId"), Is.EqualTo("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-000000000008"));
        Assert.That(mocks.One("aws:cloudwatch/metricAlarm:MetricAlarm", "web-capacity-exhausted").List("alarmActions"), Is.EqualTo(new[] { "arn:aws:sns:eu-west-1:123456789012:alerts" }));
    }

    [Test]
    public async Task Construct_KnownBadTopic_FailsBeforeAnyChildWithTheRule()
    {
        var inputs = Inputs(Text).SetItem("alerts", Object(("topicArn", Text("arn:aws:sqs:eu-west-1:123456789012:alerts"))));
        Exception? error = null;
        var mocks = new ConsumerMocks();
        await Deployment.TestAsync(mocks.Mocks.Object, ConsumerMocks.Options(preview: true), async () =>
        {
            try
            {
                await new StepScaledEcsProvider().Construct(new ConstructRequest(Token, "web", inputs, new ComponentResourceOptions()), CancellationToken.None);
            }
            catch (TargetInvocationException e)
            {
                error = e.InnerException;
            }
        });

        Assert.That(error, Is.InstanceOf<RunException>());
        Assert.That(error!.Message, Does.Contain("alerts.topicArn: must be an SNS topic ARN").And.Contain("arn:aws:sqs:eu-west-1:123456789012:alerts"));
        Assert.That(mocks.Resources, Is.Empty, "a value known at preview is checked before any resource is registered");
    }
}
