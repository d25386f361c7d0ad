using System.Collections.Immutable;
using CsCheck;
using StepScaling.Model;
using StepScaling.Simulation;
using static StepScaling.Tests.Build;

namespace StepScaling.Tests;

/// <summary>
/// The simulation kernel against its frozen reference (<see cref="ReferenceSimulationRunner"/>, <see cref="ReferenceTargetTracking"/>):
/// on varied stacks, traces and settings every summary figure, every per-sample array and every event is bit-identical.
/// </summary>
public class KernelEquivalenceTests
{
    private static readonly MetricSpec Signal = new CloudWatchMetric("Custom/Test", "queue", ImmutableSortedDictionary<string, string>.Empty, null);
    private static readonly MetricSpec Requests = new AlbRequestCountPerTargetMetric(null);

    /// <summary>
    /// One config policy: a metric, a statistic, a period, bands on both sides and their alarm settings (windows short
    /// and longer than the 64 kept as bits).
    /// </summary>
    private static Gen<PolicyDefinition> Policies(string name) =>
        Gen.Select(
            Gen.OneOfConst(Cpu, Memory, Signal, Requests),
            Gen.OneOfConst<(string?, string?)>(("Average", null), ("Sum", null), ("Maximum", null), ("Minimum", null), ("SampleCount", null), (null, "p90")),
            Gen.OneOfConst(60, 120, 300),
            Gen.Int[40, 80],
            Gen.Int[5, 35],
            Gen.Select(Gen.OneOfConst(1, 2, 3, 5, 63, 64, 70), Gen.Int[1, 5], Gen.OneOfConst(0, 60, 180, 300, 600), Gen.Enum<TreatMissingData>()),
            Gen.Select(Gen.OneOfConst(AdjustmentType.ChangeInCapacity, AdjustmentType.PercentChangeInCapacity), Gen.Int[1, 4], Gen.Double[0.5, 2]),
            (metric, stat, period, outAt, inBelow, alarm, adjust) =>
            {
                var (n, m, cooldown, treat) = alarm;
                var (type, big, ratio) = adjust;
                var percent = type == AdjustmentType.PercentChangeInCapacity;
                var isSum = stat.Item1 is "Sum" or "SampleCount";
                var scale = isSum ? 10 : 1;
                return new PolicyDefinition
                {
                    Name = name,
                    Metric = metric,
                    Statistic = stat.Item1,
                    ExtendedStatistic = stat.Item2,
                    Period = period,
                    LoadRatio = Math.Round(ratio, 2),
                    ScaleOut = new SideDefinition
                    {
                        Path = $"{name}.scaleOut",
                        EvaluationPeriods = n,
                        DatapointsToAlarm = Math.Min(n, m),
                        Cooldown = cooldown,
                        TreatMissingData = treat,
                        AdjustmentType = type,
                        Steps = new BandSteps([B(outAt * scale, (outAt + 15) * scale, percent ? 25 : 1), B((outAt + 15) * scale, null, percent ? 100 : big)]),
                    },
                    ScaleIn = new SideDefinition
                    {
                        Path = $"{name}.scaleIn",
                        EvaluationPeriods = n + 1,
                        Cooldown = cooldown + 60,
                        AdjustmentType = type,
                        Steps = new BandSteps([B(null, inBelow * scale, percent ? -25 : -1)]),
                    },
                };
            });

    /// <summary>
    /// A stack of one or two config policies that the normalizer accepts; the second is often the first's reading (its
    /// statistic and load ratio, CPU beside memory) with its own period and bands, so streams are shared and kept apart.
    /// </summary>
    private static Gen<ScalingSpec> Specs() =>
        Gen.Select(Policies("a"), Policies("b"), Gen.Int[0, 2], Gen.Int[1, 3], Gen.Int[4, 30], (a, b, shape, min, max) =>
        {
            var twin = b with { Metric = a.Metric == Cpu ? Memory : a.Metric, Statistic = a.Statistic, ExtendedStatistic = a.ExtendedStatistic, LoadRatio = a.LoadRatio };
            PolicyDefinition[] policies = shape switch { 0 => [a], 1 => [a, b], _ => [a, twin] };
            return Normalize(Definition(min, max, policies)).Spec;
        }).Where(s => s is not null).Select(s => s!);

    /// <summary>Demand shapes a production trace has: a cycle, noise, bursts, a ramp, gaps; at 60 s or 10 s.</summary>
    private static Gen<DemandTrace> Traces() =>
        Gen.Select(Gen.Int[60, 900], Gen.Double[20, 900], Gen.Double[0, 0.5], Gen.Double[0, 0.2], Gen.Int[0, 1000], Gen.Bool, (length, level, noise, gaps, seed, tenSeconds) =>
        {
            var rng = new Random(seed);
            var demand = new double[length];
            for (var i = 0; i < length; i++)
            {
                var cycle = 0.5 + (0.5 * Math.Sin(2 * Math.PI * i / 240));
                var burst = rng.NextDouble() < 0.02 ? 3 : 1;
                demand[i] = rng.NextDouble() < gaps ? double.NaN : level * cycle * burst * (1 + (noise * ((2 * rng.NextDouble()) - 1))) + (i / 10.0);

                // Idle minutes, and a negative zero (a sum of one reading is 0 + v, which is +0 there).
                demand[i] = rng.NextDouble() < 0.02 ? 0 : rng.NextDouble() < 0.02 ? -0.0 : demand[i];
            }

            var trace = new DemandTrace { IntervalSeconds = 60, Demand = demand, PolicyDemand = seed % 3 == 0 ? ImmutableDictionary<string, double[]>.Empty.Add("b", [.. demand.Select(d => d * 0.7)]) : ImmutableDictionary<string, double[]>.Empty };
            return tenSeconds ? trace.HoldEach(10)! : trace;
        });

