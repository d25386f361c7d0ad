using System.Collections.Immutable;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Simulation;

namespace StepScale.Benchmarks;

/// <summary>The workload both benchmarks share: two metrics (CPU, memory), four policies, the prod stack's bands.</summary>
public static class Workload
{
    public static ScalingSpec Spec(int maxCapacity) => ScalingNormalizer.Normalize(new ScalingDefinition
    {
        MinCapacity = 1,
        MaxCapacity = maxCapacity,
        Policies =
        [
            Policy("cpu", "CPUUtilization", 70, 85, 20),
            Policy("memory", "MemoryUtilization", 75, 90, 20),
        ],
    }).GetSpecOrThrow();

    private static PolicyDefinition Policy(string name, string metric, double outAt, double stepAt, double inBelow) => new()
    {
        Name = name,
        Metric = new EcsServiceMetric(metric),
        ScaleOut = new SideDefinition { Path = $"{name}.scaleOut", Cooldown = 120, Steps = new BandSteps([new Band(outAt, stepAt, 1), new Band(stepAt, null, 3)]) },
        ScaleIn = new SideDefinition { Path = $"{name}.scaleIn", EvaluationPeriods = 3, Cooldown = 300, Steps = new BandSteps([new Band(null, inBelow, -1)]) },
    };

    /// <summary>One year of one-minute demand: a daily cosine with weekly variation, deterministic.</summary>
    public static DemandTrace Year()
    {
        const int minutes = 525_600;
        var demand = new double[minutes];
        for (var m = 0; m < minutes; m++)
        {
            var day = (1 - Math.Cos(2 * Math.PI * (m % 1440) / 1440)) / 2;
            var week = 1 + (0.3 * Math.Sin(2 * Math.PI * m / (7 * 1440)));
            demand[m] = (60 + (400 * day)) * week;
        }

        return new DemandTrace { IntervalSeconds = 60, Demand = demand };
    }
}

[MemoryDiagnoser]
public class SimulatorBenchmarks
{
    private ScalingSpec _spec = null!;
    private DemandTrace _year = null!;
    private DemandTrace _steadyYear = null!;
    private readonly SimulationOptions _summaryOnly = new() { RecordTimeline = false };
    private readonly SimulationOptions _withTimeline = new() { RecordTimeline = true };
    private readonly SimulationOptions _countsOnly = new() { RecordTimeline = false, RecordEvents = false };
    private readonly SimulationRunner _runner = new();

    [GlobalSetup]
    public void Setup()
    {
        _spec = Workload.Spec(maxCapacity: 20);
        _year = Workload.Year();
        _steadyYear = _year with { Demand = [.. Enumerable.Repeat(150.0, _year.Length)] };
    }

    /// <summary>525,600 one-minute samples, two metrics, four policies, summary only.</summary>
    [Benchmark(Baseline = true)]
    public SimulationSummary YearOfMinutes_SummaryOnly() => Simulator.Run(_spec, _year, _summaryOnly).Summary;

    /// <summary>A year of constant demand: the service settles, so what it allocates is the fixed cost, not per sample.</summary>
    [Benchmark]
    public SimulationSummary YearOfMinutes_SteadyDemand_SummaryOnly() => Simulator.Run(_spec, _steadyYear, _summaryOnly).Summary;

    /// <summary>The same, keeping the per-sample timeline (what charts and JSON use).</summary>
    [Benchmark]
    public SimulationSummary YearOfMinutes_WithTimeline() => Simulator.Run(_spec, _year, _withTimeline).Summary;

    /// <summary>As tuning runs candidates: one reused runner, no timeline, no events; what it allocates is the result.</summary>
    [Benchmark]
    public SimulationSummary YearOfMinutes_ReusedRunner_CountsOnly() => _runner.Run(_spec, _year, _countsOnly).Summary;

    /// <summary>The same year through target tracking (CPU at 70 %, the default scale-in reading) on the same kernel.</summary>
    [Benchmark]
    public SimulationSummary YearOfMinutes_TargetTracking_CountsOnly() => _runner.Run(TargetTrackingPolicy.For(_spec, 70)!, _year, _countsOnly).Summary;
}

