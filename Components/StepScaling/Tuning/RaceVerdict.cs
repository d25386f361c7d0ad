using System.Collections.Immutable;

namespace StepScaling.Tuning;

/// <summary>Which side of the race did better on one objective.</summary>
public enum RaceSide
{
    /// <summary>Equal within the tie tolerance.</summary>
    Tie,

    /// <summary>Step scaling did better.</summary>
    StepScaling,

    /// <summary>Target tracking did better.</summary>
    TargetTracking,
}

/// <summary>One objective of the race: both figures and who did better.</summary>
/// <param name="Objective">cost, service or churn.</param>
/// <param name="Step">Step scaling's figure.</param>
/// <param name="TargetTracking">Target tracking's figure.</param>
/// <param name="Better">Who did better.</param>
public sealed record RaceLine(string Objective, double Step, double TargetTracking, RaceSide Better);

/// <summary>Best step scaling against best target tracking on the user's traffic, objective by objective.</summary>
/// <param name="Lines">Cost, service, churn.</param>
/// <param name="Dominant">The side that is no worse on every objective and better on one; null when neither is.</param>
public sealed record RaceVerdict(ImmutableArray<RaceLine> Lines, RaceSide? Dominant)
{
    /// <summary>Figures within this share of each other (or within this absolute amount, near 0) are a tie.</summary>
    public const double Tolerance = 0.002;

    /// <summary>Compares the two sides' figures on all the data.</summary>
    public static RaceVerdict Of(Objectives step, Objectives targetTracking)
    {
        ImmutableArray<RaceLine> lines =
        [
            Line("cost (task-minutes)", step.Cost, targetTracking.Cost),
            Line("service (minutes above target + unserved task-minutes)", step.Service, targetTracking.Service),
            Line("churn (actions + reversals a day)", step.Churn, targetTracking.Churn),
        ];
        RaceSide? dominant = null;
        foreach (var side in new[] { RaceSide.StepScaling, RaceSide.TargetTracking })
        {
            if (lines.All(l => l.Better == side || l.Better == RaceSide.Tie) && lines.Any(l => l.Better == side))
            {
                dominant = side;
            }
        }

        return new RaceVerdict(lines, dominant);
    }

    private static RaceLine Line(string name, double step, double tt)
    {
        var tie = Math.Abs(step - tt) <= Math.Max(Tolerance * Math.Max(Math.Abs(step), Math.Abs(tt)), 1e-9);
        return new RaceLine(name, step, tt, tie ? RaceSide.Tie : step < tt ? RaceSide.StepScaling : RaceSide.TargetTracking);
    }
}
