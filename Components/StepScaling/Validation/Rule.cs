using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>One catalogued rule: a stable id a stack can name, the field it checks, the rule in a line, and where it comes from.</summary>
/// <param name="Id">Stable id, <c>section.name</c> (e.g. <c>lb.https</c>); never reused for another rule.</param>
/// <param name="Severity">What a breach is: an error (not deployable) or a warning (deployable, probably not meant).</param>
/// <param name="Field">The config field it checks, as written in the stack file (<c>loadBalancer.certificateArn</c>).</param>
/// <param name="Text">The rule in one line.</param>
/// <param name="Source">The AWS or Pulumi page (or the tool's own reason) it comes from.</param>
public sealed record Rule(string Id, Severity Severity, string Field, string Text, string Source);

/// <summary>Every catalogued rule of the tool, section by section; the README's rule table lists exactly these.</summary>
public static class RuleCatalogue
{
    /// <summary>All catalogued rules, in section order.</summary>
    public static ImmutableArray<Rule> All { get; } =
    [
        .. ServiceRules.Catalogue,
        .. NetworkRules.Catalogue,
        .. LoadBalancerRules.Catalogue,
        .. AlertRules.Catalogue,
        .. ScalingRules.Catalogue,
        .. MetricRules.Catalogue,
        .. StackFileRules.Catalogue,
        .. RegionRules.Catalogue,
    ];

    /// <summary>The rule with this id, or null.</summary>
    public static Rule? Find(string id) => All.FirstOrDefault(r => r.Id == id);

    /// <summary>The catalogue as the README's Markdown table (one row per rule, in section order); a test keeps the README equal to it.</summary>
    public static string MarkdownTable()
    {
        var lines = new List<string> { "| id | severity | field | rule | source |", "|---|---|---|---|---|" };
        lines.AddRange(All.Select(r => $"| `{r.Id}` | {Diagnostic.Label(r.Severity)} | `{r.Field}` | {Cell(r.Text)} | {Cell(r.Source)} |"));
        return string.Join('\n', lines) + "\n";
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
