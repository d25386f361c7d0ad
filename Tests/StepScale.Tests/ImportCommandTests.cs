using StepScaling.Testing;

namespace StepScale.Tests;

/// <summary><c>stepscale import</c> in-process, on the fixtures in Tests/Fixtures (pages cited in the README there).</summary>
public class ImportCommandTests : CliTest
{
    internal static string Fixture(string path) => Path.Combine(RepositoryFiles.Root, "Tests", "Fixtures", path);

    private static readonly string[] AwsApi =
        [Fixture("aws/describe-scaling-policies.json"), Fixture("aws/describe-alarms.json"), Fixture("aws/describe-scalable-targets.json")];

    [Test]
    public void Import_BlogTerraformPlan_PlanJsonEqualsPulumiDevYamlsAndCheckReportsTheLoop()
    {
        var imported = Run("import", Fixture("terraform/blog-plan.json"));
        var stack = Write("Pulumi.dev.yaml", imported.Stdout);
        var fromImport = Run("plan", stack, "--format", "json");
        var fromDev = Run("plan", Repo.DevStack, "--format", "json");

        Assert.That(imported.Exit, Is.EqualTo(0), imported.ToString());
        // The dev stack builds app/ where the blog post ran a given image; everything else is the same plan.
        var dev = System.Text.Json.Nodes.JsonNode.Parse(fromDev.Stdout)!.AsObject();
        Assert.That(dev.Remove("imageBuild"), Is.True);
        var import = System.Text.Json.Nodes.JsonNode.Parse(fromImport.Stdout)!.AsObject();
        Assert.That(import.Remove("imageBuild", out var importedBuild) && importedBuild is null, Is.True);
        Assert.That(import.ToJsonString(), Is.EqualTo(dev.ToJsonString()));
        Assert.That(imported.OtherWarnings, Is.EqualTo(new[] { $"warning: scaling.policies[0].scaleIn: {DevLoop} (keeping its steps relative to it), so that after a scale-out the metric stays above it; or widen the gap between the scale-out and scale-in thresholds, or use a smaller scale-in step" }));
        Assert.That(imported.StderrLines[^1], Is.EqualTo("check: ok (2 policies, 2 warnings, 1 flap finding)"));
    }

    [Test]
    public void Import_Out_WritesTheFileAndRefusesToOverwriteWithoutForce()
    {
        var path = Path.Combine(Dir, "Pulumi.prod.yaml");
        var first = Run("import", Fixture("terraform/blog-plan.json"), "--out", path);
        File.WriteAllText(path, "# mine\n");
        var again = Run("import", Fixture("terraform/blog-plan.json"), "--out", path);
        var forced = Run("import", Fixture("terraform/blog-plan.json"), "--out", path, "--force");

        Assert.That(first.Exit, Is.EqualTo(0), first.ToString());
        Assert.That(first.Stdout, Is.Empty, "the YAML goes to the file");
        AssertCleanFailure(again, 2);
        Assert.That(again.Errors, Is.EqualTo(new[] { $"error: --out: {path} exists; refusing to overwrite it (pass --force to replace it)" }));
        Assert.That(forced.Exit, Is.EqualTo(0), forced.ToString());
        Assert.That(File.ReadAllText(path), Does.Contain("step-scaled-ecs:scaling:"));
        Assert.That(Run("check", path).Exit, Is.EqualTo(0));
    }

    [Test]
    public void Import_SeveralServicesWithoutService_ListsThemAndExits2()
    {
        var result = Run("import", Fixture("terraform/modules-state.json"));

        AssertCleanFailure(result, 2);
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            "error: the input scales 2 ECS services; choose one with --service:",
            "  api                      service/prod/api (2 scaling policies)",
            "  worker                   service/prod/worker (2 scaling policies)",
        }));
    }

    [Test]
    public void Import_ServiceSelected_ImportsThatOneAndReportsTheTargetTrackingPolicy()
    {
        var result = Run("import", Fixture("terraform/modules-state.json"), "--service", "worker");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain("name: worker").And.Contain("kind: cloudwatch").And.Contain("ApproximateNumberOfMessagesVisible"));
        Assert.That(result.Warnings, Has.Some.StartWith("warning: modules-state.json#module.worker.aws_appautoscaling_policy.cpu_tt: is a TargetTrackingScaling policy: not imported"));
    }

    [Test]
    public void Import_UnknownService_Exits2()
    {
        var result = Run("import", Fixture("terraform/modules-state.json"), "--service", "nope");

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { "error: --service: no ECS service 'nope' in the input; it scales service/prod/api, service/prod/worker" }));
    }

    [Test]
    public void Import_LiveAccountJson_ImportsAndNotesTheSnsAction()
    {
        var result = Run(["import", .. AwsApi, "--service", "service/prod/api"]);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain("adjustmentType: PercentChangeInCapacity").And.Contain("minAdjustmentMagnitude: 2"));
        Assert.That(result.StderrLines, Has.Some.StartWith("note: describe-alarms.json#api-cpu-high: also notifies arn:aws:sns:"));
    }

    [Test]
    public void Import_NotJsonOrAnotherShape_CleanErrorExit2()
    {
        var notJson = Run("import", Write("main.tf", "resource \"aws_appautoscaling_policy\" \"up\" {}\n"));
        var otherShape = Run("import", Write("ec2.json", "{\"Reservations\": []}"));
        var missing = Run("import", Path.Combine(Dir, "nope.json"));

        AssertCleanFailure(notJson, 2);
        AssertCleanFailure(otherShape, 2);
        Assert.That(otherShape.Errors.Single(), Does.Contain("expected `terraform show -json` of a plan or state"));
        AssertCleanFailure(missing, 2);
    }

    [Test]
    public void Import_NothingImportable_Exits1()
    {
        var result = Run("import", Write("empty.json", "{\"format_version\": \"1.0\", \"values\": {\"root_module\": {\"resources\": []}}}"));

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors.Single(), Does.Contain("no ECS service scaling found"));
    }
}
