using StepScaling.Config;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>
/// Values are read the way Pulumi reads the stack file (gopkg.in/yaml.v3, then config.ParseKey), or rejected with a
/// message that says how Pulumi reads them.
/// </summary>
public class PulumiReadingTests
{
    private static string Service(string yaml) => ParseStack(StackYaml("service:\n" + yaml)).Values["service"];

    private static IReadOnlyList<(string Path, string Message)> FileErrors(string projectKeys) => Errors(ParseStack(StackYaml(projectKeys)).Diagnostics);

    [Test]
    public void Plan_LeadingZeroCapacity_OctalAsPulumiReadsItIsAnError()
    {
        var file = ParseStack(StackYaml("scaling:\n  maxCapacity: 010\n  policies:\n    - { name: cpu, metric: CPUUtilization, scaleOut: { bands: [ { from: 70, change: 1 } ] } }"));
        var plan = Planning.StackPlanner.Plan(file);

        Assert.That(file.Values["scaling"], Does.Contain("\"maxCapacity\":8"));
        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[]
        {
            ("scaling.maxCapacity", "is 010, which Pulumi reads as an octal number (010 = 8), as YAML 1.1 did; write 8, or quote it (\"010\") for text"),
        }));
    }

    [TestCase("0o10", "8")]
    [TestCase("0x1F", "31")]
    [TestCase("0b101", "5")]
    [TestCase("-0x10", "-16")]
    [TestCase("1_000", "1000")]
    [TestCase("+5", "5")]
    [TestCase("08", "8")]
    [TestCase("0", "0")]
    [TestCase(".5", "0.5")]
    [TestCase("1.", "1")]
    [TestCase("1.50", "1.5")]
    [TestCase("1e3", "1000")]
    [TestCase("1e21", "1e+21")]
    [TestCase("0.0000001", "1e-7")]
    [TestCase("1.5e20", "150000000000000000000")]
    [TestCase("9223372036854775808", "9223372036854775808")]
    [TestCase("1e400", "\"1e400\"")]
    [TestCase("0x", "\"0x\"")]
    [TestCase("1:30", "\"1:30\"")]
    [TestCase("yes", "\"yes\"")]
    [TestCase("off", "\"off\"")]
    [TestCase("True", "true")]
    [TestCase("~", "null")]
    [TestCase("'010'", "\"010\"")]
    [TestCase("!!str 10", "\"10\"")]
    [TestCase("!!int \"4\"", "4")]
    [TestCase("!!float 3", "3")]
    [TestCase("! 10", "\"10\"")]
    [TestCase("!!binary d2Vi", "\"web\"")]
    public void ToJson_PlainScalar_AsYamlV3ReadsIt(string literal, string json)
    {
        var file = ParseStack(StackYaml($"service:\n  x: {literal}"));

        Assert.That(file.Values["service"], Is.EqualTo($"{{\"x\":{json}}}"));
        Assert.That(file.Diagnostics, Is.Empty);
    }

    [TestCase("!!int abc", "service.x", "is tagged !!int but 'abc' reads as !!str, so Pulumi cannot load the stack file; remove the tag or fix the value")]
    [TestCase("!!bool yes", "service.x", "is tagged !!bool but 'yes' reads as !!str, so Pulumi cannot load the stack file; remove the tag or fix the value")]
    [TestCase("!!binary not*base64", "service.x", "is tagged !!binary but is not base64, so Pulumi cannot load the stack file; remove the tag or fix the value")]
    [TestCase("!Ref web", "service.x", "has the YAML tag '!Ref', which Pulumi ignores: it reads the value as the text 'web'; remove the tag")]
    [TestCase(".nan", "service.x", "is .nan, which Pulumi reads as a float that JSON cannot hold, so Pulumi cannot load the stack file; use a finite number")]
    [TestCase("2024-01-31", "service.x", "is an unquoted date, which Pulumi reads as a timestamp and passes on reformatted (as '2006-01-02 15:04:05 +0000 UTC'); quote it (\"2024-01-31\") to keep the text")]
    [TestCase("!!int 017", "service.x", "is 017, which Pulumi reads as an octal number (017 = 15), as YAML 1.1 did; write 15, or quote it (\"017\") for text")]
    public void Parse_ValuePulumiReadsDifferently_ErrorSaysHow(string literal, string path, string message)
    {
        Assert.That(FileErrors($"service:\n  x: {literal}"), Is.EqualTo(new[] { (path, message) }));
    }

    [TestCase("010", "the key '010' is read by Pulumi as '8', not as the text written; quote it")]
    [TestCase("0x10", "the key '0x10' is read by Pulumi as '16', not as the text written; quote it")]
    [TestCase("1.5", "the key '1.5' is read by Pulumi as a number, not as the text written; quote it")]
    [TestCase("~", "the key '~' is read by Pulumi as '<nil>', not as the text written; quote it")]
    [TestCase("True", "the key 'True' is read by Pulumi as 'true', not as the text written; quote it")]
    public void Parse_MappingKeyPulumiReformats_Error(string key, string message)
    {
        var errors = FileErrors($"service:\n  environment:\n    {key}: x");

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Message, Is.EqualTo(key == "010" ? "is 010, which Pulumi reads as an octal number (010 = 8), as YAML 1.1 did; write 8, or quote it (\"010\") for text" : message));
    }

    [Test]
    public void Parse_IntegerKeyAsWritten_Accepted()
    {
        Assert.That(Service("  environment:\n    1: x\n    true: y"), Is.EqualTo("{\"environment\":{\"1\":\"x\",\"true\":\"y\"}}"));
    }

    [Test]
    public void Parse_YesForABoolean_TextAsPulumiPassesIt()
    {
        Assert.That(Errors(Map("service:\n  assignPublicIp: yes").Diagnostics), Is.EqualTo(new[] { ("service.assignPublicIp", "must be true or false; got text 'yes'") }));
    }

    // ---- Config keys: config.ParseKey ----

    [Test]
    public void Parse_KeyWithoutNamespace_PulumiRefusesIt()
    {
        var file = ParseStack("config:\n  scaling:\n    maxCapacity: 3\n");

        Assert.That(file.Values, Is.Empty);
        Assert.That(Errors(file.Diagnostics), Is.EqualTo(new[] { ("scaling", "has no namespace, so Pulumi refuses this stack file: a config key is '<namespace>:<name>'; write 'step-scaled-ecs:scaling'") }));
    }

    [Test]
    public void Parse_OlderConfigForm_ReadAsPulumiReadsIt()
    {
        var file = ParseStack("config:\n  step-scaled-ecs:config:flapCheck: error\n  aws:config:region: us-east-1\n");

        Assert.That(file.Diagnostics, Is.Empty);
        Assert.That(file.Values["flapCheck"], Is.EqualTo("error"));
    }

    [Test]
    public void Parse_BothFormsOfOneKey_Error()
    {
        var file = ParseStack("config:\n  step-scaled-ecs:flapCheck: error\n  step-scaled-ecs:config:flapCheck: off\n");

        Assert.That(Errors(file.Diagnostics), Is.EqualTo(new[] { ("step-scaled-ecs:config:flapCheck", "is the same config key as 'step-scaled-ecs:flapCheck' ('<namespace>:config:<name>' is the older form of '<namespace>:<name>'); Pulumi would keep either one; give it once") }));
        Assert.That(file.Values["flapCheck"], Is.EqualTo("error"));
    }

    [TestCase("step-scaled-ecs:a:flapCheck")]
    [TestCase("step-scaled-ecs:config:a:b")]
    public void Parse_KeyWithTooManyParts_PulumiRefusesIt(string key)
    {
        var file = ParseStack($"config:\n  {key}: error\n");

        Assert.That(Errors(file.Diagnostics), Is.EqualTo(new[] { (key, $"is not a config key Pulumi can read: a key is '<namespace>:<name>' (or the older '<namespace>:config:<name>'), e.g. 'step-scaled-ecs:{key[(key.LastIndexOf(':') + 1)..]}'; Pulumi refuses this stack file") }));
    }

    [TestCase("a:b", "a", "b")]
    [TestCase("a:config:b", "a", "b")]
    [TestCase(":b", "", "b")]
    public void ParseKey_PulumisForms_NamespaceAndName(string key, string ns, string name)
    {
        Assert.That(StackFile.ParseKey(key), Is.EqualTo((ns, name)));
    }

    [TestCase("scaling")]
    [TestCase("a:b:c")]
    [TestCase("a:b:c:d")]
    public void ParseKey_OtherForms_Null(string key)
    {
        Assert.That(StackFile.ParseKey(key), Is.Null);
    }

    [Test]
    public void Parse_DuplicateKeyInAValue_Error()
    {
        // yaml.v3 refuses a repeated key too ("mapping key already defined").
        var errors = FileErrors("service:\n  cpu: 256\n  cpu: 512");

        Assert.That(errors, Is.EqualTo(new[] { ("Pulumi.test.yaml:5:5", "malformed YAML: Duplicate key cpu") }));
    }
}
