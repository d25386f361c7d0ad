using StepScaling.Validation;

namespace StepScaling.Tests;

/// <summary>Echoed keys and values cannot break an output line, reorder it or hide text.</summary>
public class DiagnosticTextTests
{
    [TestCase("plain text, 70–85 % → +1", "plain text, 70–85 % → +1")]
    [TestCase("a\nwarning: forged", "a\\nwarning: forged")]
    [TestCase("a\r\nb\tc", "a\\r\\nb\\tc")]
    [TestCase("x\u2028y\u2029z", "x\\u2028y\\u2029z")]
    [TestCase("abc\u202Edef", "abc\\u202Edef")]
    [TestCase("\u2066iso\u2069 \u200E\u200F\u061C", "\\u2066iso\\u2069 \\u200E\\u200F\\u061C")]
    [TestCase("\u001B[31mred\u001B[0m", "\\u001B[31mred\\u001B[0m")]
    [TestCase("nul\0del\u007Fc1\u0085", "nul\\u0000del\\u007Fc1\\u0085")]
    [TestCase("zero\u200Bwidth\uFEFF", "zero\\u200Bwidth\\uFEFF")]
    [TestCase("emoji 🙂 stays", "emoji 🙂 stays")]
    public void Escape_UnsafeCharacters_AreWrittenAsEscapes(string text, string expected)
    {
        Assert.That(DiagnosticText.Escape(text), Is.EqualTo(expected));
    }

    [Test]
    public void Escape_LoneSurrogate_WrittenAsEscape()
    {
        // Built in code: an attribute argument cannot hold a lone surrogate.
        var text = "lone " + (char)0xD800 + " surrogate";

        Assert.That(DiagnosticText.Escape(text), Is.EqualTo("lone \\uD800 surrogate"));
    }

    [Test]
    public void Escape_AstralFormatCharacter_WrittenAsLongEscape()
    {
        Assert.That(DiagnosticText.Escape("tag\U000E0041"), Is.EqualTo("tag\\U000E0041"));
    }

    [Test]
    public void Diagnostic_PathAndMessageWithNewlines_EscapedHoweverMade()
    {
        var made = Diagnostic.Error("service.a\nwarning: x", "unknown key 'a\nwarning: x'");
        var copied = made with { Message = "b\u2028c" };

        Assert.That(made.ToString(), Is.EqualTo("error: service.a\\nwarning: x: unknown key 'a\\nwarning: x'"));
        Assert.That(copied.Message, Is.EqualTo("b\\u2028c"));
        Assert.That(new StepScalingValidationException([made]).Message.Split('\n'), Has.Length.EqualTo(2));
    }
}
