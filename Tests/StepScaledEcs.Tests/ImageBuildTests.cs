using Pulumi;
using StepScaling.Config;
using StepScaling.Validation;
using static StepScaledEcs.Tests.Inputs;

namespace StepScaledEcs.Tests;

/// <summary>
/// The program with <c>service.build</c>: an ECR repository with its production defaults, the image built and pushed
/// with awsx, and the service running the pushed image by digest. The build itself is awsx's (mocked here).
/// </summary>
[TestFixture]
[NonParallelizable] // Pulumi's Deployment is process-global: mock tests must run one at a time.
public sealed class ImageBuildTests
{
    private const string RepositoryType = "awsx:ecr:Repository";
    private const string ImageType = "awsx:ecr:Image";
    private const string TaskDefinitionType = "aws:ecs/taskDefinition:TaskDefinition";

    [TearDown]
    public void ClearConfig() => Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);

    private static async Task<PulumiTestKit> RunAsync(string projectKeys, PulumiTestKit? kit = null, bool preview = false)
    {
        var yaml = "config:\n  aws:region: eu-west-1\n" + string.Join('\n', projectKeys.Split('\n').Select(l => l.Length == 0 || char.IsWhiteSpace(l[0]) ? "  " + l : "  step-scaled-ecs:" + l));
        PulumiTestKit.UseStackConfig(StackFile.Parse(yaml, "Pulumi.test.yaml", PulumiTestKit.Project));
        kit ??= new PulumiTestKit();
        await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("test", preview), StackProgram.Run);
        return kit;
    }

    [Test]
    public async Task Run_Build_RepositoryScansOnPushImmutableTagsKeepsTheLastTenAes256AndNoForceDelete()
    {
        var kit = await RunAsync("service:\n  name: web\n  build: app");

        var repository = kit.OfType(RepositoryType).Single();
        Assert.That(repository.Name, Is.EqualTo("web-images"));
        Assert.That(Dict(repository.Input("imageScanningConfiguration")!)["scanOnPush"], Is.EqualTo(true), "Security Hub ECR.1");
        Assert.That(repository.Input("imageTagMutability"), Is.EqualTo("IMMUTABLE"), "Security Hub ECR.2");
        var rule = Dicts(Dict(repository.Input("lifecyclePolicy")!)["rules"]).Single();
        Assert.That((rule["tagStatus"], Strings(rule["tagPrefixList"]).Single(), rule["maximumNumberOfImages"]), Is.EqualTo(("tagged", ImageBuildRules.TagPrefix, 10.0)), "Security Hub ECR.3: the newest 10 pushed images");
        Assert.That(Dicts(repository.Input("encryptionConfigurations")).Single().ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["encryptionType"] = "AES256" }));
        Assert.That(repository.Input("forceDelete"), Is.EqualTo(false));
        Assert.That(Dict(repository.Input("tags")!)["service"], Is.EqualTo("web"));
    }

    [Test]
    public async Task Run_BuildWithRepositorySettings_KmsKeyKeepImagesAndForceDelete()
    {
        var kit = await RunAsync($"service:\n  build: {{ context: app, repository: {{ keepImages: 3, kmsKeyArn: \"{StackCase.KeyArn}\", forceDelete: true }} }}");

        var repository = kit.OfType(RepositoryType).Single();
        Assert.That(Dicts(repository.Input("encryptionConfigurations")).Single().ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["encryptionType"] = "KMS", ["kmsKey"] = StackCase.KeyArn }), "Security Hub ECR.5");
        Assert.That(Dicts(Dict(repository.Input("lifecyclePolicy")!)["rules"]).Single()["maximumNumberOfImages"], Is.EqualTo(3.0));
        Assert.That(repository.Input("forceDelete"), Is.EqualTo(true));
    }

    [Test]
    public async Task Run_Build_ImageBuiltFromTheContextForAmd64AndTaggedByItsInputs()
    {
        var kit = await RunAsync("service:\n  name: web\n  build: { context: app, args: { GREETING: hello } }");

        var image = kit.OfType(ImageType).Single();
        Assert.That(image.Input("repositoryUrl"), Is.EqualTo(PulumiTestKit.RepositoryUrl("web-images")));
        Assert.That((image.Input("context"), image.Input("dockerfile"), image.Input("platform"), image.Input("target")), Is.EqualTo(("app", "app/Dockerfile", "linux/amd64", (object?)null)));
        Assert.That(Dict(image.Input("args")!).ToDictionary(), Is.EquivalentTo(new Dictionary<string, object> { ["GREETING"] = "hello" }));
        var build = new ImageBuildSettings { Context = "app", Args = ImageBuildSettings.EmptyArgs.Add("GREETING", "hello") };
        Assert.That(image.Input("imageTag"), Is.EqualTo(ImageBuildRules.Tag(build, PulumiTestKit.RepoRoot())));
    }

    [Test]
    public async Task Run_Build_TheTaskDefinitionRunsThePushedImageByDigest()
    {
        var kit = await RunAsync("service:\n  name: web\n  build: app");

        var container = Container(kit.OfType(TaskDefinitionType).Single());
        Assert.That(container.GetProperty("image").GetString(), Is.EqualTo($"{PulumiTestKit.RepositoryUrl("web-images")}@{PulumiTestKit.ImageDigest}"));
    }

    [Test]
    public async Task Run_DevStack_BuildsAppAndRunsItByDigestWithItsHealthCheck()
    {
        PulumiTestKit.UseStackConfig(StackFile.Load(System.IO.Path.Combine(PulumiTestKit.RepoRoot(), "Pulumi.dev.yaml")));
        var kit = new PulumiTestKit();
        await Deployment.TestAsync(kit.Mocks.Object, PulumiTestKit.Options("dev", preview: false), StackProgram.Run);

        Assert.That(kit.OfType(RepositoryType).Single().Input("forceDelete"), Is.EqualTo(true), "a dev stack destroys its repository");
        Assert.That(kit.OfType(ImageType).Single().Input("context"), Is.EqualTo("app"));
        var container = Container(kit.OfType(TaskDefinitionType).Single());
        Assert.That(container.GetProperty("image").GetString(), Is.EqualTo($"{PulumiTestKit.RepositoryUrl("web-images")}@{PulumiTestKit.ImageDigest}"));
        Assert.That(container.GetProperty("user").GetString(), Is.EqualTo("10001:10001"), "app/Dockerfile's user");
        Assert.That(container.GetProperty("healthCheck").GetProperty("command").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "CMD", "python3", "/srv/app/healthcheck.py" }));
        Assert.That(File.Exists(System.IO.Path.Combine(PulumiTestKit.RepoRoot(), "app", "healthcheck.py")), Is.True, "the health check runs a file the image has");
        var targetGroup = Dict(kit.OfType("awsx:lb:ApplicationLoadBalancer").Single().Input("defaultTargetGroup")!);
        Assert.That(Dict(targetGroup["healthCheck"])["path"], Is.EqualTo("/health"), "the ALB checks the app's health endpoint");
    }

    [Test]
    public void Run_PushedImageNotByDigest_FailsWithTheRuleAndNoTaskRunsIt()
    {
        var kit = new PulumiTestKit { ImageUriByTag = true };

        var error = Assert.CatchAsync(() => RunAsync("service:\n  name: web\n  build: app", kit));

        var errors = error is AggregateException aggregate ? aggregate.InnerExceptions : [error!];
        Assert.That(errors, Has.All.InstanceOf<RunException>());
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains("error: service.build: the imageUri of awsx:ecr:Image must be the pushed image by digest (repository@sha256:…)"));
        Assert.That(kit.OfType(TaskDefinitionType).Select(t => Container(t).GetProperty("image").GetString()), Has.None.Contains(":src-"), "no task definition names the image by tag");
    }

    [Test]
    public async Task Run_Image_NoRepositoryNoBuild()
    {
        var kit = await RunAsync("service:\n  image: public.ecr.aws/nginx/nginx-unprivileged:stable");

        Assert.That(kit.Resources.Where(r => r.Type.StartsWith("awsx:ecr:", StringComparison.Ordinal)), Is.Empty);
        Assert.That(Container(kit.OfType(TaskDefinitionType).Single()).GetProperty("image").GetString(), Is.EqualTo("public.ecr.aws/nginx/nginx-unprivileged:stable"));
        var targetGroup = Dict(kit.OfType("awsx:lb:ApplicationLoadBalancer").Single().Input("defaultTargetGroup")!);
        Assert.That(Dict(targetGroup["healthCheck"])["path"], Is.EqualTo("/"), "the target group's default path");
    }

    [TestCase("service:\n  image: nginx:stable\n  build: app", "service.build: " + ImageBuildRules.ImageAndBuild)]
    [TestCase("service:\n  build: no-such-dir", "service.build.context: must be a directory under the project")]
    [TestCase("service:\n  build: { context: app, platform: linux/arm64 }", "service.build.platform: must be linux/amd64")]
    public void Run_BadBuild_ErrorBeforeAnyResource(string projectKeys, string expected)
    {
        var kit = new PulumiTestKit();

        var error = Assert.CatchAsync(() => RunAsync(projectKeys, kit, preview: true));

        Assert.That(error, Is.InstanceOf<RunException>());
        Assert.That(error!.Message, Does.Contain(expected));
        Assert.That(kit.Resources, Is.Empty, "nothing is registered before the config is valid");
    }

    [Test]
    public async Task Run_BuildInPreview_RepositoryImageAndComponentRegistered()
    {
        var kit = await RunAsync("service:\n  name: web\n  build: app", preview: true);

        Assert.That(kit.OfType(ImageType), Has.Count.EqualTo(1));
        Assert.That(kit.OfType("step-scaled-ecs:index:StepScaledEcsService"), Has.Count.EqualTo(1));
    }
}
