using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>The rules of reading a stack file (<c>Pulumi.&lt;stack&gt;.yaml</c>): its top-level keys and config keys.</summary>
public static class StackFileRules
{
    /// <summary>Pulumi reads only <c>config</c> (and a few other keys) at the top of a stack file ("Pulumi configuration", stack settings file).</summary>
    public static readonly Rule UnknownTopLevelKey = new("stack.unknown-top-level-key", Severity.Warning, "(top level)", "a top-level key Pulumi does not read, beside config:", "Pulumi docs, \"Stack settings file\"");

    /// <summary>Config keys are read as Pulumi reads them; a key the project does not know is an error, not ignored.</summary>
    public static readonly Rule UnknownKey = new("stack.unknown-key", Severity.Error, "step-scaled-ecs:*", "a key the project reads (see the config reference)", "the tool: nothing is ignored silently");

    /// <summary>The <c>acknowledge</c> key itself.</summary>
    public static readonly Rule Acknowledge = new("stack.acknowledge", Severity.Error, "acknowledge", "each entry names a catalogued warning rule once, with a reason", "the tool: an error cannot be acknowledged");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [UnknownKey, Acknowledge, UnknownTopLevelKey];
}
