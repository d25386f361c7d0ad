namespace StepScaling.Analysis;

/// <summary>What the alarms do at one capacity and demand: the capacity they choose and the policy that chose it (-1: no action).</summary>
/// <param name="Target">The capacity after the action (the current one when there is none).</param>
/// <param name="Policy">The index of the policy that acts, or -1.</param>
internal readonly record struct Decision(int Target, int Policy);

/// <summary>
/// <see cref="FlapAnalyzer.Decide"/> at one capacity as a piecewise-constant function of demand over [Start, End):
/// points (each a cell of one double) and the open gaps between them. Every edge of every policy is a point, placed
/// on one of the two doubles between which its answer changes, so the decision is constant on each gap, exactly.
/// </summary>
internal sealed class DecisionFunction
{
    private double[] _points = new double[64];
    private Decision[] _atPoint = new Decision[64];
    private Decision[] _inGap = new Decision[64];
    private bool[] _written = new bool[64];

    /// <summary>The capacity.</summary>
    public int Capacity { get; private set; }

    /// <summary>How many points; the first is the start of the range.</summary>
    public int Count { get; private set; }

    /// <summary>The end of the range (exclusive); +∞ for the whole demand axis.</summary>
    public double End { get; private set; }

    /// <summary>The points, ascending.</summary>
    public ReadOnlySpan<double> Points => _points.AsSpan(0, Count);

    /// <summary>Point <paramref name="i"/>.</summary>
    public double Point(int i) => _points[i];

    /// <summary>The decision at point <paramref name="i"/>.</summary>
    public Decision AtPoint(int i) => _atPoint[i];

    /// <summary>The decision in the gap after point <paramref name="i"/> (up to the next point, or <see cref="End"/>).</summary>
    public Decision InGap(int i) => _inGap[i];

    /// <summary>
    /// Whether point <paramref name="i"/> is where an edge as written (edge × tasks ÷ ratio) puts it; false for a
    /// point that exactness moved a double or two off its written place (reported demands step over those).
    /// </summary>
    public bool Written(int i) => _written[i];

    /// <summary>Where the gap after point <paramref name="i"/> ends.</summary>
    public double GapEnd(int i) => i + 1 < Count ? _points[i + 1] : End;

    /// <summary>The decision at <paramref name="demand"/> (within the range).</summary>
    public Decision At(double demand)
    {
        var i = LastAtOrBelow(demand);
        return _points[i] == demand ? _atPoint[i] : _inGap[i];
    }

    /// <summary>The index of the last point at or below <paramref name="demand"/> (the first point is the start, so there is one).</summary>
    public int LastAtOrBelow(double demand) => Sorted.CountAtOrBelow(_points.AsSpan(0, Count), demand) - 1;

    /// <summary>Starts filling: capacity and range; drops the previous content, keeps the buffers.</summary>
    internal void Reset(int capacity, double end)
    {
        Capacity = capacity;
        End = end;
        Count = 0;
    }

    /// <summary>Appends a point and the decisions at it and in the gap after it.</summary>
    internal void Add(double point, bool written, Decision atPoint, Decision inGap)
    {
        if (Count == _points.Length)
        {
            Array.Resize(ref _points, Count * 2);
            Array.Resize(ref _written, Count * 2);
            Array.Resize(ref _atPoint, Count * 2);
            Array.Resize(ref _inGap, Count * 2);
        }

        _points[Count] = point;
        _written[Count] = written;
        _atPoint[Count] = atPoint;
        _inGap[Count] = inGap;
        Count++;
    }
}

