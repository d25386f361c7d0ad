using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using CsCheck;
using StepScaling.Model;
using StepScaling.Planning;
using StepScaling.Text;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>
/// Band edges in AWS's own arithmetic: AWS computes <c>metric − threshold</c> in double and compares it with the stored
/// bounds (lower inclusive above the threshold, upper inclusive below it). Every reading at an edge, next to an edge
/// and between edges must land in the band the user wrote, as plan text, JSON, simulator and flap analysis all say.
/// </summary>
public class EdgeArithmeticTests
{
    /// <summary>Section 1 of issue 7 asks for at least 10,000 cases in CI.</summary>
    private const long Cases = 10_000;

    private static readonly MetricSpec Queue = new CloudWatchMetric("App", "QueueDepth", ImmutableSortedDictionary<string, string>.Empty, null);

    [Test]
    public void Convert_ScaleOutEdgeAt80Point3_ReadingAtTheEdgeGetsTheUpperBand()
    {
        // The issue's example: 80.3 − 70 is 10.299999999999997 in double, so a bound of 10.3 would give +1 at 80.3.
        var relative = Steps.ToRelative([B(70, 80.3, 1), B(80.3, null, 3)], ScalingSide.ScaleOut);

        Assert.That(relative.StepAdjustments[1].LowerBound, Is.Not.EqualTo(10.3));
        Assert.That(AwsStep(relative, 80.3), Is.EqualTo(3));
        Assert.That(AwsStep(relative, Math.BitDecrement(80.3)), Is.EqualTo(1));
        Assert.That(AwsStep(relative, 70), Is.EqualTo(1));
    }

    [Test]
    public void Describe_ScaleOutEdgeAt80Point3_PlanSaysWhatAwsDoes()
    {
        var spec = Spec(1, 4, Policy(Out(B(70, 80.3, 1), B(80.3, null, 3)), In(B(null, 30, -1))));

        Assert.That(PolicyText.Describe(spec.Policies[0]), Does.EndWith("70–80.3 % → +1 task, ≥ 80.3 % → +3"));
    }

    [Test]
    public void Text_BoundThatIsNotThePlainDifference_PlanExplainsIt()
    {
        var text = PlanRenderer.Text(Plan("""
            scaling:
              policies:
                - name: cpu
                  metric: CPUUtilization
                  scaleOut:
                    bands:
                      - {from: 70, to: 80.3, change: 1}
                      - {from: 80.3, change: 3}
                  scaleIn:
                    bands:
                      - {to: 30, change: -1}
            """));

        Assert.That(text, Does.Contain("    step [10.29999999999999, +inf) +3\n    note: bound 10.29999999999999, not 10.3: AWS computes 80.3 − 70 = 10.299999999999997 in double, and this bound keeps a reading of 80.3 in the band written for it\n"));
        Assert.That(text.Split('\n').Count(l => l.Contains("note:", StringComparison.Ordinal)), Is.EqualTo(1), "plain bounds get no note");
    }

    [Test]
    public void Convert_ScaleInInteriorEdge_ReadingAtTheEdgeGetsTheLowerBand()
    {
        // Scale-in bands are (from, to] in AWS's terms: a reading of exactly 20.3 belongs to the band ending there.
        var relative = Steps.ToRelative([B(null, 20.3, -2), B(20.3, 30.1, -1)], ScalingSide.ScaleIn);

        Assert.That(AwsStep(relative, 20.3), Is.EqualTo(-2));
        Assert.That(AwsStep(relative, Math.BitIncrement(20.3)), Is.EqualTo(-1));
        Assert.That(AwsStep(relative, Math.BitDecrement(30.1)), Is.EqualTo(-1));
    }

