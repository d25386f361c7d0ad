using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using Pulumi;
using Pulumi.Experimental.Provider;

namespace StepScaledEcs.Provider;

/// <summary>
/// The package schema: what <see cref="ComponentAnalyzer.GenerateSchema(Metadata, Type[])"/> derives from the
/// component and its args (tokens, types, required flags, plain flags), plus a description for the component, each
/// type and each property from the XML docs, which the analyzer of Pulumi 3.112.1 does not emit. The descriptions
/// become the docs of the generated SDKs; the committed schema.json lets reviewers see API changes in diffs.
/// </summary>
public static class PackageSchema
{
    /// <summary>The components of the package.</summary>
    public static readonly Type[] ComponentTypes = [typeof(StepScaledEcsService)];

    private static readonly JsonSerializerOptions SpecOptions = new()
    {
        // As ComponentProvider.GetSchema serialises the PackageSpec.
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // Readable diffs of the committed file: no \u0027 for an apostrophe (the text is JSON either way).
    private static readonly JsonSerializerOptions TextOptions = new(SpecOptions) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The package version: the component assembly's (MinVer, from the git tag) without build metadata.</summary>
    public static string Version
    {
        get
        {
            var informational = typeof(StepScaledEcsService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            return informational.Split('+')[0];
        }
    }

    /// <summary>The package metadata: its name (the token's first part) and version.</summary>
    /// <param name="version">The version, or null for none (the committed schema.json).</param>
    public static Metadata Metadata(string? version) => new(StepScaledEcsService.PackageName, Version: version, DisplayName: "StepScaledEcs");

    /// <summary>The schema as the SDK's analyzer generates it, without descriptions.</summary>
    /// <param name="version">The version, or null for none.</param>
    public static PackageSpec Spec(string? version) => ComponentAnalyzer.GenerateSchema(Metadata(version), ComponentTypes);

    /// <summary>The schema with descriptions, as JSON.</summary>
    /// <param name="version">The version, or null for none (the committed schema.json).</param>
    public static JsonObject Node(string? version)
    {
        var schema = JsonNode.Parse(JsonSerializer.Serialize(Spec(version), SpecOptions))!.AsObject();
        var docs = Docs.Load(typeof(StepScaledEcsService).Assembly);
        var prefix = $"{StepScaledEcsService.PackageName}:index:";
        foreach (var component in ComponentTypes)
        {
            var resource = schema["resources"]![prefix + component.Name]!.AsObject();
            resource["description"] = docs.Of(component);
            Describe(resource["inputProperties"]!.AsObject(), ArgsType(component), docs);
            Describe(resource["properties"]!.AsObject(), component, docs);
        }

        // Each object type is an args class: its token is the class name without "Args" (ComponentAnalyzer.GetTypeName).
        var argsTypes = typeof(StepScaledEcsService).Assembly.GetTypes().Where(t => typeof(ResourceArgs).IsAssignableFrom(t) && !t.IsAbstract);
        foreach (var type in argsTypes)
        {
            var name = type.Name.EndsWith("Args", StringComparison.Ordinal) ? type.Name[..^4] : type.Name;
            if (schema["types"]?[prefix + name] is JsonObject entry)
            {
                entry["description"] = docs.Of(type);
                Describe(entry["properties"]!.AsObject(), type, docs);
            }
        }

        MarkPlainCollections(schema);
        return schema;
    }

    /// <summary>The schema with descriptions, as indented JSON text ending in a newline.</summary>
    /// <param name="version">The version, or null for none (the committed schema.json).</param>
    public static string Json(string? version) => Node(version).ToJsonString(TextOptions) + "\n";

    /// <summary>
    /// Marks a list or map plain when its items are: a plain C# <c>List&lt;T&gt;</c> or <c>Dictionary&lt;string, T&gt;</c>
    /// is a prompt value, but the analyzer of 3.112.1 gives arrays and maps no plain flag (CreateArray,
    /// CreateDictionary), so the generated SDKs would accept an output there, which is unknown at preview and fails
    /// the provider's deserialisation instead of reaching the component's validation. InputList and InputMap items
    /// are not plain, so references stay inputs.
    /// </summary>
    private static void MarkPlainCollections(JsonObject schema)
    {
        var specs = schema["resources"]!.AsObject().SelectMany(r => new[] { r.Value!["inputProperties"]!.AsObject() })
            .Concat(schema["types"]!.AsObject().Select(t => t.Value!["properties"]!.AsObject()))
            .SelectMany(properties => properties.Select(p => p.Value!.AsObject()));
        foreach (var spec in specs)
        {
            Mark(spec);
        }

        static bool Mark(JsonObject spec)
        {
            if (spec["items"] is JsonObject items ? Mark(items) : spec["additionalProperties"] is JsonObject values && Mark(values))
            {
                spec["plain"] = true;
            }

            return (bool?)spec["plain"] == true;
        }
    }

    /// <summary>The args type of a component: its constructor's second parameter, as the analyzer finds it.</summary>
    internal static Type ArgsType(Type component) =>
        component.GetConstructors().Select(c => c.GetParameters()).First(p => p.Length == 3 && typeof(ResourceArgs).IsAssignableFrom(p[1].ParameterType))[1].ParameterType;

    private static void Describe(JsonObject properties, Type type, Docs docs)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttributesData()
                .FirstOrDefault(a => a.AttributeType == typeof(InputAttribute) || a.AttributeType == typeof(OutputAttribute))?
                .ConstructorArguments.FirstOrDefault().Value as string;
            if (name is not null && properties[name] is JsonObject entry)
            {
                entry["description"] = docs.Of(property);
            }
        }
    }

