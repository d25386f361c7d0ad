using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>How serious a finding is.</summary>
public enum Severity
{
    /// <summary>Deployable, but probably not what was meant.</summary>
    Warning,

    /// <summary>Not deployable: AWS would reject it, or it would never scale as written.</summary>
    Error,

    /// <summary>Information: something was kept, read or left out on purpose (gaps in a trace read as missing samples, an SNS action, a default AWS applies).</summary>
    Note,
}

/// <summary>What a finding is about when that is not a value at <see cref="Diagnostic.Path"/>: front ends name these in their own terms (a CLI option, a parameter).</summary>
public enum Subject
{
    /// <summary>A value in the input, located by <see cref="Diagnostic.Path"/>.</summary>
    Value,

    /// <summary>The whole file at <see cref="Diagnostic.Path"/>: it is not the kind of input expected (not JSON, another shape, a needed part missing).</summary>
    InputShape,

    /// <summary>The service the caller chose to import (it names none, or several, of the input's services).</summary>
    ServiceChoice,

    /// <summary>The fixed task count the caller gave.</summary>
    TaskCount,
}

/// <summary>A way to give something that a finding's message names in neutral words (<see cref="Diagnostic.Words"/>); front ends may name it in their own terms (a CLI option).</summary>
public enum Mention
{
    /// <summary>The message names no such thing.</summary>
    None,

    /// <summary>The message names the fixed task count the caller gave, as <c>the fixed task count given</c>.</summary>
    TaskCountGiven,

    /// <summary>The message advises giving a fixed task count, as <c>give a fixed task count</c>.</summary>
    TaskCountNeeded,
}

/// <summary>One finding about the input, located by its config path; the one finding type of the tool (checks, import, traces).</summary>
/// <param name="Severity">Error, warning or note.</param>
/// <param name="Path">Where the value lives, e.g. <c>scaling.policies[1].scaleOut.bands[2]</c>.</param>
/// <param name="Message">The rule and the value given.</param>
/// <remarks>Path and message are escaped with <see cref="DiagnosticText.Escape"/> however the record is made, so an echoed key or value cannot break or forge an output line.</remarks>
public sealed record Diagnostic(Severity Severity, string Path, string Message)
{
    private readonly string _path = DiagnosticText.Escape(Path);
    private readonly string _message = DiagnosticText.Escape(Message);
    private readonly string? _acknowledgedBecause;

    /// <summary>Where the value lives, escaped.</summary>
    public string Path { get => _path; init => _path = DiagnosticText.Escape(value); }

    /// <summary>The rule and the value given, escaped.</summary>
    public string Message { get => _message; init => _message = DiagnosticText.Escape(value); }

    /// <summary>What the finding is about when that is not the value at <see cref="Path"/>.</summary>
    /// <value>The default value is <see cref="Subject.Value"/>.</value>
    public Subject Subject { get; init; }

    /// <summary>What the message names in neutral words (<see cref="Words"/>) that a front end may word its own way.</summary>
    /// <value>The default value is <see cref="Mention.None"/>.</value>
    public Mention Mention { get; init; }

    /// <summary>The id of the rule that raised it, from a rule catalogue (<see cref="RuleCatalogue"/>); null for findings no stack can acknowledge.</summary>
    public string? Rule { get; init; }

    /// <summary>Why the stack accepts this warning (its <c>acknowledge</c> entry), escaped; null when it is not acknowledged.</summary>
    public string? AcknowledgedBecause { get => _acknowledgedBecause; init => _acknowledgedBecause = value is null ? null : DiagnosticText.Escape(value); }

    /// <summary>True for a warning the stack acknowledged: reported as acknowledged, not as a warning.</summary>
    public bool IsAcknowledged => AcknowledgedBecause is not null;

    /// <summary>True for a warning the stack has not acknowledged.</summary>
    public bool IsOpenWarning => Severity == Severity.Warning && !IsAcknowledged;

    /// <summary>The neutral words a message uses for a mention; empty for <see cref="Mention.None"/>.</summary>
    public static string Words(Mention mention) => mention switch
    {
        Mention.TaskCountGiven => "the fixed task count given",
        Mention.TaskCountNeeded => "give a fixed task count",
        _ => string.Empty,
    };

