using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>The rules of the scaling section: capacity, policies, their sides and bands (Application Auto Scaling step scaling).</summary>
public static partial class ScalingRules
{
    /// <summary>A scaling section written but switched off is neither checked nor deployed.</summary>
    public static readonly Rule Disabled = new("scaling.disabled", Severity.Warning, "scaling.enabled", "false while policies are written: they are neither checked nor deployed", "the tool: scaling.enabled false creates no scalable target");

    /// <summary>A scalable target without policies never changes capacity.</summary>
    public static readonly Rule NoPolicies = new("scaling.no-policies", Severity.Warning, "scaling.policies", "empty: the service keeps minCapacity tasks", "Application Auto Scaling User Guide, \"Step scaling policies\"");

    /// <summary>Without a scale-out side, capacity only ever goes down.</summary>
    public static readonly Rule NoScaleOut = new("scaling.no-scale-out", Severity.Warning, "scaling.policies", "no policy has a scaleOut side: capacity can only go down", "Application Auto Scaling User Guide, \"Step scaling policies\"");

    /// <summary>At 0 tasks a per-task metric publishes nothing (ECS "Amazon ECS CloudWatch metrics": service metrics come from running tasks).</summary>
    public static readonly Rule MinCapacityZero = new("scaling.min-capacity-zero", Severity.Warning, "scaling.minCapacity", "0: only a metric that does not come from the tasks can scale the service out again", "ECS Developer Guide, \"Amazon ECS CloudWatch metrics\"");

    /// <summary>A Fargate task cannot use more CPU or memory than it reserved, so utilisation never reads above 100 %.</summary>
    public static readonly Rule UnreachableStep = new("scaling.unreachable-step", Severity.Warning, "scaling.policies[].scaleOut/scaleIn", "a step starts where a Fargate utilisation metric never (or only when saturated) reads", "ECS Developer Guide, \"Amazon ECS CloudWatch metrics\" (utilisation of reserved CPU and memory)");

    /// <summary>The flap analysis in <c>flapCheck: warn</c> mode: a scaling loop or reversal.</summary>
    public static readonly Rule Flap = new("scaling.flap", Severity.Warning, "scaling.policies", "the policies scale out and back in (loop or reversal) at a steady demand", "the tool's flap analysis (flapCheck: warn)");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [Disabled, NoPolicies, NoScaleOut, MinCapacityZero, UnreachableStep, Flap];
}
