using System.Globalization;

namespace StepScaling.Validation;

/// <summary>
/// The rules of reading config: the type each key must have, the keys each section takes, the keys it requires, and
/// the YAML a stack file may hold. Config reaches the program as Pulumi passes it (Pulumi docs, "Configuration":
/// structured values are passed as JSON text; a YAML scalar is typed by YAML 1.1 as Pulumi's YAML reader types
/// it, so <c>name: 123</c> is a number); the same rules read a component's arguments. Every function raises one
/// error, naming the path, the rule and what was given (<c>got …</c>, from <c>ConfigReader.Describe</c>).
/// </summary>
public static class ReadingRules
{
    /// <summary><c>scaling.policies[].name</c> is required.</summary>
    public const string PolicyNameRequired = "is required: a short name for the policy, e.g. memory";

    /// <summary><c>scaling.policies[].metric</c> is required.</summary>
    public const string MetricRequired = "is required: CPUUtilization, MemoryUtilization, RequestCountPerTarget, or a mapping with 'kind'";

    /// <summary>A metric mapping's <c>kind</c> is required.</summary>
    public const string MetricKindRequired = "is required: ecs, albRequestCountPerTarget, cloudwatch or math";

    /// <summary><c>alerts.topicArn</c> is required (CloudWatch alarm actions need a target).</summary>
    public const string TopicArnRequired = "is required: the ARN of an SNS topic you own, notified when an alert fires and when it clears";

    /// <summary><c>loadBalancer.accessLogs.bucket</c> is required (ELB access logs, "Enable access logs": the bucket).</summary>
    public const string AccessLogsBucketRequired = "is required: the S3 bucket the load balancer writes its access logs to";

    /// <summary>Step adjustments are relative to the alarm threshold (Application Auto Scaling, "Step scaling policies").</summary>
    public const string AlarmRequired = "is required with stepAdjustments: { comparisonOperator, threshold }, because the bounds are relative to the threshold";

    /// <summary>The alarm's <c>comparisonOperator</c> (CloudWatch PutMetricAlarm ComparisonOperator).</summary>
    public const string ComparisonRequired = "is required: GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold";

    /// <summary>A band's <c>change</c>.</summary>
    public const string BandChangeRequired = "is required: the capacity change for this band, e.g. 2 or -1";

    /// <summary>The alarm's <c>threshold</c>, a step's <c>scalingAdjustment</c> (PutMetricAlarm Threshold, StepAdjustment ScalingAdjustment).</summary>
    public const string ValueRequired = "is required";

    /// <summary>A required key is absent: <paramref name="requirement"/> is one of this class's <c>…Required</c> texts.</summary>
    public static void Missing(string path, string requirement, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        bag.Error(path, requirement);
    }

    /// <summary>An object was expected.</summary>
    public static void NotAMapping(string path, string got, DiagnosticBag bag) => Raise(path, $"must be a mapping (key: value pairs); got {got}", bag);

    /// <summary>Text was expected (a number or a flag reads as its text; a mapping or a list does not).</summary>
    public static void NotText(string path, string got, DiagnosticBag bag) => Raise(path, $"must be text; got {got}", bag);

    /// <summary>A flag was expected (<c>true</c>/<c>false</c>, also as text).</summary>
    public static void NotABoolean(string path, string got, DiagnosticBag bag) => Raise(path, $"must be true or false; got {got}", bag);

    /// <summary>One of a fixed set of names was expected.</summary>
    public static void NotOneOf(string path, IEnumerable<string> names, string got, DiagnosticBag bag) => Raise(path, $"must be one of {string.Join(", ", names)}; got '{got}'", bag);

    /// <summary>A list was expected.</summary>
    public static void NotAList(string path, string got, DiagnosticBag bag) => Raise(path, $"must be a list; got {got}", bag);

    /// <summary>A mapping of names to text was expected (environment, dimensions).</summary>
    public static void NotATextMapping(string path, string got, DiagnosticBag bag) => Raise(path, $"must be a mapping of names to text; got {got}", bag);

    /// <summary>A number was expected (a number, or text holding one).</summary>
    public static void NotANumber(string path, string got, DiagnosticBag bag) => Raise(path, $"must be a number; got {got}", bag);

