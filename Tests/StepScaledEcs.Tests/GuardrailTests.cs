using System.Text.Json;
using static StepScaledEcs.Tests.Inputs;

namespace StepScaledEcs.Tests;

/// <summary>
/// One test per production control, each walking every resource of a stack: the repository's dev and prod stacks
/// and a fully configured production stack must pass every control; the opt-out stack must show exactly its opt-outs.
/// </summary>
[TestFixture]
[NonParallelizable] // Pulumi's Deployment is process-global: mock tests must run one at a time.
public sealed class GuardrailTests
{
    private const string TaskDefinitionType = "aws:ecs/taskDefinition:TaskDefinition";
    private const string ServiceType = "aws:ecs/service:Service";
    private const string AlarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";
    private const string AlbType = "awsx:lb:ApplicationLoadBalancer";

    private static IEnumerable<StackCase> Stacks() => StackCase.All();

    private static List<Registered> OfType(StackCase stack, string type)
    {
        var found = stack.Resources().Where(r => r.Type == type).ToList();
        Assert.That(found, Is.Not.Empty, $"{stack}: no {type} to check");
        return found;
    }

    [TestCaseSource(nameof(Stacks))]
    public void EveryContainer_ReadOnlyRootFilesystem_WithOnlyTheWritablePathsAsTmpfs(StackCase stack)
    {
        var service = stack.Config.Service;
        foreach (var taskDefinition in OfType(stack, TaskDefinitionType))
        {
            var container = Container(taskDefinition);
            Assert.That(container.GetProperty("readonlyRootFilesystem").GetBoolean(), Is.EqualTo(!stack.OptOuts), $"{stack}: ECS.5");
            var tmpfs = container.GetProperty("linuxParameters").GetProperty("tmpfs").EnumerateArray().ToList();
            Assert.That(tmpfs.Select(t => t.GetProperty("containerPath").GetString()), Is.EqualTo(service.WritablePaths));
            Assert.That(tmpfs.Select(t => t.GetProperty("size").GetInt32()), Has.All.EqualTo(64));
            Assert.That(tmpfs.Select(t => t.GetProperty("mountOptions").EnumerateArray().Select(o => o.GetString()).ToArray()), Has.All.EqualTo(new[] { "rw", "nosuid", "nodev", "mode=1777" }));
            Assert.That(taskDefinition.Input("volumes"), Is.Null, "writable paths are tmpfs mounts, not root-owned bind mounts");
        }

        if (!stack.OptOuts)
        {
            Assert.That(service.WritablePaths, Does.Contain("/tmp"), "the default image writes its pid and temporary files there");
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void EveryContainer_RunsAsItsConfiguredUser_NeverRootUnlessAllowed(StackCase stack)
    {
        foreach (var taskDefinition in OfType(stack, TaskDefinitionType))
        {
            var user = Container(taskDefinition).GetProperty("user").GetString();
            Assert.That(user, Is.EqualTo(stack.Config.Service.User));
            Assert.That(StepScaling.Validation.SecurityRules.IsRootUser(user!), Is.EqualTo(stack.OptOuts), $"{stack}: user '{user}'");
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void EveryContainer_NotPrivilegedNoHostNamespacesInitProcessAndCapabilitiesDropped(StackCase stack)
    {
        foreach (var taskDefinition in OfType(stack, TaskDefinitionType))
        {
            var container = Container(taskDefinition);
            Assert.That(container.GetProperty("privileged").GetBoolean(), Is.False, "ECS.4");
            Assert.That(taskDefinition.Input("networkMode"), Is.EqualTo("awsvpc"), "no host network");
            Assert.That(taskDefinition.Input("pidMode"), Is.Null, "no host PID namespace");
            Assert.That(taskDefinition.Input("ipcMode"), Is.Null);
            var linux = container.GetProperty("linuxParameters");
            Assert.That(linux.GetProperty("initProcessEnabled").GetBoolean(), Is.True);
            Assert.That(linux.GetProperty("capabilities").GetProperty("drop").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "ALL" }));
            var added = linux.GetProperty("capabilities").GetProperty("add").EnumerateArray().Select(c => c.GetString()).ToList();
            Assert.That(added, stack.OptOuts ? Is.EqualTo(new[] { "SYS_PTRACE" }) : Is.Empty);
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void EveryService_FargateOnTheLatestPlatformVersion(StackCase stack)
    {
        foreach (var service in OfType(stack, ServiceType))
        {
            Assert.That(service.Input("platformVersion"), Is.EqualTo("LATEST"), "ECS.10");
            Assert.That(service.Input("launchType"), Is.EqualTo("FARGATE"));
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void EveryService_NoPublicIpUnlessTheDefaultVpcNeedsOne(StackCase stack)
    {
        foreach (var service in OfType(stack, ServiceType))
        {
            var publicIp = (bool)Dict(service.Input("networkConfiguration")!)["assignPublicIp"];
            Assert.That(publicIp, Is.EqualTo(stack.Config.Service.AssignPublicIp), "ECS.2");
            Assert.That(publicIp, Is.EqualTo(stack.Config.Network.UseDefaultVpc), $"{stack}: a public IP only in the default VPC, which has no NAT gateway");
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void EveryRole_TrustsOnlyEcsTasksOfThisAccountAndRegion(StackCase stack)
    {
        var roles = OfType(stack, "aws:iam/role:Role");
        Assert.That(roles, Has.Count.EqualTo(2));
        foreach (var role in roles)
        {
            var statement = Json(role, "assumeRolePolicy").GetProperty("Statement").EnumerateArray().Single();
            Assert.That(statement.GetProperty("Effect").GetString(), Is.EqualTo("Allow"));
            Assert.That(statement.GetProperty("Action").GetString(), Is.EqualTo("sts:AssumeRole"));
            Assert.That(statement.GetProperty("Principal").EnumerateObject().Select(p => (p.Name, p.Value.GetString())), Is.EqualTo(new[] { ("Service", "ecs-tasks.amazonaws.com") }));
            var condition = statement.GetProperty("Condition");
            Assert.That(condition.GetProperty("StringEquals").GetProperty("aws:SourceAccount").GetString(), Is.EqualTo(PulumiTestKit.Account));
            Assert.That(condition.GetProperty("ArnLike").GetProperty("aws:SourceArn").GetString(), Is.EqualTo($"arn:aws:ecs:{PulumiTestKit.Region}:{PulumiTestKit.Account}:*"));
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void ExecutionRole_ReadsExactlyTheNamedSecretsAndDecryptsWithExactlyTheNamedKeys(StackCase stack)
    {
        var service = stack.Config.Service;
        var policies = stack.Resources().Where(r => r.Type == "aws:iam/rolePolicy:RolePolicy").ToList();
        if (service.Secrets.IsEmpty && service.SecretsKmsKeyArns.IsEmpty)
        {
            Assert.That(policies, Is.Empty);
            return;
        }

        var statements = Json(policies.Single(), "policy").GetProperty("Statement").EnumerateArray()
            .ToDictionary(s => s.GetProperty("Action")[0].GetString()!, s => s.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()).ToList());
        Assert.That(statements, Is.EquivalentTo(new Dictionary<string, List<string?>>
        {
            ["ssm:GetParameters"] = [StackCase.SecretArn],
            ["kms:Decrypt"] = [StackCase.KeyArn],
        }));
    }

    [TestCaseSource(nameof(Stacks))]
    public void LogGroup_EncryptedWithTheConfiguredKeyAndRetained(StackCase stack)
    {
        foreach (var logGroup in OfType(stack, "aws:cloudwatch/logGroup:LogGroup"))
        {
            Assert.That(logGroup.Input("kmsKeyId"), Is.EqualTo(stack.Config.Service.LogKmsKeyArn));
            Assert.That(Int(logGroup.Input("retentionInDays")!), Is.EqualTo(stack.Config.Service.LogRetentionDays));
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void SecurityGroups_OpenExactlyTheListenerPortsAndOnlyTheContainerPortFromTheAlbToTheTasks(StackCase stack)
    {
        var groups = OfType(stack, "aws:ec2/securityGroup:SecurityGroup").ToDictionary(g => g.Name);
        var port = stack.Config.Service.ContainerPort;
        var https = stack.Config.LoadBalancer.CertificateArn is not null;

        var albIngress = Dicts(groups["alb"].Input("ingress"));
        Assert.That(albIngress.Select(i => (Int(i["fromPort"]), Int(i["toPort"]), (string)i["protocol"])), Is.EqualTo(https ? new[] { (443, 443, "tcp"), (80, 80, "tcp") } : new[] { (80, 80, "tcp") }));
        Assert.That(albIngress.Select(i => Strings(i["cidrBlocks"])), Has.All.EqualTo(new[] { "0.0.0.0/0" }));
        Assert.That(groups["alb"].Input("egress"), Is.Null, "the ALB's only egress is the rule to the tasks");

        var egressRule = OfType(stack, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").Single();
        Assert.That((egressRule.Input("securityGroupId"), egressRule.Input("referencedSecurityGroupId")), Is.EqualTo(("alb-id", "tasks-id")));
        Assert.That((Int(egressRule.Input("fromPort")!), Int(egressRule.Input("toPort")!), egressRule.Input("ipProtocol")), Is.EqualTo((port, port, "tcp")));

        var taskIngress = Dicts(groups["tasks"].Input("ingress")).Single();
        Assert.That((Int(taskIngress["fromPort"]), Int(taskIngress["toPort"]), taskIngress["protocol"]), Is.EqualTo((port, port, "tcp")));
        Assert.That(Strings(taskIngress["securityGroups"]), Is.EqualTo(new[] { "alb-id" }));
        Assert.That(taskIngress.ContainsKey("cidrBlocks"), Is.False, "nothing but the load balancer reaches the tasks");

        var service = OfType(stack, ServiceType).Single();
        Assert.That(Strings(Dict(service.Input("networkConfiguration")!)["securityGroups"]), Is.EqualTo(new[] { "tasks-id" }));
    }

    [TestCaseSource(nameof(Stacks))]
    public void EveryImageRepository_ScansOnPushImmutableTagsLifecyclePolicyEncrypted(StackCase stack)
    {
        var repositories = stack.Resources().Where(r => r.Type == "awsx:ecr:Repository").ToList();
        Assert.That(repositories, Has.Count.EqualTo(stack.Config.Service.Build is null ? 0 : 1), "a repository exactly when the stack builds its image");
        foreach (var repository in repositories)
        {
            Assert.That(Dict(repository.Input("imageScanningConfiguration")!)["scanOnPush"], Is.EqualTo(true), "Security Hub ECR.1");
            Assert.That(repository.Input("imageTagMutability"), Is.EqualTo("IMMUTABLE"), "Security Hub ECR.2");
            Assert.That(Dicts(Dict(repository.Input("lifecyclePolicy")!)["rules"]), Is.Not.Empty, "Security Hub ECR.3");
            Assert.That(Dicts(repository.Input("encryptionConfigurations")).Single()["encryptionType"], Is.AnyOf("AES256", "KMS"));
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void LoadBalancer_DropsInvalidHeadersAndProtectsProdFromDeletion(StackCase stack)
    {
        var alb = OfType(stack, AlbType).Single();
        Assert.That(alb.Input("dropInvalidHeaderFields"), Is.EqualTo(!stack.OptOuts), "ELB.4");
        Assert.That(alb.Input("enableDeletionProtection"), Is.EqualTo(stack.Config.LoadBalancer.DeletionProtection));
        if (stack.Name is "prod" or "hardened")
        {
            Assert.That(alb.Input("enableDeletionProtection"), Is.EqualTo(true));
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void LoadBalancer_HttpsWithTheRecommendedPolicyWhenACertificateIsSetElseHttpOnly(StackCase stack)
    {
        var alb = OfType(stack, AlbType).Single();
        if (stack.Config.LoadBalancer.CertificateArn is { } certificate)
        {
            var listeners = Dicts(alb.Input("listeners"));
            Assert.That(listeners.Select(l => (Int(l["port"]), (string)l["protocol"])), Is.EqualTo(new[] { (443, "HTTPS"), (80, "HTTP") }));
            Assert.That((listeners[0]["certificateArn"], listeners[0]["sslPolicy"]), Is.EqualTo((certificate, "ELBSecurityPolicy-TLS13-1-2-2021-06")));
            Assert.That(Dict(Dicts(listeners[1]["defaultActions"]).Single()["redirect"])["statusCode"], Is.EqualTo("HTTP_301"));
        }
        else
        {
            Assert.That(alb.Input("listeners"), Is.Null);
            Assert.That(Dict(alb.Input("listener")!).ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["port"] = 80.0, ["protocol"] = "HTTP" }));
        }
    }

    [TestCaseSource(nameof(Stacks))]
    public void EveryAlarm_HasAnActionAndOnlyAlertsNotifyAHuman(StackCase stack)
    {
        var policyArns = stack.Resources().Where(r => r.Type == "aws:appautoscaling/policy:Policy").Select(p => p.Arn).ToHashSet(StringComparer.Ordinal);
        foreach (var alarm in stack.Resources().Where(r => r.Type == AlarmType))
        {
            var actions = Strings(alarm.Input("alarmActions"));
            Assert.That(actions, Is.Not.Empty, $"{alarm.Name} has no action");
            if (actions.All(policyArns.Contains))
            {
                Assert.That(alarm.Input("okActions"), Is.Null, $"{alarm.Name}: a scaling alarm fires on every scale and must notify no one");
            }
            else
            {
                Assert.That(actions, Is.EqualTo(new[] { StackCase.TopicArn }), alarm.Name);
                Assert.That(Strings(alarm.Input("okActions")), Is.EqualTo(new[] { StackCase.TopicArn }), $"{alarm.Name}: the human learns when it clears");
            }
        }

        var alerts = stack.Resources().Count(r => r.Type == AlarmType && Strings(r.Input("alarmActions")).Contains(StackCase.TopicArn));
        Assert.That(alerts, Is.EqualTo(stack.Config.Alerts is null ? 0 : 2));
    }

    [TestCaseSource(nameof(Stacks))]
    public void Cluster_HasContainerInsights(StackCase stack)
    {
        var settings = Dicts(OfType(stack, "aws:ecs/cluster:Cluster").Single().Input("settings"));
        Assert.That(settings.Select(s => ((string)s["name"], (string)s["value"])), Is.EqualTo(new[] { ("containerInsights", "enabled") }));
    }

    [Test]
    public void OptOutStack_EveryOptOutIsReportedAsAWarning()
    {
        var plan = StepScaling.Planning.StackPlanner.Plan(StackCase.All().Single(s => s.OptOuts).File);

        Assert.That(plan.Diagnostics.Where(d => d.Severity == StepScaling.Validation.Severity.Warning).Select(d => d.Path), Is.EquivalentTo(new[]
        {
            "service.user",
            "service.readonlyRootFilesystem",
            "loadBalancer.certificateArn",
            "loadBalancer.dropInvalidHeaderFields",
        }));
    }

    [Test]
    public void Stacks_FourDistinctCases()
    {
        // The guardrails must not pass vacuously: the opt-out stack really differs where the others are hardened.
        var cases = StackCase.All().ToList();
        Assert.That(cases.Select(c => c.Name), Is.EqualTo(new[] { "dev", "prod", "hardened", "opt-outs" }));
        var optOuts = cases.Single(c => c.OptOuts).Config.Service;
        Assert.That((optOuts.User, optOuts.ReadonlyRootFilesystem, optOuts.AssignPublicIp), Is.EqualTo(("root", false, true)));
        Assert.That(JsonSerializer.Serialize(cases.Single(c => c.Name == "hardened").Config.LoadBalancer.ListenerPorts), Is.EqualTo("[443,80]"));
    }
}
