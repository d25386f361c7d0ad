using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace StepScaling.Validation;

/// <summary>
/// Every AWS (and tool) rule on a value that reaches an AWS API, in one place, each citing its source page. A check
/// returns null when the value is valid, or the message: the rule and the value given (the caller adds the path).
/// The normalizer, the config mapper and the component all call these, so a rule is written once.
/// </summary>
public static partial class AwsRules
{
    // ---- CloudWatch PutMetricAlarm (CloudWatch API Reference, "PutMetricAlarm") ----

    /// <summary>PutMetricAlarm AlarmName: length 1–255.</summary>
    public const int MaxAlarmNameLength = 255;

    /// <summary>PutMetricAlarm AlarmDescription: length 0–1024.</summary>
    public const int MaxAlarmDescriptionLength = 1024;

    /// <summary>PutMetricAlarm Namespace and MetricName: length 1–255.</summary>
    public const int MaxMetricNameLength = 255;

    /// <summary>CloudWatch "Dimension": up to 30 dimensions per metric.</summary>
    public const int MaxDimensions = 30;

    /// <summary>CloudWatch "Dimension" Name: length 1–255.</summary>
    public const int MaxDimensionNameLength = 255;

    /// <summary>CloudWatch "Dimension" Value: length 1–1024.</summary>
    public const int MaxDimensionValueLength = 1024;

    /// <summary>PutMetricAlarm EvaluationPeriods: period × evaluationPeriods at most one day for periods under an hour.</summary>
    public const int MaxWindowShortPeriods = 86_400;

    /// <summary>PutMetricAlarm EvaluationPeriods: at most seven days for periods of an hour or more.</summary>
    public const int MaxWindowLongPeriods = 604_800;

    /// <summary>The rule of PutMetricAlarm Period, as a message.</summary>
    public const string PeriodRule = "must be 10, 20, 30 or a multiple of 60 seconds";

