using System.Collections.Immutable;
using System.Text.Json;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Import;

/// <summary>
/// Reads the JSON of <c>terraform show -json</c>: a saved plan (<c>planned_values</c>, with <c>configuration</c>
/// to follow references whose values are only known after apply) or state (<c>values</c>), child modules included.
/// Format: "JSON Output Format", https://developer.hashicorp.com/terraform/internals/json-format.
/// Resource arguments: the AWS provider's <c>aws_appautoscaling_target</c>, <c>aws_appautoscaling_policy</c> and
/// <c>aws_cloudwatch_metric_alarm</c> pages (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/…).
/// </summary>
public static class TerraformReader
{
    /// <summary>Resource types the import reads.</summary>
    public const string TargetType = "aws_appautoscaling_target";

    /// <summary>The policy resource type.</summary>
    public const string PolicyType = "aws_appautoscaling_policy";

    /// <summary>The alarm resource type.</summary>
    public const string AlarmType = "aws_cloudwatch_metric_alarm";

    /// <summary>The cluster part of a resource id built from an ECS service whose cluster's name is not known before apply.</summary>
    public const string UnknownCluster = "(cluster)";

    /// <summary>Whether <paramref name="root"/> looks like <c>terraform show -json</c> output.</summary>
    public static bool Accepts(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format_version", out var v) && v.ValueKind == JsonValueKind.String;

    /// <summary>Reads the targets, policies and alarms of a plan or state.</summary>
    /// <param name="root">The parsed document.</param>
    /// <param name="source">The file name, for messages.</param>
    public static ImportInput Read(JsonElement root, string source)
    {
        var findings = new List<Diagnostic>();
        var isPlan = root.Prop("planned_values") is not null;
        var kind = isPlan ? "terraform show -json (plan)" : "terraform show -json (state)";
        if ((isPlan ? root.Prop("planned_values") : root.Prop("values"))?.Prop("root_module") is not { } rootModule)
        {
            // `terraform show -json` of an empty state has no values at all.
            findings.Add(Diagnostic.Error(source, isPlan
                ? "the plan has no planned_values.root_module: it plans no resources"
                : "the state has no values.root_module: it holds no resources (was `terraform show -json` run on the right workspace?)"));
            return new ImportInput { Kind = kind, Findings = [.. findings] };
        }

        var resources = new List<TfResource>();
        Collect(rootModule, string.Empty, Changes(root), resources);
        var config = new TfConfig(root.Prop("configuration"));
        var reader = new Reader(new Context(resources, config), source, findings);
        var region = config.Region ?? resources.Select(r => Arns.Region(r.Values.Str("arn"))).FirstOrDefault(x => x is not null);
        return new ImportInput
        {
            Kind = kind,
            Targets = [.. resources.Where(r => r.Type == TargetType).Select(reader.Target)],
            Policies = [.. resources.Where(r => r.Type == PolicyType).Select(reader.Policy)],
            Alarms = [.. resources.Where(r => r.Type == AlarmType).Select(reader.Alarm)],
            Region = region,
            Findings = [.. findings],
        };
    }

    /// <summary>A plan's <c>resource_changes</c> by address: what is unknown and sensitive after apply.</summary>
    private static Dictionary<string, JsonElement> Changes(JsonElement root)
    {
        var changes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var rc in root.Items("resource_changes"))
        {
            if (rc.Str("address") is { } address && rc.Prop("change") is { } change)
            {
                changes[address] = change;
            }
        }

        return changes;
    }

    /// <summary>Reads each resource's arguments by the one field rule (<see cref="InputObject"/>).</summary>
    private sealed class Reader(Context ctx, string source, List<Diagnostic> findings)
    {
        private readonly Dictionary<string, string> _arnToPolicy = ctx.Resources.Where(r => r.Type == PolicyType && r.Values.Str("arn") is { Length: > 0 })
            .GroupBy(r => r.Values.Str("arn")!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Address, StringComparer.Ordinal);