/// <summary>
/// Replay throughput as tuning needs it: the prod stack's shape (CPU and memory, 2–12 tasks, 4 policies) on 7 days of
/// one-minute demand, 64 replays spread over every core, one reused runner per thread. Replays/s = 1 ÷ the mean.
/// </summary>
[MemoryDiagnoser]
public class ReplayThroughputBenchmarks : IDisposable
{
    private const int Batch = 64;
    private ScalingSpec _spec = null!;
    private TargetTrackingPolicy _targetTracking = null!;
    private DemandTrace _week = null!;
    private readonly SimulationOptions _options = new() { RecordTimeline = false, RecordEvents = false, TargetUtilization = 70 };
    private readonly ThreadLocal<SimulationRunner> _runners = new(() => new SimulationRunner());

    [GlobalSetup]
    public void Setup()
    {
        _spec = ScalingNormalizer.Normalize(TuningWorkload.Prod()).GetSpecOrThrow();
        _targetTracking = TargetTrackingPolicy.For(_spec, 70)!;
        _week = TuningWorkload.Week();
    }

    /// <summary>64 step-scaling replays of the 7 days on every core.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public double StepScaling7Days_AllCores()
    {
        var minutes = new double[Batch];
        Parallel.For(0, Batch, i => minutes[i] = _runners.Value!.Run(_spec, _week, _options).Summary.TaskMinutes);
        return minutes[0];
    }

    /// <summary>64 target-tracking replays of the 7 days on every core.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public double TargetTracking7Days_AllCores()
    {
        var minutes = new double[Batch];
        Parallel.For(0, Batch, i => minutes[i] = _runners.Value!.Run(_targetTracking, _week, _options).Summary.TaskMinutes);
        return minutes[0];
    }

    /// <summary>One step-scaling replay of the 7 days on one thread.</summary>
    [Benchmark]
    public double StepScaling7Days_OneThread() => _runners.Value!.Run(_spec, _week, _options).Summary.TaskMinutes;

