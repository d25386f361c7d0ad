using System.Collections;
using System.Collections.Immutable;
using Pulumi;
using StepScaling.Config;

namespace StepScaledEcs;

/// <summary>
/// Reads the component's arguments as the config tree the config mapper reads (<see cref="ConfigNode"/>), by
/// their <see cref="InputAttribute"/> names, with no JSON in between: a plain value as itself, an input already
/// known (a literal, a config value) as its value, an input not known yet as <see cref="ConfigNode.Pending"/>
/// (checked when it resolves, by <see cref="References.CheckPendingAsync"/>). A collection input known to be empty
/// is unset, as the list and map args are never null. It knows no field and no rule: the args have the config's shape.
/// </summary>
internal static class ArgsConfig
{
    /// <summary>The component's sections (<see cref="StackConfigMapper.ComponentKeys"/>) of <paramref name="args"/>; an unset section is absent.</summary>
    public static ConfigNode Sections(StepScaledEcsServiceArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var sections = new (string Key, object? Value)[] { ("service", args.Service), ("scaling", args.Scaling), ("flapCheck", args.FlapCheck), ("alerts", args.Alerts) };
        return ConfigNode.Object(sections.Select(s => KeyValuePair.Create(s.Key, Read(s.Value, s.Key))).Where(s => s.Value is not null));
    }

    /// <summary>One argument value at <paramref name="path"/> (e.g. <c>service.image</c>) as a config node; null when unset.</summary>
    /// <exception cref="ArgumentException">The value is of a type no argument has.</exception>
    public static ConfigNode? Read(object? value, string path) => value switch
    {
        null => null,
        string s => ConfigNode.Text(s),
        bool b => ConfigNode.Boolean(b),
        int i => ConfigNode.Number(i),
        double d => ConfigNode.Number(d),
        _ when InputValueType(value.GetType()) is { } type => ReadInput(value, type, path),
        IDictionary map => ConfigNode.Object(map.Cast<DictionaryEntry>().Select(e => KeyValuePair.Create((string)e.Key, Read(e.Value, $"{path}.{e.Key}")))),
        ResourceArgs => ReadArgs(value, path),
        IEnumerable list => ConfigNode.List(list.Cast<object?>().Select((item, i) => Read(item, $"{path}[{i}]"))),
        _ => throw new ArgumentException($"{path}: {value.GetType().Name} is not an argument type", nameof(value)),
    };

    /// <summary>The names of the plain (not input) arguments <paramref name="args"/> sets.</summary>
    public static IEnumerable<string> PlainKeys(ResourceArgs? args) => args is null ? []
        : ArgsJson.Inputs(args.GetType()).Where(p => InputValueType(p.Property.PropertyType) is null && p.Property.GetValue(args) is not null).Select(p => p.Name);

    private static ConfigNode ReadArgs(object args, string path) =>
        ConfigNode.Object(ArgsJson.Inputs(args.GetType())
            .Select(p => KeyValuePair.Create(p.Name, Read(p.Property.GetValue(args), $"{path}.{p.Name}")))
            .Where(p => p.Value is not null));

    /// <summary>An input's value now: known (read as the value; null when an empty collection), or pending.</summary>
    private static ConfigNode? ReadInput(object input, Type valueType, string path)
    {
        var reference = (Reference)Activator.CreateInstance(typeof(Reference<>).MakeGenericType(valueType), path, input)!;
        var resolution = reference.Now();
        if (!resolution.Known)
        {
            return ConfigNode.Pending;
        }

        return resolution.Value switch
        {
            string text => ConfigNode.Text(text),
            ImmutableArray<string> list => list.IsDefaultOrEmpty ? null : ConfigNode.List(list.Select(ConfigNode.Text)),
            ImmutableDictionary<string, string> map => map.IsEmpty ? null
                : ConfigNode.Object(map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (ConfigNode?)ConfigNode.Text(kv.Value)))),
            _ => null,
        };
    }

    /// <summary>T of an Input&lt;T&gt; (InputList&lt;T&gt; and InputMap&lt;T&gt; included); null for a plain type.</summary>
    private static Type? InputValueType(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Input<>))
            {
                return t.GetGenericArguments()[0];
            }
        }

        return null;
    }
}
