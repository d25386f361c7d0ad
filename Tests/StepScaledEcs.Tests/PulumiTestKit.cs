using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Moq;
using Pulumi;
using Pulumi.Testing;
using StepScaling.Config;

namespace StepScaledEcs.Tests;

/// <summary>One resource as the mock monitor saw it: its type token, logical name and inputs.</summary>
public sealed record Registered(string Type, string Name, ImmutableDictionary<string, object> Inputs)
{
    public string Arn => PulumiTestKit.ArnFor(Type, Name);

    public object? Input(string key) => Inputs.TryGetValue(key, out var v) ? v : null;

    public ImmutableDictionary<string, object> Object(string key) => (ImmutableDictionary<string, object>)Inputs[key];

    public IReadOnlyList<object> List(string key) => Inputs.TryGetValue(key, out var v) ? ((IEnumerable<object>)v).ToList() : [];
}

/// <summary>
/// Pulumi mocks (Moq) that record every resource and give each a deterministic id, ARN and name. The remote awsx
/// components are answered with the outputs they really have: VPC id and subnet ids; the load balancer and its default
/// target group as resource references. The account, region and partition invokes are answered too.
/// </summary>
public sealed class PulumiTestKit
{
    public const string Project = "step-scaled-ecs";

    public const string Account = "123456789012";

    public const string Region = "eu-west-1";

    private readonly ConcurrentQueue<Registered> _registered = new();

    public PulumiTestKit()
    {
        Mocks = new Mock<IMocks>(MockBehavior.Strict);
        Mocks.Setup(m => m.NewResourceAsync(It.IsAny<MockResourceArgs>()))
            .Returns((MockResourceArgs args) =>
            {
                var type = args.Type ?? string.Empty;
                var name = args.Name ?? string.Empty;
                _registered.Enqueue(new Registered(type, name, args.Inputs));
                var state = args.Inputs.ToBuilder();
                state.TryAdd("arn", ArnFor(type, name));
                state.TryAdd("name", name);
                switch (type)
                {
                    case "aws:lb/targetGroup:TargetGroup":
                        state.TryAdd("arnSuffix", $"targetgroup/{name}/0123456789abcdef");
                        break;
                    case "aws:lb/loadBalancer:LoadBalancer":
                        state.TryAdd("dnsName", $"{name}-1234567890.{Region}.elb.amazonaws.com");
                        break;
                    case "awsx:ec2:Vpc" or "awsx:ec2:DefaultVpc":
                        state["vpcId"] = $"vpc-{name}";
                        state["publicSubnetIds"] = ImmutableArray.Create($"subnet-{name}-public-a", $"subnet-{name}-public-b");
                        state["privateSubnetIds"] = ImmutableArray.Create($"subnet-{name}-private-a", $"subnet-{name}-private-b");
                        break;
                    case "awsx:ecr:Repository":
                        state["url"] = RepositoryUrl(name);
                        break;
                    case "awsx:ecr:Image":
                        // awsx returns repositoryUrl@digest (awsx/ecr/image.ts); ImageUriByTag stands for a reference that is not.
                        var repositoryUrl = args.Inputs.TryGetValue("repositoryUrl", out var url) ? (string)url : "unknown";
                        state["imageUri"] = ImageUriByTag ? $"{repositoryUrl}:{args.Inputs["imageTag"]}" : $"{repositoryUrl}@{ImageDigest}";
                        break;
                    case "awsx:lb:ApplicationLoadBalancer":
                        // awsx creates these as its children; a remote component's outputs are resource references.
                        if (!OmittedAlbOutputs.Contains("loadBalancer"))
                        {
                            state["loadBalancer"] = new Pulumi.Aws.LB.LoadBalancer(name, new Pulumi.Aws.LB.LoadBalancerArgs { LoadBalancerType = "application" });
                        }

                        if (!OmittedAlbOutputs.Contains("defaultTargetGroup"))
                        {
                            var group = (ImmutableDictionary<string, object>)args.Inputs["defaultTargetGroup"];
                            state["defaultTargetGroup"] = new Pulumi.Aws.LB.TargetGroup(name, new Pulumi.Aws.LB.TargetGroupArgs
                            {
                                Port = Convert.ToInt32(group["port"], System.Globalization.CultureInfo.InvariantCulture),
                                Protocol = (string)group["protocol"],
                                TargetType = (string)group["targetType"],
                            });
                        }

                        break;
                }

                // Mock ids are empty for ordinary resources; an empty id would make every id unknown.
                var id = string.IsNullOrEmpty(args.Id) ? $"{name}-id" : args.Id;
                return Task.FromResult<(string? id, object state)>((id, state.ToImmutable()));
            });
        Mocks.Setup(m => m.CallAsync(It.IsAny<MockCallArgs>()))
            .Returns((MockCallArgs args) =>
            {
                Calls.Enqueue(args.Token ?? string.Empty);
                return Task.FromResult<object>(args.Token switch
                {
                    "aws:index/getCallerIdentity:getCallerIdentity" => new Dictionary<string, object>
                    {
                        ["accountId"] = Account, ["arn"] = $"arn:aws:iam::{Account}:user/ci", ["id"] = Account, ["userId"] = "AIDAEXAMPLE",
                    },
                    "aws:index/getRegion:getRegion" => new Dictionary<string, object>
                    {
                        ["description"] = "Europe (Ireland)", ["endpoint"] = $"ec2.{Region}.amazonaws.com", ["id"] = Region, ["name"] = Region, ["region"] = Region,
                    },
                    "aws:index/getPartition:getPartition" => new Dictionary<string, object>
                    {
                        ["dnsSuffix"] = "amazonaws.com", ["id"] = "aws", ["partition"] = "aws", ["reverseDnsPrefix"] = "com.amazonaws",
                    },
                    _ => throw new InvalidOperationException($"unexpected invoke {args.Token}"),
                });
            });
        Mocks.Setup(m => m.RegisterResourceOutputs(It.IsAny<MockRegisterResourceOutputsRequest>()))
            .Returns(Task.CompletedTask);
    }

