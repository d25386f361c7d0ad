using System.Collections.Immutable;
using Pulumi;
using Pulumi.Utilities;
using StepScaling.Config;
using StepScaling.Model;

namespace StepScaledEcs.Tests;

/// <summary>The component's args read straight into the config mapper: plain values, known inputs, inputs not known yet.</summary>
[TestFixture]
public sealed class ArgsConfigTests
{
    private static ConfigNode? Key(ConfigNode node, string key) => node.TryGet(key, out var value) ? value : null;

    private static ScalingArgs Scaling(MetricArgs metric) => new()
    {
        Policies = [new PolicyArgs { Name = "requests", Metric = metric, ScaleOut = new SideArgs { Bands = [new BandArgs { From = 500, Change = 1 }] } }],
    };

    private static StepScaledEcsServiceArgs Args(ScalingArgs? scaling = null, AlertsArgs? alerts = null) => new()
    {
        ClusterArn = "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
        ClusterName = "c",
        Subnets = new InputList<string> { "subnet-a" },
        Scaling = scaling,
        Alerts = alerts,
    };

    [Test]
    public void Read_PlainKnownUnknownAndSecretArgs_EachAsTheMapperReadsIt()
    {
        var service = new ServiceArgs
        {
            Name = "web",
            Cpu = 512,
            AssignPublicIp = true,
            Command = ["serve"],
            Image = "public.ecr.aws/nginx/nginx:1.27",
            Environment = OutputUtilities.CreateUnknown(ImmutableDictionary<string, string>.Empty),
            LogKmsKeyArn = Output.CreateSecret("arn:aws:kms:eu-west-1:123456789012:key/k"),
        };

        var node = ArgsConfig.Read(service, "service")!;

        Assert.That(node.Kind, Is.EqualTo(ConfigNodeKind.Object));
        Assert.That(Key(node, "name")!.Scalar, Is.EqualTo("web"));
        Assert.That((Key(node, "cpu")!.Kind, Key(node, "cpu")!.Scalar), Is.EqualTo((ConfigNodeKind.Number, "512")));
        Assert.That((Key(node, "assignPublicIp")!.Kind, Key(node, "assignPublicIp")!.Scalar), Is.EqualTo((ConfigNodeKind.Boolean, "true")));
        Assert.That(Key(node, "command")!.Items.Select(i => i!.Scalar), Is.EqualTo(new[] { "serve" }));
        Assert.That((Key(node, "image")!.Kind, Key(node, "image")!.Scalar), Is.EqualTo((ConfigNodeKind.Text, "public.ecr.aws/nginx/nginx:1.27")), "a known input is its value");
        Assert.That(Key(node, "environment")!.Kind, Is.EqualTo(ConfigNodeKind.Pending), "an unknown input is pending");
        Assert.That(Key(node, "logKmsKeyArn")!.Scalar, Is.EqualTo("arn:aws:kms:eu-west-1:123456789012:key/k"), "a secret is read (the component hides it in messages)");
        Assert.That(node.Entries.Select(e => e.Key), Has.No.Member("secrets").And.No.Member("secretsKmsKeyArns").And.No.Member("memory"), "unset and known-empty inputs are absent");
    }

    [Test]
    public void MapComponentSections_TopicArnNotKnownYet_AlertsWithoutErrorOrPlaceholder()
    {
        var args = Args(alerts: new AlertsArgs { TopicArn = OutputUtilities.CreateUnknown(string.Empty) });

        var sections = StackConfigMapper.MapComponentSections(ArgsConfig.Sections(args));

        Assert.That(sections.HasErrors, Is.False, string.Join("\n", sections.Diagnostics));
        Assert.That(sections.Alerts, Is.Not.Null);
        Assert.That((sections.Alerts!.TopicArnPending, sections.Alerts.TopicArn), Is.EqualTo((true, string.Empty)), "checked when it resolves, no stand-in value");
    }

    [Test]
    public void MapComponentSections_KnownBadTopicArn_TheTopicRule()
    {
        var sections = StackConfigMapper.MapComponentSections(ArgsConfig.Sections(Args(alerts: new AlertsArgs { TopicArn = "not-an-arn" })));

        var errors = sections.Diagnostics.Where(d => d.Severity == StepScaling.Validation.Severity.Error).ToList();
        Assert.That(errors.Select(d => d.Path), Is.EqualTo(new[] { "alerts.topicArn" }));
        Assert.That(errors[0].Message, Does.Contain("'not-an-arn'"));
    }

    [Test]
    public void MapComponentSections_TargetGroupNotKnownYet_AcceptedOnAnAlbMetricUnknownKeyElsewhere()
    {
        var pending = OutputUtilities.CreateUnknown(string.Empty);
        var alb = StackConfigMapper.MapComponentSections(ArgsConfig.Sections(Args(Scaling(new MetricArgs { Kind = "albRequestCountPerTarget", TargetGroup = pending }))));
        var ecs = StackConfigMapper.MapComponentSections(ArgsConfig.Sections(Args(Scaling(new MetricArgs { Kind = "ecs", Name = "CPUUtilization", TargetGroup = pending }))));

        Assert.That(alb.HasErrors, Is.False, string.Join("\n", alb.Diagnostics));
        Assert.That(alb.Scaling!.Policies[0].Metric, Is.EqualTo(new AlbRequestCountPerTargetMetric(null)), "the value comes when it resolves");
        Assert.That(ecs.Diagnostics.Select(d => $"{d.Path}: {d.Message}"), Has.Some.StartsWith("scaling.policies[0].metric.targetGroup: unknown key 'targetGroup'"), "a shape rule runs on a pending value");
    }
}
