using System.Collections.Immutable;
using System.Text.Json.Nodes;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Config;

/// <summary>The component's own sections, mapped and checked: what a <c>StepScaledEcsService</c> is given.</summary>
/// <param name="Service">The container and service settings (defaults where the section is absent).</param>
/// <param name="Scaling">The scaling as written, or null when absent or switched off.</param>
/// <param name="FlapCheck">How flap findings are reported.</param>
/// <param name="Alerts">The alerts, or null when absent.</param>
/// <param name="Diagnostics">Every error and warning, under the same paths as in stack config.</param>
public sealed record ComponentSections(
    ServiceSettings Service,
    ScalingDefinition? Scaling,
    FlapCheckMode FlapCheck,
    AlertSettings? Alerts,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>Whether any finding is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

public static partial class StackConfigMapper
{
    /// <summary>The sections a component is given, a subset of <see cref="Keys"/>: the network and the load balancer belong to the stack.</summary>
    public static readonly ImmutableArray<string> ComponentKeys = ["service", "scaling", "flapCheck", "alerts"];

    /// <summary>
    /// Maps the component's sections with the very functions that map stack config, so arguments given in any
    /// Pulumi language get the same defaults, rules and messages (and paths) as <c>Pulumi.&lt;stack&gt;.yaml</c>.
    /// <paramref name="sections"/> holds <see cref="ComponentKeys"/> as parsed JSON (an absent or null key is unset).
    /// </summary>
    public static ComponentSections MapComponentSections(JsonObject sections) => MapComponentSections(ConfigNode.FromJson(sections)!);

    /// <summary>
    /// Maps the component's sections from any config tree: stack config's JSON, or a component's arguments read
    /// directly (a value another resource supplies is a <see cref="ConfigNode.Pending"/> node: present, its value
    /// checked when it resolves). <paramref name="sections"/> is an object holding <see cref="ComponentKeys"/>.
    /// </summary>
    public static ComponentSections MapComponentSections(ConfigNode sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var bag = new DiagnosticBag();
        StackFileRules.CheckKnownKeys(sections.Entries.Select(kv => kv.Key), ComponentKeys, ("section", "sections"), bag);

        var service = MapService(Section(sections, "service"), bag);
        if (service.Build is not null)
        {
            ImageBuildRules.BuildGivenToComponent(bag);
        }

        var flap = Section(sections, "flapCheck") is { } flapNode
            ? ScalingRules.ReadFlapCheck(flapNode.Scalar ?? flapNode.ToString(), bag)
            : Defaults.FlapCheck;

        var scaling = MapScaling(Section(sections, "scaling"), flap, bag);
        var alerts = MapAlerts(Section(sections, "alerts"), bag);
        if (alerts is not null)
        {
            AlertRules.Validate(alerts, scaling is not null, bag);
        }

        return new ComponentSections(service, scaling, flap, alerts, bag.ToImmutable());
    }

    private static ConfigNode? Section(ConfigNode sections, string key) => sections.TryGet(key, out var node) ? node : null;
}
