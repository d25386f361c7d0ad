using System.Collections.Immutable;
using Pulumi;
using Pulumi.Utilities;
using StepScaling.Config;
using StepScaling.Validation;

namespace StepScaledEcs;

/// <summary>How far an input has resolved: known with a value (and whether it is a secret), or not yet.</summary>
/// <param name="Known">Whether the value is known.</param>
/// <param name="Value">The value when known: a string, an <see cref="ImmutableArray{T}"/> of strings or an <see cref="ImmutableDictionary{TKey, TValue}"/> of strings.</param>
/// <param name="Secret">Whether the value is a Pulumi secret (then never echoed in a message).</param>
internal readonly record struct Resolution(bool Known, object? Value, bool Secret);

/// <summary>
/// One value the component takes from another resource: its path in the args (as in stack config, e.g.
/// <c>service.image</c>) and its input. <see cref="Now"/> reads it when its output has already resolved (a
/// literal, a config value: the task behind it is complete); <see cref="ResolveAsync"/> waits for it.
/// </summary>
internal abstract record Reference(string Path)
{
    /// <summary>The value if the output has already resolved to a known value; else not known.</summary>
    public abstract Resolution Now();

    /// <summary>The value once the output resolves; not known when it resolves unknown (a preview).</summary>
    public abstract Task<Resolution> ResolveAsync();
}

/// <inheritdoc cref="Reference"/>
/// <typeparam name="T">The value type: string, a list or a map of strings.</typeparam>
internal sealed record Reference<T>(string Path, Input<T> Input) : Reference(Path)
{
    /// <inheritdoc/>
    public override Resolution Now()
    {
        Output<T> output = Input;

        // OutputUtilities (Pulumi 3.112.1, Core/OutputUtilities.cs) reads an output's data; a literal's or a config
        // value's is complete when the component is constructed, a resource's is not.
        var known = OutputUtilities.GetIsKnownAsync(output);
        if (!known.IsCompletedSuccessfully || !known.Result)
        {
            return default;
        }

        var value = OutputUtilities.GetValueAsync(output);
        var secret = Output.IsSecretAsync(output);
        return value.IsCompletedSuccessfully && secret.IsCompletedSuccessfully ? new(true, value.Result, secret.Result) : default;
    }

    /// <inheritdoc/>
    public override async Task<Resolution> ResolveAsync()
    {
        Output<T> output = Input;
        if (!await OutputUtilities.GetIsKnownAsync(output).ConfigureAwait(false))
        {
            return default;
        }

        return new(true, await OutputUtilities.GetValueAsync(output).ConfigureAwait(false), await Output.IsSecretAsync(output).ConfigureAwait(false));
    }
}

/// <summary>
/// Every value of <see cref="StepScaledEcsServiceArgs"/> that comes from another resource, and what the component
/// does with each: one known at construction is checked with the plain values (the config mapper reads it, <see cref="ArgsConfig"/>);
/// one that is not is checked by <see cref="CheckPendingAsync"/> when it resolves, with the same rule.
/// </summary>
internal static class References
{
    /// <summary>Each reference the args set, by path.</summary>
    public static ImmutableArray<Reference> Of(StepScaledEcsServiceArgs args)
    {
        var list = new List<Reference>();
        void Add<T>(string path, Input<T>? input)
        {
            if (input is not null)
            {
                list.Add(new Reference<T>(path, input));
            }
        }

        Add("service.image", args.Service?.Image);
        Add("service.environment", args.Service?.Environment);
        Add("service.secrets", args.Service?.Secrets);
        Add("service.logKmsKeyArn", args.Service?.LogKmsKeyArn);
        Add("service.secretsKmsKeyArns", args.Service?.SecretsKmsKeyArns);
        Add("taskRolePolicyArns", args.TaskRolePolicyArns);
        Add("alerts.topicArn", args.Alerts?.TopicArn);
        var policies = args.Scaling?.Policies ?? [];
        for (var i = 0; i < policies.Count; i++)
        {
            var metric = policies[i]?.Metric;
            Add($"scaling.policies[{i}].metric.targetGroup", metric?.TargetGroup);
            Add($"scaling.policies[{i}].metric.dimensions", metric?.Dimensions);
            var queries = metric?.Queries ?? [];
            for (var j = 0; j < queries.Count; j++)
            {
                Add($"scaling.policies[{i}].metric.queries[{j}].metric.dimensions", queries[j]?.Metric?.Dimensions);
            }
        }

        var strategy = args.CapacityProviderStrategy ?? [];
        for (var i = 0; i < strategy.Count; i++)
        {
            Add($"capacityProviderStrategy[{i}].capacityProvider", strategy[i]?.CapacityProvider);
        }

        return [.. list];
    }

