using System.Collections.Immutable;
using CsCheck;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Simulation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>
/// The flap analysis is exact to the last bit: its cells agree with <see cref="FlapAnalyzer.Decide"/> at every
/// double that matters, and its findings agree with a brute-force search over the demands at and next to every edge.
/// </summary>
public class FlapExactnessTests
{
    /// <summary>
    /// CPU at loadRatio 0.7 between 5 and 6 tasks: scale out at ≥ 77.1, scale in at ≤ 64.24999999999999. Real
    /// arithmetic puts the scale-out at demand 77.1 × 5 ÷ 0.7 = 550.7142857142858, but the metric the alarms read
    /// (demand × 0.7 ÷ 5) already reaches 77.1 one double lower, at 550.7142857142857, and at exactly that demand
    /// 6 tasks read 64.24999999999999: the only demand that loops.
    /// </summary>
    private static ScalingSpec OneDoubleLoop() => Spec(
        5,
        6,
        Policy(
            Relative(Out0, ComparisonOperator.GreaterThanOrEqualToThreshold, 77.1, S(0, null, 1)),
            Relative(In0, ComparisonOperator.LessThanOrEqualToThreshold, 64.24999999999999, S(null, 0, -1))) with { LoadRatio = 0.7 });

    [Test]
    public void Analyze_LoopAtOneDoubleOffTheComputedEdge_Found()
    {
        const double demand = 550.7142857142857;
        var spec = OneDoubleLoop();
        var (edge, tasks, ratio) = (77.1, 5, 0.7);
        Assert.That(edge * tasks / ratio, Is.EqualTo(Math.BitIncrement(demand)), "the edge in real arithmetic is one double above the switch");
        Assert.That(FlapAnalyzer.Decide(spec, 5, Math.BitDecrement(demand)).Capacity, Is.EqualTo(5), "no scale-out below the switch");
        Assert.That(FlapAnalyzer.Decide(spec, 6, Math.BitIncrement(demand)).Capacity, Is.EqualTo(6), "no scale-in above it");

        var finding = FlapAnalyzer.Analyze(spec).Single();

        Assert.That((finding.Capacity, finding.Demand, finding.CapacityAfterFirst, finding.CapacityAfterSecond), Is.EqualTo((5, demand, 6, 5)));
        Assert.That((finding.FirstPolicy, finding.SecondPolicy, finding.Endless), Is.EqualTo(("cpu-out", "cpu-in", true)));
        Assert.That(FlapAnalyzer.HasLoop(spec), Is.True);
        var run = Simulator.Run(spec, Constant(demand, 3), Instant(5));
        Assert.That(Timeline(run).Take(2), Is.EqualTo(new[] { (0, 5, 6), (60, 6, 5) }), "the simulator loops there too");
    }

    [Test]
    public void Analyze_LoopAtOneDouble_SuggestedThresholdRemovesIt()
    {
        var spec = OneDoubleLoop();
        var finding = FlapAnalyzer.Analyze(spec).Single();

        var moved = spec with { Policies = [.. spec.Policies.Select(p => p.Name == "cpu-in" ? p with { Alarm = p.Alarm with { Threshold = finding.SuggestedScaleInThreshold!.Value } } : p)] };

        Assert.That(finding.SuggestedScaleInThreshold, Is.LessThan(64.24999999999999));
        Assert.That(FlapAnalyzer.HasLoop(moved), Is.False);
    }

    private static ComparisonOperator Operator(bool scaleOut, bool inclusive) => (scaleOut, inclusive) switch
    {
        (true, true) => ComparisonOperator.GreaterThanOrEqualToThreshold,
        (true, false) => ComparisonOperator.GreaterThanThreshold,
        (false, true) => ComparisonOperator.LessThanOrEqualToThreshold,
        _ => ComparisonOperator.LessThanThreshold,
    };

