using System.Collections.Concurrent;
using System.Collections.Immutable;
using Moq;
using Pulumi;
using Pulumi.Testing;
using Pulumi.Utilities;

namespace StepScaledEcs.ConsumerTests;

/// <summary>One resource as the mock monitor saw it: its type token, logical name and inputs.</summary>
public sealed record Seen(string Type, string Name, ImmutableDictionary<string, object> Inputs)
{
    public object? Input(string key) => Inputs.TryGetValue(key, out var v) ? v : null;

    public IReadOnlyList<object> List(string key) => Inputs.TryGetValue(key, out var v) && v is IEnumerable<object> items ? [.. items] : [];

    public ImmutableDictionary<string, object> Map(string key) => Inputs.TryGetValue(key, out var v) && v is ImmutableDictionary<string, object> map ? map : ImmutableDictionary<string, object>.Empty;
}

/// <summary>
/// Pulumi mocks (Moq) that answer each resource of the consumer program with the outputs AWS gives it, in AWS's
/// formats (a Secrets Manager ARN ends in <c>:secret:name-XXXXXX</c>, a target group's ARN suffix is
/// <c>targetgroup/name/16 hex</c>, an ECR image URI is <c>repository@sha256:…</c>). An output can be made unknown
/// (what <c>pulumi preview</c> sees before the resource exists) or replaced by another value (a bad one).
/// </summary>
public sealed class ConsumerMocks
{
    public const string Project = "consumer";

    public const string Account = "123456789012";

    public const string Region = "eu-west-1";

    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly ConcurrentQueue<Seen> _seen = new();

    public ConsumerMocks()
    {
        Mocks = new Mock<IMocks>(MockBehavior.Strict);
        Mocks.Setup(m => m.NewResourceAsync(It.IsAny<MockResourceArgs>()))
            .Returns((MockResourceArgs args) =>
            {
                var (type, name) = (args.Type ?? string.Empty, args.Name ?? string.Empty);
                _seen.Enqueue(new Seen(type, name, args.Inputs));
                var state = args.Inputs.ToBuilder();
                foreach (var (key, value) in OutputsOf(type, name, args.Inputs))
                {
                    state[key] = Unknown.Contains((type, key)) ? OutputUtilities.CreateUnknown(string.Empty)
                        : Overrides.TryGetValue((type, key), out var given) ? given : value;
                }

                // Mock ids are empty for ordinary resources; an empty id would make every id unknown.
                var id = string.IsNullOrEmpty(args.Id) ? $"{name}-id" : args.Id;
                return Task.FromResult<(string? id, object state)>((id, state.ToImmutable()));
            });
        Mocks.Setup(m => m.CallAsync(It.IsAny<MockCallArgs>()))
            .Returns((MockCallArgs args) => Task.FromResult<object>(args.Token switch
            {
                "aws:index/getCallerIdentity:getCallerIdentity" => new Dictionary<string, object> { ["accountId"] = Account, ["arn"] = $"arn:aws:iam::{Account}:user/ci", ["id"] = Account, ["userId"] = "AIDAEXAMPLE" },
                "aws:index/getRegion:getRegion" => new Dictionary<string, object> { ["id"] = Region, ["name"] = Region, ["region"] = Region },
                "aws:index/getPartition:getPartition" => new Dictionary<string, object> { ["dnsSuffix"] = "amazonaws.com", ["id"] = "aws", ["partition"] = "aws" },
                _ => throw new InvalidOperationException($"unexpected invoke {args.Token}"),
            }));
        Mocks.Setup(m => m.RegisterResourceOutputs(It.IsAny<MockRegisterResourceOutputsRequest>())).Returns(Task.CompletedTask);
    }

    public Mock<IMocks> Mocks { get; }

    /// <summary>Outputs (type token, output name) the mock answers as unknown.</summary>
    public ISet<(string Type, string Output)> Unknown { get; } = new HashSet<(string, string)>();

    /// <summary>Outputs (type token, output name) the mock answers with the given value instead of AWS's.</summary>
    public IDictionary<(string Type, string Output), object> Overrides { get; } = new Dictionary<(string, string), object>();

    /// <summary>Every registered resource except the root stack, in registration order.</summary>
    public IReadOnlyList<Seen> Resources => [.. _seen.Where(r => r.Type != "pulumi:pulumi:Stack")];

    public Seen One(string type, string name) => Resources.Single(r => r.Type == type && r.Name == name);

    public IReadOnlyList<Seen> OfType(string type) => [.. Resources.Where(r => r.Type == type)];

    public static TestOptions Options(bool preview) => new() { ProjectName = Project, StackName = "prod", IsPreview = preview };

    /// <summary>The ARN AWS gives a resource of the program.</summary>
    public static string ArnOf(string type, string name) => type switch
    {
        "aws:sns/topic:Topic" => $"arn:aws:sns:{Region}:{Account}:{name}",
        "aws:secretsmanager/secret:Secret" => $"arn:aws:secretsmanager:{Region}:{Account}:secret:{name}-AbCdEf",
        "aws:kms/key:Key" => $"arn:aws:kms:{Region}:{Account}:key/{KeyId(name)}",
        "aws:iam/policy:Policy" => $"arn:aws:iam::{Account}:policy/{name}",
        "aws:s3/bucket:Bucket" => $"arn:aws:s3:::{BucketName(name)}",
        "aws:lb/targetGroup:TargetGroup" => $"arn:aws:elasticloadbalancing:{Region}:{Account}:{TargetGroupSuffix(name)}",
        "aws:lb/loadBalancer:LoadBalancer" => $"arn:aws:elasticloadbalancing:{Region}:{Account}:loadbalancer/app/{name}/0123456789abcdef",
        "aws:ecs/cluster:Cluster" => $"arn:aws:ecs:{Region}:{Account}:cluster/{name}",
        "aws:cloudwatch/logGroup:LogGroup" => $"arn:aws:logs:{Region}:{Account}:log-group:{name}",
        _ => $"arn:aws:{type.Split(':')[1].Split('/')[0]}:{Region}:{Account}:{name}",
    };

    public static string BucketName(string name) => $"{name}-20261207083000000000000001";

    public static string TargetGroupSuffix(string name) => $"targetgroup/{name}/0123456789abcdef";

    public static string RepositoryUrl(string repository) => $"{Account}.dkr.ecr.{Region}.amazonaws.com/{repository}";

    private static string KeyId(string name) => $"1234abcd-12ab-34cd-56ef-{name.Length:D12}";

    private static Dictionary<string, object> OutputsOf(string type, string name, ImmutableDictionary<string, object> inputs)
    {
        var outputs = new Dictionary<string, object>(StringComparer.Ordinal) { ["arn"] = ArnOf(type, name), ["name"] = inputs.TryGetValue("name", out var n) && n is string given ? given : name };
        switch (type)
        {
            case "aws:s3/bucket:Bucket":
                outputs["bucket"] = BucketName(name);
                break;
            case "aws:lb/targetGroup:TargetGroup":
                outputs["arnSuffix"] = TargetGroupSuffix(name);
                break;
            case "aws:ecr/repository:Repository":
                outputs["repositoryUrl"] = RepositoryUrl((string)outputs["name"]);
                break;
            case "awsx:ecr:Image":
                // awsx pushes the image and returns it by digest (Ecr/Image.cs: imageUri, "Unique identifier of the pushed image").
                outputs["imageUri"] = $"{(inputs.TryGetValue("repositoryUrl", out var url) ? url : "unknown")}@{Digest}";
                break;
        }

        return outputs;
    }
}
