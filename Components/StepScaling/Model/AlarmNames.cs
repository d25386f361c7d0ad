namespace StepScaling.Model;

/// <summary>Physical alarm names: stable across band changes, unique per stack, service and policy.</summary>
public static class AlarmNames
{
    /// <summary>The prefix shared by a service's alarms: <c>{stack}-{service}</c>.</summary>
    public static string Prefix(string stack, string service) => $"{stack}-{service}";

    /// <summary>The alarm name of a policy: <c>{prefix}-{policy}</c>, e.g. <c>dev-web-memory-out</c>.</summary>
    public static string For(string prefix, string policyName) => $"{prefix}-{policyName}";

    /// <summary>The name of one side of a config policy: <c>{policy}-out</c> or <c>{policy}-in</c>.</summary>
    public static string Side(string policyName, ScalingSide side) => $"{policyName}-{(side == ScalingSide.ScaleOut ? "out" : "in")}";
}