    /// <summary>The XML documentation file the compiler writes beside the assembly (GenerateDocumentationFile).</summary>
    private sealed class Docs
    {
        private readonly Dictionary<string, XElement> _members;

        private Docs(Dictionary<string, XElement> members) => _members = members;

        public static Docs Load(Assembly assembly)
        {
            var path = Path.ChangeExtension(assembly.Location, ".xml");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"the XML documentation of {assembly.GetName().Name} is missing; the schema's descriptions come from it", path);
            }

            var members = XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") is not null)
                .ToDictionary(m => m.Attribute("name")!.Value, m => m, StringComparer.Ordinal);
            return new Docs(members);
        }

        public string Of(Type type) => Summary($"T:{type.FullName}");

        public string Of(PropertyInfo property) => Summary($"P:{property.DeclaringType!.FullName}.{property.Name}");

        private string Summary(string id)
        {
            if (!_members.TryGetValue(id, out var member) || member.Element("summary") is not { } summary)
            {
                throw new InvalidOperationException($"{id} has no XML <summary>: every public member of the component's API needs one (it becomes the schema's description)");
            }

            var text = new StringBuilder();
            Flatten(summary, text);
            return string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        // Markdown, as schema descriptions are: <c> becomes `code`, <see cref> its short name, <value> is dropped.
        private static void Flatten(XElement element, StringBuilder text)
        {
            foreach (var node in element.Nodes())
            {
                switch (node)
                {
                    case XText t:
                        text.Append(t.Value);
                        break;
                    case XElement { Name.LocalName: "c" } c:
                        text.Append('`').Append(c.Value).Append('`');
                        break;
                    case XElement { Name.LocalName: "see" or "seealso" } see:
                        var target = see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? see.Value;
                        text.Append('`').Append(target.Split(':')[^1].Split('.')[^1]).Append('`');
                        break;
                    case XElement { Name.LocalName: "paramref" or "typeparamref" } p:
                        text.Append('`').Append(p.Attribute("name")?.Value).Append('`');
                        break;
                    case XElement { Name.LocalName: "value" }:
                        break;
                    case XElement other:
                        Flatten(other, text);
                        break;
                }
            }
        }
    }
}
