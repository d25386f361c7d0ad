using StepScaling.Config;
using StepScaling.Validation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>The production defaults in config: the container's user and filesystem, KMS keys, the load balancer and the alerts.</summary>
public class SecurityConfigTests
{
    private const string CertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    private const string KeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:on-call";
    private const string OneCpuPolicy = "scaling:\n  policies:\n    - name: cpu\n      metric: CPUUtilization\n      scaleOut: { bands: [{ from: 70, change: 1 }] }\n";

    private static IReadOnlyList<(string Path, string Message)> MapErrors(string projectKeys) => Errors(Map(projectKeys).Diagnostics);

    // ---- Defaults ----

    [Test]
    public void Map_NoKeys_ProductionDefaults()
    {
        var config = Map(string.Empty).Config!;

        Assert.That(config.Service.Image, Is.EqualTo("public.ecr.aws/nginx/nginx-unprivileged:stable"));
        Assert.That((config.Service.ContainerPort, config.Service.User, config.Service.AllowRoot, config.Service.ReadonlyRootFilesystem), Is.EqualTo((8080, "101", false, true)));
        Assert.That(config.Service.WritablePaths, Is.EqualTo(new[] { "/tmp" }));
        Assert.That(config.Service.Capabilities, Is.Empty);
        Assert.That(config.Service.SecretsKmsKeyArns, Is.Empty);
        Assert.That(config.Service.LogKmsKeyArn, Is.Null);
        Assert.That(config.LoadBalancer, Is.EqualTo(new LoadBalancerSettings()));
        Assert.That((config.LoadBalancer.SslPolicy, config.LoadBalancer.DropInvalidHeaderFields, config.LoadBalancer.DeletionProtection, config.LoadBalancer.IdleTimeout), Is.EqualTo(("ELBSecurityPolicy-TLS13-1-2-2021-06", true, false, 60)));
        Assert.That(config.LoadBalancer.ListenerPorts, Is.EqualTo(new[] { 80 }));
        Assert.That(config.Alerts, Is.Null);
    }

    [Test]
    public void Map_NoCertificate_WarnsThatTrafficIsUnencrypted()
    {
        var result = Map(string.Empty);

        Assert.That(Warnings(result.Diagnostics), Is.EqualTo(new[] { (HttpOnly.Path, HttpOnly.Message) }));
        Assert.That(HttpOnly.Message, Does.Contain("plain HTTP").And.Contain("unencrypted"));
    }

    [Test]
    public void Map_ProdStack_DeletionProtectionOnAndNoCertificateYet()
    {
        var config = StackConfigMapper.Map(StackFile.Load(Repo.ProdStack).Values).Config!;

        Assert.That(config.LoadBalancer.DeletionProtection, Is.True);
        Assert.That(config.LoadBalancer.CertificateArn, Is.Null, "the placeholder ARN is a comment until the user has a certificate");
        Assert.That(config.Service.User, Is.EqualTo("101"));
        Assert.That(config.Service.WritablePaths, Is.EqualTo(new[] { "/tmp" }));
    }

    // ---- Service hardening ----

    [Test]
    public void Map_EveryHardeningKey_Mapped()
    {
        var config = Map($$"""
            service:
              user: "1000:1000"
              readonlyRootFilesystem: true
              writablePaths: ["/tmp", "/var/cache/nginx"]
              capabilities: [SYS_PTRACE]
              secretsKmsKeyArns: ["{{KeyArn}}"]
              logKmsKeyArn: {{KeyArn}}
            """).Config!.Service;

        Assert.That(config.User, Is.EqualTo("1000:1000"));
        Assert.That(config.WritablePaths, Is.EqualTo(new[] { "/tmp", "/var/cache/nginx" }));
        Assert.That(config.Capabilities, Is.EqualTo(new[] { "SYS_PTRACE" }));
        Assert.That(config.SecretsKmsKeyArns, Is.EqualTo(new[] { KeyArn }));
        Assert.That(config.LogKmsKeyArn, Is.EqualTo(KeyArn));
    }

