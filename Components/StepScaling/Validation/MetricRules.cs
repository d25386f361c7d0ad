using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>The rules of a policy's metric: CloudWatch PutMetricAlarm's metric, statistic, period and metric-math queries.</summary>
public static partial class MetricRules
{
    /// <summary>ECS publishes its service metrics once a minute ("Amazon ECS CloudWatch metrics").</summary>
    public static readonly Rule EcsPeriod = new("metric.ecs-period", Severity.Warning, "scaling.policies[].period", "under 60 s on an ECS service metric, which is published once a minute", "ECS Developer Guide, \"Amazon ECS CloudWatch metrics\"");

    /// <summary>PutMetricAlarm Period: 10, 20, 30 or a multiple of 60 seconds.</summary>
    public static readonly Rule Period = new("metric.period", Severity.Error, "scaling.policies[].period", AwsRules.PeriodRule, "CloudWatch API Reference, PutMetricAlarm Period");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [EcsPeriod, Period];
}
