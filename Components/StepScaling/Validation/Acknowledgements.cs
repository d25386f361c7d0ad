using System.Collections.Immutable;
using System.Text.Json.Nodes;
using StepScaling.Config;

namespace StepScaling.Validation;

/// <summary>A warning a stack accepts: the catalogued rule it names, and why.</summary>
/// <param name="Rule">The id of a warning rule (<see cref="RuleCatalogue"/>), e.g. <c>lb.https</c>.</param>
/// <param name="Reason">Why the stack accepts it, shown wherever the warning is (<c>plan</c>).</param>
/// <param name="Path">Where the entry is written (<c>acknowledge[0]</c>).</param>
public sealed record Acknowledgement(string Rule, string Reason, string Path);

/// <summary>
/// The <c>acknowledge</c> config key: a list of <c>{ rule, reason }</c>. Each names a catalogued warning rule; an
/// acknowledged warning is reported as acknowledged (with its reason), not as a warning. Errors cannot be acknowledged.
/// </summary>
public static class Acknowledgements
{
    /// <summary>The config key, without the project namespace.</summary>
    public const string Key = "acknowledge";

    /// <summary>Reads and checks the key's value (null when absent): every entry needs a known warning rule and a reason, each rule at most once.</summary>
    public static ImmutableArray<Acknowledgement> Read(JsonNode? node, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray entries)
        {
            bag.Error(Key, $"must be a list of {{ rule, reason }} entries; got {ConfigReader.Describe(node)}");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<Acknowledgement>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (Entry(entries[i], $"{Key}[{i}]", bag) is { } entry)
            {
                if (result.Any(a => a.Rule == entry.Rule))
                {
                    bag.Error(entry.Path + ".rule", $"acknowledges '{entry.Rule}' a second time; one entry per rule");
                    continue;
                }

                result.Add(entry);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The findings with each warning whose rule is acknowledged marked so (with the reason), and a note for each
    /// acknowledgement that matches no warning, so that a stale entry does not hide a future warning unnoticed.
    /// </summary>
    public static ImmutableArray<Diagnostic> Apply(ImmutableArray<Diagnostic> diagnostics, ImmutableArray<Acknowledgement> acknowledgements)
    {
        if (acknowledgements.IsDefaultOrEmpty)
        {
            return diagnostics;
        }

        var applied = diagnostics.Select(d => For(d, acknowledgements) is { } a ? d with { AcknowledgedBecause = a.Reason } : d).ToImmutableArray();
        var unused = acknowledgements.Where(a => !applied.Any(d => d.IsAcknowledged && d.Rule == a.Rule))
            .Select(a => Diagnostic.Note(a.Path, $"acknowledges {a.Rule}, but this stack raises no such warning; remove the entry"));
        return [.. applied, .. unused];
    }

    private static Acknowledgement? For(Diagnostic d, ImmutableArray<Acknowledgement> acknowledgements) =>
        d.Severity == Severity.Warning && d.Rule is { } rule ? acknowledgements.FirstOrDefault(a => a.Rule == rule) : null;

    private static Acknowledgement? Entry(JsonNode? node, string path, DiagnosticBag bag)
    {
        if (ConfigReader.For(node, path, bag) is not { } r)
        {
            return null;
        }

        var errors = bag.ErrorCount;
        var rule = r.String("rule");
        var reason = r.String("reason");
        r.ReportUnknownKeys();
        if (rule is not null || !r.Has("rule"))
        {
            CheckRule(rule, r.Child("rule"), bag);
        }

        // A reason of another type is already reported by String; a missing or blank one is reported here.
        if (reason is null ? !r.Has("reason") : reason.Trim().Length == 0)
        {
            bag.Error(r.Child("reason"), "is required: say why the stack accepts this warning (it is shown with the warning in plan)");
        }

        return bag.ErrorCount == errors && rule is not null && reason is not null ? new Acknowledgement(rule, reason, path) : null;
    }

    private static void CheckRule(string? id, string path, DiagnosticBag bag)
    {
        if (id is null)
        {
            bag.Error(path, "is required: the id of the warning's rule (the README's rule table lists them)");
        }
        else if (RuleCatalogue.Find(id) is not { } rule)
        {
            var warnings = RuleCatalogue.All.Where(r => r.Severity == Severity.Warning).Select(r => r.Id);
            bag.Error(path, $"'{id}' is not a rule id; the warnings a stack can acknowledge are {string.Join(", ", warnings)}");
        }
        else if (rule.Severity == Severity.Error)
        {
            bag.Error(path, $"'{id}' is an error rule: an error cannot be acknowledged, only fixed");
        }
    }
}
