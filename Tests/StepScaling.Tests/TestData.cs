using System.Collections.Immutable;
using StepScaling.Config;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Planning;
using StepScaling.Simulation;
using StepScaling.Testing;
using StepScaling.Validation;

namespace StepScaling.Tests;

/// <summary>The repository's own files: the stacks under test live at its root, beside Pulumi.yaml.</summary>
internal static class Repo
{
    public static string Root => RepositoryFiles.Root;

    public static string DevStack => RepositoryFiles.Stack("dev");

    public static string ProdStack => RepositoryFiles.Stack("prod");

    public static StackPlan PlanDev() => StackPlanner.Plan(StackFile.Load(DevStack));

    public static StackPlan PlanProd() => StackPlanner.Plan(StackFile.Load(ProdStack));

    public static ScalingSpec DevSpec() => PlanDev().Scaling ?? throw new InvalidOperationException("The dev stack does not plan.");

    public static ScalingSpec ProdSpec() => PlanProd().Scaling ?? throw new InvalidOperationException("The prod stack does not plan.");
}

/// <summary>Builders for definitions, specs, stack text and traces, so that each test states only what it is about.</summary>
internal static class Build
{
    public const string Policy0 = "scaling.policies[0]";
    public const string Out0 = "scaling.policies[0].scaleOut";
    public const string In0 = "scaling.policies[0].scaleIn";

    public static readonly MetricSpec Cpu = new EcsServiceMetric("CPUUtilization");
    public static readonly MetricSpec Memory = new EcsServiceMetric("MemoryUtilization");

    public static Band B(double? from, double? to, int change) => new(from, to, change);

    public static StepAdjustment S(double? lower, double? upper, int adjustment) => new(lower, upper, adjustment);

    /// <summary>A side written as absolute bands.</summary>
    public static SideDefinition Bands(string path, params Band[] bands) =>
        new() { Path = path, Steps = new BandSteps([.. bands]) };

    /// <summary>A side written as raw relative steps with an explicit alarm.</summary>
    public static SideDefinition Relative(string path, ComparisonOperator op, double threshold, params StepAdjustment[] steps) =>
        new() { Path = path, Steps = new RelativeSteps(op, threshold, [.. steps]) };

    /// <summary>The scale-out side of policy 0 as bands.</summary>
    public static SideDefinition Out(params Band[] bands) => Bands(Out0, bands);

    /// <summary>The scale-in side of policy 0 as bands.</summary>
    public static SideDefinition In(params Band[] bands) => Bands(In0, bands);

    public static PolicyDefinition Policy(SideDefinition? scaleOut, SideDefinition? scaleIn, string name = "cpu", MetricSpec? metric = null) =>
        new() { Name = name, Metric = metric ?? Cpu, ScaleOut = scaleOut, ScaleIn = scaleIn };

    public static ScalingDefinition Definition(int min, int max, params PolicyDefinition[] policies) =>
        new() { MinCapacity = min, MaxCapacity = max, Policies = [.. policies] };

    /// <summary>A valid one-policy definition: CPU ≥ 70 → +1 (≥ 85 → +3), &lt; 30 → −1.</summary>
    public static ScalingDefinition ValidDefinition() =>
        Definition(1, 4, Policy(Out(B(70, 85, 1), B(85, null, 3)), In(B(null, 30, -1))));

    public static NormalizationResult Normalize(ScalingDefinition definition, string? prefix = null) =>
        ScalingNormalizer.Normalize(definition, prefix);

    /// <summary>Normalises and insists on a valid spec (the message lists every error otherwise).</summary>
    public static ScalingSpec Spec(ScalingDefinition definition) => ScalingNormalizer.Normalize(definition).GetSpecOrThrow();

    public static ScalingSpec Spec(int min, int max, params PolicyDefinition[] policies) => Spec(Definition(min, max, policies));

    /// <summary>The errors of a definition as (path, message) pairs, in the order found.</summary>
    public static IReadOnlyList<(string Path, string Message)> Errors(ImmutableArray<Diagnostic> diagnostics) =>
        [.. diagnostics.Where(d => d.Severity == Severity.Error).Select(d => (d.Path, d.Message))];

