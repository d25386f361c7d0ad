namespace StepScaledEcs.Tests;

/// <summary>
/// Pulumi runs a program in its project folder, where a stack's <c>service.build</c> context (e.g. <c>app</c>) is
/// found: the tests run the program there too.
/// </summary>
[SetUpFixture]
public sealed class ProjectDirectory
{
    private string? _previous;

    [OneTimeSetUp]
    public void EnterTheProject()
    {
        _previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = PulumiTestKit.RepoRoot();
    }

    [OneTimeTearDown]
    public void Leave() => Environment.CurrentDirectory = _previous ?? Environment.CurrentDirectory;
}
