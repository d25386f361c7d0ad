using System.Text.Json.Nodes;
using StepScaling.Planning;
using StepScaling.Validation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>The <c>acknowledge</c> key: a stack accepts a catalogued warning, with a reason that plan shows.</summary>
public class AcknowledgementTests
{
    private const string AcknowledgeHttps = """
        acknowledge:
          - rule: lb.https
            reason: TLS ends at CloudFront
        """;

    [Test]
    public void Plan_HttpsWarningAcknowledged_MarkedWithItsReasonAndNoLongerOpen()
    {
        var plan = Plan(AcknowledgeHttps);

        var https = plan.Diagnostics.Single(d => d.Path == HttpOnly.Path);
        Assert.That((https.Severity, https.Message, https.Rule, https.AcknowledgedBecause), Is.EqualTo((Severity.Warning, HttpOnly.Message, "lb.https", "TLS ends at CloudFront")));
        Assert.That(https.IsOpenWarning, Is.False);
        Assert.That(plan.Diagnostics.Where(d => d.IsOpenWarning || d.Severity != Severity.Warning), Is.Empty);
        Assert.That(plan.IsValid, Is.True);
    }

    [Test]
    public void Plan_NoAcknowledgement_TheHttpsWarningStaysOpen()
    {
        Assert.That(Plan("flapCheck: warn").Diagnostics, Is.EqualTo(new[] { HttpOnly }));
        Assert.That(HttpOnly.IsOpenWarning, Is.True);
    }

    [Test]
    public void Plan_AcknowledgedStackFileWarning_AlsoAcknowledged()
    {
        var yaml = StackYaml("""
            acknowledge:
              - rule: region.unknown
                reason: a region newer than the provider
            """).Replace("aws:region: us-east-1", "aws:region: xx-new-1", StringComparison.Ordinal);
        var plan = StackPlanner.Plan(ParseStack(yaml));

        var region = plan.Diagnostics.Single(d => d.Path == "aws:region");
        Assert.That((region.Rule, region.AcknowledgedBecause), Is.EqualTo(("region.unknown", "a region newer than the provider")));
        Assert.That(plan.Diagnostics.Single(d => d.Path == HttpOnly.Path).IsOpenWarning, Is.True, "only the rule named is acknowledged");
    }

    [TestCase("- rule: lb.htps\n    reason: typo", "acknowledge[0].rule", "'lb.htps' is not a rule id; the warnings a stack can acknowledge are")]
    [TestCase("- rule: metric.period\n    reason: we know", "acknowledge[0].rule", "'metric.period' is an error rule: an error cannot be acknowledged, only fixed")]
    [TestCase("- rule: lb.https", "acknowledge[0].reason", "is required: say why the stack accepts this warning")]
    [TestCase("- rule: lb.https\n    reason: '  '", "acknowledge[0].reason", "is required: say why the stack accepts this warning")]
    [TestCase("- reason: no rule", "acknowledge[0].rule", "is required: the id of the warning's rule")]
    [TestCase("- rule: lb.https\n    reason: a\n  - rule: lb.https\n    reason: b", "acknowledge[1].rule", "acknowledges 'lb.https' a second time; one entry per rule")]
    [TestCase("- lb.https", "acknowledge[0]", "must be a mapping (key: value pairs); got")]
    [TestCase("- rule: lb.https\n    reason: a\n    until: 2027", "acknowledge[0].until", "unknown key")]
    public void Map_BadAcknowledgement_ErrorNamesTheEntryTheRuleAndTheValue(string entries, string path, string message)
    {
        var result = Map("acknowledge:\n  " + entries);

        Assert.That(Errors(result.Diagnostics), Has.Some.Matches<(string Path, string Message)>(e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal)), string.Join("\n", result.Diagnostics));
        Assert.That(result.Config, Is.Null);
    }

    [Test]
    public void Map_AcknowledgeNotAList_Error()
    {
        var result = Map("acknowledge: lb.https");

        Assert.That(Errors(result.Diagnostics), Is.EqualTo(new[] { ("acknowledge", "must be a list of { rule, reason } entries; got text 'lb.https'") }));
    }

    [Test]
    public void Plan_AcknowledgementMatchingNoWarning_IsANote()
    {
        var plan = Plan("""
            acknowledge:
              - rule: service.root-user
                reason: the image needs root
            """);

        Assert.That(plan.Diagnostics.Where(d => d.Severity == Severity.Note).Select(d => d.ToString()), Is.EqualTo(new[]
        {
            "note: acknowledge[0]: acknowledges service.root-user, but this stack raises no such warning; remove the entry",
        }));
        Assert.That(plan.IsValid, Is.True);
    }

    [Test]
    public void Renderers_AcknowledgedWarning_ShownAsAcknowledgedWithRuleAndReasonInEveryFormat()
    {
        var plan = Plan(AcknowledgeHttps);

        Assert.That(PlanRenderer.Text(plan), Does.Contain($"acknowledged: loadBalancer.certificateArn: {HttpOnly.Message} (lb.https: TLS ends at CloudFront)\n"));
        Assert.That(PlanRenderer.Text(plan), Does.Not.Contain("warning: loadBalancer.certificateArn"));
        Assert.That(PlanRenderer.Markdown(plan), Does.Contain($"- **acknowledged** `loadBalancer.certificateArn`: {HttpOnly.Message} (lb.https: TLS ends at CloudFront)"));
        var json = JsonNode.Parse(PlanRenderer.Json(plan))!["diagnostics"]!.AsArray().Single()!;
        Assert.That((string?)json["severity"], Is.EqualTo("warning"));
        Assert.That(((string?)json["acknowledged"]!["rule"], (string?)json["acknowledged"]!["reason"]), Is.EqualTo(("lb.https", "TLS ends at CloudFront")));
    }

    [Test]
    public void Plan_ReasonWithControlCharacters_Escaped()
    {
        var plan = Plan("acknowledge:\n  - rule: lb.https\n    reason: \"ok\\nerror: forged\"");

        var https = plan.Diagnostics.Single(d => d.Path == HttpOnly.Path);
        Assert.That(https.AcknowledgedBecause, Is.EqualTo("ok\\nerror: forged"));
        Assert.That(https.ToString(), Does.Not.Contain("\n"));
    }
}
