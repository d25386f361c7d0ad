using System.Collections.Immutable;
using StepScaling.Config;

namespace StepScaling.Validation;

/// <summary>The rules of the load-balancer section: certificate, TLS policy, header handling, idle timeout, health-check path and access logs.</summary>
public static class LoadBalancerRules
{
    /// <summary>An ALB without an ACM certificate serves plain HTTP (ELB "Create an HTTPS listener for your Application Load Balancer").</summary>
    public static readonly Rule Https = new("lb.https", Severity.Warning, "loadBalancer.certificateArn", "not set: the load balancer serves plain HTTP", "ELB User Guide, \"Create an HTTPS listener for your Application Load Balancer\"");

    /// <summary>ALB attribute <c>routing.http.drop_invalid_header_fields.enabled</c> (Security Hub ELB.4).</summary>
    public static readonly Rule DropInvalidHeaders = new("lb.drop-invalid-headers", Severity.Warning, "loadBalancer.dropInvalidHeaderFields", "false: invalid HTTP header fields reach the service", "Security Hub control ELB.4");

    /// <summary>ALBs take only the predefined security policies.</summary>
    public static readonly Rule SslPolicy = new("lb.ssl-policy", Severity.Error, "loadBalancer.sslPolicy", "a predefined ALB security policy", "ELB User Guide, \"Security policies for your Application Load Balancer\"");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [SslPolicy, Https, DropInvalidHeaders];

    /// <summary>Checks the load-balancer settings into <paramref name="bag"/>; HTTP only is a warning, not an error.</summary>
    public static void Validate(LoadBalancerSettings lb, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(lb);
        ArgumentNullException.ThrowIfNull(bag);
        if (lb.CertificateArn is { } certificate)
        {
            if (SecurityRules.CheckArn(certificate, SecurityRules.ArnKind.AcmCertificate) is { } rule)
            {
                bag.Error("loadBalancer.certificateArn", $"{rule}; got '{certificate}'");
            }
        }
        else
        {
            bag.Warning(Https, "loadBalancer.certificateArn", "is not set: the load balancer serves plain HTTP on port 80 and traffic is unencrypted; set an ACM certificate ARN to serve HTTPS (production stacks should)");
        }

        if (!SecurityRules.AlbSslPolicies.Contains(lb.SslPolicy ?? string.Empty))
        {
            bag.Error("loadBalancer.sslPolicy", $"must be a predefined ALB security policy (\"Security policies for your Application Load Balancer\"), e.g. {SecurityRules.DefaultSslPolicy}; got '{lb.SslPolicy}'");
        }

        if (!lb.DropInvalidHeaderFields)
        {
            bag.Warning(DropInvalidHeaders, "loadBalancer.dropInvalidHeaderFields", "is false: header fields that are not valid HTTP reach the service (Security Hub ELB.4)");
        }

        if (AwsRules.AlbIdleTimeout.Check(lb.IdleTimeout) is { } idle)
        {
            bag.Error("loadBalancer.idleTimeout", idle);
        }

        if (AwsRules.CheckHealthCheckPath(lb.HealthCheckPath ?? string.Empty) is { } healthCheckPath)
        {
            bag.Error("loadBalancer.healthCheckPath", healthCheckPath);
        }

        if (lb.AccessLogs is { } logs)
        {
            if (!SecurityRules.IsValidBucketName(logs.Bucket ?? string.Empty))
            {
                bag.Error("loadBalancer.accessLogs.bucket", $"must be an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit; got '{logs.Bucket}'");
            }

            // ALB "Access logs": the prefix cannot start or end with '/' and cannot contain AWSLogs.
            if (logs.Prefix is { } prefix && (prefix.Length == 0 || prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.Contains("AWSLogs", StringComparison.Ordinal)))
            {
                bag.Error("loadBalancer.accessLogs.prefix", $"must not be empty, start or end with '/', or contain 'AWSLogs'; got '{prefix}'");
            }
        }
    }

}