    /// <summary>Text that is not a number: <c>.inf</c>, <c>NaN</c> and the like are named as not finite (YAML 1.1 <c>!!float</c> allows them; no AWS field does).</summary>
    public static void NotANumberText(string path, string text, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(text);
        Raise(path, IsNonFiniteWord(text) ? $"must be a finite number; got {text}" : $"must be a number; got '{text}'", bag);
    }

    /// <summary>A number that is infinite or not a number.</summary>
    public static void NotFinite(string path, string text, DiagnosticBag bag) => Raise(path, $"must be a finite number; got {text}", bag);

    /// <summary>A number outside its whole-number <paramref name="rule"/> (a fraction, or out of range).</summary>
    public static void OutOfRange(string path, string rule, double got, DiagnosticBag bag) => Raise(path, $"{rule}; got {got.ToString("R", CultureInfo.InvariantCulture)}", bag);

    /// <summary>A key the section does not read: never ignored, the nearest known key suggested when one is close.</summary>
    public static void UnknownKey(string path, string key, string? suggestion, IEnumerable<string> known, DiagnosticBag bag) =>
        Raise(path, suggestion is null
            ? $"unknown key '{key}' (known keys: {string.Join(", ", known)})"
            : $"unknown key '{key}'; did you mean '{suggestion}'?", bag);

    /// <summary>A config value that starts like JSON (<c>{</c>, <c>[</c>) and does not parse: Pulumi passes structured config as JSON text.</summary>
    public static void InvalidJson(string key, string error, DiagnosticBag bag) => Raise(key, $"is not valid JSON: {error}", bag);

    /// <summary>A metric given as text that is none of the shorthands.</summary>
    public static void UnknownMetricShorthand(string path, string got, DiagnosticBag bag) =>
        Raise(path, $"as text, must be CPUUtilization, MemoryUtilization or RequestCountPerTarget; got '{got}' (use a mapping with kind: cloudwatch for any other metric)", bag);

    /// <summary>A metric mapping's <c>kind</c> is none of the kinds.</summary>
    public static void UnknownMetricKind(string path, string got, DiagnosticBag bag) =>
        Raise(path, $"must be one of ecs, albRequestCountPerTarget, cloudwatch, math; got '{got}'", bag);

    /// <summary>A stack file that is not UTF-8 text (Pulumi reads stack files as UTF-8 YAML).</summary>
    public static Diagnostic NotUtf8(string at, byte value) => Diagnostic.Error(at, value == 0
        ? "not a text file: it holds a NUL byte; a stack file is UTF-8 YAML"
        : $"not UTF-8 text: byte 0x{value.ToString("X2", CultureInfo.InvariantCulture)} is not valid UTF-8; save the file as UTF-8");

    /// <summary>YAML the parser rejects (YAML 1.1 as YamlDotNet reads it), at its line and column.</summary>
    public static void MalformedYaml(string at, string detail, DiagnosticBag bag) => Raise(at, $"malformed YAML: {detail}", bag);

    /// <summary>YAML the parser gave up on without a position (YamlDotNet, some unclosed flow collections).</summary>
    public static void YamlParserGaveUp(string at, string detail, DiagnosticBag bag) =>
        Raise(at, $"malformed YAML: the parser gave up ({detail}); look for an unclosed '[' or '{{'", bag);

    /// <summary>
    /// YAML that parses but that Pulumi does not read as it reads (a tag, an anchor or merge key it does not expand, a
    /// scalar its YAML reader types differently): <paramref name="problem"/> says which, found by the stack-file reader.
    /// </summary>
    public static void UnreadableYaml(string at, string problem, DiagnosticBag bag) => Raise(at, problem, bag);

    /// <summary>A stack file's top level must be a mapping holding <c>config</c> (Pulumi docs, "Stack settings file").</summary>
    public static void StackFileNotAMapping(string at, DiagnosticBag bag) => Raise(at, "a stack file must be a mapping with a 'config' key", bag);

    /// <summary>A stack file's <c>config</c> must be a mapping of <c>namespace:key</c> to values (Pulumi docs, "Configuration").</summary>
    public static void ConfigNotAMapping(DiagnosticBag bag) => Raise("config", "must be a mapping of 'namespace:key' to values", bag);

    private static void Raise(string path, string message, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        bag.Error(path, message);
    }

    private static bool IsNonFiniteWord(string text) =>
        text.Trim().TrimStart('+', '-').ToUpperInvariant() is ".INF" or "INF" or "INFINITY" or ".NAN" or "NAN" or "∞";
}
