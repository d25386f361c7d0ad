using System.Globalization;
using System.Text;

namespace StepScaling.Validation;

/// <summary>
/// The one escaping function for text that a message echoes: a key or a value from a stack file must never start a
/// new output line, reorder the line (bidirectional controls) or hide text, so that it cannot forge an
/// <c>error:</c> or <c>warning:</c> line.
/// </summary>
public static class DiagnosticText
{
    /// <summary>
    /// Escapes control characters (<c>\n</c>, <c>\r</c>, <c>\t</c>, ESC, DEL, C1), line and paragraph separators
    /// (U+2028, U+2029), format characters (bidirectional controls such as U+202E, zero-width characters, U+FEFF) and
    /// lone surrogates as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>; every other character is kept.
    /// </summary>
    /// <param name="text">The text; null reads as empty.</param>
    public static string Escape(string? text) => EscapeCore(text, keepLayout: false);

    /// <summary>
    /// The same rule for a whole output stream (the CLI's stdout and stderr, files it writes): the tool's own line
    /// structure, <c>\n</c> and <c>\t</c> (and <c>\r</c> just before <c>\n</c>), is kept; every other character
    /// <see cref="Escape(string?)"/> escapes is escaped, so nothing that slipped past a per-value escape reaches a terminal raw.
    /// </summary>
    /// <param name="text">The text; null reads as empty.</param>
    public static string EscapeOutput(string? text) => EscapeCore(text, keepLayout: true);

    /// <summary>True when <paramref name="text"/> holds a character the rule escapes (other than line structure with <paramref name="keepLayout"/>).</summary>
    public static bool IsSafe(string? text, bool keepLayout = false) => string.IsNullOrEmpty(text) || FirstUnsafe(text, keepLayout) < 0;

    private static string EscapeCore(string? text, bool keepLayout)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var first = FirstUnsafe(text, keepLayout);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
                if (category == UnicodeCategory.Format)
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\U{char.ConvertToUtf32(c, text[i + 1]):X8}");
                }
                else
                {
                    builder.Append(c).Append(text[i + 1]);
                }

                i++;
                continue;
            }

            if (!IsUnsafe(c) || (keepLayout && IsLayout(text, i)))
            {
                builder.Append(c);
                continue;
            }

            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
            });
        }

        return builder.ToString();
    }

    private static int FirstUnsafe(string text, bool keepLayout)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(text, i) == UnicodeCategory.Format)
                {
                    return i;
                }

                i++;
                continue;
            }

            if (IsUnsafe(c) && !(keepLayout && IsLayout(text, i)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A line break or tab the tool itself writes: <c>\n</c>, <c>\t</c>, or <c>\r</c> directly before <c>\n</c>.</summary>
    private static bool IsLayout(string text, int i) =>
        text[i] is '\n' or '\t' || (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n');

    private static bool IsUnsafe(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Format or UnicodeCategory.Surrogate;
}
