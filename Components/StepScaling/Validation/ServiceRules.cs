using System.Collections.Immutable;
using System.Text.RegularExpressions;
using StepScaling.Config;
using StepScaling.Model;

namespace StepScaling.Validation;

/// <summary>
/// The rules of the service section: Fargate size, log retention, ports, health check, environment and secrets,
/// and the production hardening (non-root user, read-only root filesystem, capabilities, KMS keys). The config
/// mapper and the component both call these, so settings built in C# get the same checks as config.
/// </summary>
public static partial class ServiceRules
{
    /// <summary>ECS task definition <c>user</c> (AWS Config rule ecs-task-definition-linux-user-non-root): root only when the stack opts in.</summary>
    public static readonly Rule RootUser = new("service.root-user", Severity.Warning, "service.user", "the container runs as root (allowed by service.allowRoot)", "AWS Config rule ecs-task-definition-linux-user-non-root");

    /// <summary>ECS <c>readonlyRootFilesystem</c> (Security Hub ECS.5).</summary>
    public static readonly Rule WritableRoot = new("service.writable-root", Severity.Warning, "service.readonlyRootFilesystem", "the root filesystem is writable; list writable paths instead", "Security Hub control ECS.5");

    /// <summary>CreateService <c>healthCheckGracePeriodSeconds</c> applies to load-balancer health checks only.</summary>
    public static readonly Rule GracePeriodIgnored = new("service.grace-period-ignored", Severity.Warning, "service.healthCheckGracePeriod", "set on a service without a load balancer, where ECS ignores it", "ECS API Reference, CreateService healthCheckGracePeriodSeconds");

    /// <summary>Fargate task size: a CPU value and a memory that suits it.</summary>
    public static readonly Rule FargateSize = new("service.fargate-size", Severity.Error, "service.cpu, service.memory", "a Fargate CPU value and a memory it supports", "ECS Developer Guide, \"Task size\" (Fargate)");

    /// <summary>CloudWatch Logs PutRetentionPolicy retentionInDays.</summary>
    public static readonly Rule LogRetention = new("service.log-retention", Severity.Error, "service.logRetentionDays", "one of the retention periods CloudWatch Logs accepts", "CloudWatch Logs API Reference, PutRetentionPolicy");

    /// <summary>Non-root by default (AWS Config rule ecs-task-definition-linux-user-non-root).</summary>
    public static readonly Rule NonRoot = new("service.non-root", Severity.Error, "service.user", "a user or uid, not root unless service.allowRoot", "AWS Config rule ecs-task-definition-linux-user-non-root");

    /// <summary>Secrets are references, never values (ECS "Pass sensitive data to a container").</summary>
    public static readonly Rule SecretReferences = new("service.secret-references", Severity.Error, "service.secrets, service.environment", "secrets are SSM or Secrets Manager ARNs; plain variables must not look like secrets", "ECS Developer Guide, \"Pass sensitive data to an Amazon ECS container\"");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [FargateSize, LogRetention, NonRoot, SecretReferences, RootUser, WritableRoot, GracePeriodIgnored];

    /// <summary>
    /// Checks service settings (Fargate size, log retention, environment and secrets) into <paramref name="bag"/>;
    /// the component calls this too, so settings built in C# get the same checks as config.
    /// </summary>
    public static void Validate(ServiceSettings s, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(bag);
        if (AwsRules.CheckServiceName(s.Name) is { } nameMessage)
        {
            bag.Error("service.name", nameMessage);
        }

        CheckImage(s.Image, bag);
        if (!FargateSizes.IsValidCpu(s.Cpu))
        {
            bag.Error("service.cpu", $"{FargateCpuRule}; got {s.Cpu}");
        }
        else if (!FargateSizes.IsValid(s.Cpu, s.Memory))
        {
            bag.Error("service.memory", $"with cpu {s.Cpu}, Fargate memory must be {FargateSizes.DescribeMemory(s.Cpu)} MiB; got {s.Memory}");
        }

        if (AwsRules.CheckLogRetentionDays(s.LogRetentionDays) is { } retentionMessage)
        {
            bag.Error("service.logRetentionDays", retentionMessage);
        }

        CheckRange(AwsRules.ContainerPort, s.ContainerPort, "service.containerPort", bag);
        CheckRange(AwsRules.HealthCheckGracePeriod, s.HealthCheckGracePeriod, "service.healthCheckGracePeriod", bag);
        if (s.DesiredCount is { } desired)
        {
            CheckRange(AwsRules.DesiredCount, desired, "service.desiredCount", bag);
        }

        if (s.HealthCheck is { } hc)
        {
            if (AwsRules.CheckHealthCheckCommand(hc.Command.IsDefault ? [] : hc.Command) is { } commandMessage)
            {
                bag.Error("service.healthCheck.command", commandMessage);
            }

            CheckRange(AwsRules.HealthCheckInterval, hc.Interval, "service.healthCheck.interval", bag);
            CheckRange(AwsRules.HealthCheckTimeout, hc.Timeout, "service.healthCheck.timeout", bag);
            CheckRange(AwsRules.HealthCheckRetries, hc.Retries, "service.healthCheck.retries", bag);
            CheckRange(AwsRules.HealthCheckStartPeriod, hc.StartPeriod, "service.healthCheck.startPeriod", bag);
        }

        CheckEnvironmentAndSecrets(s, bag);
        ValidateHardening(s, bag);
    }

