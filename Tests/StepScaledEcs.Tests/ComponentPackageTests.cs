using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulumi;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using StepScaledEcs.Provider;
using StepScaling.Config;
using StepScaling.Normalization;
using StepScaling.Text;

namespace StepScaledEcs.Tests;

/// <summary>The component package: the schema the SDK's analyzer derives, its committed copy, and the provider's Construct.</summary>
[TestFixture]
[NonParallelizable] // Pulumi's Deployment is process-global: mock tests must run one at a time.
public sealed class ComponentPackageTests
{
    private const string Token = "step-scaled-ecs:index:StepScaledEcsService";
    private const string TypePrefix = "#/types/step-scaled-ecs:index:";

    private static string SchemaPath => Path.Combine(PulumiTestKit.RepoRoot(), "Components", "StepScaledEcs.Provider", "schema.json");

    [Test]
    public void GenerateSchema_Component_HasTheTokenRequiredInputsAndOutputs()
    {
        var spec = PackageSchema.Spec(version: null);

        Assert.That(spec.Name, Is.EqualTo("step-scaled-ecs"));
        Assert.That(spec.Resources.Keys, Is.EqualTo(new[] { Token }));
        Assert.That(StepScaledEcsService.TypeToken, Is.EqualTo(Token), "the component registers with the token the schema names");
        var resource = spec.Resources[Token];
        Assert.That(resource.IsComponent, Is.True);
        Assert.That(resource.RequiredInputs, Is.EqualTo(new[] { "clusterArn", "clusterName", "subnets" }));
        Assert.That(resource.InputProperties.Keys, Is.EquivalentTo(new[]
        {
            "alerts", "capacityProviderStrategy", "clusterArn", "clusterHasContainerInsights", "clusterName", "flapCheck",
            "loadBalancer", "scaling", "securityGroups", "service", "subnets", "tags", "taskRolePolicyArns",
        }));
        Assert.That(resource.Properties.Keys, Is.EquivalentTo(new[]
        {
            "alarmNames", "alertAlarmNames", "policyArns", "scalableTargetResourceId", "scalingSummary", "serviceArn", "serviceName", "taskDefinitionArn",
        }));
    }

    [Test]
    public void GenerateSchema_Inputs_ReferencesAreInputsAndScalingIsPlain()
    {
        var inputs = PackageSchema.Spec(version: null).Resources[Token].InputProperties;

        Assert.Multiple(() =>
        {
            // References to other resources may be unknown at preview: not plain.
            Assert.That((inputs["clusterArn"].Type, inputs["clusterArn"].Plain), Is.EqualTo(("string", (bool?)null)));
            Assert.That((inputs["subnets"].Type, inputs["subnets"].Items!.Type, inputs["subnets"].Items!.Plain), Is.EqualTo(("array", "string", (bool?)null)));
            Assert.That((inputs["tags"].Type, inputs["tags"].AdditionalProperties!.Type), Is.EqualTo(("object", "string")));

            // The settings are validated (and flap-checked) before any child exists: plain, known at preview.
            Assert.That((inputs["service"].Ref, inputs["service"].Plain), Is.EqualTo((TypePrefix + "Service", (bool?)true)));
            Assert.That((inputs["scaling"].Ref, inputs["scaling"].Plain), Is.EqualTo((TypePrefix + "Scaling", (bool?)true)));
            Assert.That((inputs["flapCheck"].Type, inputs["flapCheck"].Plain), Is.EqualTo(("string", (bool?)true)));
            Assert.That(inputs["capacityProviderStrategy"].Items!.Ref, Is.EqualTo(TypePrefix + "CapacityProvider"));
            Assert.That(inputs["loadBalancer"].Ref, Is.EqualTo(TypePrefix + "LoadBalancerAttachment"));
        });
    }

