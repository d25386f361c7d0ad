namespace StepScaling.Model;

/// <summary>Every default, documented once and applied in one place.</summary>
public static class Defaults
{
    /// <summary>Least tasks: 1, so the service always serves.</summary>
    public const int MinCapacity = 1;

    /// <summary>Most tasks: 4.</summary>
    public const int MaxCapacity = 4;

    /// <summary>Alarm period: 60 s, the standard resolution of ECS metrics.</summary>
    public const int Period = 60;

    /// <summary>Evaluation periods: 1 (the blog setup's value).</summary>
    public const int EvaluationPeriods = 1;

    /// <summary>Cooldown: 60 s.</summary>
    public const int Cooldown = 60;

    /// <summary>Adjustment type: ChangeInCapacity.</summary>
    public const AdjustmentType AdjustmentType = Model.AdjustmentType.ChangeInCapacity;

    /// <summary>Flap check: findings are warnings.</summary>
    public const FlapCheckMode FlapCheck = FlapCheckMode.Warn;

    /// <summary>Statistic for every metric kind but RequestCountPerTarget.</summary>
    public const string Statistic = "Average";

    /// <summary>RequestCountPerTarget is only meaningful as a Sum.</summary>
    public const string RequestCountStatistic = "Sum";

    /// <summary>
    /// Missing data for a side. ALB request counts are sparse (no traffic publishes no datapoint), so both of
    /// their sides count a missing period as not breaching: a gap in the data neither adds nor removes tasks.
    /// Every other metric treats missing data as missing (CloudWatch's own default).
    /// </summary>
    public static TreatMissingData TreatMissingData(MetricSpec metric, ScalingSide side)
    {
        _ = side;
        return metric is AlbRequestCountPerTargetMetric ? Model.TreatMissingData.NotBreaching : Model.TreatMissingData.Missing;
    }

    /// <summary>The statistic for a metric kind when none is given.</summary>
    public static string StatisticFor(MetricSpec metric) =>
        metric is AlbRequestCountPerTargetMetric ? RequestCountStatistic : Statistic;

    /// <summary>Datapoint aggregation that follows the statistic: Minimum and Maximum as themselves, else Average.</summary>
    public static MetricAggregationType AggregationFor(string? statistic) => statistic switch
    {
        "Minimum" => MetricAggregationType.Minimum,
        "Maximum" => MetricAggregationType.Maximum,
        _ => MetricAggregationType.Average,
    };
}