    /// <summary>
    /// The production defaults of the container (AWS Config rules ecs-task-definition-linux-user-non-root and
    /// ecs-containers-readonly-access, Security Hub ECS.5) and the KMS keys it uses: each opt-out named, root only with allowRoot.
    /// </summary>
    private static void ValidateHardening(ServiceSettings s, DiagnosticBag bag)
    {
        var user = s.User ?? string.Empty;
        if (!SecurityRules.IsValidUser(user))
        {
            bag.Error("service.user", $"must be a user or uid, optionally ':' and a group or gid (e.g. 101 or 101:101); got '{user}'");
        }
        else if (SecurityRules.IsRootUser(user))
        {
            if (s.AllowRoot)
            {
                bag.Warning(RootUser, "service.user", $"runs the container as root ('{user}'), allowed by service.allowRoot: a compromised process owns the whole container");
            }
            else
            {
                bag.Error("service.user", $"must not be root (root, 0, 0:0 …) unless service.allowRoot is true; got '{user}'");
            }
        }

        if (!s.ReadonlyRootFilesystem)
        {
            bag.Warning(WritableRoot, "service.readonlyRootFilesystem", "is false: the container can write anywhere in its root filesystem (Security Hub ECS.5); list the paths it writes in service.writablePaths instead");
        }

        var paths = s.WritablePaths.IsDefault ? [] : s.WritablePaths;
        for (var i = 0; i < paths.Length; i++)
        {
            if (SecurityRules.CheckWritablePath(paths[i] ?? string.Empty) is { } rule)
            {
                bag.Error($"service.writablePaths[{i}]", $"{rule}; got '{paths[i]}'");
            }
            else if (paths.Take(i).Contains(paths[i], StringComparer.Ordinal))
            {
                bag.Error($"service.writablePaths[{i}]", $"is listed twice; got '{paths[i]}'");
            }
        }

        if (paths.Length * ServiceSettings.WritablePathSizeMiB >= s.Memory)
        {
            bag.Error("service.writablePaths", $"{paths.Length} writable paths of {ServiceSettings.WritablePathSizeMiB} MiB each would take the task's whole memory ({s.Memory} MiB); list fewer paths");
        }

        var capabilities = s.Capabilities.IsDefault ? [] : s.Capabilities;
        for (var i = 0; i < capabilities.Length; i++)
        {
            if (!SecurityRules.FargateAddableCapabilities.Contains(capabilities[i]))
            {
                bag.Error($"service.capabilities[{i}]", $"Fargate tasks can add back only {string.Join(", ", SecurityRules.FargateAddableCapabilities)} after all capabilities are dropped; got '{capabilities[i]}'");
            }
        }

        CheckKmsKeys(s, bag);
    }

    /// <summary>
    /// The rules of the service's values that a program usually takes from other resources (image, environment,
    /// secrets, KMS keys): <see cref="Validate"/> applies them with the rest, and the component applies them
    /// again to such a value when it resolves after the plain values were checked, so the message is the same.
    /// </summary>
    public static void ValidateReferences(ServiceSettings s, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(bag);
        CheckImage(s.Image, bag);
        CheckEnvironmentAndSecrets(s, bag);
        CheckKmsKeys(s, bag);
    }

    private static void CheckImage(string image, DiagnosticBag bag)
    {
        if (AwsRules.CheckImage(image) is { } imageMessage)
        {
            bag.Error("service.image", imageMessage);
        }
    }

