using Pulumi;
using StepScaling.Planning;

namespace StepScaledEcs;

// The arguments, in every Pulumi language. The sections (service, scaling, flapCheck, alerts) have exactly the
// shape and names of the stack config keys, and are read straight into the config mapper itself (ArgsConfig →
// StackConfigMapper.MapComponentSections, no JSON in between), so defaults, rules and error paths are the config's.
// Two kinds of property, each documented as such:
// - plain (known at preview): what decides the shape of the resource graph or the loop proof (the scaling
//   section, flapCheck, sizes, counts, ports); validated, and the flap analysis run, before any child exists;
// - input (Input<T>, InputList<T>, InputMap<T>): every value a real program takes from another resource (image,
//   environment and secret values, KMS keys, topic and policy ARNs, target groups, dimension values, capacity
//   providers). An input already resolved when the component is constructed (a literal, a config value) is
//   checked with the plain values; one that is not is checked when it resolves, with the same rule and message,
//   and a bad value fails the update before any resource uses it (References.CheckPendingAsync).
// Every type here is read by Pulumi's ComponentAnalyzer: a schema type is the class name without "Args", a
// property the [Input] name; every public property needs [Input].

/// <summary>
/// Arguments of <see cref="StepScaledEcsService"/>: references to the cluster, the network and the load balancer
/// (inputs, may be unknown at preview), and plain settings for the container and its scaling (known at preview).
/// </summary>
public sealed class StepScaledEcsServiceArgs : ResourceArgs
{
    private InputList<string>? _securityGroups;
    private InputList<string>? _taskRolePolicyArns;
    private InputMap<string>? _tags;

    /// <summary>The ECS cluster's ARN. Input: another resource's output, may be unknown at preview.</summary>
    [Input("clusterArn", required: true)]
    public required Input<string> ClusterArn { get; set; }

    /// <summary>The ECS cluster's name (the scalable target and the alarm dimensions take names, not ARNs). Input: another resource's output, may be unknown at preview.</summary>
    [Input("clusterName", required: true)]
    public required Input<string> ClusterName { get; set; }

    /// <summary>The subnets the tasks run in: private subnets, unless the service's assignPublicIp is true. Input: another resource's output, may be unknown at preview.</summary>
    [Input("subnets", required: true)]
    public required InputList<string> Subnets { get; set; }

    /// <summary>Security groups of the tasks. The default is none: the VPC's default group. Input: another resource's output, may be unknown at preview.</summary>
    [Input("securityGroups")]
    public InputList<string> SecurityGroups
    {
        get => _securityGroups ??= [];
        set => _securityGroups = value;
    }

    /// <summary>A load-balancer target group the service registers with; none by default. Plain object: whether there is one decides the resources; its ARNs are inputs.</summary>
    [Input("loadBalancer")]
    public LoadBalancerAttachmentArgs? LoadBalancer { get; set; }

    /// <summary>A capacity-provider strategy (e.g. FARGATE and FARGATE_SPOT); empty (the default) uses the FARGATE launch type. Plain list: its length and weights are checked before any resource exists; the provider names are inputs.</summary>
    [Input("capacityProviderStrategy")]
    public List<CapacityProviderArgs>? CapacityProviderStrategy { get; set; }

    /// <summary>The container and service settings (config key <c>service</c>); every setting has a default. Plain object: its settings are checked before any resource exists; the values it takes from other resources are inputs.</summary>
    [Input("service")]
    public ServiceArgs? Service { get; set; }

    /// <summary>
    /// Managed policy ARNs attached to the task role: what the application itself may do. None by default. Input:
    /// usually the ARN of an IAM policy created in the same program; the role's managed policies are exactly these.
    /// </summary>
    [Input("taskRolePolicyArns")]
    public InputList<string> TaskRolePolicyArns
    {
        get => _taskRolePolicyArns ??= [];
        set => _taskRolePolicyArns = value;
    }

    /// <summary>The scaling (config key <c>scaling</c>); absent, the service runs its desired count and nothing scales. Plain: it decides the alarms and policies and is flap-checked before any resource exists; only metric target groups and dimensions are inputs.</summary>
    [Input("scaling")]
    public ScalingArgs? Scaling { get; set; }

