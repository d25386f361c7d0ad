using System.CommandLine;
using StepScaling.Config;
using StepScaling.Planning;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary>The <c>stepscale</c> command line: check, plan and simulate stack files offline.</summary>
public static class Cli
{
    /// <summary>Exit code: valid (warnings allowed).</summary>
    public const int Ok = 0;

    /// <summary>Exit code: the input has errors.</summary>
    public const int Invalid = 1;

    /// <summary>Exit code: a usage error or an unreadable file.</summary>
    public const int Usage = 2;

    /// <summary>Runs the CLI with the given writers; never throws, never prints a stack trace.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        stdout = SafeWriter.Guard(stdout);
        stderr = SafeWriter.Guard(stderr);
        try
        {
            var root = Build(stdout, stderr);
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors)
                {
                    // The parser lists choices on continuation lines; each is escaped and indented, so none can pass for an error or warning line.
                    // A token echoed in the message is escaped whole first, so its own line breaks cannot start a line.
                    var message = args.Where(a => !DiagnosticText.IsSafe(a)).Aggregate(error.Message, (m, a) => m.Replace(a, DiagnosticText.Escape(a), StringComparison.Ordinal));
                    var lines = message.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
                    stderr.WriteLine($"error: {DiagnosticText.Escape(lines[0])}");
                    foreach (var line in lines.Skip(1))
                    {
                        stderr.WriteLine("\t" + DiagnosticText.Escape(line.TrimStart('\t')));
                    }
                }

                stderr.WriteLine("Run 'stepscale --help' for usage.");
                return Usage;
            }

            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
#pragma warning disable CA1031 // The CLI's promise is one clear line, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"error: stepscale failed: {DiagnosticText.Escape(e.Message)}");
            return Usage;
        }
    }

    private static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Check, plan and simulate step-scaled ECS services from their Pulumi stack files, before anything is deployed.");

        var checkFiles = new Argument<string[]>("stack-file") { Arity = ArgumentArity.OneOrMore, Description = "One or more Pulumi.<stack>.yaml files." };
        RejectUnknownOptions(checkFiles);
        var check = new Command("check", "Validate stack files: every AWS rule, every config key, and scaling loops.") { checkFiles };
        check.SetAction(r => Check(r.GetValue(checkFiles) ?? [], stdout, stderr));
        root.Subcommands.Add(check);

        var planFile = new Argument<string>("stack-file") { Description = "A Pulumi.<stack>.yaml file." };
        RejectUnknownOptions(planFile);
        var planFormat = FormatOption();
        var plan = new Command("plan", "Show the alarms and step policies the stack will create.") { planFile, planFormat };
        plan.SetAction(r => Plan(r.GetValue(planFile)!, r.GetValue(planFormat)!, stdout, stderr));
        root.Subcommands.Add(plan);

        root.Subcommands.Add(SimulateCommand.Build(stdout, stderr));
        root.Subcommands.Add(SimulateCommand.BuildTraces(stdout, stderr));
        root.Subcommands.Add(ImportCommand.Build(stdout, stderr));
        root.Subcommands.Add(TraceInput.Build(stdout, stderr));
        root.Subcommands.Add(TuneCommand.Build(stdout, stderr));
        return root;
    }

    internal static Option<string> FormatOption()
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: text, markdown or json.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "markdown", "json");
        return format;
    }

    /// <summary>
    /// Reports an unknown option (<c>--bogus</c>) as one, where System.CommandLine would take it for the file
    /// argument and then complain about the real file or fail to read one named <c>--bogus</c>.
    /// </summary>
    internal static void RejectUnknownOptions(Argument argument)
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-' && !File.Exists(token.Value))
                {
                    result.AddError($"unknown option '{token.Value}'");
                }
            }
        });
    }

    /// <summary>Plans a stack file with its stack name (the file's name, from input) escaped for every output.</summary>
    internal static StackPlan PlanOf(StackFile file)
    {
        var plan = StackPlanner.Plan(file);
        return plan with { Stack = DiagnosticText.Escape(plan.Stack) };
    }

    /// <summary>Loads a stack file, or reports why not (exit code 2).</summary>
    internal static StackFile? Load(string path, TextWriter stderr)
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

    private static int Check(string[] files, TextWriter stdout, TextWriter stderr)
    {
        var exit = Ok;
        foreach (var path in files)
        {
            var file = Load(path, stderr);
            if (file is null)
            {
                exit = Usage;
                continue;
            }

            var plan = PlanOf(file);
            var prefix = files.Length > 1 ? $"{DiagnosticText.Escape(Path.GetFileName(path))}#" : string.Empty;
            // An acknowledged warning is not a warning of this stack any more: plan shows it, with its reason.
            foreach (var d in plan.Diagnostics.Where(d => !d.IsAcknowledged))
            {
                stderr.WriteLine($"{Diagnostic.Label(d.Severity)}: {prefix}{d.Path}: {d.Message}");
            }

            var errors = plan.Diagnostics.Count(d => d.Severity == Severity.Error);
            var warnings = plan.Diagnostics.Count(d => d.IsOpenWarning);
            var acknowledged = plan.Diagnostics.Count(d => d.IsAcknowledged) is > 0 and var n ? $", {n} acknowledged" : string.Empty;
            // Application Auto Scaling policies: a config policy with both sides makes two.
            var policies = plan.Scaling?.Policies.Length ?? 0;
            stdout.WriteLine(errors == 0
                ? $"{DiagnosticText.Escape(path)}: ok ({Count(policies, "policy")}, {Count(warnings, "warning")}{acknowledged}, {Count(plan.FlapFindings.Length, "flap finding")})"
                : $"{DiagnosticText.Escape(path)}: {Count(errors, "error")}, {Count(warnings, "warning")}{acknowledged}");
            if (errors == 0 && plan.Config?.Service.Build is { } build)
            {
                stdout.WriteLine($"  image: {PlanRenderer.ImageSummary(build)}");
            }

            if (errors > 0 && exit == Ok)
            {
                exit = Invalid;
            }
        }

        return exit;
    }

    private static int Plan(string path, string format, TextWriter stdout, TextWriter stderr)
    {
        var file = Load(path, stderr);
        if (file is null)
        {
            return Usage;
        }

        var plan = PlanOf(file);
        stdout.Write(format switch
        {
            "json" => PlanRenderer.Json(plan) + Environment.NewLine,
            "markdown" => PlanRenderer.Markdown(plan),
            _ => PlanRenderer.Text(plan),
        });
        if (format != "text")
        {
            foreach (var d in plan.Diagnostics)
            {
                stderr.WriteLine(d.ToString());
            }
        }

        return plan.IsValid ? Ok : Invalid;
    }

    internal static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : noun.EndsWith('y') ? $"{n} {noun[..^1]}ies" : $"{n} {noun}s";
}
