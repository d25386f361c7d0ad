using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StepScaling.Config;

/// <summary>
/// How Pulumi reads a stack file's values: the Pulumi CLI decodes it with gopkg.in/yaml.v3 (v3.0.1) into Go values
/// (<c>resolve.go</c>: <c>resolve</c>, <c>decode.go</c>: <c>scalar</c>), and hands the program each config value as
/// text, objects as JSON (pulumi/pulumi <c>sdk/go/common/resource/config/object.go</c>: <c>unmarshalObject</c>,
/// <c>MarshalString</c>). A value Pulumi reads in a way a reader would not expect (an octal <c>010</c>, an unquoted
/// date, a custom tag) or cannot pass on (<c>.inf</c>, a tag that contradicts its value) is rejected with a message
/// that says how Pulumi reads it.
/// </summary>
internal static partial class PulumiYaml
{
    private const string YamlTagPrefix = "tag:yaml.org,2002:";

    /// <summary>A scalar as Pulumi reads it: the JSON value, and the problem when the file should say it differently.</summary>
    /// <param name="scalar">The scalar node.</param>
    /// <returns>The value (null for YAML null), and null or the message of an error.</returns>
    public static (JsonNode? Value, string? Error) Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? string.Empty : scalar.Tag.Value;
        if (tag.StartsWith(YamlTagPrefix, StringComparison.Ordinal))
        {
            tag = "!!" + tag[YamlTagPrefix.Length..];
        }

        // yaml.v3 Node.indicatedString: a !!str tag, or a quoted or block scalar without a tag, is text as written.
        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
        // A plain scalar with the non-specific tag '!' is text too (yaml.v3 resolves no tag '!').
        if (tag is "!!str" or "!" || (quoted && tag.Length == 0))
        {
            return (JsonValue.Create(text), null);
        }

        if (tag == "!!binary")
        {
            // yaml.v3 decodes !!binary and passes the bytes on as text ("!!binary value contains invalid base64 data" otherwise).
            var bytes = new byte[text.Length];
            return System.Convert.TryFromBase64String(string.Concat(text.Where(c => !char.IsWhiteSpace(c))), bytes, out var written)
                ? (JsonValue.Create(System.Text.Encoding.UTF8.GetString(bytes, 0, written)), null)
                : (JsonValue.Create(text), "is tagged !!binary but is not base64, so Pulumi cannot load the stack file; remove the tag or fix the value");
        }

        if (tag is not ("" or "!!int" or "!!float" or "!!bool" or "!!null" or "!!timestamp"))
        {
            // yaml.v3 resolves no other tag: Pulumi passes the value on as text and the tag is lost.
            return (JsonValue.Create(text), $"has the YAML tag '{scalar.Tag.Value}', which Pulumi ignores: it reads the value as the text {Quote(text)}; remove the tag");
        }

        var resolved = Resolve(text, timestamps: tag is "" or "!!timestamp");
        if (tag.Length > 0 && tag != resolved.Tag && !(tag == "!!float" && resolved.Tag == "!!int"))
        {
            // yaml.v3: "cannot decode !!str `abc` as a !!int"; Pulumi refuses the whole stack file.
            return (JsonValue.Create(text), $"is tagged {tag} but {Quote(text)} reads as {resolved.Tag}, so Pulumi cannot load the stack file; remove the tag or fix the value");
        }

