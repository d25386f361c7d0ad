using System.CommandLine;
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
        root.Subcommands.Add(CheckCommand.Build(stdout, stderr));
        root.Subcommands.Add(PlanCommand.Build(stdout, stderr));
        root.Subcommands.Add(SimulateCommand.Build(stdout, stderr));
        root.Subcommands.Add(TracesCommand.Build(stdout, stderr));
        root.Subcommands.Add(ImportCommand.Build(stdout, stderr));
        root.Subcommands.Add(TraceCommand.Build(stdout, stderr));
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

    /// <summary>"1 policy", "2 policies", "3 warnings": a count with its noun.</summary>
    internal static string Count(int n, string noun) => StepScaling.Model.Num.Count(n, noun);
}
