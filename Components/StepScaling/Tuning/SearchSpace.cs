using System.Collections.Immutable;
using StepScaling.Model;

namespace StepScaling.Tuning;

/// <summary>
/// The candidates <see cref="Tuner"/> searches, as points of the unit cube [0, 1]^d. A point decodes into a
/// <see cref="ScalingDefinition"/> — the same thing a person writes in a stack file — so that every candidate goes
/// through <see cref="Normalization.ScalingNormalizer"/> like a hand-written stack. Per tuned side: the threshold,
/// 1–4 scale-out bands (1–2 scale-in bands) with their widths and changes, the cooldown, evaluationPeriods and
/// datapointsToAlarm. Every edge decodes onto a grid of whole metric units (whole percent for ECS utilisation), so a
/// decoded candidate is already a config a person would write.
/// </summary>
public sealed class SearchSpace
{
    /// <summary>Scale-out cooldowns the search picks from, in seconds.</summary>
    public static readonly ImmutableArray<int> ScaleOutCooldowns = [60, 90, 120, 180, 240, 300, 420, 600];

    /// <summary>Scale-in cooldowns the search picks from, in seconds.</summary>
    public static readonly ImmutableArray<int> ScaleInCooldowns = [60, 120, 180, 300, 420, 600, 900];

    /// <summary>Most scale-out bands.</summary>
    public const int MaxOutBands = 4;

    /// <summary>Most scale-in bands.</summary>
    public const int MaxInBands = 2;

    /// <summary>Most scale-out evaluation periods.</summary>
    public const int MaxOutPeriods = 5;

    /// <summary>Most scale-in evaluation periods.</summary>
    public const int MaxInPeriods = 15;

    private const int OutDims = 12, InDims = 8;

    private readonly ScalingDefinition _baseline;
    private readonly ImmutableArray<Slot> _slots;

    /// <summary>Builds the space for the given policies of <paramref name="baseline"/> (all when empty).</summary>
    /// <param name="baseline">The stack's scaling, as written.</param>
    /// <param name="policies">Names of the config policies to tune; empty for all.</param>
    /// <param name="notes">Why a side was left as it is (ExactCapacity, raw steps are kept as bands…).</param>
    /// <param name="range">Where a CPU or memory scale-out threshold may be; null for 20–89 %.</param>
    public SearchSpace(ScalingDefinition baseline, IReadOnlyCollection<string> policies, ICollection<string> notes, SaneRange? range = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(notes);
        _baseline = baseline;
        var slots = ImmutableArray.CreateBuilder<Slot>();
        var offset = 0;
        var unit = Math.Max(1, (int)Math.Round((baseline.MaxCapacity - baseline.MinCapacity) / 12.0));
        for (var i = 0; i < baseline.Policies.Length; i++)
        {
            var p = baseline.Policies[i];
            if (policies.Count > 0 && !policies.Contains(p.Name))
            {
                continue;
            }

            var outThreshold = Threshold(p.ScaleOut);
            var inThreshold = Threshold(p.ScaleIn);
            var reference = outThreshold ?? (inThreshold is { } t ? t * 2 : 100);
            var percent = p.Metric.UnitSuffix.Trim() == "%";
            // The grid: whole percent for utilisation; two significant figures below the threshold's magnitude otherwise.
            var step = percent ? 1 : Math.Pow(10, Math.Floor(Math.Log10(Math.Max(Math.Abs(reference), 1e-6))) - 2);
            var (lo, hi) = percent ? (SaneRange.Floor, (range ?? SaneRange.Default).Highest(p.Name)) : (reference * 0.25, reference * 2);
            var tuneOut = Tunable(p.ScaleOut, p.Name, "scaleOut", notes);
            var tuneIn = Tunable(p.ScaleIn, p.Name, "scaleIn", notes);
            if (!tuneOut && !tuneIn)
            {
                continue;
            }

            slots.Add(new Slot(i, tuneOut ? offset : -1, tuneIn ? offset + (tuneOut ? OutDims : 0) : -1, step, lo, hi, percent, unit));
            offset += (tuneOut ? OutDims : 0) + (tuneIn ? InDims : 0);
        }

        _slots = slots.ToImmutable();
        Dimensions = offset;
    }

    /// <summary>The number of coordinates of a point.</summary>
    public int Dimensions { get; }

