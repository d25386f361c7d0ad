using System.Collections.Immutable;
using StepScaling.Model;
using StepScaling.Config;
using StepScaling.Planning;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary>Which of a stack's warnings a command reports on stderr.</summary>
internal enum WarningScope
{
    /// <summary>Every warning: the command is about the stack (check, plan, import's check).</summary>
    Stack,

    /// <summary>Only the warnings that bear on a replay's result (the scaling sections); errors always.</summary>
    Result,
}

/// <summary>A stack file read and planned once, for every command that takes one.</summary>
/// <param name="File">The file as read.</param>
/// <param name="Plan">Its plan; the stack name escaped when <see cref="StackInput.Open"/> was asked to.</param>
internal sealed record LoadedStack(StackFile File, StackPlan Plan)
{
    /// <summary>True when the file could not be read as YAML at all: its config is not the stack's, so only the file's own findings mean anything.</summary>
    public bool Unreadable => File.Values.IsEmpty && File.Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>True when the file itself has errors (malformed YAML, keys Pulumi would not read): the config is not the stack's.</summary>
    public bool FileHasErrors => File.Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>The findings a command reports, as its <paramref name="scope"/> says; <paramref name="all"/> (<c>--all-warnings</c>) keeps every warning.</summary>
    public ImmutableArray<Diagnostic> Findings(WarningScope scope, bool all = false) =>
        Unreadable ? File.Diagnostics
        : scope == WarningScope.Stack || all ? Plan.Diagnostics
        : [.. Plan.Diagnostics.Where(d => d.Severity == Severity.Error || StackInput.BearsOnResult(d.Path))];

    /// <summary>
    /// Whether an error is one of the plan's flap findings (its own diagnostic, by value, not by its wording):
    /// <c>tune</c> treats a baseline's loops as what it fixes, not as a reason to stop.
    /// </summary>
    public bool IsFlapFinding(Diagnostic d) =>
        Plan.FlapFindings.Any(f => f.ToDiagnostic(FlapCheckMode.Error).Equals(d) || f.ToDiagnostic(FlapCheckMode.Warn).Equals(d));
}

/// <summary>Loading and checking a stack file: the one way every command reads, plans and reports a stack.</summary>
internal static class StackInput
{
    /// <summary>The config sections a replay reads: their warnings bear on what <c>simulate</c> and <c>tune</c> report.</summary>
    public static readonly ImmutableArray<string> ResultSections = ["scaling", "flapCheck"];

    /// <summary>Whether a finding's path lies in a section a replay reads (<c>scaling</c>, <c>scaling.policies[0]…</c>, <c>flapCheck</c>).</summary>
    public static bool BearsOnResult(string path) => ResultSections.Any(s =>
        path.StartsWith(s, StringComparison.Ordinal) && (path.Length == s.Length || path[s.Length] is '.' or '['));

    /// <summary>Loads and plans a stack file, or reports why not (then null: exit code 2).</summary>
    /// <param name="path">The file.</param>
    /// <param name="stderr">Where the reason goes.</param>
    /// <param name="escapeName">Whether the plan's stack name (the file's name, from input) is escaped for output here.</param>
    public static LoadedStack? Open(string path, TextWriter stderr, bool escapeName = true) =>
        Load(path, stderr) is { } file ? new LoadedStack(file, escapeName ? PlanOf(file) : StackPlanner.Plan(file)) : null;

    /// <summary>Plans a stack file with its stack name (the file's name, from input) escaped for every output.</summary>
    public static StackPlan PlanOf(StackFile file)
    {
        var plan = StackPlanner.Plan(file);
        return plan with { Stack = DiagnosticText.Escape(plan.Stack) };
    }

    /// <summary>Loads a stack file, or reports why not (exit code 2).</summary>
    public static StackFile? Load(string path, TextWriter stderr)
    {
        if (Directory.Exists(path))
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: is a directory, not a stack file");
            return null;
        }

        try
        {
            return StackFile.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: cannot read the file: {DiagnosticText.Escape(e.Message)}");
            return null;
        }
    }

    /// <summary>
    /// Writes each finding on its own line, <c>severity: [prefix]path: message</c>. A warning the stack acknowledges is
    /// accepted, so it is left out unless <paramref name="acknowledged"/> (<c>plan</c>, which shows it with its reason).
    /// </summary>
    public static void Report(IEnumerable<Diagnostic> findings, TextWriter stderr, string prefix = "", bool acknowledged = false)
    {
        foreach (var d in findings.Where(d => acknowledged || !d.IsAcknowledged))
        {
            stderr.WriteLine(prefix.Length == 0 ? d.ToString() : $"{d.Label()}: {prefix}{d.Path}: {d.Message}{d.AcknowledgementSuffix}");
        }
    }

    /// <summary>
    /// The one-line verdict on reported findings: <c>ok (4 policies, 1 warning, 0 flap findings)</c>, or
    /// <c>2 errors, 1 warning</c>; acknowledged warnings are counted apart (<c>1 warning, 1 acknowledged</c>).
    /// Policies are Application Auto Scaling policies: a config policy with both sides makes two.
    /// </summary>
    public static string Summary(StackPlan plan, IReadOnlyCollection<Diagnostic> reported)
    {
        var errors = reported.Count(d => d.Severity == Severity.Error);
        var warnings = reported.Count(d => d.IsOpenWarning);
        var acknowledged = reported.Count(d => d.IsAcknowledged) is > 0 and var n ? $", {n} acknowledged" : string.Empty;
        return errors == 0
            ? $"ok ({Cli.Count(plan.Scaling?.Policies.Length ?? 0, "policy")}, {Cli.Count(warnings, "warning")}{acknowledged}, {Cli.Count(plan.FlapFindings.Length, "flap finding")})"
            : $"{Cli.Count(errors, "error")}, {Cli.Count(warnings, "warning")}{acknowledged}";
    }

    /// <summary>The <c>--all-warnings</c> option of the commands that replay a stack.</summary>
    public static System.CommandLine.Option<bool> AllWarningsOption() => new("--all-warnings")
    {
        Description = "Show every warning of the stack; by default only those on its scaling (the sections a replay reads) — `stepscale check` lists them all.",
    };
}