    [TestCase("Service", "image")]
    [TestCase("Service", "environment")]
    [TestCase("Service", "secrets")]
    [TestCase("Service", "logKmsKeyArn")]
    [TestCase("Service", "secretsKmsKeyArns")]
    [TestCase("Alerts", "topicArn")]
    [TestCase("Metric", "targetGroup")]
    [TestCase("Metric", "dimensions")]
    [TestCase("MetricStat", "dimensions")]
    [TestCase("CapacityProvider", "capacityProvider")]
    public void GenerateSchema_ValueFromAnotherResource_IsAnInputInEveryLanguage(string type, string property)
    {
        var spec = PackageSchema.Spec(version: null).Types[$"step-scaled-ecs:index:{type}"].Properties[property];
        var node = PackageSchema.Node(version: null)["types"]![$"step-scaled-ecs:index:{type}"]!["properties"]![property]!;

        Assert.That(spec.Plain, Is.Null, "the analyzer leaves an Input<T>, InputList<T> or InputMap<T> an input");
        Assert.That(node["plain"], Is.Null, "the committed schema does not mark it plain either");
        Assert.That((string?)node["description"], Does.Contain("Input:"), "its description says why it is an input");
    }

    [Test]
    public void Schema_PlainListsAndMaps_AreMarkedPlainAndReferencesStayInputs()
    {
        var schema = PackageSchema.Node(version: null);
        var inputs = schema["resources"]![Token]!["inputProperties"]!;
        var types = schema["types"]!;

        Assert.Multiple(() =>
        {
            Assert.That((bool?)inputs["capacityProviderStrategy"]!["plain"], Is.True);
            Assert.That((bool?)types["step-scaled-ecs:index:Scaling"]!["properties"]!["policies"]!["plain"], Is.True);
            Assert.That((bool?)types["step-scaled-ecs:index:Side"]!["properties"]!["bands"]!["plain"], Is.True);
            Assert.That((bool?)types["step-scaled-ecs:index:Service"]!["properties"]!["writablePaths"]!["plain"], Is.True);
            Assert.That(inputs["taskRolePolicyArns"]!["plain"], Is.Null, "policy ARNs come from other resources");
            Assert.That(types["step-scaled-ecs:index:Service"]!["properties"]!["environment"]!["plain"], Is.Null, "environment values come from other resources");
            Assert.That(inputs["subnets"]!["plain"], Is.Null, "an InputList stays an input");
            Assert.That(inputs["securityGroups"]!["plain"], Is.Null);
            Assert.That(inputs["tags"]!["plain"], Is.Null, "an InputMap stays an input");
        });
    }

    [Test]
    public void GenerateSchema_Types_OneObjectTypePerArgsClass()
    {
        var spec = PackageSchema.Spec(version: null);

        Assert.That(spec.Types.Keys.Select(k => k.Split(':')[^1]), Is.EquivalentTo(new[]
        {
            "Alarm", "Alerts", "Band", "CapacityProvider", "HealthCheck", "LoadBalancerAttachment", "Metric", "MetricQuery",
            "MetricStat", "Policy", "Scaling", "Service", "Side", "StepAdjustment",
        }));
        var side = spec.Types["step-scaled-ecs:index:Side"];
        Assert.Multiple(() =>
        {
            Assert.That(side.Properties["bands"].Items!.Ref, Is.EqualTo(TypePrefix + "Band"));
            Assert.That(side.Properties["stepAdjustments"].Items!.Ref, Is.EqualTo(TypePrefix + "StepAdjustment"));
            Assert.That(side.Properties["cooldown"].Type, Is.EqualTo("integer"));
            Assert.That(spec.Types["step-scaled-ecs:index:Band"].Properties["from"].Type, Is.EqualTo("number"));
            Assert.That(spec.Types["step-scaled-ecs:index:Band"].Required, Is.EqualTo(new[] { "change" }));
            Assert.That(spec.Types["step-scaled-ecs:index:Policy"].Required, Is.EqualTo(new[] { "metric", "name" }));
            Assert.That(spec.Types["step-scaled-ecs:index:LoadBalancerAttachment"].Properties["targetGroupArn"].Plain, Is.Null);
        });
    }

