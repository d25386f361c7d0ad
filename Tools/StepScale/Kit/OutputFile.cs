using System.Text;
using StepScaling.Validation;

namespace StepScale.Cli;

/// <summary>Files the tool writes (a trace, a stack file): UTF-8 without BOM, the folder created.</summary>
internal static class OutputFile
{
    /// <summary>Writes a file the tool made, creating its folder; false with the reason on stderr.</summary>
    public static bool Write(string path, string text, TextWriter stderr)
    {
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllText(path, text, new UTF8Encoding(false));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"error: {DiagnosticText.Escape(path)}: cannot write: {DiagnosticText.Escape(e.Message)}");
            return false;
        }
    }
}
