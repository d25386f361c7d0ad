using System.Collections.Immutable;
using Pulumi;
using StepScaling.Config;
using StepScaling.Model;

namespace StepScaledEcs;

/// <summary>
/// Arguments of <see cref="StepScaledEcsService"/>. References to other resources are <see cref="Input{T}"/>;
/// the container and the scaling are plain values, validated before anything is created and known at preview.
/// </summary>
public sealed class StepScaledEcsServiceArgs
{
    /// <summary>The ECS cluster's ARN.</summary>
    public required Input<string> ClusterArn { get; init; }

    /// <summary>The ECS cluster's name (the scalable target and the alarm dimensions use names, not ARNs).</summary>
    public required Input<string> ClusterName { get; init; }

    /// <summary>The subnets the tasks run in (private subnets unless <see cref="ServiceSettings.AssignPublicIp"/>).</summary>
    public required InputList<string> Subnets { get; init; }

    /// <summary>Security groups for the tasks. <value>The default value is none (the VPC default group).</value></summary>
    public InputList<string> SecurityGroups { get; init; } = new();

    /// <summary>An optional load-balancer target group the service registers with.</summary>
    public TargetGroupAttachment? LoadBalancer { get; init; }

    /// <summary>An optional capacity-provider strategy (e.g. FARGATE and FARGATE_SPOT); empty uses the FARGATE launch type.</summary>
    public ImmutableArray<CapacityProviderItem> CapacityProviderStrategy { get; init; } = [];

    /// <summary>The container and service settings. <value>The default value is <see cref="ServiceSettings"/>' defaults.</value></summary>
    public ServiceSettings Service { get; init; } = new();

    /// <summary>Managed policy ARNs for the task role (what the application itself may do). <value>The default value is none.</value></summary>
    public ImmutableArray<string> TaskRolePolicyArns { get; init; } = [];

    /// <summary>The scaling, or null to switch scaling off.</summary>
    public ScalingDefinition? Scaling { get; init; }

    /// <summary>How flap-analysis findings are reported. <value>The default value is <see cref="FlapCheckMode.Warn"/>.</value></summary>
    public FlapCheckMode FlapCheck { get; init; } = Defaults.FlapCheck;

    /// <summary>Tags for every child resource that takes tags; the service propagates them to its tasks.</summary>
    public InputMap<string> Tags { get; init; } = new();

    /// <summary>Alarms that notify a human (capacity exhausted, tasks failing to start), or null for none. <value>The default value is null.</value></summary>
    public AlertSettings? Alerts { get; init; }

    /// <summary>
    /// Whether the cluster publishes Container Insights metrics (its <c>containerInsights</c> setting is on); the
    /// alerts read them, so <see cref="Alerts"/> without it is an error. <value>The default value is false.</value>
    /// </summary>
    public bool ClusterHasContainerInsights { get; init; }
}

/// <summary>A load-balancer target group for the service.</summary>
public sealed class TargetGroupAttachment
{
    /// <summary>The target group's ARN.</summary>
    public required Input<string> TargetGroupArn { get; init; }

    /// <summary>The target group's ARN suffix (<c>targetgroup/name/id</c>), the <c>TargetGroup</c> dimension of RequestCountPerTarget.</summary>
    public required Input<string> TargetGroupArnSuffix { get; init; }
}

/// <summary>One entry of a capacity-provider strategy.</summary>
/// <param name="CapacityProvider">The provider, e.g. <c>FARGATE</c> or <c>FARGATE_SPOT</c>.</param>
/// <param name="Weight">Its relative share.</param>
/// <param name="Base">Tasks placed on it first.</param>
public sealed record CapacityProviderItem(string CapacityProvider, int Weight = 1, int Base = 0);