    /// <summary>How flap-analysis findings are reported: <c>warn</c> (the default), <c>error</c> (nothing is created) or <c>off</c>. Plain: it decides whether anything is created.</summary>
    [Input("flapCheck")]
    public string? FlapCheck { get; set; }

    /// <summary>Tags for every child resource that takes tags; the service propagates them to its tasks. Input: another resource's output, may be unknown at preview.</summary>
    [Input("tags")]
    public InputMap<string> Tags
    {
        get => _tags ??= [];
        set => _tags = value;
    }

    /// <summary>Alarms that notify a human (capacity exhausted, tasks failing to start); none by default. Plain object: it decides the alert alarms; the topic ARN is an input.</summary>
    [Input("alerts")]
    public AlertsArgs? Alerts { get; set; }

    /// <summary>
    /// Whether the cluster publishes Container Insights metrics (its <c>containerInsights</c> setting is on); the
    /// alerts read them, so alerts without it are an error. The default is false. Plain: without it, alerts are an error before any resource exists.
    /// </summary>
    [Input("clusterHasContainerInsights")]
    public bool? ClusterHasContainerInsights { get; set; }

    /// <summary>The sections a stack's config already checked (<see cref="UseCheckedSections"/>), or null.</summary>
    internal ComponentPlan? CheckedSections { get; private set; }

    /// <summary>
    /// Gives the component its sections exactly as a stack's config planned them (<c>StackPlan.Component</c>): the
    /// component then neither maps nor checks them again, so <c>pulumi up</c> checks a config once.
    /// <see cref="Scaling"/>, <see cref="FlapCheck"/> and <see cref="Alerts"/> must then be unset, and
    /// <see cref="Service"/> may set only its inputs (image, environment, secrets, KMS keys), which replace the
    /// plan's and are checked as any input is (e.g. the image a program builds and pushes).
    /// </summary>
    /// <param name="plan">The checked sections, without errors, planned for this stack with a load balancer and Container Insights as these args say.</param>
    /// <returns>These args.</returns>
    public StepScaledEcsServiceArgs UseCheckedSections(ComponentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        CheckedSections = plan;
        return this;
    }
}

/// <summary>The load-balancer target group the service registers its container port with.</summary>
public sealed class LoadBalancerAttachmentArgs : ResourceArgs
{
    /// <summary>The target group's ARN. Input: another resource's output, may be unknown at preview.</summary>
    [Input("targetGroupArn", required: true)]
    public required Input<string> TargetGroupArn { get; set; }

    /// <summary>The target group's ARN suffix (<c>targetgroup/name/id</c>), the <c>TargetGroup</c> dimension of RequestCountPerTarget. Input: another resource's output, may be unknown at preview.</summary>
    [Input("targetGroupArnSuffix", required: true)]
    public required Input<string> TargetGroupArnSuffix { get; set; }
}

/// <summary>One entry of a capacity-provider strategy.</summary>
public sealed class CapacityProviderArgs : ResourceArgs
{
    /// <summary>The capacity provider, e.g. <c>FARGATE</c> or <c>FARGATE_SPOT</c>. Input: may be the name of a capacity provider created in the same program.</summary>
    [Input("capacityProvider", required: true)]
    public required Input<string> CapacityProvider { get; set; }

    /// <summary>Its relative share of the tasks (0–1000). The default is 1. Plain: checked before any resource exists.</summary>
    [Input("weight")]
    public int? Weight { get; set; }

    /// <summary>Tasks placed on it before the weights apply (0–100000). The default is 0. Plain: checked before any resource exists.</summary>
    [Input("base")]
    public int? Base { get; set; }
}

/// <summary>The container and ECS service settings (config key <c>service</c>).</summary>
public sealed class ServiceArgs : ResourceArgs
{
    private InputMap<string>? _environment;
    private InputMap<string>? _secrets;
    private InputList<string>? _secretsKmsKeyArns;

    /// <summary>The service and container name: letters, digits, '-' and '_', up to 32 characters. The default is <c>app</c>. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("name")]
    public string? Name { get; set; }

