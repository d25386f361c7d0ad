using System.Text;
using System.Text.Json;
using StepScaling.Testing;

namespace StepScale.Tests;

/// <summary>What one run of the CLI printed and returned.</summary>
internal sealed record CliResult(int Exit, string Stdout, string Stderr)
{
    public IReadOnlyList<string> StderrLines => Lines(Stderr);

    public IReadOnlyList<string> StdoutLines => Lines(Stdout);

    public IReadOnlyList<string> Errors => [.. StderrLines.Where(l => l.StartsWith("error: ", StringComparison.Ordinal))];

    public IReadOnlyList<string> Warnings => [.. StderrLines.Where(l => l.StartsWith("warning: ", StringComparison.Ordinal))];

    /// <summary>The warning of a stack without a certificate (its load balancer serves plain HTTP), as check prints it.</summary>
    public const string HttpOnly = "warning: loadBalancer.certificateArn: is not set: the load balancer serves plain HTTP on port 80 and traffic is unencrypted; set an ACM certificate ARN to serve HTTPS (production stacks should)";

    /// <summary>The warnings other than <see cref="HttpOnly"/> (with or without a file prefix), for tests about something else.</summary>
    public IReadOnlyList<string> OtherWarnings => [.. Warnings.Where(l => !l.Contains("loadBalancer.certificateArn: is not set:", StringComparison.Ordinal))];

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {Exit}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    private static string[] Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>The repository's own files: the stacks under test live at its root, beside Pulumi.yaml.</summary>
internal static class Repo
{
    public static string DevStack => RepositoryFiles.Stack("dev");

    public static string ProdStack => RepositoryFiles.Stack("prod");

    public static string DevText => File.ReadAllText(DevStack);
}

/// <summary>
/// Runs <c>stepscale</c> in-process with captured writers, in a fresh temporary folder per test that is removed
/// afterwards. Stack files written there have no Pulumi.yaml beside them, so their namespace is the default project's.
/// </summary>
public abstract class CliTest
{
    /// <summary>The flap finding of the dev stack (the blog post's setup), as the analysis words it.</summary>
    protected const string DevLoop = "scaling loop: at 1 task and 11 % MemoryUtilization, memory-out adds 1 → 2 tasks at 5.5 %, which is ≤ 10 % → memory-in removes 1 → back to 1 task at 11 %: loops about every 2 minutes. Fix: lower memory-in's threshold from 10 % to 5 % or less";

    /// <summary>What check and plan say about the dev stack's <c>service.build</c>.</summary>
    protected const string DevImage = "built from app/Dockerfile for linux/amd64; pushed to a new ECR repository with scan on push (ECR.1), immutable tags (ECR.2), a lifecycle policy keeping the last 10 images (ECR.3), AES256 encryption, deleted with its images on destroy; the service runs it by digest";

    private DirectoryInfo? _dir;

    /// <summary>This test's temporary folder.</summary>
    protected string Dir => _dir?.FullName ?? throw new InvalidOperationException("No test is running.");

    [SetUp]
    public void CreateTempDir() => _dir = Directory.CreateTempSubdirectory("stepscale-cli-tests-");

    [TearDown]
    public void DeleteTempDir()
    {
        _dir?.Delete(recursive: true);
        _dir = null;
    }

    internal static CliResult Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = global::StepScale.Cli.Cli.Run(args, stdout, stderr);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the CLI on another thread and fails the test, rather than hanging it, if it takes too long.</summary>
    internal static CliResult RunWithin(TimeSpan limit, params string[] args)
    {
        var run = Task.Run(() => Run(args));
        Assert.That(run.Wait(limit), Is.True, $"stepscale {string.Join(' ', args)} took longer than {limit}");
        return run.Result;
    }

    /// <summary>The promise for bad input: the given exit code, a clear message, and nothing that looks like a crash.</summary>
    internal static void AssertCleanFailure(CliResult result, int exit)
    {
        Assert.That(result.Exit, Is.EqualTo(exit), result.ToString());
        AssertNoStackTrace(result);
        Assert.That(result.Errors, Is.Not.Empty, result.ToString());
    }

    internal static void AssertNoStackTrace(CliResult result)
    {
        foreach (var text in new[] { result.Stdout, result.Stderr })
        {
            Assert.That(text, Does.Not.Contain("   at "), result.ToString());
            Assert.That(text, Does.Not.Contain("Exception"), result.ToString());
            Assert.That(text, Does.Not.Contain("stepscale failed"), result.ToString());
        }
    }

    /// <summary>Writes a file into this test's folder and returns its path.</summary>
    protected string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    protected string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A copy of the dev stack with one more project key, e.g. <c>flapCheck: error</c>.</summary>
    protected string DevWith(string projectKeyLine, string name = "Pulumi.dev.yaml") =>
        Write(name, Repo.DevText.Replace("config:\n", $"config:\n  step-scaled-ecs:{projectKeyLine}\n", StringComparison.Ordinal));

    /// <summary>A stack file with the project's keys given as YAML under <c>config:</c>.</summary>
    /// <param name="name">The file name; the stack name comes from it.</param>
    /// <param name="projectKeys">Lines such as <c>scaling:</c> and their children, indented as if at column 0.</param>
    protected string Stack(string name, string projectKeys)
    {
        var lines = projectKeys.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        var body = string.Join('\n', lines.Select(l => l.Length == 0 ? l : (char.IsWhiteSpace(l[0]) ? "  " + l : "  step-scaled-ecs:" + l)));
        return Write(name, "config:\n  aws:region: us-east-1\n" + body + "\n");
    }

    /// <summary>A CSV trace: one row per (seconds, demand), one sample a minute from 0.</summary>
    protected string Trace(string name, params double[] demand) =>
        Write(name, "timestamp,demand\n" + string.Concat(demand.Select((d, i) => FormattableString.Invariant($"{i * 60},{d}\n"))));
}
