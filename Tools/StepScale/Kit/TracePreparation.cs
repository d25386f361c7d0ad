using StepScaling.Model;
using StepScaling.Simulation;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary>Preparing a loaded trace for a stack's replay, for <c>simulate</c> and <c>tune</c> alike.</summary>
internal static class TracePreparation
{
    /// <summary>Loads one or more trace files with a column for each of the stack's policies (a CSV trace, or CloudWatch JSON recognised by content).</summary>
    public static TraceInput.Loaded Load(IReadOnlyList<string> paths, ScalingSpec spec, double? tasks, TextWriter stderr, int? period = null) =>
        TraceInput.Load(paths, TraceInput.Policies(spec), tasks, stderr, period);

    /// <summary>Warns once for each trace column that names no policy of the stack (it is ignored); <paramref name="where"/>, escaped, leads the line when given.</summary>
    public static void WarnUnknownColumns(ScalingSpec spec, DemandTrace demand, string? where, TextWriter stderr)
    {
        foreach (var column in demand.PolicyDemand.Keys.Where(k => !spec.Policies.Any(p => p.SourceName == k)))
        {
            stderr.WriteLine($"warning: {(where is null ? string.Empty : $"{where}: ")}trace column '{DiagnosticText.Escape(column)}' names no policy of the stack; it is ignored");
        }
    }

    /// <summary>
    /// CloudWatch aggregates whole periods: samples coarser than <paramref name="resolution"/>, or out of step with it,
    /// are held (with a note); null, with the error, when holding makes too many samples. <paramref name="name"/> is escaped already.
    /// </summary>
    public static DemandTrace? Hold(DemandTrace demand, int resolution, string name, TextWriter stderr)
    {
        if (resolution == demand.IntervalSeconds)
        {
            return demand;
        }

        if (demand.HoldEach(resolution) is not { } held)
        {
            stderr.WriteLine($"error: {name}: samples {demand.IntervalSeconds} s apart must be held at {resolution} s to fit the alarm periods, which makes more than {DemandTrace.MaxSamples} samples; use a shorter trace or evenly dividing periods");
            return null;
        }

        stderr.WriteLine($"note: {name}: samples are {demand.IntervalSeconds} s apart; each is held for {demand.IntervalSeconds / resolution} × {resolution} s so that every alarm period is whole");
        return held;
    }
}