    [TestCase("root")]
    [TestCase("0")]
    [TestCase("0:0")]
    [TestCase("root:root")]
    [TestCase("00:1000")]
    public void Map_RootUserWithoutAllowRoot_ErrorNamingThePath(string user)
    {
        Assert.That(MapErrors($"service:\n  user: \"{user}\""), Is.EqualTo(new[]
        {
            ("service.user", $"must not be root (root, 0, 0:0 …) unless service.allowRoot is true; got '{user}'"),
        }));
    }

    [Test]
    public void Map_RootUserWithAllowRoot_WarningOnly()
    {
        var result = Map("service:\n  user: root\n  allowRoot: true");

        Assert.That(Errors(result.Diagnostics), Is.Empty);
        Assert.That(Warnings(ExceptHttpOnly(result.Diagnostics)), Is.EqualTo(new[]
        {
            ("service.user", "runs the container as root ('root'), allowed by service.allowRoot: a compromised process owns the whole container"),
        }));
    }

    [TestCase("1000", false)]
    [TestCase("nginx", false)]
    [TestCase("101:0", false)]
    [TestCase("rooty", false)]
    [TestCase("10", false)]
    [TestCase("0", true)]
    [TestCase("root:1000", true)]
    public void IsRootUser_UserPartIsRootOrUidZero(string user, bool root)
    {
        Assert.That(SecurityRules.IsRootUser(user), Is.EqualTo(root));
    }

    [Test]
    public void Map_MalformedUser_Error()
    {
        Assert.That(MapErrors("service:\n  user: \"web app\""), Is.EqualTo(new[]
        {
            ("service.user", "must be a user or uid, optionally ':' and a group or gid (e.g. 101 or 101:101); got 'web app'"),
        }));
    }

    [Test]
    public void Map_ReadonlyRootFilesystemOff_WarningNamesTheControl()
    {
        var result = Map("service:\n  readonlyRootFilesystem: false");

        Assert.That(Errors(result.Diagnostics), Is.Empty);
        Assert.That(Warnings(ExceptHttpOnly(result.Diagnostics)).Single().Path, Is.EqualTo("service.readonlyRootFilesystem"));
        Assert.That(Warnings(ExceptHttpOnly(result.Diagnostics)).Single().Message, Does.Contain("Security Hub ECS.5"));
    }

    [Test]
    public void Map_BadWritablePaths_EachErrorNamesItsIndexAndValue()
    {
        Assert.That(MapErrors("service:\n  writablePaths: [tmp, \"/\", /var/../etc, /tmp, /tmp]"), Is.EqualTo(new[]
        {
            ("service.writablePaths[0]", "must be an absolute path starting with '/', e.g. /tmp; got 'tmp'"),
            ("service.writablePaths[1]", "must not be '/': a writable root filesystem is what readonlyRootFilesystem prevents; got '/'"),
            ("service.writablePaths[2]", "must not contain '.' or '..' segments; got '/var/../etc'"),
            ("service.writablePaths[4]", "is listed twice; got '/tmp'"),
        }));
    }

    [Test]
    public void Map_WritablePathsFillingTheMemory_Error()
    {
        var paths = string.Join(", ", Enumerable.Range(0, 8).Select(i => $"/w{i}"));

        Assert.That(MapErrors($"service:\n  writablePaths: [{paths}]"), Is.EqualTo(new[]
        {
            ("service.writablePaths", "8 writable paths of 64 MiB each would take the task's whole memory (512 MiB); list fewer paths"),
        }));
    }

    [Test]
    public void Map_CapabilityFargateCannotAdd_Error()
    {
        Assert.That(MapErrors("service:\n  capabilities: [SYS_PTRACE, NET_ADMIN]"), Is.EqualTo(new[]
        {
            ("service.capabilities[1]", "Fargate tasks can add back only SYS_PTRACE after all capabilities are dropped; got 'NET_ADMIN'"),
        }));
    }

