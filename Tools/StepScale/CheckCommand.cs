using System.CommandLine;
using StepScaling.Planning;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary><c>stepscale check</c>: every AWS rule, every config key and scaling loops, for one or more stack files.</summary>
internal static class CheckCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("stack-file") { Arity = ArgumentArity.OneOrMore, Description = "One or more Pulumi.<stack>.yaml files." };
        Cli.RejectUnknownOptions(files);
        var check = new Command("check", "Validate stack files: every AWS rule, every config key, and scaling loops.") { files };
        check.SetAction(r => Run(r.GetValue(files) ?? [], stdout, stderr));
        return check;
    }

    private static int Run(string[] files, TextWriter stdout, TextWriter stderr)
    {
        var exit = Cli.Ok;
        foreach (var path in files)
        {
            var file = Check(path, files.Length > 1, stdout, stderr);
            exit = file == Cli.Usage ? Cli.Usage : file == Cli.Invalid && exit == Cli.Ok ? Cli.Invalid : exit;
        }

        return exit;
    }

    /// <summary>One file: its findings on stderr (prefixed with its name when several are checked), its verdict on stdout.</summary>
    private static int Check(string path, bool several, TextWriter stdout, TextWriter stderr)
    {
        if (StackInput.Open(path, stderr) is not { } stack)
        {
            return Cli.Usage;
        }

        var findings = stack.Findings(WarningScope.Stack);
        StackInput.Report(findings, stderr, several ? $"{DiagnosticText.Escape(Path.GetFileName(path))}#" : string.Empty);
        stdout.WriteLine($"{DiagnosticText.Escape(path)}: {StackInput.Summary(stack.Plan, findings)}");
        var valid = !findings.Any(d => d.Severity == Severity.Error);
        if (valid && stack.Plan.Config?.Service.Build is { } build)
        {
            stdout.WriteLine($"  image: {PlanRenderer.ImageSummary(build)}");
        }

        return valid ? Cli.Ok : Cli.Invalid;
    }
}
