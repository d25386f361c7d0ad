using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using StepScaling.Config;

namespace StepScaling.Tests;

/// <summary>The one stack-file writer: whatever it writes, the stack-file reader (Pulumi's reading) gives back the same values.</summary>
public class ConfigYamlTests
{
    /// <summary>Text that YAML or Pulumi would read as something else, or that would break the line, if written plain.</summary>
    private static readonly string[] Tricky =
    [
        "Yes", "ON", "off", "y", "N", "0x1F", "0o17", "010", ".inf", "-.Inf", ".NaN", "1e3", "1_000", "+1", "2026-01-02", "2026-1-2 10:00:00",
        "~", "null", "NULL", "true", "False", "", " lead", "trail ", "a: b", "a #b", "#x", "key:", "- x", "[x]", "{x}", "&a", "*a", "!tag", "|",
        ">", "'q'", "\"q\"", "%x", "@x", "`x", "a\nb", "a\rb", "tab\there", "nul\0", "del\u007f", "c1\u0085", "ls\u2028x", "ps\u2029x",
        "rlo\u202Eevil", "bom\uFEFF", "zw\u200B", "back\\slash", "noncharacter\uFFFE", "emoji \U0001F600", "---", "...", "? x", ": x",
    ];

    private static JsonNode? ReadBack(string yaml, out ImmutableArray<StepScaling.Validation.Diagnostic> diagnostics)
    {
        var file = StackFile.Parse(yaml, "Pulumi.t.yaml", StackFile.DefaultProject);
        diagnostics = file.Diagnostics;
        return file.Values.TryGetValue("v", out var json) ? JsonNode.Parse(json) : null;
    }

    private static string Document(JsonNode value) =>
        ConfigYaml.Write(new JsonObject { ["config"] = new JsonObject { [$"{StackFile.DefaultProject}:v"] = value } });

    [TestCaseSource(nameof(Tricky))]
    public void Write_TrickyStringAsValueAndKey_ReadsBackAsTheSameText(string text)
    {
        var yaml = Document(new JsonObject { ["s"] = text, [text.Length == 0 ? "empty" : text] = new JsonArray(text, 1) });

        var back = ReadBack(yaml, out var diagnostics);

        Assert.That(diagnostics, Is.Empty, yaml);
        Assert.That(back!["s"]!.GetValue<string>(), Is.EqualTo(text), yaml);
        Assert.That(back[text.Length == 0 ? "empty" : text]![0]!.GetValue<string>(), Is.EqualTo(text), yaml);
    }

    [TestCaseSource(nameof(Tricky))]
    public void Write_TrickyStringInAComment_StaysOnOneLineWithNoRawControl(string text)
    {
        var yaml = ConfigYaml.Write(new JsonObject { ["config"] = new JsonObject() }, 0, new ConfigYamlOptions { Header = [$"from alarm {text} here"] });

        Assert.That(yaml.Split('\n')[0], Does.StartWith("# from alarm ").And.EndWith(" here"));
        Assert.That(yaml.Count(c => c == '\n'), Is.EqualTo(2));
        Assert.That(yaml.Any(c => char.IsControl(c) && c != '\n' || c is '\u2028' or '\u2029' or '\u202E' or '\u200B' or '\uFEFF'), Is.False);
    }

