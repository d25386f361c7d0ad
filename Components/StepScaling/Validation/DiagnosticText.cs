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
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var first = FirstUnsafe(text);
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

            if (!IsUnsafe(c))
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

    private static int FirstUnsafe(string text)
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

            if (IsUnsafe(c))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Format or UnicodeCategory.Surrogate;
}