    /// <summary>PutMetricAlarm Statistic: the five simple statistics.</summary>
    public static readonly ImmutableArray<string> Statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    /// <summary>PutMetricAlarm Unit and MetricStat Unit: CloudWatch's StandardUnit values (API Reference, "MetricDatum" / "PutMetricAlarm" Unit).</summary>
    public static readonly ImmutableArray<string> StandardUnits =
    [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
        "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
        "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ];

    // ---- CloudWatch MetricDataQuery (API Reference, "MetricDataQuery") ----

    /// <summary>MetricDataQuery: one PutMetricAlarm takes up to 20 queries.</summary>
    public const int MaxQueries = 20;

    /// <summary>MetricDataQuery: of those, at most 10 retrieve a metric (MetricStat).</summary>
    public const int MaxMetricQueries = 10;

    /// <summary>MetricDataQuery: and at most 10 are expressions.</summary>
    public const int MaxExpressionQueries = 10;

    /// <summary>MetricDataQuery Id: length 1–255.</summary>
    public const int MaxQueryIdLength = 255;

    /// <summary>MetricDataQuery Expression: length 1–2048.</summary>
    public const int MaxExpressionLength = 2048;

    // ---- Application Auto Scaling (API Reference "PutScalingPolicy", "StepAdjustment"; User Guide "Quotas") ----

    /// <summary>Application Auto Scaling quotas: at most 20 step adjustments per step scaling policy.</summary>
    public const int MaxStepAdjustments = 20;

    /// <summary>Application Auto Scaling quotas: at most 50 scaling policies per scalable target.</summary>
    public const int MaxPoliciesPerTarget = 50;

    /// <summary>PutScalingPolicy PolicyName: length 1–256, printable characters (<c>\p{Print}+</c>).</summary>
    public const int MaxPolicyNameLength = 256;

    /// <summary>PutMetricAlarm EvaluationPeriods: 1 or more.</summary>
    public static readonly IntRange EvaluationPeriods = new(1, int.MaxValue);

    /// <summary>PutMetricAlarm DatapointsToAlarm: 1 or more (and at most EvaluationPeriods).</summary>
    public static readonly IntRange DatapointsToAlarm = new(1, int.MaxValue);

    /// <summary>StepScalingPolicyConfiguration Cooldown: seconds, 0 or more.</summary>
    public static readonly IntRange Cooldown = new(0, int.MaxValue, "seconds");

    /// <summary>The tool's bound on a step adjustment or minAdjustmentMagnitude, in tasks or percent, so that capacity arithmetic never overflows.</summary>
    public const int MaxAdjustmentMagnitude = 1_000_000;

    /// <summary>The rule of a step adjustment's size, as a message.</summary>
    public const string AdjustmentRule = "must be a whole number within ±1000000";

    /// <summary>StepScalingPolicyConfiguration MinAdjustmentMagnitude: 1 or more (and the tool's bound).</summary>
    public static readonly IntRange MinAdjustmentMagnitude = new(1, MaxAdjustmentMagnitude);

    // ---- ECS (API Reference "ContainerDefinition", "HealthCheck", "CreateService"; Fargate sizes in FargateSizes) ----

    /// <summary>ContainerDefinition image: up to 255 characters.</summary>
    public const int MaxImageLength = 255;

    /// <summary>HealthCheck interval: 5–300 seconds.</summary>
    public static readonly IntRange HealthCheckInterval = new(5, 300, "seconds");

    /// <summary>HealthCheck timeout: 2–60 seconds.</summary>
    public static readonly IntRange HealthCheckTimeout = new(2, 60, "seconds");

    /// <summary>HealthCheck retries: 1–10.</summary>
    public static readonly IntRange HealthCheckRetries = new(1, 10);

    /// <summary>HealthCheck startPeriod: 0–300 seconds.</summary>
    public static readonly IntRange HealthCheckStartPeriod = new(0, 300, "seconds");

    /// <summary>CreateService healthCheckGracePeriodSeconds: 0 to 2,147,483,647.</summary>
    public static readonly IntRange HealthCheckGracePeriod = new(0, int.MaxValue, "seconds");

    /// <summary>ContainerDefinition portMappings containerPort, awsvpc network mode: 1–65535.</summary>
    public static readonly IntRange ContainerPort = new(1, 65535);

    /// <summary>CreateService desiredCount: 0 or more.</summary>
    public static readonly IntRange DesiredCount = new(0, int.MaxValue);

    // ---- The tool's own limits (README, "Config reference") ----

    /// <summary>
    /// The largest maxCapacity accepted: twice the ECS quota of 5,000 tasks per service, and a bound on the flap
    /// analysis, which checks every capacity.
    /// </summary>
    public const int MaxCapacityLimit = 10_000;

    /// <summary>RegisterScalableTarget MinCapacity (0 or more) and the tool's <see cref="MaxCapacityLimit"/>.</summary>
    public static readonly IntRange MinCapacity = new(0, MaxCapacityLimit);

    /// <summary>RegisterScalableTarget MaxCapacity (at least 1 to scale at all) and the tool's <see cref="MaxCapacityLimit"/>.</summary>
    public static readonly IntRange MaxCapacity = new(1, MaxCapacityLimit);

    // ---- CloudWatch Logs (API Reference, "PutRetentionPolicy") ----

    /// <summary>PutRetentionPolicy retentionInDays: only these values.</summary>
    public static readonly ImmutableArray<int> LogRetentionDays =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>A value echoed in a message: quoted (the message itself is escaped by <see cref="Diagnostic"/>).</summary>
    public static string Quote(string? value) => value is null ? "nothing" : $"'{value}'";

    /// <summary>PutMetricAlarm Period (and MetricStat Period in an alarm): 10, 20, 30 or a multiple of 60.</summary>
    public static string? CheckPeriod(int period) =>
        period is 10 or 20 or 30 || (period > 0 && period % 60 == 0) ? null : $"{PeriodRule}; got {Num(period)}";

    /// <summary>PutMetricAlarm Statistic.</summary>
    public static string? CheckStatistic(string statistic) =>
        Statistics.Contains(statistic) ? null : $"must be one of {string.Join(", ", Statistics)}; got {Quote(statistic)}";

    /// <summary>
    /// PutMetricAlarm ExtendedStatistic, by the grammar of CloudWatch's "Statistics definitions" page: <c>pNN</c>,
    /// <c>tmNN</c>, <c>wmNN</c>, <c>tcNN</c>, <c>tsNN</c> (0–100, up to 10 decimal places); <c>TM(a:b)</c>,
    /// <c>WM</c>, <c>TC</c>, <c>TS</c> with one or two bounds, both percentages (<c>TM(10%:90%)</c>) or both
    /// absolute values (<c>TM(150:1000)</c>); <c>PR(a:b)</c> with absolute values; and <c>IQM</c>.
    /// </summary>
    public static string? CheckExtendedStatistic(string statistic)
    {
        const string grammar = "must be an extended statistic as CloudWatch defines them: p90, p99.9, tm90, wm90, tc90, ts90, TM(10%:90%), TM(150:1000), WM(…), TC(…), TS(…), PR(100:2000) or IQM";
        if (statistic == "IQM" || ShorthandStatisticRegex().IsMatch(statistic))
        {
            return null;
        }

        var m = RangeStatisticRegex().Match(statistic);
        if (!m.Success)
        {
            return $"{grammar}; got {Quote(statistic)}";
        }

        var (name, low, high) = (m.Groups["name"].Value, m.Groups["low"].Value, m.Groups["high"].Value);
        if (low.Length == 0 && high.Length == 0)
        {
            return $"{name}(…) needs a lower bound, an upper bound or both, e.g. {name}(10%:90%); got {Quote(statistic)}";
        }

        var percent = low.EndsWith('%') || high.EndsWith('%');
        if (name == "PR" && percent)
        {
            return $"PR(…) takes absolute values, not percentages, e.g. PR(100:2000); got {Quote(statistic)}";
        }

        if (low.Length > 0 && high.Length > 0 && low.EndsWith('%') != high.EndsWith('%'))
        {
            return $"{name}(…) bounds must both be percentages or both absolute values; got {Quote(statistic)}";
        }

        foreach (var bound in new[] { low, high }.Where(b => b.EndsWith('%')))
        {
            if (!PercentRegex().IsMatch(bound[..^1]))
            {
                return $"a percentage bound must be from 0 to 100 with up to 10 decimal places; got {Quote(statistic)}";
            }
        }

        if (low.Length > 0 && high.Length > 0
            && !(double.Parse(low.TrimEnd('%'), CultureInfo.InvariantCulture) < double.Parse(high.TrimEnd('%'), CultureInfo.InvariantCulture)))
        {
            return $"the lower bound must be below the upper bound; got {Quote(statistic)}";
        }

        return null;
    }

    /// <summary>PutMetricAlarm Unit / MetricStat Unit: a StandardUnit, spelt exactly.</summary>
    public static string? CheckUnit(string unit) =>
        StandardUnits.Contains(unit) ? null : $"must be a CloudWatch unit ({string.Join(", ", StandardUnits)}); got {Quote(unit)}";

    /// <summary>PutMetricAlarm Namespace: length 1–255, not starting with ':' (pattern <c>[^:].*</c>), no control characters.</summary>
    public static string? CheckNamespace(string? ns)
    {
        if (string.IsNullOrWhiteSpace(ns))
        {
            return "is required: a CloudWatch namespace such as AWS/SQS";
        }

        return ns.Length > MaxMetricNameLength ? $"must be at most {MaxMetricNameLength} characters; got {ns.Length}"
            : ns.StartsWith(':') ? $"must not start with ':'; got {Quote(ns)}"
            : HasControl(ns) ? $"must not hold control characters; got {Quote(ns)}"
            : null;
    }

    /// <summary>PutMetricAlarm MetricName: length 1–255, no control characters.</summary>
    public static string? CheckMetricName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is required: the metric's name";
        }