    /// <summary>One side as raw relative steps: 1–4 steps with bounds of one decimal, any adjustment type.</summary>
    private static Gen<SideDefinition> Side(string path, ComparisonOperator op, double threshold, int min, int max)
    {
        var scaleOut = op.IsAbove();
        return Gen.Select(
            Gen.Int[1, 120].Array[0, 3],
            Gen.Frequency((4, Gen.Const(AdjustmentType.ChangeInCapacity)), (1, Gen.Const(AdjustmentType.PercentChangeInCapacity)), (1, Gen.Const(AdjustmentType.ExactCapacity))),
            Gen.Int[1, 3].Array[4],
            Gen.Int[0, 1000].Array[4],
            (gaps, type, small, large) =>
            {
                var bounds = new List<double> { 0 };
                var tenths = 0;
                foreach (var g in gaps)
                {
                    tenths += g;
                    bounds.Add(tenths / 10.0);
                }

                int Change(int i) => type switch
                {
                    AdjustmentType.ExactCapacity => min + (large[i] % (max - min + 1)),
                    AdjustmentType.PercentChangeInCapacity => (scaleOut ? 1 : -1) * (10 + (large[i] % 91)),
                    _ => scaleOut ? small[i] : -small[i],
                };

                var steps = bounds.Select((b, i) => scaleOut
                    ? S(b, i + 1 < bounds.Count ? bounds[i + 1] : null, Change(i))
                    : S(i + 1 < bounds.Count ? -bounds[i + 1] : null, -b, Change(i)));
                return new SideDefinition { Path = path, AdjustmentType = type, Steps = new RelativeSteps(op, threshold, [.. steps]) };
            });
    }

    /// <summary>
    /// A scale-in threshold that the metric touches right at the scale-out's edge: at the least demand where the
    /// scale-out fires at <paramref name="tasks"/> (found double by double), the capacity it moves to reads exactly
    /// the threshold. Such a pair loops at that one demand, where real arithmetic is often a double off.
    /// </summary>
    private static double Touching(SideDefinition scaleOut, ComparisonOperator inOp, double ratio, int tasks, int max)
    {
        var steps = (RelativeSteps)scaleOut.Steps;
        bool Fires(double d) => steps.ComparisonOperator.Breaches(Capacity.MetricValue(d, LoadModel.PerTask, ratio, tasks), steps.Threshold);
        var edge = steps.Threshold * tasks / ratio;
        while (Fires(Math.BitDecrement(edge)))
        {
            edge = Math.BitDecrement(edge);
        }

        while (!Fires(edge))
        {
            edge = Math.BitIncrement(edge);
        }

        var after = Math.Min(max, tasks + steps.StepAdjustments[0].ScalingAdjustment);
        var reads = Capacity.MetricValue(edge, LoadModel.PerTask, ratio, after);
        return inOp.IncludesThreshold() ? reads : Math.BitIncrement(reads);
    }

