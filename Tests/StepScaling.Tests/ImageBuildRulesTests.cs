using System.Collections.Immutable;
using CsCheck;
using StepScaling.Config;
using StepScaling.Validation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary><c>service.build</c>: reading the section, each rule of <see cref="ImageBuildRules"/> on both sides, and the files it names.</summary>
[NonParallelizable] // Some tests write a project folder on disk.
public class ImageBuildRulesTests
{
    private const string KeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private DirectoryInfo? _project;

    private string Project => _project?.FullName ?? throw new InvalidOperationException("No test is running.");

    [SetUp]
    public void CreateProject()
    {
        _project = Directory.CreateTempSubdirectory("image-build-rules-");
        Directory.CreateDirectory(Path.Combine(Project, "app"));
        File.WriteAllText(Path.Combine(Project, "app", "Dockerfile"), "FROM python:3.12-slim AS base\nFROM --platform=linux/amd64 base as Runtime\nCOPY . .\n");
        File.WriteAllText(Path.Combine(Project, "app", "app.py"), "print('hello')\n");
    }

    [TearDown]
    public void DeleteProject()
    {
        _project?.Delete(recursive: true);
        _project = null;
    }

    private static ImageBuildSettings BuildOf(string service) => Map(service).Config!.Service.Build!;

    private static IReadOnlyList<(string Path, string Message)> ErrorsOf(string service) => Errors(Map(service).Diagnostics);

    private IReadOnlyList<(string Path, string Message)> FileErrorsOf(ImageBuildSettings build)
    {
        var bag = new DiagnosticBag();
        ImageBuildRules.ValidateFiles(build, Project, "service.build", bag);
        return Errors(bag.ToImmutable());
    }

    // ---- Reading the section ----

    [Test]
    public void Map_BuildShorthand_ContextWithEveryDefault()
    {
        var build = BuildOf("service:\n  build: app");

        Assert.That(build, Is.EqualTo(new ImageBuildSettings { Context = "app" }));
        Assert.That((build.Dockerfile, build.Target, build.Platform, build.Args.Count), Is.EqualTo(("Dockerfile", (string?)null, "linux/amd64", 0)));
        Assert.That((build.Repository.KeepImages, build.Repository.KmsKeyArn, build.Repository.ForceDelete, build.Repository.EncryptionType), Is.EqualTo((10, (string?)null, false, "AES256")));
    }

    [Test]
    public void Map_BuildMapping_EveryKeyRead()
    {
        var build = BuildOf($$"""
            service:
              build:
                context: services/web
                dockerfile: docker/Dockerfile.prod
                target: runtime
                platform: linux/amd64
                args: { PYTHON_VERSION: "3.12", WORKERS: 2 }
                repository: { keepImages: 25, kmsKeyArn: "{{KeyArn}}", forceDelete: true }
            """);

        Assert.That((build.Context, build.Dockerfile, build.Target, build.Platform), Is.EqualTo(("services/web", "docker/Dockerfile.prod", "runtime", "linux/amd64")));
        Assert.That(build.Args, Is.EqualTo(new Dictionary<string, string> { ["PYTHON_VERSION"] = "3.12", ["WORKERS"] = "2" }));
        Assert.That(build.Repository, Is.EqualTo(new ImageRepositorySettings { KeepImages = 25, KmsKeyArn = KeyArn, ForceDelete = true }));
        Assert.That((build.Repository.EncryptionType, build.DockerfileInProject), Is.EqualTo(("KMS", "services/web/docker/Dockerfile.prod")));
    }

    [Test]
    public void Map_NoBuild_NullAndTheImageRuns()
    {
        var service = Map("service:\n  image: public.ecr.aws/nginx/nginx:stable").Config!.Service;

        Assert.That((service.Build, service.Image), Is.EqualTo(((ImageBuildSettings?)null, "public.ecr.aws/nginx/nginx:stable")));
    }

    [Test]
    public void Map_ImageAndBuild_MutuallyExclusive()
    {
        Assert.That(ErrorsOf("service:\n  image: public.ecr.aws/nginx/nginx:stable\n  build: app"), Is.EqualTo(new[] { ("service.build", ImageBuildRules.ImageAndBuild) }));
        Assert.That(ImageBuildRules.ImageAndBuild, Does.Contain("service.image").And.Contain("service.build"));
    }

