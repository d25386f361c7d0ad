using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StepScaling.Model;

namespace StepScaling.Import;

/// <summary>An ECS service found in the input, with the number of scaling policies on it.</summary>
/// <param name="ResourceId"><c>service/&lt;cluster&gt;/&lt;service&gt;</c>.</param>
/// <param name="Name">The service name.</param>
/// <param name="Policies">Scaling policies on it (any type).</param>
public sealed record ImportedService(string ResourceId, string Name, int Policies);

/// <summary>Where one side of an imported policy came from: the alarm and the policy that made it.</summary>
/// <param name="Policy">The config policy name.</param>
/// <param name="Side">The side.</param>
/// <param name="Alarm">The alarm's name in AWS (or its address).</param>
/// <param name="ScalingPolicy">The scaling policy's name in AWS (or its address).</param>
public sealed record ImportedSideSource(string Policy, ScalingSide Side, string Alarm, string ScalingPolicy);

/// <summary>What an import produced for one service.</summary>
public sealed record ImportResult
{
    /// <summary>Every ECS service the input scales.</summary>
    public ImmutableArray<ImportedService> Services { get; init; } = [];

    /// <summary>True when the input scales several services and none was selected: the caller lists them.</summary>
    public bool NeedsServiceSelection { get; init; }

    /// <summary>The selected service's name, or null when nothing was imported.</summary>
    public string? ServiceName { get; init; }

    /// <summary>The AWS region, when the input says.</summary>
    public string? Region { get; init; }

    /// <summary>The imported scaling, or null when nothing could be imported.</summary>
    public ScalingDefinition? Scaling { get; init; }

    /// <summary>Whether the input gave the capacity limits (a scalable target).</summary>
    public bool HasCapacity { get; init; }

    /// <summary>Where each side came from, for comments in the written file.</summary>
    public ImmutableArray<ImportedSideSource> Sources { get; init; } = [];

    /// <summary>Everything the import found: errors, what it could not represent, and notes.</summary>
    public ImmutableArray<ImportFinding> Findings { get; init; } = [];

    /// <summary>True when any finding is an error.</summary>
    public bool HasErrors => Findings.Any(f => f.Level == ImportLevel.Error);
}

/// <summary>
/// Turns targets, policies and alarms read from Terraform or the AWS CLI into a <see cref="ScalingDefinition"/> of
/// raw relative steps (<c>alarm</c> + <c>stepAdjustments</c>), which reproduces the setup exactly. Whatever the
/// stack cannot represent is reported, never dropped silently.
/// </summary>
public static class ScalingImporter
{
    /// <summary>The scalable dimension of an ECS service's task count.</summary>
    public const string EcsDimension = "ecs:service:DesiredCount";

    /// <summary>
    /// The cooldown AWS applies to a step policy that sets none ("If not specified, the default value is 300",
    /// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html).
    /// </summary>
    public const int AwsDefaultCooldown = 300;

    /// <summary>The aggregation AWS applies when none is set ("If the aggregation type is null, the value is treated as Average", same page).</summary>
    public const MetricAggregationType AwsDefaultAggregation = MetricAggregationType.Average;

