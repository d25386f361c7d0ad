using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StepScaling.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace StepScaling.Config;

/// <summary>A stack file read from disk: the project's config values, as Pulumi would hand them to the program.</summary>
/// <param name="Path">The file path.</param>
/// <param name="Stack">The stack name (<c>dev</c> for <c>Pulumi.dev.yaml</c>).</param>
/// <param name="Project">The project namespace of the config keys.</param>
/// <param name="Values">The project's keys (without namespace) to text: plain for scalars, JSON for objects and lists.</param>
/// <param name="Diagnostics">Problems reading the file itself.</param>
public sealed partial record StackFile(
    string Path,
    string Stack,
    string Project,
    ImmutableSortedDictionary<string, string> Values,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The project name used when no <c>Pulumi.yaml</c> sits beside the stack file.</summary>
    public const string DefaultProject = "step-scaled-ecs";

    /// <summary>The deepest nesting a stack file may have; a real one needs about ten levels, and YamlDotNet builds nodes recursively.</summary>
    public const int MaxDepth = 32;

    /// <summary>The most values one config key may hold once YAML aliases are expanded; a real one holds a few hundred.</summary>
    public const int MaxValues = 10_000;

    /// <summary>The top-level keys of a Pulumi stack file (Pulumi's <c>ProjectStack</c>).</summary>
    public static readonly ImmutableArray<string> TopLevelKeys = ["config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"];

    /// <summary>
    /// Reads <paramref name="path"/> (a <c>Pulumi.&lt;stack&gt;.yaml</c>). The project namespace comes from the
    /// <c>Pulumi.yaml</c> beside it, or <see cref="DefaultProject"/>. Never throws for bad content: malformed
    /// YAML, text that is not UTF-8 and wrong shapes become diagnostics.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static StackFile Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var project = ReadProjectName(System.IO.Path.Combine(dir, "Pulumi.yaml")) ?? DefaultProject;
        if (Decode(bytes, out var bad) is { } text)
        {
            return Parse(text, path, project);
        }

        // Pulumi reads stack files as UTF-8; a replacement character would only surface later as a puzzling value.
        var line = bytes.AsSpan(0, bad).Count((byte)'\n') + 1;
        var column = bad - bytes.AsSpan(0, bad).LastIndexOf((byte)'\n');
        return new StackFile(path, StackNameFromPath(path), project, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal), [ReadingRules.NotUtf8($"{System.IO.Path.GetFileName(path)}:{line}:{column}", bytes[bad])]);
    }

    /// <summary>Parses stack-file text: load the YAML, check the top-level keys, read the config (each key's rules in <see cref="StackFileRules"/>).</summary>
    public static StackFile Parse(string text, string path, string project)
    {
        var bag = new DiagnosticBag();
        var values = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (Load(text, path, bag) is { } top)
        {
            var hasConfig = top.Children.Keys.Any(k => k is YamlScalarNode { Value: "config" });
            foreach (var (keyNode, valueNode) in top.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (key == "config")
                {
                    ReadConfig(valueNode, project, values, bag);
                }
                else
                {
                    StackFileRules.CheckTopLevelKey(key, hasConfig, TopLevelKeys, bag);
                }
            }
        }

        return new StackFile(path, StackNameFromPath(path), project, values.ToImmutable(), bag.ToImmutable());
    }

    /// <summary>The file's top-level mapping, or null (and the error) when the text is not YAML Pulumi can read, or is empty.</summary>
    private static YamlMappingNode? Load(string text, string path, DiagnosticBag bag)
    {
        YamlNode? root;
        try
        {
            if (Scan(text) is { } problem)
            {
                ReadingRules.UnreadableYaml($"{System.IO.Path.GetFileName(path)}:{problem.At.Line}:{problem.At.Column}", problem.Message, bag);
                return null;
            }

            var yaml = new YamlStream();
            using var reader = new StringReader(text);
            yaml.Load(reader);
            root = yaml.Documents.Count == 0 ? null : yaml.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            ReadingRules.MalformedYaml($"{System.IO.Path.GetFileName(path)}:{e.Start.Line}:{e.Start.Column}", Clean(e), bag);
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet throws this instead of a YamlException for some unclosed flow collections ("a: [1, 2" then "b: x").
            ReadingRules.YamlParserGaveUp(System.IO.Path.GetFileName(path), e.Message, bag);
            return null;
        }

        if (root is null || (root is YamlScalarNode s0 && string.IsNullOrEmpty(s0.Value)))
        {
            return null;
        }

        if (root is not YamlMappingNode)
        {
            ReadingRules.StackFileNotAMapping(System.IO.Path.GetFileName(path), bag);
        }

        return root as YamlMappingNode;
    }

    /// <summary>The <c>config:</c> mapping: each key Pulumi would pass to this project, as the text it passes.</summary>
    private static void ReadConfig(YamlNode valueNode, string project, ImmutableSortedDictionary<string, string>.Builder values, DiagnosticBag bag)
    {
        if (valueNode is YamlScalarNode empty && string.IsNullOrEmpty(empty.Value))
        {
            return;
        }

        if (valueNode is not YamlMappingNode config)
        {
            ReadingRules.ConfigNotAMapping(bag);
            return;
        }

        List<(YamlNode Key, YamlNode Value)> entries;
        try
        {
            entries = Entries(config, new Expansion(), 0);
        }
        catch (InvalidDataException e)
        {
            ReadingRules.UnreadableYaml("config", e.Message, bag);
            return;
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (ck, cv) in entries)
        {
            var fullKey = (ck as YamlScalarNode)?.Value ?? string.Empty;
            if (StackFileRules.CheckConfigKey(fullKey, ParseKey(fullKey), project, seen, bag) is not var (ns, name))
            {
                continue;
            }

            if (ns != project)
            {
                // Other providers' keys are not ours to check, but for a region the provider itself does not check.
                StackFileRules.CheckForeignKey(fullKey, ns, name, project, bag);
                bag.AddRange(ns == "aws" && name == "region" && cv is YamlScalarNode region ? RegionRules.Check(fullKey, region.Value) : []);
            }
            else if (StackFileRules.CheckNotSecret(name, cv is YamlMappingNode secure && secure.Children.Count == 1 && secure.Children.Keys.First() is YamlScalarNode { Value: "secure" }, bag))
            {
                ReadValue(name, cv, values, bag);
            }
        }
    }

    /// <summary>One value of this project's config as Pulumi passes it: text as written, numbers and booleans as their JSON text, objects and lists as JSON.</summary>
    private static void ReadValue(string name, YamlNode cv, ImmutableSortedDictionary<string, string>.Builder values, DiagnosticBag bag)
    {
        try
        {
            if (cv is YamlScalarNode scalar)
            {
                var (value, problem) = PulumiYaml.Scalar(scalar);
                if (problem is not null)
                {
                    ReadingRules.UnreadableYaml(name, problem, bag);
                }

                values[name] = value switch
                {
                    null => string.Empty,
                    JsonValue v when v.TryGetValue<string>(out var plain) => plain,
                    _ => value.ToJsonString(),
                };
                return;
            }

            var expansion = new Expansion();
            values[name] = ToJson(cv, expansion, 0, name)?.ToJsonString() ?? "null";
            foreach (var (at, message) in expansion.Problems)
            {
                ReadingRules.UnreadableYaml(at, message, bag);
            }
        }
        catch (InvalidDataException e)
        {
            ReadingRules.UnreadableYaml(name, e.Message, bag);
        }
    }

    /// <summary>The stack name from a file name: <c>Pulumi.prod.yaml</c> → <c>prod</c>.</summary>
    public static string StackNameFromPath(string path)
    {
        var file = System.IO.Path.GetFileName(path);
        var m = StackFileRegex().Match(file);
        return m.Success ? m.Groups[1].Value : System.IO.Path.GetFileNameWithoutExtension(file);
    }

    /// <summary>
    /// Pulumi's <c>config.ParseKey</c> (pulumi/pulumi <c>sdk/go/common/resource/config/key.go</c>): <c>&lt;namespace&gt;:&lt;name&gt;</c>,
    /// or the older <c>&lt;namespace&gt;:config:&lt;name&gt;</c>; anything else makes Pulumi refuse the stack file.
    /// </summary>
    /// <returns>The namespace and name, or null when Pulumi cannot parse the key.</returns>
    public static (string Namespace, string Name)? ParseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split(':');
        return parts.Length switch
        {
            2 => (parts[0], parts[1]),
            3 when parts[1] == "config" => (parts[0], parts[2]),
            _ => null,
        };
    }

    /// <summary>
    /// Converts a YAML node to JSON as Pulumi reads it (gopkg.in/yaml.v3 typing of scalars, see <see cref="PulumiYaml"/>),
    /// resolving aliases and merge keys (<c>&lt;&lt;</c>) as Pulumi's YAML reader does. Values Pulumi reads unexpectedly
    /// are converted as Pulumi reads them; use <see cref="Parse"/> to have them reported.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The node refers to itself through an alias, nests deeper than <see cref="MaxDepth"/> or holds more than
    /// <see cref="MaxValues"/> values once aliases are expanded, or has a merge key whose value is not a mapping.
    /// </exception>
    public static JsonNode? ToJson(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return ToJson(node, new Expansion(), 0, string.Empty);
    }

    private static JsonNode? ToJson(YamlNode node, Expansion expansion, int depth, string path)
    {
        expansion.Enter(node, depth);
        try
        {
            return Convert(node, expansion, depth, path);
        }
        finally
        {
            expansion.Leave(node);
        }
    }

    private static JsonNode? Convert(YamlNode node, Expansion expansion, int depth, string path)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in Entries(map, expansion, depth))
                {
                    var (key, keyProblem) = PulumiYaml.Key(k);
                    var at = path.Length == 0 ? key : $"{path}.{key}";
                    if (keyProblem is not null)
                    {
                        expansion.Problems.Add((at, keyProblem));
                    }

                    obj[key] = ToJson(v, expansion, depth + 1, at);
                }

                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    array.Add(ToJson(seq.Children[i], expansion, depth + 1, $"{path}[{i}]"));
                }

                return array;
            case YamlScalarNode scalar:
                var (value, problem) = PulumiYaml.Scalar(scalar);
                if (problem is not null)
                {
                    expansion.Problems.Add((path, problem));
                }

                return value;
            default:
                return null;
        }
    }

    /// <summary>
    /// A mapping's entries with YAML merge keys (<c>&lt;&lt;: *base</c>) resolved: explicit keys win over merged ones,
    /// and earlier merged mappings over later ones (the YAML 1.1 merge type, which Pulumi's reader applies).
    /// </summary>
    private static List<(YamlNode Key, YamlNode Value)> Entries(YamlMappingNode map, Expansion expansion, int depth)
    {
        var entries = new List<(YamlNode Key, YamlNode Value)>();
        var merged = new List<YamlMappingNode>();
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain })
            {
                entries.Add((k, v));
            }
            else if (v is YamlMappingNode m)
            {
                merged.Add(m);
            }
            else if (v is YamlSequenceNode s && s.Children.All(c => c is YamlMappingNode))
            {
                merged.AddRange(s.Children.Cast<YamlMappingNode>());
            }
            else
            {
                throw new InvalidDataException("a merge key '<<' takes a mapping or a list of mappings, e.g. '<<: *defaults'");
            }
        }

        var keys = new HashSet<string>(entries.Select(e => KeyText(e.Key)), StringComparer.Ordinal);
        foreach (var m in merged)
        {
            expansion.Enter(m, depth);
            foreach (var entry in Entries(m, expansion, depth))
            {
                if (keys.Add(KeyText(entry.Key)))
                {
                    entries.Add(entry);
                }
            }

            expansion.Leave(m);
        }

        return entries;
    }

    private static string KeyText(YamlNode key) => PulumiYaml.Key(key).Key;

    /// <summary>
    /// Walks the YAML events once, without building nodes, for shapes that would exhaust the stack or the CPU when
    /// YamlDotNet builds them: nesting deeper than <see cref="MaxDepth"/> (nodes are built recursively) and keys that
    /// are lists or mappings (keys are hashed recursively, so an aliased key can take exponential time).
    /// </summary>
    /// <exception cref="YamlException">The text is not YAML.</exception>
    private static (Mark At, string Message)? Scan(string text)
    {
        var parser = new Parser(new StringReader(text));
        var frames = new List<(bool Mapping, bool ExpectKey)>();
        var collectionAnchors = new HashSet<string>(StringComparer.Ordinal);
        while (parser.MoveNext())
        {
            if (parser.Current is MappingEnd or SequenceEnd)
            {
                frames.RemoveAt(frames.Count - 1);
                continue;
            }

            // A node is a scalar, a collection start or an alias; in a mapping, nodes alternate between key and value.
            var current = parser.Current;
            if (current is not (NodeEvent or AnchorAlias))
            {
                continue;
            }

            var isKey = false;
            if (frames.Count > 0 && frames[^1].Mapping)
            {
                isKey = frames[^1].ExpectKey;
                frames[^1] = (true, !isKey);
            }

            if (isKey && (current is MappingStart or SequenceStart || (current is AnchorAlias alias && collectionAnchors.Contains(alias.Value.Value))))
            {
                return (current.Start, "a mapping key must be text, not a list or a mapping");
            }

            if (current is NodeEvent collection and (MappingStart or SequenceStart))
            {
                if (!collection.Anchor.IsEmpty)
                {
                    collectionAnchors.Add(collection.Anchor.Value);
                }

                frames.Add((collection is MappingStart, true));
                if (frames.Count > MaxDepth)
                {
                    return (current.Start, $"nests deeper than {MaxDepth} levels; a stack file needs far fewer");
                }
            }
        }

        return null;
    }

    /// <summary>The text of a stack file: UTF-8 (a byte-order mark is allowed), or UTF-16 with a byte-order mark as YAML allows.</summary>
    /// <returns>The text, or null with the offset of the first byte that is not text (invalid UTF-8 or NUL).</returns>
    private static string? Decode(byte[] bytes, out int bad)
    {
        bad = -1;
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }

        var start = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        for (var offset = start; offset < bytes.Length;)
        {
            if (Rune.DecodeFromUtf8(bytes.AsSpan(offset), out var rune, out var consumed) != OperationStatus.Done || rune.Value == 0)
            {
                bad = offset;
                return null;
            }

            offset += consumed;
        }

        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }

    /// <summary>The project name of a stack file at <paramref name="stackFilePath"/>: from the <c>Pulumi.yaml</c> beside it, or <see cref="DefaultProject"/>.</summary>
    public static string ProjectFor(string stackFilePath) =>
        ReadProjectName(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(stackFilePath)) ?? ".", "Pulumi.yaml")) ?? DefaultProject;

    private static string? ReadProjectName(string pulumiYaml)
    {
        if (!File.Exists(pulumiYaml))
        {
            return null;
        }

        try
        {
            var text = File.ReadAllText(pulumiYaml);
            if (Scan(text) is not null)
            {
                return null;
            }

            var yaml = new YamlStream();
            using var reader = new StringReader(text);
            yaml.Load(reader);
            if (yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode m
                && m.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode s)
            {
                return s.Value;
            }
        }
        catch (YamlException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null; // YamlDotNet's other way of saying "malformed".
        }

        return null;
    }

    private static string Clean(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var paren = message.IndexOf("(Line:", StringComparison.Ordinal);
        return (paren > 0 ? message[..paren] : message).Trim();
    }

    /// <summary>Guards a walk over YAML nodes, which aliases make a graph: counts values and depth, and tracks the nodes on the current path.</summary>
    private sealed class Expansion
    {
        private readonly HashSet<YamlNode> _open = new(ReferenceEqualityComparer.Instance);
        private int _values;

        /// <summary>Values Pulumi reads differently from what the file seems to say, with their config path.</summary>
        public List<(string Path, string Message)> Problems { get; } = [];

        public void Enter(YamlNode node, int depth)
        {
            if (++_values > MaxValues)
            {
                throw new InvalidDataException($"holds more than {MaxValues} values once YAML aliases are expanded (an alias bomb?); a stack's config needs far fewer");
            }

            if (depth > MaxDepth)
            {
                throw new InvalidDataException($"nests deeper than {MaxDepth} levels once YAML aliases are expanded");
            }

            if (node is not YamlScalarNode && !_open.Add(node))
            {
                throw new InvalidDataException($"refers to itself through the YAML alias '*{node.Anchor.Value}', so it never ends");
            }
        }

        public void Leave(YamlNode node) => _open.Remove(node);
    }

    [GeneratedRegex(@"^Pulumi\.(.+)\.ya?ml$")]
    private static partial Regex StackFileRegex();

}