    [TestCase(83.33333333333333, 50.0)]
    [TestCase(123456789.123456789, 100000000.5)]
    [TestCase(0.30000000000000004, 0.1)]
    public void Convert_FullPrecisionEdges_NoDriftAndRoundTripsExactly(double edge, double threshold)
    {
        Band[] bands = [B(threshold, edge, 1), B(edge, null, 2)];
        var relative = Steps.ToRelative([.. bands], ScalingSide.ScaleOut);

        Assert.That(Steps.ToAbsolute(relative), Is.EqualTo(bands));
        Assert.That(AwsStep(relative, edge), Is.EqualTo(2));
        Assert.That(AwsStep(relative, Math.BitDecrement(edge)), Is.EqualTo(1));
    }

    [TestCase(100.0, 100.00000000000001)]
    [TestCase(1e-30, 2e-30)]
    [TestCase(1e-300, 2e-300)]
    public void Normalize_EdgesThatCollapsedInDecimal_AreValidInDouble(double low, double high)
    {
        // Decimal arithmetic turned these into [0, 0) steps; in double they are distinct, and AWS tells them apart.
        var spec = Spec(1, 4, Policy(Bands(Out0, B(low, high, 1), B(high, null, 2)), null, metric: Queue));
        var steps = spec.Policies[0].Scaling.StepAdjustments;

        Assert.That(steps[0].UpperBound, Is.GreaterThan(steps[0].LowerBound!.Value));
        var relative = new RelativeSteps(spec.Policies[0].Alarm.ComparisonOperator, spec.Policies[0].Alarm.Threshold, steps);
        Assert.That(AwsStep(relative, high), Is.EqualTo(2));
        Assert.That(AwsStep(relative, Math.BitDecrement(high)), Is.EqualTo(1));
    }

    [Test]
    public void Normalize_BandNarrowerThanTheResolution_ErrorNamesBothBandsAndSuggestsEdges()
    {
        // Relative to −1e15 differences are multiples of 0.125: 1 and 1.05 both give 1e15 + 1, a zero-width step.
        var errors = Errors(Definition(1, 4, Policy(Bands(Out0, B(-1e15, 1, 1), B(1, 1.05, 2), B(1.05, null, 3)), null, metric: Queue)));

        Assert.That(errors, Is.EqualTo(new[]
        {
            ("scaling.policies[0].scaleOut.bands[1].to", "band [1, 1.05) is narrower than AWS can resolve at the threshold -1000000000000000: AWS compares metric − threshold in double precision, and 1 and 1.05 give the same difference (1000000000000001), so its step would have zero width (AWS rejects it) and it cannot be told apart from band [1.05, +inf); move 'to' to 1.1, or 'from' to 0.9; keep edges at least 0.125 apart at this threshold"),
        }));
    }

    [Test]
    public void Convert_BandNarrowerThanTheResolution_SuggestedEdgesWork()
    {
        var conversion = Steps.Convert([B(-1e15, 1, 1), B(1, 1.05, 2), B(1.05, null, 3)], ScalingSide.ScaleOut);

        Assert.That(conversion.Steps, Is.Null);
        var problem = conversion.Problems.Single();
        Assert.That(problem.MoveToTo!.Value + 1e15, Is.GreaterThan(1 + 1e15), "the new 'to' is told apart from 'from'");
        Assert.That(Math.BitDecrement(problem.MoveToTo.Value) + 1e15, Is.EqualTo(1 + 1e15), "and it is the first such reading");
        Assert.That(problem.MoveFromTo!.Value + 1e15, Is.LessThan(1.05 + 1e15));
        Assert.That(Steps.Convert([B(-1e15, 1, 1), B(1, 1.1, 2), B(1.1, null, 3)], ScalingSide.ScaleOut).Steps, Is.Not.Null, "the edge the message suggests works");
        Assert.That(Steps.Convert([B(-1e15, 0.9, 1), B(0.9, 1.05, 2), B(1.05, null, 3)], ScalingSide.ScaleOut).Steps, Is.Not.Null);
    }

