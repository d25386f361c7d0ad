using System.Text.RegularExpressions;
using StepScaling.Validation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>The rule catalogue: stable ids, a source for each rule, the README's table equal to it, and every warning the tool raises catalogued.</summary>
public partial class RuleCatalogueTests
{
    private const string Begin = "<!-- rules:begin (generated from RuleCatalogue.MarkdownTable(); RuleCatalogueTests keeps it equal) -->\n";
    private const string End = "<!-- rules:end -->";

    [GeneratedRegex("^[a-z]+\\.[a-z0-9-]+$")]
    private static partial Regex IdShape();

    [Test]
    public void All_Ids_UniqueSectionDotNameWithFieldTextAndSource()
    {
        Assert.That(RuleCatalogue.All.Select(r => r.Id), Is.Unique);
        Assert.That(RuleCatalogue.All.Select(r => r.Id), Has.All.Matches(IdShape()));
        Assert.That(RuleCatalogue.All.Where(r => string.IsNullOrWhiteSpace(r.Field) || string.IsNullOrWhiteSpace(r.Text) || string.IsNullOrWhiteSpace(r.Source)), Is.Empty);
    }

    [Test]
    public void Readme_RulesTable_IsTheCatalogueExactly()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);

        Assert.That((start, end), Is.Not.EqualTo((-1, -1)), "README.md has the rules table markers");
        TestContext.Out.WriteLine(RuleCatalogue.MarkdownTable());
        Assert.That(readme[(start + Begin.Length)..end], Is.EqualTo(RuleCatalogue.MarkdownTable()));
    }

    [Test]
    public void Warnings_OfStacksThatRaiseEveryKind_EachCarriesACataloguedWarningRule()
    {
        var plans = new[]
        {
            Repo.PlanDev(),
            Repo.PlanProd(),
            Plan("""
                service: { user: root, allowRoot: true, readonlyRootFilesystem: false, assignPublicIp: false }
                network: { useDefaultVpc: true, natGateways: onePerAz }
                loadBalancer: { dropInvalidHeaderFields: false }
                alerts: { topicArn: "arn:aws:sns:us-east-1:123456789012:ops" }
                """),
            Plan("""
                scaling:
                  minCapacity: 0
                  policies:
                    - name: cpu
                      metric: CPUUtilization
                      period: 10
                      scaleOut: { bands: [{ from: 100, change: 1 }] }
                """),
        };
        var warnings = plans.SelectMany(p => p.Diagnostics).Where(d => d.Severity == Severity.Warning).ToList();

        Assert.That(warnings.Select(w => w.Rule).Distinct().Count(), Is.GreaterThanOrEqualTo(10), string.Join("\n", warnings));
        Assert.That(warnings.Where(w => w.Rule is null || RuleCatalogue.Find(w.Rule) is not { Severity: Severity.Warning }).Select(w => w.ToString()), Is.Empty);
    }
}