    /// <summary>A policy on its own metric: per-task CPU or memory, or an independent metric; one or both sides.</summary>
    private static Gen<PolicyDefinition> SmallPolicy(int index, int min, int max) =>
        Gen.Select(Gen.Int[150, 900], Gen.Int[0, 400], Gen.Int[0, 2], Gen.OneOfConst(0.3, 0.7, 1.0, 1.1, 1.7), Gen.Bool, Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 5]).SelectMany(t =>
        {
            var (outTenths, gapTenths, sides, ratio, outInclusive, inInclusive, touching, at) = t;
            var root = $"scaling.policies[{index}]";
            var (outOp, inOp) = (Operator(true, outInclusive), Operator(false, inInclusive));
            MetricSpec metric = index switch
            {
                0 => Cpu,
                1 => Memory,
                _ => new CloudWatchMetric("Custom/App", "queue", ImmutableSortedDictionary<string, string>.Empty, null),
            };
            return Side($"{root}.scaleOut", outOp, outTenths / 10.0, min, max).SelectMany(scaleOut =>
            {
                // One policy in three, where it can, has a scale-in that touches its scale-out's edge.
                var tasks = Math.Max(min, 1) + (at % Math.Max(1, max - Math.Max(min, 1)));
                var inThreshold = touching == 0 && index < 2 && sides == 0 && scaleOut.AdjustmentType == AdjustmentType.ChangeInCapacity && tasks < max
                    ? Touching(scaleOut, inOp, ratio, tasks, max)
                    : (outTenths - gapTenths) / 10.0;
                return Side($"{root}.scaleIn", inOp, inThreshold, min, max).Select(scaleIn =>
                    Policy(sides == 2 ? null : scaleOut, sides == 1 ? null : scaleIn, $"p{index}", metric) with
                    {
                        LoadRatio = ratio,
                        LoadModel = index == 2 ? LoadModel.Independent : LoadModel.PerTask,
                    });
            });
        });

    /// <summary>Small valid specs: 1–3 policies, min 0–2, max up to min + 5.</summary>
    private static Gen<ScalingSpec> SmallSpecs() =>
        Gen.Select(Gen.Int[0, 2], Gen.Int[1, 5], Gen.Int[1, 3])
            .SelectMany(t => SmallPolicy(0, t.Item1, t.Item1 + t.Item2).Array[1].SelectMany(first =>
                Gen.Select(SmallPolicy(1, t.Item1, t.Item1 + t.Item2), SmallPolicy(2, t.Item1, t.Item1 + t.Item2), (second, third) =>
                    Normalize(Definition(t.Item1, t.Item1 + t.Item2, [.. new[] { first[0], second, third }.Take(t.Item3)])))))
            .Where(r => r.IsValid)
            .Select(r => r.Spec!);

    /// <summary>Every demand at which something can change, as real arithmetic puts it, with three doubles either side; and 0.</summary>
    private static double[] Samples(ScalingSpec spec)
    {
        var samples = new SortedSet<double> { 0 };
        foreach (var p in spec.Policies)
        {
            var edges = new List<double> { p.Alarm.Threshold };
            foreach (var s in p.Scaling.StepAdjustments)
            {
                edges.AddRange(new[] { s.LowerBound, s.UpperBound }.OfType<double>().Select(b => p.Alarm.Threshold + b));
            }

            for (var n = Math.Max(spec.MinCapacity, 0); n <= spec.MaxCapacity; n++)
            {
                foreach (var e in edges)
                {
                    // Where real arithmetic puts the edge, and where AWS's double arithmetic (metric − threshold
                    // against the relative bound) does: near a zero metric the two are far apart in doubles.
                    var d = p.LoadModel == LoadModel.PerTask ? e * n / p.LoadRatio : e / p.LoadRatio;
                    foreach (var at in new[] { d, Crossing(p, n, e - p.Alarm.Threshold, strict: false), Crossing(p, n, e - p.Alarm.Threshold, strict: true) })
                    {
                        for (var (up, down, k) = (at, at, 0); k <= 3; k++, up = Math.BitIncrement(up), down = Math.BitDecrement(down))
                        {
                            samples.UnionWith(new[] { up, down }.Where(x => x >= 0 && double.IsFinite(x)));
                        }
                    }
                }
            }
        }

        // And between the edges, whatever the cells' own demands are.
        var between = samples.Zip(samples.Skip(1), (a, b) => a + ((b - a) / 2)).ToList();
        samples.UnionWith(between.Append(samples.Max + 1));
        return [.. samples];
    }

    private sealed record ReferenceLoop(int Tasks, double Demand, int AfterFirst, string First, int AfterSecond, string Second);

    /// <summary>The brute force: every capacity, every sampled demand, Decide twice; the first loop of each pair.</summary>
    /// <summary>
    /// The least demand at which <c>metric − threshold</c>, computed in double as AWS does, reaches
    /// <paramref name="bound"/> (or, <paramref name="strict"/>, passes it) with <paramref name="tasks"/> running (a
    /// bisection over the non-negative doubles, the difference being monotone in demand); 0 when it already does at 0
    /// or never does.
    /// </summary>
    private static double Crossing(StepPolicy p, int tasks, double bound, bool strict)
    {
        bool Reaches(double d) => Capacity.MetricValue(d, p.LoadModel, p.LoadRatio, tasks) - p.Alarm.Threshold is var diff && (strict ? diff > bound : diff >= bound);
        if (!Reaches(double.MaxValue) || Reaches(0))
        {
            return 0;
        }

        long lo = 0, hi = BitConverter.DoubleToInt64Bits(double.MaxValue);
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            (lo, hi) = Reaches(BitConverter.Int64BitsToDouble(mid)) ? (lo, mid) : (mid, hi);
        }

        return BitConverter.Int64BitsToDouble(hi);
    }

    private static Dictionary<(string, string), ReferenceLoop> Reference(ScalingSpec spec, double[] samples)
    {
        var loops = new Dictionary<(string, string), ReferenceLoop>();
        for (var n = Math.Max(spec.MinCapacity, 0); n <= spec.MaxCapacity; n++)
        {
            foreach (var d in samples)
            {
                if (LoopAt(spec, n, d) is { } loop)
                {
                    loops.TryAdd(Pair(loop.First, loop.Second), loop);
                }
            }
        }

        return loops;
    }

    private static ReferenceLoop? LoopAt(ScalingSpec spec, int n, double d)
    {
        var (n1, first) = FlapAnalyzer.Decide(spec, n, d);
        if (first is null)
        {
            return null;
        }

        var (n2, second) = FlapAnalyzer.Decide(spec, n1, d);
        return second is null || Math.Sign(n2 - n1) == Math.Sign(n1 - n) ? null : new ReferenceLoop(n, d, n1, first.Name, n2, second.Name);
    }

    private static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    [Test]
    public void DecisionFunction_SmallSpecs_AgreesWithDecideAtEveryEdgeAndItsNeighbours()
    {
        SmallSpecs().Sample(
            spec =>
            {
                var samples = Samples(spec);
                var levels = spec.Policies.Select(PolicyLevels.Build).ToArray();
                var builder = new DecisionBuilder(levels, spec.MinCapacity, spec.MaxCapacity);
                var whole = new DecisionFunction();
                var part = new DecisionFunction();
                var wrong = new List<string>();
                for (var n = Math.Max(spec.MinCapacity, 0); n <= spec.MaxCapacity; n++)
                {
                    builder.Build(n, 0, double.PositiveInfinity, whole);
                    var (lo, hi) = (samples[samples.Length / 3], samples[2 * samples.Length / 3]);
                    builder.Build(n, lo, hi, part);
                    foreach (var d in samples)
                    {
                        var (target, policy) = FlapAnalyzer.Decide(spec, n, d);
                        var expected = new Decision(target, policy is null ? -1 : spec.Policies.IndexOf(policy));
                        if (whole.At(d) != expected || (d >= lo && d < hi && part.At(d) != expected))
                        {
                            wrong.Add($"{n} tasks, demand {d:R}: Decide says {expected}, the cells {whole.At(d)} (over [{lo:R}, {hi:R}): {(d >= lo && d < hi ? part.At(d) : null)})");
                        }
                    }
                }

                Assert.That(wrong, Is.Empty);
            },
            iter: 300);
    }

    [Test]
    public void Analyze_SmallSpecs_SameLoopsAsBruteForce()
    {
        SmallSpecs().Sample(
            spec =>
            {
                var samples = Samples(spec);
                var reference = Reference(spec, samples);
                var findings = FlapAnalyzer.Analyze(spec);

                Assert.That(findings.Select(f => Pair(f.FirstPolicy, f.SecondPolicy)), Is.EquivalentTo(reference.Keys), "the same pairs loop");
                Assert.That(FlapAnalyzer.HasLoop(spec), Is.EqualTo(reference.Count > 0));
                foreach (var f in findings)
                {
                    var smallest = reference[Pair(f.FirstPolicy, f.SecondPolicy)];
                    var loop = LoopAt(spec, f.Capacity, f.Demand);
                    Assert.That(loop, Is.EqualTo(new ReferenceLoop(f.Capacity, f.Demand, f.CapacityAfterFirst, f.FirstPolicy, f.CapacityAfterSecond, f.SecondPolicy)), "the counter-example is one");
                    Assert.That(f.Capacity, Is.EqualTo(smallest.Tasks), "at the lowest capacity that loops");

                    // The reported demand and the smallest sampled one are in one cell: everything between loops alike.
                    var (from, to) = (Math.Min(f.Demand, smallest.Demand), Math.Max(f.Demand, smallest.Demand));
                    var unlike = samples.Where(d => d >= from && d <= to && LoopAt(spec, f.Capacity, d) != loop! with { Demand = d });
                    Assert.That(unlike, Is.Empty, $"between the smallest loop at {smallest.Demand:R} and the reported {f.Demand:R}");

                    if (f.SuggestedScaleInThreshold is { } threshold)
                    {
                        var scaleIn = f.FirstPolicy.EndsWith("-in", StringComparison.Ordinal) ? f.FirstPolicy : f.SecondPolicy;
                        var moved = spec with { Policies = [.. spec.Policies.Select(p => p.Name == scaleIn ? p with { Alarm = p.Alarm with { Threshold = threshold } } : p)] };
                        Assert.That(Reference(moved, Samples(moved)).ContainsKey(Pair(f.FirstPolicy, f.SecondPolicy)), Is.False, $"the suggested threshold {threshold:R} removes the loop");
                    }
                }
            },
            iter: 200);
    }
}
