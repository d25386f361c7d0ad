using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Validation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>Each AWS rule in <see cref="AwsRules"/>, alone and through the config mapper, with its exact message.</summary>
public class AwsRulesTests
{
    private const string Grammar = "must be an extended statistic as CloudWatch defines them: p90, p99.9, tm90, wm90, tc90, ts90, TM(10%:90%), TM(150:1000), WM(…), TC(…), TS(…), PR(100:2000) or IQM";

    // ---- Extended statistics ("Statistics definitions") ----

    [TestCase("p0")]
    [TestCase("p50")]
    [TestCase("p99.9")]
    [TestCase("p99.9999999999")]
    [TestCase("p100")]
    [TestCase("tm90")]
    [TestCase("wm98")]
    [TestCase("tc90")]
    [TestCase("ts99.5")]
    [TestCase("TM(10%:90%)")]
    [TestCase("TM(2%:98%)")]
    [TestCase("TM(:90%)")]
    [TestCase("TM(10%:)")]
    [TestCase("TM(150:1000)")]
    [TestCase("WM(10%:90%)")]
    [TestCase("TC(0.005:0.030)")]
    [TestCase("TS(80%:)")]
    [TestCase("PR(:300)")]
    [TestCase("PR(100:2000)")]
    [TestCase("IQM")]
    public void CheckExtendedStatistic_Documented_Accepted(string statistic)
    {
        Assert.That(AwsRules.CheckExtendedStatistic(statistic), Is.Null);
    }

    [TestCase("TM(fast)")]
    [TestCase("p999")]
    [TestCase("p100.5")]
    [TestCase("p99.12345678901")]
    [TestCase("P99")]
    [TestCase("tm")]
    [TestCase("iqm")]
    [TestCase("tm(10%:90%)")]
    [TestCase("TM(10%-90%)")]
    [TestCase("TM(-5:10)")]
    [TestCase("TM(10%:90%) ")]
    [TestCase("median")]
    public void CheckExtendedStatistic_OutsideTheGrammar_Rejected(string statistic)
    {
        Assert.That(AwsRules.CheckExtendedStatistic(statistic), Is.EqualTo($"{Grammar}; got '{statistic}'"));
    }

    [TestCase("TM(:)", "TM(…) needs a lower bound, an upper bound or both, e.g. TM(10%:90%); got 'TM(:)'")]
    [TestCase("PR(10%:90%)", "PR(…) takes absolute values, not percentages, e.g. PR(100:2000); got 'PR(10%:90%)'")]
    [TestCase("TM(10%:500)", "TM(…) bounds must both be percentages or both absolute values; got 'TM(10%:500)'")]
    [TestCase("WM(10%:101%)", "a percentage bound must be from 0 to 100 with up to 10 decimal places; got 'WM(10%:101%)'")]
    [TestCase("TM(90%:10%)", "the lower bound must be below the upper bound; got 'TM(90%:10%)'")]
    [TestCase("PR(2000:100)", "the lower bound must be below the upper bound; got 'PR(2000:100)'")]
    public void CheckExtendedStatistic_BadBounds_SaysWhich(string statistic, string message)
    {
        Assert.That(AwsRules.CheckExtendedStatistic(statistic), Is.EqualTo(message));
    }

    [Test]
    public void Map_ExtendedStatisticIqm_AcceptedAndTmFastRejected()
    {
        var ok = Map("scaling:\n  policies:\n    - { name: cpu, metric: CPUUtilization, extendedStatistic: IQM, scaleOut: { bands: [ { from: 70, change: 1 } ] } }");
        var bad = Plan("scaling:\n  policies:\n    - { name: cpu, metric: CPUUtilization, extendedStatistic: TM(fast), scaleOut: { bands: [ { from: 70, change: 1 } ] } }");

        Assert.That(Errors(ok.Diagnostics), Is.Empty);
        Assert.That(Errors(bad.Diagnostics), Is.EqualTo(new[] { ("scaling.policies[0].extendedStatistic", $"{Grammar}; got 'TM(fast)'") }));
    }

    // ---- Units, namespaces, metric names, dimensions ----