        public ImportedTarget Target(TfResource r)
        {
            var v = Values(r);
            return new ImportedTarget
            {
                Key = r.Address,
                Where = v.Where,
                ServiceNamespace = v.Str("service_namespace"),
                ResourceId = ctx.ResourceId(r, 0),
                ScalableDimension = v.Str("scalable_dimension"),
                MinCapacity = v.Int("min_capacity"),
                MaxCapacity = v.Int("max_capacity"),
            };
        }

        public ImportedPolicy Policy(TfResource r)
        {
            var v = Values(r);
            var conf = v.Block("step_scaling_policy_configuration");
            return new ImportedPolicy
            {
                Key = r.Address,
                Where = v.Where,
                Name = v.Str("name"),
                // The provider's default policy type is StepScaling.
                PolicyType = v.Str("policy_type") ?? "StepScaling",
                // In a plan resource_id may be unknown: the target its expression refers to identifies the service.
                TargetKey = ctx.Referenced(r, "resource_id").FirstOrDefault(t => t.Type == TargetType)?.Address,
                // Unknown before apply, these come from the target the policy refers to (TargetKey).
                ServiceNamespace = v.IsUnknown("service_namespace") ? null : v.Str("service_namespace"),
                ResourceId = ctx.ResourceId(r, 0),
                ScalableDimension = v.IsUnknown("scalable_dimension") ? null : v.Str("scalable_dimension"),
                AdjustmentType = NonEmpty(conf?.Str("adjustment_type")),
                Cooldown = conf?.Int("cooldown"),
                MetricAggregationType = NonEmpty(conf?.Str("metric_aggregation_type")),
                // The provider stores an unset magnitude as 0, which AWS would reject (it must be at least 1).
                MinAdjustmentMagnitude = conf?.Int("min_adjustment_magnitude") is { } m and > 0 ? m : null,
                Steps = conf is null ? [] : [.. conf.Items("step_adjustment").Select(Step)],
            };
        }

        public ImportedAlarm Alarm(TfResource r)
        {
            var v = Values(r);
            var (dimensions, unknownDimensions) = Dimensions(r, v);
            return new ImportedAlarm
            {
                Key = r.Address,
                Where = v.Where,
                Name = v.Str("alarm_name"),
                Namespace = NonEmpty(v.Str("namespace")),
                MetricName = NonEmpty(v.Str("metric_name")),
                Dimensions = dimensions,
                UnknownDimensions = unknownDimensions,
                Statistic = NonEmpty(v.Str("statistic")),
                ExtendedStatistic = NonEmpty(v.Str("extended_statistic")),
                Unit = NonEmpty(v.Str("unit")),
                // The provider stores an unset period and datapoints_to_alarm as 0.
                Period = v.Int("period") is { } p and > 0 ? p : null,
                EvaluationPeriods = v.Int("evaluation_periods"),
                DatapointsToAlarm = v.Int("datapoints_to_alarm") is { } dp and > 0 ? dp : null,
                ComparisonOperator = NonEmpty(v.Str("comparison_operator")),
                Threshold = v.Number("threshold"),
                TreatMissingData = NonEmpty(v.Str("treat_missing_data")),
                ActionsEnabled = v.Bool("actions_enabled") ?? true,
                Queries = [.. v.Items("metric_query").Select(Query)],
                AlarmActions = Actions(r, v),
                OtherActions = [.. v.Strings("ok_actions").Known, .. v.Strings("insufficient_data_actions").Known],
            };
        }

        private InputObject Values(TfResource r) =>
            new(r.Values, $"{source}#{r.Address}", findings, string.Empty, r.Unknown, r.Sensitive);

        private StepAdjustment Step(InputObject s) => new(
            s.Number("metric_interval_lower_bound"),
            s.Number("metric_interval_upper_bound"),
            s.RequiredInt("scaling_adjustment", "every step adjustment names one", int.MinValue) ?? 0);

