using StepScaling.Rendering;
using StepScaling.Simulation;
using StepScaling.Tuning;

namespace StepScaling.Tests;

/// <summary>The simulation and tuning reports name no front end's options: neutral words by default, the front end's when it gives them.</summary>
public class ReportWordingTests
{
    private static readonly ReportWording Flags = new("--target", "--budget", "--folds 0", "--stress-constraint", "--format json lists them all");

    private static DemandTrace Bursty()
    {
        using var reader = new StreamReader(Path.Combine(Repo.Root, "samples", "traces", "bursty.csv"));
        return TraceCsv.Read(reader, "bursty.csv").Trace!;
    }

    private static TuneReportSettings Settings(bool stressConstraint) =>
        new("Pulumi.prod.yaml", ["bursty.csv"], null, null, null, null, null, stressConstraint, 0.1, 10, 95, 7);

    [Test]
    public void SimulationText_MoreEventsThanListed_SaysWhereTheRestAreInTheGivenWords()
    {
        var plan = Repo.PlanProd();
        var options = new SimulationOptions();
        var result = Simulator.Run(plan.Scaling!, Bursty(), options);

        var neutral = SimulationReport.Text(plan, "bursty.csv", Bursty(), result, options);
        var cli = SimulationReport.Text(plan, "bursty.csv", Bursty(), result, options, Flags);

        Assert.That(result.Events.Length, Is.GreaterThan(25));
        Assert.That(neutral, Does.Contain($"  … {result.Events.Length - 25} more (the JSON form lists them all)").And.Not.Contain("--"));
        Assert.That(cli, Is.EqualTo(neutral.Replace("the JSON form lists them all", "--format json lists them all", StringComparison.Ordinal)));
    }

    [TestCase(false, "  (a report: stress as a constraint makes each stress a constraint)")]
    [TestCase(true, "  (stress as a constraint: each stress is a constraint, against the baseline under it)")]
    public void TuneText_NoFoldsAndAGivenTarget_NeutralWordsByDefault(bool stressConstraint, string stressLine)
    {
        var plan = Repo.PlanProd();
        var result = Tuner.Tune(plan.Config!.Scaling!, plan.AlarmNamePrefix, [new NamedTrace("bursty.csv", Bursty())], new TuningOptions { MaxEvaluations = 10, Folds = 0, Target = 60, StressAsConstraint = stressConstraint });

        var text = new TuneReport(plan, Settings(stressConstraint), result, TuningReport.Compare(result), "scaling: {}\n").Text();

        Assert.That(text, Does.Contain("Cross-validation: none (no folds asked for, or the traces are too short for two blocks)."));
        Assert.That(text, Does.Contain(stressLine + Environment.NewLine));
        Assert.That(text, Does.Contain("target 60 % per task (the target given)"));
        Assert.That(TuneReport.Notes(result, ReportWording.Neutral).Last(), Does.EndWith("before it converged: this is the best found so far; a larger budget may find better"));
    }

    [Test]
    public void TuneText_FrontEndWords_TakeTheNeutralWordsPlaces()
    {
        var plan = Repo.PlanProd();
        var result = Tuner.Tune(plan.Config!.Scaling!, plan.AlarmNamePrefix, [new NamedTrace("bursty.csv", Bursty())], new TuningOptions { MaxEvaluations = 10, Folds = 0, Target = 60 });

        var text = new TuneReport(plan, Settings(false) with { Words = Flags }, result, TuningReport.Compare(result), "scaling: {}\n").Text();

        Assert.That(text, Does.Contain("Cross-validation: none (--folds 0, or the traces are too short for two blocks)."));
        Assert.That(text, Does.Contain("  (a report: --stress-constraint makes each stress a constraint)"));
        Assert.That(text, Does.Contain("target 60 % per task (--target)"));
        Assert.That(TuneReport.Notes(result, Flags).Last(), Does.EndWith("; a larger --budget may find better"));
    }
}
