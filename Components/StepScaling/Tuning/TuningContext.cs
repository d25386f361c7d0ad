using System.Diagnostics;
using StepScaling.Analysis;
using StepScaling.Model;
using StepScaling.Normalization;
using StepScaling.Simulation;

namespace StepScaling.Tuning;

/// <summary>What every phase of a tuning shares: the baseline, the target, the search space, the limits rule, the clock.</summary>
internal sealed class Context
{
    private Context(ScalingDefinition baseline, string? alarmPrefix, TuningOptions options, ScalingSpec spec, (double Target, TargetSource Source) target, List<string> notes, SearchSpace space, int align)
    {
        Baseline = baseline;
        AlarmPrefix = alarmPrefix;
        Options = options;
        BaselineSpec = spec;
        (Target, TargetSource) = target;
        Notes = notes;
        Space = space;
        Align = align;
        Sim = new SimulationOptions { RecordTimeline = false, RecordEvents = false, TargetUtilization = Target, StartupDelaySeconds = options.StartupDelaySeconds };
    }

    public ScalingDefinition Baseline { get; }

    public string? AlarmPrefix { get; }

    public TuningOptions Options { get; }

    public ScalingSpec BaselineSpec { get; }

    public double Target { get; }

    public TargetSource TargetSource { get; }

    public List<string> Notes { get; }

    public SearchSpace Space { get; }

    /// <summary>Samples in the longest alarm period: every cut falls on a whole period.</summary>
    public int Align { get; }

    public SimulationOptions Sim { get; }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>The highest target value target tracking may use: the reference policy's highest scale-out threshold.</summary>
    public double Highest => Capacity.Saturates(Reference?.Metric ?? BaselineSpec.Policies[0].Metric)
        ? Math.Max(SaneRange.Floor + 5, Math.Min(Math.Floor(Target + Options.ThresholdMargin), Math.Ceiling(Options.ScaleOutCeiling) - 1))
        : Target * (1 + (Options.ThresholdMargin / 100));

    /// <summary>The policy the target is read from (and target tracking tracks), if any.</summary>
    public StepPolicy? Reference => BaselineSpec.Policies.FirstOrDefault(q => q.Side == ScalingSide.ScaleOut && q.LoadModel == LoadModel.PerTask);

    public static Context Create(ScalingDefinition baseline, string? alarmPrefix, IReadOnlyList<NamedTrace> traces, TuningOptions options)
    {
        var spec = ScalingNormalizer.Normalize(baseline, alarmPrefix).GetSpecOrThrow();
        var target = TargetOf(spec, options);
        var notes = new List<string>();
        var references = baseline.Policies.ToDictionary(p => p.Name, p => SearchSpace.Threshold(p.ScaleOut) ?? target.Target);
        var reference = spec.Policies.FirstOrDefault(q => q.Side == ScalingSide.ScaleOut && q.LoadModel == LoadModel.PerTask);
        if (reference is not null && references.ContainsKey(reference.SourceName))
        {
            references[reference.SourceName] = target.Target;
        }

        var space = new SearchSpace(baseline, options.Policies, notes, new SaneRange(references, options.ThresholdMargin, options.ScaleOutCeiling));
        if (space.Dimensions == 0)
        {
            throw new ArgumentException("Nothing to tune: no selected policy has a side tune can change.", nameof(options));
        }

        var align = traces.Max(t => Math.Max(1, spec.Policies.Max(p => p.Alarm.Period) / t.Trace.IntervalSeconds));
        return new Context(baseline, alarmPrefix, options, spec, target, notes, space, align);
    }

    private static (double Target, TargetSource Source) TargetOf(ScalingSpec spec, TuningOptions options)
    {
        if (options.Target is { } t)
        {
            return (t, TargetSource.Given);
        }

        var p = spec.Policies.FirstOrDefault(q => q.Side == ScalingSide.ScaleOut && q.LoadModel == LoadModel.PerTask)
            ?? throw new TargetNeededException();
        return (p.Alarm.Threshold, new TargetSource(TargetOrigin.ScaleOutThreshold, p.Name));
    }

    /// <summary>The normalised spec of a definition (with <c>flapCheck: error</c>), the baseline's when it does not normalise.</summary>
    public ScalingSpec Normalize(ScalingDefinition d) =>
        ScalingNormalizer.Normalize(d with { FlapCheck = FlapCheckMode.Error }, AlarmPrefix).Spec ?? BaselineSpec;

    /// <summary>
    /// A segment with its limits. <paramref name="share"/> is its part of its trace (explicit per-trace limits scale
    /// by it); a part that starts mid-trace (<paramref name="warm"/>) starts at the capacity its first sample needs.
    /// </summary>
    public TuningSegment Segment(string name, DemandTrace trace, double share, bool warm)
    {
        var o = warm ? Sim with { InitialCapacity = Tuner.OracleCapacity(BaselineSpec, Tuner.Slice(trace, 0, 1), Target)[0] } : Sim;
        var segment = new TuningSegment(name, trace, o, SegmentLimits.None);
        return segment with { Limits = LimitsFor(segment, share) };
    }

    /// <summary>A whole-trace segment under a stress, with the baseline's figures under the same stress as its limits.</summary>
    public TuningSegment Stressed(TuningSegment segment, StressKind kind)
    {
        var stressed = Stress.Apply(segment, kind, Align, SegmentLimits.None);
        return stressed with { Limits = LimitsFor(stressed, 1) };
    }

    /// <summary>The limits on a segment: each option's value when given (per-trace limits × share, per-day × days), else the baseline's own figure there.</summary>
    public SegmentLimits LimitsFor(TuningSegment segment, double share)
    {
        var b = Objectives.Of(Simulator.Run(BaselineSpec, segment.Trace, segment.Options).Summary, segment.Days);
        var minutes = segment.Days * 1440;
        return new SegmentLimits(
            Options.MaxMinutesAbove is { } m ? m * share : Options.MaxAbovePercent is { } p ? p / 100 * minutes : b.MinutesAbove,
            Options.MaxUnserved is { } u ? u * share : b.Unserved,
            Options.MaxActionsPerDay is { } a ? a * segment.Days : b.ScaleActions,
            Options.MaxReversalsPerDay is { } r ? r * segment.Days : b.Reversals);
    }

    /// <summary>A share of the budget: wall time and, when capped, evaluations.</summary>
    public SearchBudget Budget(double share, int? evaluations) =>
        new(TimeSpan.FromTicks((long)(Options.Budget.Ticks * share)), evaluations is { } e ? Math.Max(1, e) : null);

    /// <summary>The progress callback of one phase, or null.</summary>
    public Action<int, Objectives, bool>? Reporter(string phase) =>
        Options.Progress is { } progress ? (n, best, feasible) => progress(new TuningProgress(phase, n, Clock.Elapsed, best, feasible)) : null;
}
