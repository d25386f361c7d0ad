namespace StepScale.Tests;

/// <summary>Warnings said once, where they help: check and plan report the stack's; simulate and tune only those on its scaling.</summary>
public sealed class WarningScopeTests : CliTest
{
    private static string Sample(string name) => Path.Combine(StepScaling.Testing.RepositoryFiles.Root, "samples", "traces", $"{name}.csv");

    [Test]
    public void Simulate_ProdWithAllWarnings_ShowsTheStackWarningsToo()
    {
        var result = Run("simulate", Repo.ProdStack, "--sample", "steady", "--all-warnings");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { CliResult.HttpOnly }));
    }

    [Test]
    public void Simulate_DevStack_KeepsTheScalingWarningAndDropsTheLoadBalancerOne()
    {
        var result = Run("simulate", Repo.DevStack, "--sample", "steady");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Warnings, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.Warnings[0], Does.StartWith($"warning: scaling.policies[0].scaleIn: {DevLoop}"));
    }

    [Test]
    public void Simulate_DevStackAsJson_StillListsEveryFindingInTheDocument()
    {
        var result = Run("simulate", Repo.DevStack, "--sample", "steady", "--format", "json");

        var paths = result.Json().GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("path").GetString());
        Assert.That(paths, Is.EqualTo(new[] { "loadBalancer.certificateArn", "scaling.policies[0].scaleIn" }), "the JSON is the whole record; only stderr is scoped");
        Assert.That(result.Warnings, Has.None.EqualTo(CliResult.HttpOnly));
    }

    [Test]
    public void Tune_ProdStack_ReportsNoLoadBalancerWarningUnlessAsked()
    {
        var quiet = Run("tune", Repo.ProdStack, "--trace", Sample("steady"), "--budget", "1", "--folds", "0", "--format", "yaml");
        var all = Run("tune", Repo.ProdStack, "--trace", Sample("steady"), "--budget", "1", "--folds", "0", "--format", "yaml", "--all-warnings");

        Assert.That(quiet.Exit, Is.EqualTo(0), quiet.ToString());
        Assert.That(quiet.Warnings, Is.Empty, quiet.ToString());
        Assert.That(all.Warnings, Is.EqualTo(new[] { CliResult.HttpOnly }), all.ToString());
    }

    [TestCase("check")]
    [TestCase("simulate")]
    [TestCase("plan")]
    public void Command_ProdStackWithMalformedYaml_ReportsOnlyTheYamlError(string command)
    {
        var path = Write("Pulumi.prod.yaml", File.ReadAllText(Repo.ProdStack) + "  step-scaled-ecs:broken: [1, 2\n");

        var result = command == "plan" ? Run(command, path, "--format", "json") : Run(command, path);

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        Assert.That(result.Warnings, Is.Empty, result.ToString());
        Assert.That(result.Errors[0], Does.StartWith("error: Pulumi.prod.yaml:").And.Contain("malformed YAML"));
    }

    [Test]
    public void Check_ProdStackWithMalformedYaml_CountsOnlyTheYamlError()
    {
        var path = Write("Pulumi.prod.yaml", File.ReadAllText(Repo.ProdStack) + "  step-scaled-ecs:broken: [1, 2\n");

        var result = Run("check", path);

        Assert.That(result.StdoutLines.Single(), Is.EqualTo($"{path}: 1 error, 0 warnings"));
    }
}
