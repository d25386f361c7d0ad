using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Pulumi;
using StepScaling.Config;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Text;
using StepScaling.Validation;
using Aws = Pulumi.Aws;

namespace StepScaledEcs;

/// <summary>
/// An ECS Fargate service scaled by CloudWatch alarms and Application Auto Scaling step-scaling policies.
/// Creates the IAM roles, the log group, the task definition, the service, the scalable target and, per
/// normalised policy, one step-scaling policy and the alarm that triggers it. Every argument known when the
/// component is constructed is validated (and the scaling flap-checked) before any resource is registered; a value
/// from another resource that is not known yet is validated when it resolves, before any child is registered.
/// </summary>
public sealed partial class StepScaledEcsService : ComponentResource
{
    /// <summary>
    /// The Pulumi package name: the first part of the type token, and the name of the generated SDK in every
    /// language (<c>pulumi package add</c>). The schema names the component <c>&lt;package&gt;:index:&lt;class name&gt;</c>
    /// (ComponentAnalyzer.GenerateSchema), so the token below follows it.
    /// </summary>
    public const string PackageName = "step-scaled-ecs";

    /// <summary>The component's type token.</summary>
    public const string TypeToken = PackageName + ":index:" + nameof(StepScaledEcsService);

    /// <summary>
    /// The token of versions before 0.2: stacks created with it keep their component (and, through it, every child)
    /// by an alias, so the rename replaces nothing.
    /// </summary>
    public const string LegacyTypeToken = "stepscale:ecs:StepScaledEcsService";

    /// <summary>The managed policy every Fargate task execution role needs (image pull, logs).</summary>
    public const string ExecutionPolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

    /// <summary>CloudWatch's limit on an alarm description.</summary>
    private const int MaxAlarmDescription = AwsRules.MaxAlarmDescriptionLength;

    /// <summary>The namespace of the Container Insights metrics the alerts read.</summary>
    private const string ContainerInsightsNamespace = "ECS/ContainerInsights";

    /// <summary>The alert that fires when the service has run at maxCapacity for a while.</summary>
    private const string CapacityExhausted = "capacity-exhausted";

    /// <summary>The alert that fires when fewer tasks run than are desired for a while.</summary>
    private const string TasksFailingToStart = "tasks-failing-to-start";

    /// <summary>Creates the service.</summary>
    /// <param name="name">The logical name; children are named <c>{name}-…</c>.</param>
    /// <param name="args">The arguments.</param>
    /// <param name="options">Component options.</param>
    /// <exception cref="RunException">The arguments known at construction have errors; nothing was created. The inner <see cref="StepScalingValidationException"/> lists them. (An input that resolves later to a bad value fails each child's registration instead, with the same text.)</exception>
    public StepScaledEcsService(string name, StepScaledEcsServiceArgs args, ComponentResourceOptions? options = null)
        : this(name, args, Prepare(args), options)
    {
    }

    private StepScaledEcsService(string name, StepScaledEcsServiceArgs args, Prepared prepared, ComponentResourceOptions? options)
        : base(TypeToken, name, WithLegacyAlias(options))
    {
        foreach (var warning in prepared.Warnings)
        {
            Log.Warn(warning.ToString(), this);
        }

        var inputs = new EffectiveInputs(args, prepared, this);
        var roles = CreateRoles(name, prepared.Service, inputs, args.Tags);
        var taskDefinition = CreateTaskDefinition(name, prepared.Service, inputs, roles, args.Tags);
        var ecsService = CreateService(name, args, prepared, inputs, taskDefinition, roles.Dependencies);
        ServiceName = inputs.Publish(ecsService.Name);
        ServiceArn = inputs.Publish(ecsService.Arn);
        TaskDefinitionArn = inputs.Publish(taskDefinition.Arn);
        ScalingSummary = Output.Create(PolicyText.Summary(prepared.Plan.Spec));

        var scaling = CreateScaling(name, args, prepared, inputs, ecsService);
        ScalableTargetResourceId = inputs.Publish(scaling.ResourceId);
        PolicyArns = inputs.Publish(scaling.PolicyArns);
        AlarmNames = scaling.AlarmNames;
        AlertAlarmNames = Output.Create<Dictionary<string, string>>(prepared.Plan.Sections.Alerts is { } alerts
            ? CreateAlerts(name, alerts, prepared, inputs, args.ClusterName, ecsService.Name, args.Tags)
            : new Dictionary<string, string>(StringComparer.Ordinal));

        RegisterOutputs();
    }

