using StepScaling.Validation;

namespace StepScaling.Import;

/// <summary>
/// The one rule for a field the input leaves out (a field present but unusable is already an error, from
/// <see cref="InputObject"/>): where AWS has a default, the import writes it and says so in a note; where AWS
/// requires the field, it is an error. Nothing is written in a missing value's place without a word.
/// </summary>
internal static class ImportRules
{
    /// <summary>The value, or AWS's default with a note that says so.</summary>
    /// <param name="value">The value read, or null when the input leaves it out.</param>
    /// <param name="awsDefault">What AWS uses when the field is not set.</param>
    /// <param name="field">The field, as AWS names it.</param>
    /// <param name="where">The item, for the note.</param>
    /// <param name="findings">Where the note goes.</param>
    /// <param name="shown">The default as AWS spells it, when that differs from its .NET name.</param>
    public static T Defaulted<T>(T? value, T awsDefault, string field, string where, List<Diagnostic> findings, string? shown = null)
        where T : struct
    {
        if (value is { } v)
        {
            return v;
        }

        findings.Add(Diagnostic.Note(where, $"{field} is not set, so AWS uses its default, {shown ?? awsDefault.ToString()}; written as {shown ?? awsDefault.ToString()}"));
        return awsDefault;
    }

    /// <summary>The value, or an error that AWS requires the field (and null).</summary>
    /// <param name="value">The value read, or null when the input leaves it out.</param>
    /// <param name="field">The field, as AWS names it.</param>
    /// <param name="why">The AWS rule that requires it, in a few words.</param>
    /// <param name="where">The item, for the error.</param>
    /// <param name="findings">Where the error goes.</param>
    public static T? Required<T>(T? value, string field, string why, string where, List<Diagnostic> findings)
        where T : struct
    {
        if (value is null)
        {
            findings.Add(Diagnostic.Error(where, $"{field} is not set, and AWS has no default for it ({why}): nothing can be written in its place"));
        }

        return value;
    }
}
