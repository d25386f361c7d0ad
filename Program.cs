using System.Collections.Immutable;
using Pulumi;
using StepScaledEcs;
using StepScaling.Config;
using StepScaling.Planning;
using StepScaling.Validation;
using Aws = Pulumi.Aws;
using Awsx = Pulumi.Awsx;

return await Deployment.RunAsync(StackProgram.Run);

#pragma warning disable CA1050 // A top-level program's companion type lives in the global namespace, as in Pulumi's C# templates.

/// <summary>The stack's body: read config, check it, then build the network, the ALB, the cluster and the service.</summary>
public static class StackProgram
{
    /// <summary>Builds the stack and returns its outputs. Tests call this under Pulumi mocks.</summary>
    public static IDictionary<string, object?> Run()
    {
        var (settings, component) = ReadConfig();
        var tags = new InputMap<string>
        {
            { "stack", Deployment.Instance.StackName },
            { "service", settings.Service.Name },
            { "managed-by", "pulumi" },
        };

        var network = CreateNetwork(settings.Network, tags);
        var groups = CreateSecurityGroups(settings, network.VpcId, tags);
        var alb = CreateLoadBalancer(settings, network, groups.Alb, tags);
        var cluster = CreateCluster(tags);
        var service = CreateService(settings, component, network, groups.Tasks, alb.TargetGroup, cluster, tags);

        var https = settings.LoadBalancer.Https;
        return new Dictionary<string, object?>
        {
            ["url"] = alb.LoadBalancer.Apply(l => Output.Format($"{(https ? "https" : "http")}://{l.DnsName}")),
            ["serviceName"] = service.ServiceName,
            ["scalingSummary"] = service.ScalingSummary,
            ["policyArns"] = service.PolicyArns,
            ["alarmNames"] = service.AlarmNames,
        };
    }

    /// <summary>
    /// The config, through the same mapping the stepscale CLI uses; every error at once, before any resource. The plan
    /// maps the config and checks the component's sections (scaling rules, flap analysis) once; the component takes
    /// that plan as it is (<see cref="CreateService"/>), so nothing is checked twice.
    /// </summary>
    private static (StackConfig Settings, ComponentPlan Component) ReadConfig()
    {
        var config = new Config();
        var values = StackConfigMapper.Keys
            .Select(k => (Key: k, Value: config.Get(k)))
            .Where(kv => kv.Value is not null)
            .ToImmutableDictionary(kv => kv.Key, kv => kv.Value!)
            .AddRange(UnknownProjectKeys(Deployment.Instance.ProjectName));
        var plan = StackPlanner.Plan(values, Deployment.Instance.StackName, reportUnknownKeys: true, Directory.GetCurrentDirectory());
        if (!plan.IsValid || plan.Config is not { } settings || plan.Component is not { } component)
        {
            var error = new StepScalingValidationException(plan.Diagnostics);
            throw new RunException(error.Message, error);
        }

        foreach (var warning in plan.Diagnostics.Where(d => d.IsOpenWarning))
        {
            Log.Warn(warning.ToString());
        }

        return (settings, component);
    }

    /// <summary>The network: a new VPC with private subnets for the tasks, or the account's default VPC.</summary>
    private static StackNetwork CreateNetwork(NetworkSettings network, InputMap<string> tags)
    {
        if (network.UseDefaultVpc)
        {
            var defaultVpc = new Awsx.Ec2.DefaultVpc("vpc");
            return new StackNetwork(defaultVpc.VpcId, defaultVpc.PublicSubnetIds, defaultVpc.PublicSubnetIds);
        }

        var vpc = new Awsx.Ec2.Vpc("vpc", new Awsx.Ec2.VpcArgs
        {
            CidrBlock = network.VpcCidr,
            NatGateways = new Awsx.Ec2.Inputs.NatGatewayConfigurationArgs
            {
                Strategy = network.NatGateways == NatGatewayStrategy.OnePerAz
                    ? Awsx.Ec2.NatGatewayStrategy.OnePerAz
                    : Awsx.Ec2.NatGatewayStrategy.Single,
            },
            Tags = tags,
        });
        return new StackNetwork(vpc.VpcId, vpc.PublicSubnetIds, vpc.PrivateSubnetIds);
    }