    [Test]
    public void Map_UnknownKeys_ReportedWithASuggestion()
    {
        Assert.That(ErrorsOf("service:\n  build: { context: app, dockerFile: Dockerfile, repository: { keepImage: 3 } }"), Is.EquivalentTo(new[]
        {
            ("service.build.dockerFile", "unknown key 'dockerFile'; did you mean 'dockerfile'?"),
            ("service.build.repository.keepImage", "unknown key 'keepImage'; did you mean 'keepImages'?"),
        }));
    }

    [Test]
    public void Map_BuildNotTextOrMapping_Error()
    {
        Assert.That(ErrorsOf("service:\n  build: [app]"), Is.EqualTo(new[] { ("service.build", "must be a mapping (key: value pairs); got a list") }));
    }

    [Test]
    public void Map_EveryBadValue_AllReportedAtOnce()
    {
        var errors = ErrorsOf("""
            service:
              build:
                context: /home/me/app
                dockerfile: C:\app\Dockerfile
                target: 1st
                platform: windows/amd64
                args: { DB_PASSWORD: x, 9LIVES: y }
                repository: { keepImages: 0, kmsKeyArn: alias/ecr }
            """);

        Assert.That(errors.Select(e => e.Path), Is.EquivalentTo(new[]
        {
            "service.build.repository.keepImages", "service.build.context", "service.build.dockerfile", "service.build.target",
            "service.build.platform", "service.build.args.9LIVES", "service.build.args.DB_PASSWORD", "service.build.repository.kmsKeyArn",
        }));
    }

    [Test]
    public void MapComponentSections_Build_ErrorAsOnlyTheStackBuilds()
    {
        var sections = new System.Text.Json.Nodes.JsonObject { ["service"] = new System.Text.Json.Nodes.JsonObject { ["build"] = "app" } };

        Assert.That(Errors(StackConfigMapper.MapComponentSections(sections).Diagnostics), Is.EqualTo(new[] { ("service.build", ImageBuildRules.BuildIsAStackSetting) }));
        Assert.That(Errors(StackConfigMapper.MapComponentSections(new System.Text.Json.Nodes.JsonObject { ["service"] = new System.Text.Json.Nodes.JsonObject() }).Diagnostics), Is.Empty);
    }

    // ---- Each rule, both sides ----

    [TestCase("app", null)]
    [TestCase("services/web", null)]
    [TestCase("../shared/app", null)]
    [TestCase("", "must name the build context as a relative path, e.g. app")]
    [TestCase("/srv/app", "must be the build context as a relative path with '/' separators (e.g. app), so the stack builds the same on every machine; got '/srv/app'")]
    [TestCase("~/app", "must be the build context as a relative path with '/' separators (e.g. app), so the stack builds the same on every machine; got '~/app'")]
    [TestCase("services\\web", "must be the build context as a relative path with '/' separators (e.g. app), so the stack builds the same on every machine; got 'services\\web'")]
    public void CheckContext_RelativeOnly(string context, string? expected) =>
        Assert.That(ImageBuildRules.CheckContext(context), Is.EqualTo(expected));

    [TestCase("Dockerfile", true)]
    [TestCase("docker/Dockerfile.prod", true)]
    [TestCase("/abs/Dockerfile", false)]
    [TestCase(" ", false)]
    public void CheckDockerfile_RelativeToTheContext(string dockerfile, bool valid) =>
        Assert.That(ImageBuildRules.CheckDockerfile(dockerfile), valid ? Is.Null : Does.StartWith("must"));

    [TestCase("runtime", true)]
    [TestCase("Build-2.final_stage", true)]
    [TestCase("2nd", false)]
    [TestCase("run time", false)]
    [TestCase("", false)]
    public void CheckTarget_BuildStageNameGrammar(string target, bool valid) =>
        Assert.That(ImageBuildRules.CheckTarget(target), valid ? Is.Null : Does.Contain($"got '{target}'").And.Contain("build stage name"));

    [Test]
    public void CheckPlatform_Amd64_Valid() => Assert.That(ImageBuildRules.CheckPlatform("linux/amd64"), Is.Null);

    [Test]
    public void CheckPlatform_Arm64_AFargatePlatformTheTaskDefinitionDoesNotRun() =>
        Assert.That(ImageBuildRules.CheckPlatform("linux/arm64"), Does.Contain("no runtimePlatform").And.Contain("X86_64").And.EndWith("got 'linux/arm64'"));

    [TestCase("windows/amd64")]
    [TestCase("linux/arm/v7")]
    [TestCase("amd64")]
    public void CheckPlatform_NotAFargatePlatform_NamesTheTwo(string platform) =>
        Assert.That(ImageBuildRules.CheckPlatform(platform), Is.EqualTo($"must be a platform Fargate runs (linux/amd64, linux/arm64); got '{platform}'"));

