using Pulumi.Experimental.Provider;

namespace StepScaledEcs.Provider;

/// <summary>
/// The component provider of the <c>step-scaled-ecs</c> package: the SDK's <see cref="ComponentProvider"/> (schema
/// from <see cref="ComponentAnalyzer"/>, Construct by deserialising the inputs into the args) with the schema
/// served from <see cref="PackageSchema"/>, which adds the real version and the descriptions.
/// </summary>
public sealed class StepScaledEcsProvider : ComponentProvider
{
    /// <summary>Creates the provider for <see cref="StepScaledEcsService"/>.</summary>
    /// <param name="version">The package version in the schema; the build's version by default.</param>
    public StepScaledEcsProvider(string? version = null)
        : base(typeof(StepScaledEcsService).Assembly, PackageSchema.Metadata(version ?? PackageSchema.Version), PackageSchema.ComponentTypes)
    {
        SchemaVersion = version ?? PackageSchema.Version;
    }

    private string SchemaVersion { get; }

    /// <inheritdoc />
    public override Task<GetSchemaResponse> GetSchema(GetSchemaRequest request, CancellationToken ct) =>
        Task.FromResult(new GetSchemaResponse { Schema = PackageSchema.Json(SchemaVersion) });
}
