using System.Globalization;
using System.Text.Json.Nodes;
using StepScaling.Validation;
using YamlDotNet.RepresentationModel;

namespace StepScaledEcs.Tests;

/// <summary>
/// The examples in other languages cannot run here (no Pulumi CLI), so they are checked against the committed
/// schema.json: every property they set exists, with the schema's type, and required ones are set; and what they
/// set literally is valid for the component (mapped and validated as the provider would).
/// </summary>
[TestFixture]
public sealed class ExampleTests
{
    private const string Token = "step-scaled-ecs:index:StepScaledEcsService";

    /// <summary>A value the example computes (a resource output, an invoke): its type is the program's business.</summary>
    private const string Expression = "\u0001expression";

    private static JsonObject Schema => JsonNode.Parse(File.ReadAllText(Path.Combine(PulumiTestKit.RepoRoot(), "Components", "StepScaledEcs.Provider", "schema.json")))!.AsObject();

    [Test]
    public void YamlExample_ComponentProperties_MatchTheSchema()
    {
        var properties = YamlComponentProperties();

        Assert.That(Mismatches(properties), Is.Empty);
        Assert.That(properties["scaling"]!["policies"]![0]!["scaleOut"]!["bands"]!.AsArray(), Has.Count.EqualTo(3), "the example was read");
    }

    [Test]
    public void TypeScriptExample_ComponentProperties_MatchTheSchema()
    {
        var properties = TypeScriptComponentProperties();

        Assert.That(Mismatches(properties), Is.Empty);
        Assert.That(properties["scaling"]!["policies"]![0]!["scaleOut"]!["bands"]!.AsArray(), Has.Count.EqualTo(3), "the example was read");
    }

    [Test]
    public void Examples_SameComponentProperties_InBothLanguages()
    {
        Assert.That(TypeScriptComponentProperties().ToJsonString(), Is.EqualTo(YamlComponentProperties().ToJsonString()));
    }

    [Test]
    public void YamlExample_Settings_PassTheComponentsValidation()
    {
        var properties = YamlComponentProperties();
        var args = new StepScaledEcsServiceArgs
        {
            ClusterArn = "arn:aws:ecs:us-east-1:123456789012:cluster/c",
            ClusterName = "c",
            Subnets = new Pulumi.InputList<string> { "subnet-a" },
            Service = Read<ServiceArgs>(properties, "service"),
            Scaling = Read<ScalingArgs>(properties, "scaling"),
            ClusterHasContainerInsights = (bool?)properties["clusterHasContainerInsights"],
        };

        var diagnostics = StepScaledEcsService.Validate(args, "dev");

        Assert.That(diagnostics.Where(d => d.Severity == Severity.Error), Is.Empty);
        Assert.That(diagnostics.Where(d => d.Message.Contains("loop", StringComparison.Ordinal) || d.Message.Contains("reversal", StringComparison.Ordinal)), Is.Empty, "the example does not flap");
    }

    [Test]
    public void Mismatches_WrongTypeUnknownKeyAndMissingRequired_AreEachReported()
    {
        var properties = YamlComponentProperties();
        properties["service"]!["cpu"] = "256";
        properties["scaling"]!["maxCapcity"] = 4;
        properties["scaling"]!["policies"]![0]!["scaleOut"]!["bands"]![0]!.AsObject().Remove("change");
        properties["flapCheck"] = Expression;
        properties.Remove("clusterName");

        Assert.That(Mismatches(properties), Is.EquivalentTo(new[]
        {
            "clusterName: required but not set",
            "service.cpu: must be of type integer; got \"256\"",
            "scaling.maxCapcity: not in the schema",
            "scaling.policies[0].scaleOut.bands[0].change: required but not set",
            "flapCheck: plain (known at preview), so it must be a literal",
        }));
    }

    /// <summary>The literal settings of a section: a computed value is another resource's output, checked when it resolves.</summary>
    private static T? Read<T>(JsonObject properties, string key)
        where T : class =>
        ArgsJson.FromConfig<T>(new Dictionary<string, string> { [key] = Literals(properties[key])!.ToJsonString() }, key);

