using System.Text.Json;

namespace StepScale.Tests;

/// <summary><c>stepscale plan</c>: what the stack will create, as text, pull-request Markdown, or JSON with AWS API field names.</summary>
public class PlanCommandTests : CliTest
{
    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    private static IReadOnlyList<(double? Lower, double? Upper, int Adjustment)> Steps(JsonElement policy) =>
        [.. policy.GetProperty("stepAdjustments").EnumerateArray().Select(s => (
            Number(s.GetProperty("metricIntervalLowerBound")),
            Number(s.GetProperty("metricIntervalUpperBound")),
            s.GetProperty("scalingAdjustment").GetInt32()))];

    [Test]
    public void Plan_DevText_AbsoluteThresholdsAndTheRelativeStepsAwsStores()
    {
        var result = Run("plan", Repo.DevStack);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stderr, Is.Empty, "a text plan carries its findings itself");
        var text = result.Stdout;
        Assert.That(result.StdoutLines[0], Is.EqualTo("Stack dev: scalable target ecs:service:DesiredCount, 1–4 tasks, 2 policies."));
        Assert.That(text, Does.Contain("memory-out (scale-out)\n  MemoryUtilization > 10 % (Average over 60 s, 1 of 1 period): 10–20 % → +1 task, 20–35 % → +2, ≥ 35 % → +3\n"));
        Assert.That(text, Does.Contain("  alarm dev-web-memory-out: GreaterThanThreshold 10, treat missing data: missing\n"));
        Assert.That(text, Does.Contain("  policy: ChangeInCapacity, cooldown 60 s, aggregation Average\n"));
        Assert.That(text, Does.Match(@"step \[0, 10\) +\+1\n +step \[10, 25\) +\+2\n +step \[25, \+inf\) +\+3\n"));
        Assert.That(text, Does.Contain("memory-in (scale-in)\n  MemoryUtilization ≤ 10 % (Average over 60 s, 1 of 1 period): ≤ 10 % → -1 task\n"));
        Assert.That(text, Does.Contain("  alarm dev-web-memory-in: LessThanOrEqualToThreshold 10, treat missing data: missing\n"));
        Assert.That(text, Does.Match(@"step \(-inf, 0\] +-1\n"));
        Assert.That(text, Does.Contain("Flap check: 1 scaling loop under steady load.\n"));
        Assert.That(result.StdoutLines[^1], Does.StartWith($"warning: scaling.policies[0].scaleIn: {DevLoop}"));
    }

    [Test]
    public void Plan_DevStack_TheImageBuildInEveryFormat()
    {
        Assert.That(Run("plan", Repo.DevStack).StdoutLines, Does.Contain($"Image: {DevImage}"));
        Assert.That(Run("plan", Repo.DevStack, "--format", "markdown").StdoutLines, Does.Contain($"**Image:** {DevImage}"));
        var image = Run("plan", Repo.DevStack, "--format", "json").Json().GetProperty("imageBuild");
        Assert.That((image.GetProperty("context").GetString(), image.GetProperty("dockerfile").GetString(), image.GetProperty("platform").GetString()), Is.EqualTo(("app", "app/Dockerfile", "linux/amd64")));
        var repository = image.GetProperty("repository");
        Assert.That((repository.GetProperty("scanOnPush").GetBoolean(), repository.GetProperty("imageTagMutability").GetString(), repository.GetProperty("keepImages").GetInt32()), Is.EqualTo((true, "IMMUTABLE", 10)));
        Assert.That((repository.GetProperty("encryptionType").GetString(), repository.GetProperty("forceDelete").GetBoolean()), Is.EqualTo(("AES256", true)));
        Assert.That(Run("plan", Repo.ProdStack, "--format", "json").Json().GetProperty("imageBuild").ValueKind, Is.EqualTo(JsonValueKind.Null), "prod runs a given image");
    }

    [Test]
    public void Plan_ProdText_NoLoopFound()
    {
        var result = Run("plan", Repo.ProdStack);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines[0], Is.EqualTo("Stack prod: scalable target ecs:service:DesiredCount, 2–12 tasks, 4 policies."));
        Assert.That(result.Stdout, Does.Contain("  CPUUtilization ≥ 70 % (Average over 60 s, 1 of 1 period): 70–85 % → +1 task, ≥ 85 % → +3\n"));
        Assert.That(result.Stdout, Does.Contain("  alarm prod-web-cpu-in: LessThanThreshold 30, treat missing data: missing\n"));
        Assert.That(result.StdoutLines, Does.Contain("Flap check: no scaling loop under steady load."));
        Assert.That(result.StdoutLines[^1], Is.EqualTo(CliResult.HttpOnly), "the plan ends with its findings; prod's only one is the missing certificate");
    }

    [Test]
    public void Plan_DevMarkdown_TableRowPerPolicyAndTheFlapFinding()
    {
        var result = Run("plan", Repo.DevStack, "--format", "markdown");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var lines = result.StdoutLines;
        Assert.That(lines[0], Is.EqualTo("### Step scaling plan: `dev`"));
        Assert.That(lines, Does.Contain("| Policy | Side | Alarm | Steps (absolute) | Relative step adjustments | Cooldown |"));
        Assert.That(lines, Does.Contain("|---|---|---|---|---|---|"));
        Assert.That(lines, Does.Contain("| `memory-out` | scale-out | `dev-web-memory-out`<br>MemoryUtilization > 10 %<br>Average, 60 s, 1 of 1 | 10–20 % → +1 task<br>20–35 % → +2 tasks<br>≥ 35 % → +3 tasks | `[0, 10)` +1<br>`[10, 25)` +2<br>`[25, +inf)` +3 | 60 s |"));
        Assert.That(lines, Does.Contain("| `memory-in` | scale-in | `dev-web-memory-in`<br>MemoryUtilization ≤ 10 %<br>Average, 60 s, 1 of 1 | ≤ 10 % → -1 task | `(-inf, 0]` -1 | 60 s |"));
        Assert.That(lines, Does.Contain("**Flap check:** 1 scaling loop under steady load. ⚠️"));
        Assert.That(lines, Has.Some.StartsWith($"- **warning** `scaling.policies[0].scaleIn`: {DevLoop}"));
        Assert.That(result.OtherWarnings.Single(), Does.StartWith($"warning: scaling.policies[0].scaleIn: {DevLoop}"), "findings also go to stderr, where CI logs show them");
    }

    [Test]
    public void Plan_ProdMarkdown_FourRowsAndACleanFlapCheck()
    {
        var result = Run("plan", Repo.ProdStack, "-f", "markdown");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines.Count(l => l.StartsWith("| `", StringComparison.Ordinal)), Is.EqualTo(4));
        Assert.That(result.StdoutLines, Does.Contain("**Flap check:** no scaling loop under steady load. ✅"));
        Assert.That(result.StderrLines, Is.EqualTo(new[] { CliResult.HttpOnly }));
    }

    [Test]
    public void Plan_DevJson_TheSeedsTwoPoliciesWithAwsFieldNames()
    {
        var result = Run("plan", Repo.DevStack, "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var plan = result.Json();
        Assert.That(plan.GetProperty("stack").GetString(), Is.EqualTo("dev"));
        Assert.That(plan.GetProperty("valid").GetBoolean(), Is.True);
        Assert.That(plan.GetProperty("scalingEnabled").GetBoolean(), Is.True);
        Assert.That((plan.GetProperty("minCapacity").GetInt32(), plan.GetProperty("maxCapacity").GetInt32()), Is.EqualTo((1, 4)));
        var policies = plan.GetProperty("policies").EnumerateArray().ToList();
        Assert.That(policies, Has.Count.EqualTo(2));

        var scaleOut = policies[0];
        Assert.That(scaleOut.GetProperty("name").GetString(), Is.EqualTo("memory-out"));
        Assert.That(scaleOut.GetProperty("side").GetString(), Is.EqualTo("scaleOut"));
        Assert.That(scaleOut.GetProperty("adjustmentType").GetString(), Is.EqualTo("ChangeInCapacity"));
        Assert.That(scaleOut.GetProperty("cooldown").GetInt32(), Is.EqualTo(60));
        Assert.That(scaleOut.GetProperty("metricAggregationType").GetString(), Is.EqualTo("Average"));
        Assert.That(scaleOut.GetProperty("minAdjustmentMagnitude").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(Steps(scaleOut), Is.EqualTo(new (double?, double?, int)[] { (0, 10, 1), (10, 25, 2), (25, null, 3) }));

        var scaleIn = policies[1];
        Assert.That(scaleIn.GetProperty("name").GetString(), Is.EqualTo("memory-in"));
        Assert.That(scaleIn.GetProperty("side").GetString(), Is.EqualTo("scaleIn"));
        Assert.That(scaleIn.GetProperty("cooldown").GetInt32(), Is.EqualTo(60));
        Assert.That(Steps(scaleIn), Is.EqualTo(new (double?, double?, int)[] { (null, 0, -1) }));

        var outAlarm = scaleOut.GetProperty("alarm");
        var inAlarm = scaleIn.GetProperty("alarm");
        Assert.That(outAlarm.GetProperty("comparisonOperator").GetString(), Is.EqualTo("GreaterThanThreshold"));
        Assert.That(inAlarm.GetProperty("comparisonOperator").GetString(), Is.EqualTo("LessThanOrEqualToThreshold"));
        foreach (var (alarm, name) in new[] { (outAlarm, "dev-web-memory-out"), (inAlarm, "dev-web-memory-in") })
        {
            Assert.That(alarm.GetProperty("alarmName").GetString(), Is.EqualTo(name));
            Assert.That(alarm.GetProperty("threshold").GetDouble(), Is.EqualTo(10));
            Assert.That(alarm.GetProperty("namespace").GetString(), Is.EqualTo("AWS/ECS"));
            Assert.That(alarm.GetProperty("metricName").GetString(), Is.EqualTo("MemoryUtilization"));
            Assert.That(alarm.GetProperty("statistic").GetString(), Is.EqualTo("Average"));
            Assert.That(alarm.GetProperty("extendedStatistic").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That((alarm.GetProperty("period").GetInt32(), alarm.GetProperty("evaluationPeriods").GetInt32(), alarm.GetProperty("datapointsToAlarm").GetInt32()), Is.EqualTo((60, 1, 1)));
            Assert.That(alarm.GetProperty("treatMissingData").GetString(), Is.EqualTo("missing"));
            Assert.That(alarm.GetProperty("dimensions").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "ClusterName", "ServiceName" }));
        }

        var finding = plan.GetProperty("flapFindings").EnumerateArray().Single();
        Assert.That(finding.GetProperty("kind").GetString(), Is.EqualTo("sameMetricLoop"));
        Assert.That((finding.GetProperty("firstPolicy").GetString(), finding.GetProperty("secondPolicy").GetString()), Is.EqualTo(("memory-out", "memory-in")));
        Assert.That((finding.GetProperty("capacity").GetInt32(), finding.GetProperty("demand").GetDouble(), finding.GetProperty("capacityAfterFirst").GetInt32(), finding.GetProperty("capacityAfterSecond").GetInt32()), Is.EqualTo((1, 11.0, 2, 1)));
        Assert.That(finding.GetProperty("suggestedScaleInThreshold").GetDouble(), Is.EqualTo(5));
        var diagnostics = plan.GetProperty("diagnostics").EnumerateArray().Select(d => (d.GetProperty("severity").GetString(), d.GetProperty("path").GetString()));
        Assert.That(diagnostics, Is.EqualTo(new[] { ("warning", "loadBalancer.certificateArn"), ("warning", "scaling.policies[0].scaleIn") }));
    }

    [Test]
    public void Plan_ProdJson_BandsBecomeRelativeStepsAboveAndBelowTheirThresholds()
    {
        var plan = Run("plan", Repo.ProdStack, "--format", "json").Json();

        var policies = plan.GetProperty("policies").EnumerateArray().ToList();
        Assert.That(policies.Select(p => p.GetProperty("name").GetString()), Is.EqualTo(new[] { "cpu-out", "cpu-in", "memory-out", "memory-in" }));
        Assert.That(policies.Select(p => p.GetProperty("alarm").GetProperty("comparisonOperator").GetString()), Is.EqualTo(new[] { "GreaterThanOrEqualToThreshold", "LessThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold" }));
        Assert.That(policies.Select(p => p.GetProperty("alarm").GetProperty("threshold").GetDouble()), Is.EqualTo(new[] { 70.0, 30, 75, 30 }));
        Assert.That(policies.Select(p => p.GetProperty("cooldown").GetInt32()), Is.EqualTo(new[] { 120, 300, 120, 300 }));
        Assert.That(Steps(policies[0]), Is.EqualTo(new (double?, double?, int)[] { (0, 15, 1), (15, null, 3) }));
        Assert.That(Steps(policies[1]), Is.EqualTo(new (double?, double?, int)[] { (null, 0, -1) }));
        Assert.That(Steps(policies[2]), Is.EqualTo(new (double?, double?, int)[] { (0, 15, 1), (15, null, 2) }));
        Assert.That(policies[1].GetProperty("alarm").GetProperty("evaluationPeriods").GetInt32(), Is.EqualTo(3));
        Assert.That(plan.GetProperty("flapFindings").GetArrayLength(), Is.Zero);
        Assert.That(plan.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("path").GetString()), Is.EqualTo(new[] { "loadBalancer.certificateArn" }));
    }

    [Test]
    public void Plan_InvalidStackAsJson_ValidFalseWithEveryDiagnosticAndExitOne()
    {
        var path = Stack("Pulumi.bad.yaml", """
            scaling:
              minCapacity: 5
              maxCapacity: 2
              policies:
                - name: cpu
                  metric: CPUUtilization
                  period: 45
                  scaleOut:
                    bands: [{ from: 70, change: 1 }]
            """);

        var result = Run("plan", path, "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        var plan = result.Json();
        Assert.That(plan.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(plan.GetProperty("scalingEnabled").GetBoolean(), Is.False, "an invalid scaling has no spec to show");
        Assert.That(plan.GetProperty("policies").GetArrayLength(), Is.Zero);
        Assert.That(plan.GetProperty("diagnostics").EnumerateArray().Select(d => (d.GetProperty("severity").GetString(), d.GetProperty("path").GetString())), Is.EquivalentTo(new[]
        {
            ("warning", "loadBalancer.certificateArn"),
            ("error", "scaling.maxCapacity"),
            ("error", "scaling.policies[0].period"),
        }));
        Assert.That(result.Errors, Is.EquivalentTo(new[]
        {
            "error: scaling.maxCapacity: must be at least minCapacity (5); got 2",
            "error: scaling.policies[0].period: must be 10, 20, 30 or a multiple of 60 seconds; got 45",
        }));
    }

    [Test]
    public void Plan_ScalingOff_SaysSoAndExitsZero()
    {
        var path = Stack("Pulumi.off.yaml", "scaling:\n  enabled: false");

        var text = Run("plan", path);
        var json = Run("plan", path, "--format", "json");

        Assert.That(text.Exit, Is.EqualTo(0), text.ToString());
        Assert.That(text.StdoutLines[0], Is.EqualTo("Stack off: scaling is off."));
        Assert.That(json.Json().GetProperty("scalingEnabled").GetBoolean(), Is.False);
    }

    [TestCase("yaml")]
    [TestCase("JSON")]
    [TestCase("")]
    public void Plan_UnsupportedFormat_ExitsTwoListingTheFormats(string format)
    {
        var result = Run("plan", Repo.DevStack, "--format", format);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors.Single(), Is.EqualTo($"error: Argument '{format}' not recognized. Must be one of:"));
        Assert.That(result.Stderr, Does.Contain("'text'").And.Contain("'markdown'").And.Contain("'json'"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Plan_FormatWithoutValue_ExitsTwo()
    {
        var result = Run("plan", Repo.DevStack, "--format");

        AssertCleanFailure(result, 2);
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Plan_UnknownOptionBeforeTheFile_ExitsTwoNamingTheOption()
    {
        var result = Run("plan", "--bogus", Repo.DevStack);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Does.Contain("error: unknown option '--bogus'"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Plan_TwoFiles_ExitsTwo()
    {
        var result = Run("plan", Repo.DevStack, Repo.ProdStack);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { $"error: Unrecognized command or argument '{Repo.ProdStack}'." }));
    }
}