    /// <summary>The ECS service's name.</summary>
    [Output("serviceName")]
    public Output<string> ServiceName { get; }

    /// <summary>The ECS service's ARN.</summary>
    [Output("serviceArn")]
    public Output<string> ServiceArn { get; }

    /// <summary>The task definition's ARN.</summary>
    [Output("taskDefinitionArn")]
    public Output<string> TaskDefinitionArn { get; }

    /// <summary>The scalable target's resource id, <c>service/&lt;cluster&gt;/&lt;service&gt;</c>; empty when scaling is off.</summary>
    [Output("scalableTargetResourceId")]
    public Output<string> ScalableTargetResourceId { get; }

    /// <summary>Each step-scaling policy's ARN, by policy name (<c>memory-out</c>, …).</summary>
    [Output("policyArns")]
    public Output<Dictionary<string, string>> PolicyArns { get; }

    /// <summary>Each alarm's physical name, by policy name.</summary>
    [Output("alarmNames")]
    public Output<Dictionary<string, string>> AlarmNames { get; }

    /// <summary>The physical names of the alarms that notify a human, by alert (<c>capacity-exhausted</c>, <c>tasks-failing-to-start</c>).</summary>
    [Output("alertAlarmNames")]
    public Output<Dictionary<string, string>> AlertAlarmNames { get; }

    /// <summary>The scaling in plain words; known at preview.</summary>
    [Output("scalingSummary")]
    public Output<string> ScalingSummary { get; }

    /// <summary>
    /// The component's options with an alias from <see cref="LegacyTypeToken"/> added: the engine then finds the
    /// component (and, through the parent, each child) of a stack created before the rename, and updates it in place.
    /// The caller's options are not changed.
    /// </summary>
    internal static ComponentResourceOptions WithLegacyAlias(ComponentResourceOptions? options) =>
        ComponentResourceOptions.Merge(options, new ComponentResourceOptions { Aliases = { new Alias { Type = LegacyTypeToken } } });

    /// <summary>
    /// The two roles: the execution role pulls the image, writes logs and reads exactly the named secrets; the task
    /// role (what the application may do) holds exactly the given managed policies, or none.
    /// </summary>
    private Roles CreateRoles(string name, ServiceSettings service, EffectiveInputs inputs, InputMap<string> tags)
    {
        // The account, region and partition the roles trust ECS tasks of (confused-deputy conditions).
        var invoke = new InvokeOptions { Parent = this };
        var trustPolicy = Output.Tuple(
                Aws.GetPartition.Invoke(null, invoke),
                Aws.GetRegion.Invoke(null, invoke),
                Aws.GetCallerIdentity.Invoke(null, invoke))
            .Apply(t => TrustPolicy(t.Item1.Partition, t.Item2.Region, t.Item3.AccountId));
        var executionRole = new Aws.Iam.Role($"{name}-execution", new Aws.Iam.RoleArgs
        {
            AssumeRolePolicy = trustPolicy,
            Description = $"ECS task execution role of {service.Name}",
            Tags = tags,
        }, inputs.Options());
        var dependencies = new List<Resource>
        {
            new Aws.Iam.RolePolicyAttachment($"{name}-execution-policy", new Aws.Iam.RolePolicyAttachmentArgs
            {
                Role = executionRole.Name,
                PolicyArn = ExecutionPolicyArn,
            }, inputs.Options()),
        };
        if (inputs.HasSecretsPolicy)
        {
            dependencies.Add(new Aws.Iam.RolePolicy($"{name}-secrets", new Aws.Iam.RolePolicyArgs
            {
                Role = executionRole.Id,
                Policy = Output.Tuple(inputs.Secrets, inputs.SecretsKmsKeyArns).Apply(t => SecretsPolicy(t.Item1.Values, t.Item2)),
            }, inputs.Options()));
        }

        var taskRole = new Aws.Iam.Role($"{name}-task", new Aws.Iam.RoleArgs
        {
            AssumeRolePolicy = trustPolicy,
            Description = $"ECS task role of {service.Name}",
            Tags = tags,
        }, inputs.Options());
        if (inputs.TaskRolePolicyArns is { } policyArns)
        {
            // One resource for the whole list: its length may be unknown at preview, and the role is the component's own.
            _ = new Aws.Iam.RolePolicyAttachmentsExclusive($"{name}-task-policies", new Aws.Iam.RolePolicyAttachmentsExclusiveArgs
            {
                RoleName = taskRole.Name,
                PolicyArns = policyArns,
            }, inputs.Options());
        }

        return new Roles(executionRole, taskRole, dependencies);
    }

