using System.Collections.Immutable;

namespace StepScaling.Model;

/// <summary>What an alarm watches. One of four kinds.</summary>
public abstract record MetricSpec
{
    private protected MetricSpec()
    {
    }

    /// <summary>The metric name shown to people, e.g. <c>MemoryUtilization</c>.</summary>
    public abstract string DisplayName { get; }

    /// <summary>The unit suffix used in descriptions ("%" for utilisation metrics).</summary>
    public virtual string UnitSuffix => string.Empty;

    /// <summary>The load model that fits this metric unless the config says otherwise.</summary>
    public abstract LoadModel DefaultLoadModel { get; }
}

/// <summary>
/// An <c>AWS/ECS</c> service metric. The component fills in the <c>ClusterName</c> and <c>ServiceName</c> dimensions.
/// </summary>
/// <param name="MetricName"><c>CPUUtilization</c> or <c>MemoryUtilization</c>.</param>
public sealed record EcsServiceMetric(string MetricName) : MetricSpec
{
    /// <summary>The CloudWatch namespace, <c>AWS/ECS</c>.</summary>
    public const string Namespace = "AWS/ECS";

    /// <summary>The ECS metrics a service publishes without Container Insights.</summary>
    public static readonly ImmutableArray<string> KnownNames = ["CPUUtilization", "MemoryUtilization"];

    /// <inheritdoc />
    public override string DisplayName => MetricName;

    /// <inheritdoc />
    public override string UnitSuffix => " %";

    /// <inheritdoc />
    public override LoadModel DefaultLoadModel => LoadModel.PerTask;
}

/// <summary>
/// ALB <c>RequestCountPerTarget</c> (namespace <c>AWS/ApplicationELB</c>, statistic Sum).
/// The <c>TargetGroup</c> dimension comes from the service's target group unless given.
/// </summary>
/// <param name="TargetGroup">The target group's ARN suffix (<c>targetgroup/name/id</c>); null to use the service's.</param>
public sealed record AlbRequestCountPerTargetMetric(string? TargetGroup) : MetricSpec
{
    /// <summary>The CloudWatch namespace.</summary>
    public const string Namespace = "AWS/ApplicationELB";

    /// <summary>The CloudWatch metric name.</summary>
    public const string MetricName = "RequestCountPerTarget";

    /// <inheritdoc />
    public override string DisplayName => MetricName;

    /// <inheritdoc />
    public override LoadModel DefaultLoadModel => LoadModel.PerTask;
}

/// <summary>Any CloudWatch metric, named in full.</summary>
/// <param name="Namespace">The CloudWatch namespace, e.g. <c>AWS/SQS</c>.</param>
/// <param name="MetricName">The metric name.</param>
/// <param name="Dimensions">The dimensions, exactly as published.</param>
/// <param name="Unit">The unit, or null for any.</param>
public sealed record CloudWatchMetric(
    string Namespace,
    string MetricName,
    ImmutableSortedDictionary<string, string> Dimensions,
    string? Unit) : MetricSpec
{
    /// <inheritdoc />
    public override string DisplayName => MetricName;

    /// <inheritdoc />
    public override LoadModel DefaultLoadModel => LoadModel.Independent;

    /// <inheritdoc />
    public bool Equals(CloudWatchMetric? other) =>
        other is not null && Namespace == other.Namespace && MetricName == other.MetricName && Unit == other.Unit
        && Dimensions.Count == other.Dimensions.Count && Dimensions.All(kv => other.Dimensions.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Namespace, MetricName, Unit, Dimensions.Count);
}

/// <summary>A metric-math alarm: up to 20 queries, exactly one of which returns data.</summary>
/// <param name="Queries">The queries, in order.</param>
public sealed record MetricMathMetric(ImmutableArray<MetricQuery> Queries) : MetricSpec
{
    /// <inheritdoc />
    public override string DisplayName =>
        Queries.FirstOrDefault(q => q.ReturnData) is { } q ? q.Label ?? q.Expression ?? q.Metric?.MetricName ?? q.Id : "metric math";

    /// <inheritdoc />
    public override LoadModel DefaultLoadModel => LoadModel.Independent;

    /// <inheritdoc />
    public bool Equals(MetricMathMetric? other) => other is not null && Queries.SequenceEqual(other.Queries);

    /// <inheritdoc />
    public override int GetHashCode() => Queries.Length;
}

/// <summary>One query of a metric-math alarm: either an expression or a metric.</summary>
public sealed record MetricQuery
{
    /// <summary>The query id: a lower-case letter, then letters, digits and underscores.</summary>
    public required string Id { get; init; }

    /// <summary>A math expression over other query ids; null for a metric query.</summary>
    public string? Expression { get; init; }

    /// <summary>The metric; null for an expression query.</summary>
    public MetricStat? Metric { get; init; }

    /// <summary>A human-readable label.</summary>
    public string? Label { get; init; }

    /// <summary>Whether this query's result is what the alarm compares with its threshold.</summary>
    public bool ReturnData { get; init; }
}

/// <summary>A metric with its statistic and period, inside a metric-math query.</summary>
public sealed record MetricStat
{
    /// <summary>The CloudWatch namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The metric name.</summary>
    public required string MetricName { get; init; }

    /// <summary>The dimensions.</summary>
    public ImmutableSortedDictionary<string, string> Dimensions { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The statistic (<c>Average</c>, <c>Sum</c>, <c>p99</c>, …).</summary>
    public required string Stat { get; init; }

    /// <summary>The period in seconds.</summary>
    public required int Period { get; init; }

    /// <summary>The unit, or null.</summary>
    public string? Unit { get; init; }

    /// <inheritdoc />
    public bool Equals(MetricStat? other) =>
        other is not null && Namespace == other.Namespace && MetricName == other.MetricName && Stat == other.Stat
        && Period == other.Period && Unit == other.Unit
        && Dimensions.Count == other.Dimensions.Count && Dimensions.All(kv => other.Dimensions.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Namespace, MetricName, Stat, Period);
}