    /// <summary>
    /// Security groups: the internet reaches the ALB on exactly its listener ports; only the ALB reaches the tasks, on
    /// the container port. The ALB group has no other egress (Terraform drops AWS's default allow-all rule).
    /// </summary>
    private static StackSecurityGroups CreateSecurityGroups(StackConfig settings, Output<string> vpcId, InputMap<string> tags)
    {
        var lb = settings.LoadBalancer;
        var containerPort = settings.Service.ContainerPort;
        var albSecurityGroupArgs = new Aws.Ec2.SecurityGroupArgs
        {
            VpcId = vpcId,
            Description = lb.Https ? "HTTPS, and HTTP that redirects to it, from the internet to the load balancer" : "HTTP from the internet to the load balancer",
            Tags = tags,
        };
        foreach (var port in lb.ListenerPorts)
        {
            albSecurityGroupArgs.Ingress.Add(new Aws.Ec2.Inputs.SecurityGroupIngressArgs { Protocol = "tcp", FromPort = port, ToPort = port, CidrBlocks = { "0.0.0.0/0" } });
        }

        var albSecurityGroup = new Aws.Ec2.SecurityGroup("alb", albSecurityGroupArgs);
        var taskSecurityGroup = new Aws.Ec2.SecurityGroup("tasks", new Aws.Ec2.SecurityGroupArgs
        {
            VpcId = vpcId,
            Description = "The load balancer to the tasks",
            Ingress =
            {
                new Aws.Ec2.Inputs.SecurityGroupIngressArgs
                {
                    Protocol = "tcp",
                    FromPort = containerPort,
                    ToPort = containerPort,
                    SecurityGroups = { albSecurityGroup.Id },
                },
            },
            Egress = { new Aws.Ec2.Inputs.SecurityGroupEgressArgs { Protocol = "-1", FromPort = 0, ToPort = 0, CidrBlocks = { "0.0.0.0/0" } } },
            Tags = tags,
        });
        _ = new Aws.Vpc.SecurityGroupEgressRule("alb-to-tasks", new Aws.Vpc.SecurityGroupEgressRuleArgs
        {
            SecurityGroupId = albSecurityGroup.Id,
            ReferencedSecurityGroupId = taskSecurityGroup.Id,
            IpProtocol = "tcp",
            FromPort = containerPort,
            ToPort = containerPort,
            Description = "The load balancer to the tasks' container port",
            Tags = tags,
        });
        return new StackSecurityGroups(albSecurityGroup, taskSecurityGroup);
    }

    /// <summary>The Application Load Balancer (awsx): HTTPS on 443 with 80 redirecting to it, or plain HTTP on 80.</summary>
    private static StackLoadBalancer CreateLoadBalancer(StackConfig settings, StackNetwork network, Aws.Ec2.SecurityGroup albSecurityGroup, InputMap<string> tags)
    {
        var lb = settings.LoadBalancer;
        var albArgs = new Awsx.Lb.ApplicationLoadBalancerArgs
        {
            SubnetIds = network.PublicSubnets,
            SecurityGroups = { albSecurityGroup.Id },
            DefaultSecurityGroup = new Awsx.Awsx.Inputs.DefaultSecurityGroupArgs { Skip = true },
            DefaultTargetGroup = new Awsx.Lb.Inputs.TargetGroupArgs
            {
                Port = settings.Service.ContainerPort,
                Protocol = "HTTP",
                TargetType = "ip",
                VpcId = network.VpcId,
                HealthCheck = new Aws.LB.Inputs.TargetGroupHealthCheckArgs { Path = lb.HealthCheckPath },
            },
            DropInvalidHeaderFields = lb.DropInvalidHeaderFields,
            EnableDeletionProtection = lb.DeletionProtection,
            IdleTimeout = lb.IdleTimeout,
            Tags = tags,
        };
        if (lb.AccessLogs is { } logs)
        {
            var accessLogs = new Aws.LB.Inputs.LoadBalancerAccessLogsArgs { Bucket = logs.Bucket, Enabled = true };
            if (logs.Prefix is { } prefix)
            {
                accessLogs.Prefix = prefix;
            }

            albArgs.AccessLogs = accessLogs;
        }

        AddListeners(albArgs, lb);
        var alb = new Awsx.Lb.ApplicationLoadBalancer("alb", albArgs);
        return new StackLoadBalancer(Required(alb.DefaultTargetGroup, "defaultTargetGroup"), Required(alb.LoadBalancer, "loadBalancer"));
    }

    /// <summary>HTTPS on 443 with 80 redirecting to it when the stack has a certificate, else plain HTTP on 80.</summary>
    private static void AddListeners(Awsx.Lb.ApplicationLoadBalancerArgs albArgs, LoadBalancerSettings lb)
    {
        if (lb.CertificateArn is not { } certificateArn)
        {
            albArgs.Listener = new Awsx.Lb.Inputs.ListenerArgs { Port = 80, Protocol = "HTTP" };
            return;
        }

        // awsx forwards a listener without defaultActions to its default target group.
        albArgs.Listeners =
        [
            new Awsx.Lb.Inputs.ListenerArgs { Port = 443, Protocol = "HTTPS", CertificateArn = certificateArn, SslPolicy = lb.SslPolicy },
            new Awsx.Lb.Inputs.ListenerArgs
            {
                Port = 80,
                Protocol = "HTTP",
                DefaultActions =
                {
                    new Aws.LB.Inputs.ListenerDefaultActionArgs
                    {
                        Type = "redirect",
                        Redirect = new Aws.LB.Inputs.ListenerDefaultActionRedirectArgs { Protocol = "HTTPS", Port = "443", StatusCode = "HTTP_301" },
                    },
                },
            },
        ];
    }

