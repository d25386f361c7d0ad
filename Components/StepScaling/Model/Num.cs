using System.Globalization;

namespace StepScaling.Model;

/// <summary>Number rules shared by every layer: one range, one formatting, exact double arithmetic for bounds lives in DoubleEdges.</summary>
public static class Num
{
    /// <summary>
    /// The largest magnitude accepted for thresholds, edges and bounds. No CloudWatch metric the service scales on
    /// reads near it, and it keeps the analysis' demand axis (edge × capacity ÷ load ratio) finite.
    /// </summary>
    public const double MaxMagnitude = 1e15;

    /// <summary>True for a finite number within ±<see cref="MaxMagnitude"/>.</summary>
    public static bool IsUsable(double value) => double.IsFinite(value) && Math.Abs(value) <= MaxMagnitude;

    /// <summary>A count with its noun, plural when not 1: <c>1 task</c>, <c>3 tasks</c>, <c>2 policies</c>.</summary>
    public static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : noun.EndsWith('y') ? $"{n} {noun[..^1]}ies" : $"{n} {noun}s";

    /// <summary>A number in the invariant culture, shortest round-trip form: <c>10</c>, <c>12.5</c>, <c>-0.25</c>.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A bound for display: the number, or <c>-inf</c>/<c>+inf</c> when null.</summary>
    public static string FormatBound(double? value, bool isLower) =>
        value is { } v ? Format(v) : isLower ? "-inf" : "+inf";

    /// <summary>A signed adjustment for display: <c>+2</c>, <c>-1</c>.</summary>
    public static string Signed(int value) => value.ToString("+0;-0;0", CultureInfo.InvariantCulture);

    /// <summary>An integer in the invariant culture.</summary>
    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A half-open interval for messages: <c>[20, 35)</c>, <c>(-inf, 0]</c>.</summary>
    public static string Interval(double? lower, double? upper, bool lowerInclusive = true, bool upperInclusive = false) =>
        (lower is null ? "(" : lowerInclusive ? "[" : "(") + FormatBound(lower, true) + ", " + FormatBound(upper, false)
        + (upper is null ? ")" : upperInclusive ? "]" : ")");
}