    private static void CheckEnvironmentAndSecrets(ServiceSettings s, DiagnosticBag bag)
    {
        foreach (var (name, value) in s.Environment)
        {
            if (AwsRules.CheckEnvironmentName(name) is { } envMessage)
            {
                bag.Error($"service.environment.{name}", envMessage);
            }
            else if (SecretLikeNameRegex().IsMatch(name))
            {
                bag.Error($"service.environment.{name}", "looks like a secret: plain environment values are visible in the task definition; put it under service.secrets as an SSM parameter or Secrets Manager ARN");
            }

            _ = value;
        }

        foreach (var (name, arn) in s.Secrets)
        {
            if (AwsRules.CheckEnvironmentName(name) is { } secretNameMessage)
            {
                bag.Error($"service.secrets.{name}", secretNameMessage);
            }

            if (!AwsRules.IsSecretArn(arn))
            {
                bag.Error($"service.secrets.{name}", "must be the ARN of an SSM parameter (arn:aws:ssm:…:parameter/…) or a Secrets Manager secret (arn:aws:secretsmanager:…:secret:…), never the secret itself");
            }

            if (s.Environment.ContainsKey(name))
            {
                bag.Error($"service.secrets.{name}", "is also a plain environment variable; a name can be one or the other");
            }
        }
    }

    private static void CheckKmsKeys(ServiceSettings s, DiagnosticBag bag)
    {
        var keys = s.SecretsKmsKeyArns.IsDefault ? [] : s.SecretsKmsKeyArns;
        for (var i = 0; i < keys.Length; i++)
        {
            if (SecurityRules.CheckArn(keys[i], SecurityRules.ArnKind.KmsKey) is { } rule)
            {
                bag.Error($"service.secretsKmsKeyArns[{i}]", $"{rule}; got '{keys[i]}'");
            }
        }

        if (s.LogKmsKeyArn is { } logKey && SecurityRules.CheckArn(logKey, SecurityRules.ArnKind.KmsKey) is { } logRule)
        {
            bag.Error("service.logKmsKeyArn", $"{logRule}; got '{logKey}'");
        }
    }

    internal static string FargateCpuRule => $"must be a Fargate CPU value ({string.Join(", ", FargateSizes.CpuValues)})";

    private static void CheckRange(AwsRules.IntRange range, int value, string path, DiagnosticBag bag)
    {
        if (range.Check(value) is { } message)
        {
            bag.Error(path, message);
        }
    }

    [GeneratedRegex("(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY)", RegexOptions.IgnoreCase)]
    internal static partial Regex SecretLikeNameRegex();

    /// <summary>RegisterTaskDefinition family: the task family the component names <c>{stack}-{service}</c>.</summary>
    public static void CheckTaskFamily(string family, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (AwsRules.CheckTaskFamily(family) is { } familyMessage)
        {
            bag.Error("service.name", familyMessage);
        }
    }

    /// <summary>CreateService desiredCount: with scaling on, within the scalable target's capacity.</summary>
    public static void CheckDesiredCount(ServiceSettings service, ScalingSpec? spec, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(bag);
        var desired = service.DesiredCount ?? spec?.MinCapacity ?? 1;
        if (spec is not null && (desired < spec.MinCapacity || desired > spec.MaxCapacity))
        {
            bag.Error("service.desiredCount", $"must be within scaling.minCapacity and scaling.maxCapacity ({spec.MinCapacity}–{spec.MaxCapacity}); got {desired}");
        }
    }

    /// <summary>CreateService healthCheckGracePeriodSeconds applies only with a load balancer: set without one, it is a warning, never dropped silently.</summary>
    public static void CheckGracePeriod(ServiceSettings service, bool hasLoadBalancer, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(bag);
        if (!hasLoadBalancer && service.HealthCheckGracePeriod != ServiceSettings.DefaultHealthCheckGracePeriod)
        {
            bag.Warning(GracePeriodIgnored, "service.healthCheckGracePeriod", $"is ignored: the service has no LoadBalancer, and ECS applies the grace period only to load-balancer health checks; got {service.HealthCheckGracePeriod}");
        }
    }

    /// <summary>One CreateService capacityProviderStrategy item (its provider name usually comes from another resource).</summary>
    public static void CheckCapacityProvider(string path, string? provider, int weight, int @base, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (AwsRules.CheckCapacityProviderItem(provider, weight, @base) is { } message)
        {
            bag.Error(path, message);
        }
    }
}