    /// <summary>The cluster, with Container Insights on (the alerts read its metrics).</summary>
    private static Aws.Ecs.Cluster CreateCluster(InputMap<string> tags) =>
        new("cluster", new Aws.Ecs.ClusterArgs
        {
            Settings = { new Aws.Ecs.Inputs.ClusterSettingArgs { Name = "containerInsights", Value = "enabled" } },
            Tags = tags,
        });

    /// <summary>
    /// The application's own image, when service.build asks for it (Stack/ImageBuild.cs); then the service and its
    /// step scaling, from the sections <see cref="ReadConfig"/> checked, running that image.
    /// </summary>
    private static StepScaledEcsService CreateService(
        StackConfig settings,
        ComponentPlan component,
        StackNetwork network,
        Aws.Ec2.SecurityGroup taskSecurityGroup,
        Output<Aws.LB.TargetGroup> targetGroup,
        Aws.Ecs.Cluster cluster,
        InputMap<string> tags)
    {
        var builtImage = Infra.ImageBuild.Create(settings.Service.Build, settings.Service.Name, Directory.GetCurrentDirectory(), tags);
        var serviceArgs = new StepScaledEcsServiceArgs
        {
            ClusterArn = cluster.Arn,
            ClusterName = cluster.Name,
            Subnets = network.TaskSubnets,
            SecurityGroups = { taskSecurityGroup.Id },
            LoadBalancer = new LoadBalancerAttachmentArgs
            {
                TargetGroupArn = targetGroup.Apply(tg => tg.Arn),
                TargetGroupArnSuffix = targetGroup.Apply(tg => tg.ArnSuffix),
            },
            Service = builtImage is null ? null : new ServiceArgs { Image = builtImage },
            ClusterHasContainerInsights = true,
            Tags = tags,
        }.UseCheckedSections(component);
        return new StepScaledEcsService(settings.Service.Name, serviceArgs);
    }

    /// <summary>
    /// An output of the awsx load balancer, or a clear error naming it when the component returned none (a
    /// null resource would otherwise surface as a NullReferenceException inside an Apply).
    /// </summary>
    private static Output<T> Required<T>(Output<T> output, string name)
        where T : class =>
        output.Apply(value => value is null
            ? throw new InvalidOperationException($"the awsx:lb:ApplicationLoadBalancer 'alb' returned no '{name}' output; the service cannot be attached to the load balancer")
            : value);

    /// <summary>
    /// Project keys the program does not read, e.g. a typo that would silently switch scaling off. Pulumi's config
    /// API has no listing, so this reads PULUMI_CONFIG, which the .NET language host sets for the program (the SDK
    /// parses the same variable); without it (an inline Automation API program) there is nothing to check.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> UnknownProjectKeys(string project)
    {
        if (Environment.GetEnvironmentVariable("PULUMI_CONFIG") is not { Length: > 0 } json)
        {
            return [];
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateObject()
                .Select(p => p.Name.Replace($"{project}:config:", $"{project}:", StringComparison.Ordinal))
                .Where(k => k.StartsWith($"{project}:", StringComparison.Ordinal))
                .Select(k => k[(project.Length + 1)..])
                .Where(k => !StackConfigMapper.Keys.Contains(k))
                .Select(k => KeyValuePair.Create(k, string.Empty))];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}

/// <summary>The stack's network: the VPC, the subnets the load balancer faces the internet from, and the tasks' subnets.</summary>
internal sealed record StackNetwork(Output<string> VpcId, Output<ImmutableArray<string>> PublicSubnets, Output<ImmutableArray<string>> TaskSubnets);

/// <summary>The load balancer's security group and the tasks' security group.</summary>
internal sealed record StackSecurityGroups(Aws.Ec2.SecurityGroup Alb, Aws.Ec2.SecurityGroup Tasks);

/// <summary>The awsx load balancer's default target group and the load balancer itself.</summary>
internal sealed record StackLoadBalancer(Output<Aws.LB.TargetGroup> TargetGroup, Output<Aws.LB.LoadBalancer> LoadBalancer);
