using BenchmarkDotNet.Attributes;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Simulation;
using StepScaling.Tuning;

namespace StepScale.Benchmarks;

/// <summary>The tuning workload: the prod stack's shape (CPU and memory, 2–12 tasks) on seven days of one-minute demand.</summary>
public static class TuningWorkload
{
    public static ScalingDefinition Prod() => new()
    {
        MinCapacity = 2,
        MaxCapacity = 12,
        Policies =
        [
            Policy(0, "cpu", "CPUUtilization", 70, 85, 3),
            Policy(1, "memory", "MemoryUtilization", 75, 90, 2),
        ],
    };

    private static PolicyDefinition Policy(int index, string name, string metric, double outAt, double stepAt, int big) => new()
    {
        Name = name,
        Metric = new EcsServiceMetric(metric),
        ScaleOut = new SideDefinition { Path = $"scaling.policies[{index}].scaleOut", Cooldown = 120, Steps = new BandSteps([new Band(outAt, stepAt, 1), new Band(stepAt, null, big)]) },
        ScaleIn = new SideDefinition { Path = $"scaling.policies[{index}].scaleIn", EvaluationPeriods = 3, DatapointsToAlarm = 3, Cooldown = 300, Steps = new BandSteps([new Band(null, 30, -1)]) },
    };

    /// <summary>Seven days of one-minute demand: a daily cycle between 1 and 9 tasks' worth at 70 %, with noise; deterministic.</summary>
    public static DemandTrace Week()
    {
        const int minutes = 7 * 1440;
        var rng = new Random(7);
        var demand = new double[minutes];
        for (var m = 0; m < minutes; m++)
        {
            var day = (1 - Math.Cos(2 * Math.PI * (m % 1440) / 1440)) / 2;
            demand[m] = (80 + (550 * day)) * (0.9 + (0.2 * rng.NextDouble()));
        }

        return new DemandTrace { IntervalSeconds = 60, Demand = demand, Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) };
    }
}

/// <summary>What one tuning candidate costs on a 7-day one-minute trace, and its parts.</summary>
[MemoryDiagnoser]
public class TuningBenchmarks
{
    private ScalingDefinition _definition = null!;
    private ScalingSpec _spec = null!;
    private CandidateEvaluator _evaluator = null!;
    private DemandTrace _week = null!;
    private readonly SimulationOptions _options = new() { RecordTimeline = false, RecordEvents = false, TargetUtilization = 70 };
    private readonly SimulationRunner _runner = new();
    private ScalingDefinition[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        _definition = TuningWorkload.Prod();
        _spec = ScalingNormalizer.Normalize(_definition).GetSpecOrThrow();
        _week = TuningWorkload.Week();
        _evaluator = new CandidateEvaluator("prod-web", [new TuningSegment("week", _week, _options, SegmentLimits.None)]);

        // 64 candidates from the search space, as one generation of the tuner would replay them.
        var space = new SearchSpace(_definition, [], []);
        var rng = new Random(1);
        _batch = [.. Enumerable.Range(0, 64).Select(_ => space.Decode([.. Enumerable.Range(0, space.Dimensions).Select(_ => rng.NextDouble())]))];

        // The same, keeping only candidates the flap analysis clears: every one is replayed over the 7 days.
        _loopFree = [.. Enumerable.Range(0, 100_000)
            .Select(_ => space.Decode([.. Enumerable.Range(0, space.Dimensions).Select(_ => rng.NextDouble())]))
            .Where(d => _evaluator.Normalize(d) is { } s && !FlapAnalyzer.HasLoop(s))
            .Take(64)];
    }

    private ScalingDefinition[] _loopFree = [];

    /// <summary>64 loop-free candidates, each replayed over the whole 7 days, on every core: full-trace evaluations/s = 64 ÷ the mean.</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public CandidateScore[] EvaluateBatchOf64LoopFree_AllCores()
    {
        var results = new CandidateScore[_loopFree.Length];
        Parallel.For(0, _loopFree.Length, i => results[i] = _evaluator.Evaluate(_loopFree[i], 0));
        return results;
    }

    /// <summary>64 random candidates on every core, as the tuner's first batch: many loop and are rejected before a replay.</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public CandidateScore[] EvaluateBatchOf64_AllCores()
    {
        var results = new CandidateScore[_batch.Length];
        Parallel.For(0, _batch.Length, i => results[i] = _evaluator.Evaluate(_batch[i], 0));
        return results;
    }

    /// <summary>The replay on a reused <see cref="SimulationRunner"/> without event records: what a tuning replay allocates (its result only).</summary>
    [Benchmark]
    public SimulationSummary Replay_7Days_ReusedRunner() => _runner.Run(_spec, _week, _options).Summary;

    /// <summary>One full-trace candidate evaluation as the tuner makes it: normalizer, flap analysis, 7-day replay.</summary>
    [Benchmark(Baseline = true)]
    public CandidateScore EvaluateCandidate_7Days() => _evaluator.Evaluate(_definition, 0);

    /// <summary>The replay alone, fresh buffers and event records (as <c>simulate</c> runs it, without the timeline).</summary>
    [Benchmark]
    public SimulationSummary Replay_7Days() => Simulator.Run(_spec, _week, _options with { RecordEvents = true }).Summary;

    /// <summary>The normalizer alone (what keeps a candidate a config the tool accepts).</summary>
    [Benchmark]
    public ScalingSpec? Normalize() => _evaluator.Normalize(_definition);

    /// <summary>The flap analysis alone (capacity 2–12).</summary>
    [Benchmark]
    public bool FlapAnalysis() => FlapAnalyzer.HasLoop(_spec);

    /// <summary>Target tracking's race on the 7 days: every target value × scale-in cooldown of the grid, on all cores.</summary>
    [Benchmark]
    public TargetTrackingOutcome? TargetTrackingRace_7Days() =>
        TargetTrackingRace.Run(_spec, 70, 80, _evaluator.Segments, Environment.ProcessorCount, Tuner.TieTolerance);
}

/// <summary>The wall time of a whole <c>tune</c> of the prod stack on a 7-day one-minute trace (default 30 s budget, seed 1).</summary>
[MemoryDiagnoser]
[SimpleJob(BenchmarkDotNet.Engines.RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class TuneBenchmarks
{
    private ScalingDefinition _definition = null!;
    private NamedTrace[] _week = [];

    [GlobalSetup]
    public void Setup()
    {
        _definition = TuningWorkload.Prod();
        _week = [new NamedTrace("week", TuningWorkload.Week())];
    }

    [Benchmark]
    public TuningResult TuneProd_7Days() => Tuner.Tune(_definition, "prod-web", _week, new TuningOptions());
}