        private static MetricQuery Query(InputObject q) => new()
        {
            Id = q.RequiredStr("id", "every metric_query has one"),
            Expression = NonEmpty(q.Str("expression")),
            Label = NonEmpty(q.Str("label")),
            ReturnData = q.Bool("return_data") ?? false,
            Metric = q.Block("metric") is { } m ? new MetricStat
            {
                Namespace = m.RequiredStr("namespace", "a metric_query's metric names one"),
                MetricName = m.RequiredStr("metric_name", "a metric_query's metric names one"),
                Dimensions = m.StringMap("dimensions").Known,
                Stat = m.RequiredStr("stat", "every metric_query's metric has one"),
                Period = m.RequiredInt("period", "every metric_query's metric has one", 1) ?? 0,
                Unit = NonEmpty(m.Str("unit")),
            } : null,
        };

        /// <summary>
        /// The alarm's actions: known ARNs (a policy's address where it is one); where the plan leaves an action
        /// unknown (a new policy's ARN: <c>null</c> in the list, <c>after_unknown</c>), the resources that the
        /// configuration's <c>alarm_actions</c> expression refers to, through module outputs too.
        /// </summary>
        private ImmutableArray<string> Actions(TfResource r, InputObject v)
        {
            var (known, hasUnknown) = v.Strings("alarm_actions");
            var actions = known.Select(a => _arnToPolicy.TryGetValue(a, out var p) ? p : a).ToList();
            if (hasUnknown || (known.IsEmpty && r.Values.Prop("alarm_actions") is null))
            {
                var referenced = ctx.Referenced(r, "alarm_actions").Select(t => t.Type == PolicyType ? t.Address : $"{t.Address} ({t.Type})").ToList();
                actions.AddRange(referenced);
                if (referenced.Count == 0 && hasUnknown)
                {
                    findings.Add(Diagnostic.Warning(v.Where, "alarm_actions is not known before apply and its configuration names no resource this plan holds: the actions it leaves unknown are not imported"));
                }
            }

            return [.. actions.Distinct(StringComparer.Ordinal)];
        }

        /// <summary>The known dimensions; an unknown ServiceName or ClusterName is the name of the ECS service or cluster the expression refers to, where that is known.</summary>
        private (ImmutableSortedDictionary<string, string>, ImmutableArray<string>) Dimensions(TfResource r, InputObject v)
        {
            var (known, unknown) = v.StringMap("dimensions");
            if (unknown.IsEmpty)
            {
                return (known, unknown);
            }

            var referenced = ctx.Referenced(r, "dimensions");
            var builder = known.ToBuilder();
            foreach (var (dimension, type) in new[] { ("ServiceName", "aws_ecs_service"), ("ClusterName", "aws_ecs_cluster") })
            {
                var names = referenced.Where(t => t.Type == type).Select(t => t.Values.Str("name")).Distinct().ToList();
                if (unknown.Contains(dimension) && names is [{ } name])
                {
                    builder[dimension] = name;
                }
            }

            return (builder.ToImmutable(), [.. unknown.Where(d => !builder.ContainsKey(d))]);
        }
    }

    /// <summary>The provider writes unset strings as "" in state; they mean absent.</summary>
    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static void Collect(JsonElement module, string moduleAddress, Dictionary<string, JsonElement> changes, List<TfResource> into)
    {
        var address = module.Str("address") ?? moduleAddress;
        foreach (var r in module.Items("resources"))
        {
            if (r.Str("mode") is "data" || r.Str("type") is not { } type || r.Str("name") is not { } name || r.Prop("values") is not { } values)
            {
                continue;
            }

            var index = r.Prop("index") is { } i ? i.GetRawText() : null;
            var full = r.Str("address") ?? $"{(address.Length > 0 ? address + "." : string.Empty)}{type}.{name}";
            var change = changes.TryGetValue(full, out var c) ? c : (JsonElement?)null;
            into.Add(new TfResource(full, type, name, TfConfig.StripIndexes(address), index, values)
            {
                Unknown = change?.Prop("after_unknown"),
                Sensitive = r.Prop("sensitive_values") ?? change?.Prop("after_sensitive"),
            });
        }

        foreach (var child in module.Items("child_modules"))
        {
            Collect(child, child.Str("address") ?? address, changes, into);
        }
    }

