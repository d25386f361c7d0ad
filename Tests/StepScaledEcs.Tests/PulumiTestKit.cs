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

/// <summary>Pulumi mocks (Moq) that record every resource and give each a deterministic id, ARN and name.</summary>
public sealed class PulumiTestKit
{
    public const string Project = "step-scaled-ecs";

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
                if (type == "aws:lb/targetGroup:TargetGroup")
                {
                    state.TryAdd("arnSuffix", $"targetgroup/{name}/0123456789abcdef");
                }

                // Mock ids are empty for ordinary resources; an empty id would make every id unknown.
                var id = string.IsNullOrEmpty(args.Id) ? $"{name}-id" : args.Id;
                return Task.FromResult<(string? id, object state)>((id, state.ToImmutable()));
            });
        Mocks.Setup(m => m.CallAsync(It.IsAny<MockCallArgs>()))
            .Returns((MockCallArgs args) => Task.FromResult<object>(args.Args));
        Mocks.Setup(m => m.RegisterResourceOutputs(It.IsAny<MockRegisterResourceOutputsRequest>()))
            .Returns(Task.CompletedTask);
    }

    public Mock<IMocks> Mocks { get; }

    /// <summary>Every registered resource except the root stack, in registration order.</summary>
    public IReadOnlyList<Registered> Resources => [.. _registered.Where(r => r.Type != "pulumi:pulumi:Stack")];

    public IReadOnlyList<Registered> OfType(string type) => [.. Resources.Where(r => r.Type == type)];

    public static string ArnFor(string type, string name) => type switch
    {
        "aws:cloudwatch/logGroup:LogGroup" => $"arn:aws:logs:eu-west-1:123456789012:log-group:{name}",
        _ => $"arn:aws:{type.Split(':')[1].Split('/')[0]}:eu-west-1:123456789012:{name}",
    };

    public static TestOptions Options(string stack, bool preview) => new() { ProjectName = Project, StackName = stack, IsPreview = preview };

    /// <summary>Sets PULUMI_CONFIG to a stack file's project keys, as the Pulumi CLI hands them to the program.</summary>
    public static void UseStackConfig(StackFile file)
    {
        var config = file.Values.ToDictionary(kv => $"{Project}:{kv.Key}", kv => kv.Value);
        config["aws:region"] = "eu-west-1";
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(config));
    }

    public static string RepoRoot() => StepScaling.Testing.RepositoryFiles.Root;

    public static Task<T> ValueAsync<T>(Output<T> output) => Pulumi.Utilities.OutputUtilities.GetValueAsync(output);
}
