namespace StepScale.Tests;

/// <summary><c>stepscale check</c>: exit codes, every error at once, flap findings as the stack's flapCheck says.</summary>
public class CheckCommandTests : CliTest
{
    private const string EveryRuleBroken = """
        scaling:
          minCapacity: 5
          maxCapacity: 2
          policies:
            - name: cpu
              metric: CPUUtilization
              period: 45
              scaleOut:
                evaluationPeriods: 1
                datapointsToAlarm: 3
                bands:
                  - { from: 20, to: 35, change: 1 }
                  - { from: 30, change: 2 }
              scaleIn:
                bands:
                  - { to: 10, change: -1 }
        """;

    [Test]
    public void Check_DevStack_ExitsZeroWithTheFlapCounterExampleAsAWarning()
    {
        var result = Run("check", Repo.DevStack);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings, Has.Count.EqualTo(2));
        Assert.That(result.Warnings[0], Is.EqualTo(CliResult.HttpOnly), "dev has no certificate");
        Assert.That(result.Warnings[1], Does.StartWith($"warning: scaling.policies[0].scaleIn: {DevLoop}"));
        Assert.That(result.StdoutLines, Is.EqualTo(new[]
        {
            $"{Repo.DevStack}: ok (2 policies, 2 warnings, 1 flap finding)",
            $"  image: {DevImage}",
        }));
    }

    [Test]
    public void Check_ProdStack_ExitsZeroWithoutFindings()
    {
        var result = Run("check", Repo.ProdStack);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { CliResult.HttpOnly }), "prod's certificate is a placeholder in a comment until the user sets one");
        Assert.That(result.StdoutLines, Is.EqualTo(new[] { $"{Repo.ProdStack}: ok (4 policies, 1 warning, 0 flap findings)" }));
    }

    [Test]
    public void Check_SeveralFiles_EachSummarisedAndFindingsPrefixedWithTheirFile()
    {
        var result = Run("check", Repo.DevStack, Repo.ProdStack);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[]
        {
            $"{Repo.DevStack}: ok (2 policies, 2 warnings, 1 flap finding)",
            $"  image: {DevImage}",
            $"{Repo.ProdStack}: ok (4 policies, 1 warning, 0 flap findings)",
        }));
        Assert.That(result.OtherWarnings.Single(), Does.StartWith($"warning: Pulumi.dev.yaml#scaling.policies[0].scaleIn: {DevLoop}"));
    }

    [Test]
    public void Check_ValidAndInvalidFiles_ExitsOneAndStillChecksEveryFile()
    {
        var bad = Stack("Pulumi.bad.yaml", "flapCheck: loud");

        var result = Run("check", bad, Repo.ProdStack);

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        Assert.That(result.Errors, Is.EqualTo(new[] { "error: Pulumi.bad.yaml#flapCheck: must be one of warn, error, off; got 'loud'" }));
        Assert.That(result.StdoutLines, Is.EqualTo(new[] { $"{bad}: 1 error, 1 warning", $"{Repo.ProdStack}: ok (4 policies, 1 warning, 0 flap findings)" }));
    }

    [Test]
    public void Check_CpuBandAbove100_OkWithAWarningNamingTheBandAndTheValue()
    {
        var stack = Stack("Pulumi.hot.yaml", """
            scaling:
              minCapacity: 1
              maxCapacity: 8
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut: { bands: [{ from: 70, to: 120, change: 1 }, { from: 120, change: 4 }] }
                  scaleIn: { bands: [{ to: 30, change: -1 }] }
            """);

        var result = Run("check", stack);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.OtherWarnings, Is.EqualTo(new[]
        {
            "warning: scaling.policies[0].scaleOut.bands[1]: starts at 120 %, but CPUUtilization never reads above 100 % on Fargate (a task cannot use more than it reserved): this step can never trigger",
        }));
    }

    [Test]
    public void Check_MissingAndInvalidFiles_ExitsTwoForTheUnreadableOne()
    {
        var bad = Stack("Pulumi.bad.yaml", "flapCheck: loud");
        var missing = Path.Combine(Dir, "Pulumi.missing.yaml");

        var result = Run("check", missing, bad);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Has.Count.EqualTo(2));
        Assert.That(result.Errors[0], Does.StartWith($"error: {missing}: cannot read the file: "));
        Assert.That(result.Errors[1], Is.EqualTo("error: Pulumi.bad.yaml#flapCheck: must be one of warn, error, off; got 'loud'"));
    }

    [Test]
    public void Check_EveryRuleBroken_ExitsOneAndListsEveryErrorWithFieldAndValue()
    {
        var result = Run("check", Stack("Pulumi.bad.yaml", EveryRuleBroken));

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Is.EquivalentTo(new[]
        {
            "error: scaling.maxCapacity: must be at least minCapacity (5); got 2",
            "error: scaling.policies[0].period: must be 10, 20, 30 or a multiple of 60 seconds; got 45",
            "error: scaling.policies[0].scaleOut.bands[1]: bands overlap: [20, 35) and [30, +inf)",
            "error: scaling.policies[0].scaleOut.datapointsToAlarm: must be between 1 and evaluationPeriods (1); got 3",
        }));
        Assert.That(result.StdoutLines.Single(), Does.EndWith(": 4 errors, 1 warning"));
    }

    [Test]
    public void Check_ConfigShapeErrorsInSeveralKeys_AllListed()
    {
        var result = Run("check", Stack("Pulumi.bad.yaml", """
            service:
              cpu: 300
              memmory: 512
            network:
              vpcCidr: 10.0.0.0/8
            scaling:
              minCapacity: two
              policies: { name: cpu }
            """));

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Is.EquivalentTo(new[]
        {
            "error: service.memmory: unknown key 'memmory'; did you mean 'memory'?",
            "error: service.cpu: must be a Fargate CPU value (256, 512, 1024, 2048, 4096, 8192, 16384); got 300",
            "error: network.vpcCidr: must be an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16; got '10.0.0.0/8'",
            "error: scaling.minCapacity: must be a number; got 'two'",
            "error: scaling.policies: must be a list; got a mapping",
        }));
    }

    [Test]
    public void Check_DevWithFlapCheckError_ExitsOneWithTheLoopAsAnError()
    {
        var result = Run("check", DevWith("flapCheck: error"));

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors.Single(), Does.StartWith($"error: scaling.policies[0].scaleIn: {DevLoop}"));
        Assert.That(result.OtherWarnings, Is.Empty);
        Assert.That(result.StdoutLines.Single(), Does.EndWith(": 1 error, 1 warning"));
    }

    [Test]
    public void Check_DevWithFlapCheckOff_NoFinding()
    {
        var result = Run("check", DevWith("flapCheck: off"));

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { CliResult.HttpOnly }));
        Assert.That(result.StdoutLines, Has.Count.EqualTo(2).And.Some.EndWith(": ok (2 policies, 1 warning, 0 flap findings)"));
    }

    [Test]
    public void Check_DevWithFlapCheckWarn_SameAsTheDefault()
    {
        var result = Run("check", DevWith("flapCheck: warn"));

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.OtherWarnings.Single(), Does.StartWith($"warning: scaling.policies[0].scaleIn: {DevLoop}"));
    }

    [Test]
    public void Check_SecurityMistakes_ExitsOneNamingEachFieldRuleAndValue()
    {
        var result = Run("check", Stack("Pulumi.bad.yaml", """
            service:
              user: root
              writablePaths: [var/cache]
            loadBalancer:
              certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
              sslPolicy: ELBSecurityPolicy-TLS-1-3-2099
            alerts:
              topicArn: arn:aws:sns:useast1:123456789012:on-call
            """));

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Is.EquivalentTo(new[]
        {
            "error: service.user: must not be root (root, 0, 0:0 …) unless service.allowRoot is true; got 'root'",
            "error: service.writablePaths[0]: must be an absolute path starting with '/', e.g. /tmp; got 'var/cache'",
            "error: loadBalancer.sslPolicy: must be a predefined ALB security policy (\"Security policies for your Application Load Balancer\"), e.g. ELBSecurityPolicy-TLS13-1-2-2021-06; got 'ELBSecurityPolicy-TLS-1-3-2099'",
            "error: alerts.topicArn: must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC-NAME, e.g. arn:aws:sns:us-east-1:123456789012:alerts); 'useast1' is not a region code such as us-east-1; got 'arn:aws:sns:useast1:123456789012:on-call'",
        }));
        Assert.That(result.OtherWarnings, Has.Some.StartsWith("warning: alerts.capacityExhaustedMinutes: scaling is off"));
        Assert.That(result.Warnings, Has.None.EqualTo(CliResult.HttpOnly), "a certificate is set");
    }

    [Test]
    public void Check_UnknownKeys_NamedAsUnknownWithTheKnownOnes()
    {
        var result = Run("check", Stack("Pulumi.bad.yaml", """
            bogus: 1
            scaling:
              minCapcity: 1
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut:
                    bands: [{ from: 70, change: 1 }]
                    colldown: 60
            """));

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Is.EquivalentTo(new[]
        {
            "error: bogus: unknown config key 'bogus' (known keys: service, network, scaling, flapCheck, loadBalancer, alerts, acknowledge)",
            "error: scaling.minCapcity: unknown key 'minCapcity'; did you mean 'minCapacity'?",
            "error: scaling.policies[0].scaleOut.colldown: unknown key 'colldown'; did you mean 'cooldown'?",
        }));
    }

    [Test]
    public void Check_MissingFile_ExitsTwo()
    {
        var missing = Path.Combine(Dir, "Pulumi.nope.yaml");

        var result = Run("check", missing);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors.Single(), Does.StartWith($"error: {missing}: cannot read the file: Could not find file"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Check_Directory_ExitsTwoSayingSo()
    {
        var result = Run("check", Dir);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { $"error: {Dir}: is a directory, not a stack file" }));
    }

    [Test]
    public void Run_NoArguments_ExitsTwoWithUsage()
    {
        var result = Run();

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { "error: Required command was not provided." }));
        Assert.That(result.StderrLines[^1], Is.EqualTo("Run 'stepscale --help' for usage."));
    }

    [Test]
    public void Check_NoFile_ExitsTwo()
    {
        var result = Run("check");

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { "error: Required argument missing for command: 'check'." }));
    }

    [Test]
    public void Run_UnknownCommand_ExitsTwoNamingIt()
    {
        var result = Run("chekc", Repo.DevStack);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Does.Contain("error: Unrecognized command or argument 'chekc'."));
    }

    [TestCase("--bogus")]
    [TestCase("-x")]
    public void Check_UnknownOptionBeforeTheFile_ExitsTwoNamingTheOptionAndChecksNothing(string option)
    {
        var result = Run("check", option, Repo.DevStack);

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { $"error: unknown option '{option}'" }));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Check_UnknownOptionAfterTheFile_ExitsTwoNamingTheOption()
    {
        var result = Run("check", Repo.DevStack, "--strict");

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors, Is.EqualTo(new[] { "error: unknown option '--strict'" }));
    }

    [Test]
    public void Help_ListsTheCommands()
    {
        var result = Run("--help");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain("check").And.Contain("plan").And.Contain("simulate").And.Contain("traces"));
    }

    [Test]
    public void Check_ProdWithHttpsAcknowledged_NoWarningLineAndTheSummaryCountsItAsAcknowledged()
    {
        var stack = Write("Pulumi.prod.yaml", File.ReadAllText(Repo.ProdStack).Replace("config:\n", "config:\n  step-scaled-ecs:acknowledge:\n    - rule: lb.https\n      reason: TLS ends at CloudFront\n", StringComparison.Ordinal));

        var result = Run("check", stack);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StderrLines, Is.Empty);
        Assert.That(result.StdoutLines, Is.EqualTo(new[] { $"{stack}: ok (4 policies, 0 warnings, 1 acknowledged, 0 flap findings)" }));
        var plan = Run("plan", stack);
        Assert.That(plan.StdoutLines, Does.Contain(CliResult.HttpOnly.Replace("warning:", "acknowledged:", StringComparison.Ordinal) + " (lb.https: TLS ends at CloudFront)"));
        Assert.That(plan.StdoutLines, Has.None.StartsWith("warning:"));
    }

    [Test]
    public void Check_AcknowledgingAnUnknownRule_ErrorNamingTheEntry()
    {
        var result = Run("check", DevWith("acknowledge: [{ rule: lb.http, reason: typo }]"));

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        Assert.That(result.Errors, Has.Some.StartsWith("error: acknowledge[0].rule: 'lb.http' is not a rule id;"));
    }

    [Test]
    public void Check_AcknowledgementThatMatchesNoWarning_ANoteNotAWarning()
    {
        var result = Run("check", DevWith("acknowledge: [{ rule: service.root-user, reason: the image needs root }]"));

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StderrLines, Does.Contain("note: acknowledge[0]: acknowledges service.root-user, but this stack raises no such warning; remove the entry"));
        Assert.That(result.StdoutLines[0], Does.Contain(": ok (").And.Not.Contain("acknowledged"));
    }
}