        return name.Length > MaxMetricNameLength ? $"must be at most {MaxMetricNameLength} characters; got {name.Length}"
            : HasControl(name) ? $"must not hold control characters; got {Quote(name)}"
            : null;
    }

    /// <summary>
    /// CloudWatch "Dimension" Name: 1–255 ASCII characters with at least one that is not whitespace, not starting
    /// with ':', no ASCII control characters.
    /// </summary>
    public static string? CheckDimensionName(string name) =>
        name.Length == 0 || string.IsNullOrWhiteSpace(name) ? $"a dimension name must hold at least one character that is not whitespace; got {Quote(name)}"
        : name.Length > MaxDimensionNameLength ? $"a dimension name must be at most {MaxDimensionNameLength} characters; got {name.Length}"
        : name.StartsWith(':') ? $"a dimension name must not start with ':'; got {Quote(name)}"
        : !IsPrintableAscii(name) ? $"a dimension name must hold only printable ASCII characters; got {Quote(name)}"
        : null;

    /// <summary>CloudWatch "Dimension" Value: 1–1024 ASCII characters with at least one that is not whitespace, no ASCII control characters.</summary>
    public static string? CheckDimensionValue(string value) =>
        string.IsNullOrWhiteSpace(value) ? $"a dimension value must hold at least one character that is not whitespace; got {Quote(value)}"
        : value.Length > MaxDimensionValueLength ? $"a dimension value must be at most {MaxDimensionValueLength} characters; got {value.Length}"
        : !IsPrintableAscii(value) ? $"a dimension value must hold only printable ASCII characters; got {Quote(value)}"
        : null;

    /// <summary>Every dimension rule of a metric, reported under <paramref name="path"/> (<c>….dimensions</c>).</summary>
    public static void CheckDimensions(IReadOnlyDictionary<string, string> dimensions, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(bag);
        if (dimensions.Count > MaxDimensions)
        {
            bag.Error(path, $"a metric can have at most {MaxDimensions} dimensions; got {dimensions.Count}");
        }

        foreach (var (name, value) in dimensions)
        {
            if ((CheckDimensionName(name) ?? CheckDimensionValue(value ?? string.Empty)) is { } message)
            {
                bag.Error($"{path}.{name}", message);
            }
        }
    }

    /// <summary>MetricDataQuery Id: 1–255 characters, letters, digits and '_', starting with a lower-case letter.</summary>
    public static string? CheckQueryId(string? id) =>
        id is null || !QueryIdRegex().IsMatch(id) ? $"must start with a lower-case letter and hold only letters, digits and '_'; got {Quote(id)}"
        : id.Length > MaxQueryIdLength ? $"must be at most {MaxQueryIdLength} characters; got {id.Length}"
        : null;

    /// <summary>MetricDataQuery Expression: 1–2048 characters.</summary>
    public static string? CheckExpression(string expression) =>
        string.IsNullOrWhiteSpace(expression) ? "must not be empty"
        : expression.Length > MaxExpressionLength ? $"must be at most {MaxExpressionLength} characters; got {expression.Length}"
        : null;

    /// <summary>
    /// MetricDataQuery Expression: "This expression can use the Id of the other metrics to refer to those metrics".
    /// Query ids start with a lower-case letter and math functions are upper case, so every lower-case name in an
    /// expression (outside quoted text) must be the id of another query of the alarm. Null when it is.
    /// </summary>
    public static string? CheckExpressionReferences(string expression, string ownId, IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var unquoted = QuotedTextRegex().Replace(expression, " ");
        foreach (var name in ExpressionNameRegex().Matches(unquoted).Select(m => m.Value).Distinct(StringComparer.Ordinal))
        {
            if (name == ownId)
            {
                return $"refers to its own id '{name}'; an expression can only use the ids of other queries";
            }

            if (!ids.Contains(name))
            {
                return $"refers to '{name}', which is not the id of a query of this alarm (ids: {string.Join(", ", ids.Where(i => i != ownId))})";
            }
        }

        return null;
    }

    /// <summary>
    /// PutMetricAlarm AlarmName (1–255 characters, no ASCII control characters) and PutScalingPolicy PolicyName
    /// (printable characters): this tool names both the same.
    /// </summary>
    public static string? CheckAlarmName(string name) =>
        name.Length > MaxAlarmNameLength ? $"the alarm name must be at most {MaxAlarmNameLength} characters; {Quote(name[..40] + "…")} has {name.Length}"
        : !IsPrintableAscii(name) ? $"the alarm and policy name must hold only printable ASCII characters; got {Quote(name)}"
        : null;

    /// <summary>
    /// ContainerDefinition image: up to 255 characters, a Docker image reference
    /// (<c>[registry[:port]/]path[:tag][@sha256:digest]</c>, the grammar of the distribution/reference package).
    /// </summary>
    public static string? CheckImage(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return "must name a container image, e.g. public.ecr.aws/nginx/nginx:stable";
        }

        if (image.Length > MaxImageLength)
        {
            return $"must be at most {MaxImageLength} characters; got {image.Length}";
        }

        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0 && !DigestRegex().IsMatch(image[(at + 1)..]))
        {
            return $"a digest must be sha256: and 64 lower-case hex digits (name@sha256:…); got {Quote(image[(at + 1)..])}";
        }

        var named = at >= 0 ? image[..at] : image;
        var lastSlash = named.LastIndexOf('/');
        var colon = named.LastIndexOf(':');
        if (colon > lastSlash)
        {
            var tag = named[(colon + 1)..];
            if (!TagRegex().IsMatch(tag))
            {
                return $"a tag must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'; got {Quote(tag)} in {Quote(image)}";
            }

            named = named[..colon];
        }

        return ImageNameRegex().IsMatch(named)
            ? null
            : $"must be an image reference such as registry.example.com:5000/team/app:1.2 (lower-case path, no spaces); got {Quote(image)}";
    }

    /// <summary>HealthCheck command: starts with CMD (arguments run directly) or CMD-SHELL (run by the shell), then the command.</summary>
    public static string? CheckHealthCheckCommand(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            return "is required: the health-check command, e.g. [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]";
        }

        if (command[0] is not ("CMD" or "CMD-SHELL"))
        {
            return $"must start with CMD (run the arguments directly) or CMD-SHELL (run them with the container's shell); got {Quote(command[0])} first";
        }

        return command.Count == 1 || command.Skip(1).All(string.IsNullOrWhiteSpace)
            ? $"needs the command after {command[0]}, e.g. [\"{command[0]}\", \"curl -f http://localhost/ || exit 1\"]"
            : null;
    }

    /// <summary>The rule of PutRetentionPolicy retentionInDays, as a message.</summary>
    public static string LogRetentionRule => $"must be a CloudWatch Logs retention period ({string.Join(", ", LogRetentionDays)})";

    /// <summary>PutRetentionPolicy retentionInDays.</summary>
    public static string? CheckLogRetentionDays(int days) =>
        LogRetentionDays.Contains(days) ? null : $"{LogRetentionRule}; got {Num(days)}";

    /// <summary>
    /// The container (and ECS service) name: the tool allows 1–32 letters, digits, '-' and '_' starting with a letter,
    /// within ContainerDefinition name's 255, so that the task family <c>{stack}-{name}</c> and the alarm names stay short.
    /// </summary>
    public static string? CheckServiceName(string? name) =>
        name is not null && ServiceNameRegex().IsMatch(name) ? null : $"must be 1 to 32 letters, digits, '-' or '_', starting with a letter; got {Quote(name)}";

    /// <summary>
    /// A policy name: the tool allows 1–64 letters, digits, '-' and '_', starting with a letter or digit, so that the
    /// physical names <c>{stack}-{service}-{policy}-out</c> are valid alarm names (PutMetricAlarm AlarmName) and policy
    /// names (PutScalingPolicy PolicyName, printable characters).
    /// </summary>
    public static string? CheckPolicyName(string? name) =>
        name is not null && PolicyNameRegex().IsMatch(name) ? null : $"must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit; got {Quote(name)}";

    /// <summary>
    /// The TargetGroup dimension of RequestCountPerTarget: <c>targetgroup/&lt;name&gt;/&lt;16 hex digits&gt;</c>, the target
    /// group ARN's suffix (ELB User Guide, "CloudWatch metrics for your Application Load Balancer", dimension TargetGroup;
    /// a target group name is 1–32 letters, digits and '-').
    /// </summary>
    public static string? CheckTargetGroupDimension(string value) =>
        TargetGroupRegex().IsMatch(value) ? null : $"must be the target group ARN's suffix, targetgroup/<name>/<16 hex digits>, e.g. targetgroup/web/0123456789abcdef; got {Quote(value)}";

    /// <summary>CreateService capacityProviderStrategy: a provider name, weight 0–1000, base 0–100000 (API Reference, "CapacityProviderStrategyItem").</summary>
    public static string? CheckCapacityProviderItem(string? provider, int weight, int @base) =>
        string.IsNullOrWhiteSpace(provider) || weight is < 0 or > 1000 || @base is < 0 or > 100_000
            ? $"needs a capacity provider, a weight from 0 to 1000 and a base from 0 to 100000; got {Quote(provider)}, weight {Num(weight)}, base {Num(@base)}"
            : null;

    /// <summary>
    /// RegisterTaskDefinition family: up to 255 letters, digits, '-' and '_'. The component names it
    /// <c>{stack}-{service}</c>, so a stack name with another character (Pulumi allows '.') cannot deploy.
    /// </summary>
    public static string? CheckTaskFamily(string family) =>
        TaskFamilyRegex().IsMatch(family) ? null : $"the task definition family {Quote(family)} ({{stack}}-{{service}}) must be 1 to 255 letters, digits, '-' or '_'; rename the stack or the service";

    /// <summary>
    /// The CIDR block of a new VPC: EC2 CreateVpc takes /16 to /28; the tool asks for /16 to /24 so that each
    /// availability zone's public and private subnets still fit.
    /// </summary>
    public static string? CheckVpcCidr(string cidr) =>
        CidrRegex().IsMatch(cidr) ? null : $"must be an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16; got {Quote(cidr)}";

    /// <summary>
    /// ContainerDefinition secrets valueFrom: the ARN of an SSM parameter or a Secrets Manager secret. ECS also takes a
    /// same-region parameter's bare name; the tool asks for the ARN so that the execution role can be scoped to it.
    /// </summary>
    public static bool IsSecretArn(string value) => SecretArnRegex().IsMatch(value);

    /// <summary>An environment variable or secret name: letters, digits and '_', not starting with a digit (the POSIX shell rule, so the variable is usable).</summary>
    public static string? CheckEnvironmentName(string name) =>
        EnvNameRegex().IsMatch(name) ? null : $"is not a valid environment variable name (letters, digits and '_', not starting with a digit); got {Quote(name)}";

    // ---- Elastic Load Balancing (User Guide for Application Load Balancers, "Load balancer attributes") ----

    /// <summary>
    /// The target group's health-check path (ELB API Reference, "CreateTargetGroup" HealthCheckPath: 1–1024
    /// characters; an HTTP path, so it starts with '/'): printable ASCII without spaces.
    /// </summary>
    public static string? CheckHealthCheckPath(string path) =>
        path.Length is >= 1 and <= 1024 && path.StartsWith('/') && path.All(c => c is > ' ' and < (char)127)
            ? null
            : $"must be an HTTP path of 1 to 1024 printable characters starting with '/', e.g. /health; got {Quote(path)}";

    /// <summary>ALB attribute idle_timeout.timeout_seconds: 1–4000 seconds.</summary>
    public static readonly IntRange AlbIdleTimeout = new(1, 4000, "seconds");

    // ---- The tool's own alerts (a CloudWatch alarm evaluates at most one day of 1-minute periods: PutMetricAlarm) ----

    /// <summary>Alert windows in minutes: 1 to 1440 (one day of one-minute periods).</summary>
    public static readonly IntRange AlertMinutes = new(1, 1440, "minutes");

    /// <summary>A whole-number range, with the message of its rule.</summary>
    /// <param name="Min">The least value.</param>
    /// <param name="Max">The greatest value.</param>
    /// <param name="Unit">The unit named in the message, or null.</param>
    public sealed record IntRange(int Min, int Max, string? Unit = null)
    {
        /// <summary>The rule as a message: <c>must be a whole number from 5 to 300 seconds</c>.</summary>
        public string Rule => Max == int.MaxValue
            ? $"must be a whole number{(Unit is null ? string.Empty : " of " + Unit)}, {Num(Min)} or more"
            : $"must be a whole number from {Num(Min)} to {Num(Max)}{(Unit is null ? string.Empty : " " + Unit)}";

        /// <summary>Null when <paramref name="value"/> is within the range, else the rule and the value.</summary>
        public string? Check(long value) => value < Min || value > Max ? $"{Rule}; got {value.ToString(CultureInfo.InvariantCulture)}" : null;
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool HasControl(string text) => text.Any(char.IsControl);

    private static bool IsPrintableAscii(string text) => text.All(c => c is >= ' ' and <= '~');

    [GeneratedRegex(@"'[^']*'|""[^""]*""")]
    private static partial Regex QuotedTextRegex();

    [GeneratedRegex(@"(?<![A-Za-z0-9_.])[a-z][A-Za-z0-9_]*(?![A-Za-z0-9_(])")]
    private static partial Regex ExpressionNameRegex();

    [GeneratedRegex(@"^(p|tm|wm|tc|ts)(100(\.0{1,10})?|[0-9]{1,2}(\.[0-9]{1,10})?)$")]
    private static partial Regex ShorthandStatisticRegex();

    [GeneratedRegex(@"^(?<name>TM|WM|TC|TS|PR)\((?<low>[0-9]+(\.[0-9]+)?%?)?:(?<high>[0-9]+(\.[0-9]+)?%?)?\)$")]
    private static partial Regex RangeStatisticRegex();

    [GeneratedRegex(@"^(100(\.0{1,10})?|[0-9]{1,2}(\.[0-9]{1,10})?)$")]
    private static partial Regex PercentRegex();

    [GeneratedRegex("^[a-z][A-Za-z0-9_]*$")]
    private static partial Regex QueryIdRegex();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagRegex();

    // [domain[:port]/]path-component(/path-component)*; a path component is [a-z0-9]+ joined by '.', '_', '__' or dashes.
    [GeneratedRegex(@"^((?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex ImageNameRegex();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex ServiceNameRegex();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvNameRegex();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex PolicyNameRegex();

[GeneratedRegex(@"^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}/(1[6-9]|2[0-4])$")]
    private static partial Regex CidrRegex();

[GeneratedRegex(@"^arn:aws[a-z-]*:(ssm:[a-z0-9-]+:\d{12}:parameter/.+|secretsmanager:[a-z0-9-]+:\d{12}:secret:.+)$")]
    private static partial Regex SecretArnRegex();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex TaskFamilyRegex();

    [GeneratedRegex("^targetgroup/[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]{16}$")]
    private static partial Regex TargetGroupRegex();
}