    [TestCase("PYTHON_VERSION", null)]
    [TestCase("_private", null)]
    [TestCase("9LIVES", "is not a valid environment variable name (letters, digits and '_', not starting with a digit); got '9LIVES'")]
    [TestCase("GITHUB_TOKEN", "looks like a secret: build arguments stay readable in the image history (docker history); mount a build secret in the Dockerfile instead; got 'GITHUB_TOKEN'")]
    [TestCase("npm_api_key", "looks like a secret: build arguments stay readable in the image history (docker history); mount a build secret in the Dockerfile instead; got 'npm_api_key'")]
    public void CheckBuildArgName_EnvironmentNameAndNoSecret(string name, string? expected) =>
        Assert.That(ImageBuildRules.CheckBuildArgName(name), Is.EqualTo(expected));

    [TestCase(1, true)]
    [TestCase(10, true)]
    [TestCase(100_000, true)]
    [TestCase(0, false)]
    [TestCase(100_001, false)]
    public void KeepImages_OneToTheRepositoryQuota(int keep, bool valid) =>
        Assert.That(ImageBuildRules.KeepImages.Check(keep), valid ? Is.Null : Does.EndWith($"got {keep}"));

    [Test]
    public void Map_KeepImagesOutOfRange_ErrorWithTheRangeAndValue() =>
        Assert.That(ErrorsOf("service:\n  build: { context: app, repository: { keepImages: 0 } }"), Is.EqualTo(new[] { ("service.build.repository.keepImages", ImageBuildRules.KeepImages.Check(0)!) }));

    [Test]
    public void CheckKmsKeyArn_KeyArnValid_AliasOrOtherServiceNot()
    {
        Assert.That(ImageBuildRules.CheckKmsKeyArn(KeyArn), Is.Null);
        Assert.That(ImageBuildRules.CheckKmsKeyArn("alias/ecr"), Does.StartWith("must be a KMS key ARN").And.EndWith("got 'alias/ecr'"));
        Assert.That(ImageBuildRules.CheckKmsKeyArn("arn:aws:sns:eu-west-1:123456789012:topic"), Does.Contain("'sns' service"));
    }

    [Test]
    public void CheckPushedImage_ByDigest_Valid() =>
        Assert.That(ImageBuildRules.CheckPushedImage($"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web-1a2b3c@sha256:{new string('a', 64)}"), Is.Null);