    /// <summary>Imports the scaling of one ECS service.</summary>
    /// <param name="input">What the readers found.</param>
    /// <param name="service">The service name or resource id to import; null when the input holds one service.</param>
    public static ImportResult Import(ImportInput input, string? service)
    {
        ArgumentNullException.ThrowIfNull(input);
        var findings = new List<ImportFinding>(input.Findings);
        if (input.Findings.Any(f => f.Level == ImportLevel.Error))
        {
            return new ImportResult { Findings = [.. findings] };
        }

        var linked = LinkPolicies(input, findings);
        var services = linked.Values.Select(v => v.ResourceId)
            .Concat(input.Targets.Where(t => t.ServiceNamespace == "ecs" && t.ScalableDimension == EcsDimension && t.ResourceId is not null).Select(t => t.ResourceId!))
            .Distinct(StringComparer.Ordinal)
            .Select(id => new ImportedService(id, ServiceName(id), linked.Count(kv => kv.Value.ResourceId == id)))
            .ToImmutableArray();
        if (services.IsEmpty)
        {
            findings.Add(new ImportFinding(ImportLevel.Error, input.Kind, $"no ECS service scaling found: the input holds {Count(input.Targets.Length, "scalable target")}, {Count(input.Policies.Length, "scaling policy")} and {Count(input.Alarms.Length, "metric alarm")}, none of them on an ECS service's {EcsDimension}"));
            return new ImportResult { Findings = [.. findings] };
        }

        if (Choose(services, service, findings) is not { } chosen)
        {
            return new ImportResult { Services = services, NeedsServiceSelection = service is null, Findings = [.. findings] };
        }

        var ours = linked.Where(kv => kv.Value.ResourceId == chosen.ResourceId).Select(kv => kv.Key).ToList();
        var target = linked.Where(kv => kv.Value.ResourceId == chosen.ResourceId).Select(kv => kv.Value.Target).FirstOrDefault(t => t is not null)
            ?? input.Targets.FirstOrDefault(t => t.ResourceId == chosen.ResourceId && t.ScalableDimension == EcsDimension);
        var (policies, sources) = Policies(Pairs(input.Alarms, ours, findings), chosen, findings);
        if (policies.Count == 0)
        {
            findings.Add(new ImportFinding(ImportLevel.Error, chosen.ResourceId, "nothing to import: no step-scaling policy of this service is triggered by an alarm the stack can represent (see the warnings above)"));
        }

        if (target is null)
        {
            findings.Add(new ImportFinding(ImportLevel.Warning, chosen.ResourceId, input.HasTargets
                ? $"no scalable target for this service in the input: minCapacity and maxCapacity are not known, so the stack's defaults ({Defaults.MinCapacity} and {Defaults.MaxCapacity}) apply; set them"
                : $"minCapacity and maxCapacity are not known without the output of `aws application-autoscaling describe-scalable-targets`, so the stack's defaults ({Defaults.MinCapacity} and {Defaults.MaxCapacity}) apply; pass it, or set them"));
        }

        return new ImportResult
        {
            Services = services,
            ServiceName = chosen.Name,
            Region = input.Region,
            Scaling = policies.Count == 0 ? null : new ScalingDefinition
            {
                MinCapacity = target?.MinCapacity ?? Defaults.MinCapacity,
                MaxCapacity = target?.MaxCapacity ?? Defaults.MaxCapacity,
                Policies = [.. policies],
            },
            HasCapacity = target?.MinCapacity is not null && target.MaxCapacity is not null,
            Sources = [.. sources],
            Findings = [.. findings],
        };
    }