    /// <summary>
    /// The container image. The default is NGINX's unprivileged image (uid 101, port 8080). Input: usually an image
    /// built and pushed in the same program (e.g. awsx <c>ecr.Image</c>'s <c>imageUri</c>).
    /// </summary>
    [Input("image")]
    public Input<string>? Image { get; set; }

    /// <summary>Fargate CPU units; with memory, a valid Fargate task size. The default is 256. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("cpu")]
    public int? Cpu { get; set; }

    /// <summary>Fargate memory in MiB; with cpu, a valid Fargate task size. The default is 512. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("memory")]
    public int? Memory { get; set; }

    /// <summary>The port the container listens on. The default is 8080. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("containerPort")]
    public int? ContainerPort { get; set; }

    /// <summary>
    /// Plain environment variables; a name that looks like a secret is an error (use secrets). Input: values are
    /// often other resources' names (a bucket, a queue URL); while any value is unknown the names are checked when it resolves.
    /// </summary>
    [Input("environment")]
    public InputMap<string> Environment
    {
        get => _environment ??= [];
        set => _environment = value;
    }

    /// <summary>
    /// Secrets: a variable name to the ARN of an SSM parameter or a Secrets Manager secret (never the secret
    /// itself). Input: the ARNs usually come from secrets created in the same program.
    /// </summary>
    [Input("secrets")]
    public InputMap<string> Secrets
    {
        get => _secrets ??= [];
        set => _secrets = value;
    }

    /// <summary>The container command; empty (the default) runs the image's own. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("command")]
    public List<string>? Command { get; set; }

    /// <summary>The container health check; none by default. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("healthCheck")]
    public HealthCheckArgs? HealthCheck { get; set; }

    /// <summary>Log retention in days, a CloudWatch Logs retention value. The default is 30. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("logRetentionDays")]
    public int? LogRetentionDays { get; set; }

    /// <summary>Whether tasks get a public IP (needed in a VPC without NAT). The default is false. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("assignPublicIp")]
    public bool? AssignPublicIp { get; set; }

    /// <summary>Seconds the load balancer's health checks are ignored after a task starts. The default is 60. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("healthCheckGracePeriod")]
    public int? HealthCheckGracePeriod { get; set; }

    /// <summary>The initial task count, ignored by later updates while scaling is on. The default is the scaling minimum, or 1. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("desiredCount")]
    public int? DesiredCount { get; set; }

    /// <summary>The user the container runs as (<c>uid</c>, <c>uid:gid</c>, a name). The default is <c>101</c>; root needs allowRoot. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("user")]
    public string? User { get; set; }

    /// <summary>Whether a root user is accepted (with a warning on every preview). The default is false. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("allowRoot")]
    public bool? AllowRoot { get; set; }

    /// <summary>Whether the container's root filesystem is read-only. The default is true. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("readonlyRootFilesystem")]
    public bool? ReadonlyRootFilesystem { get; set; }

    /// <summary>Absolute paths the application writes, each a 64 MiB tmpfs. The default is <c>["/tmp"]</c>. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("writablePaths")]
    public List<string>? WritablePaths { get; set; }

    /// <summary>Linux capabilities added back after all are dropped (Fargate allows only SYS_PTRACE). None by default. Plain: it shapes the task definition or the service and is checked before any resource exists.</summary>
    [Input("capabilities")]
    public List<string>? Capabilities { get; set; }

    /// <summary>
    /// Customer-managed KMS key ARNs the secrets are encrypted with; the execution role may decrypt with exactly
    /// these. Input: usually keys created in the same program.
    /// </summary>
    [Input("secretsKmsKeyArns")]
    public InputList<string> SecretsKmsKeyArns
    {
        get => _secretsKmsKeyArns ??= [];
        set => _secretsKmsKeyArns = value;
    }

    /// <summary>A KMS key ARN for the log group; unset, CloudWatch Logs' own encryption. Input: usually a key created in the same program.</summary>
    [Input("logKmsKeyArn")]
    public Input<string>? LogKmsKeyArn { get; set; }
}

