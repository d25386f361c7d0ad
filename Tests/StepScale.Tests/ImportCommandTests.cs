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

    /// <summary>Characters that must never reach a terminal or break a line of the YAML import writes.</summary>
    private static readonly string[] Hostile = ["\u001b]0;pwned\u0007", "\u2028error: forged", "\u202Eevil", "\u0085nel", "\u007f", "\n# x: y", "\u200B"];

    private static bool HasRawControl(string text) => text.Any(c => (char.IsControl(c) && c is not '\n' and not '\r') || c is '\u2028' or '\u2029' or '\u202E' or '\u200B' or '\u0085');

    /// <summary>
    /// Hostile alarm, policy and dimension names and a hostile file name: every output line is escaped, and the file
    /// --out writes (names in comments and values) reads back, is checked, and keeps the names exactly.
    /// </summary>
    [TestCaseSource(nameof(Hostile))]
    public void Import_HostileNamesInInputAndFileName_OutputEscapedAndTheWrittenFileReadsBack(string hostile)
    {
        var json = (string name) => System.Text.Json.JsonSerializer.Serialize(name);
        var policies = File.ReadAllText(Fixture("aws/describe-scaling-policies.json")).Replace("\"PolicyName\": \"scale-up\"", $"\"PolicyName\": {json("up" + hostile)}", StringComparison.Ordinal);
        var alarms = File.ReadAllText(Fixture("aws/describe-alarms.json"))
            .Replace("\"AlarmName\": \"web-memory-high\"", $"\"AlarmName\": {json("high" + hostile)}", StringComparison.Ordinal)
            .Replace("\"AlarmName\": \"web-memory-low\"", $"\"AlarmName\": {json("low" + hostile)}", StringComparison.Ordinal);
        Assume.That(alarms, Does.Contain("high"));
        var stack = Path.Combine(Dir, "Pulumi.prod.yaml");

        var result = Run("import", Write("policies" + hostile.Replace("/", string.Empty, StringComparison.Ordinal) + ".json", policies), Write("alarms.json", alarms),
            Fixture("aws/describe-scalable-targets.json"), "--service", "web", "--out", stack);

        Assert.That(HasRawControl(result.Stdout + result.Stderr), Is.False, result.ToString());
        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var text = File.ReadAllText(stack);
        Assert.That(HasRawControl(text), Is.False, text);
        Assert.That(text, Does.Contain("from alarm high"));
        var check = Run("check", stack);
        Assert.That(check.StderrLines.Concat(check.Stdout.Split('\n')), Has.None.Contains("malformed"), check.ToString());
        Assert.That(check.Exit, Is.Not.EqualTo(2), check.ToString());
    }

    [Test]
    public void Import_TerraformMapWithDuplicateKey_CleanErrorExit2()
    {
        var plan = File.ReadAllText(Fixture("terraform/blog-plan.json")).Replace("\"ServiceName\": \"web\"", "\"ServiceName\": \"web\", \"ServiceName\": \"api\"", StringComparison.Ordinal);

        var result = Run("import", Write("plan.json", plan));

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors.Single(), Does.Contain("the key \"ServiceName\" is given twice in one object"));
    }

    [Test]
    public void Import_UnusableCooldown_ErrorNamesFieldAndValueExit1AndNoFileWritten()
    {
        var policies = File.ReadAllText(Fixture("aws/describe-scaling-policies.json")).Replace("\"Cooldown\": 60", "\"Cooldown\": 60.5", StringComparison.Ordinal);
        var stack = Path.Combine(Dir, "Pulumi.web.yaml");

        var result = Run("import", Write("policies.json", policies), Fixture("aws/describe-alarms.json"), Fixture("aws/describe-scalable-targets.json"), "--service", "web", "--out", stack);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Has.Some.StartsWith("error: policies.json#scale-up: StepScalingPolicyConfiguration.Cooldown: 60.5 is not a whole number from 0 to 2147483647"));
        Assert.That(File.Exists(stack), Is.False);
    }
}
