using System.Text;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary>
/// The last line of defence for the CLI's stdout and stderr: everything written passes
/// <see cref="DiagnosticText.EscapeOutput"/>, so a control character, line separator or bidirectional control that a
/// message forgot to escape still never reaches the terminal raw. Per-value escaping (which also escapes <c>\n</c>)
/// stays the rule; this guard keeps the tool's own line structure.
/// </summary>
internal sealed class SafeWriter(TextWriter inner) : TextWriter
{
    // A high surrogate written alone waits for its low surrogate, so that a pair is judged as one character.
    private char? _high;

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    /// <summary>Wraps a writer once.</summary>
    public static TextWriter Guard(TextWriter writer) => writer is SafeWriter ? writer : new SafeWriter(writer);

    public override void Write(char value)
    {
        if (char.IsHighSurrogate(value))
        {
            Flush(null);
            _high = value;
            return;
        }

        Write(value.ToString());
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Flush(value);
        }
    }

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override void WriteLine() => Write(NewLine);

    public override void Flush()
    {
        Flush(null);
        inner.Flush();
    }

    private void Flush(string? value)
    {
        var text = _high is { } h ? h + (value ?? string.Empty) : value;
        _high = null;
        if (!string.IsNullOrEmpty(text))
        {
            inner.Write(DiagnosticText.EscapeOutput(text));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush(null);
        }

        base.Dispose(disposing);
    }
}