    [TestCase("Percent")]
    [TestCase("Count/Second")]
    [TestCase("None")]
    public void CheckUnit_StandardUnit_Accepted(string unit)
    {
        Assert.That(AwsRules.CheckUnit(unit), Is.Null);
    }

    [TestCase("percent")]
    [TestCase("Requests")]
    [TestCase("Bytes/Minute")]
    public void CheckUnit_NotAStandardUnit_Rejected(string unit)
    {
        Assert.That(AwsRules.CheckUnit(unit), Is.EqualTo($"must be a CloudWatch unit ({string.Join(", ", AwsRules.StandardUnits)}); got '{unit}'"));
    }

    [Test]
    public void Plan_CloudWatchMetricBreakingEveryRule_EachReportedWithItsPath()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: queue
                  metric:
                    kind: cloudwatch
                    namespace: ":Custom"
                    name: Depth
                    unit: Requests
                    dimensions: { QueueName: "", " ": x, ":Colon": y, Emoji: "q🙂", Ctrl: "a\tb" }
                  scaleOut: { bands: [ { from: 100, change: 1 } ] }
            """);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0].metric.namespace", "must not start with ':'; got ':Custom'"),
            ("scaling.policies[0].metric.dimensions. ", "a dimension name must hold at least one character that is not whitespace; got ' '"),
            ("scaling.policies[0].metric.dimensions.:Colon", "a dimension name must not start with ':'; got ':Colon'"),
            ("scaling.policies[0].metric.dimensions.Ctrl", "a dimension value must hold only printable ASCII characters; got 'a\\tb'"),
            ("scaling.policies[0].metric.dimensions.Emoji", "a dimension value must hold only printable ASCII characters; got 'q🙂'"),
            ("scaling.policies[0].metric.dimensions.QueueName", "a dimension value must hold at least one character that is not whitespace; got ''"),
            ("scaling.policies[0].metric.unit", $"must be a CloudWatch unit ({string.Join(", ", AwsRules.StandardUnits)}); got 'Requests'"),
        }));
    }

    [Test]
    public void CheckDimensions_Limits_CountAndLengths()
    {
        var bag = new DiagnosticBag();
        var many = Enumerable.Range(0, 31).ToImmutableSortedDictionary(i => $"d{i:00}", _ => "v", StringComparer.Ordinal);
        var longOnes = new Dictionary<string, string> { [new string('n', 256)] = "v", ["ok"] = new string('v', 1025), ["fits"] = new string('v', 1024) };

        AwsRules.CheckDimensions(many, "m.dimensions", bag);
        AwsRules.CheckDimensions(longOnes, "m.dimensions", bag);

        Assert.That(Errors(bag.ToImmutable()), Is.EqualTo(new[]
        {
            ("m.dimensions", "a metric can have at most 30 dimensions; got 31"),
            ($"m.dimensions.{new string('n', 256)}", "a dimension name must be at most 255 characters; got 256"),
            ("m.dimensions.ok", "a dimension value must be at most 1024 characters; got 1025"),
        }));
    }

    [Test]
    public void CheckMetricName_TooLongOrControl_Rejected()
    {
        Assert.That(AwsRules.CheckMetricName(new string('m', 256)), Is.EqualTo("must be at most 255 characters; got 256"));
        Assert.That(AwsRules.CheckMetricName("a\u0007b"), Is.EqualTo("must not hold control characters; got 'a\u0007b'"));
        Assert.That(AwsRules.CheckMetricName(new string('m', 255)), Is.Null);
    }

    // ---- Metric math ----

    [Test]
    public void Plan_MathWithElevenExpressionsLongExpressionAndLongId_Errors()
    {
        var expressions = string.Join("\n", Enumerable.Range(0, 10).Select(i => $"          - {{ id: e{i}, expression: \"m1 * {i}\" }}"));
        var plan = Plan($$"""
            scaling:
              policies:
                - name: backlog
                  metric:
                    kind: math
                    queries:
                      - { id: m1, metric: { namespace: AWS/SQS, name: Depth, stat: Sum, period: 60 } }
            {{expressions}}
                      - { id: {{new string('x', 256)}}, expression: "{{new string('1', 2049)}}", returnData: true }
                  scaleOut: { bands: [ { from: 100, change: 1 } ] }
            """);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0].metric.queries", "a metric-math alarm can have at most 10 expressions; got 11 queries with an expression"),
            ("scaling.policies[0].metric.queries[11].id", "must be at most 255 characters; got 256"),
            ("scaling.policies[0].metric.queries[11].expression", "must be at most 2048 characters; got 2049"),
        }));
    }

    [Test]
    public void Plan_MathQueryMetricWithBadUnitDimensionAndStat_Errors()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: backlog
                  metric:
                    kind: math
                    queries:
                      - { id: m1, metric: { namespace: AWS/SQS, name: Depth, stat: "TM(fast)", period: 60, unit: count, dimensions: { QueueName: "" } } }
                      - { id: e1, expression: "m1 * 2", returnData: true }
                  scaleOut: { bands: [ { from: 100, change: 1 } ] }
            """);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0].metric.queries[0].metric.dimensions.QueueName", "a dimension value must hold at least one character that is not whitespace; got ''"),
            ("scaling.policies[0].metric.queries[0].metric.unit", $"must be a CloudWatch unit ({string.Join(", ", AwsRules.StandardUnits)}); got 'count'"),
            ("scaling.policies[0].metric.queries[0].metric.stat", "must be one of SampleCount, Average, Sum, Minimum, Maximum or an extended statistic (p99, tm90, TM(10%:90%), PR(100:2000), IQM, …); got 'TM(fast)'"),
        }));
    }

    [Test]
    public void Plan_PeriodOnAMathPolicy_ErrorNotDropped()
    {
        var plan = Plan("""
            scaling:
              policies:
                - name: backlog
                  period: 60
                  metric:
                    kind: math
                    queries:
                      - { id: m1, metric: { namespace: AWS/SQS, name: Depth, stat: Sum, period: 300 } }
                      - { id: e1, expression: "m1 * 2", returnData: true }
                  scaleOut: { bands: [ { from: 100, change: 1 } ] }
            """);

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0].period", "does not apply to a metric-math alarm: each metric query sets its own period (metric.queries[].metric.period); remove it; got the number 60"),
        }));
    }

    [Test]
    public void Normalize_MathPolicyWithAPeriodFromCSharp_Error()
    {
        var math = new MetricMathMetric(
        [
            new MetricQuery { Id = "m1", Metric = new MetricStat { Namespace = "AWS/SQS", MetricName = "Depth", Stat = "Sum", Period = 60 } },
            new MetricQuery { Id = "e1", Expression = "m1 * 2", ReturnData = true },
        ]);
        var definition = Definition(1, 4, Policy(Out(B(100, null, 1)), null, metric: math) with { Period = 300 });

        Assert.That(Errors(definition), Is.EqualTo(new[]
        {
            ("scaling.policies[0].period", "does not apply to a metric-math alarm: each metric query sets its own period (metric.queries[].metric.period); remove it; got 300"),
        }));
    }

    // ---- Periods and ranges: the real limit, never an internal guard ----

    [TestCase("0", "0")]
    [TestCase("-60", "-60")]
    [TestCase("45", "45")]
    [TestCase("60.5", "60.5")]
    [TestCase("1e12", "1000000000000")]
    public void Plan_BadPeriod_TheAlarmPeriodRule(string period, string shown)
    {
        var plan = Plan($"scaling:\n  policies:\n    - {{ name: cpu, metric: CPUUtilization, period: {period}, scaleOut: {{ bands: [ {{ from: 70, change: 1 }} ] }} }}");

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[] { ("scaling.policies[0].period", $"must be 10, 20, 30 or a multiple of 60 seconds; got {shown}") }));
    }

    [TestCase("minCapacity: -1", "scaling.minCapacity", "must be a whole number from 0 to 10000; got -1")]
    [TestCase("minCapacity: 2000000", "scaling.minCapacity", "must be a whole number from 0 to 10000; got 2000000")]
    [TestCase("maxCapacity: 10001", "scaling.maxCapacity", "must be a whole number from 1 to 10000; got 10001")]
    [TestCase("maxCapacity: 0", "scaling.maxCapacity", "must be a whole number from 1 to 10000; got 0")]
    public void Plan_CapacityOutOfRange_RealLimit(string line, string path, string message)
    {
        var plan = Plan($"scaling:\n  {line}\n  policies:\n    - {{ name: cpu, metric: CPUUtilization, scaleOut: {{ bands: [ {{ from: 70, change: 1 }} ] }} }}");

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[] { (path, message) }));
    }

    [TestCase("evaluationPeriods: 0", "evaluationPeriods", "must be a whole number, 1 or more; got 0")]
    [TestCase("evaluationPeriods: 5000000", "evaluationPeriods", "the evaluation window (period × evaluationPeriods) must be at most 1 day (86400 s) for periods under an hour; got 60 × 5000000 = 300000000 s")]
    [TestCase("evaluationPeriods: 1e10", "evaluationPeriods", "must be a whole number, 1 or more; got 10000000000")]
    [TestCase("cooldown: -5", "cooldown", "must be a whole number of seconds, 0 or more; got -5")]
    [TestCase("cooldown: 1.5", "cooldown", "must be a whole number of seconds, 0 or more; got 1.5")]
    [TestCase("datapointsToAlarm: 0", "datapointsToAlarm", "must be between 1 and evaluationPeriods (1); got 0")]
    public void Plan_SideValueOutOfRange_RealLimit(string line, string key, string message)
    {
        var plan = Plan($"scaling:\n  policies:\n    - {{ name: cpu, metric: CPUUtilization, scaleOut: {{ {line}, bands: [ {{ from: 70, change: 1 }} ] }} }}");

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[] { ($"scaling.policies[0].scaleOut.{key}", message) }));
    }

    [TestCase("change: 2000000", "must be a whole number within ±1000000; got 2000000")]
    [TestCase("change: 1.5", "must be a whole number within ±1000000; got 1.5")]
    public void Plan_BandChangeOutOfRange_RealLimit(string change, string message)
    {
        var plan = Plan($"scaling:\n  policies:\n    - {{ name: cpu, metric: CPUUtilization, scaleOut: {{ bands: [ {{ from: 70, {change} }} ] }} }}");

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[] { ("scaling.policies[0].scaleOut.bands[0].change", message) }));
    }

    // ---- ECS: image, health check, names, retention, ranges ----

    [TestCase("nginx")]
    [TestCase("nginx:1.27-alpine")]
    [TestCase("public.ecr.aws/nginx/nginx:stable")]
    [TestCase("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1.2.3")]
    [TestCase("localhost:5000/app")]
    [TestCase("registry.example.com:5000/a__b/c-d.e:TAG_1")]
    [TestCase("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [TestCase("nginx:stable@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void CheckImage_Reference_Accepted(string image)
    {
        Assert.That(AwsRules.CheckImage(image), Is.Null);
    }

    [TestCase("nginx stable", "must be an image reference such as registry.example.com:5000/team/app:1.2 (lower-case path, no spaces); got 'nginx stable'")]
    [TestCase("Nginx", "must be an image reference such as registry.example.com:5000/team/app:1.2 (lower-case path, no spaces); got 'Nginx'")]
    [TestCase("nginx:", "a tag must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'; got '' in 'nginx:'")]
    [TestCase("nginx:-x", "a tag must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'; got '-x' in 'nginx:-x'")]
    [TestCase("nginx@sha256:abc", "a digest must be sha256: and 64 lower-case hex digits (name@sha256:…); got 'sha256:abc'")]
    [TestCase("nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "a digest must be sha256: and 64 lower-case hex digits (name@sha256:…); got 'sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef'")]
    [TestCase("nginx@md5:0123", "a digest must be sha256: and 64 lower-case hex digits (name@sha256:…); got 'md5:0123'")]
    [TestCase("a//b", "must be an image reference such as registry.example.com:5000/team/app:1.2 (lower-case path, no spaces); got 'a//b'")]
    [TestCase(" ", "must name a container image, e.g. public.ecr.aws/nginx/nginx:stable")]
    public void CheckImage_Malformed_SaysWhy(string image, string message)
    {
        Assert.That(AwsRules.CheckImage(image), Is.EqualTo(message));
    }

    [Test]
    public void CheckImage_LongerThan255_Rejected()
    {
        Assert.That(AwsRules.CheckImage("a/" + new string('b', 254)), Is.EqualTo("must be at most 255 characters; got 256"));
    }

    [Test]
    public void Map_HealthCheckBreakingEveryRule_EachReported()
    {
        var errors = Errors(Map("""
            service:
              healthCheck:
                command: ["curl", "-f", "http://localhost/"]
                interval: 4
                timeout: 61
                retries: 0
                startPeriod: 301
            """).Diagnostics);

        Assert.That(errors, Is.EqualTo(new[]
        {
            ("service.healthCheck.interval", "must be a whole number from 5 to 300 seconds; got 4"),
            ("service.healthCheck.timeout", "must be a whole number from 2 to 60 seconds; got 61"),
            ("service.healthCheck.retries", "must be a whole number from 1 to 10; got 0"),
            ("service.healthCheck.startPeriod", "must be a whole number from 0 to 300 seconds; got 301"),
            ("service.healthCheck.command", "must start with CMD (run the arguments directly) or CMD-SHELL (run them with the container's shell); got 'curl' first"),
        }));
    }

    [Test]
    public void CheckHealthCheckCommand_NothingAfterCmdShell_Rejected()
    {
        Assert.That(AwsRules.CheckHealthCheckCommand(["CMD-SHELL"]), Is.EqualTo("needs the command after CMD-SHELL, e.g. [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]"));
        Assert.That(AwsRules.CheckHealthCheckCommand(["CMD", "/bin/check"]), Is.Null);
    }

    [Test]
    public void Map_ServiceRangesAndImage_RealLimits()
    {
        var errors = Errors(Map("""
            service:
              image: "nginx latest"
              containerPort: 0
              healthCheckGracePeriod: -1
              desiredCount: -2
              logRetentionDays: 2
              cpu: 300
            """).Diagnostics);

        Assert.That(errors, Is.EqualTo(new[]
        {
            ("service.containerPort", "must be a whole number from 1 to 65535; got 0"),
            ("service.healthCheckGracePeriod", "must be a whole number of seconds, 0 or more; got -1"),
            ("service.desiredCount", "must be a whole number, 0 or more; got -2"),
            ("service.image", "must be an image reference such as registry.example.com:5000/team/app:1.2 (lower-case path, no spaces); got 'nginx latest'"),
            ("service.cpu", "must be a Fargate CPU value (256, 512, 1024, 2048, 4096, 8192, 16384); got 300"),
            ("service.logRetentionDays", $"must be a CloudWatch Logs retention period ({string.Join(", ", AwsRules.LogRetentionDays)}); got 2"),
        }));
    }

    [Test]
    public void Map_HealthCheckGracePeriodAtTheApiMaximum_Accepted()
    {
        Assert.That(Errors(Map("service:\n  healthCheckGracePeriod: 2147483647").Diagnostics), Is.Empty);
    }

    [Test]
    public void CheckAlarmName_NonAsciiStackName_Rejected()
    {
        Assert.That(AwsRules.CheckAlarmName("prod\u00e9-web-cpu-out"), Is.EqualTo("the alarm and policy name must hold only printable ASCII characters; got 'prod\u00e9-web-cpu-out'"));
        Assert.That(AwsRules.CheckAlarmName(new string('a', 255)), Is.Null);
    }

    [Test]
    public void Plan_RequestCountTargetGroupNotAnArnSuffix_Error()
    {
        var plan = Plan("scaling:\n  policies:\n    - { name: rps, metric: { kind: albRequestCountPerTarget, targetGroup: \"arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef\" }, scaleOut: { bands: [ { from: 100, change: 1 } ] } }");

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.policies[0].metric.targetGroup", "must be the target group ARN's suffix, targetgroup/<name>/<16 hex digits>, e.g. targetgroup/web/0123456789abcdef; got 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef'"),
        }));
    }

    [Test]
    public void CheckTargetGroupDimension_ArnSuffix_Accepted()
    {
        Assert.That(AwsRules.CheckTargetGroupDimension("targetgroup/my-web-1/0123456789abcdef"), Is.Null);
        Assert.That(AwsRules.CheckTargetGroupDimension("targetgroup/-web/0123456789abcdef"), Is.Not.Null);
    }

    [TestCase("FARGATE", 1, 0, null)]
    [TestCase("FARGATE_SPOT", 1000, 100000, null)]
    [TestCase("", 1, 0, "needs a capacity provider, a weight from 0 to 1000 and a base from 0 to 100000; got '', weight 1, base 0")]
    [TestCase("FARGATE", 1001, 0, "needs a capacity provider, a weight from 0 to 1000 and a base from 0 to 100000; got 'FARGATE', weight 1001, base 0")]
    [TestCase("FARGATE", 1, -1, "needs a capacity provider, a weight from 0 to 1000 and a base from 0 to 100000; got 'FARGATE', weight 1, base -1")]
    public void CheckCapacityProviderItem_Ranges(string provider, int weight, int @base, string? message)
    {
        Assert.That(AwsRules.CheckCapacityProviderItem(provider, weight, @base), Is.EqualTo(message));
    }

    [Test]
    public void Map_OwnVpcSettingsWithTheDefaultVpc_WarnedNotDropped()
    {
        var result = Map("network:\n  useDefaultVpc: true\n  vpcCidr: 10.1.0.0/16\n  natGateways: onePerAz\nservice:\n  assignPublicIp: true");

        Assert.That(Errors(result.Diagnostics), Is.Empty);
        Assert.That(Warnings(ExceptHttpOnly(result.Diagnostics)), Is.EqualTo(new[]
        {
            ("network.vpcCidr", "is ignored: network.useDefaultVpc is true, so no VPC is created; remove it or set useDefaultVpc: false"),
            ("network.natGateways", "is ignored: network.useDefaultVpc is true, so no VPC is created; remove it or set useDefaultVpc: false"),
        }));
    }

    [Test]
    public void Plan_StackNameWithAPeriod_TaskFamilyError()
    {
        var plan = Planning.StackPlanner.Plan(ParseStack(StackYaml("service:\n  name: web"), "Pulumi.eu.prod.yaml"));

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("service.name", "the task definition family 'eu.prod-web' ({stack}-{service}) must be 1 to 255 letters, digits, '-' or '_'; rename the stack or the service"),
        }));
    }

    [TestCase("/", true)]
    [TestCase("/health", true)]
    [TestCase("/api/v1/ping?full=1", true)]
    [TestCase("", false)]
    [TestCase("health", false)]
    [TestCase("/has space", false)]
    [TestCase("/ünïcode", false)]
    public void CheckHealthCheckPath_AnHttpPathOfPrintableAscii(string path, bool valid) =>
        Assert.That(AwsRules.CheckHealthCheckPath(path), valid ? Is.Null : Is.EqualTo($"must be an HTTP path of 1 to 1024 printable characters starting with '/', e.g. /health; got '{path}'"));

    [Test]
    public void CheckHealthCheckPath_1024CharactersAtMost()
    {
        Assert.That(AwsRules.CheckHealthCheckPath("/" + new string('a', 1023)), Is.Null);
        Assert.That(AwsRules.CheckHealthCheckPath("/" + new string('a', 1024)), Is.Not.Null);
    }

    [Test]
    public void Map_HealthCheckPath_DefaultSlashReadAndChecked()
    {
        Assert.That(Map(string.Empty).Config!.LoadBalancer.HealthCheckPath, Is.EqualTo("/"));
        Assert.That(Map("loadBalancer:\n  healthCheckPath: /health").Config!.LoadBalancer.HealthCheckPath, Is.EqualTo("/health"));
        Assert.That(Errors(Map("loadBalancer:\n  healthCheckPath: health").Diagnostics), Is.EqualTo(new[] { ("loadBalancer.healthCheckPath", "must be an HTTP path of 1 to 1024 printable characters starting with '/', e.g. /health; got 'health'") }));
    }
}
