using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StepScaling.Model;

namespace StepScale.Benchmarks;

/// <summary>
/// The largest stack the validator accepts, in shape: many policies on distinct per-task metrics with different load
/// ratios (so scale-outs on one metric trigger scale-ins on others), the most bands a side AWS allows (20), and
/// maxCapacity up to its limit (10,000). One generator feeds the benchmarks and, as YAML, `stepscale check`.
/// A clean stack has no loop (every metric at ratio 1, scale-in below 8 %), so a search for one covers every capacity.
/// </summary>
public static class LargeStacks
{
    private static readonly double[] Ratios = [1, 1, 0.4, 0.7, 1.3, 0.5, 0.9, 2];

    /// <summary>The scaling definition: <paramref name="policies"/> config policies, each with a scale-out and a scale-in side of <paramref name="bands"/> bands.</summary>
    public static ScalingDefinition Definition(int policies, int bands, int maxCapacity, bool clean = false) => new()
    {
        MinCapacity = 1,
        MaxCapacity = maxCapacity,
        Policies = [.. Enumerable.Range(0, policies).Select(i => Policy(i, bands, clean))],
    };

    private static PolicyDefinition Policy(int i, int bands, bool clean) => new()
    {
        Name = Name(i),
        Metric = i switch
        {
            0 => new EcsServiceMetric("CPUUtilization"),
            1 => new EcsServiceMetric("MemoryUtilization"),
            _ => new CloudWatchMetric("Custom/App", $"load{i}", ImmutableSortedDictionary<string, string>.Empty, null),
        },
        LoadModel = StepScaling.Model.LoadModel.PerTask,
        LoadRatio = clean ? 1 : Ratios[i % Ratios.Length],
        ScaleOut = new SideDefinition { Path = $"scaling.policies[{i}].scaleOut", Cooldown = 120, Steps = new BandSteps(OutBands(i, bands)) },
        ScaleIn = new SideDefinition { Path = $"scaling.policies[{i}].scaleIn", EvaluationPeriods = 3, Cooldown = 300, Steps = new BandSteps(clean ? CleanInBands(i, bands) : InBands(i, bands)) },
    };

    private static string Name(int i) => string.Create(CultureInfo.InvariantCulture, $"p{i}");

    /// <summary>Scale-out bands 1.5 wide from 60–68, adding one more task every fourth band.</summary>
    private static ImmutableArray<Band> OutBands(int i, int bands)
    {
        var from = 60 + (i % 5 * 2);
        return [.. Enumerable.Range(0, bands).Select(k => new Band(from + (1.5 * k), k == bands - 1 ? null : from + (1.5 * (k + 1)), 1 + (k / 4)))];
    }

    /// <summary>Scale-in bands 1 wide below 24–30, removing one more task every fifth band.</summary>
    private static ImmutableArray<Band> InBands(int i, int bands)
    {
        var top = 30 - (i % 4 * 2);
        return [.. Enumerable.Range(0, bands).Select(k => new Band(k == bands - 1 ? null : top - (k + 1), top - k, -(1 + (k / 5))))];
    }

    /// <summary>Scale-in bands 0.25 wide below 5–8, removing one more task every fifth band.</summary>
    private static ImmutableArray<Band> CleanInBands(int i, int bands)
    {
        var top = 8 - (i % 4);
        return [.. Enumerable.Range(0, bands).Select(k => new Band(k == bands - 1 ? null : top - (0.25 * (k + 1)), top - (0.25 * k), -(1 + (k / 5))))];
    }

    /// <summary>The same stack as a Pulumi stack file, for timing `stepscale check` end to end.</summary>
    public static string Yaml(int policies, int bands, int maxCapacity, bool clean = false)
    {
        var definition = Definition(policies, bands, maxCapacity, clean);
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"config:\n  aws:region: us-east-1\n  step-scaled-ecs:scaling:\n    minCapacity: {definition.MinCapacity}\n    maxCapacity: {definition.MaxCapacity}\n    policies:\n");
        foreach (var p in definition.Policies)
        {
            var metric = p.Metric switch
            {
                EcsServiceMetric e => e.MetricName,
                CloudWatchMetric c => $"{{ kind: cloudwatch, namespace: {c.Namespace}, name: {c.MetricName} }}",
                _ => throw new InvalidOperationException("unexpected metric"),
            };
            yaml.Append(CultureInfo.InvariantCulture, $"      - name: {p.Name}\n        metric: {metric}\n        loadModel: perTask\n        loadRatio: {Format(p.LoadRatio)}\n");
            Side(yaml, "scaleOut", p.ScaleOut!);
            Side(yaml, "scaleIn", p.ScaleIn!);
        }

        return yaml.ToString();
    }

    private static void Side(StringBuilder yaml, string name, SideDefinition side)
    {
        yaml.Append(CultureInfo.InvariantCulture, $"        {name}:\n          evaluationPeriods: {side.EvaluationPeriods}\n          cooldown: {side.Cooldown}\n          bands:\n");
        foreach (var b in ((BandSteps)side.Steps).Bands)
        {
            var from = b.From is { } f ? $"from: {Format(f)}, " : string.Empty;
            var to = b.To is { } t ? $"to: {Format(t)}, " : string.Empty;
            yaml.Append(CultureInfo.InvariantCulture, $"            - {{ {from}{to}change: {b.Change} }}\n");
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