/// <summary>A container health check (ECS <c>healthCheck</c>).</summary>
public sealed class HealthCheckArgs : ResourceArgs
{
    /// <summary>The command, e.g. <c>["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"]</c>. Plain: part of the task definition, checked before any resource exists.</summary>
    [Input("command", required: true)]
    public required List<string> Command { get; set; }

    /// <summary>Seconds between checks (5–300). The default is 30. Plain: part of the task definition, checked before any resource exists.</summary>
    [Input("interval")]
    public int? Interval { get; set; }

    /// <summary>Seconds before a check fails (2–60). The default is 5. Plain: part of the task definition, checked before any resource exists.</summary>
    [Input("timeout")]
    public int? Timeout { get; set; }

    /// <summary>Failures before the container is unhealthy (1–10). The default is 3. Plain: part of the task definition, checked before any resource exists.</summary>
    [Input("retries")]
    public int? Retries { get; set; }

    /// <summary>Grace seconds after the container starts (0–300). The default is 0. Plain: part of the task definition, checked before any resource exists.</summary>
    [Input("startPeriod")]
    public int? StartPeriod { get; set; }
}

/// <summary>The scaling (config key <c>scaling</c>): capacity bounds and step-scaling policies.</summary>
public sealed class ScalingArgs : ResourceArgs
{
    /// <summary>Whether scaling is on; false keeps the section but scales nothing. The default is true. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>The least number of tasks. The default is 1. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("minCapacity")]
    public int? MinCapacity { get; set; }

    /// <summary>The most tasks (at most 10000). The default is 4. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("maxCapacity")]
    public int? MaxCapacity { get; set; }

    /// <summary>The policies: one per metric, each with a scale-out side, a scale-in side or both. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("policies")]
    public List<PolicyArgs>? Policies { get; set; }
}

/// <summary>One metric with its scale-out and scale-in sides (<c>scaling.policies[]</c>).</summary>
public sealed class PolicyArgs : ResourceArgs
{
    /// <summary>A short name, unique in the service (lower-case letters, digits, dashes); it names the alarms and policies. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("name", required: true)]
    public required string Name { get; set; }

    /// <summary>The metric the alarms watch. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("metric", required: true)]
    public required MetricArgs Metric { get; set; }

    /// <summary>The statistic; the default is Sum for RequestCountPerTarget, Average otherwise. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("statistic")]
    public string? Statistic { get; set; }

    /// <summary>A percentile statistic such as <c>p95</c>, instead of statistic. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("extendedStatistic")]
    public string? ExtendedStatistic { get; set; }

    /// <summary>The alarm period in seconds: 10, 20, 30 or a multiple of 60. The default is 60. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("period")]
    public int? Period { get; set; }

    /// <summary>How demand becomes the metric, for the flap analysis: <c>perTask</c> (ECS and ALB metrics) or <c>independent</c> (others). Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("loadModel")]
    public string? LoadModel { get; set; }

    /// <summary>This metric per unit of the shared demand, for the flap analysis; policies on one metric share one ratio. The default is 1. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("loadRatio")]
    public double? LoadRatio { get; set; }

    /// <summary>The scale-out side; none by default. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("scaleOut")]
    public SideArgs? ScaleOut { get; set; }

    /// <summary>The scale-in side; none by default. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("scaleIn")]
    public SideArgs? ScaleIn { get; set; }
}

/// <summary>The metric of a policy: an ECS service metric, ALB RequestCountPerTarget, any CloudWatch metric, or metric math.</summary>
public sealed class MetricArgs : ResourceArgs
{
    private InputMap<string>? _dimensions;

    /// <summary>
    /// The metric a stack config's shorthand names (<c>metric: CPUUtilization</c>): <c>CPUUtilization</c> and
    /// <c>MemoryUtilization</c> are ECS service metrics, <c>RequestCountPerTarget</c> the service's target group's.
    /// </summary>
    /// <param name="text">The shorthand.</param>
    /// <exception cref="FormatException">The text is not one of the three.</exception>
    public static MetricArgs FromText(string text) => text switch
    {
        "CPUUtilization" or "MemoryUtilization" => new() { Kind = "ecs", Name = text },
        "RequestCountPerTarget" => new() { Kind = "albRequestCountPerTarget" },
        _ => throw new FormatException($"metric: as text, must be CPUUtilization, MemoryUtilization or RequestCountPerTarget; got '{text}'"),
    };

