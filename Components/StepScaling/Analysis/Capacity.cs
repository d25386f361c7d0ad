using StepScaling.Model;

namespace StepScaling.Analysis;

/// <summary>
/// Capacity arithmetic with Application Auto Scaling's semantics, shared by the flap analysis and the simulator
/// so that both agree exactly.
/// </summary>
public static class Capacity
{
    /// <summary>
    /// The capacity a step adjustment asks for from <paramref name="current"/>, before the min/max clamp.
    /// PercentChangeInCapacity rounds as AWS documents ("Step scaling policies", adjustment types): a change
    /// above 1 is rounded down, between 0 and 1 becomes 1, below −1 is rounded up (towards zero), between −1 and
    /// 0 becomes −1; then MinAdjustmentMagnitude raises a smaller change to that many tasks.
    /// </summary>
    public static int Apply(int current, StepScalingConfiguration scaling, int adjustment)
    {
        ArgumentNullException.ThrowIfNull(scaling);
        switch (scaling.AdjustmentType)
        {
            case AdjustmentType.ExactCapacity:
                return adjustment;
            case AdjustmentType.ChangeInCapacity:
                return checked(current + adjustment);
            default:
                var delta = current * (double)adjustment / 100.0;
                int change = delta switch
                {
                    > 1 => (int)Math.Floor(delta),
                    > 0 => 1,
                    < -1 => (int)Math.Ceiling(delta),
                    < 0 => -1,
                    _ => 0,
                };
                if (scaling.MinAdjustmentMagnitude is { } min && change != 0 && Math.Abs(change) < min)
                {
                    change = Math.Sign(change) * min;
                }

                return checked(current + change);
        }
    }

    /// <summary>
    /// The most an ECS service's CPUUtilization or MemoryUtilization reads on Fargate: the metric is use ÷ the task
    /// definition's size × 100 (ECS developer guide, "Amazon ECS service utilization metrics"), and a Fargate task
    /// cannot use more CPU or memory than its task size.
    /// </summary>
    public const double MaxUtilization = 100;

    /// <summary>Whether <paramref name="metric"/> is an ECS service utilization, which never reads above <see cref="MaxUtilization"/>.</summary>
    public static bool Saturates(MetricSpec metric) => metric switch
    {
        EcsServiceMetric ecs => EcsServiceMetric.KnownNames.Contains(ecs.MetricName),
        CloudWatchMetric { Namespace: EcsServiceMetric.Namespace } cw => EcsServiceMetric.KnownNames.Contains(cw.MetricName),
        _ => false,
    };

    /// <summary>Clamps to [min, max].</summary>
    public static int Clamp(int capacity, int min, int max) => Math.Min(max, Math.Max(min, capacity));

    /// <summary>
    /// The value a policy's metric reads under a steady <paramref name="demand"/> with <paramref name="tasks"/>
    /// running: demand × ratio ÷ tasks for per-task metrics, demand × ratio otherwise, and at most
    /// <see cref="MaxUtilization"/> for an ECS utilization (<see cref="Saturates"/>). With no tasks a per-task
    /// metric publishes nothing (NaN).
    /// </summary>
    public static double MetricValue(double demand, StepPolicy policy, int tasks)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var value = MetricValue(demand, policy.LoadModel, policy.LoadRatio, tasks);
        return Saturates(policy.Metric) ? Math.Min(value, MaxUtilization) : value;
    }

    /// <summary>
    /// The demand a per-task ECS utilization leaves unserved with <paramref name="tasks"/> running, in tasks' worth:
    /// demand × ratio ÷ <see cref="MaxUtilization"/> − tasks, or 0 when the tasks can carry it.
    /// </summary>
    public static double UnservedTasks(double demand, double ratio, int tasks) =>
        Math.Max(0, (demand * ratio / MaxUtilization) - Math.Max(0, tasks));

    /// <summary>See <see cref="MetricValue(double, StepPolicy, int)"/>.</summary>
    public static double MetricValue(double demand, LoadModel model, double ratio, int tasks) =>
        model == LoadModel.PerTask ? (tasks <= 0 ? double.NaN : demand * ratio / tasks) : demand * ratio;
}