    public static IReadOnlyList<(string Path, string Message)> Errors(ScalingDefinition definition, string? prefix = null) =>
        Errors(Normalize(definition, prefix).Diagnostics);

    public static IReadOnlyList<(string Path, string Message)> Warnings(ImmutableArray<Diagnostic> diagnostics) =>
        [.. diagnostics.Where(d => d.Severity == Severity.Warning).Select(d => (d.Path, d.Message))];

    /// <summary>The warning of every stack without a certificate: its load balancer serves plain HTTP.</summary>
    public static readonly Diagnostic HttpOnly = Diagnostic.Warning(
        LoadBalancerRules.Https,
        "loadBalancer.certificateArn",
        "is not set: the load balancer serves plain HTTP on port 80 and traffic is unencrypted; set an ACM certificate ARN to serve HTTPS (production stacks should)");

    /// <summary>The diagnostics without <see cref="HttpOnly"/>, for tests about something else (the scaling).</summary>
    public static ImmutableArray<Diagnostic> ExceptHttpOnly(ImmutableArray<Diagnostic> diagnostics) => [.. diagnostics.Where(d => d != HttpOnly)];

    /// <summary>A Pulumi stack file with the project's keys given as YAML under <c>config:</c>.</summary>
    /// <param name="projectKeys">Lines such as <c>scaling:</c> and their children, indented as if at column 0.</param>
    public static string StackYaml(string projectKeys)
    {
        var lines = projectKeys.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        var body = string.Join('\n', lines.Select(l => l.Length == 0 ? l : (char.IsWhiteSpace(l[0]) ? "  " + l : "  step-scaled-ecs:" + l)));
        return "config:\n  aws:region: us-east-1\n" + body + "\n";
    }

    public static StackFile ParseStack(string yaml, string path = "Pulumi.test.yaml") =>
        StackFile.Parse(yaml, path, StackFile.DefaultProject);

    /// <summary>The dev stack with one more project key, e.g. <c>flapCheck: error</c>.</summary>
    public static StackFile DevStackWith(string projectKeyLine) =>
        ParseStack(File.ReadAllText(Repo.DevStack).Replace("config:\n", $"config:\n  step-scaled-ecs:{projectKeyLine}\n", StringComparison.Ordinal), "Pulumi.dev.yaml");

    /// <summary>Maps a stack's YAML text to config, as the CLI does.</summary>
    public static ConfigMappingResult Map(string projectKeys) =>
        StackConfigMapper.Map(ParseStack(StackYaml(projectKeys)).Values);

    /// <summary>Plans a stack's YAML text, as the CLI does.</summary>
    public static StackPlan Plan(string projectKeys) => StackPlanner.Plan(ParseStack(StackYaml(projectKeys)));

    /// <summary>A constant demand, one sample a minute.</summary>
    public static DemandTrace Constant(double demand, int samples, int interval = 60) =>
        new() { IntervalSeconds = interval, Demand = [.. Enumerable.Repeat(demand, samples)] };

    /// <summary>Demand given sample by sample (NaN for a missing sample), one a minute.</summary>
    public static DemandTrace Trace(params double[] demand) => new() { IntervalSeconds = 60, Demand = demand };

    /// <summary>Simulator options with new tasks serving at once, so that timelines are easy to compute by hand.</summary>
    public static SimulationOptions Instant(int? initialCapacity = null) =>
        new() { StartupDelaySeconds = 0, InitialCapacity = initialCapacity };

    /// <summary>Events as (seconds, from, to) triples, for comparing timelines.</summary>
    public static IReadOnlyList<(int Seconds, int From, int To)> Timeline(SimulationResult result) =>
        [.. result.Events.Select(e => (e.Seconds, e.From, e.To))];

    /// <summary>Whether a run ever moves capacity one way and later the other.</summary>
    public static bool Reverses(SimulationResult result)
    {
        var direction = 0;
        foreach (var e in result.Events)
        {
            var d = Math.Sign(e.To - e.From);
            if (direction != 0 && d != direction)
            {
                return true;
            }

            direction = d;
        }

        return false;
    }
}
