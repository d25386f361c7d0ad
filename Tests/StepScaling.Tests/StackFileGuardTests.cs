using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using StepScaling.Config;
using StepScaling.Validation;
using YamlDotNet.RepresentationModel;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>
/// Hostile or mistaken stack files: text that is not UTF-8, alias bombs, self-referencing aliases, deep nesting, merge
/// keys, keys outside 'config:' or in another project's namespace each end as a diagnostic, quickly, and never as a
/// hang, a stack overflow (which no catch could stop) or a silently ignored key.
/// </summary>
public class StackFileGuardTests
{
    private static (string Path, string Message) Single(StackFile file)
    {
        Assert.That(file.Diagnostics, Has.Length.EqualTo(1), string.Join("\n", file.Diagnostics));
        var d = file.Diagnostics[0];
        Assert.That(d.Severity, Is.EqualTo(Severity.Error));
        return (d.Path, d.Message);
    }

    /// <summary>The billion-laughs shape: each level lists the previous one nine times (9^9 values once expanded).</summary>
    internal static string AliasBomb(string indent = "    ")
    {
        var lines = new List<string> { $"{indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"{indent}l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]");
        }

        return string.Join("\n", lines) + "\n";
    }

    private static StackFile LoadBytes(byte[] bytes)
    {
        var dir = Directory.CreateTempSubdirectory("stepscaling-tests-");
        try
        {
            var path = Path.Combine(dir.FullName, "Pulumi.qa.yaml");
            File.WriteAllBytes(path, bytes);
            return StackFile.Load(path);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Parse_AliasBomb_OneErrorQuickly()
    {
        var watch = Stopwatch.StartNew();

        var file = ParseStack("config:\n  step-scaled-ecs:service:\n" + AliasBomb());

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(Single(file), Is.EqualTo(("service", $"holds more than {StackFile.MaxValues} values once YAML aliases are expanded (an alias bomb?); a stack's config needs far fewer")));
        Assert.That(file.Values, Is.Empty);
    }

    [Test]
    public void Parse_AliasBombAsAKey_RejectedBeforeYamlDotNetHashesIt()
    {
        var watch = Stopwatch.StartNew();

        var file = ParseStack(AliasBomb(indent: string.Empty) + "? *l9\n: x\nconfig: {}\n");

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(Single(file), Is.EqualTo(("Pulumi.test.yaml:11:3", "a mapping key must be text, not a list or a mapping")));
    }

    [TestCase("config:\n  step-scaled-ecs:service:\n    x: &a [1, *a]\n")]
    [TestCase("config:\n  step-scaled-ecs:service: &a\n    x: *a\n")]
    public void Parse_AliasInsideItsOwnAnchor_ErrorNotStackOverflow(string text)
    {
        Assert.That(Single(ParseStack(text)), Is.EqualTo(("service", "refers to itself through the YAML alias '*a', so it never ends")));
    }

    [Test]
    public void Parse_MergeKeyInsideItsOwnAnchor_ErrorNotStackOverflow()
    {
        var file = ParseStack("config:\n  step-scaled-ecs:service: &a\n    name: web\n    <<: *a\n");

        Assert.That(Single(file), Is.EqualTo(("service", "refers to itself through the YAML alias '*a', so it never ends")));
    }

    [TestCase(40)]
    [TestCase(100_000)]
    public void Parse_DeepFlowNesting_ErrorNotStackOverflow(int depth)
    {
        var text = "config:\n  step-scaled-ecs:service:\n    x: " + new string('[', depth) + new string(']', depth) + "\n";

        var (path, message) = Single(ParseStack(text));

        Assert.That(path, Does.StartWith("Pulumi.test.yaml:3:"));
        Assert.That(message, Is.EqualTo($"nests deeper than {StackFile.MaxDepth} levels; a stack file needs far fewer"));
    }

    [Test]
    public void Parse_NestingWithinTheLimit_Read()
    {
        // config (1) → service (2) → x (3) → 29 lists: 32 levels in all.
        var text = "config:\n  step-scaled-ecs:service:\n    x: " + new string('[', 29) + "1" + new string(']', 29) + "\n";

        var file = ParseStack(text);

        Assert.That(file.Diagnostics, Is.Empty);
        Assert.That(file.Values["service"], Is.EqualTo("{\"x\":" + new string('[', 29) + "1" + new string(']', 29) + "}"));
    }

    [Test]
    public void Parse_ComplexKey_Error()
    {
        Assert.That(Single(ParseStack("config:\n  step-scaled-ecs:service:\n    ? [a, b]\n    : 1\n")), Is.EqualTo(("Pulumi.test.yaml:3:7", "a mapping key must be text, not a list or a mapping")));
    }

    [Test]
    public void Parse_MergeKeys_ResolvedWithExplicitKeysWinning()
    {
        var file = ParseStack("""
            config:
              step-scaled-ecs:network: &net
                useDefaultVpc: false
                natGateways: single
              step-scaled-ecs:service:
                <<: [{ name: first, cpu: 512 }, { name: second, memory: 1024 }]
                cpu: 256
            """);

        Assert.That(file.Diagnostics, Is.Empty);
        Assert.That(file.Values["service"], Is.EqualTo("{\"cpu\":256,\"name\":\"first\",\"memory\":1024}"));
        Assert.That(file.Values["network"], Is.EqualTo("{\"useDefaultVpc\":false,\"natGateways\":\"single\"}"));
    }

    [Test]
    public void Parse_MergeKeyInConfig_MergesProjectKeys()
    {
        var file = ParseStack("config:\n  aws:defaultTags: &d\n    step-scaled-ecs:flapCheck: off\n  <<: *d\n");

        Assert.That(file.Values["flapCheck"], Is.EqualTo("off"));
        Assert.That(file.Diagnostics, Is.Empty);
    }

    [Test]
    public void Parse_QuotedMergeKey_IsAnOrdinaryKey()
    {
        var file = ParseStack("config:\n  step-scaled-ecs:service:\n    '<<': { name: x }\n");

        Assert.That(JsonNode.Parse(file.Values["service"])!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[] { "<<" }));
    }

    [TestCase("5")]
    [TestCase("[a, b]")]
    public void Parse_MergeKeyNotAMapping_Error(string value)
    {
        Assert.That(Single(ParseStack($"config:\n  step-scaled-ecs:service:\n    <<: {value}\n")), Is.EqualTo(("service", "a merge key '<<' takes a mapping or a list of mappings, e.g. '<<: *defaults'")));
    }

    [Test]
    public void Parse_ProjectKeysWithoutConfig_ErrorForEachKey()
    {
        var file = ParseStack("step-scaled-ecs:flapCheck: off\naws:region: us-east-1\n");

        Assert.That(file.Diagnostics.Select(d => (d.Severity, d.Path, d.Message)), Is.EqualTo(new[]
        {
            (Severity.Error, "step-scaled-ecs:flapCheck", "is a config key at the top level of the file, where Pulumi does not read it; indent it under 'config:'"),
            (Severity.Error, "aws:region", "is a config key at the top level of the file, where Pulumi does not read it; indent it under 'config:'"),
        }));
        Assert.That(file.Values, Is.Empty);
    }

    [Test]
    public void Parse_MisspeltConfig_Error()
    {
        var (path, message) = Single(ParseStack("confg:\n  step-scaled-ecs:flapCheck: off\n"));

        Assert.That(path, Is.EqualTo("confg"));
        Assert.That(message, Is.EqualTo("unknown top-level key 'confg' (a stack file has config, environment, secretsprovider, encryptedkey, encryptionsalt), and this file has no 'config:'"));
    }

    [Test]
    public void Parse_UnknownTopLevelKeyBesideConfig_WarningOnly()
    {
        var file = ParseStack("x-defaults: &d { useDefaultVpc: true }\nconfig:\n  step-scaled-ecs:network: *d\n");

        Assert.That(file.Diagnostics.Select(d => (d.Severity, d.Path)), Is.EqualTo(new[] { (Severity.Warning, "x-defaults") }));
        Assert.That(file.Values["network"], Is.EqualTo("{\"useDefaultVpc\":true}"));
    }

    [Test]
    public void Parse_ProjectKeyInAnotherNamespace_ErrorNamingTheFix()
    {
        var file = ParseStack("config:\n  aws:region: us-east-1\n  other:thing: 1\n  my-app:scaling:\n    minCapacity: 2\n");

        Assert.That(Single(file), Is.EqualTo(("my-app:scaling", "is in namespace 'my-app', but this project's is 'step-scaled-ecs', so Pulumi does not pass it to the program; write 'step-scaled-ecs:scaling'")));
        Assert.That(file.Values, Is.Empty);
    }

    [Test]
    public void ToJson_SelfReferencingNode_ThrowsInvalidDataException()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader("&a [1, *a]"));

        Assert.That(() => StackFile.ToJson(yaml.Documents[0].RootNode), Throws.InstanceOf<InvalidDataException>());
    }

    [Test]
    public void Load_Latin1Text_ErrorWithLineAndColumnOfTheByte()
    {
        var bytes = Encoding.Latin1.GetBytes("config:\n  step-scaled-ecs:service:\n    name: café\n");

        Assert.That(Single(LoadBytes(bytes)), Is.EqualTo(("Pulumi.qa.yaml:3:14", "not UTF-8 text: byte 0xE9 is not valid UTF-8; save the file as UTF-8")));
    }

    [Test]
    public void Load_BinaryFile_NotUtf8()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D];

        Assert.That(Single(LoadBytes(png)), Is.EqualTo(("Pulumi.qa.yaml:1:1", "not UTF-8 text: byte 0x89 is not valid UTF-8; save the file as UTF-8")));
    }

    [Test]
    public void Load_NulByte_NotATextFile()
    {
        var bytes = Encoding.UTF8.GetBytes("config:\n  step-scaled-ecs:flapCheck: off\0\n");

        Assert.That(Single(LoadBytes(bytes)), Is.EqualTo(("Pulumi.qa.yaml:2:33", "not a text file: it holds a NUL byte; a stack file is UTF-8 YAML")));
    }

    [Test]
    public void Load_Utf8WithByteOrderMark_Read()
    {
        var file = LoadBytes([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("config:\n  step-scaled-ecs:flapCheck: off\n")]);

        Assert.That(file.Diagnostics, Is.Empty);
        Assert.That(file.Values["flapCheck"], Is.EqualTo("off"));
    }

    [Test]
    public void Load_Utf16WithByteOrderMark_Read()
    {
        var file = LoadBytes([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("config:\n  step-scaled-ecs:service:\n    name: café\n")]);

        Assert.That(file.Diagnostics, Is.Empty);
        Assert.That(JsonNode.Parse(file.Values["service"])!["name"]!.GetValue<string>(), Is.EqualTo("café"));
    }

    [Test]
    public void Load_DeeplyNestedPulumiYamlBesideIt_DefaultProjectNoCrash()
    {
        var dir = Directory.CreateTempSubdirectory("stepscaling-tests-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "Pulumi.yaml"), "name: " + new string('[', 100_000) + "\n");
            var path = Path.Combine(dir.FullName, "Pulumi.qa.yaml");
            File.WriteAllText(path, "config:\n  step-scaled-ecs:flapCheck: off\n");

            var file = StackFile.Load(path);

            Assert.That(file.Project, Is.EqualTo(StackFile.DefaultProject));
            Assert.That(file.Values["flapCheck"], Is.EqualTo("off"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