    /// <summary>The kind: <c>ecs</c>, <c>albRequestCountPerTarget</c>, <c>cloudwatch</c> or <c>math</c>. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("kind", required: true)]
    public required string Kind { get; set; }

    /// <summary>The metric name: <c>CPUUtilization</c> or <c>MemoryUtilization</c> for ecs; any name for cloudwatch. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("name")]
    public string? Name { get; set; }

    /// <summary>
    /// For albRequestCountPerTarget: the target group's ARN suffix; unset, the service's load-balancer target
    /// group. Input: a target group's <c>arnSuffix</c> output.
    /// </summary>
    [Input("targetGroup")]
    public Input<string>? TargetGroup { get; set; }

    /// <summary>For cloudwatch: the CloudWatch namespace, e.g. <c>AWS/SQS</c>. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("namespace")]
    public string? Namespace { get; set; }

    /// <summary>For cloudwatch: the dimensions, exactly as published. Input: values are usually other resources' names (a queue, a table).</summary>
    [Input("dimensions")]
    public InputMap<string> Dimensions
    {
        get => _dimensions ??= [];
        set => _dimensions = value;
    }

    /// <summary>For cloudwatch: the unit; unset, any. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("unit")]
    public string? Unit { get; set; }

    /// <summary>For math: up to 20 queries, exactly one of which returns data. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("queries")]
    public List<MetricQueryArgs>? Queries { get; set; }
}

/// <summary>One query of a metric-math alarm: an expression or a metric.</summary>
public sealed class MetricQueryArgs : ResourceArgs
{
    /// <summary>The query id: a lower-case letter, then letters, digits and underscores. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("id", required: true)]
    public required string Id { get; set; }

    /// <summary>A math expression over other query ids; unset for a metric query. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("expression")]
    public string? Expression { get; set; }

    /// <summary>The metric; unset for an expression query. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("metric")]
    public MetricStatArgs? Metric { get; set; }

    /// <summary>A human-readable label. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("label")]
    public string? Label { get; set; }

    /// <summary>Whether this query's result is what the alarm compares with its threshold. The default is false. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("returnData")]
    public bool? ReturnData { get; set; }
}

/// <summary>A metric with its statistic and period, inside a metric-math query.</summary>
public sealed class MetricStatArgs : ResourceArgs
{
    private InputMap<string>? _dimensions;

    /// <summary>The CloudWatch namespace. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("namespace", required: true)]
    public required string Namespace { get; set; }

    /// <summary>The metric name. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("name", required: true)]
    public required string Name { get; set; }

    /// <summary>The dimensions. Input: values are usually other resources' names (a queue, a table).</summary>
    [Input("dimensions")]
    public InputMap<string> Dimensions
    {
        get => _dimensions ??= [];
        set => _dimensions = value;
    }

    /// <summary>The statistic (<c>Average</c>, <c>Sum</c>, <c>p99</c>, …). The default is Average. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("stat")]
    public string? Stat { get; set; }

    /// <summary>The period in seconds. The default is 60. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("period")]
    public int? Period { get; set; }

    /// <summary>The unit; unset, any. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("unit")]
    public string? Unit { get; set; }
}

/// <summary>
/// One side of a policy: its steps, as absolute <c>bands</c> or as an <c>alarm</c> with <c>stepAdjustments</c>
/// relative to its threshold (as AWS and Terraform take them), and its alarm and policy settings.
/// </summary>
public sealed class SideArgs : ResourceArgs
{
    /// <summary>Absolute bands, e.g. 70–85 → +1, ≥ 85 → +3: scale-out bands are [from, to) with the highest open; scale-in bands end at to with the lowest open. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("bands")]
    public List<BandArgs>? Bands { get; set; }

    /// <summary>The alarm that stepAdjustments are relative to; only with stepAdjustments. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("alarm")]
    public AlarmArgs? Alarm { get; set; }

