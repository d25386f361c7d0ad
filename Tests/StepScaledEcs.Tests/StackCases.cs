using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Pulumi;
using StepScaling.Config;

namespace StepScaledEcs.Tests;

/// <summary>A stack the guardrails run over: its file, and whether it switches every control off that can be.</summary>
public sealed record StackCase(string Name, StackFile File, bool OptOuts)
{
    public const string CertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

    public const string KeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    public const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:on-call";

    public const string SecretArn = "arn:aws:ssm:eu-west-1:123456789012:parameter/web/db-password";

    private static readonly ConcurrentDictionary<string, IReadOnlyList<Registered>> Runs = new(StringComparer.Ordinal);

    /// <summary>The config the program reads from the file.</summary>
    public StackConfig Config => StepScaling.Planning.StackPlanner.Plan(File).Config ?? throw new InvalidOperationException($"{Name} does not plan");

    /// <summary>The repository's two stacks, a production stack with every optional control on, and one with every opt-out.</summary>
    public static IEnumerable<StackCase> All()
    {
        yield return new StackCase("dev", StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), "Pulumi.dev.yaml")), OptOuts: false);
        yield return new StackCase("prod", StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), "Pulumi.prod.yaml")), OptOuts: false);
        yield return new StackCase("hardened", Parse("hardened", $$"""
            config:
              aws:region: eu-west-1
              step-scaled-ecs:service:
                name: api
                cpu: 512
                memory: 1024
                secrets: { DB_PASSWORD: "{{SecretArn}}" }
                secretsKmsKeyArns: ["{{KeyArn}}"]
                logKmsKeyArn: {{KeyArn}}
                writablePaths: ["/tmp", "/var/cache/nginx"]
              step-scaled-ecs:loadBalancer:
                certificateArn: {{CertificateArn}}
                deletionProtection: true
                idleTimeout: 30
                accessLogs: { bucket: my-alb-logs, prefix: api }
              step-scaled-ecs:alerts:
                topicArn: {{TopicArn}}
              step-scaled-ecs:scaling:
                minCapacity: 2
                maxCapacity: 6
                policies:
                  - name: requests
                    metric: RequestCountPerTarget
                    scaleOut: { bands: [{ from: 1000, change: 1 }] }
                    scaleIn: { evaluationPeriods: 5, bands: [{ to: 200, change: -1 }] }
            """), OptOuts: false);
        yield return new StackCase("opt-outs", Parse("optouts", """
            config:
              aws:region: eu-west-1
              step-scaled-ecs:network:
                useDefaultVpc: true
              step-scaled-ecs:service:
                name: legacy
                image: public.ecr.aws/nginx/nginx:stable
                containerPort: 80
                user: root
                allowRoot: true
                readonlyRootFilesystem: false
                writablePaths: []
                capabilities: [SYS_PTRACE]
                assignPublicIp: true
              step-scaled-ecs:loadBalancer:
                dropInvalidHeaderFields: false
                deletionProtection: false
            """), OptOuts: true);
    }

    /// <summary>Every resource the program registers for this stack (run once per stack, in preview as Pulumi previews).</summary>
    public IReadOnlyList<Registered> Resources() => Runs.GetOrAdd(Name, _ => RunAsync().GetAwaiter().GetResult());

    public override string ToString() => Name;

    private async Task<IReadOnlyList<Registered>> RunAsync()
    {
        PulumiTestKit.UseStackConfig(File);
        try
        {
            var kit = new PulumiTestKit();
            await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options(File.Stack, preview: true), StackProgram.Run);
            return kit.Resources;
        }
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
        }
    }

    private static StackFile Parse(string stack, string yaml) => StackFile.Parse(yaml, $"Pulumi.{stack}.yaml", PulumiTestKit.Project);
}

/// <summary>Reading resource inputs the way AWS reads them: container definitions and IAM documents are JSON text.</summary>
public static class Inputs
{
    public static JsonElement Container(Registered taskDefinition)
    {
        using var document = JsonDocument.Parse((string)taskDefinition.Input("containerDefinitions")!);
        return document.RootElement.EnumerateArray().Single().Clone();
    }

    public static JsonElement Json(Registered resource, string key)
    {
        using var document = JsonDocument.Parse((string)resource.Input(key)!);
        return document.RootElement.Clone();
    }

    public static ImmutableDictionary<string, object> Dict(object value) => (ImmutableDictionary<string, object>)value;

    public static IReadOnlyList<ImmutableDictionary<string, object>> Dicts(object? value) =>
        value is null ? [] : [.. ((IEnumerable<object>)value).Cast<ImmutableDictionary<string, object>>()];

    public static IReadOnlyList<string> Strings(object? value) => value is null ? [] : [.. ((IEnumerable<object>)value).Cast<string>()];

    public static int Int(object value) => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
}
