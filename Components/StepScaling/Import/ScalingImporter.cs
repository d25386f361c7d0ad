using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StepScaling.Model;
using StepScaling.Validation;

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
    public ImmutableArray<Diagnostic> Findings { get; init; } = [];

    /// <summary>True when any finding is an error.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);
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

    /// <summary>
    /// CloudWatch's treatment of missing data when an alarm sets none ("If you omit this parameter, the default
    /// behavior of missing is used", https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
    /// </summary>
    public const TreatMissingData AwsDefaultMissingData = TreatMissingData.Missing;

    /// <summary>Imports the scaling of one ECS service.</summary>
    /// <param name="input">What the readers found.</param>
    /// <param name="service">The service name or resource id to import; null when the input holds one service.</param>
    public static ImportResult Import(ImportInput input, string? service)
    {
        ArgumentNullException.ThrowIfNull(input);
        var findings = new List<Diagnostic>(input.Findings);
        if (input.Findings.Any(f => f.Severity == Severity.Error))
        {
            return new ImportResult { Findings = [.. findings] };
        }

        var linked = LinkPolicies(input, findings);
        var services = Services(linked, input);
        if (services.IsEmpty)
        {
            findings.Add(Diagnostic.Error(input.Kind, $"no ECS service scaling found: the input holds {Count(input.Targets.Length, "scalable target")}, {Count(input.Policies.Length, "scaling policy")} and {Count(input.Alarms.Length, "metric alarm")}, none of them on an ECS service's {EcsDimension}"));
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
            findings.Add(Diagnostic.Error(chosen.ResourceId, "nothing to import: no step-scaling policy of this service is triggered by an alarm the stack can represent (see the findings above)"));
        }

        CheckCapacity(target, chosen, input.HasTargets, findings);
        return new ImportResult
        {
            Services = services,
            ServiceName = chosen.Name,
            Region = input.Region,
            // An error anywhere (a value AWS requires is missing, one present cannot be read) means nothing is written.
            Scaling = policies.Count == 0 || findings.Any(f => f.Severity == Severity.Error) ? null : new ScalingDefinition
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

    /// <summary>The ECS services the input scales: those of the linked policies and of the ECS scalable targets.</summary>
    private static ImmutableArray<ImportedService> Services(Dictionary<ImportedPolicy, (string ResourceId, ImportedTarget? Target)> linked, ImportInput input) =>
        linked.Values.Select(v => v.ResourceId)
            .Concat(input.Targets.Where(t => t.ServiceNamespace == "ecs" && t.ScalableDimension == EcsDimension && t.ResourceId is not null).Select(t => t.ResourceId!))
            .Distinct(StringComparer.Ordinal)
            .Select(id => new ImportedService(id, ServiceName(id), linked.Count(kv => kv.Value.ResourceId == id)))
            .ToImmutableArray();

    /// <summary>The capacity limits: AWS requires both on a scalable target; without a target the stack's defaults apply, with a warning.</summary>
    private static void CheckCapacity(ImportedTarget? target, ImportedService chosen, bool hasTargets, List<Diagnostic> findings)
    {
        if (target is not null)
        {
            ImportRules.Required(target.MinCapacity, "MinCapacity", "RegisterScalableTarget requires it for a new target", target.Where, findings);
            ImportRules.Required(target.MaxCapacity, "MaxCapacity", "RegisterScalableTarget requires it for a new target", target.Where, findings);
            return;
        }

        findings.Add(Diagnostic.Warning(chosen.ResourceId, hasTargets
            ? $"no scalable target for this service in the input: minCapacity and maxCapacity are not known, so the stack's defaults ({Defaults.MinCapacity} and {Defaults.MaxCapacity}) apply; set them"
            : $"minCapacity and maxCapacity are not known without the output of `aws application-autoscaling describe-scalable-targets`, so the stack's defaults ({Defaults.MinCapacity} and {Defaults.MaxCapacity}) apply; pass it, or set them"));
    }

    /// <summary>Each policy's service and target; a policy on anything but an ECS service's task count is reported and left out.</summary>
    private static Dictionary<ImportedPolicy, (string ResourceId, ImportedTarget? Target)> LinkPolicies(ImportInput input, List<Diagnostic> findings)
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
                findings.Add(Diagnostic.Warning(p.Where, $"scales {ns ?? "?"} {dimension ?? "?"} of '{resourceId ?? "?"}', not an ECS service's {EcsDimension}: not imported (this stack scales ECS services)"));
            }
            else if (resourceId is null)
            {
                findings.Add(Diagnostic.Warning(p.Where, "its resource_id is not known before apply and refers to no scalable target or ECS service in the input: not imported"));
            }
            else
            {
                linked[p] = (resourceId, target);
            }
        }

        foreach (var t in input.Targets.Where(t => t.ServiceNamespace != "ecs" || t.ScalableDimension != EcsDimension))
        {
            findings.Add(Diagnostic.Note(t.Where, $"a scalable target of {t.ServiceNamespace} {t.ScalableDimension}, not an ECS service: skipped"));
        }

        return linked;
    }

    /// <summary>The service to import: the only one, or the one the caller names; null when the caller must choose or the name matches none.</summary>
    private static ImportedService? Choose(ImmutableArray<ImportedService> services, string? service, List<Diagnostic> findings)
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

        findings.Add(Diagnostic.Error("service", matches.Count == 0
            ? $"no ECS service '{service}' in the input; it scales {string.Join(", ", services.Select(s => s.ResourceId))}"
            : $"'{service}' names {matches.Count} services ({string.Join(", ", matches.Select(s => s.ResourceId))}); give the resource id") with { Subject = Subject.ServiceChoice });
        return null;
    }

    /// <summary>Which alarms invoke which step policies of the service; every action and policy that does not fit is reported.</summary>
    private static List<(ImportedAlarm Alarm, ImportedPolicy Policy)> Pairs(ImmutableArray<ImportedAlarm> alarms, List<ImportedPolicy> ours, List<Diagnostic> findings)
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
                findings.Add(Diagnostic.Warning(alarm.Where, $"triggers {invoked.Count} policies ({string.Join(", ", invoked.Select(Label))}); a stack alarm invokes one policy, so it is imported once per policy, with the same settings"));
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
                findings.Add(Diagnostic.Warning(p.Where, $"is a {p.PolicyType} policy: not imported, as the stack models step scaling only; it still scales this service in AWS, which check, the flap analysis and simulate do not see"));
                pairs.RemoveAll(x => x.Policy == p);
            }
            else if (triggeredBy[p].Count == 0)
            {
                findings.Add(Diagnostic.Warning(p.Where, "no alarm triggers this policy, so it never runs: not imported"));
            }
            else if (triggeredBy[p].Count > 1)
            {
                findings.Add(Diagnostic.Warning(p.Where, $"is triggered by {triggeredBy[p].Count} alarms ({string.Join(", ", triggeredBy[p].Select(a => a.Name ?? a.Key))}); imported as one side per alarm with these steps, each with its own cooldown (in AWS they share the policy's)"));
            }
        }

        return pairs;
    }

    private static void ReportActions(ImportedAlarm alarm, List<ImportedPolicy> ours, List<Diagnostic> findings)
    {
        foreach (var action in alarm.AlarmActions.Where(a => !ours.Any(p => p.Key == a)))
        {
            findings.Add(Arns.IsSns(action)
                ? Diagnostic.Note(alarm.Where, $"also notifies {action}; the stack's alarms invoke only their policy, so add the notification yourself")
                : Diagnostic.Warning(alarm.Where, $"also invokes {action}, which is not a policy of this service: not imported"));
        }

        foreach (var action in alarm.OtherActions)
        {
            findings.Add(Diagnostic.Note(alarm.Where, $"has an OK or insufficient-data action {action}; the stack's alarms have none, so add it yourself"));
        }

        if (!alarm.ActionsEnabled)
        {
            findings.Add(Diagnostic.Warning(alarm.Where, "its actions are disabled (actions_enabled = false), so today it scales nothing; the imported alarm's actions are enabled"));
        }
    }

    /// <summary>Each (alarm, policy) pair is one side; sides on the same metric, statistic and period share a config policy.</summary>
    private static (List<PolicyDefinition> Policies, List<ImportedSideSource> Sources) Policies(
        List<(ImportedAlarm Alarm, ImportedPolicy Policy)> pairs, ImportedService chosen, List<Diagnostic> findings)
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
        ImportedAlarm alarm, ImportedPolicy policy, ImportedService service, List<Diagnostic> findings)
    {
        var where = $"{alarm.Where} → {Label(policy)}";
        var errors = findings.Count(f => f.Severity == Severity.Error);
        if (Operator(alarm, where, findings) is not { } op || Threshold(alarm, where, findings) is not { } threshold)
        {
            return null;
        }

        if (policy.Steps.IsEmpty)
        {
            findings.Add(Diagnostic.Warning(where, "the policy has no step adjustments: not imported"));
            return null;
        }

        var settings = Settings(alarm, policy, where, findings);
        var metric = MetricOf(alarm, service, where, findings);
        var evaluationPeriods = ImportRules.Required(alarm.EvaluationPeriods, "EvaluationPeriods", "PutMetricAlarm requires it", where, findings);
        if (alarm.Queries.IsEmpty)
        {
            ImportRules.Required(alarm.Period, "Period", "PutMetricAlarm requires it for an alarm on one metric", where, findings);
        }

        if (settings is null || metric is null || evaluationPeriods is null || findings.Count(f => f.Severity == Severity.Error) > errors)
        {
            return null;
        }

        if (alarm.DatapointsToAlarm is null)
        {
            findings.Add(Diagnostic.Note(where, $"DatapointsToAlarm is not set, so AWS alarms when all {evaluationPeriods} evaluation periods breach (its default); written without datapointsToAlarm, which means the same"));
        }

        var side = op.IsAbove() ? ScalingSide.ScaleOut : ScalingSide.ScaleIn;
        return new ImportedSide(metric.Value.Key, metric.Value.Spec, alarm, policy, side, settings with
        {
            Steps = new RelativeSteps(op, threshold, policy.Steps),
            EvaluationPeriods = evaluationPeriods.Value,
            DatapointsToAlarm = alarm.DatapointsToAlarm,
        });
    }

    private static ComparisonOperator? Operator(ImportedAlarm alarm, string where, List<Diagnostic> findings)
    {
        if (alarm.ComparisonOperator is null)
        {
            findings.Add(Diagnostic.Error(where, "ComparisonOperator is not set, and AWS has no default for it (PutMetricAlarm requires it): nothing can be written in its place"));
            return null;
        }

        if (!Enum.TryParse<ComparisonOperator>(alarm.ComparisonOperator, ignoreCase: false, out var op) || !Enum.IsDefined(op))
        {
            findings.Add(Diagnostic.Warning(where, $"comparison operator '{alarm.ComparisonOperator}' cannot be represented (step scaling here takes {string.Join(", ", Enum.GetNames<ComparisonOperator>())}; anomaly-detection bands are not modelled): not imported"));
            return null;
        }

        return op;
    }

    private static double? Threshold(ImportedAlarm alarm, string where, List<Diagnostic> findings)
    {
        if (alarm.Threshold is null)
        {
            findings.Add(Diagnostic.Error(where, "Threshold is not set, and AWS has no default for it (PutMetricAlarm requires it with a static comparison operator): nothing can be written in its place"));
        }

        return alarm.Threshold;
    }

    /// <summary>The policy's and the alarm's settings: AWS's default with a note where one is missing, an error where AWS requires it, a warning where the stack cannot represent it.</summary>
    private static SideDefinition? Settings(ImportedAlarm alarm, ImportedPolicy policy, string where, List<Diagnostic> findings)
    {
        var adjustment = ParseOrWarn<AdjustmentType>(policy.AdjustmentType, "AdjustmentType", where, findings, out var badAdjustment);
        if (!badAdjustment)
        {
            ImportRules.Required(adjustment, "AdjustmentType", "PutScalingPolicy requires it for step scaling", where, findings);
        }

        var aggregation = ParseOrWarn<MetricAggregationType>(policy.MetricAggregationType, "MetricAggregationType", where, findings, out var badAggregation);
        TreatMissingData? missing = alarm.TreatMissingData switch
        {
            null => null,
            "missing" => TreatMissingData.Missing,
            "ignore" => TreatMissingData.Ignore,
            "breaching" => TreatMissingData.Breaching,
            "notBreaching" => TreatMissingData.NotBreaching,
            _ => null,
        };
        var badMissing = alarm.TreatMissingData is not null && missing is null;
        if (badMissing)
        {
            findings.Add(Diagnostic.Warning(where, $"TreatMissingData '{alarm.TreatMissingData}' is not one of missing, ignore, breaching, notBreaching: not imported"));
        }

        if (adjustment is null || badAggregation || badMissing)
        {
            return null;
        }

        return new SideDefinition
        {
            Path = "scaling",
            Steps = new RelativeSteps(ComparisonOperator.GreaterThanThreshold, 0, []),
            TreatMissingData = ImportRules.Defaulted(missing, AwsDefaultMissingData, "TreatMissingData", where, findings, AwsDefaultMissingData.ToAws()),
            Cooldown = ImportRules.Defaulted(policy.Cooldown, AwsDefaultCooldown, "Cooldown", where, findings),
            AdjustmentType = adjustment.Value,
            MinAdjustmentMagnitude = policy.MinAdjustmentMagnitude,
            MetricAggregationType = ImportRules.Defaulted(aggregation, AwsDefaultAggregation, "MetricAggregationType", where, findings),
        };
    }

    /// <summary>An AWS enum name; null when absent; a name the stack does not know is a warning (<paramref name="bad"/>).</summary>
    private static T? ParseOrWarn<T>(string? text, string field, string where, List<Diagnostic> findings, out bool bad)
        where T : struct, Enum
    {
        bad = false;
        if (text is null)
        {
            return null;
        }

        if (Enum.TryParse<T>(text, ignoreCase: false, out var value) && Enum.IsDefined(value) && !char.IsDigit(text[0]))
        {
            return value;
        }

        bad = true;
        findings.Add(Diagnostic.Warning(where, $"{field} '{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}: not imported"));
        return null;
    }

    /// <summary>The metric the alarm watches and the key that groups sides on the same metric.</summary>
    private static (MetricSpec Spec, string Key)? MetricOf(ImportedAlarm alarm, ImportedService service, string where, List<Diagnostic> findings)
    {
        if (!alarm.Queries.IsEmpty)
        {
            findings.Add(Diagnostic.Note(where, "a metric-math alarm: imported as metric kind 'math' with its queries; the flap analysis and the simulator read it as one independent metric"));
            return (new MetricMathMetric(alarm.Queries),
                "math|" + string.Join(";", alarm.Queries.Select(q => $"{q.Id}:{q.Expression}:{q.Metric?.Namespace}/{q.Metric?.MetricName}/{q.Metric?.Stat}/{q.Metric?.Period}:{q.ReturnData}")));
        }

        if (alarm.Namespace is null || alarm.MetricName is null)
        {
            findings.Add(Diagnostic.Warning(where, "the alarm names no metric (namespace and metric name), nor metric-math queries: not imported"));
            return null;
        }

        if (alarm.Statistic is null && alarm.ExtendedStatistic is null)
        {
            findings.Add(Diagnostic.Error(where, "Statistic and ExtendedStatistic are not set, and AWS has no default (PutMetricAlarm requires one for an alarm on one metric): nothing can be written in their place"));
            return null;
        }

        var metric = Metric(alarm, service, where, findings);
        return metric is null ? null : (metric,
            $"{alarm.Namespace}|{alarm.MetricName}|{string.Join(",", alarm.Dimensions.Select(kv => kv.Key + "=" + kv.Value))}|{alarm.Unit}|{alarm.Statistic}|{alarm.ExtendedStatistic}|{alarm.Period}");
    }

    /// <summary>
    /// What the alarm measures, decided by its dimensions: the service's own ECS metric only when ServiceName names
    /// this service (and ClusterName, where both are known, its cluster); anything else is a CloudWatch metric with
    /// its dimensions, and the note says what it is.
    /// </summary>
    private static MetricSpec? Metric(ImportedAlarm alarm, ImportedService service, string where, List<Diagnostic> findings)
    {
        var dims = alarm.Dimensions;
        var isEcsShape = alarm.Namespace == EcsServiceMetric.Namespace && EcsServiceMetric.KnownNames.Contains(alarm.MetricName!) && alarm.Unit is null
            && dims.Keys.Concat(alarm.UnknownDimensions).All(k => k is "ClusterName" or "ServiceName");
        var what = string.Empty;
        if (isEcsShape && WatchesService(alarm, service, out what))
        {
            return new EcsServiceMetric(alarm.MetricName!);
        }

        if (!alarm.UnknownDimensions.IsEmpty)
        {
            findings.Add(Diagnostic.Error(where, $"the value of dimension {string.Join(", ", alarm.UnknownDimensions)} is not known before apply, so the metric cannot be written; import the state after apply"));
            return null;
        }

        if (isEcsShape)
        {
            findings.Add(Diagnostic.Note(where, $"watches {alarm.MetricName} of {what}, not of service '{service.Name}': imported as a CloudWatch metric with its dimensions"));
        }

        if (alarm.Namespace == AlbRequestCountPerTargetMetric.Namespace && alarm.MetricName == AlbRequestCountPerTargetMetric.MetricName && alarm.Unit is null
            && dims.Keys.All(k => k == "TargetGroup"))
        {
            return new AlbRequestCountPerTargetMetric(dims.GetValueOrDefault("TargetGroup"));
        }

        return new CloudWatchMetric(alarm.Namespace!, alarm.MetricName!, dims, alarm.Unit);
    }

    /// <summary>True when the dimensions name this service (ServiceName, and ClusterName where both are known); else says what they name.</summary>
    private static bool WatchesService(ImportedAlarm alarm, ImportedService service, out string what)
    {
        var dims = alarm.Dimensions;
        var cluster = ClusterName(service.ResourceId);
        dims.TryGetValue("ClusterName", out var alarmCluster);
        if (!dims.TryGetValue("ServiceName", out var name))
        {
            what = alarm.UnknownDimensions.Contains("ServiceName") ? "a service whose name is not known before apply"
                : alarmCluster is null ? "all ECS services of the account (no ClusterName or ServiceName dimension)" : $"cluster '{alarmCluster}' as a whole (no ServiceName dimension)";
            return false;
        }

        what = alarmCluster is null ? $"service '{name}'" : $"service '{name}' of cluster '{alarmCluster}'";
        return name == service.Name && (alarmCluster is null || cluster is null || alarmCluster == cluster);
    }

    /// <summary>The cluster of <c>service/&lt;cluster&gt;/&lt;service&gt;</c>, or null when it is not known.</summary>
    private static string? ClusterName(string resourceId) =>
        resourceId.Split('/') is [_, var cluster, _] && cluster != TerraformReader.UnknownCluster ? cluster : null;

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