    /// <summary>The names of the policies this space tunes.</summary>
    public IEnumerable<string> TunedPolicies => _slots.Select(s => _baseline.Policies[s.Policy].Name);

    /// <summary>The metric grid step of each tuned policy, by name (1 for percent metrics).</summary>
    public IReadOnlyDictionary<string, double> Steps => _slots.ToDictionary(s => _baseline.Policies[s.Policy].Name, s => s.Step);

    /// <summary>The scaling definition a point stands for; every coordinate is clamped into [0, 1].</summary>
    public ScalingDefinition Decode(ReadOnlySpan<double> x)
    {
        if (x.Length != Dimensions)
        {
            throw new ArgumentException($"A point has {Dimensions} coordinates; got {x.Length}.", nameof(x));
        }

        var policies = _baseline.Policies.ToBuilder();
        foreach (var slot in _slots)
        {
            var p = policies[slot.Policy];
            double? outThreshold = null;
            if (slot.Out >= 0)
            {
                var side = DecodeOut(p.ScaleOut!, slot, x.Slice(slot.Out, OutDims));
                outThreshold = Threshold(side);
                p = p with { ScaleOut = side };
            }

            if (slot.In >= 0)
            {
                // Below the scale-out threshold by 5–90 % of it, so that the no-change band is never empty.
                p = p with { ScaleIn = DecodeIn(p.ScaleIn!, slot, x.Slice(slot.In, InDims), outThreshold ?? Threshold(p.ScaleOut) ?? slot.Hi) };
            }

            policies[slot.Policy] = p;
        }

        return _baseline with { Policies = policies.ToImmutable() };
    }

    /// <summary>A scale-out side from its coordinates: the threshold on the grid, 1–4 bands, cooldown, N and M.</summary>
    private static SideDefinition DecodeOut(SideDefinition side, Slot slot, ReadOnlySpan<double> v)
    {
        var threshold = Grid(slot.Lo, slot.Hi, slot.Step, v[0]);
        var count = Pick(v[1], MaxOutBands);
        var scale = side.AdjustmentType == AdjustmentType.PercentChangeInCapacity ? 10 : slot.Unit;
        var bands = ImmutableArray.CreateBuilder<Band>(count);
        var from = threshold;
        var change = Pick(v[5], 4) * scale;
        var maxWidth = Math.Max(slot.Step * 2, Math.Round((slot.Hi - slot.Lo) * 0.4 / slot.Step) * slot.Step);
        for (var b = 0; b < count; b++)
        {
            if (b > 0)
            {
                change += Pick(v[5 + b], 4) * scale;
            }

            double? to = b == count - 1 ? null : AddDecimal(from, Grid(slot.Step * 2, maxWidth, slot.Step, v[2 + b]));

            // A utilization never reads 100 % or more (Capacity.MaxUtilization): no band may start there.
            if (slot.Percent && to >= Analysis.Capacity.MaxUtilization)
            {
                to = null;
            }

            bands.Add(new Band(from, to, change));
            if (to is null)
            {
                break;
            }

            from = to.Value;
        }

        var n = Pick(v[10], MaxOutPeriods);
        return side with
        {
            Steps = new BandSteps(bands.ToImmutable()),
            Cooldown = ScaleOutCooldowns[Pick(v[9], ScaleOutCooldowns.Length) - 1],
            EvaluationPeriods = n,
            DatapointsToAlarm = Pick(v[11], n),
        };
    }

    /// <summary>A scale-in side from its coordinates: the threshold below <paramref name="top"/>, 1–2 bands, cooldown, N and M.</summary>
    private static SideDefinition DecodeIn(SideDefinition side, Slot slot, ReadOnlySpan<double> v, double top)
    {
        var threshold = Math.Max(slot.Step, Math.Round(top * (0.1 + (0.85 * Clamp(v[0]))) / slot.Step) * slot.Step);
        if (threshold >= top)
        {
            threshold = Math.Max(slot.Step, SubDecimal(top, slot.Step));
        }

        var count = Pick(v[1], MaxInBands);
        var width = Grid(slot.Step, Math.Max(slot.Step, Math.Round(threshold * 0.6 / slot.Step) * slot.Step), slot.Step, v[2]);
        if (SubDecimal(threshold, width) <= 0)
        {
            count = 1;
        }

        var scale = side.AdjustmentType == AdjustmentType.PercentChangeInCapacity ? 10 : slot.Unit;
        var first = -Pick(v[3], 2) * scale;
        ImmutableArray<Band> bands = count == 1
            ? [new Band(null, threshold, first)]
            : [new Band(null, SubDecimal(threshold, width), first - (Pick(v[4], 2) * scale)), new Band(SubDecimal(threshold, width), threshold, first)];
        var n = Pick(v[6], MaxInPeriods);
        return side with
        {
            Steps = new BandSteps(bands),
            Cooldown = ScaleInCooldowns[Pick(v[5], ScaleInCooldowns.Length) - 1],
            EvaluationPeriods = n,
            DatapointsToAlarm = Pick(v[7], n),
        };
    }