    /// <summary>A managed resource instance: its address, its module (indexes stripped, as configuration has it), its index key, and what a plan leaves unknown or marks sensitive.</summary>
    private sealed record TfResource(string Address, string Type, string Name, string ConfigModule, string? Index, JsonElement Values)
    {
        public JsonElement? Unknown { get; init; }

        public JsonElement? Sensitive { get; init; }
    }

    /// <summary>The <c>configuration</c> part: each resource's expressions (references) and each module's outputs.</summary>
    private sealed class TfConfig
    {
        private readonly Dictionary<string, JsonElement> _resources = new(StringComparer.Ordinal);
        private readonly Dictionary<string, JsonElement> _outputs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, JsonElement> _calls = new(StringComparer.Ordinal);

        public TfConfig(JsonElement? configuration)
        {
            if (configuration is { } c)
            {
                Region = c.Prop("provider_config")?.Prop("aws")?.Prop("expressions")?.Prop("region")?.Str("constant_value");
                if (c.Prop("root_module") is { } root)
                {
                    Walk(root, string.Empty);
                }
            }
        }

        public string? Region { get; }

        public static string StripIndexes(string address)
        {
            var sb = new System.Text.StringBuilder(address.Length);
            var depth = 0;
            foreach (var ch in address)
            {
                if (ch == '[')
                {
                    depth++;
                }
                else if (ch == ']')
                {
                    depth--;
                }
                else if (depth == 0)
                {
                    sb.Append(ch);
                }
            }

            return sb.ToString();
        }

        public JsonElement? Expression(TfResource r, string attribute) =>
            _resources.TryGetValue($"{r.ConfigModule}|{r.Type}.{r.Name}", out var res) ? res.Prop("expressions")?.Prop(attribute) : null;

        public JsonElement? Output(string module, string name) =>
            _outputs.TryGetValue($"{module}|{name}", out var o) ? o : null;

        /// <summary>The expression a module call passes for the child module's input variable <paramref name="name"/>.</summary>
        public JsonElement? Argument(string module, string name) =>
            _calls.TryGetValue(module, out var call) ? call.Prop("expressions")?.Prop(name) : null;

        /// <summary>The module that calls <paramref name="module"/> (<c>module.a.module.b</c> → <c>module.a</c>; the root is empty).</summary>
        public static string Parent(string module) =>
            module.LastIndexOf(".module.", StringComparison.Ordinal) is var i and >= 0 ? module[..i] : string.Empty;

        private void Walk(JsonElement module, string path)
        {
            foreach (var r in module.Items("resources"))
            {
                if (r.Str("type") is { } type && r.Str("name") is { } name)
                {
                    _resources[$"{path}|{type}.{name}"] = r;
                }
            }

            if (module.Prop("outputs") is { ValueKind: JsonValueKind.Object } outputs)
            {
                foreach (var o in outputs.EnumerateObject())
                {
                    _outputs[$"{path}|{o.Name}"] = o.Value;
                }
            }

            if (module.Prop("module_calls") is { ValueKind: JsonValueKind.Object } calls)
            {
                foreach (var call in calls.EnumerateObject())
                {
                    var childPath = $"{(path.Length > 0 ? path + "." : string.Empty)}module.{call.Name}";
                    _calls[childPath] = call.Value;
                    if (call.Value.Prop("module") is { } child)
                    {
                        Walk(child, childPath);
                    }
                }
            }
        }
    }

    private sealed class Context(List<TfResource> resources, TfConfig config)
    {
        private const int MaxDepth = 8;

        public List<TfResource> Resources => resources;

        /// <summary>The resources an attribute's expression refers to (through module outputs too).</summary>
        public List<TfResource> Referenced(TfResource from, string attribute)
        {
            var result = new List<TfResource>();
            if (config.Expression(from, attribute) is { } expr)
            {
                foreach (var reference in References(expr))
                {
                    Resolve(reference, from.ConfigModule, from, 0, result);
                }
            }

            return [.. result.Distinct()];
        }