    [Test]
    public void Map_KmsKeyArnsOfTheWrongServiceOrRegion_Errors()
    {
        var errors = MapErrors("""
            service:
              secretsKmsKeyArns:
                - arn:aws:kms:eu-west-1:123456789012:alias/my-key
                - arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
              logKmsKeyArn: arn:aws:kms:euwest1:123456789012:key/1234abcd
            """);

        const string Rule = "must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID, e.g. arn:aws:kms:us-east-1:123456789012:key/1234abcd-…)";
        Assert.That(errors, Is.EqualTo(new[]
        {
            ("service.secretsKmsKeyArns[0]", $"{Rule}; the resource part 'alias/my-key' is not key/ID; got 'arn:aws:kms:eu-west-1:123456789012:alias/my-key'"),
            ("service.secretsKmsKeyArns[1]", $"{Rule}; this is an ARN of the 'secretsmanager' service; got 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db'"),
            ("service.logKmsKeyArn", $"{Rule}; 'euwest1' is not a region code such as us-east-1; got 'arn:aws:kms:euwest1:123456789012:key/1234abcd'"),
        }));
    }

    // ---- Load balancer ----

    [Test]
    public void Map_LoadBalancerSection_EveryKey()
    {
        var result = Map($"""
            loadBalancer:
              certificateArn: {CertificateArn}
              sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06
              dropInvalidHeaderFields: true
              deletionProtection: true
              idleTimeout: 120
              accessLogs: {"{"} bucket: my-alb-logs, prefix: web {"}"}
            """);

        Assert.That(result.Diagnostics, Is.Empty, "HTTPS: no warning");
        Assert.That(result.Config!.LoadBalancer, Is.EqualTo(new LoadBalancerSettings
        {
            CertificateArn = CertificateArn,
            SslPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06",
            DeletionProtection = true,
            IdleTimeout = 120,
            AccessLogs = new AccessLogSettings("my-alb-logs", "web"),
        }));
        Assert.That(result.Config.LoadBalancer.ListenerPorts, Is.EqualTo(new[] { 443, 80 }));
    }

    [Test]
    public void Map_CertificateArnOfAnotherServiceOrRegionFormat_ErrorNamingThePath()
    {
        const string Rule = "must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID, e.g. arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-…)";

        Assert.That(MapErrors("loadBalancer:\n  certificateArn: arn:aws:iam::123456789012:server-certificate/web"), Is.EqualTo(new[]
        {
            ("loadBalancer.certificateArn", $"{Rule}; this is an ARN of the 'iam' service; got 'arn:aws:iam::123456789012:server-certificate/web'"),
        }));
        Assert.That(MapErrors("loadBalancer:\n  certificateArn: arn:aws:acm:US-EAST-1:123456789012:certificate/abc"), Is.EqualTo(new[]
        {
            ("loadBalancer.certificateArn", $"{Rule}; 'US-EAST-1' is not a region code such as us-east-1; got 'arn:aws:acm:US-EAST-1:123456789012:certificate/abc'"),
        }));
        Assert.That(MapErrors("loadBalancer:\n  certificateArn: not-an-arn"), Is.EqualTo(new[]
        {
            ("loadBalancer.certificateArn", $"{Rule}; got 'not-an-arn'"),
        }));
    }

    [TestCase("ELBSecurityPolicy-TLS13-1-2-2020-06")]
    [TestCase("ELBSecurityPolicy-2015-05")]
    [TestCase("elbsecuritypolicy-tls13-1-2-2021-06")]
    public void Map_SslPolicyNotInTheAlbList_Error(string policy)
    {
        Assert.That(MapErrors($"loadBalancer:\n  certificateArn: {CertificateArn}\n  sslPolicy: {policy}"), Is.EqualTo(new[]
        {
            ("loadBalancer.sslPolicy", $"must be a predefined ALB security policy (\"Security policies for your Application Load Balancer\"), e.g. ELBSecurityPolicy-TLS13-1-2-2021-06; got '{policy}'"),
        }));
    }

    [Test]
    public void AlbSslPolicies_HoldTheDefaultAndTheRecommendedPostQuantumPolicy()
    {
        Assert.That(SecurityRules.AlbSslPolicies, Does.Contain(SecurityRules.DefaultSslPolicy).And.Contain("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"));
        Assert.That(SecurityRules.AlbSslPolicies, Has.Count.EqualTo(44));
        Assert.That(SecurityRules.AlbSslPolicies, Has.All.StartsWith("ELBSecurityPolicy-"));
    }

