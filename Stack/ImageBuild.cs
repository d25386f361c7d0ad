using Pulumi;
using StepScaling.Config;
using StepScaling.Validation;
using Aws = Pulumi.Aws;
using Awsx = Pulumi.Awsx;

namespace Infra;

/// <summary>
/// The stack's image step (<c>service.build</c>): an ECR repository with production defaults, and the application's
/// image built from its Dockerfile and pushed there with awsx's <c>Ecr.Repository</c> and <c>Ecr.Image</c>. The
/// service then runs the pushed image by digest. A step of the program, not of the component: the component runs any
/// image it is given, and a stack that already has an image (another pipeline's) needs no repository.
/// </summary>
public static class ImageBuild
{
    /// <summary>
    /// Creates the repository and the image, or nothing when <paramref name="build"/> is null. Returns the pushed
    /// image's reference (<c>repositoryUrl@sha256:…</c>), unknown at preview; a reference that is not by digest
    /// fails the update with the rule, before any task could run it.
    /// </summary>
    /// <param name="build">The validated build section.</param>
    /// <param name="serviceName">The service name, which names both resources.</param>
    /// <param name="projectDirectory">The project folder: the build context is relative to it, as Pulumi runs the program there.</param>
    /// <param name="tags">Tags for the repository.</param>
    public static Output<string>? Create(ImageBuildSettings? build, string serviceName, string projectDirectory, InputMap<string> tags)
    {
        if (build is null)
        {
            return null;
        }

        var repository = new Awsx.Ecr.Repository($"{serviceName}-images", RepositoryArgs(build.Repository, tags));
        var imageArgs = new Awsx.Ecr.ImageArgs
        {
            RepositoryUrl = repository.Url,
            Context = build.Context,

            // Relative to the project, as awsx passes it to Docker (the settings hold it relative to the context).
            Dockerfile = build.DockerfileInProject,
            Platform = build.Platform,

            // Tags are immutable (ECR.2): a tag from the build's inputs is new exactly when the image may change.
            ImageTag = ImageBuildRules.Tag(build, projectDirectory),
        };
        if (build.Target is { } target)
        {
            imageArgs.Target = target;
        }

        foreach (var (name, value) in build.Args)
        {
            imageArgs.Args.Add(name, value);
        }

        var image = new Awsx.Ecr.Image($"{serviceName}-image", imageArgs);
        return image.ImageUri.Apply(ByDigest);
    }

    /// <summary>The repository: each default satisfies an AWS Security Hub ECR control (AWS Security Hub User Guide, "Security Hub controls for Amazon ECR").</summary>
    private static Awsx.Ecr.RepositoryArgs RepositoryArgs(ImageRepositorySettings settings, InputMap<string> tags) => new()
    {
        // Encrypted at rest: AES256 (ECR's own keys) by default; with a customer-managed KMS key, ECR.5 "ECR
        // repositories should be encrypted with customer managed AWS KMS keys" too. ECR fixes it at creation.
        EncryptionConfigurations = { Encryption(settings) },

        // ECR.1 "ECR private repositories should have image scanning configured": basic scan on every push.
        ImageScanningConfiguration = new Aws.Ecr.Inputs.RepositoryImageScanningConfigurationArgs { ScanOnPush = true },

        // ECR.2 "ECR private repositories should have tag immutability configured": a pushed tag never moves.
        ImageTagMutability = "IMMUTABLE",

        // ECR.3 "ECR repositories should have at least one lifecycle policy configured": keep the newest N images.
        LifecyclePolicy = new Awsx.Ecr.Inputs.LifecyclePolicyArgs
        {
            Rules =
            {
                new Awsx.Ecr.Inputs.LifecyclePolicyRuleArgs
                {
                    Description = $"Keep the last {settings.KeepImages.ToString(System.Globalization.CultureInfo.InvariantCulture)} images the stack pushed",
                    TagStatus = Awsx.Ecr.LifecycleTagStatus.Tagged,
                    TagPrefixList = { ImageBuildRules.TagPrefix },
                    MaximumNumberOfImages = settings.KeepImages,
                },
            },
        },

        // Only a stack that asks deletes the repository with its images in it on destroy.
        ForceDelete = settings.ForceDelete,
        Tags = tags,
    };

    private static Aws.Ecr.Inputs.RepositoryEncryptionConfigurationArgs Encryption(ImageRepositorySettings settings)
    {
        var encryption = new Aws.Ecr.Inputs.RepositoryEncryptionConfigurationArgs { EncryptionType = settings.EncryptionType };
        if (settings.KmsKeyArn is { } key)
        {
            encryption.KmsKey = key;
        }

        return encryption;
    }

    private static string ByDigest(string imageUri)
    {
        if (ImageBuildRules.CheckPushedImage(imageUri) is not { } rule)
        {
            return imageUri;
        }

        var error = new StepScalingValidationException([Diagnostic.Error("service.build", $"the imageUri of awsx:ecr:Image {rule}")]);
        throw new RunException(error.Message, error);
    }
}
