using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>How serious a finding is.</summary>
public enum Severity
{
    /// <summary>Deployable, but probably not what was meant.</summary>
    Warning,

    /// <summary>Not deployable: AWS would reject it, or it would never scale as written.</summary>
    Error,

    /// <summary>Information: the input was read in a way the user should know about (gaps in a trace read as missing samples).</summary>
    Note,
}

/// <summary>One finding about the input, located by its config path.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Path">Where the value lives, e.g. <c>scaling.policies[1].scaleOut.bands[2]</c>.</param>
/// <param name="Message">The rule and the value given.</param>
/// <remarks>Path and message are escaped with <see cref="DiagnosticText.Escape"/> however the record is made, so an echoed key or value cannot break or forge an output line.</remarks>
public sealed record Diagnostic(Severity Severity, string Path, string Message)
{
    private readonly string _path = DiagnosticText.Escape(Path);
    private readonly string _message = DiagnosticText.Escape(Message);

    /// <summary>Where the value lives, escaped.</summary>
    public string Path { get => _path; init => _path = DiagnosticText.Escape(value); }

    /// <summary>The rule and the value given, escaped.</summary>
    public string Message { get => _message; init => _message = DiagnosticText.Escape(value); }

    /// <summary>Creates an error.</summary>
    public static Diagnostic Error(string path, string message) => new(Severity.Error, path, message);

    /// <summary>Creates a warning.</summary>
    public static Diagnostic Warning(string path, string message) => new(Severity.Warning, path, message);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Severity switch { Severity.Error => "error", Severity.Note => "note", _ => "warning" }}: {Path}: {Message}";
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
