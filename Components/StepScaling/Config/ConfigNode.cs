using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StepScaling.Config;

/// <summary>What a <see cref="ConfigNode"/> holds.</summary>
public enum ConfigNodeKind
{
    /// <summary>Key: value pairs.</summary>
    Object,

    /// <summary>A sequence of values.</summary>
    List,

    /// <summary>Text.</summary>
    Text,

    /// <summary>A number.</summary>
    Number,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A value another resource supplies, not known yet: present, checked when it resolves.</summary>
    Pending,
}

/// <summary>
/// One value of a config tree, as the config mapper reads it: a stack file's JSON (<see cref="FromJson"/>) or a
/// component's arguments (built with <see cref="Object"/>, <see cref="List"/>, <see cref="Text"/>, … by the
/// component). A null node is an unset value. A <see cref="ConfigNodeKind.Pending"/> node satisfies a required
/// key and keeps its place (an unknown key is still reported), but no rule reads its value.
/// </summary>
public abstract class ConfigNode
{
    /// <summary>A value another resource supplies, not known yet.</summary>
    public static readonly ConfigNode Pending = new Built(ConfigNodeKind.Pending, null, [], []);

    private protected ConfigNode()
    {
    }

    /// <summary>What the node holds.</summary>
    public abstract ConfigNodeKind Kind { get; }

    /// <summary>A scalar as text: the text itself, or a number or flag as JSON writes it (<c>5</c>, <c>true</c>); null otherwise.</summary>
    public abstract string? Scalar { get; }

    /// <summary>An object's entries in order (a null value is an explicit null); empty otherwise.</summary>
    public abstract IEnumerable<KeyValuePair<string, ConfigNode?>> Entries { get; }

    /// <summary>A list's items; empty otherwise.</summary>
    public abstract IReadOnlyList<ConfigNode?> Items { get; }

    /// <summary>An object's value for <paramref name="key"/> (null when absent or null); false when absent or not an object.</summary>
    public abstract bool TryGet(string key, out ConfigNode? value);

    /// <summary>Reads a parsed JSON value (stack config) as a config node; null for null.</summary>
    public static ConfigNode? FromJson(JsonNode? node) => node is null ? null : new Json(node);

    /// <summary>An object node.</summary>
    public static ConfigNode Object(IEnumerable<KeyValuePair<string, ConfigNode?>> entries) => new Built(ConfigNodeKind.Object, null, [.. entries], []);

    /// <summary>A list node.</summary>
    public static ConfigNode List(IEnumerable<ConfigNode?> items) => new Built(ConfigNodeKind.List, null, [], [.. items]);

    /// <summary>A text node.</summary>
    public static ConfigNode Text(string text) => new Built(ConfigNodeKind.Text, text, [], []);

    /// <summary>A number node.</summary>
    public static ConfigNode Number(double number) => new Built(ConfigNodeKind.Number, number.ToString("R", CultureInfo.InvariantCulture), [], []);

    /// <summary>A true-or-false node.</summary>
    public static ConfigNode Boolean(bool flag) => new Built(ConfigNodeKind.Boolean, flag ? "true" : "false", [], []);

    /// <summary>The node as compact JSON, a pending value as <c>&lt;pending&gt;</c>: for messages and tests.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Write(this, text);
        return text.ToString();
    }

    private static void Write(ConfigNode? node, StringBuilder text)
    {
        switch (node?.Kind)
        {
            case null:
                text.Append("null");
                break;
            case ConfigNodeKind.Text:
                text.Append(JsonSerializer.Serialize(node.Scalar));
                break;
            case ConfigNodeKind.Pending:
                text.Append("<pending>");
                break;
            case ConfigNodeKind.Object:
                text.Append('{');
                text.AppendJoin(',', node.Entries.Select(e => $"{JsonSerializer.Serialize(e.Key)}:{e.Value?.ToString() ?? "null"}"));
                text.Append('}');
                break;
            case ConfigNodeKind.List:
                text.Append('[');
                text.AppendJoin(',', node.Items.Select(i => i?.ToString() ?? "null"));
                text.Append(']');
                break;
            default:
                text.Append(node.Scalar);
                break;
        }
    }

    /// <summary>A node built in memory (a component's arguments).</summary>
    private sealed class Built(ConfigNodeKind kind, string? scalar, IReadOnlyList<KeyValuePair<string, ConfigNode?>> entries, IReadOnlyList<ConfigNode?> items) : ConfigNode
    {
        public override ConfigNodeKind Kind => kind;

        public override string? Scalar => scalar;

        public override IEnumerable<KeyValuePair<string, ConfigNode?>> Entries => entries;

        public override IReadOnlyList<ConfigNode?> Items => items;

        public override bool TryGet(string key, out ConfigNode? value)
        {
            foreach (var entry in entries)
            {
                if (entry.Key == key)
                {
                    value = entry.Value;
                    return true;
                }
            }

            value = null;
            return false;
        }
    }

    /// <summary>A node over parsed JSON (stack config).</summary>
    private sealed class Json(JsonNode node) : ConfigNode
    {
        public override ConfigNodeKind Kind => node switch
        {
            JsonObject => ConfigNodeKind.Object,
            JsonArray => ConfigNodeKind.List,
            JsonValue v when v.TryGetValue<string>(out _) => ConfigNodeKind.Text,
            JsonValue v => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? ConfigNodeKind.Boolean : ConfigNodeKind.Number,
            _ => ConfigNodeKind.Text,
        };

        public override string? Scalar => node is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;

        public override IEnumerable<KeyValuePair<string, ConfigNode?>> Entries =>
            node is JsonObject obj ? obj.Select(kv => KeyValuePair.Create(kv.Key, FromJson(kv.Value))) : [];

        public override IReadOnlyList<ConfigNode?> Items => node is JsonArray array ? [.. array.Select(FromJson)] : [];

        public override bool TryGet(string key, out ConfigNode? value)
        {
            var found = node is JsonObject obj && obj.TryGetPropertyValue(key, out var child) ? child : null;
            value = FromJson(found);
            return node is JsonObject o && o.ContainsKey(key);
        }

        public override string ToString() => node.ToJsonString();
    }
}
