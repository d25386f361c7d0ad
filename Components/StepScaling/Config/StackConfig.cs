using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Validation;

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

    /// <summary>The load balancer's listeners and attributes (<c>loadBalancer</c> config key).</summary>
    public LoadBalancerSettings LoadBalancer { get; init; } = new();

    /// <summary>The alarms that notify a human, or null when the <c>alerts</c> key is absent.</summary>
    public AlertSettings? Alerts { get; init; }
}

/// <summary>The container and ECS service settings (<c>service</c> config key).</summary>
public sealed record ServiceSettings
{
    /// <summary>Default service name.</summary>
    public const string DefaultName = "app";

    /// <summary>
    /// Default image: NGINX's own unprivileged build (github.com/nginx/docker-nginx-unprivileged, mirrored on the ECR
    /// Public Gallery): it runs as uid 101, listens on 8080 and keeps its pid and temporary files under /tmp, so it
    /// works as a non-root user on a read-only root filesystem.
    /// </summary>
    public const string DefaultImage = "public.ecr.aws/nginx/nginx-unprivileged:stable";

    /// <summary>Default container user: the uid the default image runs as.</summary>
    public const string DefaultUser = "101";

    /// <summary>Default writable paths: the default image writes only its pid and temporary files, all under /tmp.</summary>
    public static readonly ImmutableArray<string> DefaultWritablePaths = ["/tmp"];

    /// <summary>Size in MiB of each writable path (a tmpfs counts against the task's memory).</summary>
    public const int WritablePathSizeMiB = 64;

    /// <summary>Default Fargate CPU units (0.25 vCPU).</summary>
    public const int DefaultCpu = 256;

    /// <summary>Default Fargate memory in MiB.</summary>
    public const int DefaultMemory = 512;

    /// <summary>Default container port: the default image listens on 8080 (a non-root user cannot bind below 1024).</summary>
    public const int DefaultContainerPort = 8080;

    /// <summary>Default log retention in days.</summary>
    public const int DefaultLogRetentionDays = 30;

    /// <summary>Default health-check grace period in seconds when behind a load balancer.</summary>
    public const int DefaultHealthCheckGracePeriod = 60;

    /// <summary>The service name: letters, digits, '-' and '_', up to 32 characters. <value>The default value is <c>app</c>.</value></summary>
    public string Name { get; init; } = DefaultName;

    /// <summary>The container image. <value>The default value is <see cref="DefaultImage"/>.</value></summary>
    public string Image { get; init; } = DefaultImage;

    /// <summary>The application's own image, built and pushed by the program instead of <see cref="Image"/>; null for none. <value>The default value is null.</value></summary>
    public ImageBuildSettings? Build { get; init; }

    /// <summary>Fargate CPU units. <value>The default value is 256.</value></summary>
    public int Cpu { get; init; } = DefaultCpu;

    /// <summary>Fargate memory in MiB. <value>The default value is 512.</value></summary>
    public int Memory { get; init; } = DefaultMemory;

    /// <summary>The port the container listens on. <value>The default value is 8080.</value></summary>
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

    /// <summary>The user the container runs as (<c>uid</c>, <c>uid:gid</c>, <c>name</c> …). <value>The default value is <c>101</c>.</value></summary>
    public string User { get; init; } = DefaultUser;

    /// <summary>Whether a root <see cref="User"/> is accepted (with a warning on every preview). <value>The default value is false.</value></summary>
    public bool AllowRoot { get; init; }

    /// <summary>Whether the container's root filesystem is read-only. <value>The default value is true.</value></summary>
    public bool ReadonlyRootFilesystem { get; init; } = true;

    /// <summary>Absolute paths the application writes, each a tmpfs of <see cref="WritablePathSizeMiB"/> MiB. <value>The default value is <c>["/tmp"]</c>.</value></summary>
    public ImmutableArray<string> WritablePaths { get; init; } = DefaultWritablePaths;

    /// <summary>Linux capabilities added back after all are dropped (Fargate allows only SYS_PTRACE). <value>The default value is none.</value></summary>
    public ImmutableArray<string> Capabilities { get; init; } = [];

