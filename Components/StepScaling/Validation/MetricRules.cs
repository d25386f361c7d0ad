using System.Collections.Immutable;
using StepScaling.Model;

namespace StepScaling.Validation;

/// <summary>The rules of a policy's metric: CloudWatch PutMetricAlarm's metric, statistic, period and metric-math queries.</summary>
public static class MetricRules
{
    /// <summary>ECS publishes its service metrics once a minute ("Amazon ECS CloudWatch metrics").</summary>
    public static readonly Rule EcsPeriod = new("metric.ecs-period", Severity.Warning, "scaling.policies[].period", "under 60 s on an ECS service metric, which is published once a minute", "ECS Developer Guide, \"Amazon ECS CloudWatch metrics\"");

    /// <summary>PutMetricAlarm Period: 10, 20, 30 or a multiple of 60 seconds.</summary>
    public static readonly Rule Period = new("metric.period", Severity.Error, "scaling.policies[].period", AwsRules.PeriodRule, "CloudWatch API Reference, PutMetricAlarm Period");

    /// <summary>The message for a policy 'period' on a metric-math alarm, which has none of its own.</summary>
    public const string MathPeriodMessage = "does not apply to a metric-math alarm: each metric query sets its own period (metric.queries[].metric.period); remove it";

    /// <summary>A <c>period</c> key on a metric-math policy in config (even <c>period: 60</c>): it would be dropped silently.</summary>
    public static void MathPeriodGiven(string path, string got, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        bag.Error(path, $"{MathPeriodMessage}; got {got}");
    }

    /// <summary>PutMetricAlarm Statistic and ExtendedStatistic.</summary>
    public static readonly Rule Statistics = new("metric.statistic", Severity.Error, "scaling.policies[].statistic, …extendedStatistic", "one of them, a CloudWatch statistic (Sum for request counts, none on metric math)", "CloudWatch User Guide, \"Statistics definitions\"");

    /// <summary>PutMetricAlarm Namespace, MetricName, Dimensions and Unit.</summary>
    public static readonly Rule Identity = new("metric.identity", Severity.Error, "…metric", "namespace and name 1–255, at most 30 dimensions, a StandardUnit", "CloudWatch API Reference, PutMetricAlarm; Dimension");

    /// <summary>PutMetricAlarm Metrics (metric math).</summary>
    public static readonly Rule Math = new("metric.math", Severity.Error, "…metric.queries", "at most 20 queries (10 metrics, 10 expressions), unique ids, exactly one returnData", "CloudWatch API Reference, MetricDataQuery");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [Statistics, Identity, Math, Period, EcsPeriod];

    /// <summary>
    /// The statistic the alarm uses: none on metric math (each query has its own), Sum for ALB request counts,
    /// else the extended statistic when given, else the statistic or the metric's default.
    /// </summary>
    public static (string? Statistic, string? Extended) Statistic(PolicyDefinition policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Metric switch
        {
            MetricMathMetric => (null, null),
            _ when policy.Statistic is not null && policy.ExtendedStatistic is not null => (policy.Statistic, null),
            AlbRequestCountPerTargetMetric => (Defaults.RequestCountStatistic, null),
            _ when policy.ExtendedStatistic is { } extended => (null, extended),
            _ => (policy.Statistic ?? Defaults.StatisticFor(policy.Metric), null),
        };
    }

    /// <summary>The alarm's period: the policy's, or on metric math the longest period of its metric queries (each carries its own).</summary>
    public static int AlarmPeriod(PolicyDefinition policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Metric is not MetricMathMetric math)
        {
            return policy.Period;
        }

