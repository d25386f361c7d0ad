using System.Collections.Immutable;
using System.Text.RegularExpressions;
using StepScaling.Config;

namespace StepScaling.Validation;

/// <summary>
/// Every rule of <c>service.build</c> (the application's own image and its ECR repository), each citing its source.
/// A check returns null when the value is valid, or the rule and the value given (the caller adds the path).
/// </summary>
public static partial class ImageBuildRules
{
    /// <summary>
    /// ECS RuntimePlatform cpuArchitecture: Fargate Linux tasks run on X86_64 or ARM64 (ECS API Reference,
    /// "RuntimePlatform"), whose Docker platforms are these two.
    /// </summary>
    public static readonly ImmutableArray<string> FargatePlatforms = ["linux/amd64", "linux/arm64"];

    /// <summary>
    /// The platforms the service can run: the task definition sets no runtimePlatform, so Fargate runs it on X86_64
    /// (ECS API Reference, "RuntimePlatform": cpuArchitecture defaults to X86_64) and an arm64 image would not start.
    /// </summary>
    public static readonly ImmutableArray<string> ServicePlatforms = ["linux/amd64"];

    /// <summary>
    /// Images an ECR lifecycle policy keeps: countNumber is at least 1 (ECR User Guide, "Lifecycle policy
    /// properties"), and a repository holds at most 100,000 images (ECR User Guide, "Amazon ECR service quotas",
    /// Images per repository, the default).
    /// </summary>
    public static readonly AwsRules.IntRange KeepImages = new(1, 100_000, "images");

    /// <summary>
    /// The prefix of every tag the stack pushes (<see cref="Tag"/>): the lifecycle policy counts only these, so an
    /// image index's untagged children (platform images, attestations) never count against the images kept, and are
    /// never expired on their own (ECR counts each manifest as an image: aws/containers-roadmap#2613).
    /// </summary>
    public const string TagPrefix = "src-";

    /// <summary>The message when a stack names both an image to run and one to build.</summary>
    public const string ImageAndBuild = "service.image and service.build are mutually exclusive: give an image to run, or a directory to build one from, not both";

    /// <summary>The message when a component's own arguments carry <c>service.build</c>, which only a stack acts on.</summary>
    public const string BuildIsAStackSetting = "is a stack setting: the stack's program builds and pushes the image and hands the component its reference as service.image; the component runs an image and builds none";

    /// <summary><c>service.build</c> given to the component itself (<see cref="BuildIsAStackSetting"/>).</summary>
    public static void BuildGivenToComponent(DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        bag.Error("service.build", BuildIsAStackSetting);
    }

    /// <summary>Both <c>service.image</c> and <c>service.build</c> (<see cref="ImageAndBuild"/>), under the build's path.</summary>
    public static void ImageAndBuildGiven(string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        bag.Error(path, ImageAndBuild);
    }

    /// <summary>
    /// The build context: a directory relative to the project, so the stack builds the same on every machine
    /// (awsx <c>Ecr.ImageArgs.Context</c> takes a relative path from the program's working directory, the project).
    /// </summary>
    public static string? CheckContext(string? context) => CheckRelativePath(context, "the build context", "app");

    /// <summary>The Dockerfile: a file relative to the context (Docker Compose's <c>build.dockerfile</c>).</summary>
    public static string? CheckDockerfile(string? dockerfile) => CheckRelativePath(dockerfile, "the Dockerfile, relative to the context,", "Dockerfile");

    /// <summary>
    /// A build stage name (<c>docker build --target</c>; Dockerfile reference, "FROM … AS name"): BuildKit takes a
    /// letter, then letters, digits, '-', '_' and '.'.
    /// </summary>
    public static string? CheckTarget(string target) =>
        StageNameRegex().IsMatch(target) ? null : $"must be a build stage name (a letter, then letters, digits, '-', '_' or '.'), as in FROM image AS name; got {AwsRules.Quote(target)}";