    [Test]
    public void Normalize_ScaleInBandNarrowerThanTheResolution_ErrorAtItsFrom()
    {
        var errors = Errors(Definition(1, 4, Policy(null, Bands(In0, B(null, -1.05, -2), B(-1.05, -1, -1), B(-1, 1e15, -3)), metric: Queue)));

        Assert.That(errors.Select(e => e.Path), Is.EqualTo(new[] { "scaling.policies[0].scaleIn.bands[1].from" }));
        Assert.That(errors[0].Message, Does.StartWith("band (-1.05, -1] is narrower than AWS can resolve at the threshold 1000000000000000"));
        Assert.That(errors[0].Message, Does.Contain("cannot be told apart from band (-inf, -1.05]"));
    }

    [Test]
    public void Convert_ScaleInEdgesWithRoundedDifferences_StillValid()
    {
        // 10.000000000000002 − 30 rounds to −20 like 10 − 30: AWS cannot tell those readings apart, but the bands are fine.
        var relative = Steps.ToRelative([B(null, 10, -2), B(10, 30, -1)], ScalingSide.ScaleIn);

        Assert.That(relative.StepAdjustments, Is.EqualTo(new[] { S(null, -20, -2), S(-20, 0, -1) }));
        Assert.That(AwsStep(relative, 10), Is.EqualTo(-2));
        Assert.That(AwsStep(relative, 10.000000000000004), Is.EqualTo(-1));
        Assert.That(Steps.ToAbsolute(relative), Is.EqualTo(new[] { B(null, 10, -2), B(10, 30, -1) }));
    }

    [Test]
    public void EdgeOfBound_HandWrittenSeedSteps_EdgesAreTheBlogValues()
    {
        Assert.That(DoubleEdges.EdgeOfBound(10, 10, fromAbove: true), Is.EqualTo(20));
        Assert.That(DoubleEdges.EdgeOfBound(25, 10, fromAbove: true), Is.EqualTo(35));
        Assert.That(DoubleEdges.EdgeOfBound(0, 10, fromAbove: false), Is.EqualTo(10));
    }

    [Test]
    public void EdgeOfBound_BoundBetweenDifferences_IsTheFirstReadingAwsPutsInTheStep()
    {
        // AWS puts 80.3 in the step [10.3, …) only if 80.3 − 70 ≥ 10.3; it is not, so the step starts at the next double.
        var edge = DoubleEdges.EdgeOfBound(10.3, 70, fromAbove: true)!.Value;

        Assert.That(edge, Is.GreaterThan(80.3));
        Assert.That(edge - 70, Is.GreaterThanOrEqualTo(10.3));
        Assert.That(Math.BitDecrement(edge) - 70, Is.LessThan(10.3));
    }