    [Test]
    public void Write_AnyStringsNumbersAndBooleans_StackFileReadsBackTheSameValues()
    {
        // Any UTF-16 text without lone surrogates (input from JSON or YAML cannot hold them), the tricky ones often.
        var text = Gen.Frequency(
            (3, Gen.String[Gen.Char, 0, 12].Where(s => !HasLoneSurrogate(s))),
            (2, Gen.OneOfConst(Tricky)),
            (1, Gen.String[Gen.Char.AlphaNumeric, 1, 8]));
        var number = Gen.Double.Where(double.IsFinite);
        var scalar = Gen.OneOf(text.Select(s => (JsonNode?)JsonValue.Create(s)), number.Select(d => (JsonNode?)JsonValue.Create(d)), Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)));
        var flat = Gen.Select(text.Array[1, 4], scalar.Array[4]).Select(p => Object(p.Item1, p.Item2));
        var tree = Gen.Select(text.Array[1, 3], flat.Array[1, 3], scalar.Array[3], Gen.Bool).Select(p =>
        {
            var list = new JsonArray([.. p.Item2.Cast<JsonNode?>(), .. p.Item3.Select(s => s?.DeepClone())]);
            return Object(p.Item1, [list, p.Item2[0].DeepClone(), p.Item3[0]?.DeepClone()]);
        });

        tree.Sample(
            value =>
            {
                var back = ReadBack(Document(value.DeepClone()), out var diagnostics);
                return diagnostics.IsEmpty && Same(value, back);
            },
            iter: 300,
            print: v => v.ToJsonString());
    }

    [Test]
    public void Write_FlatListItemsInFlow_ReadBackAndLookAsBefore()
    {
        var yaml = ConfigYaml.Write(new JsonObject { ["bands"] = new JsonArray(new JsonObject { ["from"] = 70, ["to"] = 85.5, ["change"] = 1 }, new JsonObject { ["note"] = "a: b, c" }) }, 2, new ConfigYamlOptions { FlowFlatItems = true });

        Assert.That(yaml, Is.EqualTo("  bands:\n  - {from: 70, to: 85.5, change: 1}\n  - {note: \"a: b, c\"}\n"));
    }

    [TestCase("0x1F")]
    [TestCase(".inf")]
    [TestCase("Yes")]
    [TestCase("2026-01-02")]
    [TestCase("a\u2028b")]
    public void TuningYamlScalingBlock_StringsPulumiWouldRetype_ReadBackAsWritten(string text)
    {
        var scaling = new JsonObject { ["minCapacity"] = 1, ["policies"] = new JsonArray(new JsonObject { ["name"] = text, ["metric"] = "CPUUtilization" }) };
        var block = Tuning.TuningYaml.ScalingBlock(StackFile.DefaultProject, scaling.ToJsonString(), new Model.ScalingDefinition { Policies = [] }, []);

        var file = StackFile.Parse("config:\n" + block, "Pulumi.t.yaml", StackFile.DefaultProject);

        Assert.That(file.Diagnostics, Is.Empty, block);
        Assert.That(JsonNode.Parse(file.Values["scaling"])!["policies"]![0]!["name"]!.GetValue<string>(), Is.EqualTo(text), block);
    }

    [TestCase(-0.0, "-0.0")]
    [TestCase(0.1, "0.1")]
    [TestCase(1e21, "1E+21")]
    [TestCase(39.74200150301644 * 2, "79.48400300603288")]
    public void Number_Doubles_ShortestRoundTripForm(double value, string expected) =>
        Assert.That(ConfigYaml.Number(value), Is.EqualTo(expected));

    [Test]
    public void Number_NotFinite_Throws() =>
        Assert.That(() => ConfigYaml.Number(double.PositiveInfinity), Throws.ArgumentException);

    private static JsonObject Object(string[] keys, JsonNode?[] values)
    {
        var o = new JsonObject();
        for (var i = 0; i < values.Length; i++)
        {
            o[$"{keys[i % keys.Length]}{(i < keys.Length ? string.Empty : i)}"] = values[i];
        }

        return o;
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Same shape, same text, bit-identical doubles.</summary>
    private static bool Same(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(kv => y.TryGetPropertyValue(kv.Key, out var v) && Same(kv.Value, v)),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second)),
        (JsonValue x, JsonValue y) when x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number =>
            BitConverter.DoubleToInt64Bits(x.GetValue<double>()) == BitConverter.DoubleToInt64Bits(y.GetValue<double>()),
        (JsonValue x, JsonValue y) => x.GetValueKind() == y.GetValueKind() && x.ToJsonString() == y.ToJsonString(),
        _ => false,
    };
}
