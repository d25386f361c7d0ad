using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Config;

/// <summary>The result of mapping a stack's config: the config when it has no errors, and every finding.</summary>
/// <param name="Config">The mapped config, or null on any error.</param>
/// <param name="Diagnostics">Every error and warning.</param>
/// <param name="PartialScaling">
/// When mapping found errors: the scaling section as far as it could be read (a value in error replaced by its
/// default) and the service name its alarm names use. The planner still checks its rules, leaving out findings
/// at or under a path that already has an error, so that one run reports every error once.
/// </param>
public sealed record ConfigMappingResult(StackConfig? Config, ImmutableArray<Diagnostic> Diagnostics, (ScalingDefinition Scaling, string ServiceName)? PartialScaling = null)
{
    /// <summary>
    /// The component's sections (service, scaling, flapCheck, alerts) as far as they could be read, with every
    /// finding of the mapping (so <see cref="ComponentSections.HasErrors"/> is true when anything has an error).
    /// </summary>
    public ComponentSections Sections { get; init; } = new(new ServiceSettings(), null, Defaults.FlapCheck, null, Diagnostics);

    /// <summary>The warnings the stack acknowledges (the <c>acknowledge</c> key), checked.</summary>
    public ImmutableArray<Acknowledgement> Acknowledgements { get; init; } = [];
}

/// <summary>
/// Maps a stack's config (the values Pulumi hands the program: key → text, objects as JSON text) onto a
/// <see cref="StackConfig"/>. The Pulumi program and the <c>stepscale</c> CLI both call this one function, so
/// they read config identically.
/// </summary>
public static partial class StackConfigMapper
{
    /// <summary>The config keys this project reads, without the project namespace.</summary>
    public static readonly ImmutableArray<string> Keys = ["service", "network", "scaling", "flapCheck", "loadBalancer", "alerts", Acknowledgements.Key];

    /// <summary>CloudWatch Logs accepts only these retention periods (<see cref="AwsRules.LogRetentionDays"/>).</summary>
    public static readonly ImmutableArray<int> LogRetentionDays = AwsRules.LogRetentionDays;

    private static readonly string[] OwnVpcKeys = ["vpcCidr", "natGateways"];

    private static readonly Dictionary<string, AdjustmentType> AdjustmentTypes = new(StringComparer.Ordinal)
    {
        ["ChangeInCapacity"] = AdjustmentType.ChangeInCapacity,
        ["PercentChangeInCapacity"] = AdjustmentType.PercentChangeInCapacity,
        ["ExactCapacity"] = AdjustmentType.ExactCapacity,
    };

    private static readonly Dictionary<string, ComparisonOperator> Comparisons = new(StringComparer.Ordinal)
    {
        ["GreaterThanOrEqualToThreshold"] = ComparisonOperator.GreaterThanOrEqualToThreshold,
        ["GreaterThanThreshold"] = ComparisonOperator.GreaterThanThreshold,
        ["LessThanThreshold"] = ComparisonOperator.LessThanThreshold,
        ["LessThanOrEqualToThreshold"] = ComparisonOperator.LessThanOrEqualToThreshold,
    };

    private static readonly Dictionary<string, TreatMissingData> MissingData = new(StringComparer.Ordinal)
    {
        ["missing"] = TreatMissingData.Missing,
        ["ignore"] = TreatMissingData.Ignore,
        ["breaching"] = TreatMissingData.Breaching,
        ["notBreaching"] = TreatMissingData.NotBreaching,
    };

    private static readonly Dictionary<string, MetricAggregationType> Aggregations = new(StringComparer.Ordinal)
    {
        ["Average"] = MetricAggregationType.Average,
        ["Minimum"] = MetricAggregationType.Minimum,
        ["Maximum"] = MetricAggregationType.Maximum,
    };

    private static readonly Dictionary<string, LoadModel> LoadModels = new(StringComparer.Ordinal)
    {
        ["perTask"] = LoadModel.PerTask,
        ["independent"] = LoadModel.Independent,
    };