    /// <summary>Customer-managed KMS keys the secrets are encrypted with; the execution role may decrypt with exactly these. <value>The default value is none.</value></summary>
    public ImmutableArray<string> SecretsKmsKeyArns { get; init; } = [];

    /// <summary>A KMS key for the log group, or null for CloudWatch Logs' own encryption. <value>The default value is null.</value></summary>
    public string? LogKmsKeyArn { get; init; }
}

/// <summary>The Application Load Balancer in front of the service (<c>loadBalancer</c> config key).</summary>
public sealed record LoadBalancerSettings
{
    /// <summary>Default idle timeout in seconds (the ALB's own default).</summary>
    public const int DefaultIdleTimeout = 60;

    /// <summary>An ACM certificate ARN: HTTPS on 443 and a redirect from 80; null serves plain HTTP on 80. <value>The default value is null.</value></summary>
    public string? CertificateArn { get; init; }

    /// <summary>The HTTPS listener's security policy. <value>The default value is <see cref="SecurityRules.DefaultSslPolicy"/>.</value></summary>
    public string SslPolicy { get; init; } = SecurityRules.DefaultSslPolicy;

    /// <summary>Whether the ALB drops header fields that are not valid HTTP. <value>The default value is true.</value></summary>
    public bool DropInvalidHeaderFields { get; init; } = true;

    /// <summary>Whether the ALB refuses deletion. <value>The default value is false.</value></summary>
    public bool DeletionProtection { get; init; }

    /// <summary>Seconds a connection may idle (1–4000). <value>The default value is 60.</value></summary>
    public int IdleTimeout { get; init; } = DefaultIdleTimeout;

    /// <summary>The path the target group's health check requests from each task (HTTP 200 is healthy). <value>The default value is <c>/</c>.</value></summary>
    public string HealthCheckPath { get; init; } = "/";

    /// <summary>Access logs to the user's S3 bucket, or null for none. <value>The default value is null.</value></summary>
    public AccessLogSettings? AccessLogs { get; init; }

    /// <summary>Whether the ALB serves HTTPS (a certificate is set).</summary>
    public bool Https => CertificateArn is not null;

    /// <summary>The ports open to the internet: 443 and 80 (which redirects) with a certificate, else 80.</summary>
    public ImmutableArray<int> ListenerPorts => Https ? [443, 80] : [80];
}

/// <summary>ALB access logs (<c>loadBalancer.accessLogs</c>).</summary>
/// <param name="Bucket">The S3 bucket; its policy must let the ELB account write.</param>
/// <param name="Prefix">An optional key prefix.</param>
public sealed record AccessLogSettings(string Bucket, string? Prefix = null);

/// <summary>The alarms that notify a human (<c>alerts</c> config key).</summary>
public sealed record AlertSettings
{
    /// <summary>Default minutes at maxCapacity before the capacity alert fires.</summary>
    public const int DefaultCapacityExhaustedMinutes = 15;

    /// <summary>Default minutes with fewer running than desired tasks before the start-failure alert fires.</summary>
    public const int DefaultStartFailureMinutes = 10;

    /// <summary>The SNS topic (the user's own) notified on ALARM and on OK.</summary>
    public required string TopicArn { get; init; }

    /// <summary>
    /// Whether another resource supplies the topic and it is not known yet (a component's input at preview): then
    /// <see cref="TopicArn"/> is empty and the topic's rule runs when the input resolves.
    /// </summary>
    public bool TopicArnPending { get; init; }

    /// <summary>Minutes at maxCapacity before "capacity exhausted" fires (1–1440). <value>The default value is 15.</value></summary>
    public int CapacityExhaustedMinutes { get; init; } = DefaultCapacityExhaustedMinutes;

    /// <summary>Minutes with running below desired tasks before "tasks failing to start" fires (1–1440). <value>The default value is 10.</value></summary>
    public int StartFailureMinutes { get; init; } = DefaultStartFailureMinutes;
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
