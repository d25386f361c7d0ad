using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace StepScaling.Validation;

/// <summary>
/// The AWS rules behind the production defaults: ARN grammar, the ALB security policies, the container user, the
/// writable paths and the kernel capabilities Fargate accepts. Each rule names the AWS page it comes from.
/// </summary>
public static partial class SecurityRules
{
    /// <summary>The ALB security policy used when none is given: TLS 1.3 and 1.2, the one AWS recommends for general use.</summary>
    public const string DefaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    /// <summary>
    /// The predefined security policies of the ELB page "Security policies for your Application Load Balancer"
    /// (ALBs do not support custom policies); <c>ELBSecurityPolicy-2015-05</c> is in the Network Load Balancer table only.
    /// </summary>
    public static readonly ImmutableSortedSet<string> AlbSslPolicies = ImmutableSortedSet.Create(
        StringComparer.Ordinal,
        "ELBSecurityPolicy-2016-08",
        "ELBSecurityPolicy-FS-1-1-2019-08",
        "ELBSecurityPolicy-FS-1-2-2019-08",
        "ELBSecurityPolicy-FS-1-2-Res-2019-08",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        "ELBSecurityPolicy-FS-2018-06",
        "ELBSecurityPolicy-TLS-1-1-2017-01",
        "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "ELBSecurityPolicy-TLS13-1-0-2021-06",
        "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-1-2021-06",
        "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext0-RFC9151-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07");

    /// <summary>
    /// Kernel capabilities a Fargate task may add back after dropping all: ECS API reference, "KernelCapabilities"
    /// ("Tasks launched on Fargate only support adding the SYS_PTRACE kernel capability").
    /// </summary>
    public static readonly ImmutableArray<string> FargateAddableCapabilities = ["SYS_PTRACE"];

    /// <summary>The kinds of ARN the config takes, each with its service and resource grammar.</summary>
    public enum ArnKind
    {
        /// <summary>An ACM certificate: <c>arn:aws:acm:REGION:ACCOUNT:certificate/ID</c>.</summary>
        AcmCertificate,

        /// <summary>A KMS key (not an alias: IAM resources and log groups take key ARNs): <c>arn:aws:kms:REGION:ACCOUNT:key/ID</c>.</summary>
        KmsKey,

        /// <summary>An SNS topic: <c>arn:aws:sns:REGION:ACCOUNT:NAME</c>.</summary>
        SnsTopic,
    }

    /// <summary>
    /// Checks an ARN against "Amazon Resource Names (ARNs)" (IAM User Guide: <c>arn:partition:service:region:account-id:resource</c>)
    /// and the resource format of its service's "Actions, resources, and condition keys" page. Returns null when it is
    /// valid, else the rule it breaks (the caller adds the path and the value).
    /// </summary>
    public static string? CheckArn(string? arn, ArnKind kind)
    {
        var (service, resource, example) = kind switch
        {
            ArnKind.AcmCertificate => ("acm", "certificate/ID", "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-…"),
            ArnKind.KmsKey => ("kms", "key/ID", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-…"),
            _ => ("sns", "TOPIC-NAME", "arn:aws:sns:us-east-1:123456789012:alerts"),
        };
        var expected = $"must be {Describe(kind)} ARN (arn:aws:{service}:REGION:ACCOUNT:{resource}, e.g. {example})";
        if (string.IsNullOrWhiteSpace(arn))
        {
            return expected;
        }

        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || !PartitionRegex().IsMatch(parts[1]))
        {
            return expected;
        }

        if (parts[2] != service)
        {
            return $"{expected}; this is an ARN of the '{parts[2]}' service";
        }

        if (!RegionRegex().IsMatch(parts[3]))
        {
            return $"{expected}; '{parts[3]}' is not a region code such as us-east-1";
        }

        if (!AccountRegex().IsMatch(parts[4]))
        {
            return $"{expected}; '{parts[4]}' is not a 12-digit account id";
        }

        var resourceOk = kind switch
        {
            ArnKind.AcmCertificate => CertificateResourceRegex().IsMatch(parts[5]),
            ArnKind.KmsKey => KmsKeyResourceRegex().IsMatch(parts[5]),
            _ => TopicNameRegex().IsMatch(parts[5]),
        };
        return resourceOk ? null : $"{expected}; the resource part '{parts[5]}' is not {resource}";
    }

    /// <summary>
    /// Whether a container <c>user</c> runs as root: ECS "Task definition parameters" (user: <c>user</c>,
    /// <c>user:group</c>, <c>uid</c>, <c>uid:gid</c>, <c>user:gid</c>, <c>uid:group</c>); the user part is root or uid 0.
    /// </summary>
    public static bool IsRootUser(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.Split(':', 2)[0].Trim();
        return name == "root" || (name.Length > 0 && name.All(c => c == '0'));
    }

    /// <summary>The <c>user</c> grammar of the ECS container definition: a name or id, optionally <c>:</c> a group or gid.</summary>
    public static bool IsValidUser(string user) => UserRegex().IsMatch(user);

    /// <summary>
    /// Checks a writable path (a tmpfs <c>containerPath</c>, ECS "LinuxParameters"/"Tmpfs"): absolute, no <c>.</c> or
    /// <c>..</c> segment, not the root itself. Returns null when valid, else the rule.
    /// </summary>
    public static string? CheckWritablePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
        {
            return "must be an absolute path starting with '/', e.g. /tmp";
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return "must not be '/': a writable root filesystem is what readonlyRootFilesystem prevents";
        }

        if (segments.Any(s => s is "." or ".."))
        {
            return "must not contain '.' or '..' segments";
        }

        return path.Any(char.IsWhiteSpace) || path.Contains("//", StringComparison.Ordinal)
            ? "must not contain whitespace or '//'"
            : null;
    }

    /// <summary>
    /// S3 bucket naming rules (S3 User Guide, "General purpose bucket naming rules"): 3–63 lowercase letters, digits,
    /// dots and hyphens, beginning and ending with a letter or digit.
    /// </summary>
    public static bool IsValidBucketName(string bucket) => BucketRegex().IsMatch(bucket) && !bucket.Contains("..", StringComparison.Ordinal);

    private static string Describe(ArnKind kind) => kind switch
    {
        ArnKind.AcmCertificate => "an ACM certificate",
        ArnKind.KmsKey => "a KMS key",
        _ => "an SNS topic",
    };

    [GeneratedRegex("^aws(-cn|-us-gov|-iso|-iso-[a-z]|-eusc)?$")]
    private static partial Regex PartitionRegex();

    [GeneratedRegex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$")]
    private static partial Regex RegionRegex();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountRegex();

    [GeneratedRegex("^certificate/[A-Za-z0-9-]{1,128}$")]
    private static partial Regex CertificateResourceRegex();

    [GeneratedRegex("^key/(mrk-)?[A-Za-z0-9-]{1,128}$")]
    private static partial Regex KmsKeyResourceRegex();

    // SNS CreateTopic: 1-256 letters, digits, '-' and '_' (and '.fifo' for FIFO topics).
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,256}(\.fifo)?$")]
    private static partial Regex TopicNameRegex();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}(:[A-Za-z0-9_.-]{1,64})?$")]
    private static partial Regex UserRegex();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketRegex();
}
