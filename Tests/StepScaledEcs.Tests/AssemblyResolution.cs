using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;

namespace StepScaledEcs.Tests;

/// <summary>
/// Deserializing a resource reference (the awsx components' outputs) makes the Pulumi SDK walk every assembly the
/// test host references, to find resource types, and fails on the first it cannot load. NUnit3TestAdapter 5 refers to
/// an assembly TestCentric.Metadata that it does not ship (its engine carries testcentric.engine.metadata instead), so
/// that name resolves to an empty assembly emitted here: it has no types, so the SDK finds nothing in it.
/// </summary>
[SetUpFixture]
public sealed class AssemblyResolution
{
    private const string TestCentricMetadata = "TestCentric.Metadata";

    [OneTimeSetUp]
    public void ResolveTestCentricMetadata() => AssemblyLoadContext.Default.Resolving += Resolve;

    [OneTimeTearDown]
    public void Detach() => AssemblyLoadContext.Default.Resolving -= Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, TestCentricMetadata, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // The runtime rejects dynamic assemblies here; a saved one loads like any file.
        var builder = new PersistedAssemblyBuilder(new AssemblyName(TestCentricMetadata) { Version = name.Version }, typeof(object).Assembly);
        builder.DefineDynamicModule(TestCentricMetadata);
        using var image = new MemoryStream();
        builder.Save(image);
        image.Position = 0;
        return context.LoadFromStream(image);
    }
}