    /// <summary>
    /// A point close to <paramref name="definition"/> (the baseline as written), so the search can start from it;
    /// null when a tuned side is not written as bands this space can express.
    /// </summary>
    public double[]? Encode(ScalingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var x = new double[Dimensions];
        foreach (var slot in _slots)
        {
            var p = definition.Policies[slot.Policy];
            double? outThreshold = null;
            if (slot.Out >= 0)
            {
                if (p.ScaleOut?.Steps is not BandSteps { Bands.Length: > 0 and <= MaxOutBands } b)
                {
                    return null;
                }

                outThreshold = EncodeOut(p.ScaleOut, b, slot, x.AsSpan(slot.Out, OutDims));
            }

            if (slot.In >= 0)
            {
                if (p.ScaleIn?.Steps is not BandSteps { Bands.Length: > 0 and <= MaxInBands } b)
                {
                    return null;
                }

                EncodeIn(p.ScaleIn, b, slot, x.AsSpan(slot.In, InDims), outThreshold ?? Threshold(p.ScaleOut) ?? slot.Hi);
            }
        }

        return x;
    }

    /// <summary>Writes a scale-out side's coordinates into <paramref name="v"/>; returns its threshold.</summary>
    private static double EncodeOut(SideDefinition side, BandSteps steps, Slot slot, Span<double> v)
    {
        var bands = steps.Bands.OrderBy(q => q.From ?? double.NegativeInfinity).ToArray();
        var scale = side.AdjustmentType == AdjustmentType.PercentChangeInCapacity ? 10 : slot.Unit;
        var threshold = bands[0].From ?? slot.Lo;
        v[0] = Unpick((threshold - slot.Lo) / (slot.Hi - slot.Lo));
        v[1] = UnpickIndex(bands.Length, MaxOutBands);
        var maxWidth = Math.Max(slot.Step * 2, Math.Round((slot.Hi - slot.Lo) * 0.4 / slot.Step) * slot.Step);
        for (var k = 0; k < 3; k++)
        {
            v[2 + k] = k < bands.Length - 1 && bands[k].To is { } to && bands[k].From is { } fr
                ? Unpick((to - fr - (slot.Step * 2)) / Math.Max(slot.Step, maxWidth - (slot.Step * 2)))
                : 0.5;
        }

        for (var k = 0; k < 4; k++)
        {
            var delta = k >= bands.Length ? 1 : k == 0 ? bands[0].Change : bands[k].Change - bands[k - 1].Change;
            v[5 + k] = UnpickIndex(Math.Clamp((int)Math.Round(delta / (double)scale), 1, 4), 4);
        }

        v[9] = UnpickIndex(Nearest(ScaleOutCooldowns, side.Cooldown) + 1, ScaleOutCooldowns.Length);
        var n = Math.Clamp(side.EvaluationPeriods, 1, MaxOutPeriods);
        v[10] = UnpickIndex(n, MaxOutPeriods);
        v[11] = UnpickIndex(Math.Clamp(side.DatapointsToAlarm ?? n, 1, n), n);
        return threshold;
    }

