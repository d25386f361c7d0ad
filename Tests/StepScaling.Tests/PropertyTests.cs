using System.Collections.Immutable;
using CsCheck;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Simulation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>
/// Randomised properties of the core (CsCheck): band arithmetic, simulator invariants, and the exactness of the
/// flap analysis against the simulator. A failure prints the seed that reproduces it.
/// </summary>
public class PropertyTests
{
    private const long Iterations = 300;

    /// <summary>Ascending band edges: a start in [lo, hi] and 1–4 further edges, each 1–30 above the last.</summary>
    private static Gen<int[]> Edges(int lo, int hi) =>
        Gen.Select(Gen.Int[lo, hi], Gen.Int[1, 30].Array[1, 4], (start, gaps) =>
        {
            var edges = new int[gaps.Length + 1];
            edges[0] = start;
            for (var i = 0; i < gaps.Length; i++)
            {
                edges[i + 1] = edges[i] + gaps[i];
            }

            return edges;
        });

    /// <summary>Scale-out bands from the given edges: [e0, e1), …, [ek, +inf), each adding 1–4 tasks.</summary>
    private static Gen<Band[]> ScaleOutBands(Gen<int[]> edges) =>
        edges.SelectMany(e => Gen.Int[1, 4].Array[e.Length].Select(changes =>
            e.Select((from, i) => new Band(from, i + 1 < e.Length ? e[i + 1] : null, changes[i])).ToArray()));

    /// <summary>Scale-in bands ending at <paramref name="top"/>: (-inf, e1), …, [ek, top), each removing 1–3 tasks.</summary>
    private static Gen<Band[]> ScaleInBands(int top) =>
        Gen.Int[1, 20].Array[0, 3].SelectMany(gaps =>
        {
            var edges = new List<double> { top };
            foreach (var g in gaps)
            {
                edges.Insert(0, edges[0] - g);
            }

            return Gen.Int[-3, -1].Array[edges.Count].Select(changes =>
                edges.Select((to, i) => new Band(i == 0 ? null : edges[i - 1], to, changes[i])).ToArray());
        });

    /// <summary>One policy written as absolute bands: scale-out from a threshold in [20, 90], scale-in 0–40 below it.</summary>
    private static Gen<PolicyDefinition> BandPolicy(string name, MetricSpec metric, int index) =>
        ScaleOutBands(Edges(20, 90)).SelectMany(outBands =>
            Gen.Int[0, 40].SelectMany(gap => ScaleInBands((int)outBands[0].From!.Value - gap).Select(inBands =>
                Policy(
                    Bands($"scaling.policies[{index}].scaleOut", outBands),
                    Bands($"scaling.policies[{index}].scaleIn", inBands),
                    name,
                    metric))));

    /// <summary>A valid spec: 1–2 policies (CPU, and memory reading a fixed ratio of CPU), min 1–3, max up to min + 8.</summary>
    private static Gen<ScalingSpec> Specs(Func<PolicyDefinition, PolicyDefinition>? adjust = null) =>
        Gen.Select(
            Gen.Int[1, 3],
            Gen.Int[0, 8],
            BandPolicy("cpu", Cpu, 0),
            Gen.Bool,
            Gen.OneOfConst(0.5, 0.8, 1.0, 1.25),
            BandPolicy("memory", Memory, 1),
            (min, extra, cpu, two, ratio, memory) =>
            {
                adjust ??= p => p;
                var policies = two ? new[] { adjust(cpu), adjust(memory) with { LoadRatio = ratio } } : [adjust(cpu)];
                return Spec(Definition(min, min + extra, policies));
            });

    [Test]
    public void Normalize_WellFormedBands_AlwaysValid()
    {
        Gen.Select(Gen.Int[0, 3], BandPolicy("cpu", Cpu, 0)).Sample(
            t => Normalize(Definition(t.Item1, t.Item1 + 3, t.Item2)).IsValid,
            iter: Iterations);
    }