    /// <summary>The platform, one of <see cref="FargatePlatforms"/> that the service can run (<see cref="ServicePlatforms"/>).</summary>
    public static string? CheckPlatform(string platform)
    {
        if (!FargatePlatforms.Contains(platform))
        {
            return $"must be a platform Fargate runs ({string.Join(", ", FargatePlatforms)}); got {AwsRules.Quote(platform)}";
        }

        return ServicePlatforms.Contains(platform)
            ? null
            : $"must be {string.Join(" or ", ServicePlatforms)}: the task definition sets no runtimePlatform, so Fargate runs the task on X86_64 and a {platform} image would not start; got {AwsRules.Quote(platform)}";
    }

    /// <summary>
    /// A build argument's name: an environment variable name (a Dockerfile ARG is one inside RUN), and never a secret's:
    /// build arguments stay readable in the image's history (Dockerfile reference, "ARG": "not recommended to use
    /// build arguments for passing secrets").
    /// </summary>
    public static string? CheckBuildArgName(string name) =>
        AwsRules.CheckEnvironmentName(name)
        ?? (ServiceRules.SecretLikeNameRegex().IsMatch(name)
            ? $"looks like a secret: build arguments stay readable in the image history (docker history); mount a build secret in the Dockerfile instead; got {AwsRules.Quote(name)}"
            : null);

    /// <summary>The repository's KMS key: a customer-managed key ARN (ECR CreateRepository encryptionConfiguration kmsKey; Security Hub ECR.5).</summary>
    public static string? CheckKmsKeyArn(string arn) =>
        SecurityRules.CheckArn(arn, SecurityRules.ArnKind.KmsKey) is { } rule ? $"{rule}; got {AwsRules.Quote(arn)}" : null;

    /// <summary>The context directory exists under <paramref name="projectDirectory"/>.</summary>
    public static string? CheckContextExists(ImageBuildSettings build, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(build);
        return Directory.Exists(Path.Combine(projectDirectory, build.Context))
            ? null
            : $"must be a directory under the project ({AwsRules.Quote(projectDirectory)}); {AwsRules.Quote(build.Context)} does not exist there";
    }

    /// <summary>The Dockerfile exists in the context and, with a target, defines that stage (<c>FROM … AS target</c>).</summary>
    /// <returns>(path, message) of each problem: <c>dockerfile</c> or <c>target</c>.</returns>
    public static IEnumerable<(string Key, string Message)> CheckDockerfileExists(ImageBuildSettings build, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(build);
        var path = Path.Combine(projectDirectory, build.Context, build.Dockerfile);
        if (!File.Exists(path))
        {
            yield return ("dockerfile", $"must be a file in the build context; {AwsRules.Quote(build.DockerfileInProject)} does not exist");
            yield break;
        }

        if (build.Target is { } target && StageNameRegex().IsMatch(target)
            && !File.ReadLines(path).Any(line => StageOf(line) is { } stage && string.Equals(stage, target, StringComparison.OrdinalIgnoreCase)))
        {
            yield return ("target", $"must be a stage of {AwsRules.Quote(build.DockerfileInProject)} (FROM image AS {target}); it has none by that name");
        }
    }

    /// <summary>
    /// The image the service runs: what awsx's <c>Ecr.Image</c> returns, <c>repositoryUrl@sha256:…</c> (awsx
    /// <c>awsx/ecr/image.ts</c>, computeImageFromAsset). A reference without a digest would run whatever a tag points
    /// at later, so it is refused rather than deployed.
    /// </summary>
    public static string? CheckPushedImage(string? image) =>
        AwsRules.CheckImage(image) is { } rule ? rule
        : image!.Contains("@sha256:", StringComparison.Ordinal) ? null
        : $"must be the pushed image by digest (repository@sha256:…), so that a task runs exactly the image built; got {AwsRules.Quote(image)}";