    /// <summary>The digest every mocked awsx:ecr:Image was pushed with.</summary>
    public const string ImageDigest = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    /// <summary>Whether awsx:ecr:Image returns its reference by tag instead of by digest, to test what the program does with it.</summary>
    public bool ImageUriByTag { get; set; }

    /// <summary>The URL awsx:ecr:Repository returns for a repository of the given logical name.</summary>
    public static string RepositoryUrl(string name) => $"{Account}.dkr.ecr.{Region}.amazonaws.com/{name}";

    /// <summary>Outputs of the awsx load balancer the mock leaves out, to test what the program does without them.</summary>
    public ISet<string> OmittedAlbOutputs { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Every invoke token the program called, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public Mock<IMocks> Mocks { get; }

    /// <summary>Every registered resource except the root stack, in registration order.</summary>
    public IReadOnlyList<Registered> Resources => [.. _registered.Where(r => r.Type != "pulumi:pulumi:Stack")];

    public IReadOnlyList<Registered> OfType(string type) => [.. Resources.Where(r => r.Type == type)];

    public static string ArnFor(string type, string name) => type switch
    {
        "aws:cloudwatch/logGroup:LogGroup" => $"arn:aws:logs:{Region}:{Account}:log-group:{name}",
        _ => $"arn:aws:{type.Split(':')[1].Split('/')[0]}:{Region}:{Account}:{name}",
    };

    public static TestOptions Options(string stack, bool preview) => new() { ProjectName = Project, StackName = stack, IsPreview = preview };

    /// <summary>Sets PULUMI_CONFIG to a stack file's project keys, as the Pulumi CLI hands them to the program.</summary>
    public static void UseStackConfig(StackFile file)
    {
        var config = file.Values.ToDictionary(kv => $"{Project}:{kv.Key}", kv => kv.Value);
        config["aws:region"] = Region;
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(config));
    }

    public static string RepoRoot() => StepScaling.Testing.RepositoryFiles.Root;

    public static Task<T> ValueAsync<T>(Output<T> output) => Pulumi.Utilities.OutputUtilities.GetValueAsync(output);
}