    /// <summary>The service settings with each resolved service value in place of the mapped one.</summary>
    public static ServiceSettings Substitute(ServiceSettings service, IEnumerable<(string Path, object? Value)> values)
    {
        foreach (var (path, value) in values)
        {
            service = (path, value) switch
            {
                ("service.image", string image) => service with { Image = image },
                ("service.environment", ImmutableDictionary<string, string> env) => service with { Environment = env.ToImmutableSortedDictionary(StringComparer.Ordinal, StringComparer.Ordinal) },
                ("service.secrets", ImmutableDictionary<string, string> secrets) => service with { Secrets = secrets.ToImmutableSortedDictionary(StringComparer.Ordinal, StringComparer.Ordinal) },
                ("service.logKmsKeyArn", string key) => service with { LogKmsKeyArn = key },
                ("service.secretsKmsKeyArns", ImmutableArray<string> keys) => service with { SecretsKmsKeyArns = keys },
                _ => service,
            };
        }

        return service;
    }

    /// <summary>
    /// The rules of each resolved value, the same functions that check it when it is known earlier: the service's
    /// reference rules, the topic ARN, the target-group dimension, the dimensions, a capacity-provider item.
    /// </summary>
    public static ImmutableArray<Diagnostic> Check(ServiceSettings service, IReadOnlyList<(string Path, object? Value)> resolved, StepScaledEcsServiceArgs args)
    {
        var bag = new DiagnosticBag();
        if (resolved.Any(r => r.Path.StartsWith("service.", StringComparison.Ordinal)))
        {
            ServiceRules.ValidateReferences(Substitute(service, resolved), bag);
        }

        foreach (var (path, value) in resolved)
        {
            switch (value)
            {
                case string topic when path == "alerts.topicArn":
                    AlertRules.CheckTopicArn(topic, bag);
                    break;
                case string group when path.EndsWith(".targetGroup", StringComparison.Ordinal):
                    MetricRules.CheckTargetGroup(group, path, bag);
                    break;
                case ImmutableDictionary<string, string> dimensions when path.EndsWith(".dimensions", StringComparison.Ordinal):
                    AwsRules.CheckDimensions(dimensions, path, bag);
                    break;
                case string provider when path.StartsWith("capacityProviderStrategy[", StringComparison.Ordinal):
                    CheckCapacityProvider(path, provider, args, bag);
                    break;
            }
        }

        return [.. bag.ToImmutable().Where(d => d.Severity == Severity.Error)];
    }

    /// <summary>One capacity-provider item, its provider name known: AwsRules.CheckCapacityProviderItem under <c>capacityProviderStrategy[i]</c>.</summary>
    public static void CheckCapacityProvider(string path, string? provider, StepScaledEcsServiceArgs args, DiagnosticBag bag)
    {
        var itemPath = path[..(path.IndexOf(']', StringComparison.Ordinal) + 1)];
        var index = int.Parse(itemPath["capacityProviderStrategy[".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        var item = args.CapacityProviderStrategy![index];
        ServiceRules.CheckCapacityProvider(itemPath, provider, item.Weight ?? 1, item.Base ?? 0, bag);
    }

    /// <summary>
    /// Waits for the references not known at construction, then checks the known ones and returns every error (a
    /// secret value hidden). At preview, the ones still unknown are named in one info message on the component.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> CheckPendingAsync(ImmutableArray<Reference> pending, ServiceSettings service, StepScaledEcsServiceArgs args, Resource component)
    {
        var resolved = new List<(string Path, object? Value)>();
        var unknown = new List<string>();
        var secrets = new List<string>();
        foreach (var reference in pending)
        {
            var resolution = await reference.ResolveAsync().ConfigureAwait(false);
            if (!resolution.Known)
            {
                unknown.Add(reference.Path);
                continue;
            }

            resolved.Add((reference.Path, resolution.Value));
            if (resolution.Secret)
            {
                secrets.Add(reference.Path);
            }
        }

        if (UncheckedMessage(unknown) is { } note)
        {
            Log.Info(note, component);
        }

        return Redact(Check(service, resolved, args), secrets);
    }

    /// <summary>The preview's note on the values it could not check yet; null when there are none.</summary>
    public static string? UncheckedMessage(IReadOnlyCollection<string> paths) => paths.Count == 0 ? null
        : $"not checked yet, unknown until other resources exist: {string.Join(", ", paths)}. Each is checked when it resolves, with the same rules; a value that breaks one fails the update before any resource uses it.";

    /// <summary>
    /// The findings with the value a rule echoes (<c>…; got 'value'</c>) hidden where it lies at or under a secret
    /// input's path: a Pulumi secret never reaches a log.
    /// </summary>
    public static ImmutableArray<Diagnostic> Redact(IEnumerable<Diagnostic> diagnostics, IReadOnlyCollection<string> secretPaths) =>
        [.. diagnostics.Select(d => secretPaths.Any(p => StepScaling.Planning.StackPlanner.Under(d.Path, p)) ? d with { Message = Hide(d.Message) } : d)];

    private static string Hide(string message)
    {
        var got = message.LastIndexOf("; got ", StringComparison.Ordinal);
        return got < 0 ? message : message[..got] + "; got [secret]";
    }
}