    /// <summary>Each policy's service and target; a policy on anything but an ECS service's task count is reported and left out.</summary>
    private static Dictionary<ImportedPolicy, (string ResourceId, ImportedTarget? Target)> LinkPolicies(ImportInput input, List<ImportFinding> findings)
    {
        var linked = new Dictionary<ImportedPolicy, (string ResourceId, ImportedTarget? Target)>();
        foreach (var p in input.Policies)
        {
            var target = p.TargetKey is { } key
                ? input.Targets.FirstOrDefault(t => t.Key == key)
                : input.Targets.FirstOrDefault(t => t.ResourceId == p.ResourceId && t.ServiceNamespace == p.ServiceNamespace && t.ScalableDimension == p.ScalableDimension);
            var ns = p.ServiceNamespace ?? target?.ServiceNamespace;
            var dimension = p.ScalableDimension ?? target?.ScalableDimension;
            var resourceId = p.ResourceId ?? target?.ResourceId;
            if (ns != "ecs" || dimension != EcsDimension)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, p.Where, $"scales {ns ?? "?"} {dimension ?? "?"} of '{resourceId ?? "?"}', not an ECS service's {EcsDimension}: not imported (this stack scales ECS services)"));
            }
            else if (resourceId is null)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, p.Where, "its resource_id is not known before apply and refers to no scalable target or ECS service in the input: not imported"));
            }
            else
            {
                linked[p] = (resourceId, target);
            }
        }

        foreach (var t in input.Targets.Where(t => t.ServiceNamespace != "ecs" || t.ScalableDimension != EcsDimension))
        {
            findings.Add(new ImportFinding(ImportLevel.Note, t.Where, $"a scalable target of {t.ServiceNamespace} {t.ScalableDimension}, not an ECS service: skipped"));
        }

        return linked;
    }

    /// <summary>The service to import: the only one, or the one --service names; null when the caller must choose or the name matches none.</summary>
    private static ImportedService? Choose(ImmutableArray<ImportedService> services, string? service, List<ImportFinding> findings)
    {
        if (service is null)
        {
            return services.Length == 1 ? services[0] : null;
        }

        var matches = services.Where(s => s.ResourceId == service || s.Name == service).ToList();
        if (matches.Count == 1)
        {
            return matches[0];
        }

        findings.Add(new ImportFinding(ImportLevel.Error, "--service", matches.Count == 0
            ? $"no ECS service '{service}' in the input; it scales {string.Join(", ", services.Select(s => s.ResourceId))}"
            : $"'{service}' names {matches.Count} services ({string.Join(", ", matches.Select(s => s.ResourceId))}); give the resource id"));
        return null;
    }

    /// <summary>Which alarms invoke which step policies of the service; every action and policy that does not fit is reported.</summary>
    private static List<(ImportedAlarm Alarm, ImportedPolicy Policy)> Pairs(ImmutableArray<ImportedAlarm> alarms, List<ImportedPolicy> ours, List<ImportFinding> findings)
    {
        var pairs = new List<(ImportedAlarm Alarm, ImportedPolicy Policy)>();
        var triggeredBy = ours.ToDictionary(p => p, _ => new List<ImportedAlarm>());
        foreach (var alarm in alarms)
        {
            var invoked = ours.Where(p => alarm.AlarmActions.Contains(p.Key, StringComparer.Ordinal)).ToList();
            if (invoked.Count == 0)
            {
                continue;
            }

            if (invoked.Count > 1)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, alarm.Where, $"triggers {invoked.Count} policies ({string.Join(", ", invoked.Select(Label))}); a stack alarm invokes one policy, so it is imported once per policy, with the same settings"));
            }

            foreach (var p in invoked)
            {
                triggeredBy[p].Add(alarm);
                pairs.Add((alarm, p));
            }

            ReportActions(alarm, ours, findings);
        }

        foreach (var p in ours)
        {
            if (p.PolicyType != "StepScaling")
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, p.Where, $"is a {p.PolicyType} policy: not imported, as the stack models step scaling only; it still scales this service in AWS, which check, the flap analysis and simulate do not see"));
                pairs.RemoveAll(x => x.Policy == p);
            }
            else if (triggeredBy[p].Count == 0)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, p.Where, "no alarm triggers this policy, so it never runs: not imported"));
            }
            else if (triggeredBy[p].Count > 1)
            {
                findings.Add(new ImportFinding(ImportLevel.Warning, p.Where, $"is triggered by {triggeredBy[p].Count} alarms ({string.Join(", ", triggeredBy[p].Select(a => a.Name ?? a.Key))}); imported as one side per alarm with these steps, each with its own cooldown (in AWS they share the policy's)"));
            }
        }

        return pairs;
    }

    private static void ReportActions(ImportedAlarm alarm, List<ImportedPolicy> ours, List<ImportFinding> findings)
    {
        foreach (var action in alarm.AlarmActions.Where(a => !ours.Any(p => p.Key == a)))
        {
            findings.Add(Arns.IsSns(action)
                ? new ImportFinding(ImportLevel.Note, alarm.Where, $"also notifies {action}; the stack's alarms invoke only their policy, so add the notification yourself")
                : new ImportFinding(ImportLevel.Warning, alarm.Where, $"also invokes {action}, which is not a policy of this service: not imported"));
        }

        foreach (var action in alarm.OtherActions)
        {
            findings.Add(new ImportFinding(ImportLevel.Note, alarm.Where, $"has an OK or insufficient-data action {action}; the stack's alarms have none, so add it yourself"));
        }

        if (!alarm.ActionsEnabled)
        {
            findings.Add(new ImportFinding(ImportLevel.Warning, alarm.Where, "its actions are disabled (actions_enabled = false), so today it scales nothing; the imported alarm's actions are enabled"));
        }
    }

    /// <summary>Each (alarm, policy) pair is one side; sides on the same metric, statistic and period share a config policy.</summary>
    private static (List<PolicyDefinition> Policies, List<ImportedSideSource> Sources) Policies(
        List<(ImportedAlarm Alarm, ImportedPolicy Policy)> pairs, ImportedService chosen, List<ImportFinding> findings)
    {
        var sides = pairs.Select(p => Side(p.Alarm, p.Policy, chosen, findings)).OfType<ImportedSide>().ToList();
        var policies = new List<PolicyDefinition>();
        var sources = new List<ImportedSideSource>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in sides.GroupBy(s => s.Key, StringComparer.Ordinal))
        {
            var outs = group.Where(s => s.Side == ScalingSide.ScaleOut).ToList();
            var ins = group.Where(s => s.Side == ScalingSide.ScaleIn).ToList();
            var first = group.First();
            for (var i = 0; i < Math.Max(outs.Count, ins.Count); i++)
            {
                var name = UniqueName(BaseName(first.Metric), used);
                var index = policies.Count;
                var o = i < outs.Count ? outs[i] : null;
                var n = i < ins.Count ? ins[i] : null;
                policies.Add(new PolicyDefinition
                {
                    Name = name,
                    Metric = first.Metric,
                    Statistic = first.Alarm.ExtendedStatistic is null ? first.Alarm.Statistic : null,
                    ExtendedStatistic = first.Alarm.ExtendedStatistic,
                    Period = first.Alarm.Period ?? Defaults.Period,
                    ScaleOut = o is null ? null : o.Definition with { Path = $"scaling.policies[{index}].scaleOut" },
                    ScaleIn = n is null ? null : n.Definition with { Path = $"scaling.policies[{index}].scaleIn" },
                });
                sources.AddRange(new[] { o, n }.OfType<ImportedSide>().Select(s => new ImportedSideSource(name, s.Side, s.Alarm.Name ?? s.Alarm.Key, s.Policy.Name ?? s.Policy.Key)));
            }
        }

        return (policies, sources);
    }

    /// <summary>One alarm with the policy it invokes, as a side of a config policy; <see cref="Key"/> groups sides that share a metric.</summary>
    private sealed record ImportedSide(string Key, MetricSpec Metric, ImportedAlarm Alarm, ImportedPolicy Policy, ScalingSide Side, SideDefinition Definition);

    /// <summary>The service name of an ECS resource id (<c>service/cluster/web</c> → <c>web</c>).</summary>
    public static string ServiceName(string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        return resourceId[(resourceId.LastIndexOf('/') + 1)..];
    }

    private static string Label(ImportedPolicy p) => p.Name ?? p.Key;

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : noun.EndsWith('y') ? $"{n} {noun[..^1]}ies" : $"{n} {noun}s";

    private static ImportedSide? Side(
        ImportedAlarm alarm, ImportedPolicy policy, ImportedService service, List<ImportFinding> findings)
    {
        var where = $"{alarm.Where} → {Label(policy)}";
        if (!Enum.TryParse<ComparisonOperator>(alarm.ComparisonOperator, ignoreCase: false, out var op) || !Enum.IsDefined(op))
        {
            findings.Add(new ImportFinding(ImportLevel.Warning, where, $"comparison operator '{alarm.ComparisonOperator}' cannot be represented (step scaling here takes {string.Join(", ", Enum.GetNames<ComparisonOperator>())}; anomaly-detection bands are not modelled): not imported"));
            return null;
        }

        if (alarm.Threshold is not { } threshold)
        {
            findings.Add(new ImportFinding(ImportLevel.Warning, where, "the alarm has no static threshold (an anomaly-detection band or a value not known before apply): not imported"));
            return null;
        }

        if (policy.Steps.IsEmpty)
        {
            findings.Add(new ImportFinding(ImportLevel.Warning, where, "the policy has no step adjustments: not imported"));
            return null;
        }

        var adjustment = Defaults.AdjustmentType;
        if (policy.AdjustmentType is null)
        {
            findings.Add(new ImportFinding(ImportLevel.Note, where, $"the policy gives no adjustment type; written as {Defaults.AdjustmentType}"));
        }
        else if (!Enum.TryParse(policy.AdjustmentType, ignoreCase: false, out adjustment) || !Enum.IsDefined(adjustment))
        {
            findings.Add(new ImportFinding(ImportLevel.Warning, where, $"adjustment type '{policy.AdjustmentType}' is not one of {string.Join(", ", Enum.GetNames<AdjustmentType>())}: not imported"));
            return null;
        }

        var aggregation = AwsDefaultAggregation;
        if (policy.MetricAggregationType is { } agg && (!Enum.TryParse(agg, ignoreCase: false, out aggregation) || !Enum.IsDefined(aggregation)))
        {
            findings.Add(new ImportFinding(ImportLevel.Warning, where, $"metric aggregation type '{agg}' is not one of Average, Minimum, Maximum: not imported"));
            return null;
        }

        TreatMissingData? missing = alarm.TreatMissingData switch
        {
            null or "" or "missing" => TreatMissingData.Missing,
            "ignore" => TreatMissingData.Ignore,
            "breaching" => TreatMissingData.Breaching,
            "notBreaching" => TreatMissingData.NotBreaching,
            _ => null,
        };
        if (missing is null)
        {
            findings.Add(new ImportFinding(ImportLevel.Warning, where, $"treat_missing_data '{alarm.TreatMissingData}' is not one of missing, ignore, breaching, notBreaching: not imported"));
            return null;
        }

        MetricSpec metric;
        string key;
        if (!alarm.Queries.IsEmpty)
        {
            metric = new MetricMathMetric(alarm.Queries);
            key = "math|" + string.Join(";", alarm.Queries.Select(q => $"{q.Id}:{q.Expression}:{q.Metric?.Namespace}/{q.Metric?.MetricName}/{q.Metric?.Stat}/{q.Metric?.Period}:{q.ReturnData}"));
            findings.Add(new ImportFinding(ImportLevel.Note, where, "a metric-math alarm: imported as metric kind 'math' with its queries; the flap analysis and the simulator read it as one independent metric"));
        }
        else if (alarm.Namespace is null || alarm.MetricName is null)
        {
            findings.Add(new ImportFinding(ImportLevel.Warning, where, "the alarm names no metric (namespace and metric name), nor metric-math queries: not imported"));
            return null;
        }
        else
        {
            metric = Metric(alarm, service, where, findings);
            key = $"{alarm.Namespace}|{alarm.MetricName}|{string.Join(",", alarm.Dimensions.Select(kv => kv.Key + "=" + kv.Value))}|{alarm.Unit}|{alarm.Statistic}|{alarm.ExtendedStatistic}|{alarm.Period}";
        }

        if (policy.MetricAggregationType is null)
        {
            findings.Add(new ImportFinding(ImportLevel.Note, where, $"the policy sets no metric aggregation type, so AWS uses {AwsDefaultAggregation}; written as {AwsDefaultAggregation}"));
        }

        if (policy.Cooldown is null)
        {
            findings.Add(new ImportFinding(ImportLevel.Note, where, $"the policy sets no cooldown, so AWS uses {AwsDefaultCooldown} s; written as {AwsDefaultCooldown}"));
        }

        var side = op.IsAbove() ? ScalingSide.ScaleOut : ScalingSide.ScaleIn;
        return new ImportedSide(key, metric, alarm, policy, side, new SideDefinition
        {
            Path = "scaling",
            Steps = new RelativeSteps(op, threshold, policy.Steps),
            EvaluationPeriods = alarm.EvaluationPeriods ?? Defaults.EvaluationPeriods,
            DatapointsToAlarm = alarm.DatapointsToAlarm,
            TreatMissingData = missing,
            Cooldown = policy.Cooldown ?? AwsDefaultCooldown,
            AdjustmentType = adjustment,
            MinAdjustmentMagnitude = policy.MinAdjustmentMagnitude,
            MetricAggregationType = aggregation,
        });
    }

    private static MetricSpec Metric(ImportedAlarm alarm, ImportedService service, string where, List<ImportFinding> findings)
    {
        var dims = alarm.Dimensions;
        if (alarm.Namespace == EcsServiceMetric.Namespace && EcsServiceMetric.KnownNames.Contains(alarm.MetricName!) && alarm.Unit is null
            && dims.Keys.All(k => k is "ClusterName" or "ServiceName"))
        {
            if (!dims.TryGetValue("ServiceName", out var s) || s == service.Name)
            {
                return new EcsServiceMetric(alarm.MetricName!);
            }

            findings.Add(new ImportFinding(ImportLevel.Note, where, $"watches {alarm.MetricName} of service '{s}', not of '{service.Name}': imported as a CloudWatch metric with its dimensions"));
        }

        if (alarm.Namespace == AlbRequestCountPerTargetMetric.Namespace && alarm.MetricName == AlbRequestCountPerTargetMetric.MetricName && alarm.Unit is null
            && dims.Keys.All(k => k == "TargetGroup"))
        {
            return new AlbRequestCountPerTargetMetric(dims.GetValueOrDefault("TargetGroup"));
        }

        return new CloudWatchMetric(alarm.Namespace!, alarm.MetricName!, dims, alarm.Unit);
    }

    /// <summary>A policy name from the metric: MemoryUtilization → memory, RequestCountPerTarget → requests, else kebab-case.</summary>
    private static string BaseName(MetricSpec metric) => metric switch
    {
        EcsServiceMetric { MetricName: "CPUUtilization" } => "cpu",
        EcsServiceMetric { MetricName: "MemoryUtilization" } => "memory",
        AlbRequestCountPerTargetMetric => "requests",
        CloudWatchMetric c => Kebab(c.MetricName),
        MetricMathMetric m => Kebab(m.DisplayName),
        _ => "policy",
    };

    private static string Kebab(string text)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length && sb.Length < 40; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (char.IsUpper(c) && sb.Length > 0 && i > 0 && (char.IsLower(text[i - 1]) || (i + 1 < text.Length && char.IsLower(text[i + 1]))) && sb[^1] != '-')
                {
                    sb.Append('-');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var name = sb.ToString().Trim('-');
        return name.Length == 0 ? "policy" : name;
    }

    private static string UniqueName(string name, HashSet<string> used)
    {
        var candidate = name;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{name}-{i}");
        }

        return candidate;
    }
}