    [Test]
    public void Schema_EveryResourceTypeAndProperty_HasADescription()
    {
        var schema = PackageSchema.Node(version: null);
        var missing = new List<string>();
        foreach (var (section, properties) in new[] { ("resources", new[] { "inputProperties", "properties" }), ("types", new[] { "properties" }) })
        {
            foreach (var (token, entry) in schema[section]!.AsObject())
            {
                Check(token, entry);
                foreach (var p in properties)
                {
                    foreach (var (name, property) in entry![p]!.AsObject())
                    {
                        Check($"{token}.{p}.{name}", property);
                    }
                }
            }
        }

        Assert.That(missing, Is.Empty);
        Assert.That((string?)schema["types"]!["step-scaled-ecs:index:Band"]!["properties"]!["from"]!["description"], Is.EqualTo("The lower edge; unset for −∞ (only the lowest scale-in band). Plain: the scaling decides the alarms and policies and is flap-checked before any resource exists."));

        void Check(string where, JsonNode? node)
        {
            if (node?["description"] is not JsonValue d || string.IsNullOrWhiteSpace((string?)d))
            {
                missing.Add(where);
            }
        }
    }

    [Test]
    public void Schema_Committed_IsTheGeneratedSchema()
    {
        var generated = PackageSchema.Json(version: null);

        Assert.That(File.ReadAllText(SchemaPath), Is.EqualTo(generated),
            "schema.json is stale: run `dotnet run --project Components/StepScaledEcs.Provider -- --schema > Components/StepScaledEcs.Provider/schema.json` and review the diff");
    }

    [Test]
    public async Task GetSchema_Provider_ServesTheSchemaWithItsVersion()
    {
        var response = await new StepScaledEcsProvider("1.2.3").GetSchema(new GetSchemaRequest(1, null, null), CancellationToken.None);

        var served = JsonNode.Parse(response.Schema!)!.AsObject();
        Assert.That((string?)served["version"], Is.EqualTo("1.2.3"));
        served["version"] = string.Empty;
        Assert.That(served.ToJsonString(), Is.EqualTo(PackageSchema.Node(version: null).ToJsonString()));
    }

    [Test]
    public void ArgsConfig_EveryArgument_IsAKeyTheConfigMapperReads()
    {
        // Args and config must not drift apart: a property the mapper does not know would be an "unknown key" error.
        // The inputs too: the mapper reads each known one where the args hold it.
        var args = (StepScaledEcsServiceArgs)Filled(typeof(StepScaledEcsServiceArgs));
        var sections = ConfigNode.Object(ArgsConfig.Sections(args).Entries.Where(e => e.Key != "flapCheck"));

        var mapped = StackConfigMapper.MapComponentSections(sections);

        Assert.That(mapped.Diagnostics.Where(d => d.Message.Contains("unknown", StringComparison.Ordinal)), Is.Empty);
        Assert.That(sections.ToString(), Does.Contain("\"scaleOut\":{\"bands\":[{").And.Contain("\"queries\":[{\"id\""), "nested args are filled too");
        Assert.That(sections.ToString(), Does.Contain("\"image\":\"x\"").And.Contain("\"topicArn\":\"x\"").And.Contain("\"targetGroup\":\"x\"").And.Contain("\"dimensions\":{\"KEY\":\"x\"}"), "known inputs reach the mapper");
        Assert.That(References.Of(args).Select(r => r.Path), Has.Member("taskRolePolicyArns").And.Member("capacityProviderStrategy[0].capacityProvider").And.Member("scaling.policies[0].metric.queries[0].metric.dimensions"));
    }

    [TestCase("CPUUtilization")]
    [TestCase("MemoryUtilization")]
    [TestCase("RequestCountPerTarget")]
    public void MetricArgsFromText_ConfigShorthand_MapsToTheSameMetricAsTheText(string shorthand)
    {
        static string Metric(ConfigNode? metric)
        {
            var policy = ConfigNode.FromJson(new JsonObject { ["name"] = "p", ["scaleOut"] = new JsonObject { ["bands"] = new JsonArray(new JsonObject { ["from"] = 70, ["change"] = 1 }) } })!;
            var policies = ConfigNode.List([ConfigNode.Object([.. policy.Entries, KeyValuePair.Create("metric", metric)])]);
            var scaling = ConfigNode.Object([KeyValuePair.Create("policies", (ConfigNode?)policies)]);
            var mapped = StackConfigMapper.MapComponentSections(ConfigNode.Object([KeyValuePair.Create("scaling", (ConfigNode?)scaling)]));
            Assert.That(mapped.HasErrors, Is.False, string.Join("\n", mapped.Diagnostics));
            return mapped.Scaling!.Policies[0].Metric.ToString();
        }

        Assert.That(Metric(ArgsConfig.Read(MetricArgs.FromText(shorthand), "metric")), Is.EqualTo(Metric(ConfigNode.Text(shorthand))));
        Assert.That(() => MetricArgs.FromText("QueueDepth"), Throws.InstanceOf<FormatException>());
    }

