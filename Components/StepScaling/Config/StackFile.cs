using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StepScaling.Validation;
using YamlDotNet.Core;
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

    /// <summary>
    /// Reads <paramref name="path"/> (a <c>Pulumi.&lt;stack&gt;.yaml</c>). The project namespace comes from the
    /// <c>Pulumi.yaml</c> beside it, or <see cref="DefaultProject"/>. Never throws for bad content: malformed
    /// YAML and wrong shapes become diagnostics.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static StackFile Load(string path)
    {
        var text = File.ReadAllText(path);
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var project = ReadProjectName(System.IO.Path.Combine(dir, "Pulumi.yaml")) ?? DefaultProject;
        return Parse(text, path, project);
    }

    /// <summary>Parses stack-file text.</summary>
    public static StackFile Parse(string text, string path, string project)
    {
        var bag = new DiagnosticBag();
        var stack = StackNameFromPath(path);
        var values = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        YamlNode? root = null;
        try
        {
            var yaml = new YamlStream();
            using var reader = new StringReader(text);
            yaml.Load(reader);
            root = yaml.Documents.Count == 0 ? null : yaml.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            bag.Error($"{System.IO.Path.GetFileName(path)}:{e.Start.Line}:{e.Start.Column}", $"malformed YAML: {Clean(e)}");
            return new StackFile(path, stack, project, values.ToImmutable(), bag.ToImmutable());
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet throws this instead of a YamlException for some unclosed flow collections ("a: [1, 2" then "b: x").
            bag.Error(System.IO.Path.GetFileName(path), $"malformed YAML: the parser gave up ({e.Message}); look for an unclosed '[' or '{{'");
            return new StackFile(path, stack, project, values.ToImmutable(), bag.ToImmutable());
        }

        if (root is null || (root is YamlScalarNode s0 && string.IsNullOrEmpty(s0.Value)))
        {
            return new StackFile(path, stack, project, values.ToImmutable(), bag.ToImmutable());
        }

        if (root is not YamlMappingNode top)
        {
            bag.Error(System.IO.Path.GetFileName(path), "a stack file must be a mapping with a 'config' key");
            return new StackFile(path, stack, project, values.ToImmutable(), bag.ToImmutable());
        }

        foreach (var (keyNode, valueNode) in top.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (key != "config")
            {
                continue;
            }

            if (valueNode is YamlScalarNode empty && string.IsNullOrEmpty(empty.Value))
            {
                continue;
            }

            if (valueNode is not YamlMappingNode config)
            {
                bag.Error("config", "must be a mapping of 'namespace:key' to values");
                continue;
            }

            foreach (var (ck, cv) in config.Children)
            {
                var fullKey = (ck as YamlScalarNode)?.Value ?? string.Empty;
                var colon = fullKey.IndexOf(':', StringComparison.Ordinal);
                var ns = colon < 0 ? project : fullKey[..colon];
                var name = colon < 0 ? fullKey : fullKey[(colon + 1)..];
                if (ns != project)
                {
                    continue; // aws:region and other providers' keys are not ours to check.
                }

                if (cv is YamlMappingNode secure && secure.Children.Count == 1 && secure.Children.Keys.First() is YamlScalarNode { Value: "secure" })
                {
                    bag.Error(name, "is a Pulumi secret: this project reads no secret config values (service.secrets takes ARNs)");
                    continue;
                }

                values[name] = cv switch
                {
                    YamlScalarNode scalar => scalar.Value ?? string.Empty,
                    _ => ToJson(cv)?.ToJsonString() ?? "null",
                };
            }
        }

        return new StackFile(path, stack, project, values.ToImmutable(), bag.ToImmutable());
    }

    /// <summary>The stack name from a file name: <c>Pulumi.prod.yaml</c> → <c>prod</c>.</summary>
    public static string StackNameFromPath(string path)
    {
        var file = System.IO.Path.GetFileName(path);
        var m = StackFileRegex().Match(file);
        return m.Success ? m.Groups[1].Value : System.IO.Path.GetFileNameWithoutExtension(file);
    }

    /// <summary>Converts a YAML node to JSON with YAML 1.2 core-schema typing of plain scalars.</summary>
    public static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    obj[(k as YamlScalarNode)?.Value ?? k.ToString()] = ToJson(v);
                }

                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var item in seq.Children)
                {
                    array.Add(ToJson(item));
                }

                return array;
            case YamlScalarNode scalar:
                var value = scalar.Value ?? string.Empty;
                if (scalar.Style is not ScalarStyle.Plain)
                {
                    return JsonValue.Create(value);
                }

                if (value is "" or "~" or "null" or "Null" or "NULL")
                {
                    return null;
                }

                if (value is "true" or "True" or "TRUE")
                {
                    return JsonValue.Create(true);
                }

                if (value is "false" or "False" or "FALSE")
                {
                    return JsonValue.Create(false);
                }

                if (JsonNumberRegex().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                {
                    // Keep the literal so that numbers keep their exact text.
                    return JsonNode.Parse(value.TrimStart('+'));
                }

                return JsonValue.Create(value);
            default:
                return null;
        }
    }

    private static string? ReadProjectName(string pulumiYaml)
    {
        if (!File.Exists(pulumiYaml))
        {
            return null;
        }

        try
        {
            var yaml = new YamlStream();
            using var reader = new StringReader(File.ReadAllText(pulumiYaml));
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

    [GeneratedRegex(@"^Pulumi\.(.+)\.ya?ml$")]
    private static partial Regex StackFileRegex();

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumberRegex();
}