    private static readonly Dictionary<string, NatGatewayStrategy> NatStrategies = new(StringComparer.Ordinal)
    {
        ["single"] = NatGatewayStrategy.Single,
        ["onePerAz"] = NatGatewayStrategy.OnePerAz,
    };

    /// <summary>
    /// Maps config values. <paramref name="values"/> holds the project's keys without their namespace
    /// (<c>scaling</c>, not <c>step-scaled-ecs:scaling</c>), each as Pulumi hands it to the program: plain text,
    /// or JSON text for objects and lists.
    /// </summary>
    /// <param name="values">The raw config values.</param>
    /// <param name="reportUnknownKeys">Whether keys other than <see cref="Keys"/> are errors (the CLI sees every key; a program sees only those it asks for).</param>
    /// <param name="projectDirectory">The folder holding <c>Pulumi.yaml</c>, where <c>service.build</c>'s files must exist; null when unknown (not checked).</param>
    public static ConfigMappingResult Map(IReadOnlyDictionary<string, string> values, bool reportUnknownKeys = true, string? projectDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bag = new DiagnosticBag();
        if (reportUnknownKeys)
        {
            StackFileRules.CheckKnownKeys(values.Keys, Keys, ("config key", "keys"), bag);
        }

        var service = MapService(ConfigNode.FromJson(Parse(values, "service", bag)), bag);
        if (service.Build is { } build && projectDirectory is not null)
        {
            ImageBuildRules.ValidateFiles(build, projectDirectory, "service.build", bag);
        }

        var network = MapNetwork(ConfigNode.FromJson(Parse(values, "network", bag)), bag);
        var flap = values.TryGetValue("flapCheck", out var flapText) ? ScalingRules.ReadFlapCheck(flapText, bag) : Defaults.FlapCheck;

        var scaling = MapScaling(ConfigNode.FromJson(Parse(values, "scaling", bag)), flap, bag);
        NetworkRules.CheckPublicIp(network.UseDefaultVpc, service.AssignPublicIp, bag);

        var loadBalancer = MapLoadBalancer(ConfigNode.FromJson(Parse(values, "loadBalancer", bag)), bag);
        var alerts = MapAlerts(ConfigNode.FromJson(Parse(values, "alerts", bag)), bag);
        if (alerts is not null)
        {
            AlertRules.Validate(alerts, scaling is not null, bag);
        }

        var acknowledgements = Acknowledgements.Read(Parse(values, Acknowledgements.Key, bag), bag);
        var config = bag.HasErrors ? null : new StackConfig { Service = service, Network = network, Scaling = scaling, FlapCheck = flap, LoadBalancer = loadBalancer, Alerts = alerts };
        var partial = config is null && scaling is not null ? (scaling, service.Name) : ((ScalingDefinition, string)?)null;
        var diagnostics = bag.ToImmutable();
        return new ConfigMappingResult(config, diagnostics, partial)
        {
            Sections = new ComponentSections(service, scaling, flap, alerts, diagnostics),
            Acknowledgements = acknowledgements,
        };
    }

