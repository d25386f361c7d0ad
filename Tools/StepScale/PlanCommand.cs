using System.CommandLine;
using StepScaling.Planning;

namespace StepScale.Cli;

/// <summary><c>stepscale plan</c>: the alarms and step policies a stack will create, as text, Markdown or JSON.</summary>
internal static class PlanCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("stack-file") { Description = "A Pulumi.<stack>.yaml file." };
        Cli.RejectUnknownOptions(file);
        var format = Cli.FormatOption();
        var plan = new Command("plan", "Show the alarms and step policies the stack will create.") { file, format };
        plan.SetAction(r => Run(r.GetValue(file)!, r.GetValue(format)!, stdout, stderr));
        return plan;
    }

    private static int Run(string path, string format, TextWriter stdout, TextWriter stderr)
    {
        if (StackInput.Open(path, stderr) is not { } stack)
        {
            return Cli.Usage;
        }

        var findings = stack.Findings(WarningScope.Stack);
        var plan = stack.Plan with { Diagnostics = findings };
        stdout.Write(format switch
        {
            "json" => PlanRenderer.Json(plan) + Environment.NewLine,
            "markdown" => PlanRenderer.Markdown(plan),
            _ => PlanRenderer.Text(plan),
        });

        // A text plan carries its findings itself; the other formats are for machines and pull requests, so CI logs get them on stderr.
        if (format != "text")
        {
            StackInput.Report(findings, stderr, acknowledged: true);
        }

        return plan.IsValid ? Cli.Ok : Cli.Invalid;
    }
}
