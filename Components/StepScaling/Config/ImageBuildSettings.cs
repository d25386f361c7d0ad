using System.Collections.Immutable;

namespace StepScaling.Config;

/// <summary>
/// The application's own image, built from a Dockerfile and pushed to a new ECR repository (<c>service.build</c>):
/// the program runs the service from the pushed image by digest. Shaped like Docker Compose's <c>build</c> section.
/// </summary>
public sealed record ImageBuildSettings
{
    /// <summary>Default Dockerfile, relative to the context (Docker's own default).</summary>
    public const string DefaultDockerfile = "Dockerfile";

    /// <summary>
    /// Default platform: Fargate runs a task definition without a runtimePlatform on X86_64, so the image is built for
    /// linux/amd64 on every machine, an Apple-silicon laptop too (whose Docker would otherwise build arm64).
    /// </summary>
    public const string DefaultPlatform = "linux/amd64";

    /// <summary>No build arguments (ordinal keys, as config maps them).</summary>
    public static readonly ImmutableSortedDictionary<string, string> EmptyArgs = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The build context: a directory relative to the project (the folder holding <c>Pulumi.yaml</c>).</summary>
    public required string Context { get; init; }

    /// <summary>The Dockerfile, relative to <see cref="Context"/>. <value>The default value is <c>Dockerfile</c>.</value></summary>
    public string Dockerfile { get; init; } = DefaultDockerfile;

    /// <summary>The build stage to build (<c>docker build --target</c>), or null for the last stage. <value>The default value is null.</value></summary>
    public string? Target { get; init; }

    /// <summary>The platform the image is built for. <value>The default value is <c>linux/amd64</c>.</value></summary>
    public string Platform { get; init; } = DefaultPlatform;

    /// <summary>Build arguments (<c>docker build --build-arg</c>); never secrets: they stay readable in the image history.</summary>
    public ImmutableSortedDictionary<string, string> Args { get; init; } = EmptyArgs;

    /// <summary>The ECR repository the image is pushed to.</summary>
    public ImageRepositorySettings Repository { get; init; } = new();

    /// <summary>Value equality, build arguments compared by content.</summary>
    /// <param name="other">The settings to compare with.</param>
    public bool Equals(ImageBuildSettings? other) =>
        other is not null && Context == other.Context && Dockerfile == other.Dockerfile && Target == other.Target
        && Platform == other.Platform && Args.SequenceEqual(other.Args) && Repository == other.Repository;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Context, Dockerfile, Target, Platform, Args.Count, Repository);

    /// <summary>The Dockerfile's path relative to the project, as awsx's <c>Ecr.Image</c> takes it (a relative path there is the program's working directory).</summary>
    public string DockerfileInProject => $"{Context.TrimEnd('/')}/{Dockerfile}";
}

/// <summary>
/// The ECR repository of a built image (<c>service.build.repository</c>). Its fixed defaults are the AWS Security Hub
/// ECR controls: scan on push (ECR.1), immutable tags (ECR.2) and a lifecycle policy (ECR.3); a customer-managed KMS
/// key satisfies ECR.5.
/// </summary>
public sealed record ImageRepositorySettings
{
    /// <summary>Default number of images kept: the running one and nine to roll back to.</summary>
    public const int DefaultKeepImages = 10;

    /// <summary>How many of the newest images the lifecycle policy keeps; older ones expire. <value>The default value is 10.</value></summary>
    public int KeepImages { get; init; } = DefaultKeepImages;

    /// <summary>A customer-managed KMS key ARN the images are encrypted with, or null for AES256 (ECR's own keys). <value>The default value is null.</value></summary>
    public string? KmsKeyArn { get; init; }

    /// <summary>Whether destroying the stack deletes the repository with its images in it. <value>The default value is false.</value></summary>
    public bool ForceDelete { get; init; }

    /// <summary>The ECR encryption type: <c>KMS</c> with a key, else <c>AES256</c>.</summary>
    public string EncryptionType => KmsKeyArn is null ? "AES256" : "KMS";
}
