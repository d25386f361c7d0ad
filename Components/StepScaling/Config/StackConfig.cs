using System.Collections.Immutable;
using StepScaling.Model;

namespace StepScaling.Config;

/// <summary>Everything a stack's config says, mapped and checked; Pulumi-free.</summary>
public sealed record StackConfig
{
    /// <summary>The container and service settings.</summary>
    public required ServiceSettings Service { get; init; }

    /// <summary>The network settings.</summary>
    public required NetworkSettings Network { get; init; }

    /// <summary>The scaling as written, or null when scaling is switched off.</summary>
    public ScalingDefinition? Scaling { get; init; }

    /// <summary>How flap findings are reported.</summary>
    public FlapCheckMode FlapCheck { get; init; } = Defaults.FlapCheck;
}

/// <summary>The container and ECS service settings (<c>service</c> config key).</summary>
public sealed record ServiceSettings
{
    /// <summary>Default service name.</summary>
    public const string DefaultName = "app";

    /// <summary>Default image: a public nginx that listens on port 80.</summary>
    public const string DefaultImage = "public.ecr.aws/nginx/nginx:stable";

    /// <summary>Default Fargate CPU units (0.25 vCPU).</summary>
    public const int DefaultCpu = 256;

    /// <summary>Default Fargate memory in MiB.</summary>
    public const int DefaultMemory = 512;

    /// <summary>Default container port.</summary>
    public const int DefaultContainerPort = 80;

    /// <summary>Default log retention in days.</summary>
    public const int DefaultLogRetentionDays = 30;

    /// <summary>Default health-check grace period in seconds when behind a load balancer.</summary>
    public const int DefaultHealthCheckGracePeriod = 60;

    /// <summary>The service name: letters, digits, '-' and '_', up to 32 characters. <value>The default value is <c>app</c>.</value></summary>
    public string Name { get; init; } = DefaultName;

    /// <summary>The container image. <value>The default value is <see cref="DefaultImage"/>.</value></summary>
    public string Image { get; init; } = DefaultImage;

    /// <summary>Fargate CPU units. <value>The default value is 256.</value></summary>
    public int Cpu { get; init; } = DefaultCpu;

    /// <summary>Fargate memory in MiB. <value>The default value is 512.</value></summary>
    public int Memory { get; init; } = DefaultMemory;

    /// <summary>The port the container listens on. <value>The default value is 80.</value></summary>
    public int ContainerPort { get; init; } = DefaultContainerPort;

    /// <summary>Plain environment variables (never secrets).</summary>
    public ImmutableSortedDictionary<string, string> Environment { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Secrets: variable name to an SSM parameter or Secrets Manager ARN.</summary>
    public ImmutableSortedDictionary<string, string> Secrets { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The container command, or empty for the image's own.</summary>
    public ImmutableArray<string> Command { get; init; } = [];

    /// <summary>The container health check, or null for none.</summary>
    public HealthCheckSettings? HealthCheck { get; init; }

    /// <summary>Log retention in days. <value>The default value is 30.</value></summary>
    public int LogRetentionDays { get; init; } = DefaultLogRetentionDays;

    /// <summary>Whether tasks get a public IP. <value>The default value is false.</value></summary>
    public bool AssignPublicIp { get; init; }

    /// <summary>Seconds the load balancer's health checks are ignored after a task starts. <value>The default value is 60.</value></summary>
    public int HealthCheckGracePeriod { get; init; } = DefaultHealthCheckGracePeriod;

    /// <summary>The initial task count; null for the scaling minimum (or 1 without scaling).</summary>
    public int? DesiredCount { get; init; }
}

/// <summary>A container health check (ECS <c>healthCheck</c>).</summary>
public sealed record HealthCheckSettings
{
    /// <summary>The command, e.g. <c>["CMD-SHELL", "curl -f http://localhost/ || exit 1"]</c>.</summary>
    public required ImmutableArray<string> Command { get; init; }

    /// <summary>Seconds between checks (5–300). <value>The default value is 30.</value></summary>
    public int Interval { get; init; } = 30;

    /// <summary>Seconds before a check fails (2–60). <value>The default value is 5.</value></summary>
    public int Timeout { get; init; } = 5;

    /// <summary>Failures before unhealthy (1–10). <value>The default value is 3.</value></summary>
    public int Retries { get; init; } = 3;

    /// <summary>Grace seconds after start (0–300). <value>The default value is 0.</value></summary>
    public int StartPeriod { get; init; }
}

/// <summary>How the stack builds its network (<c>network</c> config key).</summary>
public sealed record NetworkSettings
{
    /// <summary>Default VPC CIDR block.</summary>
    public const string DefaultVpcCidr = "10.0.0.0/16";

    /// <summary>Use the account's default VPC instead of creating one. <value>The default value is false.</value></summary>
    public bool UseDefaultVpc { get; init; }

    /// <summary>The CIDR block of a new VPC. <value>The default value is <c>10.0.0.0/16</c>.</value></summary>
    public string VpcCidr { get; init; } = DefaultVpcCidr;

    /// <summary>NAT gateways for the private subnets of a new VPC. <value>The default value is <see cref="NatGatewayStrategy.Single"/>.</value></summary>
    public NatGatewayStrategy NatGateways { get; init; } = NatGatewayStrategy.Single;
}

/// <summary>NAT gateway layout of a new VPC.</summary>
public enum NatGatewayStrategy
{
    /// <summary>One NAT gateway shared by all private subnets (cheaper).</summary>
    Single,

    /// <summary>One NAT gateway per availability zone (survives an AZ outage).</summary>
    OnePerAz,
}