    /// <summary>
    /// The image tag: a digest of everything that goes into the build (the context's files, the Dockerfile, target,
    /// platform and arguments). Tags are immutable (ECR.2), so a changed build needs a new tag, and an unchanged one
    /// keeps its tag; a Docker tag is at most 128 letters, digits, '_', '.' and '-'.
    /// </summary>
    public static string Tag(ImageBuildSettings build, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(build);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        Add($"dockerfile={build.Dockerfile}");
        Add($"target={build.Target}");
        Add($"platform={build.Platform}");
        foreach (var (name, value) in build.Args)
        {
            Add($"arg {name}={value}");
        }

        var context = Path.GetFullPath(Path.Combine(projectDirectory, build.Context));
        var buffer = new byte[81_920];
        foreach (var file in Directory.EnumerateFiles(context, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(context, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal))
        {
            Add(file);
            using var stream = File.OpenRead(Path.Combine(context, file));
            for (var read = stream.Read(buffer); read > 0; read = stream.Read(buffer))
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return TagPrefix + Convert.ToHexStringLower(hash.GetHashAndReset())[..40];
    }

    private static string? CheckRelativePath(string? path, string what, string example)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return $"must name {what} as a relative path, e.g. {example}";
        }

        return Path.IsPathRooted(path) || path.StartsWith('~') || path.Contains('\\', StringComparison.Ordinal)
            ? $"must be {what} as a relative path with '/' separators (e.g. {example}), so the stack builds the same on every machine; got {AwsRules.Quote(path)}"
            : null;
    }

    private static string? StageOf(string line)
    {
        var match = FromAsRegex().Match(line);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]*$")]
    private static partial Regex StageNameRegex();

    [GeneratedRegex(@"^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FromAsRegex();

    /// <summary>Checks a build section's values into <paramref name="bag"/> under <paramref name="path"/> (<c>service.build</c>).</summary>
    internal static ImageBuildSettings Checked(ImageBuildSettings build, string path, DiagnosticBag bag)
    {
        Validate(build, path, bag);
        return build;
    }

    /// <summary>
    /// Checks a build section's values (not the files: see <see cref="ValidateFiles"/>) into
    /// <paramref name="bag"/> under <paramref name="path"/>, e.g. <c>service.build</c>.
    /// </summary>
    public static void Validate(ImageBuildSettings build, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(bag);
        Report(bag, $"{path}.context", CheckContext(build.Context));
        Report(bag, $"{path}.dockerfile", CheckDockerfile(build.Dockerfile));
        Report(bag, $"{path}.target", build.Target is { } target ? CheckTarget(target) : null);
        Report(bag, $"{path}.platform", CheckPlatform(build.Platform));
        foreach (var name in build.Args.Keys)
        {
            Report(bag, $"{path}.args.{name}", CheckBuildArgName(name));
        }

        Report(bag, $"{path}.repository.keepImages", KeepImages.Check(build.Repository.KeepImages));
        Report(bag, $"{path}.repository.kmsKeyArn", build.Repository.KmsKeyArn is { } key ? CheckKmsKeyArn(key) : null);
    }

    /// <summary>
    /// Checks that the context directory and the Dockerfile (with its target stage) exist under
    /// <paramref name="projectDirectory"/>, the folder holding <c>Pulumi.yaml</c>; skipped where the values themselves are wrong.
    /// </summary>
    public static void ValidateFiles(ImageBuildSettings build, string projectDirectory, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(bag);
        if (CheckContext(build.Context) is not null || CheckDockerfile(build.Dockerfile) is not null)
        {
            return;
        }

        if (CheckContextExists(build, projectDirectory) is { } missing)
        {
            bag.Error($"{path}.context", missing);
            return;
        }

        foreach (var (key, message) in CheckDockerfileExists(build, projectDirectory))
        {
            bag.Error($"{path}.{key}", message);
        }
    }

    private static void Report(DiagnosticBag bag, string path, string? message)
    {
        if (message is not null)
        {
            bag.Error(path, message);
        }
    }
}
