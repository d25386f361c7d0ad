using System.Collections.Immutable;
using System.Text.Json;
using StepScaling.Model;

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

    /// <summary>Whether <paramref name="root"/> looks like <c>terraform show -json</c> output.</summary>
    public static bool Accepts(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format_version", out var v) && v.ValueKind == JsonValueKind.String;

    /// <summary>Reads the targets, policies and alarms of a plan or state.</summary>
    /// <param name="root">The parsed document.</param>
    /// <param name="source">The file name, for messages.</param>
    public static ImportInput Read(JsonElement root, string source)
    {
        var findings = new List<ImportFinding>();
        var isPlan = root.Prop("planned_values") is not null;
        var kind = isPlan ? "terraform show -json (plan)" : "terraform show -json (state)";
        var top = isPlan ? root.Prop("planned_values") : root.Prop("values");
        var resources = new List<TfResource>();
        if (top?.Prop("root_module") is { } rootModule)
        {
            Collect(rootModule, string.Empty, resources);
        }
        else
        {
            // `terraform show -json` of an empty state has no values at all.
            findings.Add(new ImportFinding(ImportLevel.Error, source, isPlan
                ? "the plan has no planned_values.root_module: it plans no resources"
                : "the state has no values.root_module: it holds no resources (was `terraform show -json` run on the right workspace?)"));
            return new ImportInput { Kind = kind, Findings = [.. findings] };
        }

        var config = new TfConfig(root.Prop("configuration"));
        var ctx = new Context(resources, config);
        var targets = resources.Where(r => r.Type == TargetType).Select(r => Target(r, ctx, source)).ToImmutableArray();
        var policies = resources.Where(r => r.Type == PolicyType).Select(r => Policy(r, ctx, source)).ToImmutableArray();
        var arnToPolicy = resources.Where(r => r.Type == PolicyType && r.Values.Str("arn") is { Length: > 0 })
            .GroupBy(r => r.Values.Str("arn")!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Address, StringComparer.Ordinal);
        var alarms = resources.Where(r => r.Type == AlarmType).Select(r => Alarm(r, ctx, config, arnToPolicy, source, findings)).ToImmutableArray();
        var region = config.Region ?? resources.Select(r => Arns.Region(r.Values.Str("arn"))).FirstOrDefault(x => x is not null);
        return new ImportInput { Kind = kind, Targets = targets, Policies = policies, Alarms = alarms, Region = region, Findings = [.. findings] };
    }

    private static ImportedTarget Target(TfResource r, Context ctx, string source) => new()
    {
        Key = r.Address,
        Where = $"{source}#{r.Address}",
        ServiceNamespace = r.Values.Str("service_namespace"),
        ResourceId = ctx.ResourceId(r, 0),
        ScalableDimension = r.Values.Str("scalable_dimension"),
        MinCapacity = r.Values.Int("min_capacity"),
        MaxCapacity = r.Values.Int("max_capacity"),
    };

    private static ImportedPolicy Policy(TfResource r, Context ctx, string source)
    {
        var v = r.Values;
        var conf = v.Block("step_scaling_policy_configuration");
        return new ImportedPolicy
        {
            Key = r.Address,
            Where = $"{source}#{r.Address}",
            Name = v.Str("name"),
            // The provider's default policy type is StepScaling.
            PolicyType = v.Str("policy_type") ?? "StepScaling",
            // In a plan resource_id may be unknown; the target it refers to then identifies the service.
            TargetKey = v.Str("resource_id") is null ? ctx.Referenced(r, "resource_id").FirstOrDefault(t => t.Type == TargetType)?.Address : null,
            ServiceNamespace = v.Str("service_namespace"),
            ResourceId = ctx.ResourceId(r, 0),
            ScalableDimension = v.Str("scalable_dimension"),
            AdjustmentType = conf?.Str("adjustment_type"),
            Cooldown = conf?.Int("cooldown"),
            MetricAggregationType = conf?.Str("metric_aggregation_type") is { Length: > 0 } agg ? agg : null,
            // The provider stores an unset magnitude as 0, which AWS would reject (it must be at least 1).
            MinAdjustmentMagnitude = conf?.Int("min_adjustment_magnitude") is { } m and > 0 ? m : null,
            Steps = conf is { } c ? [.. c.Items("step_adjustment").Select(s => new StepAdjustment(
                s.Num("metric_interval_lower_bound"), s.Num("metric_interval_upper_bound"), s.Int("scaling_adjustment") ?? 0))] : [],
        };
    }

    private static ImportedAlarm Alarm(TfResource r, Context ctx, TfConfig config, Dictionary<string, string> arnToPolicy, string source, List<ImportFinding> findings)
    {
        var v = r.Values;
        ImmutableArray<string> actions;
        if (v.Prop("alarm_actions") is { ValueKind: JsonValueKind.Array })
        {
            actions = [.. v.Strings("alarm_actions").Select(a => arnToPolicy.TryGetValue(a, out var p) ? p : a)];
        }
        else
        {
            // In a plan the ARNs of new policies are unknown: the configuration says which resources the actions name.
            actions = [.. ctx.Referenced(r, "alarm_actions").Select(t => t.Type == PolicyType ? t.Address : $"{t.Address} ({t.Type})").Distinct(StringComparer.Ordinal)];
            if (actions.IsEmpty && config.Expression(r, "alarm_actions") is not null)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, $"{source}#{r.Address}", "alarm_actions is not known before apply and names no resource this plan holds"));
            }
        }

        return new ImportedAlarm
        {
            Key = r.Address,
            Where = $"{source}#{r.Address}",
            Name = v.Str("alarm_name"),
            Namespace = v.Str("namespace"),
            MetricName = v.Str("metric_name"),
            Dimensions = v.StringMap("dimensions"),
            Statistic = NonEmpty(v.Str("statistic")),
            ExtendedStatistic = NonEmpty(v.Str("extended_statistic")),
            Unit = NonEmpty(v.Str("unit")),
            Period = v.Int("period") is { } p and > 0 ? p : null,
            EvaluationPeriods = v.Int("evaluation_periods"),
            DatapointsToAlarm = v.Int("datapoints_to_alarm") is { } dp and > 0 ? dp : null,
            ComparisonOperator = v.Str("comparison_operator"),
            Threshold = v.Num("threshold"),
            TreatMissingData = v.Str("treat_missing_data"),
            ActionsEnabled = v.Bool("actions_enabled") ?? true,
            Queries = [.. v.Items("metric_query").Select(q => new MetricQuery
            {
                Id = q.Str("id") ?? string.Empty,
                Expression = NonEmpty(q.Str("expression")),
                Label = NonEmpty(q.Str("label")),
                ReturnData = q.Bool("return_data") ?? false,
                Metric = q.Block("metric") is { } m ? new MetricStat
                {
                    Namespace = m.Str("namespace") ?? string.Empty,
                    MetricName = m.Str("metric_name") ?? string.Empty,
                    Dimensions = m.StringMap("dimensions"),
                    Stat = m.Str("stat") ?? string.Empty,
                    Period = m.Int("period") ?? 0,
                    Unit = NonEmpty(m.Str("unit")),
                } : null,
            })],
            AlarmActions = actions,
            OtherActions = [.. v.Strings("ok_actions"), .. v.Strings("insufficient_data_actions")],
        };
    }

    /// <summary>The provider writes unset strings as "" in state; they mean absent.</summary>
    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static void Collect(JsonElement module, string moduleAddress, List<TfResource> into)
    {
        var address = module.Str("address") ?? moduleAddress;
        foreach (var r in module.Items("resources"))
        {
            if (r.Str("mode") is "data" || r.Str("type") is not { } type || r.Str("name") is not { } name || r.Prop("values") is not { } values)
            {
                continue;
            }

            var index = r.Prop("index") is { } i ? i.GetRawText() : null;
            into.Add(new TfResource(r.Str("address") ?? $"{(address.Length > 0 ? address + "." : string.Empty)}{type}.{name}", type, name, TfConfig.StripIndexes(address), index, values));
        }

        foreach (var child in module.Items("child_modules"))
        {
            Collect(child, child.Str("address") ?? address, into);
        }
    }

    /// <summary>A managed resource instance: its address, its module (indexes stripped, as configuration has it), its index key.</summary>
    private sealed record TfResource(string Address, string Type, string Name, string ConfigModule, string? Index, JsonElement Values);

    /// <summary>The <c>configuration</c> part: each resource's expressions (references) and each module's outputs.</summary>
    private sealed class TfConfig
    {
        private readonly Dictionary<string, JsonElement> _resources = new(StringComparer.Ordinal);
        private readonly Dictionary<string, JsonElement> _outputs = new(StringComparer.Ordinal);

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
                    if (call.Value.Prop("module") is { } child)
                    {
                        Walk(child, $"{(path.Length > 0 ? path + "." : string.Empty)}module.{call.Name}");
                    }
                }
            }
        }
    }

    private sealed class Context(List<TfResource> resources, TfConfig config)
    {
        private const int MaxDepth = 8;

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
                var cluster = referenced.FirstOrDefault(t => t.Type == "aws_ecs_cluster")?.Values.Str("name") ?? "(cluster)";
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

            return expr.Strings("references");
        }

        private void Resolve(string reference, string module, TfResource from, int depth, List<TfResource> into)
        {
            if (depth > MaxDepth)
            {
                return;
            }

            var parts = reference.Split('.');
            if (parts.Length >= 3 && parts[0] == "module")
            {
                // module.<call>.<output>: follow the output's expression inside the child module.
                var child = $"{(module.Length > 0 ? module + "." : string.Empty)}module.{StripIndexes(parts[1])}";
                if (config.Output(child, StripIndexes(parts[2])) is { } output && output.Prop("expression") is { } e)
                {
                    foreach (var inner in References(e))
                    {
                        Resolve(inner, child, from, depth + 1, into);
                    }
                }

                return;
            }

            if (parts.Length < 2 || parts[0] is "var" or "local" or "data" or "count" or "each" or "path" or "self" or "terraform")
            {
                return;
            }

            var type = parts[0];
            var name = parts[1];
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
                candidates = [.. candidates.Where(r => r.Index == index)];
            }
            else if (candidates.Count > 1 && candidates.Where(r => r.Index == from.Index).ToList() is { Count: 1 } same)
            {
                // count/for_each on both sides: instance i refers to instance i.
                candidates = same;
            }

            into.AddRange(candidates);
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