        return resolved.Tag switch
        {
            "!!null" => (null, null),
            "!!bool" => (JsonValue.Create(resolved.Bool), null),
            "!!int" when resolved.LegacyOctal =>
                (JsonNode.Parse(resolved.Integer.ToString(CultureInfo.InvariantCulture)),
                 $"is {text}, which Pulumi reads as an octal number ({text} = {resolved.Integer.ToString(CultureInfo.InvariantCulture)}), as YAML 1.1 did; write {resolved.Integer.ToString(CultureInfo.InvariantCulture)}, or quote it (\"{text}\") for text"),
            "!!int" when tag == "!!float" => (JsonNode.Parse(GoJsonFloat((double)resolved.Integer)), null),
            "!!int" => (JsonNode.Parse(resolved.Integer.ToString(CultureInfo.InvariantCulture)), null),
            "!!float" when !double.IsFinite(resolved.Float) =>
                (JsonValue.Create(text), $"is {text}, which Pulumi reads as a float that JSON cannot hold, so Pulumi cannot load the stack file; use a finite number"),
            "!!float" => (JsonNode.Parse(GoJsonFloat(resolved.Float)), null),
            "!!timestamp" => (JsonValue.Create(text), $"is an unquoted date, which Pulumi reads as a timestamp and passes on reformatted (as '2006-01-02 15:04:05 +0000 UTC'); quote it (\"{text}\") to keep the text"),
            _ => (JsonValue.Create(text), null),
        };
    }

    /// <summary>
    /// A mapping key inside a value as Pulumi passes it on: a key that YAML types as a number, a boolean or null is
    /// formatted by Go (<c>fmt.Sprintf("%v", key)</c>), so it is rejected unless that is the text as written.
    /// </summary>
    public static (string Key, string? Error) Key(YamlNode node)
    {
        if (node is not YamlScalarNode scalar)
        {
            return (node.ToString(), null);
        }

        var text = scalar.Value ?? string.Empty;
        var (value, error) = Scalar(scalar);
        if (error is not null)
        {
            return (text, error);
        }

        if (value is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return (s, null);
        }

        var goText = value switch
        {
            null => "<nil>",
            JsonValue b when b.TryGetValue<bool>(out var flag) => flag ? "true" : "false",
            JsonValue n when IntegerRegex().IsMatch(n.ToJsonString()) => n.ToJsonString(),
            _ => null,
        };
        return goText == text
            ? (text, null)
            : (text, $"the key {Quote(text)} is read by Pulumi as {(goText is null ? "a number" : $"'{goText}'")}, not as the text written; quote it");
    }

    private static string Quote(string text) => $"'{text}'";

    /// <summary>Whether Pulumi reads <paramref name="text"/>, written as a plain scalar, as that same text.</summary>
    internal static bool ReadsAsText(string text) => text.Length > 0 && Resolve(text, timestamps: true).Tag == "!!str";

    /// <summary>yaml.v3's <c>resolve</c> for a plain scalar: null, bool, int, float, timestamp or string.</summary>
    private static Resolved Resolve(string text, bool timestamps)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return new Resolved("!!null");
            case "true" or "True" or "TRUE":
                return new Resolved("!!bool") { Bool = true };
            case "false" or "False" or "FALSE":
                return new Resolved("!!bool");
            case ".nan" or ".NaN" or ".NAN":
                return new Resolved("!!float") { Float = double.NaN };
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return new Resolved("!!float") { Float = double.PositiveInfinity };
            case "-.inf" or "-.Inf" or "-.INF":
                return new Resolved("!!float") { Float = double.NegativeInfinity };
        }

        var first = text[0];
        if (first == '.')
        {
            // Go's ParseFloat on text starting with '.': ".5", ".5e3".
            return GoDecimalRegex().IsMatch(text) ? new Resolved("!!float") { Float = double.Parse(text, CultureInfo.InvariantCulture) } : new Resolved("!!str");
        }

        if (first is not ('+' or '-' or (>= '0' and <= '9')))
        {
            return new Resolved("!!str");
        }

        if (timestamps && TimestampRegex().Match(text) is { Success: true } date
            && DateTime.TryParseExact(date.Groups["date"].Value, ["yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return new Resolved("!!timestamp");
        }

        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (GoInteger(plain, out var integer, out var legacyOctal) && integer >= -(BigInteger.One << 63) && integer < (BigInteger.One << 64))
        {
            return new Resolved("!!int") { Integer = integer, LegacyOctal = legacyOctal };
        }

        // Go's ParseFloat fails on overflow (1e400), and yaml.v3 then keeps the text.
        if (YamlFloatRegex().IsMatch(plain) && double.Parse(plain, NumberStyles.Float, CultureInfo.InvariantCulture) is var f && double.IsFinite(f))
        {
            return new Resolved("!!float") { Float = f };
        }

        return new Resolved("!!str");
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c> syntax: a sign, then 0b/0o/0x digits, a leading-0 octal, or decimal.</summary>
    private static bool GoInteger(string s, out BigInteger value, out bool legacyOctal)
    {
        value = BigInteger.Zero;
        legacyOctal = false;
        var negative = s.StartsWith('-');
        var body = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
        if (body.Length == 0)
        {
            return false;
        }

        var (radix, digits) = body.Length > 2 && body[0] == '0' && body[1] is 'b' or 'B' or 'o' or 'O' or 'x' or 'X'
            ? (char.ToLowerInvariant(body[1]) switch { 'b' => 2, 'o' => 8, _ => 16 }, body[2..])
            : body.Length > 1 && body[0] == '0' ? (8, body[1..]) : (10, body);
        legacyOctal = radix == 8 && !(body.Length > 1 && body[1] is 'o' or 'O');
        foreach (var c in digits)
        {
            var d = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : 99;
            if (d >= radix)
            {
                legacyOctal = false;
                return false;
            }

            value = (value * radix) + d;
        }

        value = negative ? -value : value;
        return true;
    }

    /// <summary>A float as Go's encoding/json writes it: shortest digits, plain between 1e-6 and 1e21, else e-notation.</summary>
    internal static string GoJsonFloat(double d)
    {
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = r.StartsWith('-');
        r = r.TrimStart('-');
        var e = r.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? r : r[..e];
        var exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = (point < 0 ? mantissa : mantissa.Remove(point, 1)).TrimStart('0');
        var dp = (point < 0 ? mantissa.Length : point) + exponent - ((point < 0 ? mantissa : mantissa.Remove(point, 1)).Length - digits.Length);
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return negative ? "-0" : "0";
        }

        var abs = Math.Abs(d);
        string body;
        if (abs < 1e-6 || abs >= 1e21)
        {
            var exp = dp - 1;
            var expText = Math.Abs(exp).ToString(CultureInfo.InvariantCulture);
            // Go writes at least two exponent digits, then encoding/json shortens e-07 to e-7.
            expText = exp < 0 ? expText : expText.PadLeft(2, '0');
            body = (digits.Length == 1 ? digits : digits[0] + "." + digits[1..]) + "e" + (exp < 0 ? "-" : "+") + expText;
        }
        else
        {
            body = dp <= 0 ? "0." + new string('0', -dp) + digits
                : dp >= digits.Length ? digits + new string('0', dp - digits.Length)
                : digits[..dp] + "." + digits[dp..];
        }

        return negative ? "-" + body : body;
    }

    private sealed record Resolved(string Tag)
    {
        public bool Bool { get; init; }

        public BigInteger Integer { get; init; }

        public bool LegacyOctal { get; init; }

        public double Float { get; init; }
    }

    [GeneratedRegex(@"^-?[0-9]+$")]
    private static partial Regex IntegerRegex();

    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?$")]
    private static partial Regex GoDecimalRegex();

    // yaml.v3 resolve.go, yamlStyleFloat.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlFloatRegex();

    // yaml.v3 allowedTimestampFormats: 2006-1-2, 2006-1-2 15:4:5.999999999, 2006-1-2T15:4:5.999999999Z07:00 (or 't').
    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})( [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]{1,9})?|[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]{1,9})?(Z|[-+][0-9]{2}:[0-9]{2}))?$")]
    private static partial Regex TimestampRegex();
}