    /// <summary>Steps relative to alarm.threshold, exactly as AWS stores them; instead of bands. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("stepAdjustments")]
    public List<StepAdjustmentArgs>? StepAdjustments { get; set; }

    /// <summary>Periods the alarm evaluates (N). The default is 1. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("evaluationPeriods")]
    public int? EvaluationPeriods { get; set; }

    /// <summary>Breaching periods that fire the alarm (M of N). The default is evaluationPeriods. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("datapointsToAlarm")]
    public int? DatapointsToAlarm { get; set; }

    /// <summary>Missing data: <c>missing</c>, <c>ignore</c>, <c>breaching</c> or <c>notBreaching</c>. The default is missing (notBreaching for request counts). Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("treatMissingData")]
    public string? TreatMissingData { get; set; }

    /// <summary>Cooldown in seconds. The default is 60. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("cooldown")]
    public int? Cooldown { get; set; }

    /// <summary><c>ChangeInCapacity</c> (the default), <c>PercentChangeInCapacity</c> or <c>ExactCapacity</c>. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("adjustmentType")]
    public string? AdjustmentType { get; set; }

    /// <summary>The least change of a percentage step; only with PercentChangeInCapacity. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("minAdjustmentMagnitude")]
    public int? MinAdjustmentMagnitude { get; set; }

    /// <summary><c>Average</c>, <c>Minimum</c> or <c>Maximum</c>. The default follows the statistic. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("metricAggregationType")]
    public string? MetricAggregationType { get; set; }
}

/// <summary>One absolute band: metric values from <c>from</c> to <c>to</c> change capacity by <c>change</c>.</summary>
public sealed class BandArgs : ResourceArgs
{
    /// <summary>The lower edge; unset for −∞ (only the lowest scale-in band). Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("from")]
    public double? From { get; set; }

    /// <summary>The upper edge; unset for +∞ (only the highest scale-out band). Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("to")]
    public double? To { get; set; }

    /// <summary>The scaling adjustment, e.g. 2 or -1. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("change", required: true)]
    public required int Change { get; set; }
}

/// <summary>The alarm of relative steps.</summary>
public sealed class AlarmArgs : ResourceArgs
{
    /// <summary><c>GreaterThanOrEqualToThreshold</c>, <c>GreaterThanThreshold</c>, <c>LessThanThreshold</c> or <c>LessThanOrEqualToThreshold</c>. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("comparisonOperator", required: true)]
    public required string ComparisonOperator { get; set; }

    /// <summary>The alarm threshold. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("threshold", required: true)]
    public required double Threshold { get; set; }
}

/// <summary>One step relative to the alarm threshold, as AWS stores it.</summary>
public sealed class StepAdjustmentArgs : ResourceArgs
{
    /// <summary>The lower bound relative to the threshold; unset for −∞. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("metricIntervalLowerBound")]
    public double? MetricIntervalLowerBound { get; set; }

    /// <summary>The upper bound relative to the threshold; unset for +∞. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("metricIntervalUpperBound")]
    public double? MetricIntervalUpperBound { get; set; }

    /// <summary>The scaling adjustment. Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists.</summary>
    [Input("scalingAdjustment", required: true)]
    public required int ScalingAdjustment { get; set; }
}

/// <summary>The alarms that notify a human (config key <c>alerts</c>); they read Container Insights metrics.</summary>
public sealed class AlertsArgs : ResourceArgs
{
    /// <summary>The ARN of an SNS topic you own, notified when an alert fires and when it clears. Input: usually a topic created in the same program.</summary>
    [Input("topicArn", required: true)]
    public required Input<string> TopicArn { get; set; }

    /// <summary>Minutes at maxCapacity before "capacity exhausted" fires (1–1440). The default is 15. Plain: it decides the alert alarms and is checked before any resource exists.</summary>
    [Input("capacityExhaustedMinutes")]
    public int? CapacityExhaustedMinutes { get; set; }

    /// <summary>Minutes with fewer running than desired tasks before "tasks failing to start" fires (1–1440). The default is 10. Plain: it decides the alert alarms and is checked before any resource exists.</summary>
    [Input("startFailureMinutes")]
    public int? StartFailureMinutes { get; set; }
}
