using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using StepScaling.Simulation;

namespace StepScale.Tests;

/// <summary>
/// Stack files that are broken, hostile or mistaken: every one ends with a clear <c>error: &lt;where&gt;: &lt;rule&gt;</c>
/// line and exit code 1 (or 2 when the file cannot be read at all), never a stack trace, a hang or a crash — through
/// check, plan and simulate alike.
/// </summary>
public class NastyInputTests : CliTest
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(30);

    /// <summary>(name, file bytes, the error line check prints for it).</summary>
    public static IEnumerable<TestCaseData> BadFiles()
    {
        static TestCaseData Case(string name, string text, string error) => Case2(name, Encoding.UTF8.GetBytes(text), error);
        static TestCaseData Case2(string name, byte[] bytes, string error) => new TestCaseData(bytes, error).SetArgDisplayNames(name);

        yield return Case("unclosed bracket", "config:\n  step-scaled-ecs:scaling: [1, 2\n",
            "error: Pulumi.nasty.yaml:3:1: malformed YAML: While parsing a flow sequence, did not find expected ',' or ']'.");
        yield return Case("unclosed bracket then a key", "config:\n  step-scaled-ecs:scaling: {minCapacity: 1\n  other: 2\n",
            "error: Pulumi.nasty.yaml: malformed YAML: the parser gave up (");
        yield return Case("unclosed quote", "config:\n  step-scaled-ecs:scaling:\n    minCapacity: \"abc\n",
            "error: Pulumi.nasty.yaml:3:18: malformed YAML: While scanning a quoted scalar, found unexpected end of stream.");
        yield return Case("tab indentation", "config:\n\tstep-scaled-ecs:flapCheck: warn\n",
            "error: Pulumi.nasty.yaml:1:1: malformed YAML: While scanning a mapping, found invalid tab as indentation.");
        yield return Case("duplicate config key", "config:\n  step-scaled-ecs:flapCheck: warn\n  step-scaled-ecs:flapCheck: off\n",
            "error: Pulumi.nasty.yaml:3:3: malformed YAML: Duplicate key step-scaled-ecs:flapCheck");
        yield return Case("duplicate nested key", "config:\n  step-scaled-ecs:scaling:\n    minCapacity: 1\n    minCapacity: 2\n",
            "error: Pulumi.nasty.yaml:4:5: malformed YAML: Duplicate key minCapacity");
        yield return Case("undefined alias", "config:\n  step-scaled-ecs:service: *nothere\n",
            "error: Pulumi.nasty.yaml:1:1: malformed YAML: The anchor 'nothere' does not exists");
        yield return Case("alias inside its own anchor", "config:\n  step-scaled-ecs:service:\n    x: &a [1, *a]\n",
            "error: service: refers to itself through the YAML alias '*a', so it never ends");
        yield return Case("merge key inside its own anchor", "config:\n  step-scaled-ecs:service: &a\n    name: web\n    <<: *a\n",
            "error: service: refers to itself through the YAML alias '*a', so it never ends");
        yield return Case("merge key with a number", "config:\n  step-scaled-ecs:service:\n    <<: 5\n",
            "error: service: a merge key '<<' takes a mapping or a list of mappings, e.g. '<<: *defaults'");
        yield return Case("alias bomb", "config:\n  step-scaled-ecs:service:\n" + AliasBomb("    "),
            "error: service: holds more than 10000 values once YAML aliases are expanded (an alias bomb?); a stack's config needs far fewer");
        yield return Case("alias bomb as a key", AliasBomb(string.Empty) + "? *l9\n: x\nconfig: {}\n",
            "error: Pulumi.nasty.yaml:11:3: a mapping key must be text, not a list or a mapping");
        yield return Case("deep nesting", "config:\n  step-scaled-ecs:service:\n    x: " + new string('[', 100_000) + new string(']', 100_000) + "\n",
            "error: Pulumi.nasty.yaml:3:37: nests deeper than 32 levels; a stack file needs far fewer");
        yield return Case("string where a number goes", "config:\n  step-scaled-ecs:scaling:\n    minCapacity: two\n",
            "error: scaling.minCapacity: must be a number; got 'two'");
        yield return Case("list where a mapping goes", "config:\n  step-scaled-ecs:scaling: [1, 2]\n",
            "error: scaling: must be a mapping (key: value pairs); got a list");
        yield return Case("text where a mapping goes", "config:\n  step-scaled-ecs:service: hello\n",
            "error: service: must be a mapping (key: value pairs); got text 'hello'");
        yield return Case("mapping where a list goes", "config:\n  step-scaled-ecs:scaling:\n    policies: { name: cpu }\n",
            "error: scaling.policies: must be a list; got a mapping");
        yield return Case("boolean where a number goes", "config:\n  step-scaled-ecs:scaling:\n    maxCapacity: true\n",
            "error: scaling.maxCapacity: must be a number; got a boolean (true)");
        yield return Case("list where text goes", "config:\n  step-scaled-ecs:flapCheck: [error]\n",
            "error: flapCheck: must be one of warn, error, off; got '[\"error\"]'");
        yield return Case("huge number", "config:\n  step-scaled-ecs:scaling:\n    minCapacity: 1e400\n",
            "error: scaling.minCapacity: must be a finite number; got 1e400");
        yield return Case("huge negative threshold", "config:\n  step-scaled-ecs:scaling:\n    policies:\n      - name: cpu\n        metric: CPUUtilization\n        scaleOut:\n          bands: [{ from: -1e400, change: 1 }]\n",
            "error: scaling.policies[0].scaleOut.bands[0].from: must be a finite number; got -1e400");
        yield return Case("infinity", "config:\n  step-scaled-ecs:scaling:\n    maxCapacity: .inf\n",
            "error: scaling.maxCapacity: is .inf, which Pulumi reads as a float that JSON cannot hold, so Pulumi cannot load the stack file; use a finite number");
        yield return Case("not a number", "config:\n  step-scaled-ecs:scaling:\n    policies:\n      - name: cpu\n        metric: CPUUtilization\n        loadRatio: .nan\n",
            "error: scaling.policies[0].loadRatio: is .nan, which Pulumi reads as a float that JSON cannot hold, so Pulumi cannot load the stack file; use a finite number");
        yield return Case("whole number too large", "config:\n  step-scaled-ecs:service:\n    containerPort: 99999999999999999999\n",
            "error: service.containerPort: must be a whole number from 1 to 65535; got 1E+20");
        yield return Case("fraction where a whole number goes", "config:\n  step-scaled-ecs:service:\n    cpu: 256.5\n",
            "error: service.cpu: must be a Fargate CPU value (256, 512, 1024, 2048, 4096, 8192, 16384); got 256.5");
        yield return Case("negative cpu", "config:\n  step-scaled-ecs:service:\n    cpu: -256\n",
            "error: service.cpu: must be a Fargate CPU value (256, 512, 1024, 2048, 4096, 8192, 16384); got -256");
        yield return Case("negative capacity", "config:\n  step-scaled-ecs:scaling:\n    minCapacity: -1\n",
            "error: scaling.minCapacity: must be a whole number from 0 to 10000; got -1");
        yield return Case("negative cooldown", "config:\n  step-scaled-ecs:scaling:\n    policies:\n      - name: cpu\n        metric: CPUUtilization\n        scaleOut:\n          cooldown: -60\n          bands: [{ from: 70, change: 1 }]\n",
            "error: scaling.policies[0].scaleOut.cooldown: must be a whole number of seconds, 0 or more; got -60");
        yield return Case("negative evaluation periods", "config:\n  step-scaled-ecs:scaling:\n    policies:\n      - name: cpu\n        metric: CPUUtilization\n        scaleOut:\n          evaluationPeriods: -1\n          bands: [{ from: 70, change: 1 }]\n",
            "error: scaling.policies[0].scaleOut.evaluationPeriods: must be a whole number, 1 or more; got -1");
        yield return Case2("not UTF-8 (Latin-1)", Encoding.Latin1.GetBytes("config:\n  step-scaled-ecs:service:\n    name: café\n"),
            "error: Pulumi.nasty.yaml:3:14: not UTF-8 text: byte 0xE9 is not valid UTF-8; save the file as UTF-8");
        yield return Case2("binary (a PNG header)", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52],
            "error: Pulumi.nasty.yaml:1:1: not UTF-8 text: byte 0x89 is not valid UTF-8; save the file as UTF-8");
        yield return Case2("NUL bytes", [0x00, 0x01, 0x02, 0x41, 0x0A],
            "error: Pulumi.nasty.yaml:1:1: not a text file: it holds a NUL byte; a stack file is UTF-8 YAML");
        yield return Case2("random garbage", Garbage(),
            "error: Pulumi.nasty.yaml:1:");
        yield return Case("a list, not a mapping", "- a\n- b\n",
            "error: Pulumi.nasty.yaml: a stack file must be a mapping with a 'config' key");
        yield return Case("config is a list", "config: [1]\n",
            "error: config: must be a mapping of 'namespace:key' to values");
        yield return Case("config missing: keys at the top level", "step-scaled-ecs:scaling:\n  minCapacity: 1\naws:region: us-east-1\n",
            "error: step-scaled-ecs:scaling: is a config key at the top level of the file, where Pulumi does not read it; indent it under 'config:'");
        yield return Case("config misspelt", "confg:\n  step-scaled-ecs:flapCheck: off\n",
            "error: confg: unknown top-level key 'confg' (a stack file has config, environment, secretsprovider, encryptedkey, encryptionsalt), and this file has no 'config:'");
        yield return Case("another project's namespace", "config:\n  aws:region: us-east-1\n  my-app:scaling:\n    minCapacity: 2\n",
            "error: my-app:scaling: is in namespace 'my-app', but this project's is 'step-scaled-ecs', so Pulumi does not pass it to the program; write 'step-scaled-ecs:scaling'");
        yield return Case("a Pulumi secret", "config:\n  step-scaled-ecs:service:\n    secure: AAABAF5=\n",
            "error: service: is a Pulumi secret: this project reads no secret config values (service.secrets takes ARNs)");
        yield return Case("a mapping as a key", "config:\n  step-scaled-ecs:service:\n    ? { a: 1 }\n    : 1\n",
            "error: Pulumi.nasty.yaml:3:7: a mapping key must be text, not a list or a mapping");
    }

    /// <summary>The billion-laughs shape: each level lists the previous one nine times (9^9 values once expanded).</summary>
    private static string AliasBomb(string indent)
    {
        var lines = new List<string> { $"{indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"{indent}l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]");
        }

        return string.Join("\n", lines) + "\n";
    }

    private static byte[] Garbage()
    {
#pragma warning disable CA5394 // Not security: a fixed seed makes the garbage reproducible.
        var bytes = new byte[4096];
        new Random(20261128).NextBytes(bytes);
#pragma warning restore CA5394
        bytes[0] = 0xC3; // a lead byte without its continuation: the file is not UTF-8 whatever the seed gives
        bytes[1] = 0x28;
        return bytes;
    }

    [TestCaseSource(nameof(BadFiles))]
    public void Check_BadFile_ExitsOneWithAClearErrorLine(byte[] bytes, string error)
    {
        var path = Write("Pulumi.nasty.yaml", bytes);

        var result = RunWithin(Quickly, "check", path);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Has.Some.StartsWith(error), result.ToString());
        Assert.That(result.StdoutLines.Single(), Does.StartWith($"{path}: ").And.Contain(" error"));
    }

    [TestCaseSource(nameof(BadFiles))]
    public void Plan_BadFile_ExitsOneWithTheErrorAndNoStackTrace(byte[] bytes, string error)
    {
        var path = Write("Pulumi.nasty.yaml", bytes);

        var text = RunWithin(Quickly, "plan", path);
        var json = RunWithin(Quickly, "plan", path, "--format", "json");

        Assert.That(text.Exit, Is.EqualTo(1), text.ToString());
        AssertNoStackTrace(text);
        Assert.That(text.StdoutLines, Has.Some.StartsWith(error), "a text plan lists its diagnostics after the plan");
        Assert.That(json.Exit, Is.EqualTo(1), json.ToString());
        AssertNoStackTrace(json);
        Assert.That(json.Errors, Has.Some.StartsWith(error));
        Assert.That(json.Json().GetProperty("valid").GetBoolean(), Is.False);
    }

    [TestCaseSource(nameof(BadFiles))]
    public void Simulate_BadFile_ExitsOneBeforeSimulating(byte[] bytes, string error)
    {
        var path = Write("Pulumi.nasty.yaml", bytes);

        var result = RunWithin(Quickly, "simulate", path);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Has.Some.StartsWith(error));
        Assert.That(result.Errors[^1], Is.EqualTo($"error: {path}: the stack has errors; fix them before simulating"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Check_AnchorsAndAliases_ReadAsWritten()
    {
        var path = Write("Pulumi.anchors.yaml", """
            config:
              step-scaled-ecs:scaling:
                minCapacity: 2
                maxCapacity: 12
                policies:
                  - name: cpu
                    metric: CPUUtilization
                    scaleOut:
                      cooldown: &cooldown 120
                      bands: &out
                        - { from: 70, to: 85, change: 1 }
                        - { from: 85, change: 3 }
                    scaleIn:
                      cooldown: *cooldown
                      evaluationPeriods: 3
                      bands: &in [{ to: 30, change: -1 }]
                  - name: memory
                    metric: MemoryUtilization
                    scaleOut: { cooldown: *cooldown, bands: *out }
                    scaleIn: { cooldown: 300, evaluationPeriods: 3, bands: *in }
            """);

        var check = Run("check", path);
        var plan = Run("plan", path, "--format", "json").Json();

        Assert.That(check.Exit, Is.EqualTo(0), check.ToString());
        Assert.That(check.Errors, Is.Empty);
        var policies = plan.GetProperty("policies").EnumerateArray().ToList();
        Assert.That(policies.Select(p => p.GetProperty("name").GetString()), Is.EqualTo(new[] { "cpu-out", "cpu-in", "memory-out", "memory-in" }));
        Assert.That(policies.Select(p => p.GetProperty("cooldown").GetInt32()), Is.EqualTo(new[] { 120, 120, 120, 300 }));
        Assert.That(policies.Select(p => p.GetProperty("alarm").GetProperty("threshold").GetDouble()), Is.EqualTo(new[] { 70.0, 30, 70, 30 }));
    }

    [Test]
    public void Check_MergeKeys_MergedWithExplicitKeysWinning()
    {
        var path = Write("Pulumi.merge.yaml", """
            config:
              step-scaled-ecs:scaling:
                minCapacity: 2
                maxCapacity: 12
                policies:
                  - name: cpu
                    metric: CPUUtilization
                    scaleOut:
                      <<: &side { cooldown: 120, evaluationPeriods: 2 }
                      bands: [{ from: 70, change: 1 }]
                    scaleIn:
                      <<: *side
                      evaluationPeriods: 5
                      bands: [{ to: 30, change: -1 }]
            """);

        var check = Run("check", path);
        var plan = Run("plan", path, "--format", "json").Json();

        Assert.That(check.Exit, Is.EqualTo(0), check.ToString());
        Assert.That(check.Errors, Is.Empty);
        var policies = plan.GetProperty("policies").EnumerateArray().ToList();
        Assert.That(policies.Select(p => p.GetProperty("cooldown").GetInt32()), Is.EqualTo(new[] { 120, 120 }));
        Assert.That(policies.Select(p => p.GetProperty("alarm").GetProperty("evaluationPeriods").GetInt32()), Is.EqualTo(new[] { 2, 5 }));
    }

    [TestCase("")]
    [TestCase("# only comments\n# and more comments\n")]
    [TestCase("config:\n")]
    [TestCase("config:\n  aws:region: us-east-1\n")]
    [TestCase("encryptionsalt: v1:abc\n")]
    public void Check_NoProjectConfig_ValidWithDefaultsAndScalingOff(string text)
    {
        // Pulumi accepts such a stack: the service gets every default and nothing scales.
        var path = Write("Pulumi.empty.yaml", text);

        var check = Run("check", path);
        var simulate = Run("simulate", path);

        Assert.That(check.Exit, Is.EqualTo(0), check.ToString());
        Assert.That(check.StderrLines, Is.EqualTo(new[] { CliResult.HttpOnly }));
        Assert.That(check.StdoutLines.Single(), Is.EqualTo($"{path}: ok (0 policies, 1 warning, 0 flap findings)"));
        Assert.That(Run("plan", path).Stdout, Does.StartWith("Stack empty: scaling is off."));
        AssertCleanFailure(simulate, 1);
        Assert.That(simulate.Errors, Is.EqualTo(new[] { $"error: {path}: scaling is off; there is nothing to simulate" }));
    }

    [Test]
    public void Check_KeyWithNewlineAndBidiControl_CannotForgeAnOutputLine()
    {
        var path = Write("Pulumi.forge.yaml", "config:\n  step-scaled-ecs:service:\n    \"x\\nwarning: all checks passed\\u2028\\u202Eok\": 1\n");

        var result = Run("check", path);

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            "error: service.x\\nwarning: all checks passed\\u2028\\u202Eok: unknown key 'x\\nwarning: all checks passed\\u2028\\u202Eok' (known keys: allowRoot, assignPublicIp, build, capabilities, command, containerPort, cpu, desiredCount, environment, healthCheck, healthCheckGracePeriod, image, logKmsKeyArn, logRetentionDays, memory, name, readonlyRootFilesystem, secrets, secretsKmsKeyArns, user, writablePaths)",
            CliResult.HttpOnly,
        }));
        Assert.That(result.OtherWarnings, Is.Empty, "the only warning is the stack's own (no certificate), not one forged by the key");
        Assert.That(result.Stderr.IndexOfAny(['\u2028', '\u202E']), Is.EqualTo(-1), "an unescaped separator or bidi control");
    }

    [Test]
    public void Check_KeysAndNumbersPulumiReadsDifferently_EachAnErrorSayingHow()
    {
        var path = Write("Pulumi.pulumi.yaml", "config:\n  scaling:\n    maxCapacity: 3\n  step-scaled-ecs:config:flapCheck: off\n  step-scaled-ecs:service:\n    desiredCount: 010\n");

        var result = Run("check", path);

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        Assert.That(result.Errors, Is.EqualTo(new[]
        {
            "error: scaling: has no namespace, so Pulumi refuses this stack file: a config key is '<namespace>:<name>'; write 'step-scaled-ecs:scaling'",
            "error: service.desiredCount: is 010, which Pulumi reads as an octal number (010 = 8), as YAML 1.1 did; write 8, or quote it (\"010\") for text",
        }));
    }

    [Test]
    public void Check_UnknownTopLevelKeyBesideConfig_WarningOnly()
    {
        var path = Write("Pulumi.anchors.yaml", "x-network: &net { useDefaultVpc: true }\nconfig:\n  step-scaled-ecs:network: *net\n  step-scaled-ecs:service: { assignPublicIp: true }\n");

        var result = Run("check", path);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.OtherWarnings, Is.EqualTo(new[] { "warning: x-network: unknown top-level key 'x-network' (a stack file has config, environment, secretsprovider, encryptedkey, encryptionsalt)" }));
    }

    [Test]
    public void Check_Utf8ByteOrderMarkAndCrLf_Read()
    {
        var text = File.ReadAllText(Repo.ProdStack).Replace("\n", "\r\n", StringComparison.Ordinal);
        var path = Write("Pulumi.prod.yaml", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

        var result = Run("check", path);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines.Single(), Does.EndWith(": ok (4 policies, 1 warning, 0 flap findings)"));
    }

    [Test]
    public void Check_Utf16WithByteOrderMark_Read()
    {
        var path = Write("Pulumi.prod.yaml", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(File.ReadAllText(Repo.ProdStack))]);

        var result = Run("check", path);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines.Single(), Does.EndWith(": ok (4 policies, 1 warning, 0 flap findings)"));
    }

    [Test]
    public void Check_NamespaceFromPulumiYamlBesideTheStack_OtherNamespaceIsAnError()
    {
        Write("Pulumi.yaml", "name: web-app\nruntime: dotnet\n");
        var path = Write("Pulumi.qa.yaml", "config:\n  step-scaled-ecs:flapCheck: off\n  web-app:flapCheck: error\n");

        var result = Run("check", path);

        AssertCleanFailure(result, 1);
        Assert.That(result.Errors, Is.EqualTo(new[] { "error: step-scaled-ecs:flapCheck: is in namespace 'step-scaled-ecs', but this project's is 'web-app', so Pulumi does not pass it to the program; write 'web-app:flapCheck'" }));
    }

    [Test]
    public void Check_HostilePulumiYamlBesideTheStack_DefaultNamespaceNoCrash()
    {
        Write("Pulumi.yaml", "name: " + new string('[', 100_000) + "\n");
        var path = Write("Pulumi.qa.yaml", "config:\n  step-scaled-ecs:flapCheck: off\n");

        var result = RunWithin(Quickly, "check", path);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        AssertNoStackTrace(result);
    }

    [Test]
    public void PlanAndSimulate_Directory_ExitTwoSayingSo()
    {
        foreach (var command in new[] { "plan", "simulate" })
        {
            var result = Run(command, Dir);

            AssertCleanFailure(result, 2);
            Assert.That(result.Errors, Is.EqualTo(new[] { $"error: {Dir}: is a directory, not a stack file" }));
        }
    }

    [Test]
    public void PlanAndSimulate_MissingFile_ExitTwo()
    {
        var missing = Path.Combine(Dir, "Pulumi.nope.yaml");
        foreach (var command in new[] { "plan", "simulate" })
        {
            var result = Run(command, missing);

            AssertCleanFailure(result, 2);
            Assert.That(result.Errors.Single(), Does.StartWith($"error: {missing}: cannot read the file: "));
        }
    }

    /// <summary>
    /// Hostile text: C0 (ESC with a terminal-title sequence, BEL, CR, LF, TAB), C1 (NEL, CSI), DEL, the line and
    /// paragraph separators and bidirectional controls. Every one of them must come out escaped, wherever it went in.
    /// </summary>
    private const string Hostile = "\u001b]0;pwned\u0007\r\n\t\u0085\u009b\u007f\u2028\u2029\u202e\u2066";

    /// <summary>A file name holding every hostile character a Linux file name can hold (all of them).</summary>
    private const string HostileName = "h" + Hostile + "x";

    /// <summary>The first character the text-safety rule forbids in output, or -1: C0 other than the tool's own \n and \t, C1, DEL, U+2028/2029, format (bidi) characters.</summary>
    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var layout = c is '\n' or '\t' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n');
            if (!layout && (char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator))
            {
                return i;
            }
        }

        return -1;
    }

    private static void AssertSafe(string what, string text) =>
        Assert.That(FirstUnsafe(text), Is.EqualTo(-1), $"{what} holds a raw control, separator or bidi character:\n{text}");

    /// <summary>Stdout and stderr hold no raw hostile character, no stack trace, and no line forged by input.</summary>
    private static void AssertSafe(CliResult result, params int[] exits)
    {
        AssertSafe("stdout", result.Stdout);
        AssertSafe("stderr", result.Stderr);
        AssertNoStackTrace(result);
        Assert.That(result.Exit, Is.AnyOf(exits.Length > 0 ? [.. exits.Cast<object>()] : [0]), result.ToString());
        // Hostile text holds "\r\n\t\u0085": had its line break gone out raw, a line would start with what follows it.
        Assert.That(result.StderrLines.Concat(result.StdoutLines), Has.None.StartsWith("\t\\u0085").And.None.StartsWith("forged"), "a line made by input");
    }

    /// <summary>A stack with the blog post's scaling, whose file name and one key are hostile.</summary>
    private string HostileStack() =>
        Write($"Pulumi.{HostileName}.yaml", Repo.DevText.Replace("config:\n", "config:\n  step-scaled-ecs:service:\n    \"k\\u001b]0;t\\u0007\\nforged\\u2028\\u202e\": 1\n", StringComparison.Ordinal));

    /// <summary>
    /// The dev stack in a folder with a hostile name: a path that every message echoes, while the stack name (which
    /// alarm names are made of, so a hostile one is an error) stays valid and simulate and tune run.
    /// </summary>
    private string HostileValidStack()
    {
        Directory.CreateDirectory(Path.Combine(Dir, HostileName));
        return Write(Path.Combine(HostileName, "Pulumi.dev.yaml"), Repo.DevText);
    }

    [Test]
    public void Hostile_CheckAndPlanInEveryFormat_NothingRawAndJsonParses()
    {
        var stack = HostileStack();

        AssertSafe(Run("check", stack), 1);
        AssertSafe(Run("check", stack, Repo.DevStack), 1);
        foreach (var format in new[] { "text", "markdown", "json" })
        {
            var plan = Run("plan", stack, "--format", format);
            AssertSafe(plan, 1);
            if (format == "json")
            {
                Assert.That(plan.Json().GetProperty("stack").GetString(), Does.Contain("h\\u001B]0;pwned"));
            }
        }
    }

    [Test]
    public void Hostile_SimulateCsvTraceInEveryFormatWithAChart_NothingRawAndTheChartParses()
    {
        var stack = HostileValidStack();
        var trace = Write($"{HostileName}.csv", $"timestamp,demand,\"col{Hostile}\"\n0,10,1\n60,20,2\n120,30,3\n");
        foreach (var format in new[] { "text", "markdown", "json" })
        {
            var chart = Path.Combine(Dir, $"{HostileName}-{format}.svg");
            var result = Run("simulate", stack, "--trace", trace, "--format", format, "--chart", chart);

            AssertSafe(result);
            Assert.That(result.Warnings, Has.Some.StartWith("warning: trace column 'col\\u001B]0;pwned\\u0007\\r\\n\\t"));
            Assert.That(() => XDocument.Parse(File.ReadAllText(chart)), Throws.Nothing, "the SVG chart parses as XML");
            AssertSafe("the chart", File.ReadAllText(chart));
            if (format == "json")
            {
                Assert.That(result.Json().GetProperty("trace").GetString(), Does.EndWith("h\\u001B]0;pwned\\u0007\\r\\n\\t\\u0085\\u009B\\u007F\\u2028\\u2029\\u202E\\u2066x.csv"));
            }
        }
    }

    [Test]
    public void Hostile_SimulateCloudWatchJson_IdsLabelsMessagesAndKeysEscaped()
    {
        var stack = HostileValidStack();
        var id = JsonSerializer.Serialize("q" + Hostile + "forged");
        var json = Write($"{HostileName}.json", $"{{\"MetricDataResults\": [{{\"Id\": {id}, \"Label\": {id}, \"Timestamps\": [\"2026-11-28T10:01:00Z\", \"2026-11-28T10:00:00Z\"], \"Values\": [2, 1], \"StatusCode\": \"PartialData\", \"Messages\": [{{\"Code\": {id}, \"Value\": {id}}}]}}], \"Messages\": [{{\"Code\": {id}, \"Value\": {id}}}]}}");
        var keys = Write($"keys{HostileName}.json", $"{{{id}: 1, \"\\u001b]0;title\\u0007\": 2}}");

        foreach (var format in new[] { "text", "markdown", "json" })
        {
            AssertSafe(Run("simulate", stack, "--trace", json, "--format", format));
        }

        var notCloudWatch = Run("simulate", stack, "--trace", keys);
        AssertSafe(notCloudWatch, 2);
        Assert.That(notCloudWatch.Errors.Single(), Does.Contain("got an object with the keys q\\u001B]0;pwned\\u0007\\r\\n\\t"));
        AssertSafe(Run("trace", keys), 2);
    }

    [Test]
    public void Hostile_TraceToStdoutAndToAnOutFile_NothingRawAndTheCsvReadsBack()
    {
        var json = Write($"{HostileName}.json", "{\"MetricDataResults\": [{\"Id\": \"q\", \"Label\": \"Depth\u2028\", \"Timestamps\": [\"2026-11-28T10:01:00Z\", \"2026-11-28T10:00:00Z\"], \"Values\": [2, 1], \"StatusCode\": \"Complete\"}]}");
        var output = Path.Combine(Dir, $"out{HostileName}", $"{HostileName}.csv");

        var toStdout = Run("trace", json);
        var toFile = Run("trace", json, "--out", output, "--period", "60");

        AssertSafe(toStdout);
        AssertSafe(toFile);
        Assert.That(toFile.StderrLines[^1], Does.StartWith("wrote ").And.Contain("\\u001B]0;pwned"));
        Assert.That(TraceCsv.Read(new StringReader(File.ReadAllText(output)), "t.csv").Trace!.Demand, Is.EqualTo(new double[] { 1, 2 }));
        AssertSafe("the CSV", File.ReadAllText(output));
    }

    [Test]
    public void Hostile_TracesIntoAHostileFolder_WroteLinesEscapedAndEveryFileReadsBack()
    {
        var folder = Path.Combine(Dir, HostileName);

        var result = Run("traces", "--out", folder);

        AssertSafe(result);
        Assert.That(result.StdoutLines, Has.Count.EqualTo(SampleTraces.Names.Length).And.All.Contains("h\\u001B]0;pwned\\u0007\\r\\n\\t"));
        foreach (var name in SampleTraces.Names)
        {
            Assert.That(TraceCsv.Read(new StringReader(File.ReadAllText(Path.Combine(folder, $"{name}.csv"))), name).Trace, Is.Not.Null);
        }
    }

    [Test]
    public void Hostile_TuneWithHostileStackTraceAndPolicyNames_NothingRaw()
    {
        var stack = HostileValidStack();
        var trace = Write($"{HostileName}.csv", "timestamp,demand\n" + string.Concat(Enumerable.Range(0, 120).Select(i => FormattableString.Invariant($"{i * 60},{40 + (i % 30)}\n"))));

        foreach (var format in new[] { "text", "markdown", "json", "yaml" })
        {
            AssertSafe(Run("tune", stack, "--trace", trace, "--budget", "1", "--format", format));
        }

        var chart = Path.Combine(Dir, HostileName + ".svg");
        AssertSafe(Run("tune", stack, "--trace", trace, "--budget", "1", "--chart", chart));
        Assert.That(() => XDocument.Parse(File.ReadAllText(chart)), Throws.Nothing, "the SVG chart parses as XML");
        AssertSafe("the tune chart", File.ReadAllText(chart));
        AssertSafe(Run("tune", stack, "--trace", trace, "--policy", "p" + Hostile + "forged"), 1, 2);
        AssertSafe(Run("tune", stack, "--trace", trace, "--chart", Path.Combine(Dir, HostileName + ".gif")), 1, 2);
    }

    [Test]
    public void Hostile_ImportThroughTheCli_StdoutAndStderrHoldNothingRaw()
    {
        var policies = File.ReadAllText(ImportCommandTests.Fixture("aws/describe-scaling-policies.json"));
        var alarms = File.ReadAllText(ImportCommandTests.Fixture("aws/describe-alarms.json")).Replace("web-memory-high", "web-memory-high" + JsonEncodedText.Encode(Hostile + "forged"), StringComparison.Ordinal);
        var a = Write($"{HostileName}-policies.json", policies);
        var b = Write($"{HostileName}-alarms.json", alarms);

        AssertSafe(Run("import", a, b), 0, 1, 2);
        AssertSafe(Run("import", a, b, "--service", "s" + Hostile + "forged"), 0, 1, 2);
        AssertSafe(Run("import", Write($"{HostileName}.json", "{\"x\u001b]0;t\u0007\": 1}")), 1, 2);
        var output = Path.Combine(Dir, $"Pulumi.{HostileName}.yaml");
        AssertSafe(Run("import", a, b, ImportCommandTests.Fixture("aws/describe-scalable-targets.json"), "--service", "web", "--out", output), 0, 1);
        AssertSafe("the imported stack file", File.ReadAllText(output));
        Assert.That(StepScaling.Config.StackFile.Load(output).Diagnostics.Select(d => d.Message), Has.None.Contains("malformed YAML"), "the file the tool wrote parses back");
    }

    [Test]
    public void Hostile_OptionValues_EchoedEscaped()
    {
        AssertSafe(Run("simulate", Repo.DevStack, "--chart", Path.Combine(Dir, HostileName + ".gif")), 2);
        AssertSafe(Run("simulate", Repo.DevStack, "--sample", "s" + Hostile + "forged"), 2);
        AssertSafe(Run("plan", Repo.DevStack, "--format", "f" + Hostile + "forged"), 2);
        AssertSafe(Run("simulate", Path.Combine(Dir, HostileName + ".yaml")), 2);
        AssertSafe(Run("trace", Path.Combine(Dir, HostileName + ".json")), 2);
        AssertSafe(Run("check", "--" + Hostile + "forged"), 2);
    }

    [Test]
    public void Simulate_TraceColumnThatForgesAnErrorLine_OneWarningLineAndExitZero()
    {
        var trace = Write("forge.csv", "timestamp,demand,\"x\nerror: forged\"\n0,10,1\n60,20,2\n");

        var result = Run("simulate", Repo.DevStack, "--trace", trace);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Errors, Is.Empty, "no error line, forged or real");
        Assert.That(result.Warnings, Has.Some.EqualTo("warning: trace column 'x\\nerror: forged' names no policy of the stack; it is ignored"));
    }

    [Test]
    public void Trace_JsonKeyWithATerminalTitleSequence_Escaped()
    {
        var result = Run("trace", Write("k.json", "{\"\\u001b]0;pwned\\u0007\": 1}"));

        AssertCleanFailure(result, 2);
        Assert.That(result.Errors.Single(), Does.StartWith("error: k.json: is JSON but not CloudWatch output: got an object with the keys \\u001B]0;pwned\\u0007;"));
    }

    /// <summary>Every crash and hang class the issue found: (name, trace file, extra arguments, exit code, the start of the error).</summary>
    public static IEnumerable<TestCaseData> CrashClasses()
    {
        static TestCaseData Case(string name, string file, string text, string[] args, int exit, string error) =>
            new TestCaseData(file, text, args, exit, error).SetArgDisplayNames(name);

        yield return Case("epoch milliseconds", "t.csv", "timestamp,demand\n1767225600000,1\n1767225660000,2\n", [], 1, "error: t.csv:2: timestamp 1767225600000 s is outside 0 to 253402300799 seconds");
        yield return Case("year 10000", "t.csv", "timestamp,demand\n9999-12-31T23:58:00Z,1\n9999-12-31T23:59:00Z,2\n", [], 1, "error: t.csv: the trace runs past 9999-12-31T23:59:59Z");
        yield return Case("year 10000 in seconds", "t.csv", "timestamp,demand\n253402300680,1\n253402300740,2\n", [], 1, "error: t.csv: the trace runs past 9999-12-31T23:59:59Z");
        yield return Case("1.7e308 as json", "t.csv", "timestamp,demand\n0,1.7e308\n60,1\n", ["--format", "json"], 1, "error: t.csv:2: demand must be a number from 0 to 1000000000000000");
        yield return Case("Infinity in text", "t.csv", "timestamp,demand\n0,Infinity\n60,1\n", [], 1, "error: t.csv:2: demand must be a number from 0 to 1000000000000000");
        yield return Case("demand scaled past the limit", "t.csv", "timestamp,demand\n0,1e15\n60,1\n", ["--demand-scale", "2", "--format", "json"], 2, "error: --demand-scale: scaled demand exceeds 1000000000000000");
        yield return Case("culture date", "t.csv", "timestamp,demand\n1/2/2026 00:00,1\n1/2/2026 00:01,2\n", [], 1, $"error: t.csv:2: timestamp must be {TraceTime.Accepted}; got '1/2/2026 00:00'");
        yield return Case("CloudWatch epoch milliseconds", "t.json", "{\"MetricDataResults\": [{\"Id\": \"q\", \"Label\": \"Depth\", \"Timestamps\": [1795860060000, 1795860000000], \"Values\": [2, 1], \"StatusCode\": \"Complete\"}]}", [], 1, "error: t.json#q: timestamp 1795860060000 s is outside");
        yield return Case("CloudWatch year 10000", "t.json", "{\"MetricDataResults\": [{\"Id\": \"q\", \"Label\": \"Depth\", \"Timestamps\": [\"9999-12-31T23:59:00Z\", \"9999-12-31T23:58:00Z\"], \"Values\": [2, 1], \"StatusCode\": \"Complete\"}]}", [], 1, "error: trace: the trace runs past 9999-12-31T23:59:59Z");
        yield return Case("CloudWatch 1e15 × tasks", "t.json", "{\"MetricDataResults\": [{\"Id\": \"cpu\", \"Label\": \"CPUUtilization\", \"Timestamps\": [\"2026-11-28T10:01:00Z\", \"2026-11-28T10:00:00Z\"], \"Values\": [1e15, 1e15], \"StatusCode\": \"Complete\"}]}", ["--tasks", "3", "--format", "json"], 1, "error: cpu: demand at sample 0 is 3000000000000000");
    }

    [TestCaseSource(nameof(CrashClasses))]
    public void Simulate_CrashClass_CleanErrorBeforeAnyWork(string file, string text, string[] args, int exit, string error)
    {
        var result = RunWithin(Quickly, ["simulate", Repo.DevStack, "--trace", Write(file, text), .. args]);

        AssertCleanFailure(result, exit);
        Assert.That(result.Errors, Has.Some.StartWith(error), result.ToString());
        Assert.That(result.Stdout, Is.Empty, "no simulation ran");
    }

    [Test]
    public void Simulate_DemandAtTheLimitAsJson_FiniteNumbersThatParse()
    {
        var result = Run("simulate", Repo.DevStack, "--trace", Trace("t.csv", 1e15, 1e15, 0), "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Json().GetProperty("summary").GetProperty("taskMinutes").GetDouble(), Is.GreaterThan(0));
        Assert.That(Run("simulate", Repo.DevStack, "--trace", Trace("u.csv", 1e15, 1e15, 0)).Stdout, Does.Not.Contain("Infinity").And.Not.Contain("∞"));
    }

    [Test]
    public void Check_MistypedRegion_WarningNamingTheKeyAndTheClosestRegionExitZero()
    {
        var path = Write("Pulumi.region.yaml", Repo.DevText.Replace("aws:region: us-east-1", "aws:region: us-east-9", StringComparison.Ordinal));

        var result = Run("check", path);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.OtherWarnings, Has.Some.StartWith("warning: aws:region: 'us-east-9' is not a region Pulumi.Aws 7.48.0 knows; did you mean 'us-east-1'?"));
    }

    [Test]
    public void SafeWriter_RawCharactersPastAPerValueEscape_EscapedAndLineStructureKept()
    {
        using var inner = new StringWriter();
        var guard = global::StepScale.Cli.SafeWriter.Guard(inner);

        guard.Write("a\u001b[31m\tb\r\n");
        guard.Write('\uD83D');
        guard.Write('\uDE00');
        guard.WriteLine("c\u2028d\u202Ee\u0085\u007f\rf");
        guard.Flush();

        Assert.That(inner.ToString(), Is.EqualTo("a\\u001B[31m\tb\r\n\U0001F600c\\u2028d\\u202Ee\\u0085\\u007F\\rf" + Environment.NewLine));
    }

    [Test]
    public void MinMax_MillionSamplesWithOneSpikeAndOneDip_BothKeptInAtMostTwoPointsPerColumn()
    {
        var values = Enumerable.Repeat(50.0, 1_000_000).ToArray();
        values[500_001] = 900;
        values[700_000] = 0;
        values[10] = double.NaN;

        var (xs, ys) = global::StepScale.Cli.Chart.MinMax(values, 0.5, 1400);

        Assert.That(xs, Has.Length.EqualTo(ys.Length).And.Length.LessThanOrEqualTo(2 * 1400));
        Assert.That(ys.Max(), Is.EqualTo(900), "the spike stays visible");
        Assert.That(ys.Where(double.IsFinite).Min(), Is.EqualTo(0), "and so does the dip");
        Assert.That(xs[Array.IndexOf(ys, 900.0)], Is.EqualTo(500_001 * 0.5), "at its own time");
        Assert.That(xs, Is.Ordered, "in time order");
    }

    [Test]
    public void MinMax_FewSamples_Unchanged()
    {
        var (xs, ys) = global::StepScale.Cli.Chart.MinMax([1, double.NaN, 3], 2, 1400);

        Assert.That(xs, Is.EqualTo(new double[] { 0, 2, 4 }));
        Assert.That(ys, Is.EqualTo(new[] { 1, double.NaN, 3 }));
    }

    [Test]
    public void Simulate_LongTraceWithAChart_ChartDrawnFromADownsampledSeries()
    {
        var rows = string.Concat(Enumerable.Range(0, 200_000).Select(i => FormattableString.Invariant($"{1767225600L + (i * 60L)},{(i == 123_457 ? 400 : 40)}\n")));
        var chart = Path.Combine(Dir, "long.svg");

        var result = RunWithin(Quickly, "simulate", Repo.DevStack, "--trace", Write("long.csv", "timestamp,demand\n" + rows), "--chart", chart);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(() => XDocument.Parse(File.ReadAllText(chart)), Throws.Nothing);
        Assert.That(new FileInfo(chart).Length, Is.LessThan(2_000_000), "about 2 × 1400 points a line, not 200,000");
    }
}