    /// <summary>
    /// For random edges (full 17-digit precision, tiny and huge magnitudes, negative thresholds, near-duplicates, both
    /// sides): the derived steps pass the validator of hand-written steps, round-trip to readings AWS cannot tell from
    /// the written edges, and AWS's rule applied to the emitted JSON puts every edge, its neighbouring doubles and
    /// readings between edges in the written band (a reading with the same difference as an edge counts as that
    /// edge: AWS sees one number). A band reported too narrow really is, and the suggested edges work.
    /// </summary>
    [Test]
    public void Convert_RandomEdges_AwsRuleOnEmittedJsonPicksTheWrittenBand()
    {
        Gen.Select(EdgeSets, Gen.Bool, Gen.Double[0, 1].Array[3]).Sample(
            t =>
            {
                var (edges, scaleOut, fractions) = t;
                var side = scaleOut ? ScalingSide.ScaleOut : ScalingSide.ScaleIn;
                var bands = scaleOut
                    ? edges.Select((e, i) => B(e, i + 1 < edges.Length ? edges[i + 1] : null, i + 1)).ToArray()
                    : edges.Select((e, i) => B(i == 0 ? null : edges[i - 1], e, -(edges.Length - i))).ToArray();
                var conversion = Steps.Convert([.. bands], side);
                if (conversion.Steps is not { } relative)
                {
                    Assert.That(conversion.Problems, Is.Not.Empty);
                    foreach (var p in conversion.Problems)
                    {
                        Assert.That(p.Band.From!.Value - p.Threshold, Is.EqualTo(p.Band.To!.Value - p.Threshold), $"{p.Band} at {p.Threshold}: reported too narrow, but AWS tells its edges apart");
                        if (p.MoveToTo is { } to)
                        {
                            Assert.That(to - p.Threshold, Is.GreaterThan(p.Band.From.Value - p.Threshold), "the suggested 'to' is told apart from 'from'");
                        }

                        if (p.MoveFromTo is { } from)
                        {
                            Assert.That(from - p.Threshold, Is.LessThan(p.Band.To.Value - p.Threshold), "the suggested 'from' is told apart from 'to'");
                        }
                    }

                    return;
                }

                // Round trip: the edges come back as readings AWS cannot tell apart from the written ones.
                var back = Steps.ToAbsolute(relative);
                Assert.That(back.Select(b => b.Change), Is.EqualTo(bands.Select(b => b.Change)));
                for (var i = 0; i < bands.Length; i++)
                {
                    Assert.That(Difference(back[i].From, relative.Threshold), Is.EqualTo(Difference(bands[i].From, relative.Threshold)), "round trip of 'from'");
                    Assert.That(Difference(back[i].To, relative.Threshold), Is.EqualTo(Difference(bands[i].To, relative.Threshold)), "round trip of 'to'");
                }

                // The same validator as hand-written steps accepts the derived ones.
                var handWritten = Normalize(Definition(1, 4, Policy(
                    scaleOut ? Relative(Out0, relative.ComparisonOperator, relative.Threshold, [.. relative.StepAdjustments]) : null,
                    scaleOut ? null : Relative(In0, relative.ComparisonOperator, relative.Threshold, [.. relative.StepAdjustments]),
                    metric: Queue)));
                Assert.That(handWritten.IsValid, Is.True, string.Join("; ", handWritten.Diagnostics));

                var fromBands = Normalize(Definition(1, 4, Policy(scaleOut ? Bands(Out0, bands) : null, scaleOut ? null : Bands(In0, bands), metric: Queue)));
                Assert.That(fromBands.IsValid, Is.True, string.Join("; ", fromBands.Diagnostics));
                var emitted = FromJson(PlanRenderer.Json(new StackPlan { Stack = "t", Scaling = fromBands.Spec, Diagnostics = [] }));

                var readings = new List<double>();
                foreach (var e in edges)
                {
                    readings.AddRange([e, Math.BitDecrement(e), Math.BitIncrement(e), Math.BitDecrement(Math.BitDecrement(e)), Math.BitIncrement(Math.BitIncrement(e))]);
                }

                for (var i = 0; i + 1 < edges.Length; i++)
                {
                    readings.AddRange(fractions.Select(f => edges[i] + ((edges[i + 1] - edges[i]) * f)));
                }

                foreach (var x in readings.Where(double.IsFinite))
                {
                    // A reading AWS cannot tell apart from an edge (the same difference) is that edge.
                    var same = edges.Where(e => e - relative.Threshold == x - relative.Threshold).ToList();
                    var written = WrittenBand(bands, same.Count > 0 ? same[0] : x, scaleOut);
                    var firing = scaleOut ? x >= relative.Threshold : x < relative.Threshold;
                    if (!firing)
                    {
                        continue;
                    }

                    Assert.That(AwsStep(emitted, x), Is.EqualTo(written), $"reading {x:R}: bands {string.Join(", ", bands.Select(b => $"{b.From:R}..{b.To:R}"))}");
                }
            },
            iter: Cases,
            threads: 1);
    }