    [Test]
    public void Map_BadLoadBalancerValues_EveryErrorAtOnce()
    {
        var errors = MapErrors("""
            loadBalancer:
              idleTimeout: 0
              dropInvalidHeaderfields: false
              accessLogs: { bucket: My_Bucket, prefix: /logs/AWSLogs }
            """);

        Assert.That(errors, Is.EquivalentTo(new[]
        {
            ("loadBalancer.accessLogs.bucket", "must be an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit; got 'My_Bucket'"),
            ("loadBalancer.accessLogs.prefix", "must not be empty, start or end with '/', or contain 'AWSLogs'; got '/logs/AWSLogs'"),
            ("loadBalancer.dropInvalidHeaderfields", "unknown key 'dropInvalidHeaderfields'; did you mean 'dropInvalidHeaderFields'?"),
            ("loadBalancer.idleTimeout", "must be a whole number from 1 to 4000 seconds; got 0"),
        }));
    }

    [Test]
    public void Map_AccessLogsWithoutBucket_Required()
    {
        Assert.That(MapErrors("loadBalancer:\n  accessLogs: { prefix: web }"), Is.EqualTo(new[]
        {
            ("loadBalancer.accessLogs.bucket", "is required: the S3 bucket the load balancer writes its access logs to"),
        }));
    }

    [Test]
    public void Map_DropInvalidHeaderFieldsOff_Warning()
    {
        var result = Map($"loadBalancer:\n  certificateArn: {CertificateArn}\n  dropInvalidHeaderFields: false");

        Assert.That(Warnings(result.Diagnostics), Is.EqualTo(new[] { ("loadBalancer.dropInvalidHeaderFields", "is false: header fields that are not valid HTTP reach the service (Security Hub ELB.4)") }));
    }

    // ---- Alerts ----

    [Test]
    public void Map_AlertsSection_TopicAndMinutes()
    {
        var config = Map($"alerts:\n  topicArn: {TopicArn}\n  capacityExhaustedMinutes: 30\n  startFailureMinutes: 5\n" + OneCpuPolicy).Config!;

        Assert.That(config.Alerts, Is.EqualTo(new AlertSettings { TopicArn = TopicArn, CapacityExhaustedMinutes = 30, StartFailureMinutes = 5 }));
    }

    [Test]
    public void Map_AlertsDefaults_FifteenAndTenMinutes()
    {
        var alerts = Map($"alerts:\n  topicArn: {TopicArn}\n" + OneCpuPolicy).Config!.Alerts!;

        Assert.That((alerts.CapacityExhaustedMinutes, alerts.StartFailureMinutes), Is.EqualTo((15, 10)));
    }

    [Test]
    public void Map_AlertsWithoutTopicOrWithAQueueArn_Errors()
    {
        Assert.That(MapErrors("alerts:\n  startFailureMinutes: 5"), Is.EqualTo(new[]
        {
            ("alerts.topicArn", "is required: the ARN of an SNS topic you own, notified when an alert fires and when it clears"),
        }));
        Assert.That(MapErrors("alerts:\n  topicArn: arn:aws:sqs:eu-west-1:123456789012:on-call\n  startFailureMinutes: 0\n" + OneCpuPolicy), Is.EqualTo(new[]
        {
            ("alerts.startFailureMinutes", "must be a whole number from 1 to 1440 minutes; got 0"),
            ("alerts.topicArn", "must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC-NAME, e.g. arn:aws:sns:us-east-1:123456789012:alerts); this is an ARN of the 'sqs' service; got 'arn:aws:sqs:eu-west-1:123456789012:on-call'"),
        }));
    }

    [Test]
    public void Map_AlertsWithoutScaling_WarnsThatOnlyTheStartFailureAlertIsCreated()
    {
        var result = Map($"alerts:\n  topicArn: {TopicArn}");

        Assert.That(Warnings(ExceptHttpOnly(result.Diagnostics)), Is.EqualTo(new[]
        {
            ("alerts.capacityExhaustedMinutes", "scaling is off, so there is no maxCapacity to exhaust: only the tasks-failing-to-start alert is created"),
        }));
    }
}
