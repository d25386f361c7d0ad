using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>
/// <c>aws:region</c> against the regions the pinned provider knows. Pulumi's AWS provider skips its own static region
/// check unless told otherwise (<c>skipRegionValidation</c> defaults to true: @pulumi/aws 7.48.0
/// <c>config/vars.js</c>), so a mistyped region would surface only as an endpoint error at the first AWS call, naming
/// no config key. A region the table does not know is a warning, not an error: AWS opens new regions, and the
/// provider deliberately lets them through.
/// </summary>
public static class RegionRules
{
    /// <summary>The config key.</summary>
    public const string Key = "aws:region";

    /// <summary>
    /// The regions of @pulumi/aws 7.48.0 (<c>types/enums/index.d.ts</c>, <c>export declare const Region</c>), in the
    /// order listed there; Pulumi.Aws 7.48.0 for .NET is generated from the same schema.
    /// </summary>
    public static readonly ImmutableArray<string> Known =
    [
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
        "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
        "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
        "us-west-2", "cn-north-1", "cn-northwest-1", "eusc-de-east-1", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1",
        "us-isob-east-1", "us-isob-west-1", "eu-isoe-west-1", "us-isof-east-1", "us-isof-south-1",
    ];

    /// <summary>A region Pulumi.Aws does not list fails only at the first AWS call (the provider skips its region check).</summary>
    public static readonly Rule Unknown = new("region.unknown", Severity.Warning, "aws:region", "not a region Pulumi.Aws 7.48.0 knows", "Pulumi.Aws 7.48.0 Region enum; provider setting skipRegionValidation");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [Unknown];

    /// <summary>A warning when <paramref name="region"/> is not a region the provider knows; none when it is, or when no region is set.</summary>
    /// <param name="key">The key as written in the stack file (<c>aws:region</c>, or the older <c>aws:config:region</c>).</param>
    /// <param name="region">The value given.</param>
    public static ImmutableArray<Diagnostic> Check(string key, string? region)
    {
        if (region is null || Known.Contains(region, StringComparer.Ordinal))
        {
            return [];
        }

        var closest = Known.MinBy(k => Distance(k, region.Trim().ToLowerInvariant()))!;
        return
        [
            Diagnostic.Warning(Unknown, key, $"'{region}' is not a region Pulumi.Aws 7.48.0 knows; did you mean '{closest}'? The provider skips its own region check (skipRegionValidation defaults to true), so a wrong region fails only at the first AWS call, with an endpoint error that names no config key. A region newer than the provider is fine"),
        ];
    }

    /// <summary>The Levenshtein distance: insertions, deletions and substitutions that turn one text into the other.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