    /// <summary>Sorted, distinct edge sets of 2–6 edges, from several families that stress the arithmetic.</summary>
    private static readonly Gen<double[]> EdgeSets = Gen.OneOf(
        // One or two decimals, as people write them.
        Gen.Select(Gen.Int[-100_000, 100_000], Gen.Int[1, 5_000].Array[1, 5], Gen.Int[1, 2], (start, gaps, decimals) =>
            Cumulative(start, gaps).Select(c => double.Parse(string.Create(CultureInfo.InvariantCulture, $"{c}E-{decimals}"), CultureInfo.InvariantCulture)).ToArray()),
        // Full 17-digit precision.
        Gen.Double[-1e6, 1e6].Array[2, 6].Select(a => a.Distinct().Order().ToArray()),
        // Tiny magnitudes, either sign.
        Gen.Select(Gen.Double[1, 10].Array[2, 6], Gen.Int[-300, -5], Gen.Bool, (m, e, negative) =>
            m.Select(v => (negative ? -1 : 1) * v * Math.Pow(10, e)).Distinct().Order().ToArray()),
        // Huge magnitudes: a large negative threshold with small edges above it (some cannot be represented).
        Gen.Select(Gen.Double[1e12, 1e15], Gen.Double[-1e3, 1e3].Array[1, 5], (big, rest) =>
            new[] { -big }.Concat(rest).Distinct().Order().ToArray()),
        // Near-duplicates: neighbouring doubles and a few ulps apart.
        Gen.Select(Gen.Double[-1e9, 1e9], Gen.Int[1, 4].Array[1, 5], (start, ulps) =>
        {
            var edges = new List<double> { start };
            foreach (var u in ulps)
            {
                var next = edges[^1];
                for (var k = 0; k < u; k++)
                {
                    next = Math.BitIncrement(next);
                }

                edges.Add(next);
            }

            return edges.ToArray();
        }))
        .Where(a => a.Length >= 2 && a.All(v => Math.Abs(v) <= Num.MaxMagnitude));

    private static IEnumerable<long> Cumulative(long start, int[] gaps)
    {
        var c = start;
        yield return c;
        foreach (var g in gaps)
        {
            c += g;
            yield return c;
        }
    }

    private static double? Difference(double? edge, double threshold) => edge is { } e ? e - threshold : null;

    /// <summary>The change of the written band holding <paramref name="x"/>: [from, to) for scale-out, (from, to] for scale-in.</summary>
    private static int? WrittenBand(Band[] bands, double x, bool scaleOut) =>
        bands.FirstOrDefault(b => scaleOut
            ? (b.From is not { } f || x >= f) && (b.To is not { } t || x < t)
            : (b.From is not { } f2 || x > f2) && (b.To is not { } t2 || x <= t2))?.Change;

    /// <summary>AWS's documented rule, written out independently of the production code.</summary>
    private static int? AwsStep(RelativeSteps steps, double metric)
    {
        var diff = metric - steps.Threshold;
        var above = steps.ComparisonOperator is ComparisonOperator.GreaterThanThreshold or ComparisonOperator.GreaterThanOrEqualToThreshold;
        foreach (var s in steps.StepAdjustments)
        {
            var lowerOk = s.LowerBound is not { } l || (above ? diff >= l : diff > l);
            var upperOk = s.UpperBound is not { } u || (above ? diff < u : diff <= u);
            if (lowerOk && upperOk)
            {
                return s.ScalingAdjustment;
            }
        }

        return null;
    }

    /// <summary>The first policy's alarm and steps as the plan's JSON states them (AWS API field names).</summary>
    private static RelativeSteps FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var policy = doc.RootElement.GetProperty("policies")[0];
        var alarm = policy.GetProperty("alarm");
        static double? Bound(JsonElement step, string name) =>
            step.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        return new RelativeSteps(
            Enum.Parse<ComparisonOperator>(alarm.GetProperty("comparisonOperator").GetString()!),
            alarm.GetProperty("threshold").GetDouble(),
            [.. policy.GetProperty("stepAdjustments").EnumerateArray().Select(s => new StepAdjustment(
                Bound(s, "metricIntervalLowerBound"), Bound(s, "metricIntervalUpperBound"), s.GetProperty("scalingAdjustment").GetInt32()))]);
    }
}
