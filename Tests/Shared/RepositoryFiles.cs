namespace StepScaling.Testing;

/// <summary>
/// The repository's own files: the stacks under test live at its root, beside Pulumi.yaml. One copy, linked into
/// every test project.
/// </summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No folder above the test directory holds Pulumi.yaml.");
    });

    /// <summary>The repository root.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The path of <c>Pulumi.&lt;stack&gt;.yaml</c> at the root.</summary>
    public static string Stack(string stack) => Path.Combine(Root, $"Pulumi.{stack}.yaml");
}
