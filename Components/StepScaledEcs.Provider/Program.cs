using StepScaledEcs.Provider;

// `pulumi package add` runs this program: it serves the schema and constructs the component (Provider.Serve, as
// ComponentProviderHost.Serve does, but with the package's real version and the XML docs as schema descriptions).
// `--schema [version]` prints the schema instead; the committed schema.json is its output without a version.
if (args is ["--schema", .. var rest])
{
    Console.Out.Write(PackageSchema.Json(rest.FirstOrDefault()));
    return 0;
}

await Pulumi.Experimental.Provider.Provider.Serve(args, PackageSchema.Version, _ => new StepScaledEcsProvider(), CancellationToken.None);
return 0;