    private static JsonNode? Literals(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(kv => !IsExpression(kv.Value)).Select(kv => KeyValuePair.Create(kv.Key, Literals(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Where(v => !IsExpression(v)).Select(Literals)]),
        _ => node?.DeepClone(),
    };

    private static bool IsExpression(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) && text == Expression;

    private static List<string> Mismatches(JsonObject properties)
    {
        var schema = Schema;
        var resource = schema["resources"]![Token]!.AsObject();
        var errors = new List<string>();
        CheckObject(properties, resource["inputProperties"]!.AsObject(), resource["requiredInputs"]!.AsArray(), string.Empty);
        return errors;

        void CheckObject(JsonObject value, JsonObject specs, JsonArray? required, string path)
        {
            foreach (var name in required?.Select(r => (string)r!) ?? [])
            {
                if (!value.ContainsKey(name))
                {
                    errors.Add($"{path}{name}: required but not set");
                }
            }

            foreach (var (key, child) in value)
            {
                if (specs[key] is not JsonObject spec)
                {
                    errors.Add($"{path}{key}: not in the schema");
                    continue;
                }

                Check(child, spec, path + key);
            }
        }

        void Check(JsonNode? value, JsonObject spec, string path)
        {
            if (value is JsonValue e && e.TryGetValue<string>(out var text) && text == Expression)
            {
                if ((bool?)spec["plain"] == true)
                {
                    errors.Add($"{path}: plain (known at preview), so it must be a literal");
                }

                return;
            }

            if ((string?)spec["$ref"] is { } reference)
            {
                var type = schema["types"]![reference.Split('/')[^1]]!.AsObject();
                if (value is JsonObject obj)
                {
                    CheckObject(obj, type["properties"]!.AsObject(), type["required"]?.AsArray(), path + ".");
                }
                else
                {
                    errors.Add($"{path}: must be a mapping; got {value?.ToJsonString()}");
                }

                return;
            }

            var kind = (string?)spec["type"];
            var ok = kind switch
            {
                "string" => value is JsonValue s && s.TryGetValue<string>(out _),
                "boolean" => value is JsonValue b && b.TryGetValue<bool>(out _),
                "integer" => value is JsonValue i && i.TryGetValue<double>(out var n) && n == Math.Floor(n),
                "number" => value is JsonValue d && d.TryGetValue<double>(out _),
                "array" => value is JsonArray,
                "object" => value is JsonObject,
                _ => false,
            };
            if (!ok)
            {
                errors.Add($"{path}: must be of type {kind}; got {value?.ToJsonString()}");
                return;
            }

            if (kind == "array")
            {
                var items = value!.AsArray();
                for (var i = 0; i < items.Count; i++)
                {
                    Check(items[i], spec["items"]!.AsObject(), $"{path}[{i}]");
                }
            }
            else if (kind == "object")
            {
                foreach (var (key, child) in value!.AsObject())
                {
                    Check(child, spec["additionalProperties"]!.AsObject(), $"{path}.{key}");
                }
            }
        }
    }

    /// <summary>The properties of the example's StepScaledEcsService resource; <c>${…}</c> is an expression.</summary>
    private static JsonObject YamlComponentProperties()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(PulumiTestKit.RepoRoot(), "examples", "yaml", "Pulumi.yaml")))
        {
            yaml.Load(reader);
        }

        var resources = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["resources"];
        var component = resources.Children.Values.Cast<YamlMappingNode>().Single(r => ((YamlScalarNode)r["type"]).Value == Token);
        return Convert(component["properties"])!.AsObject();

        static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
            YamlSequenceNode s => new JsonArray([.. s.Children.Select(Convert)]),
            YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p when p.Value is "true" or "false" => JsonValue.Create(p.Value == "true"),
            YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p when double.TryParse(p.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            YamlScalarNode p when p.Value!.StartsWith("${", StringComparison.Ordinal) => JsonValue.Create(Expression),
            YamlScalarNode p => JsonValue.Create(p.Value),
            _ => null,
        };
    }

    /// <summary>
    /// The object literal given to <c>new stepScaledEcs.StepScaledEcsService("web", { … })</c>, read by a small
    /// parser of literals: strings, numbers, booleans, objects and arrays; anything else is an expression.
    /// </summary>
    private static JsonObject TypeScriptComponentProperties()
    {
        var source = File.ReadAllText(Path.Combine(PulumiTestKit.RepoRoot(), "examples", "typescript", "index.ts"));
        var start = source.IndexOf("new stepScaledEcs.StepScaledEcsService(", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "the example creates the component");
        var position = source.IndexOf('{', start);
        return new LiteralParser(source, position).Value()!.AsObject();
    }

    private sealed class LiteralParser(string text, int position)
    {
        private int _at = position;

        public JsonNode? Value()
        {
            Skip();
            var c = text[_at];
            if (c == '{')
            {
                _at++;
                var obj = new JsonObject();
                while (Skip() != '}')
                {
                    var key = text[_at] is '"' or '\'' ? String() : Identifier();
                    Skip();
                    Expect(':');
                    obj[key] = Value();
                    if (Skip() == ',')
                    {
                        _at++;
                    }
                }

                _at++;
                return obj;
            }

            if (c == '[')
            {
                _at++;
                var array = new JsonArray();
                while (Skip() != ']')
                {
                    array.Add(Value());
                    if (Skip() == ',')
                    {
                        _at++;
                    }
                }

                _at++;
                return array;
            }

            if (c is '"' or '\'')
            {
                return JsonValue.Create(String());
            }

            var raw = Expression();
            return raw switch
            {
                "true" or "false" => JsonValue.Create(raw == "true"),
                _ when double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
                _ => JsonValue.Create(ExampleTests.Expression),
            };
        }

        private char Skip()
        {
            while (true)
            {
                while (char.IsWhiteSpace(text[_at]))
                {
                    _at++;
                }

                if (text[_at] == '/' && text[_at + 1] == '/')
                {
                    _at = text.IndexOf('\n', _at);
                    continue;
                }

                return text[_at];
            }
        }

        private void Expect(char c)
        {
            Assert.That(text[_at], Is.EqualTo(c), $"at {_at}");
            _at++;
        }

        private string String()
        {
            var quote = text[_at++];
            var end = text.IndexOf(quote, _at);
            var value = text[_at..end];
            _at = end + 1;
            return value;
        }

        private string Identifier()
        {
            var begin = _at;
            while (char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or '$')
            {
                _at++;
            }

            return text[begin.._at];
        }

        // Up to the next ',', '}' or ']' outside brackets: `cluster.arn`, `subnets.ids`, a call.
        private string Expression()
        {
            var begin = _at;
            var depth = 0;
            while (depth > 0 || text[_at] is not (',' or '}' or ']'))
            {
                depth += text[_at] is '(' or '[' or '{' ? 1 : text[_at] is ')' or ']' or '}' ? -1 : 0;
                _at++;
            }

            return text[begin.._at].Trim();
        }
    }
}