    /// <summary>Writes a scale-in side's coordinates into <paramref name="v"/>, its threshold measured against <paramref name="top"/>.</summary>
    private static void EncodeIn(SideDefinition side, BandSteps steps, Slot slot, Span<double> v, double top)
    {
        var bands = steps.Bands.OrderBy(q => q.From ?? double.NegativeInfinity).ToArray();
        var scale = side.AdjustmentType == AdjustmentType.PercentChangeInCapacity ? 10 : slot.Unit;
        var threshold = bands[^1].To ?? top / 2;
        v[0] = Unpick(((threshold / top) - 0.1) / 0.85);
        v[1] = UnpickIndex(bands.Length, MaxInBands);
        v[2] = bands.Length == 2 && bands[1].From is { } f
            ? Unpick((threshold - f - slot.Step) / Math.Max(slot.Step, (threshold * 0.6) - slot.Step))
            : 0.5;
        v[3] = UnpickIndex(Math.Clamp((int)Math.Round(-bands[^1].Change / (double)scale), 1, 2), 2);
        v[4] = bands.Length == 2 ? UnpickIndex(Math.Clamp((int)Math.Round((bands[^1].Change - bands[0].Change) / (double)scale), 1, 2), 2) : 0.25;
        v[5] = UnpickIndex(Nearest(ScaleInCooldowns, side.Cooldown) + 1, ScaleInCooldowns.Length);
        var n = Math.Clamp(side.EvaluationPeriods, 1, MaxInPeriods);
        v[6] = UnpickIndex(n, MaxInPeriods);
        v[7] = UnpickIndex(Math.Clamp(side.DatapointsToAlarm ?? n, 1, n), n);
    }

    /// <summary>
    /// How plain a definition reads, for ties: bands count, and every tuned edge that is not a multiple of 5 grid
    /// steps counts once more. Lower is simpler.
    /// </summary>
    public int Complexity(ScalingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var score = 0;
        foreach (var slot in _slots)
        {
            var p = definition.Policies[slot.Policy];
            foreach (var side in new[] { slot.Out >= 0 ? p.ScaleOut : null, slot.In >= 0 ? p.ScaleIn : null })
            {
                if (side?.Steps is not BandSteps b)
                {
                    continue;
                }

                score += b.Bands.Length * 2;
                foreach (var edge in b.Bands.SelectMany(q => new[] { q.From, q.To }).OfType<double>().Distinct())
                {
                    if (!IsMultiple(edge, slot.Step * 5))
                    {
                        score++;
                    }
                }
            }
        }

        return score;
    }

    /// <summary>
    /// Rounder variants of <paramref name="definition"/>: each tuned threshold or band edge moved to the nearest
    /// multiple of 5 and of 10 grid steps, one edge at a time, keeping the bands ordered.
    /// </summary>
    public IEnumerable<ScalingDefinition> Rounder(ScalingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        foreach (var slot in _slots)
        {
            foreach (var sideKind in new[] { ScalingSide.ScaleOut, ScalingSide.ScaleIn })
            {
                if ((sideKind == ScalingSide.ScaleOut ? slot.Out : slot.In) < 0)
                {
                    continue;
                }

                var p = definition.Policies[slot.Policy];
                var side = sideKind == ScalingSide.ScaleOut ? p.ScaleOut : p.ScaleIn;
                if (side?.Steps is not BandSteps b)
                {
                    continue;
                }

                var edges = b.Bands.SelectMany(q => new[] { q.From, q.To }).OfType<double>().Distinct().Order().ToArray();
                foreach (var edge in edges)
                {
                    foreach (var multiple in new[] { 10, 5 })
                    {
                        var m = slot.Step * multiple;
                        var rounded = Math.Round(edge / m) * m;
                        if (rounded == edge || rounded <= 0 || (slot.Percent && rounded >= Analysis.Capacity.MaxUtilization) || (sideKind == ScalingSide.ScaleOut && edge == edges[0] && rounded > slot.Hi) || edges.Any(e => e != edge && Math.Abs(e - edge) > 0 && (e - edge) * (e - rounded) <= 0))
                        {
                            continue;
                        }

                        var moved = new BandSteps([.. b.Bands.Select(q => new Band(q.From == edge ? rounded : q.From, q.To == edge ? rounded : q.To, q.Change))]);
                        var newSide = side with { Steps = moved };
                        var newPolicy = sideKind == ScalingSide.ScaleOut ? p with { ScaleOut = newSide } : p with { ScaleIn = newSide };
                        yield return definition with { Policies = definition.Policies.SetItem(slot.Policy, newPolicy) };
                    }
                }
            }
        }
    }

    /// <summary>The alarm threshold a side's steps define, if any.</summary>
    internal static double? Threshold(SideDefinition? side) => side?.Steps switch
    {
        BandSteps { Bands.Length: > 0 } b when b.Bands.Any(q => q.To is null) => b.Bands.Min(q => q.From),
        BandSteps { Bands.Length: > 0 } b => b.Bands.Max(q => q.To),
        RelativeSteps r => r.Threshold,
        _ => null,
    };

