using StepScaling.Config;
using Pulumi;

namespace StepScaledEcs.Tests;

[TestFixture]
[NonParallelizable] // Pulumi's Deployment is process-global: mock tests must run one at a time.
public sealed class StackProgramTests
{
    private const string PolicyType = "aws:appautoscaling/policy:Policy";
    private const string AlarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";

    [TearDown]
    public void ClearConfig() => Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);

    private static async Task<(PulumiTestKit Kit, IDictionary<string, object?> Outputs)> RunStackAsync(string stack)
    {
        PulumiTestKit.UseStackConfig(StackFile.Load(Path.Combine(PulumiTestKit.RepoRoot(), $"Pulumi.{stack}.yaml")));
        var kit = new PulumiTestKit();
        var (_, outputs) = await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options(stack, preview: true), StackProgram.Run);
        return (kit, outputs);
    }

    [Test]
    public async Task Run_DevStack_CreatesExactlyTheSeedAlarmsAndPolicies()
    {
        var (kit, _) = await RunStackAsync("dev");

        var alarms = kit.OfType(AlarmType).ToDictionary(a => a.Name);
        Assert.That(alarms.Keys, Is.EquivalentTo(new[] { "web-memory-out-alarm", "web-memory-in-alarm" }));
        Assert.That(kit.OfType(PolicyType).Select(p => p.Name), Is.EquivalentTo(new[] { "web-memory-out", "web-memory-in" }));

        var scaleOut = alarms["web-memory-out-alarm"];
        var scaleIn = alarms["web-memory-in-alarm"];
        Assert.Multiple(() =>
        {
            Assert.That(scaleOut.Input("comparisonOperator"), Is.EqualTo("GreaterThanThreshold"));
            Assert.That(scaleOut.Input("threshold"), Is.EqualTo(10));
            Assert.That(scaleIn.Input("comparisonOperator"), Is.EqualTo("LessThanOrEqualToThreshold"));
            Assert.That(scaleIn.Input("threshold"), Is.EqualTo(10));
            foreach (var alarm in alarms.Values)
            {
                Assert.That(alarm.Input("metricName"), Is.EqualTo("MemoryUtilization"));
                Assert.That(alarm.Input("namespace"), Is.EqualTo("AWS/ECS"));
                Assert.That(alarm.Input("statistic"), Is.EqualTo("Average"));
                Assert.That(alarm.Input("period"), Is.EqualTo(60));
                Assert.That(alarm.Input("evaluationPeriods"), Is.EqualTo(1));
            }
        });

        var outSteps = Steps(kit, "web-memory-out");
        var inSteps = Steps(kit, "web-memory-in");
        Assert.That(outSteps, Is.EqualTo(new[] { "[0,10)+1", "[10,25)+2", "[25,)+3" }));
        Assert.That(inSteps, Is.EqualTo(new[] { "[,0)-1" }));
    }

    [Test]
    public async Task Run_DevStack_BuildsTheNetworkAlbAndClusterWithContainerInsights()
    {
        var (kit, outputs) = await RunStackAsync("dev");

        Assert.That(kit.OfType("awsx:ec2:DefaultVpc"), Has.Count.EqualTo(1));
        Assert.That(kit.OfType("awsx:lb:ApplicationLoadBalancer"), Has.Count.EqualTo(1));
        var cluster = kit.OfType("aws:ecs/cluster:Cluster").Single();
        var settings = cluster.List("settings").Cast<System.Collections.Immutable.ImmutableDictionary<string, object>>().Single();
        Assert.That(settings["name"], Is.EqualTo("containerInsights"));
        Assert.That(settings["value"], Is.EqualTo("enabled"));
        Assert.That(outputs.Keys, Is.SupersetOf(new[] { "url", "serviceName", "scalingSummary" }));
        var summary = await PulumiTestKit.ValueAsync((Output<string>)outputs["scalingSummary"]!);
        Assert.That(summary, Does.StartWith("Scales between 1 and 4 tasks."));
    }

    [Test]
    public async Task Run_ProdStack_CreatesAScaleOutAndAScaleInPairPerMetric()
    {
        var (kit, _) = await RunStackAsync("prod");

        Assert.That(kit.OfType("awsx:ec2:Vpc"), Has.Count.EqualTo(1));
        Assert.That(kit.OfType(PolicyType).Select(p => p.Name), Is.EquivalentTo(new[] { "web-cpu-out", "web-cpu-in", "web-memory-out", "web-memory-in" }));
        var alarms = kit.OfType(AlarmType).ToDictionary(a => a.Name);
        Assert.Multiple(() =>
        {
            Assert.That(alarms["web-cpu-out-alarm"].Input("comparisonOperator"), Is.EqualTo("GreaterThanOrEqualToThreshold"));
            Assert.That(alarms["web-cpu-out-alarm"].Input("threshold"), Is.EqualTo(70));
            Assert.That(alarms["web-cpu-in-alarm"].Input("comparisonOperator"), Is.EqualTo("LessThanThreshold"));
            Assert.That(alarms["web-cpu-in-alarm"].Input("threshold"), Is.EqualTo(30));
            Assert.That(alarms["web-cpu-in-alarm"].Input("evaluationPeriods"), Is.EqualTo(3));
            Assert.That(alarms["web-cpu-in-alarm"].Input("datapointsToAlarm"), Is.EqualTo(3));
            Assert.That(alarms["web-memory-out-alarm"].Input("threshold"), Is.EqualTo(75));
        });
        Assert.That(Steps(kit, "web-cpu-out"), Is.EqualTo(new[] { "[0,15)+1", "[15,)+3" }));
        var target = kit.OfType("aws:appautoscaling/target:Target").Single();
        Assert.That(target.Input("minCapacity"), Is.EqualTo(2));
    }

    [Test]
    public void Run_BrokenConfig_FailsWithTheListedErrorsBeforeAnyResource()
    {
        var broken = StackFile.Parse("""
            config:
              step-scaled-ecs:scaling:
                minCapacity: 2
                maxCapacity: 5
                policies:
                  - name: cpu
                    metric: CPUUtilization
                    scaleOut:
                      bands:
                        - { from: 20, to: 35, change: 2 }
                        - { from: 30, change: 3 }
                    scaleIn:
                      datapointsToAlarm: 4
                      bands:
                        - { to: 10, change: -1 }
            """, "Pulumi.broken.yaml", PulumiTestKit.Project);
        PulumiTestKit.UseStackConfig(broken);
        var kit = new PulumiTestKit();

        var error = Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("broken", true), StackProgram.Run));

        Assert.That(error!.Message, Does.Contain("scaling.policies[0].scaleOut.bands[1]: bands overlap: [20, 35) and [30, +inf)"));
        Assert.That(error.Message, Does.Contain("scaling.policies[0].scaleIn.datapointsToAlarm: must be between 1 and evaluationPeriods (1); got 4"));
        Assert.That(kit.Resources, Is.Empty);
    }

    [Test]
    public void Run_MisspelledProjectKey_FailsNamingItBeforeAnyResource()
    {
        // 'scalng' would otherwise leave scaling off without a word: pulumi up must stop, as stepscale check does.
        var typo = StackFile.Parse("""
            config:
              step-scaled-ecs:service:
                name: web
              step-scaled-ecs:scalng:
                maxCapacity: 4
            """, "Pulumi.typo.yaml", PulumiTestKit.Project);
        PulumiTestKit.UseStackConfig(typo);
        var kit = new PulumiTestKit();

        var error = Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("typo", true), StackProgram.Run));

        Assert.That(error!.Message, Does.Contain("scalng: unknown config key 'scalng'"));
        Assert.That(kit.Resources, Is.Empty);
    }

    private static List<string> Steps(PulumiTestKit kit, string policyName)
    {
        var policy = kit.OfType(PolicyType).Single(p => p.Name == policyName);
        var steps = (IEnumerable<object>)policy.Object("stepScalingPolicyConfiguration")["stepAdjustments"];
        return [.. steps.Cast<System.Collections.Immutable.ImmutableDictionary<string, object>>().Select(s =>
            $"[{(s.TryGetValue("metricIntervalLowerBound", out var l) ? l : string.Empty)},{(s.TryGetValue("metricIntervalUpperBound", out var u) ? u : string.Empty)}){(Convert.ToInt32(s["scalingAdjustment"], System.Globalization.CultureInfo.InvariantCulture) > 0 ? "+" : string.Empty)}{s["scalingAdjustment"]}")];
    }
}