    public void Dispose()
    {
        _runners.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The kernel against the frozen reference it must match bit for bit (<c>Tests/StepScaling.Tests/ReferenceKernel.cs</c>,
/// the straightforward kernel this one replaced), in one run so that the ratio holds on a loaded machine too. Both
/// reuse their runner and keep neither timeline nor events.
/// </summary>
[MemoryDiagnoser]
public class KernelComparisonBenchmarks
{
    private ScalingSpec _spec = null!;
    private ScalingSpec _atMax = null!;
    private ScalingSpec _prod = null!;
    private DemandTrace _year = null!;
    private DemandTrace _week = null!;
    private TargetTrackingPolicy _targetTracking = null!;
    private readonly SimulationOptions _options = new() { RecordTimeline = false, RecordEvents = false, TargetUtilization = 70 };
    private readonly SimulationRunner _runner = new();
    private readonly StepScaling.Tests.ReferenceSimulationRunner _reference = new();

    [GlobalSetup]
    public void Setup()
    {
        _spec = Workload.Spec(maxCapacity: 20);
        _atMax = Workload.Spec(maxCapacity: 3);
        _prod = ScalingNormalizer.Normalize(TuningWorkload.Prod()).GetSpecOrThrow();
        _year = Workload.Year();
        _week = TuningWorkload.Week();

        // The reference models the proportional scale-in only.
        _targetTracking = TargetTrackingPolicy.For(_spec, 70)! with { ScaleInModel = TargetTrackingScaleIn.Proportional };
    }

    /// <summary>A year of one-minute samples, 2 metrics, 4 policies: the reference kernel.</summary>
    [Benchmark(Baseline = true)]
    public double Year_Reference() => _reference.Run(_spec, _year, _options).Summary.TaskMinutes;

    /// <summary>The same on the kernel.</summary>
    [Benchmark]
    public double Year_Kernel() => _runner.Run(_spec, _year, _options).Summary.TaskMinutes;

    /// <summary>The year with a maximum of 3 tasks: the scale-out alarms are in ALARM for hours each day (the reference kernel).</summary>
    [Benchmark]
    public double YearAtMax_Reference() => _reference.Run(_atMax, _year, _options).Summary.TaskMinutes;

    /// <summary>The same on the kernel.</summary>
    [Benchmark]
    public double YearAtMax_Kernel() => _runner.Run(_atMax, _year, _options).Summary.TaskMinutes;

    /// <summary>The prod stack's shape on 7 days: the reference kernel.</summary>
    [Benchmark]
    public double Week_Reference() => _reference.Run(_prod, _week, _options).Summary.TaskMinutes;

    /// <summary>The same on the kernel.</summary>
    [Benchmark]
    public double Week_Kernel() => _runner.Run(_prod, _week, _options).Summary.TaskMinutes;

    /// <summary>Target tracking over the year: the former standalone replay.</summary>
    [Benchmark]
    public double TargetTrackingYear_Reference() => StepScaling.Tests.ReferenceTargetTracking.Run(_targetTracking, _year, _options).Summary.TaskMinutes;

    /// <summary>The same on the kernel.</summary>
    [Benchmark]
    public double TargetTrackingYear_Kernel() => _runner.Run(_targetTracking, _year, _options).Summary.TaskMinutes;
}

[MemoryDiagnoser]
public class FlapAnalysisBenchmarks
{
    private ScalingSpec _clean = null!;
    private ScalingSpec _looping = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clean = Workload.Spec(maxCapacity: 1000);
        _looping = _clean with
        {
            Policies = [.. _clean.Policies.Select(p => p.Side == ScalingSide.ScaleIn ? p with { Alarm = p.Alarm with { Threshold = 65 } } : p)],
        };
    }

    /// <summary>Capacity 1–1000, no loop: the whole space is searched.</summary>
    [Benchmark(Baseline = true)]
    public bool Capacity1To1000_NoLoop() => FlapAnalyzer.HasLoop(_clean);

    /// <summary>What <c>check</c> and the component run on a clean config: the full analysis, capacity 1–1000.</summary>
    [Benchmark]
    public ImmutableArray<FlapFinding> Capacity1To1000_Analyze_NoLoop() => FlapAnalyzer.Analyze(_clean);

    /// <summary>Capacity 1–1000 with findings, messages and suggested fixes.</summary>
    [Benchmark]
    public ImmutableArray<FlapFinding> Capacity1To1000_FindingsWithFixes() => FlapAnalyzer.Analyze(_looping);
}

/// <summary>The shape of a large stack: config policies (each two sides), bands a side, maxCapacity, and whether it loops.</summary>
public sealed record StackShape(int Policies, int Bands, int MaxCapacity, bool Clean)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Policies}p x {Bands}b, max {MaxCapacity}{(Clean ? ", clean" : string.Empty)}");
}

/// <summary>
/// The flap analysis on the largest legal stacks (see <see cref="LargeStacks"/>): 8 policies with 20 bands a side at
/// maxCapacity 10,000, and its growth in policies (2, 8, 25), bands (5, 10, 20) and capacity (1,000, 3,000, 10,000).
/// </summary>
[MemoryDiagnoser]
public class FlapLargeStackBenchmarks
{
    private ScalingSpec _spec = null!;

    public static IEnumerable<StackShape> Shapes() =>
    [
        new(8, 20, 10_000, false),
        new(2, 20, 10_000, false),
        new(25, 20, 10_000, false),
        new(8, 5, 10_000, false),
        new(8, 10, 10_000, false),
        new(8, 20, 1_000, false),
        new(8, 20, 3_000, false),
        new(2, 20, 10_000, true),
        new(8, 20, 10_000, true),
        new(25, 20, 10_000, true),
    ];

    [ParamsSource(nameof(Shapes))]
    public StackShape Shape { get; set; } = null!;

    [GlobalSetup]
    public void Setup() => _spec = ScalingNormalizer.Normalize(LargeStacks.Definition(Shape.Policies, Shape.Bands, Shape.MaxCapacity, Shape.Clean)).GetSpecOrThrow();

    /// <summary>What <c>check</c> runs: every finding, its message and its suggested fix.</summary>
    [Benchmark]
    public ImmutableArray<FlapFinding> Analyze() => FlapAnalyzer.Analyze(_spec);

    /// <summary>Whether any loop exists (stops at the first).</summary>
    [Benchmark]
    public bool HasLoop() => FlapAnalyzer.HasLoop(_spec);
}