    /// <summary>The log group and the task definition: one container, its image, environment and secrets as resolved.</summary>
    private static Aws.Ecs.TaskDefinition CreateTaskDefinition(string name, ServiceSettings service, EffectiveInputs inputs, Roles roles, InputMap<string> tags)
    {
        var logGroup = new Aws.CloudWatch.LogGroup($"{name}-logs", new Aws.CloudWatch.LogGroupArgs
        {
            RetentionInDays = service.LogRetentionDays,
            KmsKeyId = inputs.LogKmsKeyArn,
            Tags = tags,
        }, inputs.Options());

        // The log group's ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME) carries the region awslogs needs.
        var containerDefinitions = Output.Tuple(logGroup.Name, logGroup.Arn, inputs.Image, inputs.Environment, inputs.Secrets)
            .Apply(t => ContainerDefinitions(
                service with { Image = t.Item3, Environment = t.Item4, Secrets = t.Item5 },
                t.Item1,
                t.Item2.Split(':') is { Length: > 3 } parts ? parts[3] : string.Empty));

        return new Aws.Ecs.TaskDefinition($"{name}-task", new Aws.Ecs.TaskDefinitionArgs
        {
            Family = $"{Deployment.Instance.StackName}-{service.Name}",
            Cpu = service.Cpu.ToString(CultureInfo.InvariantCulture),
            Memory = service.Memory.ToString(CultureInfo.InvariantCulture),
            NetworkMode = "awsvpc",
            RequiresCompatibilities = { "FARGATE" },
            ExecutionRoleArn = roles.Execution.Arn,
            TaskRoleArn = roles.Task.Arn,
            ContainerDefinitions = containerDefinitions,
            Tags = tags,
        }, inputs.Options());
    }

    /// <summary>The ECS service: Fargate (or the capacity providers given), behind the target group when given.</summary>
    private static Aws.Ecs.Service CreateService(string name, StepScaledEcsServiceArgs args, Prepared prepared, EffectiveInputs inputs, Aws.Ecs.TaskDefinition taskDefinition, List<Resource> dependencies)
    {
        var service = prepared.Service;
        var serviceArgs = new Aws.Ecs.ServiceArgs
        {
            Cluster = args.ClusterArn,
            TaskDefinition = taskDefinition.Arn,
            DesiredCount = prepared.Plan.DesiredCount,
            NetworkConfiguration = new Aws.Ecs.Inputs.ServiceNetworkConfigurationArgs
            {
                Subnets = args.Subnets,
                SecurityGroups = args.SecurityGroups,
                AssignPublicIp = service.AssignPublicIp,
            },
            DeploymentCircuitBreaker = new Aws.Ecs.Inputs.ServiceDeploymentCircuitBreakerArgs { Enable = true, Rollback = true },

            // Security Hub ECS.10: Fargate services run the latest platform version, named explicitly.
            PlatformVersion = "LATEST",
            PropagateTags = "SERVICE",
            EnableEcsManagedTags = true,
            Tags = args.Tags,
        };
        var capacityProviders = args.CapacityProviderStrategy ?? [];
        if (capacityProviders.Count == 0)
        {
            serviceArgs.LaunchType = "FARGATE";
        }
        else
        {
            serviceArgs.CapacityProviderStrategies = capacityProviders
                .Select(c => new Aws.Ecs.Inputs.ServiceCapacityProviderStrategyArgs { CapacityProvider = c.CapacityProvider, Weight = c.Weight ?? 1, Base = c.Base ?? 0 })
                .ToList();
        }

        if (args.LoadBalancer is { } lb)
        {
            serviceArgs.LoadBalancers = new List<Aws.Ecs.Inputs.ServiceLoadBalancerArgs>
            {
                new() { TargetGroupArn = lb.TargetGroupArn, ContainerName = service.Name, ContainerPort = service.ContainerPort },
            };
            serviceArgs.HealthCheckGracePeriodSeconds = service.HealthCheckGracePeriod;
        }

        var serviceOptions = inputs.Options(dependencies);
        if (prepared.Plan.Spec is not null)
        {
            // pulumi up must never reset the task count that autoscaling chose. ignoreChanges is not
            // inherited from a component, so it is set on the service itself.
            serviceOptions.IgnoreChanges = ["desiredCount"];
        }

        return new Aws.Ecs.Service($"{name}-service", serviceArgs, serviceOptions);
    }

