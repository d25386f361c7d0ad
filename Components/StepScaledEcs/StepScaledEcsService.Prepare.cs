using System.Collections.Immutable;
using Pulumi;
using Pulumi.Utilities;
using StepScaling.Config;
using StepScaling.Planning;
using StepScaling.Validation;

namespace StepScaledEcs;

// The checks before any child exists: the args are read as the config's sections and go through the one planner the
// stack config goes through (ComponentPlanner), or a stack hands over the sections it already planned.
public sealed partial class StepScaledEcsService
{
    /// <summary>
    /// Validates the arguments as the constructor does: the sections (through the config mapper), the scaling and,
    /// unless switched off, the flap analysis; inputs already known are checked with them. Returns every finding;
    /// the constructor throws when one is an error.
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stackName">The stack, which names the alarms and policies.</param>
    public static ImmutableArray<Diagnostic> Validate(StepScaledEcsServiceArgs args, string stackName)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Check(args, stackName).Diagnostics;
    }

    private static Prepared Prepare(StepScaledEcsServiceArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var check = Check(args, Deployment.Instance.StackName);
        if (check.Diagnostics.Any(d => d.Severity == Severity.Error))
        {
            var error = new StepScalingValidationException(check.Diagnostics);
            throw new RunException(error.Message, error);
        }

        // With sections a stack planned, the stack reports their warnings (with its own) once.
        var warnings = args.CheckedSections is null ? check.Diagnostics.Where(d => d.IsOpenWarning).ToImmutableArray() : [];
        return new Prepared(check.Plan, check.Service, warnings, check.Pending, check.Given);
    }

    /// <summary>Resolves what is known of the references, then plans the sections (or takes the stack's plan) and checks the rest.</summary>
    private static Checked Check(StepScaledEcsServiceArgs args, string stack)
    {
        // A collection known to be empty is as good as unset (the list and map args are never null).
        var resolutions = References.Of(args).Select(r => (Reference: r, Resolution: r.Now()))
            .Where(r => !(r.Resolution.Known && IsEmpty(r.Resolution.Value))).ToList();
        var known = resolutions.Where(r => r.Resolution.Known).Select(r => (r.Reference.Path, r.Resolution.Value)).ToList();
        var pending = resolutions.Where(r => !r.Resolution.Known).Select(r => r.Reference).ToImmutableArray();
        var secrets = resolutions.Where(r => r.Resolution.Secret).Select(r => r.Reference.Path).ToList();

        var bag = new DiagnosticBag();
        var plan = args.CheckedSections is { } planned ? Reuse(planned, args, stack, known, bag) : PlanArgs(args, stack, pending);
        foreach (var (path, value) in known.Where(k => k.Path.StartsWith("capacityProviderStrategy[", StringComparison.Ordinal)))
        {
            References.CheckCapacityProvider(path, value as string, args, bag);
        }

        ComponentArgsRules.CheckNoNullItems("capacityProviderStrategy", args.CapacityProviderStrategy ?? [], bag);

        var service = References.Substitute(plan.Sections.Service, known);
        var given = resolutions.Select(r => r.Reference.Path).ToImmutableHashSet(StringComparer.Ordinal);
        return new Checked(plan, service, References.Redact([.. plan.Diagnostics, .. bag.ToImmutable()], secrets), pending, given);
    }

    /// <summary>
    /// The args read directly as the config's sections (<see cref="ArgsConfig"/>: plain values, each reference already
    /// known, and each pending one as present but not yet known), planned as stack config is.
    /// </summary>
    private static ComponentPlan PlanArgs(StepScaledEcsServiceArgs args, string stack, ImmutableArray<Reference> pending)
    {
        var pendingTargetGroups = pending.Where(p => p.Path.EndsWith(".metric.targetGroup", StringComparison.Ordinal))
            .Select(p => p.Path[..^".metric.targetGroup".Length]).ToImmutableHashSet(StringComparer.Ordinal);
        var context = new ComponentContext(args.LoadBalancer is not null, args.ClusterHasContainerInsights == true, pendingTargetGroups);
        return ComponentPlanner.Plan(StackConfigMapper.MapComponentSections(ArgsConfig.Sections(args)), stack, context);
    }

    /// <summary>
    /// A stack's own plan of the sections: used as it is, after checking that it fits these args (same stack, same
    /// load balancer and Container Insights, no second copy of a section), and the service inputs the args give.
    /// </summary>
    private static ComponentPlan Reuse(ComponentPlan plan, StepScaledEcsServiceArgs args, string stack, List<(string Path, object? Value)> known, DiagnosticBag bag)
    {
        ComponentArgsRules.CheckCheckedSections(
            plan.HasErrors,
            new(plan.Stack, plan.Context.HasLoadBalancer, plan.Context.ClusterHasContainerInsights),
            !plan.Context.PendingTargetGroups.IsEmpty,
            new(stack, args.LoadBalancer is not null, args.ClusterHasContainerInsights == true),
            bag);
        ComponentArgsRules.CheckSectionsGivenOnce([("scaling", args.Scaling is not null), ("flapCheck", args.FlapCheck is not null), ("alerts", args.Alerts is not null)], bag);
        ComponentArgsRules.CheckServiceInputsOnly([.. ArgsConfig.PlainKeys(args.Service)], bag);

        var overrides = known.Where(k => k.Path.StartsWith("service.", StringComparison.Ordinal)).ToList();
        if (overrides.Count > 0)
        {
            var references = new DiagnosticBag();
            ServiceRules.ValidateReferences(References.Substitute(plan.Sections.Service, overrides), references);
            bag.AddRange(references.Items.Where(d => d.Severity == Severity.Error));
        }

        return plan;
    }

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        ImmutableArray<string> list => list.IsDefaultOrEmpty,
        ImmutableDictionary<string, string> map => map.IsEmpty,
        _ => false,
    };

    /// <summary>The checked plan, the service settings with every known reference in place, every finding (secret values hidden), the references still pending, and the paths of every reference given.</summary>
    private sealed record Checked(ComponentPlan Plan, ServiceSettings Service, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<Reference> Pending, ImmutableHashSet<string> Given);

    /// <summary>What the constructor builds from: the plan, the service settings, the warnings it reports, the references checked when they resolve, and the paths of every reference given.</summary>
    private sealed record Prepared(ComponentPlan Plan, ServiceSettings Service, ImmutableArray<Diagnostic> Warnings, ImmutableArray<Reference> Pending, ImmutableHashSet<string> Given);

    /// <summary>
    /// The value each child takes for a reference (the args' input, else the plan's value), and the options every
    /// child is created with. While references are pending, every child depends on their check: when a resolved value
    /// breaks a rule, each child's registration fails with the rule's text (a <see cref="ResourceException"/> on the
    /// component, shown without a stack) before its inputs are sent, so no resource is created or changed; the
    /// component's outputs are then unknown rather than failed. (Pulumi 3.112.1, Deployment/Deployment_Prepare.cs:
    /// a resource awaits its dependsOn before it serialises its inputs, and that wait does not wrap the exception.)
    /// </summary>
    private sealed class EffectiveInputs
    {
        private readonly Output<ImmutableArray<Diagnostic>>? _errors;

        private readonly ImmutableHashSet<string> _given;

        private readonly Resource _component;

        public EffectiveInputs(StepScaledEcsServiceArgs args, Prepared prepared, Resource component)
        {
            // Output.Create(Task) (Pulumi 3.112.1, Core/Output.cs): a known output once the check has run.
            _errors = prepared.Pending.IsEmpty ? null : Output.Create(References.CheckPendingAsync(prepared.Pending, prepared.Service, args, component));
            _given = prepared.Given;
            _component = component;
            var given = args.Service;
            var service = prepared.Service;
            Image = Given("service.image", given?.Image) is { } image ? image : Output.Create(service.Image);
            Environment = Given("service.environment", given?.Environment) is { } environment ? environment.Apply(Sorted) : Output.Create(service.Environment);
            Secrets = Given("service.secrets", given?.Secrets) is { } secrets ? secrets.Apply(Sorted) : Output.Create(service.Secrets);
            SecretsKmsKeyArns = Given("service.secretsKmsKeyArns", given?.SecretsKmsKeyArns) is { } keys ? keys : Output.Create(service.SecretsKmsKeyArns.IsDefault ? [] : service.SecretsKmsKeyArns);
            LogKmsKeyArn = Given("service.logKmsKeyArn", given?.LogKmsKeyArn) ?? (service.LogKmsKeyArn is { } planned ? (Input<string>)planned : null);
            TaskRolePolicyArns = Given("taskRolePolicyArns", args.TaskRolePolicyArns);
            TopicArn = Given("alerts.topicArn", args.Alerts?.TopicArn) ?? prepared.Plan.Sections.Alerts?.TopicArn ?? string.Empty;
            HasSecretsPolicy = !service.Secrets.IsEmpty || !service.SecretsKmsKeyArns.IsDefaultOrEmpty
                || prepared.Pending.Any(p => p.Path is "service.secrets" or "service.secretsKmsKeyArns");
        }

        public Output<string> Image { get; }

        public Output<ImmutableSortedDictionary<string, string>> Environment { get; }

        public Output<ImmutableSortedDictionary<string, string>> Secrets { get; }

        public Output<ImmutableArray<string>> SecretsKmsKeyArns { get; }

        public Input<string>? LogKmsKeyArn { get; }

        public InputList<string>? TaskRolePolicyArns { get; }

        public Input<string> TopicArn { get; }

        /// <summary>Whether the execution role reads secrets or decrypts with keys (known, or given and not yet known).</summary>
        public bool HasSecretsPolicy { get; }

        /// <summary>The metric args of a normalised policy (path <c>scaling.policies[i]…</c>), or null when the args have no scaling (a stack's plan).</summary>
        public static MetricArgs? MetricArgsOf(StepScaledEcsServiceArgs args, string policyPath)
        {
            var open = policyPath.IndexOf('[', StringComparison.Ordinal);
            var close = policyPath.IndexOf(']', StringComparison.Ordinal);
            return open < 0 || close < open ? null
                : args.Scaling?.Policies?.ElementAtOrDefault(int.Parse(policyPath[(open + 1)..close], System.Globalization.CultureInfo.InvariantCulture))?.Metric;
        }

        /// <summary>A child's options: parented to the component, and depending on <paramref name="dependencies"/> and on the check of the pending references.</summary>
        public CustomResourceOptions Options(IReadOnlyList<Resource>? dependencies = null)
        {
            var options = new CustomResourceOptions { Parent = _component };
            var explicitDependencies = dependencies?.ToImmutableArray() ?? [];
            if (_errors is not null)
            {
                options.DependsOn = _errors.Apply(errors => errors.IsEmpty ? explicitDependencies
                    : throw new ResourceException(new StepScalingValidationException(errors).Message, _component, hideStack: true));
            }
            else if (!explicitDependencies.IsEmpty)
            {
                options.DependsOn = explicitDependencies;
            }

            return options;
        }

        /// <summary>A component output from its children: unknown, not failed, when a pending reference broke a rule (the children then report the error).</summary>
        public Output<T> Publish<T>(Output<T> output) =>
            _errors is null ? output : _errors.Apply(errors => errors.IsEmpty ? output : OutputUtilities.CreateUnknown(default(T)!));

        /// <summary>Dimensions: the args' input when given (its path, e.g. <c>scaling.policies[0].metric.dimensions</c>), else the planned ones.</summary>
        public InputMap<string> Dimensions(string path, InputMap<string>? given, IEnumerable<KeyValuePair<string, string>> planned) =>
            Given(path, given) ?? planned.ToImmutableDictionary(StringComparer.Ordinal);

        /// <summary>The input at <paramref name="path"/> when the args give it (pending, or known and not empty).</summary>
        public TInput? Given<TInput>(string path, TInput? input)
            where TInput : class => input is not null && _given.Contains(path) ? input : null;

        private static ImmutableSortedDictionary<string, string> Sorted(ImmutableDictionary<string, string>? values) =>
            (values ?? ImmutableDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal, StringComparer.Ordinal);
    }
}
