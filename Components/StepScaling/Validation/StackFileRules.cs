using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>The rules of reading a stack file (<c>Pulumi.&lt;stack&gt;.yaml</c>): its top-level keys and config keys.</summary>
public static class StackFileRules
{
    /// <summary>Pulumi reads only <c>config</c> (and a few other keys) at the top of a stack file ("Pulumi configuration", stack settings file).</summary>
    public static readonly Rule UnknownTopLevelKey = new("stack.unknown-top-level-key", Severity.Warning, "(top level)", "a top-level key Pulumi does not read, beside config:", "Pulumi docs, \"Stack settings file\"");

    /// <summary>Config keys are read as Pulumi reads them; a key the project does not know is an error, not ignored.</summary>
    public static readonly Rule UnknownKey = new("stack.unknown-key", Severity.Error, "step-scaled-ecs:*", "a key the project reads (see the config reference)", "the tool: nothing is ignored silently");

    /// <summary>The <c>acknowledge</c> key itself.</summary>
    public static readonly Rule Acknowledge = new("stack.acknowledge", Severity.Error, "acknowledge", "each entry names a catalogued warning rule once, with a reason", "the tool: an error cannot be acknowledged");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [UnknownKey, Acknowledge, UnknownTopLevelKey];

    /// <summary>A key beside <c>config:</c>: a config key written there, or a key Pulumi does not read (an error when the file has no <c>config:</c>).</summary>
    public static void CheckTopLevelKey(string key, bool hasConfig, IReadOnlyCollection<string> topLevelKeys, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(topLevelKeys);
        ArgumentNullException.ThrowIfNull(bag);
        if (key.Contains(':', StringComparison.Ordinal))
        {
            // Pulumi does not read config keys written beside 'config:' instead of under it.
            bag.Error(key, "is a config key at the top level of the file, where Pulumi does not read it; indent it under 'config:'");
        }
        else if (!topLevelKeys.Contains(key))
        {
            // Without 'config:' this is probably it, misspelt; beside it, perhaps a holder of YAML anchors.
            var message = $"unknown top-level key '{key}' (a stack file has {string.Join(", ", topLevelKeys)})";
            if (hasConfig)
            {
                bag.Warning(UnknownTopLevelKey, key, message);
            }
            else
            {
                bag.Error(key, $"{message}, and this file has no 'config:'");
            }
        }
    }

    /// <summary>
    /// A config key as Pulumi's <c>config.ParseKey</c> reads it (<paramref name="parsed"/>), given once in either of its
    /// forms (<paramref name="seen"/> collects them); its namespace and name, or null (and the error) when Pulumi would refuse the file.
    /// </summary>
    public static (string Namespace, string Name)? CheckConfigKey(string fullKey, (string Namespace, string Name)? parsed, string project, Dictionary<string, string> seen, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(fullKey);
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(bag);
        if (parsed is not var (ns, name))
        {
            // Pulumi's config.ParseKey refuses the key, and with it the whole stack file.
            bag.Error(fullKey, fullKey.Contains(':', StringComparison.Ordinal)
                ? $"is not a config key Pulumi can read: a key is '<namespace>:<name>' (or the older '<namespace>:config:<name>'), e.g. '{project}:{fullKey[(fullKey.LastIndexOf(':') + 1)..]}'; Pulumi refuses this stack file"
                : $"has no namespace, so Pulumi refuses this stack file: a config key is '<namespace>:<name>'; write '{project}:{fullKey}'");
            return null;
        }

        if (seen.TryGetValue($"{ns}:{name}", out var earlier))
        {
            bag.Error(fullKey, $"is the same config key as '{earlier}' ('<namespace>:config:<name>' is the older form of '<namespace>:<name>'); Pulumi would keep either one; give it once");
            return null;
        }

        seen[$"{ns}:{name}"] = fullKey;
        return (ns, name);
    }

    /// <summary>A key of this project written in another namespace: Pulumi would hand the program nothing (a copied stack file, a renamed project).</summary>
    public static void CheckForeignKey(string fullKey, string ns, string name, string project, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (Config.StackConfigMapper.Keys.Contains(name))
        {
            bag.Error(fullKey, $"is in namespace '{ns}', but this project's is '{project}', so Pulumi does not pass it to the program; write '{project}:{name}'");
        }
    }

    /// <summary>This project reads no Pulumi secret (<c>secure:</c>); false (and the error) for one.</summary>
    public static bool CheckNotSecret(string name, bool isSecure, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (isSecure)
        {
            bag.Error(name, "is a Pulumi secret: this project reads no secret config values (service.secrets takes ARNs)");
        }

        return !isSecure;
    }

    /// <summary>Every key the project does not read is an error, never ignored (in key order); <paramref name="noun"/> names a key and the known ones in the message.</summary>
    public static void CheckKnownKeys(IEnumerable<string> keys, IReadOnlyCollection<string> known, (string One, string Known) noun, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(bag);
        foreach (var key in keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
        {
            bag.Error(key, $"unknown {noun.One} '{key}' (known {noun.Known}: {string.Join(", ", known)})");
        }
    }
}
