namespace StepScaling.Model;

/// <summary>Which way a policy moves capacity.</summary>
public enum ScalingSide
{
    /// <summary>Adds tasks when the alarm fires.</summary>
    ScaleOut,

    /// <summary>Removes tasks when the alarm fires.</summary>
    ScaleIn,
}

/// <summary>How a step's <c>ScalingAdjustment</c> is applied (Application Auto Scaling <c>AdjustmentType</c>).</summary>
public enum AdjustmentType
{
    /// <summary>Add or remove this many tasks.</summary>
    ChangeInCapacity,

    /// <summary>Add or remove this percentage of the current capacity.</summary>
    PercentChangeInCapacity,

    /// <summary>Set the capacity to exactly this number.</summary>
    ExactCapacity,
}

/// <summary>CloudWatch alarm comparison operators usable with step scaling.</summary>
public enum ComparisonOperator
{
    /// <summary>Metric ≥ threshold.</summary>
    GreaterThanOrEqualToThreshold,

    /// <summary>Metric &gt; threshold.</summary>
    GreaterThanThreshold,

    /// <summary>Metric &lt; threshold.</summary>
    LessThanThreshold,

    /// <summary>Metric ≤ threshold.</summary>
    LessThanOrEqualToThreshold,
}

/// <summary>How a CloudWatch alarm treats periods with no data.</summary>
public enum TreatMissingData
{
    /// <summary>Missing periods are not counted: the alarm looks further back (<c>missing</c>).</summary>
    Missing,

    /// <summary>The alarm keeps its current state (<c>ignore</c>).</summary>
    Ignore,

    /// <summary>Missing periods count as breaching (<c>breaching</c>).</summary>
    Breaching,

    /// <summary>Missing periods count as within the threshold (<c>notBreaching</c>).</summary>
    NotBreaching,
}

/// <summary>How Application Auto Scaling aggregates the alarm's datapoints (<c>MetricAggregationType</c>).</summary>
public enum MetricAggregationType
{
    /// <summary>Average.</summary>
    Average,

    /// <summary>Minimum.</summary>
    Minimum,

    /// <summary>Maximum.</summary>
    Maximum,
}

/// <summary>How demand turns into the metric, for flap analysis and simulation.</summary>
public enum LoadModel
{
    /// <summary>The metric is demand ÷ running tasks (CPUUtilization, MemoryUtilization, RequestCountPerTarget).</summary>
    PerTask,

    /// <summary>The metric does not depend on the task count (a queue depth, an external signal).</summary>
    Independent,
}

/// <summary>What to do with flap-analysis findings.</summary>
public enum FlapCheckMode
{
    /// <summary>Findings are warnings (the default).</summary>
    Warn,

    /// <summary>Findings are errors: nothing is deployed.</summary>
    Error,

    /// <summary>No flap analysis.</summary>
    Off,
}

/// <summary>AWS wire names for the enums, in one place.</summary>
public static class AwsNames
{
    /// <summary>The CloudWatch value of <paramref name="value"/> (e.g. <c>notBreaching</c>).</summary>
    public static string ToAws(this TreatMissingData value) => value switch
    {
        TreatMissingData.Missing => "missing",
        TreatMissingData.Ignore => "ignore",
        TreatMissingData.Breaching => "breaching",
        TreatMissingData.NotBreaching => "notBreaching",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary>The config/JSON name of a side: <c>scaleOut</c> or <c>scaleIn</c>.</summary>
    public static string ToConfigName(this ScalingSide side) => side == ScalingSide.ScaleOut ? "scaleOut" : "scaleIn";

    /// <summary>The flap-check mode as written in config.</summary>
    public static string ToConfigName(this FlapCheckMode mode) => mode switch
    {
        FlapCheckMode.Warn => "warn",
        FlapCheckMode.Error => "error",
        _ => "off",
    };

    /// <summary>True for the two "greater" operators: the alarm fires above the threshold.</summary>
    public static bool IsAbove(this ComparisonOperator op) =>
        op is ComparisonOperator.GreaterThanThreshold or ComparisonOperator.GreaterThanOrEqualToThreshold;

    /// <summary>True when the operator includes the threshold itself (≥ or ≤).</summary>
    public static bool IncludesThreshold(this ComparisonOperator op) =>
        op is ComparisonOperator.GreaterThanOrEqualToThreshold or ComparisonOperator.LessThanOrEqualToThreshold;

    /// <summary>The operator as a symbol: ≥, &gt;, &lt;, ≤.</summary>
    public static string Symbol(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.GreaterThanOrEqualToThreshold => "≥",
        ComparisonOperator.GreaterThanThreshold => ">",
        ComparisonOperator.LessThanThreshold => "<",
        _ => "≤",
    };

    /// <summary>Whether the alarm is in breach for <paramref name="value"/>.</summary>
    public static bool Breaches(this ComparisonOperator op, double value, double threshold) => op switch
    {
        ComparisonOperator.GreaterThanOrEqualToThreshold => value >= threshold,
        ComparisonOperator.GreaterThanThreshold => value > threshold,
        ComparisonOperator.LessThanThreshold => value < threshold,
        _ => value <= threshold,
    };
}
