using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>The rules of reading a stack file (<c>Pulumi.&lt;stack&gt;.yaml</c>): its top-level keys and config keys.</summary>
public static class StackFileRules
{
    /// <summary>Pulumi reads only <c>config</c> (and a few other keys) at the top of a stack file ("Pulumi configuration", stack settings file).</summary>
    public static readonly Rule UnknownTopLevelKey = new("stack.unknown-top-level-key", Severity.Warning, "(top level)", "a top-level key Pulumi does not read, beside config:", "Pulumi docs, \"Stack settings file\"");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [UnknownTopLevelKey];
}
