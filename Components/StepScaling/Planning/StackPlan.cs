using System.Collections.Immutable;
using StepScaling.Analysis;
using StepScaling.Config;
using StepScaling.Model;
using StepScaling.Validation;

namespace StepScaling.Planning;

/// <summary>Everything known about a stack before deployment: its config, its scaling, and every finding.</summary>
public sealed record StackPlan
{
    /// <summary>The stack name.</summary>
    public required string Stack { get; init; }

    /// <summary>The mapped config, or null when the config itself has errors.</summary>
    public StackConfig? Config { get; init; }

    /// <summary>The component's sections, checked: what the program hands the component, so that nothing is checked twice.</summary>
    public ComponentPlan? Component { get; init; }

    /// <summary>The normalised scaling, or null when scaling is off or invalid.</summary>
    public ScalingSpec? Scaling { get; init; }

    /// <summary>Flap-analysis findings (empty when the check is off).</summary>
    public ImmutableArray<FlapFinding> FlapFindings { get; init; } = [];

    /// <summary>Every error, warning and note: config, validation and flap findings (as their mode says); a warning the stack acknowledges is marked so.</summary>
    public required ImmutableArray<Diagnostic> Diagnostics { get; init; }

    /// <summary>True when nothing stops deployment.</summary>
    public bool IsValid => Config is not null && !Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>The prefix of every alarm name: <c>{stack}-{service}</c>.</summary>
    public string AlarmNamePrefix => AlarmNames.Prefix(Stack, Config?.Service.Name ?? ServiceSettings.DefaultName);
}

/// <summary>Builds a <see cref="StackPlan"/> from config values: map, normalise, validate, analyse.</summary>
public static class StackPlanner
{
    /// <summary>Whether <paramref name="path"/> is <paramref name="parent"/>, lies under it (<c>a.b</c>, <c>a[0]</c>) or contains it: findings at such paths repeat an error.</summary>
    public static bool Under(string path, string parent) =>
        path == parent || (path.StartsWith(parent, StringComparison.Ordinal) && path.Length > parent.Length && path[parent.Length] is '.' or '[')
        || (parent.StartsWith(path, StringComparison.Ordinal) && parent.Length > path.Length && parent[path.Length] is '.' or '[');

    /// <summary>Plans a stack file read from disk.</summary>
    public static StackPlan Plan(StackFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var (plan, acknowledgements) = PlanUnacknowledged(file.Values, file.Stack, reportUnknownKeys: true, ProjectDirectoryOf(file.Path));

        // A value the file already reports (Pulumi reads it differently, or cannot load it) is not reported again by the mapper.
        var failed = file.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Path).ToList();
        ImmutableArray<Diagnostic> all = [.. file.Diagnostics, .. plan.Diagnostics.Where(d => d.Severity != Severity.Error || !failed.Any(f => Under(d.Path, f)))];
        return plan with { Diagnostics = Acknowledgements.Apply(all, acknowledgements) };
    }

    /// <summary>
    /// The project a stack file belongs to: the folder beside it when it holds <c>Pulumi.yaml</c> (as Pulumi finds it),
    /// else null, and the build's files are checked when the program runs.
    /// </summary>
    public static string? ProjectDirectoryOf(string stackFilePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(stackFilePath));
        return directory is not null && File.Exists(Path.Combine(directory, "Pulumi.yaml")) ? directory : null;
    }

    /// <summary>
    /// Plans from raw config values (key without namespace → text or JSON text): maps them once, then checks the
    /// component's sections once (<see cref="ComponentPlanner.Plan"/>, as the component does for its args).
    /// </summary>
    /// <param name="values">The project's config values.</param>
    /// <param name="stack">The stack name.</param>
    /// <param name="reportUnknownKeys">Whether unknown keys are errors.</param>
    /// <param name="projectDirectory">The folder holding <c>Pulumi.yaml</c>, where <c>service.build</c>'s files are checked; null when unknown.</param>
    public static StackPlan Plan(IReadOnlyDictionary<string, string> values, string stack, bool reportUnknownKeys = true, string? projectDirectory = null)
    {
        var (plan, acknowledgements) = PlanUnacknowledged(values, stack, reportUnknownKeys, projectDirectory);
        return plan with { Diagnostics = Acknowledgements.Apply(plan.Diagnostics, acknowledgements) };
    }

    /// <summary>The plan before the stack's acknowledgements are applied, and those acknowledgements: applied once, over every finding.</summary>
    private static (StackPlan Plan, ImmutableArray<Acknowledgement> Acknowledgements) PlanUnacknowledged(IReadOnlyDictionary<string, string> values, string stack, bool reportUnknownKeys, string? projectDirectory)
    {
        var mapped = StackConfigMapper.Map(values, reportUnknownKeys, projectDirectory);
        var component = ComponentPlanner.Plan(mapped.Sections, stack, ComponentContext.Stack);
        return (new StackPlan
        {
            Stack = stack,
            Config = mapped.Config,
            Component = component,
            Scaling = component.Spec,
            FlapFindings = component.FlapFindings,
            Diagnostics = component.Diagnostics,
        }, mapped.Acknowledgements);
    }
}
