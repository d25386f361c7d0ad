namespace StepScaling.Rendering;

/// <summary>
/// How a front end names the ways to change what a simulation or tuning report describes. The reports print neutral
/// words (<see cref="Neutral"/>); a front end passes its own (a CLI its option names).
/// </summary>
/// <param name="GivenTarget">A target the caller gave, as the report's source of the target.</param>
/// <param name="Budget">The tuning budget, in <c>a larger … may find better</c>.</param>
/// <param name="NoFolds">Asking for no cross-validation folds.</param>
/// <param name="StressConstraint">Asking for each stress to be a constraint.</param>
/// <param name="AllEvents">Where every scale event is listed when the text lists only the first.</param>
public sealed record ReportWording(string GivenTarget, string Budget, string NoFolds, string StressConstraint, string AllEvents)
{
    /// <summary>Words that name no front end's options.</summary>
    public static ReportWording Neutral { get; } = new("the target given", "budget", "no folds asked for", "stress as a constraint", "the JSON form lists them all");
}
