using System.Text.RegularExpressions;

namespace StepScaling.Tests;

/// <summary>Rules live in Validation/: the config readers and the component only call them.</summary>
[TestFixture]
public partial class RuleLocationTests
{
    [GeneratedRegex(@"\b(bag|Bag|Diagnostic)\.(Error|Warning|Note)\(")]
    private static partial Regex RaisesADiagnostic();

    [TestCase("Components/StepScaling/Config")]
    [TestCase("Components/StepScaledEcs")]
    public void SourceFiles_OutsideValidation_RaiseNoDiagnosticThemselves(string folder)
    {
        var files = Directory.GetFiles(Path.Combine(Repo.Root, folder), "*.cs", SearchOption.TopDirectoryOnly);
        var raising = files.SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line.Trim())))
            .Where(l => RaisesADiagnostic().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text}");

        Assert.That(files, Is.Not.Empty);
        Assert.That(raising, Is.Empty, "call a rule function in Components/StepScaling/Validation instead");
    }
}