    /// <summary>Creates an error.</summary>
    public static Diagnostic Error(string path, string message) => new(Severity.Error, path, message);

    /// <summary>Creates a warning.</summary>
    public static Diagnostic Warning(string path, string message) => new(Severity.Warning, path, message);

    /// <summary>Creates a warning raised by a catalogued rule, which a stack may acknowledge.</summary>
    public static Diagnostic Warning(Rule rule, string path, string message) => new(Severity.Warning, path, message) { Rule = rule.Id };

    /// <summary>Creates a note.</summary>
    public static Diagnostic Note(string path, string message) => new(Severity.Note, path, message);

    /// <summary>The severity as written before a finding: <c>error</c>, <c>warning</c> or <c>note</c>.</summary>
    public static string Label(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    /// <summary>The label written before the finding: its severity, or <c>acknowledged</c> for an acknowledged warning.</summary>
    public string Label() => IsAcknowledged ? "acknowledged" : Label(Severity);

    /// <summary>For an acknowledged warning, its rule and the stack's reason (<c> (lb.https: TLS ends at CloudFront)</c>); else empty.</summary>
    public string AcknowledgementSuffix => IsAcknowledged ? $" ({Rule}: {AcknowledgedBecause})" : string.Empty;

    /// <inheritdoc />
    public override string ToString() => $"{Label()}: {Path}: {Message}{AcknowledgementSuffix}";
}

/// <summary>Collects every finding so that all of them are reported at once.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    /// <summary>All findings so far, in the order they were found.</summary>
    public IReadOnlyList<Diagnostic> Items => _items;

    /// <summary>True when at least one error was found.</summary>
    public bool HasErrors => _items.Exists(d => d.Severity == Severity.Error);

    /// <summary>Number of errors so far.</summary>
    public int ErrorCount => _items.Count(d => d.Severity == Severity.Error);

    /// <summary>Adds an error.</summary>
    public void Error(string path, string message) => _items.Add(Diagnostic.Error(path, message));

    /// <summary>Adds a warning.</summary>
    public void Warning(string path, string message) => _items.Add(Diagnostic.Warning(path, message));

    /// <summary>Adds a note.</summary>
    public void Note(string path, string message) => _items.Add(new Diagnostic(Severity.Note, path, message));

    /// <summary>Adds a warning raised by a catalogued rule.</summary>
    public void Warning(Rule rule, string path, string message) => _items.Add(Diagnostic.Warning(rule, path, message));

    /// <summary>Adds a finding.</summary>
    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    /// <summary>Adds findings made elsewhere.</summary>
    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>The findings as an immutable array.</summary>
    public ImmutableArray<Diagnostic> ToImmutable() => [.. _items];
}

/// <summary>Thrown when a value fails validation; carries every finding, not just the first.</summary>
public sealed class StepScalingValidationException : Exception
{
    /// <summary>Creates the exception from the findings; the message lists every error.</summary>
    public StepScalingValidationException(IEnumerable<Diagnostic> diagnostics)
        : this([.. diagnostics])
    {
    }

    private StepScalingValidationException(ImmutableArray<Diagnostic> diagnostics)
        : base(Format(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Creates an exception with a single message (prefer the diagnostics constructor).</summary>
    public StepScalingValidationException()
        : this(ImmutableArray<Diagnostic>.Empty)
    {
    }

    /// <summary>Creates an exception with a single message (prefer the diagnostics constructor).</summary>
    public StepScalingValidationException(string message)
        : base(message)
    {
        Diagnostics = [];
    }

    /// <summary>Creates an exception with a single message (prefer the diagnostics constructor).</summary>
    public StepScalingValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [];
    }

    /// <summary>Every finding, errors and warnings.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    private static string Format(ImmutableArray<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        var lines = new List<string>
        {
            errors.Count == 1 ? "1 error in the step-scaling configuration:" : $"{errors.Count} errors in the step-scaling configuration:",
        };
        lines.AddRange(errors.Select(e => "  " + e));
        return string.Join(Environment.NewLine, lines);
    }
}
