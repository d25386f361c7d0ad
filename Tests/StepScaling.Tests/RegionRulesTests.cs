using StepScaling.Testing;
using StepScaling.Validation;

namespace StepScaling.Tests;

/// <summary><c>aws:region</c> against the regions of the pinned provider (@pulumi/aws 7.48.0 <c>types/enums/index.d.ts</c>).</summary>
public class RegionRulesTests
{
    [TestCase("us-east-1")]
    [TestCase("eu-central-2")]
    [TestCase("us-isof-south-1")]
    [TestCase("eusc-de-east-1")]
    public void Check_KnownRegion_NoFinding(string region)
    {
        Assert.That(RegionRules.Check("aws:region", region), Is.Empty);
    }

    [TestCase("us-east-9", "us-east-1")]
    [TestCase("eu-wset-1", "eu-west-1")]
    [TestCase("US-EAST-2", "us-east-2")]
    [TestCase("useast1", "us-east-1")]
    [TestCase("ap-southeast-12", "ap-southeast-1")]
    public void Check_UnknownRegion_WarningNamingTheKeyAndTheClosestKnownRegion(string region, string closest)
    {
        var finding = RegionRules.Check("aws:region", region).Single();

        Assert.That(finding.Severity, Is.EqualTo(Severity.Warning), "new regions appear: never an error");
        Assert.That(finding.Path, Is.EqualTo("aws:region"));
        Assert.That(finding.Message, Does.StartWith($"'{region}' is not a region Pulumi.Aws 7.48.0 knows; did you mean '{closest}'?"));
    }

    [Test]
    public void Check_HostileRegion_EscapedInTheWarning()
    {
        var finding = RegionRules.Check("aws:region", "us-east-1\nerror: forged").Single();

        Assert.That(finding.Message, Does.StartWith("'us-east-1\\nerror: forged' is not a region"));
    }

    [Test]
    public void Known_TheProvidersRegionEnum_SameSet()
    {
        // Tests/Fixtures/pulumi-aws holds the Region enum of @pulumi/aws 7.48.0 (types/enums/index.d.ts) verbatim.
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "Tests", "Fixtures", "pulumi-aws", "region-enum-7.48.0.d.ts.txt"));
        var regions = System.Text.RegularExpressions.Regex.Matches(text, "\"([a-z0-9-]+)\"").Select(m => m.Groups[1].Value);

        Assert.That(RegionRules.Known, Is.EqualTo(regions));
    }

    [Test]
    public void Distance_Levenshtein()
    {
        Assert.That(RegionRules.Distance("kitten", "sitting"), Is.EqualTo(3));
        Assert.That(RegionRules.Distance(string.Empty, "abc"), Is.EqualTo(3));
        Assert.That(RegionRules.Distance("us-east-1", "us-east-1"), Is.Zero);
    }

    [Test]
    public void StackFile_AwsRegionUnknown_WarningFromTheFile()
    {
        var file = Config.StackFile.Parse("config:\n  aws:region: us-east-9\n", Path.Combine(RepositoryFiles.Root, "Pulumi.x.yaml"), "step-scaled-ecs");

        Assert.That(file.Diagnostics.Select(d => d.ToString()), Has.Some.StartWith("warning: aws:region: 'us-east-9' is not a region Pulumi.Aws 7.48.0 knows; did you mean 'us-east-1'?"));
    }
}