    /// <summary>The scalable target and, per normalised policy, its step-scaling policy and the alarm that triggers it.</summary>
    private static ScalingOutputs CreateScaling(string name, StepScaledEcsServiceArgs args, Prepared prepared, EffectiveInputs inputs, Aws.Ecs.Service ecsService)
    {
        if (prepared.Plan.Spec is not { } spec)
        {
            var none = new Dictionary<string, string>(StringComparer.Ordinal);
            return new ScalingOutputs(Output.Create(string.Empty), Output.Create(none), Output.Create(none));
        }

        var target = new Aws.AppAutoScaling.Target($"{name}-target", new Aws.AppAutoScaling.TargetArgs
        {
            // The resource id takes the cluster and service names, not their ARNs.
            ResourceId = Output.Format($"service/{args.ClusterName}/{ecsService.Name}"),
            ScalableDimension = "ecs:service:DesiredCount",
            ServiceNamespace = "ecs",
            MinCapacity = spec.MinCapacity,
            MaxCapacity = spec.MaxCapacity,
            Tags = args.Tags,
        }, inputs.Options());

        var policyArns = new List<Output<string>>();
        var alarmNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var policy in spec.Policies)
        {
            var physicalName = StepScaling.Model.AlarmNames.For(prepared.Plan.AlarmNamePrefix, policy.Name);
            var scalingPolicy = new Aws.AppAutoScaling.Policy($"{name}-{policy.Name}", new Aws.AppAutoScaling.PolicyArgs
            {
                Name = physicalName,
                PolicyType = "StepScaling",
                ResourceId = target.ResourceId,
                ScalableDimension = target.ScalableDimension,
                ServiceNamespace = target.ServiceNamespace,
                StepScalingPolicyConfiguration = StepConfiguration(policy.Scaling),
            }, inputs.Options());
            var alarmArgs = new Aws.CloudWatch.MetricAlarmArgs
            {
                Name = physicalName,
                AlarmDescription = Truncate(PolicyText.Describe(policy), MaxAlarmDescription),
                ComparisonOperator = policy.Alarm.ComparisonOperator.ToString(),
                Threshold = policy.Alarm.Threshold,
                EvaluationPeriods = policy.Alarm.EvaluationPeriods,
                DatapointsToAlarm = policy.Alarm.DatapointsToAlarm,
                TreatMissingData = policy.Alarm.TreatMissingData.ToAws(),
                AlarmActions = { scalingPolicy.Arn },
                Tags = args.Tags,
            };
            SetMetric(alarmArgs, policy, args, inputs, ecsService);
            _ = new Aws.CloudWatch.MetricAlarm($"{name}-{policy.Name}-alarm", alarmArgs, inputs.Options());
            policyArns.Add(scalingPolicy.Arn);
            alarmNames[policy.Name] = physicalName;
        }

