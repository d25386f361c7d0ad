using System.Text.Json;
using StepScaling.Validation;

namespace StepScaling.Import;

/// <summary>Reads the files given to <c>stepscale import</c>, recognising each by its content.</summary>
public static class ImportReader
{
    /// <summary>The accepted inputs, as said in messages.</summary>
    public const string AcceptedShapes =
        "`terraform show -json` of a plan or state (format_version with planned_values or values), or AWS CLI output of " +
        "`aws application-autoscaling describe-scaling-policies` (ScalingPolicies), `describe-scalable-targets` (ScalableTargets) " +
        "and `aws cloudwatch describe-alarms` (MetricAlarms)";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 128, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads the files: one Terraform JSON, or AWS CLI outputs (policies and alarms, optionally targets).</summary>
    /// <param name="files">Each file's name (for messages) and text.</param>
    public static ImportInput Read(IReadOnlyList<(string Source, string Text)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var errors = new List<Diagnostic>();
        var terraform = new List<(JsonElement, string)>();
        var aws = new List<(JsonElement, string)>();
        foreach (var (source, text) in files)
        {
            switch (Classify(source, text, errors))
            {
                case (Kind.Terraform, var root):
                    terraform.Add((root, source));
                    break;
                case (Kind.AwsCli, var root):
                    aws.Add((root, source));
                    break;
            }
        }

        if (terraform.Count > 1 || (terraform.Count == 1 && aws.Count > 0))
        {
            errors.Add(Diagnostic.Error(string.Join(", ", terraform.Concat(aws).Select(t => t.Item2)),
                "give one `terraform show -json` file, or the AWS CLI outputs, not both or several Terraform files: they describe one setup, read from one place"));
        }

        if (errors.Count > 0)
        {
            return new ImportInput { Kind = "input", Findings = [.. errors], IsReadable = false };
        }

        return terraform.Count == 1 ? TerraformReader.Read(terraform[0].Item1, terraform[0].Item2) : ReadAwsCli(aws);
    }

    private enum Kind
    {
        None,
        Terraform,
        AwsCli,
    }

    /// <summary>Parses one file and says what it is; a file that is not JSON, not readable one way, or of another shape is an error.</summary>
    private static (Kind, JsonElement) Classify(string source, string text, List<Diagnostic> errors)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(text, Options);
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            errors.Add(Diagnostic.Error(source, $"not JSON (line {e.LineNumber + 1}: {e.Message.Split(". ")[0]}); expected {AcceptedShapes}"));
            return (Kind.None, default);
        }

        if (JsonValues.Unreadable(root) is { } unreadable)
        {
            errors.Add(Diagnostic.Error(source, unreadable));
            return (Kind.None, default);
        }

        if (TerraformReader.Accepts(root) || AwsCliReader.Accepts(root))
        {
            return (TerraformReader.Accepts(root) ? Kind.Terraform : Kind.AwsCli, root);
        }

        errors.Add(Diagnostic.Error(source, $"is JSON but not an input import reads: got {JsonValues.Describe(root)}; expected {AcceptedShapes}"));
        return (Kind.None, default);
    }

    /// <summary>The AWS CLI outputs, with an error for each one that import needs and the files lack.</summary>
    private static ImportInput ReadAwsCli(List<(JsonElement, string)> aws)
    {
        var input = AwsCliReader.Read(aws);
        var missing = new List<Diagnostic>();
        if (!aws.Any(a => a.Item1.TryGetProperty("ScalingPolicies", out _)))
        {
            missing.Add(Diagnostic.Error(string.Join(", ", aws.Select(a => a.Item2)), "no `aws application-autoscaling describe-scaling-policies --service-namespace ecs` output (ScalingPolicies) among the files: the policies are needed"));
        }

        if (!aws.Any(a => a.Item1.TryGetProperty("MetricAlarms", out _)))
        {
            missing.Add(Diagnostic.Error(string.Join(", ", aws.Select(a => a.Item2)), "no `aws cloudwatch describe-alarms` output (MetricAlarms) among the files: the alarms that trigger the policies are needed"));
        }

        return missing.Count == 0 ? input : input with { Findings = [.. input.Findings, .. missing], IsReadable = false };
    }
}
