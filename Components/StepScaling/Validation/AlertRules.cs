using System.Collections.Immutable;
using StepScaling.Config;

namespace StepScaling.Validation;

/// <summary>The rules of the alerts section: the SNS topic and what the alerts can watch.</summary>
public static class AlertRules
{
    /// <summary>The capacity-exhausted alert watches maxCapacity, which exists only when scaling is on.</summary>
    public static readonly Rule CapacityWithoutScaling = new("alerts.capacity-without-scaling", Severity.Warning, "alerts.capacityExhaustedMinutes", "scaling is off: there is no maxCapacity to exhaust, so that alert is not created", "the tool: the alert compares running tasks with maxCapacity");

    /// <summary>The alerts notify an SNS topic.</summary>
    public static readonly Rule TopicArn = new("alerts.topic-arn", Severity.Error, "alerts.topicArn", "an SNS topic ARN", "AWS General Reference, \"Amazon Resource Names\" (SNS)");

    /// <summary>The alerts read Container Insights metrics.</summary>
    public static readonly Rule ContainerInsights = new("alerts.container-insights", Severity.Error, "alerts", "the cluster has Container Insights (the alerts read its metrics)", "ECS Developer Guide, \"Amazon ECS Container Insights metrics\"");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [TopicArn, ContainerInsights, CapacityWithoutScaling];

    /// <summary>Checks the alerts into <paramref name="bag"/>; <paramref name="scaling"/> says whether a maxCapacity exists.</summary>
    public static void Validate(AlertSettings alerts, bool scaling, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(bag);
        if (!alerts.TopicArnPending)
        {
            CheckTopicArn(alerts.TopicArn, bag);
        }

        if (!scaling)
        {
            bag.Warning(CapacityWithoutScaling, "alerts.capacityExhaustedMinutes", "scaling is off, so there is no maxCapacity to exhaust: only the tasks-failing-to-start alert is created");
        }
    }

    /// <summary>The rule of <c>alerts.topicArn</c>, which a program usually takes from an SNS topic it creates: an SNS topic ARN.</summary>
    public static void CheckTopicArn(string topicArn, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (SecurityRules.CheckArn(topicArn, SecurityRules.ArnKind.SnsTopic) is { } rule)
        {
            bag.Error("alerts.topicArn", $"{rule}; got '{topicArn}'");
        }
    }

    /// <summary>The alerts read Container Insights metrics (ECS/ContainerInsights RunningTaskCount, DesiredTaskCount): the cluster must publish them.</summary>
    public static void CheckContainerInsights(bool clusterHasContainerInsights, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (!clusterHasContainerInsights)
        {
            bag.Error("alerts", "read Container Insights metrics (ECS/ContainerInsights RunningTaskCount, DesiredTaskCount), but the cluster does not have Container Insights: turn on its containerInsights setting and set clusterHasContainerInsights");
        }
    }
}