    private static JsonNode? Parse(IReadOnlyDictionary<string, string> values, string key, DiagnosticBag bag)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return null;
        }

        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith('{') && !trimmed.StartsWith('['))
        {
            return JsonValue.Create(text);
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            ReadingRules.InvalidJson(key, e.Message, bag);
            return null;
        }
    }

    private static ServiceSettings MapService(ConfigNode? node, DiagnosticBag bag)
    {
        var result = new ServiceSettings();
        if (node is null || ConfigReader.For(node, "service", bag) is not { } r)
        {
            return result;
        }

        result = result with
        {
            Name = r.String("name") ?? result.Name,
            Image = r.String("image") ?? result.Image,
            Build = MapImageBuild(r),
            Cpu = r.IntOr("cpu", result.Cpu, ServiceRules.FargateCpuRule),
            Memory = r.IntOr("memory", result.Memory, "must be a whole number of MiB that Fargate offers for the cpu"),
            ContainerPort = r.IntOr("containerPort", result.ContainerPort, AwsRules.ContainerPort),
            Environment = r.StringMap("environment"),
            Secrets = r.StringMap("secrets"),
            Command = StringList(r, "command"),
            LogRetentionDays = r.IntOr("logRetentionDays", result.LogRetentionDays, AwsRules.LogRetentionRule),
            AssignPublicIp = r.Bool("assignPublicIp") ?? false,
            HealthCheckGracePeriod = r.IntOr("healthCheckGracePeriod", result.HealthCheckGracePeriod, AwsRules.HealthCheckGracePeriod),
            DesiredCount = r.Int("desiredCount", AwsRules.DesiredCount),
            User = r.String("user") ?? result.User,
            AllowRoot = r.Bool("allowRoot") ?? false,
            ReadonlyRootFilesystem = r.Bool("readonlyRootFilesystem") ?? true,
            WritablePaths = r.Has("writablePaths") ? StringList(r, "writablePaths") : result.WritablePaths,
            Capabilities = StringList(r, "capabilities"),
            SecretsKmsKeyArns = StringList(r, "secretsKmsKeyArns"),
            LogKmsKeyArn = r.String("logKmsKeyArn"),
        };
        if (r.Object("healthCheck") is { } hc)
        {
            var defaults = new HealthCheckSettings { Command = [] };
            result = result with
            {
                HealthCheck = defaults with
                {
                    // The command's rules (CMD or CMD-SHELL first) are checked with the rest of the service below.
                    Command = StringList(hc, "command"),
                    Interval = hc.IntOr("interval", defaults.Interval, AwsRules.HealthCheckInterval),
                    Timeout = hc.IntOr("timeout", defaults.Timeout, AwsRules.HealthCheckTimeout),
                    Retries = hc.IntOr("retries", defaults.Retries, AwsRules.HealthCheckRetries),
                    StartPeriod = hc.IntOr("startPeriod", defaults.StartPeriod, AwsRules.HealthCheckStartPeriod),
                },
            };
            hc.ReportUnknownKeys();
        }

        r.ReportUnknownKeys();
        ServiceRules.Validate(result, bag);
        return result;
    }

    private static LoadBalancerSettings MapLoadBalancer(ConfigNode? node, DiagnosticBag bag)
    {
        var result = new LoadBalancerSettings();
        if (node is not null && ConfigReader.For(node, "loadBalancer", bag) is { } r)
        {
            result = result with
            {
                CertificateArn = r.String("certificateArn"),
                SslPolicy = r.String("sslPolicy") ?? result.SslPolicy,
                DropInvalidHeaderFields = r.Bool("dropInvalidHeaderFields") ?? true,
                DeletionProtection = r.Bool("deletionProtection") ?? false,
                IdleTimeout = r.IntOr("idleTimeout", result.IdleTimeout, AwsRules.AlbIdleTimeout),
                HealthCheckPath = r.String("healthCheckPath") ?? result.HealthCheckPath,
            };
            if (r.Object("accessLogs") is { } logs)
            {
                var bucket = logs.String("bucket");
                if (bucket is null)
                {
                    ReadingRules.Missing(logs.Child("bucket"), ReadingRules.AccessLogsBucketRequired, bag);
                }

                result = result with { AccessLogs = new AccessLogSettings(bucket ?? "unset-bucket", logs.String("prefix")) };
                logs.ReportUnknownKeys();
            }

            r.ReportUnknownKeys();
        }

        LoadBalancerRules.Validate(result, bag);
        return result;
    }

    private static AlertSettings? MapAlerts(ConfigNode? node, DiagnosticBag bag)
    {
        if (node is null || ConfigReader.For(node, "alerts", bag) is not { } r)
        {
            return null;
        }

        // A topic another resource supplies is present; its rule runs when it resolves.
        var topic = r.String("topicArn");
        var pending = r.IsPending("topicArn");
        if (topic is null && !pending)
        {
            ReadingRules.Missing(r.Child("topicArn"), ReadingRules.TopicArnRequired, bag);
        }

        var alerts = new AlertSettings
        {
            TopicArn = topic ?? string.Empty,
            TopicArnPending = pending,
            CapacityExhaustedMinutes = r.IntOr("capacityExhaustedMinutes", AlertSettings.DefaultCapacityExhaustedMinutes, AwsRules.AlertMinutes),
            StartFailureMinutes = r.IntOr("startFailureMinutes", AlertSettings.DefaultStartFailureMinutes, AwsRules.AlertMinutes),
        };
        r.ReportUnknownKeys();
        return topic is null && !pending ? null : alerts;
    }

    private static NetworkSettings MapNetwork(ConfigNode? node, DiagnosticBag bag)
    {
        var result = new NetworkSettings();
        if (node is null || ConfigReader.For(node, "network", bag) is not { } r)
        {
            return result;
        }

        result = result with
        {
            UseDefaultVpc = r.Bool("useDefaultVpc") ?? false,
            VpcCidr = r.String("vpcCidr") ?? result.VpcCidr,
            NatGateways = r.Enum("natGateways", NatStrategies) ?? result.NatGateways,
        };
        NetworkRules.CheckVpcCidr(result.VpcCidr, bag);
        if (result.UseDefaultVpc)
        {
            // Never silently dropped: with the default VPC, Program.cs builds no VPC and these settings go nowhere.
            foreach (var key in OwnVpcKeys.Where(r.Has))
            {
                NetworkRules.IgnoredOwnVpcKey(r.Child(key), bag);
            }
        }

        r.ReportUnknownKeys();
        return result;
    }

    private static ScalingDefinition? MapScaling(ConfigNode? node, FlapCheckMode flap, DiagnosticBag bag)
    {
        if (node is null)
        {
            // No scaling key: the service runs its desired count and nothing scales.
            return null;
        }

        if (ConfigReader.For(node, "scaling", bag) is not { } r)
        {
            return null;
        }

        var enabled = r.Bool("enabled") ?? true;
        var definition = new ScalingDefinition
        {
            MinCapacity = r.IntOr("minCapacity", Defaults.MinCapacity, AwsRules.MinCapacity),
            MaxCapacity = r.IntOr("maxCapacity", Defaults.MaxCapacity, AwsRules.MaxCapacity),
            FlapCheck = flap,
            // An item that cannot be read stays as a null placeholder, so every later item keeps its real index in messages.
            Policies = [.. r.Array("policies").Select(p => MapPolicy(p.Node, p.Path, bag)!)],
        };
        r.ReportUnknownKeys();
        if (!enabled)
        {
            ScalingRules.WarnDisabled(r.Child("enabled"), definition.Policies.Length, bag);
        }

        return enabled ? definition : null;
    }

    private static PolicyDefinition? MapPolicy(ConfigNode? node, string path, DiagnosticBag bag)
    {
        if (ConfigReader.For(node, path, bag) is not { } r)
        {
            return null;
        }

        var name = r.String("name");
        if (name is null)
        {
            ReadingRules.Missing(r.Child("name"), ReadingRules.PolicyNameRequired, bag);
        }

        var metric = MapMetric(r, bag);
        var policy = new PolicyDefinition
        {
            Name = name ?? string.Empty,
            Metric = metric ?? new EcsServiceMetric("CPUUtilization"),
            Statistic = r.String("statistic"),
            ExtendedStatistic = r.String("extendedStatistic"),
            Period = r.IntOr("period", Defaults.Period, AwsRules.PeriodRule),
            LoadModel = r.Enum("loadModel", LoadModels),
            LoadRatio = r.Number("loadRatio") ?? 1,
            ScaleOut = r.Object("scaleOut") is { } so ? MapSide(so) : null,
            ScaleIn = r.Object("scaleIn") is { } si ? MapSide(si) : null,
        };
        if (metric is MetricMathMetric && r.Has("period"))
        {
            // Never silently dropped: the normalizer reports a non-default period from C# callers; this catches 'period: 60' too.
            MetricRules.MathPeriodGiven(r.Child("period"), ConfigReader.Describe(r.Raw("period")), bag);
            policy = policy with { Period = Defaults.Period };
        }

        r.ReportUnknownKeys();

        // A policy with an error still holds its place (and index), so its other values are checked too.
        return policy;
    }

    private static MetricSpec? MapMetric(ConfigReader policy, DiagnosticBag bag)
    {
        var node = policy.Raw("metric");
        var path = policy.Child("metric");
        if (node is null)
        {
            ReadingRules.Missing(path, ReadingRules.MetricRequired, bag);
            return null;
        }

        if (node.Kind == ConfigNodeKind.Text && node.Scalar is { } shorthand)
        {
            return shorthand switch
            {
                "CPUUtilization" or "MemoryUtilization" => new EcsServiceMetric(shorthand),
                "RequestCountPerTarget" => new AlbRequestCountPerTargetMetric(null),
                _ => Fail(shorthand),
            };
        }

        if (ConfigReader.For(node, path, bag) is not { } r)
        {
            return null;
        }

        var kind = r.String("kind");
        MetricSpec? result;
        switch (kind)
        {
            case "ecs":
                result = new EcsServiceMetric(r.String("name") ?? string.Empty);
                break;
            case "albRequestCountPerTarget":
                result = new AlbRequestCountPerTargetMetric(r.String("targetGroup"));
                break;
            case "cloudwatch":
                result = new CloudWatchMetric(r.String("namespace") ?? string.Empty, r.String("name") ?? string.Empty, r.StringMap("dimensions"), r.String("unit"));
                break;
            case "math":
                result = new MetricMathMetric([.. r.Array("queries").Select(q => MapQuery(q.Node, q.Path, bag)!)]);
                break;
            case null:
                ReadingRules.Missing(r.Child("kind"), ReadingRules.MetricKindRequired, bag);
                return null;
            default:
                ReadingRules.UnknownMetricKind(r.Child("kind"), kind, bag);
                return null;
        }

        r.ReportUnknownKeys();
        return result;

        MetricSpec? Fail(string shorthand)
        {
            ReadingRules.UnknownMetricShorthand(path, shorthand, bag);
            return null;
        }
    }

    private static MetricQuery? MapQuery(ConfigNode? node, string path, DiagnosticBag bag)
    {
        if (ConfigReader.For(node, path, bag) is not { } r)
        {
            return null;
        }

        MetricStat? stat = null;
        if (r.Object("metric") is { } m)
        {
            stat = new MetricStat
            {
                Namespace = m.String("namespace") ?? string.Empty,
                MetricName = m.String("name") ?? string.Empty,
                Dimensions = m.StringMap("dimensions"),
                Stat = m.String("stat") ?? Defaults.Statistic,
                Period = m.IntOr("period", Defaults.Period, AwsRules.PeriodRule),
                Unit = m.String("unit"),
            };
            m.ReportUnknownKeys();
        }

        var query = new MetricQuery
        {
            Id = r.String("id") ?? string.Empty,
            Expression = r.String("expression"),
            Label = r.String("label"),
            ReturnData = r.Bool("returnData") ?? false,
            Metric = stat,
        };
        r.ReportUnknownKeys();
        return query;
    }

    private static SideDefinition MapSide(ConfigReader r)
    {
        var bag = r.Bag;
        var hasBands = r.Has("bands");
        var hasSteps = r.Has("stepAdjustments");
        var alarm = r.Object("alarm");
        StepsDefinition steps;
        ScalingRules.CheckSideForm(r.Path, hasBands, hasSteps, alarm?.Path, bag);
        if (hasBands)
        {
            steps = new BandSteps([.. r.Array("bands").Select(b => MapBand(b.Node, b.Path, bag)!)]);
        }
        else if (hasSteps)
        {
            var (comparison, threshold) = MapAlarm(alarm, r);
            steps = new RelativeSteps(comparison, threshold, [.. r.Array("stepAdjustments").Select(s => MapStep(s.Node, s.Path, bag)!)]);
        }
        else
        {
            steps = new BandSteps([]);
        }

        var side = new SideDefinition
        {
            Path = r.Path,
            Steps = steps,
            EvaluationPeriods = r.IntOr("evaluationPeriods", Defaults.EvaluationPeriods, AwsRules.EvaluationPeriods.Rule),
            DatapointsToAlarm = r.Int("datapointsToAlarm", AwsRules.DatapointsToAlarm.Rule),
            TreatMissingData = r.Enum("treatMissingData", MissingData),
            Cooldown = r.IntOr("cooldown", Defaults.Cooldown, AwsRules.Cooldown.Rule),
            AdjustmentType = r.Enum("adjustmentType", AdjustmentTypes) ?? Defaults.AdjustmentType,
            MinAdjustmentMagnitude = r.Int("minAdjustmentMagnitude", AwsRules.MinAdjustmentMagnitude.Rule),
            MetricAggregationType = r.Enum("metricAggregationType", Aggregations),
        };
        r.ReportUnknownKeys();
        return side;
    }

    /// <summary>The alarm that step adjustments are relative to; a missing part reads as its default, with the error under its path.</summary>
    private static (ComparisonOperator Comparison, double Threshold) MapAlarm(ConfigReader? alarm, ConfigReader side)
    {
        if (alarm is null)
        {
            ReadingRules.Missing(side.Child("alarm"), ReadingRules.AlarmRequired, side.Bag);
            return (default, 0);
        }

        var op = alarm.Enum("comparisonOperator", Comparisons);
        var t = alarm.Number("threshold");
        if (op is null && !alarm.Has("comparisonOperator"))
        {
            ReadingRules.Missing(alarm.Child("comparisonOperator"), ReadingRules.ComparisonRequired, alarm.Bag);
        }

        if (t is null && !alarm.Has("threshold"))
        {
            ReadingRules.Missing(alarm.Child("threshold"), ReadingRules.ValueRequired, alarm.Bag);
        }

        alarm.ReportUnknownKeys();
        return (op ?? default, t ?? 0);
    }

    private static Band? MapBand(ConfigNode? node, string path, DiagnosticBag bag)
    {
        if (ConfigReader.For(node, path, bag) is not { } r)
        {
            return null;
        }

        var change = r.Int("change", AwsRules.AdjustmentRule);
        if (change is null && !r.Has("change"))
        {
            ReadingRules.Missing(r.Child("change"), ReadingRules.BandChangeRequired, bag);
        }

        // A missing change reads as 0: the error is already under this band's path, and its siblings are still checked.
        var band = new Band(r.Number("from"), r.Number("to"), change ?? 0);
        r.ReportUnknownKeys();
        return band;
    }

    private static StepAdjustment? MapStep(ConfigNode? node, string path, DiagnosticBag bag)
    {
        if (ConfigReader.For(node, path, bag) is not { } r)
        {
            return null;
        }

        var adjustment = r.Int("scalingAdjustment", AwsRules.AdjustmentRule);
        if (adjustment is null && !r.Has("scalingAdjustment"))
        {
            ReadingRules.Missing(r.Child("scalingAdjustment"), ReadingRules.ValueRequired, bag);
        }

        var step = new StepAdjustment(r.Number("metricIntervalLowerBound"), r.Number("metricIntervalUpperBound"), adjustment ?? 0);
        r.ReportUnknownKeys();
        return step;
    }

    private static ImmutableArray<string> StringList(ConfigReader r, string key)
    {
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var (node, path) in r.Array(key))
        {
            if (node?.Kind == ConfigNodeKind.Text)
            {
                builder.Add(node.Scalar!);
            }
            else if (node?.Kind != ConfigNodeKind.Pending)
            {
                ReadingRules.NotText(path, ConfigReader.Describe(node), r.Bag);
            }
        }

        return builder.ToImmutable();
    }
}