    [TestCase("Pulumi.dev.yaml")]
    [TestCase("Pulumi.prod.yaml")]
    public void ArgsConfig_StackConfigReadIntoArgs_MapsToTheConfigsOwnSettings(string stackFile)
    {
        var values = WithoutBuild(StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), stackFile)).Values);
        var config = StackConfigMapper.Map(values).Config!;
        var args = new StepScaledEcsServiceArgs
        {
            ClusterArn = "arn:aws:ecs:eu-west-1:123456789012:cluster/my-cluster",
            ClusterName = "my-cluster",
            Subnets = new InputList<string> { "subnet-a" },
            Service = ArgsJson.FromConfig<ServiceArgs>(values, "service"),
            Scaling = ArgsJson.FromConfig<ScalingArgs>(values, "scaling"),
            FlapCheck = values.GetValueOrDefault("flapCheck"),
            Alerts = ArgsJson.FromConfig<AlertsArgs>(values, "alerts"),
        };

        var mapped = StackConfigMapper.MapComponentSections(ArgsConfig.Sections(args));
        var fromJson = StackConfigMapper.MapComponentSections(new JsonObject([.. StackConfigMapper.ComponentKeys.Where(values.ContainsKey).Select(k => KeyValuePair.Create(k, k == "flapCheck" ? JsonValue.Create(values[k]) : JsonNode.Parse(values[k])))]));

        Assert.That(mapped.HasErrors, Is.False, string.Join("\n", mapped.Diagnostics));
        Assert.That(JsonSerializer.Serialize(mapped.Service), Is.EqualTo(JsonSerializer.Serialize(config.Service)));
        Assert.That(JsonSerializer.Serialize(mapped.Alerts), Is.EqualTo(JsonSerializer.Serialize(config.Alerts)));
        Assert.That(mapped.FlapCheck, Is.EqualTo(config.FlapCheck));
        Assert.That(Summary(mapped.Scaling), Is.EqualTo(Summary(config.Scaling)).And.Not.Empty);
        Assert.That(JsonSerializer.Serialize(mapped with { Scaling = null }), Is.EqualTo(JsonSerializer.Serialize(fromJson with { Scaling = null })), "the args and the JSON give the same sections");
        Assert.That(Summary(mapped.Scaling), Is.EqualTo(Summary(fromJson.Scaling)));

        static string Summary(StepScaling.Model.ScalingDefinition? scaling) =>
            scaling is null ? "off" : PolicyText.Summary(ScalingNormalizer.Normalize(scaling, "stack-app").Spec);
    }

    [Test]
    public async Task WithLegacyAlias_CallerOptions_AddsTheOldTypeAndKeepsTheirs()
    {
        var callers = new ComponentResourceOptions { Protect = true, Aliases = { new Alias { Name = "old-name" } } };

        var merged = StepScaledEcsService.WithLegacyAlias(callers);

        var (types, names) = (new List<string?>(), new List<string?>());
        foreach (var input in merged.Aliases)
        {
            var alias = await PulumiTestKit.ValueAsync(input.ToOutput());
            types.Add(alias.Type is null ? null : await PulumiTestKit.ValueAsync(alias.Type.ToOutput()));
            names.Add(alias.Name is null ? null : await PulumiTestKit.ValueAsync(alias.Name.ToOutput()));
        }

        Assert.That(types, Has.Member("stepscale:ecs:StepScaledEcsService"));
        Assert.That(names, Has.Member("old-name"));
        Assert.That(merged.Protect, Is.True);
        Assert.That(callers.Aliases, Has.Count.EqualTo(1), "the caller's options are not changed");
    }

    [Test]
    public async Task Constructor_AnyStack_AliasesTheUrnOfTheLegacyType()
    {
        // The mock monitor does not hand aliases to IMocks (Testing/MockMonitor.cs), so read what the resource sends:
        // Resource._aliases, each alias collapsed to a URN (Resources/Resource.cs, Deployment.CollapseAliasToUrn).
        var kit = new PulumiTestKit();
        StepScaledEcsService? component = null;
        await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("dev", preview: false), () =>
        {
            component = new StepScaledEcsService("web", StepScaledEcsServiceTests.Args(StepScaledEcsServiceTests.SeedScaling()));
        });

        var field = typeof(Resource).GetField("_aliases", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var aliases = (ImmutableArray<Input<string>>)field.GetValue(component)!;
        var urns = new List<string>();
        foreach (var alias in aliases)
        {
            urns.Add(await PulumiTestKit.ValueAsync(alias.ToOutput()));
        }

        var urn = await PulumiTestKit.ValueAsync(component!.Urn);
        Assert.That(urn, Does.EndWith("step-scaled-ecs:index:StepScaledEcsService::web"));
        // The URN a stack created before the rename holds for a top-level component. (The mock puts the root stack's
        // type in its own URNs, as Pulumi.Tests/Mocks/MocksTests.cs notes (pulumi#8637); a deployment does not.)
        Assert.That(urns, Is.EqualTo(new[] { $"urn:pulumi:dev::{PulumiTestKit.Project}::stepscale:ecs:StepScaledEcsService::web" }));
    }

    [Test]
    public async Task Construct_DevScaling_RegistersTheSameChildrenAsTheConstructor()
    {
        var inputs = DevInputs();
        var viaProvider = new PulumiTestKit();
        await Deployment.TestAsync(viaProvider.Mocks.Object, PulumiTestKit.Options("dev", preview: false), async () =>
        {
            var response = await new StepScaledEcsProvider().Construct(new ConstructRequest(Token, "web", ToPropertyValues(inputs), new ComponentResourceOptions()), CancellationToken.None);
            Assert.That(response.Urn.ToString(), Does.EndWith("::web"));
            Assert.That(response.Outputs["alarmNames"].TryGetMap(out var alarms) ? alarms.Keys : null, Is.EquivalentTo(new[] { "memory-out", "memory-in" }));
        });
        var viaCSharp = new PulumiTestKit();
        await Deployment.TestAsync(viaCSharp.Mocks.Object, PulumiTestKit.Options("dev", preview: false), () =>
        {
            _ = new StepScaledEcsService("web", CSharpArgs(inputs));
        });

        Assert.That(viaProvider.Resources.Count, Is.GreaterThan(10));
        Assert.That(Describe(viaProvider), Is.EqualTo(Describe(viaCSharp)));
    }

    [Test]
    public async Task Construct_InvalidInputs_FailsWithTheConstructorsDiagnostics()
    {
        var inputs = DevInputs();
        inputs["service"]!["cpu"] = 256;
        inputs["service"]!["memory"] = 4096;
        inputs["scaling"]!["maxCapacity"] = 0;
        Exception? viaProvider = null, viaCSharp = null;
        var kit = new PulumiTestKit();
        await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("dev", preview: true), async () =>
        {
            try
            {
                await new StepScaledEcsProvider().Construct(new ConstructRequest(Token, "web", ToPropertyValues(inputs), new ComponentResourceOptions()), CancellationToken.None);
            }
            catch (TargetInvocationException e)
            {
                viaProvider = e.InnerException;
            }

            try
            {
                _ = new StepScaledEcsService("web", CSharpArgs(inputs));
            }
            catch (RunException e)
            {
                viaCSharp = e;
            }
        });

        Assert.That(viaProvider, Is.InstanceOf<RunException>());
        Assert.That(viaProvider!.Message, Is.EqualTo(viaCSharp!.Message));
        Assert.That(viaProvider.Message, Does.Contain("service.memory: with cpu 256, Fargate memory must be 512, 1024 or 2048 MiB; got 4096"));
        Assert.That(viaProvider.Message, Does.Contain("scaling.maxCapacity"));
        Assert.That(kit.Resources, Is.Empty, "nothing is registered when the inputs are invalid");
    }

    /// <summary>
    /// A stack's config without <c>service.build</c>: the stack builds that image and hands the component its
    /// reference; the component's own arguments have no build.
    /// </summary>
    private static ImmutableSortedDictionary<string, string> WithoutBuild(ImmutableSortedDictionary<string, string> values)
    {
        if (!values.TryGetValue("service", out var text) || JsonNode.Parse(text) is not JsonObject service || !service.Remove("build"))
        {
            return values;
        }

        return values.SetItem("service", service.ToJsonString());
    }

    /// <summary>What a program in another language sends: the dev stack's sections (in the schema's shape, as args write them) plus the references, as JSON.</summary>
    private static JsonObject DevInputs()
    {
        var values = WithoutBuild(StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), "Pulumi.dev.yaml")).Values);
        return new JsonObject
        {
            ["clusterArn"] = "arn:aws:ecs:eu-west-1:123456789012:cluster/my-cluster",
            ["clusterName"] = "my-cluster",
            ["subnets"] = new JsonArray("subnet-a", "subnet-b"),
            ["service"] = JsonNode.Parse(ArgsConfig.Read(ArgsJson.FromConfig<ServiceArgs>(values, "service"), "service")!.ToString()),
            ["scaling"] = JsonNode.Parse(ArgsConfig.Read(ArgsJson.FromConfig<ScalingArgs>(values, "scaling"), "scaling")!.ToString()),
            ["tags"] = new JsonObject { ["team"] = "platform" },
        };
    }

    /// <summary>The same inputs as a C# caller writes them.</summary>
    private static StepScaledEcsServiceArgs CSharpArgs(JsonObject inputs) => new()
    {
        ClusterArn = (string)inputs["clusterArn"]!,
        ClusterName = (string)inputs["clusterName"]!,
        Subnets = new InputList<string> { "subnet-a", "subnet-b" },
        Service = ArgsJson.FromConfig<ServiceArgs>(new Dictionary<string, string> { ["service"] = inputs["service"]!.ToJsonString() }, "service"),
        Scaling = ArgsJson.FromConfig<ScalingArgs>(new Dictionary<string, string> { ["scaling"] = inputs["scaling"]!.ToJsonString() }, "scaling"),
        Tags = new InputMap<string> { { "team", "platform" } },
    };

    private static List<string> Describe(PulumiTestKit kit) =>
        [.. kit.Resources.Select(r => $"{r.Type} {r.Name} {JsonSerializer.Serialize(r.Inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value))}").Order(StringComparer.Ordinal)];

    private static ImmutableDictionary<string, PropertyValue> ToPropertyValues(JsonObject obj) =>
        obj.ToImmutableDictionary(kv => kv.Key, kv => ToPropertyValue(kv.Value));

    private static PropertyValue ToPropertyValue(JsonNode? node) => node switch
    {
        null => PropertyValue.Null,
        JsonObject o => new PropertyValue(ToPropertyValues(o)),
        JsonArray a => new PropertyValue([.. a.Select(ToPropertyValue)]),
        JsonValue v when v.TryGetValue<string>(out var s) => new PropertyValue(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => new PropertyValue(b),
        _ => new PropertyValue(double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture)),
    };

    /// <summary>An instance of an args type with every property set: text, numbers, flags, one-element lists and maps, nested args.</summary>
    private static object Filled(Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.CanWrite && p.GetCustomAttributesData().Any(a => a.AttributeType == typeof(InputAttribute))))
        {
            property.SetValue(instance, Value(property.PropertyType));
        }

        return instance;

        static object Value(Type t)
        {
            t = Nullable.GetUnderlyingType(t) ?? t;
            if (t == typeof(string))
            {
                return "x";
            }

            if (t == typeof(Input<string>))
            {
                return (Input<string>)"x";
            }

            if (t == typeof(InputList<string>))
            {
                return new InputList<string> { "x" };
            }

            if (t == typeof(InputMap<string>))
            {
                return new InputMap<string> { { "KEY", "x" } };
            }

            if (t == typeof(int) || t == typeof(double) || t == typeof(bool))
            {
                return t == typeof(int) ? 1 : t == typeof(double) ? 1.5 : true;
            }

            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
            {
                var list = (IList)Activator.CreateInstance(t)!;
                list.Add(Value(t.GetGenericArguments()[0]));
                return list;
            }

            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                var map = (IDictionary)Activator.CreateInstance(t)!;
                map["KEY"] = Value(t.GetGenericArguments()[1]);
                return map;
            }

            return Filled(t);
        }
    }
}
