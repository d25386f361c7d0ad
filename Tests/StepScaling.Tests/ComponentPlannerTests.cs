using System.Collections.Immutable;
using System.Text.Json.Nodes;
using StepScaling.Config;
using StepScaling.Planning;
using StepScaling.Validation;

namespace StepScaling.Tests;

/// <summary>The one place the component's sections are checked, for stack config and component args alike.</summary>
public sealed class ComponentPlannerTests
{
    private static JsonObject RequestPolicy(JsonObject? metric = null) => new()
    {
        ["name"] = "requests",
        ["metric"] = metric ?? new JsonObject { ["kind"] = "albRequestCountPerTarget" },
        ["scaleOut"] = new JsonObject { ["bands"] = new JsonArray(new JsonObject { ["from"] = 1000, ["change"] = 1 }) },
        ["scaleIn"] = new JsonObject { ["bands"] = new JsonArray(new JsonObject { ["to"] = 200, ["change"] = -1 }) },
    };

    private static ComponentSections Sections(params JsonObject[] policies) =>
        StackConfigMapper.MapComponentSections(new JsonObject { ["scaling"] = new JsonObject { ["policies"] = new JsonArray([.. policies]) } });

    private static ComponentContext Context(bool loadBalancer, params string[] pendingTargetGroups) =>
        new(loadBalancer, ClusterHasContainerInsights: true, pendingTargetGroups.ToImmutableHashSet(StringComparer.Ordinal));

    [Test]
    public void Plan_DevStack_IsWhatTheStackPlanHolds()
    {
        var stack = Repo.PlanDev();

        Assert.That(stack.Component, Is.Not.Null);
        Assert.That(stack.Diagnostics, Is.EqualTo(stack.Component!.Diagnostics), "the stack's findings are the one plan's");
        Assert.That(stack.Scaling, Is.SameAs(stack.Component.Spec));
        Assert.That(stack.FlapFindings, Is.EqualTo(stack.Component.FlapFindings));
        Assert.That(stack.Component.AlarmNamePrefix, Is.EqualTo(stack.AlarmNamePrefix));
    }

    [Test]
    public void Plan_RequestCountWithoutLoadBalancerOrTargetGroup_ErrorOnThePolicy()
    {
        var plan = ComponentPlanner.Plan(Sections(RequestPolicy()), "dev", Context(loadBalancer: false));

        Assert.That(plan.HasErrors, Is.True);
        Assert.That(plan.Findings.Where(d => d.Severity == Severity.Error).Select(d => d.Path), Is.EquivalentTo(new[] { "scaling.policies[0].scaleOut", "scaling.policies[0].scaleIn" }));
        Assert.That(plan.Spec, Is.Not.Null, "the scaling itself is valid: the tools can still simulate it");
    }

    [Test]
    public void Plan_RequestCountWithATargetGroupResolvingLater_NoError()
    {
        var plan = ComponentPlanner.Plan(Sections(RequestPolicy()), "dev", Context(loadBalancer: false, "scaling.policies[0]"));

        Assert.That(plan.HasErrors, Is.False, string.Join("\n", plan.Diagnostics));
        Assert.That(plan.Spec!.Policies, Has.Length.EqualTo(2));
    }

    [Test]
    public void Plan_AlertsWithoutContainerInsights_Error()
    {
        var sections = StackConfigMapper.MapComponentSections(new JsonObject { ["alerts"] = new JsonObject { ["topicArn"] = "arn:aws:sns:eu-west-1:123456789012:alerts" } });

        var plan = ComponentPlanner.Plan(sections, "dev", new ComponentContext(true, ClusterHasContainerInsights: false, []));

        Assert.That(plan.Findings.Single(d => d.Severity == Severity.Error).Path, Is.EqualTo("alerts"));
    }

    [Test]
    public void Plan_SectionErrors_ScalingRulesStillCheckedButNotTwiceAtTheSamePath()
    {
        var policy = RequestPolicy(new JsonObject { ["kind"] = "ecs", ["name"] = "CPUUtilization" });
        policy["loadModel"] = "sometimes";
        policy["scaleOut"] = new JsonObject { ["bands"] = new JsonArray(new JsonObject { ["from"] = 50, ["change"] = 1 }, new JsonObject { ["from"] = 40, ["change"] = 2 }) };
        var sections = Sections(policy);

        var plan = ComponentPlanner.Plan(sections, "dev", Context(loadBalancer: true));

        Assert.That(sections.HasErrors, Is.True, "an unknown load model is a mapping error");
        Assert.That(plan.Diagnostics.Count(d => d.Path == "scaling.policies[0].loadModel"), Is.EqualTo(1));
        Assert.That(plan.Findings.Where(d => d.Severity == Severity.Error).Select(d => d.Path), Has.Some.StartsWith("scaling.policies[0].scaleOut"), "the bands are still checked");
        Assert.That(plan.Spec, Is.Null);
    }

    [Test]
    public void PolicyPath_SidePath_IsThePolicysOwn()
    {
        Assert.That(ComponentPlanner.PolicyPath("scaling.policies[12].scaleIn"), Is.EqualTo("scaling.policies[12]"));
        Assert.That(ComponentPlanner.PolicyPath("scaling"), Is.EqualTo("scaling"));
    }
}
