using StepScaling.Validation;

namespace StepScale;

/// <summary>How the CLI writes a finding: the core locates a finding by a typed <see cref="Subject"/>, the CLI names its own option.</summary>
internal static class CliFindings
{
    /// <summary>The option a subject is given with, or null when the finding's path locates it.</summary>
    public static string? OptionOf(Subject subject) => subject switch
    {
        Subject.ServiceChoice => "--service",
        Subject.TaskCount => "--tasks",
        _ => null,
    };

    /// <summary>The CLI's words for what a message mentions: the option that gives it.</summary>
    public static string Words(Mention mention) => mention switch
    {
        Mention.TaskCountGiven => "--tasks",
        Mention.TaskCountNeeded => "give a fixed --tasks n",
        _ => string.Empty,
    };

    /// <summary>One line: <c>severity: where: message</c>, with the option name where the finding is about one or its message mentions one.</summary>
    public static string Line(Diagnostic finding)
    {
        var message = finding.Mention == Mention.None
            ? finding.Message
            : finding.Message.Replace(Diagnostic.Words(finding.Mention), Words(finding.Mention), StringComparison.Ordinal);
        return OptionOf(finding.Subject) is { } option
            ? $"{Diagnostic.Label(finding.Severity)}: {option}: {message}"
            : $"{finding.Label()}: {finding.Path}: {message}{finding.AcknowledgementSuffix}";
    }

    /// <summary>True when an error is about how the tool was called (an option's value, a file of the wrong kind) rather than about the data.</summary>
    public static bool IsUsageError(Diagnostic finding) =>
        finding.Severity == Severity.Error && finding.Subject is Subject.ServiceChoice or Subject.InputShape;
}