    [Test]
    public void ToRelative_Bands_OuterEndsOpenNoOverlapNoGap()
    {
        ScaleOutBands(Edges(-50, 90)).Sample(
            bands =>
            {
                var steps = Steps.Sorted(Steps.ToRelative([.. bands], ScalingSide.ScaleOut).StepAdjustments).ToArray();
                Assert.That(steps[0].LowerBound, Is.EqualTo(0), "the lowest scale-out step starts at the threshold");
                Assert.That(steps[^1].UpperBound, Is.Null, "the highest scale-out step is open");
                Assert.That(steps.Count(s => s.LowerBound is null), Is.Zero);
                for (var i = 1; i < steps.Length; i++)
                {
                    Assert.That(steps[i].LowerBound, Is.EqualTo(steps[i - 1].UpperBound), "adjacent steps meet: no overlap, no gap");
                }
            },
            iter: Iterations);
    }

    [Test]
    public void ToRelativeThenToAbsolute_AnyBands_RoundTrips()
    {
        Gen.Select(ScaleOutBands(Edges(-50, 90)), Gen.Int[-50, 90].SelectMany(ScaleInBands)).Sample(
            t =>
            {
                var (outBands, inBands) = t;
                Assert.That(Steps.ToAbsolute(Steps.ToRelative([.. outBands], ScalingSide.ScaleOut)), Is.EqualTo(outBands));
                Assert.That(Steps.ToAbsolute(Steps.ToRelative([.. inBands], ScalingSide.ScaleIn)), Is.EqualTo(inBands));
            },
            iter: Iterations);
    }

    [Test]
    public void Find_ValueInsideABand_AppliesThatBandsChange()
    {
        // Edges are whole numbers, so a value well off a whole number is never on an edge, where inclusivity decides.
        var cases = Gen.Select(Specs(), Gen.Select(Gen.Int[-100, 250], Gen.Double[0.001, 0.999], (i, f) => i + f));
        cases.Sample(
            t =>
            {
                var (spec, value) = t;
                foreach (var p in spec.Policies)
                {
                    var bands = Steps.ToAbsolute(new RelativeSteps(p.Alarm.ComparisonOperator, p.Alarm.Threshold, p.Scaling.StepAdjustments));
                    var band = bands.SingleOrDefault(b => (b.From ?? double.NegativeInfinity) < value && value < (b.To ?? double.PositiveInfinity));
                    var breaches = p.Alarm.ComparisonOperator.Breaches(value, p.Alarm.Threshold);
                    Assert.That(breaches, Is.EqualTo(band is not null), $"{p.Name} at {value}: the alarm fires exactly inside its bands");
                    if (band is not null)
                    {
                        Assert.That(Steps.Find(p.Scaling.StepAdjustments, p.Alarm.ComparisonOperator, p.Alarm.Threshold, value)?.ScalingAdjustment, Is.EqualTo(band.Change));
                    }
                }
            },
            iter: Iterations);
    }

    [Test]
    public void Normalize_BandPolicies_ScaleInThresholdNotAboveScaleOut()
    {
        Specs().Sample(
            spec =>
            {
                foreach (var group in spec.Policies.GroupBy(p => p.SourceName))
                {
                    var scaleOut = group.Single(p => p.Side == ScalingSide.ScaleOut).Alarm.Threshold;
                    var scaleIn = group.Single(p => p.Side == ScalingSide.ScaleIn).Alarm.Threshold;
                    Assert.That(scaleIn, Is.LessThanOrEqualTo(scaleOut), group.Key);
                }
            },
            iter: Iterations);
    }

    /// <summary>Any spec and setting the simulator accepts: evaluation windows, missing data, cooldowns and a start-up delay.</summary>
    private static Gen<(ScalingSpec Spec, DemandTrace Trace, SimulationOptions Options)> Runs() =>
        Gen.Select(
            Specs(),
            Gen.Int[1, 3],
            Gen.OneOfConst(0, 60, 120, 300),
            Gen.OneOfConst(0, 60, 180),
            Gen.Double[0, 400].Array[10, 240],
            Gen.Double[0, 1],
            Gen.Enum<CooldownRestart>(),
            (spec, periods, cooldown, delay, demand, gapRate, restart) =>
            {
                var policies = spec.Policies.Select(p => p with
                {
                    Alarm = p.Alarm with { EvaluationPeriods = periods, DatapointsToAlarm = Math.Max(1, periods - 1) },
                    Scaling = p.Scaling with { Cooldown = cooldown },
                });

                // Some samples go missing, to exercise treat-missing-data.
                var withGaps = demand.Select((d, i) => gapRate > 0.8 && i % 7 == 3 ? double.NaN : d).ToArray();
                var trace = new DemandTrace { IntervalSeconds = 60, Demand = withGaps };
                return (spec with { Policies = [.. policies] }, trace, new SimulationOptions { StartupDelaySeconds = delay, CooldownRestart = restart });
            });