        var policyNames = spec.Policies.Select(p => p.Name).ToImmutableArray();
        return new ScalingOutputs(
            target.ResourceId,
            Output.All(policyArns).Apply(arns => policyNames.Zip(arns).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)),
            Output.Create(alarmNames));
    }

    /// <summary>
    /// The alarms that page a human, from Container Insights metrics ("Amazon ECS Container Insights metrics":
    /// ECS/ContainerInsights RunningTaskCount and DesiredTaskCount by ClusterName and ServiceName, one datapoint a
    /// minute). They notify the topic on ALARM and on OK; the scaling alarms notify no one.
    /// </summary>
    private static Dictionary<string, string> CreateAlerts(string name, AlertSettings alerts, Prepared prepared, EffectiveInputs inputs, Input<string> clusterName, Output<string> serviceName, InputMap<string> tags)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefix = prepared.Plan.AlarmNamePrefix;
        if (prepared.Plan.Spec is { } spec)
        {
            var args = CapacityExhaustedAlarm(prefix, spec.MaxCapacity, alerts.CapacityExhaustedMinutes, ServiceDimensions(clusterName, serviceName));
            names[CapacityExhausted] = CreateAlert(name, prefix, CapacityExhausted, args, inputs, tags);
        }

        var start = StartFailureAlarm(prefix, alerts.StartFailureMinutes, clusterName, serviceName);
        names[TasksFailingToStart] = CreateAlert(name, prefix, TasksFailingToStart, start, inputs, tags);
        return names;
    }

    /// <summary>Names an alert alarm, points its ALARM and OK actions at the topic, tags it and creates it; returns its name.</summary>
    private static string CreateAlert(string name, string prefix, string alert, Aws.CloudWatch.MetricAlarmArgs args, EffectiveInputs inputs, InputMap<string> tags)
    {
        var alarmName = StepScaling.Model.AlarmNames.For(prefix, alert);
        args.Name = alarmName;
        args.AlarmActions.Add(inputs.TopicArn);
        args.OkActions.Add(inputs.TopicArn);
        args.Tags = tags;
        _ = new Aws.CloudWatch.MetricAlarm($"{name}-{alert}", args, inputs.Options());
        return alarmName;
    }

    /// <summary>The service's dimensions of the Container Insights metrics.</summary>
    private static InputMap<string> ServiceDimensions(Input<string> clusterName, Output<string> serviceName) =>
        new() { { "ClusterName", clusterName }, { "ServiceName", serviceName } };

    /// <summary>Running at maxCapacity for the whole window: scaling cannot add capacity.</summary>
    private static Aws.CloudWatch.MetricAlarmArgs CapacityExhaustedAlarm(string prefix, int maxCapacity, int minutes, InputMap<string> dimensions) => new()
    {
        AlarmDescription = string.Create(CultureInfo.InvariantCulture, $"{prefix} has run at maxCapacity ({maxCapacity} tasks) for {minutes} minutes: scaling cannot add capacity."),
        Namespace = ContainerInsightsNamespace,
        MetricName = "RunningTaskCount",
        Dimensions = dimensions,
        Statistic = "Minimum",
        Period = 60,
        EvaluationPeriods = minutes,
        DatapointsToAlarm = minutes,
        ComparisonOperator = "GreaterThanOrEqualToThreshold",
        Threshold = maxCapacity,
        TreatMissingData = "missing",
    };

    /// <summary>Fewer tasks running than desired for the whole window: tasks fail to start or keep stopping.</summary>
    private static Aws.CloudWatch.MetricAlarmArgs StartFailureAlarm(string prefix, int minutes, Input<string> clusterName, Output<string> serviceName)
    {
        var start = new Aws.CloudWatch.MetricAlarmArgs
        {
            AlarmDescription = string.Create(CultureInfo.InvariantCulture, $"{prefix} has run fewer tasks than desired for {minutes} minutes: tasks fail to start or keep stopping."),
            EvaluationPeriods = minutes,
            DatapointsToAlarm = minutes,
            ComparisonOperator = "GreaterThanThreshold",
            Threshold = 0,
            TreatMissingData = "missing",
        };

        // Every sample of the minute below desired: the fewest desired minus the most running.
        foreach (var (id, metric, stat) in new[] { ("desired", "DesiredTaskCount", "Minimum"), ("running", "RunningTaskCount", "Maximum") })
        {
            start.MetricQueries.Add(new Aws.CloudWatch.Inputs.MetricAlarmMetricQueryArgs
            {
                Id = id,
                ReturnData = false,
                Metric = new Aws.CloudWatch.Inputs.MetricAlarmMetricQueryMetricArgs
                {
                    Namespace = ContainerInsightsNamespace,
                    MetricName = metric,
                    Dimensions = ServiceDimensions(clusterName, serviceName),
                    Stat = stat,
                    Period = 60,
                },
            });
        }

        start.MetricQueries.Add(new Aws.CloudWatch.Inputs.MetricAlarmMetricQueryArgs
        {
            Id = "notrunning",
            Expression = "desired - running",
            Label = "tasks desired but not running",
            ReturnData = true,
        });
        return start;
    }

    private static Aws.AppAutoScaling.Inputs.PolicyStepScalingPolicyConfigurationArgs StepConfiguration(StepScalingConfiguration scaling)
    {
        var configuration = new Aws.AppAutoScaling.Inputs.PolicyStepScalingPolicyConfigurationArgs
        {
            AdjustmentType = scaling.AdjustmentType.ToString(),
            Cooldown = scaling.Cooldown,
            MetricAggregationType = scaling.MetricAggregationType.ToString(),
            MinAdjustmentMagnitude = scaling.MinAdjustmentMagnitude,
        };
        foreach (var step in scaling.StepAdjustments)
        {
            // Bounds are strings in Pulumi.Aws: always the invariant culture, never a decimal comma.
            configuration.StepAdjustments.Add(new Aws.AppAutoScaling.Inputs.PolicyStepScalingPolicyConfigurationStepAdjustmentArgs
            {
                MetricIntervalLowerBound = Optional(step.LowerBound is { } l ? Num.Format(l) : null),
                MetricIntervalUpperBound = Optional(step.UpperBound is { } u ? Num.Format(u) : null),
                ScalingAdjustment = step.ScalingAdjustment,
            });
        }

        return configuration;
    }

    private static void SetMetric(Aws.CloudWatch.MetricAlarmArgs alarm, StepPolicy policy, StepScaledEcsServiceArgs args, EffectiveInputs inputs, Aws.Ecs.Service service)
    {
        var metricArgs = EffectiveInputs.MetricArgsOf(args, policy.Path);
        switch (policy.Metric)
        {
            case MetricMathMetric math:
                for (var j = 0; j < math.Queries.Length; j++)
                {
                    var q = math.Queries[j];
                    alarm.MetricQueries.Add(new Aws.CloudWatch.Inputs.MetricAlarmMetricQueryArgs
                    {
                        Id = q.Id,
                        Expression = Optional(q.Expression),
                        Label = Optional(q.Label),
                        ReturnData = q.ReturnData,
                        Metric = q.Metric is not { } m ? null : (Input<Aws.CloudWatch.Inputs.MetricAlarmMetricQueryMetricArgs>)new Aws.CloudWatch.Inputs.MetricAlarmMetricQueryMetricArgs
                        {
                            Namespace = m.Namespace,
                            MetricName = m.MetricName,
                            Dimensions = inputs.Dimensions($"{ComponentPlanner.PolicyPath(policy.Path)}.metric.queries[{j}].metric.dimensions", metricArgs?.Queries?.ElementAtOrDefault(j)?.Metric?.Dimensions, m.Dimensions),
                            Stat = m.Stat,
                            Period = m.Period,
                            Unit = Optional(m.Unit),
                        },
                    });
                }

                return;
            case EcsServiceMetric:
                alarm.Dimensions.Add("ClusterName", args.ClusterName);
                alarm.Dimensions.Add("ServiceName", service.Name);
                break;
            case AlbRequestCountPerTargetMetric alb:
                alarm.Dimensions.Add("TargetGroup", inputs.Given($"{ComponentPlanner.PolicyPath(policy.Path)}.metric.targetGroup", metricArgs?.TargetGroup) is { } given ? given
                    : alb.TargetGroup is { } tg ? (Input<string>)tg : args.LoadBalancer!.TargetGroupArnSuffix);
                break;
            case CloudWatchMetric cw:
                alarm.Dimensions = inputs.Dimensions($"{ComponentPlanner.PolicyPath(policy.Path)}.metric.dimensions", metricArgs?.Dimensions, cw.Dimensions);
                alarm.Unit = Optional(cw.Unit);
                break;
        }

        var (ns, metricName) = PlanRenderer.MetricId(policy.Metric);
        alarm.Namespace = Optional(ns);
        alarm.MetricName = Optional(metricName);
        alarm.Period = policy.Alarm.Period;
        alarm.Statistic = Optional(policy.Alarm.Statistic);
        alarm.ExtendedStatistic = Optional(policy.Alarm.ExtendedStatistic);
    }

    /// <summary>
    /// The trust policy of both task roles: only ECS tasks, and only those of this account in this region (the
    /// confused-deputy conditions of "Amazon ECS task IAM role" and "Amazon ECS task execution IAM role").
    /// </summary>
    internal static string TrustPolicy(string partition, string region, string account) => JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = new[]
        {
            new
            {
                Effect = "Allow",
                Principal = new { Service = "ecs-tasks.amazonaws.com" },
                Action = "sts:AssumeRole",
                Condition = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal)
                {
                    ["StringEquals"] = new(StringComparer.Ordinal) { ["aws:SourceAccount"] = account },
                    ["ArnLike"] = new(StringComparer.Ordinal) { ["aws:SourceArn"] = $"arn:{partition}:ecs:{region}:{account}:*" },
                },
            },
        },
    });

    /// <summary>Read access to exactly the named secrets (SSM parameters, Secrets Manager secrets) and decryption with exactly the named KMS keys.</summary>
    internal static string SecretsPolicy(IEnumerable<string> arns, IEnumerable<string> kmsKeyArns)
    {
        var list = arns.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var statements = new List<object>();
        var ssm = list.Where(a => a.Contains(":ssm:", StringComparison.Ordinal)).ToArray();
        var sm = list.Where(a => a.Contains(":secretsmanager:", StringComparison.Ordinal)).ToArray();
        if (ssm.Length > 0)
        {
            statements.Add(new { Effect = "Allow", Action = SsmActions, Resource = ssm });
        }

        if (sm.Length > 0)
        {
            statements.Add(new { Effect = "Allow", Action = SecretsManagerActions, Resource = sm });
        }

        var keys = kmsKeyArns.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (keys.Length > 0)
        {
            statements.Add(new { Effect = "Allow", Action = KmsActions, Resource = keys });
        }

        return JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = statements });
    }

    /// <summary>The container definitions JSON: one container, awslogs, secrets by ARN only.</summary>
    internal static string ContainerDefinitions(ServiceSettings s, string logGroup, string region)
    {
        var container = new Dictionary<string, object?>
        {
            ["name"] = s.Name,
            ["image"] = s.Image,
            ["essential"] = true,
            ["portMappings"] = new[] { new { containerPort = s.ContainerPort, protocol = "tcp" } },
            ["environment"] = s.Environment.Select(kv => new { name = kv.Key, value = kv.Value }).ToArray(),
            ["secrets"] = s.Secrets.Select(kv => new { name = kv.Key, valueFrom = kv.Value }).ToArray(),
            ["logConfiguration"] = new
            {
                logDriver = "awslogs",
                options = new Dictionary<string, string>
                {
                    ["awslogs-group"] = logGroup,
                    ["awslogs-region"] = region,
                    ["awslogs-stream-prefix"] = s.Name,
                },
            },
        };
        if (!s.Command.IsDefaultOrEmpty)
        {
            container["command"] = s.Command.ToArray();
        }

        if (s.HealthCheck is { } hc)
        {
            container["healthCheck"] = new { command = hc.Command.ToArray(), interval = hc.Interval, timeout = hc.Timeout, retries = hc.Retries, startPeriod = hc.StartPeriod };
        }

        // AWS Config ecs-task-definition-linux-user-non-root; Security Hub ECS.4 (not privileged) and ECS.5 (read-only root).
        container["user"] = s.User;
        container["privileged"] = false;
        container["readonlyRootFilesystem"] = s.ReadonlyRootFilesystem;
        container["linuxParameters"] = new Dictionary<string, object>
        {
            ["initProcessEnabled"] = true,
            ["capabilities"] = new { add = s.Capabilities.IsDefault ? [] : s.Capabilities.ToArray(), drop = new[] { "ALL" } },

            // Fargate bind mounts are root-owned 0755, which a non-root user cannot write; a tmpfs takes a mode.
            ["tmpfs"] = (s.WritablePaths.IsDefault ? [] : s.WritablePaths).Select(p => new
            {
                containerPath = p,
                size = ServiceSettings.WritablePathSizeMiB,
                mountOptions = WritablePathMountOptions,
            }).ToArray(),
        };

        return JsonSerializer.Serialize(new[] { container });
    }

    private static readonly string[] SsmActions = ["ssm:GetParameters"];

    private static readonly string[] SecretsManagerActions = ["secretsmanager:GetSecretValue"];

    private static readonly string[] KmsActions = ["kms:Decrypt"];

    /// <summary>Writable by any user like /tmp (sticky), and no device files or setuid binaries on it.</summary>
    private static readonly string[] WritablePathMountOptions = ["rw", "nosuid", "nodev", "mode=1777"];

    /// <summary>An optional text input: null stays unset.</summary>
    private static Input<string>? Optional(string? value) => value is null ? null : (Input<string>)value;

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private sealed record Roles(Aws.Iam.Role Execution, Aws.Iam.Role Task, List<Resource> Dependencies);

    private sealed record ScalingOutputs(Output<string> ResourceId, Output<Dictionary<string, string>> PolicyArns, Output<Dictionary<string, string>> AlarmNames);
}