        var periods = math.Queries.Where(q => q?.Metric is not null).Select(q => q.Metric!.Period).ToList();
        return periods.Count > 0 ? periods.Max() : policy.Period;
    }

    /// <summary>Every metric rule of a policy: statistic, metric, period (and metric math's queries), into <paramref name="bag"/>.</summary>
    public static void CheckPolicyMetric(PolicyDefinition policy, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(bag);
        CheckStatistic(policy, path, bag);
        ValidateMetric(policy.Metric, $"{path}.metric", bag);
        if (policy.Metric is not MetricMathMetric math)
        {
            ValidatePeriod(policy.Period, $"{path}.period", bag);
            if (policy.Metric is EcsServiceMetric ecs && policy.Period is 10 or 20 or 30)
            {
                bag.Warning(EcsPeriod, $"{path}.period", $"ECS publishes {ecs.MetricName} once a minute: most {policy.Period} s periods hold no datapoint; use 60");
            }

            return;
        }

        if (policy.Period != Defaults.Period)
        {
            // Never silently dropped: the alarm would run at the queries' period, not this one.
            bag.Error($"{path}.period", $"{MathPeriodMessage}; got {policy.Period}");
        }

        if (!math.Queries.IsDefaultOrEmpty && !math.Queries.Any(q => q?.Metric is not null))
        {
            bag.Error($"{path}.metric.queries", "a metric-math alarm needs at least one query with a metric: its period paces the alarm (the policy's own 'period' does not apply to metric math)");
        }
    }

    /// <summary>PutMetricAlarm Statistic / ExtendedStatistic: one or the other (none on metric math), a known statistic, Sum for ALB request counts.</summary>
    private static void CheckStatistic(PolicyDefinition policy, string path, DiagnosticBag bag)
    {
        if (policy.Metric is MetricMathMetric)
        {
            if (policy.Statistic is not null || policy.ExtendedStatistic is not null)
            {
                bag.Error($"{path}.statistic", "a metric-math alarm takes no statistic: each metric query sets its own 'stat'");
            }

            return;
        }

        if (policy.Statistic is not null && policy.ExtendedStatistic is not null)
        {
            bag.Error($"{path}.extendedStatistic", $"give either statistic or extendedStatistic, not both; got statistic '{policy.Statistic}' and extendedStatistic '{policy.ExtendedStatistic}'");
            return;
        }

        if (policy.Metric is AlbRequestCountPerTargetMetric)
        {
            var given = policy.Statistic ?? policy.ExtendedStatistic;
            if (given is not null && given != Defaults.RequestCountStatistic)
            {
                bag.Error($"{path}.{(policy.Statistic is null ? "extendedStatistic" : "statistic")}", $"ALB RequestCountPerTarget must use the Sum statistic; got '{given}'");
            }

            return;
        }

        var (statistic, extended) = Statistic(policy);
        if ((extended is null ? AwsRules.CheckStatistic(statistic!) : AwsRules.CheckExtendedStatistic(extended)) is { } message)
        {
            bag.Error($"{path}.{(extended is null ? "statistic" : "extendedStatistic")}", message);
        }
    }

    private static void ValidateMetric(MetricSpec metric, string path, DiagnosticBag bag)
    {
        switch (metric)
        {
            case EcsServiceMetric ecs when !EcsServiceMetric.KnownNames.Contains(ecs.MetricName):
                bag.Error($"{path}.name", $"an ECS service metric must be one of {string.Join(", ", EcsServiceMetric.KnownNames)}; got '{ecs.MetricName}' (use kind: cloudwatch for any other metric)");
                break;
            case AlbRequestCountPerTargetMetric { TargetGroup: { } targetGroup } when AwsRules.CheckTargetGroupDimension(targetGroup) is { } targetGroupMessage:
                bag.Error($"{path}.targetGroup", targetGroupMessage);
                break;
            case CloudWatchMetric cw:
                ValidateMetricId(cw.Namespace, cw.MetricName, cw.Dimensions, cw.Unit, path, bag);
                break;
            case MetricMathMetric math:
                ValidateMath(math, path, bag);
                break;
        }
    }

    /// <summary>Namespace, name, dimensions and unit of one metric, by the CloudWatch rules.</summary>
    private static void ValidateMetricId(string? ns, string? name, ImmutableSortedDictionary<string, string>? dimensions, string? unit, string path, DiagnosticBag bag)
    {
        if (AwsRules.CheckNamespace(ns) is { } nsMessage)
        {
            bag.Error($"{path}.namespace", nsMessage);
        }

        if (AwsRules.CheckMetricName(name) is { } nameMessage)
        {
            bag.Error($"{path}.name", nameMessage);
        }

        if (dimensions is not null)
        {
            AwsRules.CheckDimensions(dimensions, $"{path}.dimensions", bag);
        }

        if (unit is not null && AwsRules.CheckUnit(unit) is { } unitMessage)
        {
            bag.Error($"{path}.unit", unitMessage);
        }
    }

    /// <summary>PutMetricAlarm Metrics: the query counts, each query, the expressions' references, and one query returning data.</summary>
    private static void ValidateMath(MetricMathMetric math, string path, DiagnosticBag bag)
    {
        var queries = math.Queries.IsDefault ? [] : math.Queries;
        if (queries.Length == 0)
        {
            bag.Error($"{path}.queries", "a metric-math alarm needs at least one query");
            return;
        }

        CheckQueryCounts(queries, path, bag);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < queries.Length; i++)
        {
            CheckQuery(queries[i], $"{path}.queries[{i}]", ids, bag);
        }

        // Expressions may only name the other queries (checked once every id is known; not where the id is in error).
        for (var i = 0; i < queries.Length; i++)
        {
            if (queries[i] is { Expression: { } expression } q && AwsRules.CheckExpression(expression) is null
                && AwsRules.CheckQueryId(q.Id) is null && queries.Count(o => o?.Id == q.Id) == 1
                && AwsRules.CheckExpressionReferences(expression, q.Id, ids) is { } referenceMessage)
            {
                bag.Error($"{path}.queries[{i}].expression", referenceMessage);
            }
        }

        var returning = queries.Count(q => q is { ReturnData: true });
        if (returning != 1)
        {
            bag.Error($"{path}.queries", $"exactly one query must have returnData: true (the value the alarm compares); got {returning}");
        }
    }

    /// <summary>MetricDataQuery quotas of one alarm: at most 20 queries, 10 of them metrics and 10 expressions.</summary>
    private static void CheckQueryCounts(ImmutableArray<MetricQuery> queries, string path, DiagnosticBag bag)
    {
        if (queries.Length > AwsRules.MaxQueries)
        {
            bag.Error($"{path}.queries", $"a metric-math alarm can have at most {AwsRules.MaxQueries} queries; got {queries.Length}");
        }

        var metricQueries = queries.Count(q => q?.Metric is not null);
        if (metricQueries > AwsRules.MaxMetricQueries)
        {
            bag.Error($"{path}.queries", $"a metric-math alarm can retrieve at most {AwsRules.MaxMetricQueries} metrics; got {metricQueries} queries with a metric");
        }

        var expressionQueries = queries.Count(q => q?.Expression is not null);
        if (expressionQueries > AwsRules.MaxExpressionQueries)
        {
            bag.Error($"{path}.queries", $"a metric-math alarm can have at most {AwsRules.MaxExpressionQueries} expressions; got {expressionQueries} queries with an expression");
        }
    }

    /// <summary>One MetricDataQuery: a unique valid id, exactly one of expression and metric, and each valid (<paramref name="ids"/> collects the ids).</summary>
    private static void CheckQuery(MetricQuery? q, string qp, HashSet<string> ids, DiagnosticBag bag)
    {
        if (q is null)
        {
            bag.Error(qp, "must not be null");
            return;
        }

        if (AwsRules.CheckQueryId(q.Id) is { } idMessage)
        {
            bag.Error($"{qp}.id", idMessage);
        }
        else if (!ids.Add(q.Id))
        {
            bag.Error($"{qp}.id", $"must be unique within the alarm; '{q.Id}' is used twice");
        }

        if ((q.Expression is null) == (q.Metric is null))
        {
            bag.Error(qp, "needs exactly one of 'expression' or 'metric'");
        }

        if (q.Expression is { } e && AwsRules.CheckExpression(e) is { } expressionMessage)
        {
            bag.Error($"{qp}.expression", expressionMessage);
        }

        if (q.Metric is { } m)
        {
            ValidateMetricId(m.Namespace, m.MetricName, m.Dimensions, m.Unit, $"{qp}.metric", bag);
            if (m.Stat is null || (!AwsRules.Statistics.Contains(m.Stat) && AwsRules.CheckExtendedStatistic(m.Stat) is not null))
            {
                bag.Error($"{qp}.metric.stat", $"must be one of {string.Join(", ", AwsRules.Statistics)} or an extended statistic (p99, tm90, TM(10%:90%), PR(100:2000), IQM, …); got {AwsRules.Quote(m.Stat)}");
            }

            ValidatePeriod(m.Period, $"{qp}.metric.period", bag);
        }
    }

    private static void ValidatePeriod(int period, string path, DiagnosticBag bag)
    {
        if (AwsRules.CheckPeriod(period) is { } message)
        {
            bag.Error(path, message);
        }
    }

    /// <summary>ALB RequestCountPerTarget has a TargetGroup dimension: without a load balancer, each such policy needs its own (given, or pending as an input).</summary>
    /// <param name="spec">The normalised scaling.</param>
    /// <param name="hasPendingTargetGroup">Whether a policy's target group is given as an input not known yet.</param>
    /// <param name="bag">Where findings go.</param>
    public static void CheckTargetGroups(ScalingSpec spec, Func<StepPolicy, bool> hasPendingTargetGroup, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(hasPendingTargetGroup);
        ArgumentNullException.ThrowIfNull(bag);
        foreach (var p in spec.Policies.Where(p => p.Metric is AlbRequestCountPerTargetMetric { TargetGroup: null } && !hasPendingTargetGroup(p)))
        {
            bag.Error(p.Path, "RequestCountPerTarget needs a target group: give the component a LoadBalancer, or set metric.targetGroup");
        }
    }

    /// <summary>An ALB RequestCountPerTarget TargetGroup dimension (a program usually takes it from a target group): the ARN's suffix.</summary>
    public static void CheckTargetGroup(string targetGroup, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (AwsRules.CheckTargetGroupDimension(targetGroup) is { } message)
        {
            bag.Error(path, message);
        }
    }
}
