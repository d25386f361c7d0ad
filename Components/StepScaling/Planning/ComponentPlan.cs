using System.Collections.Immutable;
using StepScaling.Analysis;
using StepScaling.Config;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Validation;

namespace StepScaling.Planning;

/// <summary>What the checks of a component's sections need to know about the component around them.</summary>
/// <param name="HasLoadBalancer">Whether the service registers with a load-balancer target group.</param>
/// <param name="ClusterHasContainerInsights">Whether the cluster publishes Container Insights metrics (the alerts read them).</param>
/// <param name="PendingTargetGroups">
/// The policy paths (<c>scaling.policies[0]</c>) whose <c>metric.targetGroup</c> is given but not yet known (a Pulumi
/// input that resolves later): it is checked when it resolves, and counts as given here.
/// </param>
public sealed record ComponentContext(bool HasLoadBalancer, bool ClusterHasContainerInsights, ImmutableHashSet<string> PendingTargetGroups)
{
    /// <summary>The context of a stack's own service: behind the stack's load balancer, on a cluster with Container Insights.</summary>
    public static readonly ComponentContext Stack = new(HasLoadBalancer: true, ClusterHasContainerInsights: true, []);
}

/// <summary>
/// A component's sections, checked: the normalised scaling, its flap findings, and every finding (the sections'
/// own first). Built once by <see cref="ComponentPlanner.Plan"/>, for a stack's config and for a component's
/// args alike.
/// </summary>
public sealed record ComponentPlan
{
    /// <summary>The sections as mapped (their diagnostics included).</summary>
    public required ComponentSections Sections { get; init; }

    /// <summary>The stack name, which names the alarms and policies.</summary>
    public required string Stack { get; init; }

    /// <summary>The context the sections were checked in.</summary>
    public required ComponentContext Context { get; init; }

    /// <summary>
    /// The normalised scaling, or null when scaling is off or the sections or the scaling rules have errors. A plan
    /// whose other checks fail (a flap finding in error mode, the desired count) keeps it, so the tools can still
    /// simulate it; nothing is deployed from a plan with <see cref="HasErrors"/>.
    /// </summary>
    public ScalingSpec? Spec { get; init; }

    /// <summary>Flap-analysis findings (empty when the check is off or the scaling has errors).</summary>
    public ImmutableArray<FlapFinding> FlapFindings { get; init; } = [];

    /// <summary>The findings beyond the sections' own: task family, scaling rules, flap analysis, the context's rules.</summary>
    public required ImmutableArray<Diagnostic> Findings { get; init; }

    /// <summary>Every finding: the sections' then <see cref="Findings"/>.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => [.. Sections.Diagnostics, .. Findings];

    /// <summary>Whether any finding is an error: nothing may be created.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>The initial task count: the service's, else the scaling minimum, else 1.</summary>
    public int DesiredCount => Sections.Service.DesiredCount ?? Spec?.MinCapacity ?? 1;

    /// <summary>The prefix of every alarm and policy name: <c>{stack}-{service}</c>.</summary>
    public string AlarmNamePrefix => AlarmNames.Prefix(Stack, Sections.Service.Name);
}

/// <summary>
/// The checks of a component's sections beyond mapping, in one place: the task family, the scaling rules
/// (normalisation), the flap analysis, and the rules that depend on the component's context. The stack planner
/// and the Pulumi component both call <see cref="Plan"/>.
/// </summary>
public static class ComponentPlanner
{
    /// <summary>Checks the sections; see <see cref="ComponentPlan"/>.</summary>
    /// <param name="sections">The mapped sections. When they have errors, the scaling rules are still checked (so one run reports every error), but not again at or under a path that already has an error.</param>
    /// <param name="stack">The stack name.</param>
    /// <param name="context">The component around the sections.</param>
    public static ComponentPlan Plan(ComponentSections sections, string stack, ComponentContext context)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(context);
        var bag = new DiagnosticBag();
        var prefix = AlarmNames.Prefix(stack, sections.Service.Name);
        ServiceRules.CheckTaskFamily(prefix, bag);
        var (spec, findings) = CheckScaling(sections, prefix, bag);
        CheckContext(sections, spec, context, bag);
        ServiceRules.CheckDesiredCount(sections.Service, spec, bag);

        return new ComponentPlan { Sections = sections, Stack = stack, Context = context, Spec = spec, FlapFindings = findings, Findings = bag.ToImmutable() };
    }

    /// <summary>Normalises the scaling and runs the flap analysis (unless switched off) on a valid spec.</summary>
    private static (ScalingSpec? Spec, ImmutableArray<FlapFinding> Findings) CheckScaling(ComponentSections sections, string prefix, DiagnosticBag bag)
    {
        if (sections.Scaling is not { } definition)
        {
            return (null, []);
        }

        var result = ScalingNormalizer.Normalize(definition, prefix);
        if (sections.HasErrors)
        {
            var failed = sections.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Path).ToList();
            bag.AddRange(result.Diagnostics.Where(d => d.Severity == Severity.Error && !failed.Any(f => StackPlanner.Under(d.Path, f))));
            return (null, []);
        }

        bag.AddRange(result.Diagnostics);
        if (result.Spec is not { } spec || sections.FlapCheck == FlapCheckMode.Off)
        {
            return (result.Spec, []);
        }

        var findings = FlapAnalyzer.Analyze(spec);
        bag.AddRange(findings.Select(f => f.ToDiagnostic(sections.FlapCheck)));
        return (spec, findings);
    }

    /// <summary>The rules that depend on what surrounds the service: a target group for request counts, Container Insights for alerts.</summary>
    private static void CheckContext(ComponentSections sections, ScalingSpec? spec, ComponentContext context, DiagnosticBag bag)
    {
        if (spec is not null && !context.HasLoadBalancer)
        {
            MetricRules.CheckTargetGroups(spec, p => context.PendingTargetGroups.Contains(PolicyPath(p.Path)), bag);
        }

        if (sections.Alerts is not null)
        {
            AlertRules.CheckContainerInsights(context.ClusterHasContainerInsights, bag);
        }

        ServiceRules.CheckGracePeriod(sections.Service, context.HasLoadBalancer, bag);
    }

    /// <summary>The policy's own path (<c>scaling.policies[0]</c>) from a normalised policy's path, which may name a side.</summary>
    /// <param name="path">A path such as <c>scaling.policies[0].scaleOut</c>.</param>
    public static string PolicyPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var end = path.IndexOf(']', StringComparison.Ordinal);
        return end < 0 ? path : path[..(end + 1)];
    }
}