/// <summary>
/// Builds <see cref="DecisionFunction"/>s for one spec: per capacity, each policy's edges become demands (exactly, by
/// probing <see cref="Capacity.MetricValue(double, Model.LoadModel, double, int)"/>), and one sweep over them keeps
/// every policy's target and the winner (the largest target; ties to the policy declared first, as Decide does).
/// Reuses its buffers: building allocates nothing once they have grown.
/// </summary>
internal sealed class DecisionBuilder
{
    private readonly PolicyLevels[] _policies;
    private readonly int _min;
    private readonly int _max;
    private readonly int[] _run;
    private readonly int[] _target;
    /// <summary>A point where a policy's run changes.</summary>
    /// <param name="Anchor">Where the point goes: the switch, or the last double before it when the edge as written lands there.</param>
    /// <param name="At">The least demand at which the run starts.</param>
    /// <param name="Owner">The policy's index.</param>
    /// <param name="Run">The run that starts there.</param>
    /// <param name="Written">Whether the anchor is the edge as written.</param>
    private readonly record struct Switch(double Anchor, double At, int Owner, int Run, bool Written);

    private Switch[] _switches = new Switch[64];
    private int[] _order = new int[64];
    private double[] _sortKey = new double[64];
    private int _count;
    private int _best;
    private int _bestTarget;

    public DecisionBuilder(PolicyLevels[] policies, int min, int max)
    {
        _policies = policies;
        _min = min;
        _max = max;
        _run = new int[policies.Length];
        _target = new int[policies.Length];
    }

    /// <summary>The decision at capacity <paramref name="tasks"/> over demands [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public void Build(int tasks, double start, double end, DecisionFunction into)
    {
        _count = 0;
        for (var j = 0; j < _policies.Length; j++)
        {
            CollectEdges(j, tasks, start, end);
        }

        SortByAnchor();
        Recompute();
        Sweep(tasks, start, end, into);
    }

    /// <summary>Policy <paramref name="j"/>'s run and target at <paramref name="start"/>, and its edges in the range as switch points.</summary>
    private void CollectEdges(int j, int tasks, double start, double end)
    {
        var p = _policies[j];
        var startValue = p.MetricValue(start, tasks);
        if (double.IsNaN(startValue))
        {
            // A per-task metric with no tasks publishes nothing: the policy never acts.
            _run[j] = -1;
            _target[j] = int.MinValue;
            return;
        }

        _run[j] = p.RunAt(startValue);
        _target[j] = p.Target(_run[j], tasks, _min, _max);
        var endValue = double.IsPositiveInfinity(end) ? double.PositiveInfinity : p.MetricValue(end, tasks);
        var edges = p.Edges;
        for (var e = p.FirstEdgeAbove(startValue); e < edges.Length && edges[e].Level <= endValue; e++)
        {
            var at = p.DemandReaching(edges[e].Level, tasks);
            if (double.IsNaN(at))
            {
                continue;
            }

            // The point goes on whichever of the last double before the switch and the switch itself the edge as
            // written lands on, so an edge that is exact stays where it was written (and is reported there).
            var written = p.NominalDemand(edges[e].Nominal, tasks);
            var anchor = written < at ? Math.BitDecrement(at) : at;
            if (anchor >= end)
            {
                continue;
            }

            Push(anchor, anchor == written, at, j, edges[e].Run);
        }
    }

    /// <summary>One sweep over the sorted switch points: the decision at each point and in the gap after it.</summary>
    private void Sweep(int tasks, double start, double end, DecisionFunction into)
    {
        into.Reset(tasks, end);
        var i = 0;
        var point = start;
        while (true)
        {
            var group = i;
            var written = point == start;
            while (i < _count && _switches[_order[i]].Anchor == point)
            {
                written |= _switches[_order[i]].Written;
                i++;
            }

            // Switches at the point apply to it; switches one double above it apply from the gap on.
            ApplyGroup(group, i, point, tasks, atPoint: true);
            var atPoint = Current(tasks);
            ApplyGroup(group, i, point, tasks, atPoint: false);
            into.Add(point, written, atPoint, Current(tasks));
            if (i >= _count)
            {
                return;
            }

            point = _switches[_order[i]].Anchor;
        }
    }