    [Test]
    public void CheckPushedImage_ByTag_RefusedNamingTheDigestRule() =>
        Assert.That(ImageBuildRules.CheckPushedImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:src-1"), Does.StartWith("must be the pushed image by digest").And.EndWith("got '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:src-1'"));

    [TestCase("")]
    [TestCase("web@sha256:short")]
    [TestCase("Has Spaces@sha256:0")]
    public void CheckPushedImage_NotAnImageReference_TheImageGrammar(string image) =>
        Assert.That(ImageBuildRules.CheckPushedImage(image), Is.EqualTo(AwsRules.CheckImage(image)).And.Not.Null);

    // ---- The files, against the project folder ----

    [Test]
    public void ValidateImageBuildFiles_ContextAndDockerfileAndTargetExist_NoError() =>
        Assert.That(FileErrorsOf(new ImageBuildSettings { Context = "app", Target = "runtime" }), Is.Empty);

    [Test]
    public void ValidateImageBuildFiles_NoContextDirectory_ErrorNamingIt() =>
        Assert.That(FileErrorsOf(new ImageBuildSettings { Context = "web" }), Is.EqualTo(new[] { ("service.build.context", $"must be a directory under the project ('{Project}'); 'web' does not exist there") }));

    [Test]
    public void ValidateImageBuildFiles_NoDockerfile_ErrorNamingItsPathInTheProject() =>
        Assert.That(FileErrorsOf(new ImageBuildSettings { Context = "app", Dockerfile = "Dockerfile.prod" }), Is.EqualTo(new[] { ("service.build.dockerfile", "must be a file in the build context; 'app/Dockerfile.prod' does not exist") }));

    [Test]
    public void ValidateImageBuildFiles_TargetNotAStage_Error() =>
        Assert.That(FileErrorsOf(new ImageBuildSettings { Context = "app", Target = "test" }), Is.EqualTo(new[] { ("service.build.target", "must be a stage of 'app/Dockerfile' (FROM image AS test); it has none by that name") }));

    [Test]
    public void ValidateImageBuildFiles_ValuesAlreadyWrong_FilesNotCheckedAgain() =>
        Assert.That(FileErrorsOf(new ImageBuildSettings { Context = "/abs" }), Is.Empty);

    [Test]
    public void Map_WithProjectDirectory_FilesChecked_WithoutIt_NotChecked()
    {
        var values = ParseStack(StackYaml("service:\n  build: missing")).Values;

        Assert.That(Errors(StackConfigMapper.Map(values, projectDirectory: Project).Diagnostics).Select(e => e.Path), Is.EqualTo(new[] { "service.build.context" }));
        Assert.That(Errors(StackConfigMapper.Map(values).Diagnostics), Is.Empty);
    }

    [Test]
    public void Plan_StackFileBesidePulumiYaml_ChecksTheBuildAgainstThatFolder()
    {
        File.WriteAllText(Path.Combine(Project, "Pulumi.yaml"), "name: step-scaled-ecs\nruntime: dotnet\n");
        var stackPath = Path.Combine(Project, "Pulumi.dev.yaml");
        File.WriteAllText(stackPath, StackYaml("service:\n  build: { context: app, dockerfile: Nope }"));

        var plan = Planning.StackPlanner.Plan(StackFile.Load(stackPath));

        Assert.That(Errors(plan.Diagnostics), Is.EqualTo(new[] { ("service.build.dockerfile", "must be a file in the build context; 'app/Nope' does not exist") }));
        Assert.That(Planning.StackPlanner.ProjectDirectoryOf(stackPath), Is.EqualTo(Project));
    }

    [Test]
    public void Plan_RepositoryDevStack_BuildsTheAppFolderWithoutError()
    {
        var plan = Planning.StackPlanner.Plan(StackFile.Load(Repo.DevStack));

        Assert.That(plan.Config!.Service.Build, Is.EqualTo(new ImageBuildSettings { Context = "app", Repository = new() { ForceDelete = true } }));
        Assert.That(Errors(plan.Diagnostics), Is.Empty);
    }

    // ---- The tag ----

    [Test]
    public void Tag_SameInputs_SameTag_ADockerTag()
    {
        var build = new ImageBuildSettings { Context = "app" };

        var tag = ImageBuildRules.Tag(build, Project);

        Assert.That(ImageBuildRules.Tag(build, Project), Is.EqualTo(tag));
        Assert.That(tag, Does.Match("^src-[0-9a-f]{40}$"));
        Assert.That(AwsRules.CheckImage($"repo:{tag}"), Is.Null);
    }

    [Test]
    public void Tag_BuildArguments_SameArgumentsSameTagOtherArgumentsOtherTag()
    {
        var build = new ImageBuildSettings { Context = "app" };
        var args = Gen.Select(Gen.String[Gen.Char["ABC_"], 1, 4], Gen.String[Gen.Char["xy=1 "], 0, 4]).Array[0, 4]
            .Select(pairs => pairs.DistinctBy(p => p.Item1).ToImmutableSortedDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal));

        Gen.Select(args, args).Sample((a, b) =>
        {
            var tagA = ImageBuildRules.Tag(build with { Args = a }, Project);
            var tagB = ImageBuildRules.Tag(build with { Args = b }, Project);
            return a.SequenceEqual(b) == (tagA == tagB) && tagA == ImageBuildRules.Tag(build with { Args = a }, Project);
        }, iter: 200);
    }

    [Test]
    public void Tag_AnyInputChanges_NewTag()
    {
        var build = new ImageBuildSettings { Context = "app" };
        var tags = new List<string> { ImageBuildRules.Tag(build, Project) };

        tags.Add(ImageBuildRules.Tag(build with { Target = "runtime" }, Project));
        tags.Add(ImageBuildRules.Tag(build with { Args = build.Args.Add("A", "1") }, Project));
        File.AppendAllText(Path.Combine(Project, "app", "app.py"), "print('changed')\n");
        tags.Add(ImageBuildRules.Tag(build, Project));
        Directory.CreateDirectory(Path.Combine(Project, "app", "static"));
        File.WriteAllText(Path.Combine(Project, "app", "static", "new.css"), string.Empty);
        tags.Add(ImageBuildRules.Tag(build, Project));
        File.Move(Path.Combine(Project, "app", "static", "new.css"), Path.Combine(Project, "app", "static", "renamed.css"));
        tags.Add(ImageBuildRules.Tag(build, Project));

        Assert.That(tags, Is.Unique);
    }
}
