using System.Text.Json.Nodes;
using StepScaling.Validation;

namespace StepScaling.Config;

public static partial class StackConfigMapper
{
    /// <summary>
    /// Reads <c>service.build</c>: a context directory as text (<c>build: app</c>) or a mapping
    /// (<c>{context, dockerfile, target, platform, args, repository}</c>), checked with <see cref="ImageBuildRules"/>.
    /// Null when absent.
    /// </summary>
    private static ImageBuildSettings? MapImageBuild(ConfigReader service)
    {
        var bag = service.Bag;
        var node = service.Raw("build");
        if (node is null)
        {
            return null;
        }

        if (service.Has("image"))
        {
            bag.Error(service.Child("build"), ImageBuildRules.ImageAndBuild);
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var shorthand))
        {
            return Checked(new ImageBuildSettings { Context = shorthand }, service.Child("build"), bag);
        }

        if (ConfigReader.For(node, service.Child("build"), bag) is not { } r)
        {
            return null;
        }

        var defaults = new ImageBuildSettings { Context = string.Empty };
        var build = defaults with
        {
            Context = r.String("context") ?? string.Empty,
            Dockerfile = r.String("dockerfile") ?? defaults.Dockerfile,
            Target = r.String("target"),
            Platform = r.String("platform") ?? defaults.Platform,
            Args = r.StringMap("args"),
            Repository = r.Object("repository") is { } repository ? MapImageRepository(repository) : defaults.Repository,
        };
        r.ReportUnknownKeys();
        return Checked(build, r.Path, bag);
    }

    private static ImageRepositorySettings MapImageRepository(ConfigReader r)
    {
        var defaults = new ImageRepositorySettings();
        var repository = defaults with
        {
            KeepImages = r.IntOr("keepImages", defaults.KeepImages, ImageBuildRules.KeepImages),
            KmsKeyArn = r.String("kmsKeyArn"),
            ForceDelete = r.Bool("forceDelete") ?? defaults.ForceDelete,
        };
        r.ReportUnknownKeys();
        return repository;
    }

    /// <summary>Checks a build section's values into <paramref name="bag"/> under <paramref name="path"/> (<c>service.build</c>).</summary>
    private static ImageBuildSettings Checked(ImageBuildSettings build, string path, DiagnosticBag bag)
    {
        ValidateImageBuild(build, path, bag);
        return build;
    }

    /// <summary>
    /// Checks a build section's values (not the files: see <see cref="ValidateImageBuildFiles"/>) into
    /// <paramref name="bag"/> under <paramref name="path"/>, e.g. <c>service.build</c>.
    /// </summary>
    public static void ValidateImageBuild(ImageBuildSettings build, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(bag);
        Report(bag, $"{path}.context", ImageBuildRules.CheckContext(build.Context));
        Report(bag, $"{path}.dockerfile", ImageBuildRules.CheckDockerfile(build.Dockerfile));
        Report(bag, $"{path}.target", build.Target is { } target ? ImageBuildRules.CheckTarget(target) : null);
        Report(bag, $"{path}.platform", ImageBuildRules.CheckPlatform(build.Platform));
        foreach (var name in build.Args.Keys)
        {
            Report(bag, $"{path}.args.{name}", ImageBuildRules.CheckBuildArgName(name));
        }

        Report(bag, $"{path}.repository.keepImages", ImageBuildRules.KeepImages.Check(build.Repository.KeepImages));
        Report(bag, $"{path}.repository.kmsKeyArn", build.Repository.KmsKeyArn is { } key ? ImageBuildRules.CheckKmsKeyArn(key) : null);
    }

    /// <summary>
    /// Checks that the context directory and the Dockerfile (with its target stage) exist under
    /// <paramref name="projectDirectory"/>, the folder holding <c>Pulumi.yaml</c>; skipped where the values themselves are wrong.
    /// </summary>
    public static void ValidateImageBuildFiles(ImageBuildSettings build, string projectDirectory, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(bag);
        if (ImageBuildRules.CheckContext(build.Context) is not null || ImageBuildRules.CheckDockerfile(build.Dockerfile) is not null)
        {
            return;
        }

        if (ImageBuildRules.CheckContextExists(build, projectDirectory) is { } missing)
        {
            bag.Error($"{path}.context", missing);
            return;
        }

        foreach (var (key, message) in ImageBuildRules.CheckDockerfileExists(build, projectDirectory))
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