    /// <summary>Applies the switches of sorted entries [<paramref name="from"/>, <paramref name="to"/>) that fall at the point, or those above it.</summary>
    private void ApplyGroup(int from, int to, double point, int tasks, bool atPoint)
    {
        for (var k = from; k < to; k++)
        {
            var e = _order[k];
            if ((_switches[e].At <= point) == atPoint)
            {
                Apply(e, tasks);
            }
        }
    }

    private void Push(double anchor, bool written, double at, int owner, int run)
    {
        if (_count == _switches.Length)
        {
            Array.Resize(ref _switches, _count * 2);
            Array.Resize(ref _order, _count * 2);
            Array.Resize(ref _sortKey, _count * 2);
        }

        _switches[_count] = new Switch(anchor, at, owner, run, written);
        _order[_count] = _count;
        _sortKey[_count] = anchor;
        _count++;
    }

    /// <summary>Orders the switches by anchor (<see cref="Push"/> wrote the keys; sorting permutes them with the order).</summary>
    private void SortByAnchor() => Array.Sort(_sortKey, _order, 0, _count);

    private void Apply(int e, int tasks)
    {
        var j = _switches[e].Owner;
        if (_switches[e].Run <= _run[j])
        {
            return;
        }

        _run[j] = _switches[e].Run;
        var t = _policies[j].Target(_run[j], tasks, _min, _max);
        _target[j] = t;
        if (j == _best)
        {
            if (t >= _bestTarget)
            {
                _bestTarget = t;
            }
            else
            {
                Recompute();
            }
        }
        else if (t != int.MinValue && (t > _bestTarget || (t == _bestTarget && j < _best)))
        {
            _best = j;
            _bestTarget = t;
        }
    }

    private void Recompute()
    {
        _best = -1;
        _bestTarget = int.MinValue;
        for (var j = 0; j < _target.Length; j++)
        {
            if (_target[j] != int.MinValue && _target[j] > _bestTarget)
            {
                _best = j;
                _bestTarget = _target[j];
            }
        }
    }

    private Decision Current(int tasks) => _best < 0 || _bestTarget == tasks ? new Decision(tasks, -1) : new Decision(_bestTarget, _best);
}

/// <summary>
/// The decision functions over the whole demand axis of the capacities used last (a capacity's is needed again as
/// the target of its neighbours), least recently used evicted; one capacity can be pinned while its cells are walked.
/// </summary>
internal sealed class DecisionCache
{
    private readonly DecisionBuilder _builder;
    private readonly int _lowest;
    private readonly int[] _slotOf;
    private readonly DecisionFunction[] _slots;
    private readonly int[] _capacityIn;
    private readonly long[] _used;
    private long _clock;

    public DecisionCache(DecisionBuilder builder, int lowest, int highest, int size = 48)
    {
        _builder = builder;
        _lowest = lowest;
        _slotOf = new int[highest - lowest + 1];
        Array.Fill(_slotOf, -1);
        _slots = new DecisionFunction[size];
        _capacityIn = new int[size];
        Array.Fill(_capacityIn, -1);
        _used = new long[size];
    }

    /// <summary>The decision function at <paramref name="capacity"/>, built if needed without evicting <paramref name="pinned"/>.</summary>
    public DecisionFunction Get(int capacity, int pinned = -1)
    {
        var slot = _slotOf[capacity - _lowest];
        if (slot < 0)
        {
            slot = 0;
            for (var s = 0; s < _slots.Length; s++)
            {
                if (_capacityIn[s] < 0)
                {
                    slot = s;
                    break;
                }

                if (_capacityIn[s] != pinned && (_capacityIn[slot] == pinned || _used[s] < _used[slot]))
                {
                    slot = s;
                }
            }

            if (_capacityIn[slot] >= 0)
            {
                _slotOf[_capacityIn[slot] - _lowest] = -1;
            }

            _slots[slot] ??= new DecisionFunction();
            _builder.Build(capacity, 0, double.PositiveInfinity, _slots[slot]);
            _capacityIn[slot] = capacity;
            _slotOf[capacity - _lowest] = slot;
        }

        _used[slot] = ++_clock;
        return _slots[slot];
    }
}