    private static bool Tunable(SideDefinition? side, string policy, string name, ICollection<string> notes)
    {
        if (side is null)
        {
            return false;
        }

        if (side.AdjustmentType == AdjustmentType.ExactCapacity)
        {
            notes.Add($"{policy}.{name} uses ExactCapacity: kept as it is (tune changes ChangeInCapacity and PercentChangeInCapacity steps)");
            return false;
        }

        if (side.Steps is RelativeSteps r && (r.ComparisonOperator.IsAbove() != (name == "scaleOut")))
        {
            notes.Add($"{policy}.{name} alarms on the other side of its threshold: kept as it is");
            return false;
        }

        return true;
    }

    private static double Clamp(double v) => double.IsNaN(v) ? 0.5 : Math.Clamp(v, 0, 1);

    // Grid values are numbers a person writes (70 + 15 = 85, not 84.99999999999999): computed in decimal. Relative
    // step bounds are never derived here; the normalizer does that in AWS's double arithmetic (DoubleEdges).
    private static double AddDecimal(double a, double b) => (double)((decimal)a + (decimal)b);

    private static double SubDecimal(double a, double b) => (double)((decimal)a - (decimal)b);

    /// <summary>A value on the grid lo, lo + step, …, hi.</summary>
    private static double Grid(double lo, double hi, double step, double v)
    {
        var cells = Math.Max(0, (int)Math.Round((hi - lo) / step));
        var k = Math.Min(cells, (int)Math.Floor(Clamp(v) * (cells + 1)));
        return AddDecimal(Math.Round(lo / step) * step, Math.Round(k * step, 10));
    }

    /// <summary>An integer 1..n.</summary>
    private static int Pick(double v, int n) => Math.Min(n, 1 + (int)Math.Floor(Clamp(v) * n));

    private static double UnpickIndex(int value, int n) => (value - 0.5) / n;

    private static double Unpick(double v) => Math.Clamp(double.IsFinite(v) ? v : 0.5, 0, 0.999_999);

    private static int Nearest(ImmutableArray<int> options, int value)
    {
        var best = 0;
        for (var i = 1; i < options.Length; i++)
        {
            if (Math.Abs(options[i] - value) < Math.Abs(options[best] - value))
            {
                best = i;
            }
        }

        return best;
    }

    private static bool IsMultiple(double value, double m) => Math.Abs((value / m) - Math.Round(value / m)) < 1e-9;

    /// <summary>The highest CPU or memory scale-out threshold the search may pick, per policy name.</summary>
    public IReadOnlyDictionary<string, double> Highest => _slots.Where(s => s.Percent).ToDictionary(s => _baseline.Policies[s.Policy].Name, s => s.Hi);

    /// <summary>One tuned policy: its index, where its coordinates start (−1: side not tuned) and its metric grid.</summary>
    private sealed record Slot(int Policy, int Out, int In, double Step, double Lo, double Hi, bool Percent, int Unit);
}

/// <summary>
/// Where a CPU or memory scale-out threshold may sit: from <see cref="Floor"/> up to its reference (the target, or
/// the policy's own threshold as written) plus <paramref name="Margin"/> points, and always below
/// <paramref name="Ceiling"/>.
/// </summary>
/// <param name="References">Per config policy name, the level its threshold is measured from.</param>
/// <param name="Margin">Points above the reference.</param>
/// <param name="Ceiling">No scale-out threshold at or above this.</param>
public sealed record SaneRange(IReadOnlyDictionary<string, double> References, double Margin, double Ceiling)
{
    /// <summary>The lowest scale-out threshold searched, in percent.</summary>
    public const double Floor = 20;

    /// <summary>No reference: up to 89 %.</summary>
    public static readonly SaneRange Default = new(new Dictionary<string, double>(), double.PositiveInfinity, TuningOptions.DefaultScaleOutCeiling);

    /// <summary>The highest whole-percent threshold allowed for <paramref name="policy"/> (never below <see cref="Floor"/> + 5).</summary>
    public double Highest(string policy)
    {
        var top = Math.Ceiling(Ceiling) - 1;
        if (References.TryGetValue(policy, out var reference))
        {
            top = Math.Min(top, Math.Floor(reference + Margin));
        }

        return Math.Max(Floor + 5, top);
    }
}