    [Test]
    public void Run_AnyTrace_CapacityStaysWithinMinAndMax()
    {
        Runs().Sample(
            r =>
            {
                var result = Simulator.Run(r.Spec, r.Trace, r.Options);
                Assert.That(result.Capacity, Is.All.InRange(r.Spec.MinCapacity, r.Spec.MaxCapacity));
                Assert.That(result.Events.Select(e => e.To), Is.All.InRange(r.Spec.MinCapacity, r.Spec.MaxCapacity));
                Assert.That(result.Running.Zip(result.Capacity).All(x => x.First >= 0 && x.First <= x.Second), Is.True, "running tasks never exceed capacity");
            },
            iter: Iterations);
    }

    [Test]
    public void Run_SameInput_SameResult()
    {
        Runs().Sample(
            r =>
            {
                var a = Simulator.Run(r.Spec, r.Trace, r.Options);
                var b = Simulator.Run(r.Spec, r.Trace, r.Options);
                Assert.That(b.Events, Is.EqualTo(a.Events));
                Assert.That(b.Capacity, Is.EqualTo(a.Capacity));
                Assert.That(b.Summary, Is.EqualTo(a.Summary));
            },
            iter: Iterations);
    }

    [Test]
    public void SimulationRunner_ReusedAcrossRuns_SameResultsAsFreshRuns()
    {
        // One runner, several specs in a row (other windows, statistics, delays): nothing leaks from one run to the next.
        Runs().Array[2, 4].Sample(
            runs =>
            {
                var runner = new SimulationRunner();
                foreach (var r in runs)
                {
                    var reused = runner.Run(r.Spec, r.Trace, r.Options);
                    var fresh = Simulator.Run(r.Spec, r.Trace, r.Options);
                    Assert.That(reused.Events, Is.EqualTo(fresh.Events));
                    Assert.That(reused.Capacity, Is.EqualTo(fresh.Capacity));
                    Assert.That(reused.Metric, Is.EqualTo(fresh.Metric));
                    Assert.That(reused.Summary, Is.EqualTo(fresh.Summary));
                }
            },
            iter: Iterations / 3);
    }

    [Test]
    public void Run_AnyTrace_NoActionDuringACooldownExceptTheAllowedOnes()
    {
        // Allowed: a larger scale-out during the scale-out cooldown, counting what the cooldown added (so it goes past
        // the highest capacity the cooldown reached, and never past base + that policy's largest step), which
        // restarts the clock if the options say so; a scale-in once a scale-out has ended the scale-in cooldown.
        Runs().Sample(
            r =>
            {
                var result = Simulator.Run(r.Spec, r.Trace, r.Options);
                var byName = r.Spec.Policies.ToDictionary(p => p.Name);
                ScaleEvent? previous = null;
                int? lastOut = null, baseCapacity = null, high = null;
                foreach (var e in result.Events)
                {
                    var p = byName[e.Policy];
                    if (e.To > e.From)
                    {
                        if (lastOut is { } t && e.Seconds - t < p.Scaling.Cooldown)
                        {
                            var ceiling = Math.Min(r.Spec.MaxCapacity, baseCapacity!.Value + p.Scaling.StepAdjustments.Max(s => s.ScalingAdjustment));
                            Assert.That(e.To, Is.LessThanOrEqualTo(ceiling), $"scale-out at {e.Seconds}s during the cooldown of the one at {t}s");
                            Assert.That(e.To, Is.GreaterThan(high!.Value), $"scale-out at {e.Seconds}s during the cooldown of the one at {t}s is not larger");
                            if (r.Options.CooldownRestart == CooldownRestart.LargerScaleOut)
                            {
                                lastOut = e.Seconds;
                            }
                        }
                        else
                        {
                            lastOut = e.Seconds;
                            baseCapacity = e.From;
                        }

                        high = e.To;
                    }
                    else if (previous is { } prev && prev.To < prev.From)
                    {
                        Assert.That(e.Seconds - prev.Seconds, Is.GreaterThanOrEqualTo(p.Scaling.Cooldown), $"scale-in at {e.Seconds}s during the cooldown of the one at {prev.Seconds}s");
                    }

                    previous = e;
                }
            },
            iter: Iterations);
    }

