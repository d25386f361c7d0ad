namespace StepScaling.Validation;

/// <summary>
/// The rules of a component's own arguments that stack config cannot break: list items that are null, and sections a
/// stack already checked (<c>UseCheckedSections</c>) handed over with these args. The source is the component's
/// contract (one checking pipeline, each section given once): nothing the stack checked is checked or changed again.
/// </summary>
public static class ComponentArgsRules
{
    /// <summary>What a plan of the sections was checked for, or what the args are for.</summary>
    /// <param name="Stack">The stack, which names the alarms and policies.</param>
    /// <param name="LoadBalancer">Whether a load balancer is given.</param>
    /// <param name="ClusterHasContainerInsights">Whether the cluster publishes Container Insights metrics.</param>
    public readonly record struct CheckedFor(string Stack, bool LoadBalancer, bool ClusterHasContainerInsights);

    /// <summary>Each null item of a list argument (e.g. <c>capacityProviderStrategy[1]</c>).</summary>
    public static void CheckNoNullItems<T>(string path, IReadOnlyList<T?> items, DiagnosticBag bag)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(bag);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                bag.Error($"{path}[{i}]", "must not be null");
            }
        }
    }

    /// <summary>
    /// A stack's checked sections fit these args: no errors, checked for the same stack, load balancer and Container
    /// Insights (and no target group left pending, which only the component's own planning allows).
    /// </summary>
    public static void CheckCheckedSections(bool hasErrors, CheckedFor planned, bool pendingTargetGroups, CheckedFor args, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (hasErrors)
        {
            bag.Error("checkedSections", "have errors: a plan with errors cannot create a service");
        }

        if (planned != args || pendingTargetGroups)
        {
            bag.Error("checkedSections", $"were checked for stack '{planned.Stack}' with loadBalancer {planned.LoadBalancer} and clusterHasContainerInsights {planned.ClusterHasContainerInsights}; these args are for stack '{args.Stack}' with {args.LoadBalancer} and {args.ClusterHasContainerInsights}");
        }
    }

    /// <summary>With checked sections, a section the args give as well (each section is given once).</summary>
    public static void CheckSectionsGivenOnce(IEnumerable<(string Key, bool Given)> sections, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(bag);
        foreach (var (key, given) in sections.Where(s => s.Given))
        {
            bag.Error(key, "is also in the checked sections: give each section once");
        }
    }

    /// <summary>With checked sections, the service args may set only its inputs; <paramref name="plainKeys"/> are the plain ones they set.</summary>
    public static void CheckServiceInputsOnly(IReadOnlyCollection<string> plainKeys, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(plainKeys);
        ArgumentNullException.ThrowIfNull(bag);
        if (plainKeys.Count > 0)
        {
            bag.Error("service", $"with checked sections, may set only its inputs (image, environment, secrets, logKmsKeyArn, secretsKmsKeyArns); got {string.Join(", ", plainKeys)}");
        }
    }
}