    private static Gen<SimulationOptions> Options() =>
        Gen.Select(Gen.OneOfConst(0, 30, 60, 180), Gen.Enum<CooldownRestart>(), Gen.Int[0, 6], Gen.OneOfConst<double?>(null, 50, 70), Gen.Bool,
            (delay, restart, initial, target, timeline) => new SimulationOptions
            {
                StartupDelaySeconds = delay,
                CooldownRestart = restart,
                InitialCapacity = initial == 0 ? null : initial,
                TargetUtilization = target,
                RecordTimeline = timeline,
            });

    [Test]
    public void Run_VariedStacksTracesAndSettings_BitIdenticalToTheReferenceKernel()
    {
        var runner = new SimulationRunner();
        var reference = new ReferenceSimulationRunner();
        Gen.Select(Specs(), Traces(), Options()).Sample(
            (spec, trace, options) =>
            {
                if (trace.ResolutionFor(spec) != trace.IntervalSeconds)
                {
                    return true; // a period that is not a whole number of samples is refused by both
                }

                return Same(reference.Run(spec, trace, options), runner.Run(spec, trace, options))
                    && Same(reference.Run(spec, trace, options), Simulator.Run(spec, trace, options));
            },
            iter: 400,
            threads: 1);
    }

    [Test]
    public void Run_BundledTracesOnTheRepositoryStacks_BitIdenticalToTheReferenceKernel()
    {
        foreach (var spec in new[] { Repo.DevSpec(), Repo.ProdSpec() })
        {
            foreach (var name in SampleTraces.Names)
            {
                var trace = SampleTraces.Generate(name);
                var resampled = trace.HoldEach(trace.ResolutionFor(spec))!;
                Assert.That(Same(new ReferenceSimulationRunner().Run(spec, resampled), Simulator.Run(spec, resampled)), Is.True, name);
            }
        }
    }

    [Test]
    public void Run_TargetTrackingProportionalScaleIn_BitIdenticalToTheReferenceModel()
    {
        Gen.Select(Traces(), Gen.Double[30, 90], Gen.Bool, Gen.Bool, Options(), Gen.OneOfConst(0, 120, 300)).Sample(
            (trace, target, saturates, sum, options, cooldown) =>
            {
                var policy = new TargetTrackingPolicy
                {
                    TargetValue = target,
                    MinCapacity = 1,
                    MaxCapacity = 20,
                    Saturates = saturates,
                    SumMetric = sum,
                    ScaleInCooldown = cooldown,
                    ScaleInModel = TargetTrackingScaleIn.Proportional,
                };
                return Same(ReferenceTargetTracking.Run(policy, trace, options), TargetTrackingSimulator.Run(policy, trace, options));
            },
            iter: 300);
    }

    [Test]
    public void WindowDatapoint_AnyWindowUpTo64_SlotOrderOfARingOfN()
    {
        // An alarm aggregates its window in slot order: the stream's history must give the ring's slots exactly.
        Gen.Select(Gen.Int[1, AlarmWindow.MaxSmall], Gen.Int[1, 300]).Sample(
            (n, pushes) =>
            {
                var stream = new MetricStream { History = new double[AlarmWindow.MaxSmall] };
                var ring = new double[n];
                for (var t = 0; t < pushes; t++)
                {
                    ring[t % n] = t;
                    stream.History[t % AlarmWindow.MaxSmall] = t;
                    stream.Pushes++;
                }

                return Enumerable.Range(0, Math.Min(pushes, n)).All(j => stream.WindowDatapoint(n, j) == ring[j]);
            });
    }

    /// <summary>Every figure, array and event equal; doubles compared by their bits.</summary>
    private static bool Same(SimulationResult expected, SimulationResult actual)
    {
        var a = expected.Summary;
        var b = actual.Summary;
        var summary = Bits(a.TaskMinutes) == Bits(b.TaskMinutes) && Bits(a.MinutesAboveTarget) == Bits(b.MinutesAboveTarget)
            && a.TargetUtilization == b.TargetUtilization && a.ScaleActions == b.ScaleActions && a.Flaps == b.Flaps
            && Bits(a.OracleTaskMinutes) == Bits(b.OracleTaskMinutes) && Bits(a.TaskMinutesVsOracle) == Bits(b.TaskMinutesVsOracle)
            && a.NoStepFound == b.NoStepFound && Bits(a.UnservedTaskMinutes ?? -1) == Bits(b.UnservedTaskMinutes ?? -1);
        var arrays = expected.Capacity.SequenceEqual(actual.Capacity) && expected.Running.SequenceEqual(actual.Running)
            && expected.Unserved.Select(Bits).SequenceEqual(actual.Unserved.Select(Bits))
            && expected.Metric.Length == actual.Metric.Length
            && expected.Metric.Zip(actual.Metric).All(m => m.First.Select(Bits).SequenceEqual(m.Second.Select(Bits)));
        var same = summary && arrays && expected.Events.SequenceEqual(actual.Events) && expected.IntervalSeconds == actual.IntervalSeconds;
        if (!same)
        {
            TestContext.Out.WriteLine($"expected {a}\nactual   {b}\nsummary {summary}, arrays {arrays}, events {expected.Events.SequenceEqual(actual.Events)}");
        }

        return same;
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