        /// <summary>The resource id: the value if known, else built from the target or ECS service it refers to.</summary>
        public string? ResourceId(TfResource r, int depth)
        {
            if (r.Values.Str("resource_id") is not null || depth > MaxDepth)
            {
                return r.Values.Str("resource_id");
            }

            var referenced = Referenced(r, "resource_id");
            if (referenced.FirstOrDefault(t => t.Type == TargetType && t != r) is { } target)
            {
                return ResourceId(target, depth + 1);
            }

            // "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.web.name}": the service's name is known in the plan.
            if (referenced.FirstOrDefault(t => t.Type == "aws_ecs_service") is { } service && service.Values.Str("name") is { } serviceName)
            {
                var cluster = referenced.FirstOrDefault(t => t.Type == "aws_ecs_cluster")?.Values.Str("name") ?? UnknownCluster;
                return $"service/{cluster}/{serviceName}";
            }

            return null;
        }

        private static IEnumerable<string> References(JsonElement expr)
        {
            // An expression is { "references": [...] } or { "constant_value": … }; a block is a list of such objects.
            if (expr.ValueKind == JsonValueKind.Array)
            {
                return expr.EnumerateArray().SelectMany(References);
            }

            return expr.Items("references").Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!);
        }

        private void Resolve(string reference, string module, TfResource from, int depth, List<TfResource> into)
        {
            var parts = reference.Split('.');
            if (depth > MaxDepth || parts.Length < 2)
            {
                return;
            }

            if (parts.Length >= 3 && parts[0] == "module")
            {
                // module.<call>.<output>: follow the output's expression inside the child module.
                var child = $"{(module.Length > 0 ? module + "." : string.Empty)}module.{StripIndexes(parts[1])}";
                Follow(config.Output(child, StripIndexes(parts[2]))?.Prop("expression"), child, from, depth, into);
            }
            else if (parts[0] == "var" && module.Length > 0)
            {
                // var.<name> inside a child module: follow what the module call passes for it, in the calling module.
                Follow(config.Argument(module, parts[1]), TfConfig.Parent(module), from, depth, into);
            }
            else if (parts[0] is not ("var" or "local" or "data" or "count" or "each" or "path" or "self" or "terraform" or "module"))
            {
                into.AddRange(Instances(parts[0], parts[1], module, from));
            }
        }

        private void Follow(JsonElement? expression, string module, TfResource from, int depth, List<TfResource> into)
        {
            foreach (var inner in expression is { } e ? References(e) : [])
            {
                Resolve(inner, module, from, depth + 1, into);
            }
        }

        /// <summary>The instances <c>type.name</c> or <c>type.name[key]</c> names in a module; without a key under count/for_each, instance i for instance i.</summary>
        private List<TfResource> Instances(string type, string name, string module, TfResource from)
        {
            string? index = null;
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                index = name[(bracket + 1)..].TrimEnd(']');
                name = name[..bracket];
            }

            var candidates = resources.Where(r => r.ConfigModule == module && r.Type == type && r.Name == name).ToList();
            if (index is not null)
            {
                return [.. candidates.Where(r => r.Index == index)];
            }

            // count/for_each on both sides: instance i refers to instance i.
            return candidates.Count > 1 && candidates.Where(r => r.Index == from.Index).ToList() is { Count: 1 } same ? same : candidates;
        }

        private static string StripIndexes(string s) => TfConfig.StripIndexes(s);
    }
}

/// <summary>Small helpers for ARNs (arn:partition:service:region:account:resource).</summary>
internal static class Arns
{
    /// <summary>The region of an ARN, or null.</summary>
    public static string? Region(string? arn) =>
        arn is not null && arn.StartsWith("arn:", StringComparison.Ordinal) && arn.Split(':') is { Length: >= 6 } p && p[3].Length > 0 ? p[3] : null;

    /// <summary>Whether an action ARN is an SNS topic.</summary>
    public static bool IsSns(string action) => action.Contains(":sns:", StringComparison.Ordinal) || action.Contains("(aws_sns_topic)", StringComparison.Ordinal);
}
