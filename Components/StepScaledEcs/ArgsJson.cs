using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulumi;

namespace StepScaledEcs;

/// <summary>
/// Reads stack config's JSON into the argument types (<see cref="ServiceArgs"/>, <see cref="ScalingArgs"/>, …), by
/// their <see cref="InputAttribute"/> names. It knows no field and no rule: the args have the config's shape. The
/// component reads args back with <see cref="ArgsConfig"/>, straight into the config mapper.
/// </summary>
public static class ArgsJson
{
    /// <summary>
    /// Reads one config section (JSON text, as Pulumi hands an object to a program) into plain args; null when the
    /// key is absent. Call it after the config mapper has accepted the values: it reads, it does not validate.
    /// </summary>
    /// <typeparam name="T">The args type, e.g. <see cref="ServiceArgs"/>.</typeparam>
    /// <param name="values">Config values by key, without the project namespace.</param>
    /// <param name="key">The section's key, e.g. <c>service</c>.</param>
    /// <exception cref="FormatException">The section does not have the args' shape.</exception>
    public static T? FromConfig<T>(IReadOnlyDictionary<string, string> values, string key)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!values.TryGetValue(key, out var text))
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{key}: is not valid JSON: {e.Message}", e);
        }

        return (T?)Read(node, typeof(T), key);
    }

    private static object? Read(JsonNode? node, Type type, string path)
    {
        if (node is null)
        {
            return null;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(Input<string>) || target == typeof(InputList<string>) || target == typeof(InputMap<string>))
        {
            return ReadInput(node, target, path);
        }

        if (target == typeof(string) || target == typeof(int) || target == typeof(double) || target == typeof(bool))
        {
            return ReadScalar(node, target, path);
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>) && node is JsonArray array)
        {
            return ReadList(array, target, path);
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(Dictionary<,>) && node is JsonObject map)
        {
            return ReadDictionary(map, target, path);
        }

        return typeof(ResourceArgs).IsAssignableFrom(target) ? ReadArgs(node, target, path) : Fail(node, target, path);
    }

    /// <summary>A config value is known: an input property reads it as its plain value.</summary>
    private static object? ReadInput(JsonNode node, Type target, string path)
    {
        if (target == typeof(Input<string>))
        {
            return Read(node, typeof(string), path) is string text ? (Input<string>)text : null;
        }

        if (target == typeof(InputList<string>))
        {
            return Read(node, typeof(List<string>), path) is List<string> items ? (InputList<string>)items : null;
        }

        return Read(node, typeof(Dictionary<string, string>), path) is Dictionary<string, string> entries ? (InputMap<string>)entries : null;
    }

    /// <summary>Text, a number or a flag; a number or a flag may come as text, as YAML config gives it.</summary>
    private static object ReadScalar(JsonNode node, Type target, string path)
    {
        if (target == typeof(string))
        {
            // Text where YAML typed a scalar (`name: 123`), as the config mapper reads it.
            return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node is JsonValue ? node.ToJsonString() : Fail(node, target, path);
        }

        if (target == typeof(bool))
        {
            return node is JsonValue bv && bv.TryGetValue<bool>(out var b) ? b
                : node is JsonValue sv && sv.TryGetValue<string>(out var text) && bool.TryParse(text, out var pb) ? pb
                : Fail(node, target, path);
        }

        var number = node is JsonValue nv && nv.TryGetValue<double>(out var d) ? d
            : node is JsonValue tv && tv.TryGetValue<string>(out var t) && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : double.NaN;
        return double.IsNaN(number) ? Fail(node, target, path) : target == typeof(int) ? (object)checked((int)number) : number;
    }

    private static IList ReadList(JsonArray array, Type target, string path)
    {
        var item = target.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(target)!;
        for (var i = 0; i < array.Count; i++)
        {
            list.Add(Read(array[i], item, $"{path}[{i}]"));
        }

        return list;
    }

    private static IDictionary ReadDictionary(JsonObject map, Type target, string path)
    {
        var valueType = target.GetGenericArguments()[1];
        var dictionary = (IDictionary)Activator.CreateInstance(target, StringComparer.Ordinal)!;
        foreach (var (key, value) in map)
        {
            dictionary[key] = Read(value, valueType, $"{path}.{key}");
        }

        return dictionary;
    }

    /// <summary>An args object, or config's shorthand for one (`metric: CPUUtilization`): the args type says what it stands for.</summary>
    private static object? ReadArgs(JsonNode node, Type target, string path)
    {
        if (node is JsonValue shorthand && shorthand.TryGetValue<string>(out var name)
            && target.GetMethod("FromText", BindingFlags.Public | BindingFlags.Static, [typeof(string)]) is { } fromText)
        {
            return fromText.Invoke(null, [name]);
        }

        if (node is not JsonObject obj)
        {
            return Fail(node, target, path);
        }

        var instance = Activator.CreateInstance(target)!;
        var properties = Inputs(target).ToDictionary(p => p.Name, p => p.Property, StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (!properties.TryGetValue(key, out var property))
            {
                throw new FormatException($"{path}.{key}: is not an argument of {target.Name}");
            }

            property.SetValue(instance, Read(value, property.PropertyType, $"{path}.{key}"));
        }

        return instance;
    }

    private static object Fail(JsonNode node, Type target, string path) =>
        throw new FormatException($"{path}: cannot be read as {target.Name}; got {node.ToJsonString()}");

    /// <summary>Each [Input] property and its name (InputAttribute keeps the name internal; its constructor argument is public metadata).</summary>
    internal static IEnumerable<(PropertyInfo Property, string Name)> Inputs(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Data: p.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(InputAttribute))))
            .Where(p => p.Data is not null)
            .Select(p => (p.Property, (string)p.Data!.ConstructorArguments[0].Value!));
}
