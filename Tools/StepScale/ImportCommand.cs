using System.CommandLine;
using System.Text;
using StepScaling.Config;
using StepScaling.Import;
using StepScaling.Planning;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary><c>stepscale import</c>: the scaling a service runs today (Terraform or a live account) as a stack file, then checked.</summary>
internal static class ImportCommand
{
    /// <summary>The stack file name the check uses when the YAML goes to stdout.</summary>
    private const string StdoutStackFile = "Pulumi.imported.yaml";

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("file")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "`terraform show -json` of a plan or state, or the AWS CLI JSON of describe-scaling-policies, describe-alarms (and describe-scalable-targets).",
        };
        Cli.RejectUnknownOptions(files);
        var service = new Option<string?>("--service", "-s") { Description = "The ECS service to import (name or service/<cluster>/<name>) when the input scales several." };
        var output = new Option<string?>("--out", "-o") { Description = "Write the stack file here (e.g. Pulumi.prod.yaml) instead of stdout." };
        var force = new Option<bool>("--force") { Description = "Overwrite the --out file if it exists." };
        var command = new Command("import", "Import the step scaling an ECS service runs today, from Terraform or a live account, as a stack file; then check it.")
        {
            files, service, output, force,
        };
        command.SetAction(r => Run(r.GetValue(files) ?? [], r.GetValue(service), r.GetValue(output), r.GetValue(force), stdout, stderr));
        return command;
    }

    private static int Run(string[] paths, string? service, string? outPath, bool force, TextWriter stdout, TextWriter stderr)
    {
        if (outPath is not null && (Directory.Exists(outPath) || (File.Exists(outPath) && !force)))
        {
            stderr.WriteLine(Directory.Exists(outPath)
                ? $"error: --out: {DiagnosticText.Escape(outPath)} is a directory; give a stack file path such as Pulumi.prod.yaml"
                : $"error: --out: {DiagnosticText.Escape(outPath)} exists; refusing to overwrite it (pass --force to replace it)");
            return Cli.Usage;
        }

        if (ReadFiles(paths, stderr) is not { } texts)
        {
            return Cli.Usage;
        }

        var input = ImportReader.Read(texts);
        if (!input.IsReadable)
        {
            // The files are not what import reads: a usage problem, as an unreadable file is for check.
            Report(input.Findings, stderr);
            return Cli.Usage;
        }

        var result = ScalingImporter.Import(input, service);
        Report(result.Findings, stderr);
        if (result.NeedsServiceSelection)
        {
            ListServices(result, stderr);
            return Cli.Usage;
        }

        if (result.Scaling is null)
        {
            return result.Findings.Any(CliFindings.IsUsageError) ? Cli.Usage : Cli.Invalid;
        }

        var stackPath = outPath ?? StdoutStackFile;
        var project = StackFile.ProjectFor(stackPath);
        var yaml = StackYamlWriter.Write(result, project, string.Join(", ", texts.Select(t => t.Item1)));
        var file = StackFile.Parse(yaml, stackPath, project);
        if (!file.Diagnostics.IsEmpty)
        {
            // Never leave a file the check would then call malformed: the writer's output must read back first.
            StackInput.Report(file.Diagnostics, stderr);
            stderr.WriteLine("error: the stack file import wrote does not read back as written; nothing was written (please report this)");
            return Cli.Invalid;
        }

        return WriteOut(yaml, outPath, stdout, stderr) ?? Check(file, stderr);
    }

    private static void ListServices(ImportResult result, TextWriter stderr)
    {
        stderr.WriteLine($"error: the input scales {result.Services.Length} ECS services; choose one with --service:");
        foreach (var s in result.Services)
        {
            stderr.WriteLine($"  {DiagnosticText.Escape(s.Name),-24} {DiagnosticText.Escape(s.ResourceId)} ({Cli.Count(s.Policies, "scaling policy")})");
        }
    }

    /// <summary>Each file's name and text, or null after an error.</summary>
    private static List<(string, string)>? ReadFiles(string[] paths, TextWriter stderr)
    {
        var texts = new List<(string, string)>();
        foreach (var path in paths)
        {
            try
            {
                texts.Add((Path.GetFileName(path), File.ReadAllText(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: cannot read the file: {DiagnosticText.Escape(e.Message)}");
                return null;
            }
        }

        return texts;
    }

    /// <summary>The YAML to stdout or to the --out file; null when done, else the exit code of a failed write.</summary>
    private static int? WriteOut(string yaml, string? outPath, TextWriter stdout, TextWriter stderr)
    {
        if (outPath is null)
        {
            stdout.Write(yaml);
            return null;
        }

        try
        {
            File.WriteAllText(outPath, yaml, new UTF8Encoding(false));
            stderr.WriteLine($"wrote {DiagnosticText.Escape(outPath)}");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(outPath)}: cannot write: {DiagnosticText.Escape(e.Message)}");
            return Cli.Usage;
        }
    }

    /// <summary>The check speaks about the imported setup, as `stepscale check` would about the written file.</summary>
    private static int Check(StackFile file, TextWriter stderr)
    {
        var stack = new LoadedStack(file, StackPlanner.Plan(file));
        var findings = stack.Findings(WarningScope.Stack);
        StackInput.Report(findings, stderr);
        stderr.WriteLine($"check: {StackInput.Summary(stack.Plan, findings)}");
        return findings.Any(d => d.Severity == Severity.Error) ? Cli.Invalid : Cli.Ok;
    }

    private static void Report(IEnumerable<Diagnostic> findings, TextWriter stderr)
    {
        foreach (var f in findings)
        {
            stderr.WriteLine(CliFindings.Line(f));
        }
    }
}