    /// <summary>
    /// Specs where the simulator acts on every period's datapoint (period 60 s, 1 of 1, cooldown 60 s) so that
    /// constant demand moves it through the same decisions the analysis reasons about.
    /// </summary>
    private static Gen<ScalingSpec> PromptSpecs() => Specs(p => p with
    {
        ScaleOut = p.ScaleOut! with { Cooldown = 60, EvaluationPeriods = 1 },
        ScaleIn = p.ScaleIn! with { Cooldown = 60, EvaluationPeriods = 1 },
    });

    /// <summary>Demands at which a decision can change: a band edge times a capacity (over the load ratio), nudged.</summary>
    private static Gen<double[]> Demands(ScalingSpec spec)
    {
        var edges = spec.Policies
            .SelectMany(p => Steps.ToAbsolute(new RelativeSteps(p.Alarm.ComparisonOperator, p.Alarm.Threshold, p.Scaling.StepAdjustments))
                .SelectMany(b => new[] { b.From, b.To }).OfType<double>().Select(e => e / p.LoadRatio))
            .Distinct()
            .ToArray();
        var nearEdge = Gen.Select(Gen.Int[0, edges.Length - 1], Gen.Int[spec.MinCapacity, spec.MaxCapacity], Gen.OneOfConst(-0.01, 0, 0.01, -0.5, 0.5), (i, n, nudge) => Math.Max(0, (edges[i] * n) + nudge));
        return Gen.Frequency((3, nearEdge), (1, Gen.Double[0, 120 * spec.MaxCapacity])).Array[40];
    }

    [Test]
    public void Analyze_EveryFinding_ReplaysAsAReversalInTheSimulator()
    {
        PromptSpecs().Sample(
            spec =>
            {
                foreach (var f in FlapAnalyzer.Analyze(spec))
                {
                    var run = Simulator.Run(spec, Constant(f.Demand, 3), Instant(f.Capacity));
                    Assert.That(Timeline(run).Take(2), Is.EqualTo(new[] { (0, f.Capacity, f.CapacityAfterFirst), (60, f.CapacityAfterFirst, f.CapacityAfterSecond) }), f.Message);
                    Assert.That(Reverses(run), Is.True, f.Message);
                }
            },
            iter: Iterations);
    }

    [Test]
    public void HasLoop_False_SimulatorNeverReversesUnderConstantDemand()
    {
        // Exactness, the other way: whenever a constant demand makes the simulator reverse, the analysis knew.
        PromptSpecs().SelectMany(spec => Demands(spec).Select(d => (spec, d))).Sample(
            t =>
            {
                var (spec, demands) = t;
                var hasLoop = FlapAnalyzer.HasLoop(spec);
                Assert.That(FlapAnalyzer.Analyze(spec).IsEmpty, Is.EqualTo(!hasLoop), "HasLoop agrees with Analyze");
                if (hasLoop)
                {
                    return;
                }

                var steps = (2 * (spec.MaxCapacity - spec.MinCapacity)) + 4;
                foreach (var d in demands)
                {
                    for (var n = spec.MinCapacity; n <= spec.MaxCapacity; n++)
                    {
                        var run = Simulator.Run(spec, Constant(d, steps), Instant(n));
                        Assert.That(Reverses(run), Is.False, $"no loop was found, yet demand {d} from {n} tasks reverses: {string.Join("; ", run.Events.Select(e => e.Reason))}");
                    }
                }
            },
            iter: 150);
    }
}
