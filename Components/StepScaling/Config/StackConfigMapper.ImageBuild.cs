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
            ImageBuildRules.ImageAndBuildGiven(service.Child("build"), bag);
        }

        if (node.Kind == ConfigNodeKind.Text && node.Scalar is { } shorthand)
        {
            return ImageBuildRules.Checked(new ImageBuildSettings { Context = shorthand }, service.Child("build"), bag);
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
        return ImageBuildRules.Checked(build, r.Path, bag);
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
}
