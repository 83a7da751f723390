namespace TradeNet.Matching.Engine;

internal sealed partial class Component
{
    // Below this many arcs one thread prices faster than two (the split costs more than it saves).
    private const int ParallelPricingArcs = 20_000;
    private double[]? _w;
    private int[]? _bestLeg;
    private Scratch[] _scratch = [];

    /// <summary>Columns kept per start town and bucket in one pricing round.</summary>
    public int PerSource { get; set; } = 4;

    /// <summary>After <see cref="Price"/>: the best reduced profit (≥ 0) of any cycle of each length, indexed by length.</summary>
    public double[] MaxReducedByLength { get; } = new double[BookValidator.MaxSupportedCycleLength + 1];

    /// <summary>K-step DP for one bucket (see <see cref="Price"/>): for each start town s, the best cycle of each
    /// length whose other towns are all greater than s; top-2 predecessors keep 4-cycles simple. Start towns
    /// are independent, so big components split them over the cores; each start town's cycles are appended
    /// in town order, so the result does not depend on the split.</summary>
    private void PriceBucket(double[] dual, double eps, double lo, double hi, List<(int[] Legs, double Reduced)> found, CancellationToken ct)
    {
        var m = _m;
        var w = _w ??= new double[ArcCount];
        var bestLeg = _bestLeg ??= new int[ArcCount];
        for (var la = 0; la < ArcCount; la++)
        {
            var a = _arcs[la];
            double best = double.NegativeInfinity; var choice = -1;
            for (int e = m.ArcLegStart[a], j = _legStart[la]; e < m.ArcLegStart[a + 1]; e++, j++)
            {
                // Kept per leg for the bound's need side (CloseThroughNeeds), which reads each closing arc's legs.
                _legReduced[j] = double.NegativeInfinity;
                if (!InBucket(e, lo, hi)) continue;
                var r = _legReduced[j] = m.LegProfit[e] - dual[m.LegOffer[e]] - dual[m.LegNeed[e]];
                if (r > best + 1e-12) { best = r; choice = e; }
            }
            w[la] = best; bestLeg[la] = choice;
        }

        var workers = ArcCount >= ParallelPricingArcs ? Math.Clamp(Environment.ProcessorCount, 1, 4) : 1;
        if (_scratch.Length < workers)
            _scratch = Enumerable.Range(0, workers).Select(_ => new Scratch(TownCount)).ToArray();
        var perSource = new List<(int[] Legs, double Reduced)>?[TownCount];
        if (workers == 1) PriceSources(_scratch[0], 0, 1);
        else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct },
            i => PriceSources(_scratch[i], i, workers));
        foreach (var list in perSource)
            if (list is not null) found.AddRange(list);
        foreach (var x in _scratch.Take(workers))
            for (var len = 0; len < MaxReducedByLength.Length; len++)
                MaxReducedByLength[len] = Math.Max(MaxReducedByLength[len], x.MaxReducedByLength[len]);

        void PriceSources(Scratch x, int first, int step)
        {
            Array.Fill(x.MaxReducedByLength, 0);
            for (var s = first; s < TownCount; s += step)
            {
                if ((s & 63) == first) ct.ThrowIfCancellationRequested();
                perSource[s] = PriceSource(s, x, w, bestLeg, eps);
            }
        }
    }

    private List<(int[] Legs, double Reduced)>? PriceSource(int s, Scratch x, double[] w, int[] bestLeg, double eps)
    {
        var k = MaxLegsFrom(s);
        const double ninf = double.NegativeInfinity;
        x.Stamp++;
        x.T1.Clear(); x.T2.Clear(); x.T3.Clear();
        // Step 1: s → u.
        for (var i = _outStart[s]; i < _outStart[s + 1]; i++)
        {
            var la = _outArc[i]; var u = _to[la];
            if (!CanVisit(s, u) || bestLeg[la] < 0) continue;
            x.S1[u] = x.Stamp; x.D1[u] = w[la]; x.A1[u] = la; x.T1.Add(u);
        }
        if (x.T1.Count == 0) return null;
        // Step 2: s → u → v, keeping the best two with different u.
        if (k >= 3)
        {
            foreach (var u in x.T1)
                for (var i = _outStart[u]; i < _outStart[u + 1]; i++)
                {
                    var la = _outArc[i]; var v = _to[la];
                    if (!CanVisit(s, v) || bestLeg[la] < 0) continue;
                    var val = x.D1[u] + w[la];
                    if (x.S2[v] != x.Stamp) { x.S2[v] = x.Stamp; x.D2[v] = ninf; x.D2b[v] = ninf; x.T2.Add(v); }
                    if (val > x.D2[v]) { x.D2b[v] = x.D2[v]; x.A2b[v] = x.A2[v]; x.U2b[v] = x.U2[v]; x.D2[v] = val; x.A2[v] = la; x.U2[v] = u; }
                    else if (val > x.D2b[v]) { x.D2b[v] = val; x.A2b[v] = la; x.U2b[v] = u; }
                }
        }
        // Step 3: s → u → v → y with y ≠ u.
        if (k >= 4)
        {
            foreach (var v in x.T2)
                for (var i = _outStart[v]; i < _outStart[v + 1]; i++)
                {
                    var la = _outArc[i]; var y = _to[la];
                    if (!CanVisit(s, y) || bestLeg[la] < 0) continue;
                    var second = x.U2[v] == y;
                    var baseVal = second ? x.D2b[v] : x.D2[v];
                    if (double.IsNegativeInfinity(baseVal)) continue;
                    var val = baseVal + w[la];
                    if (x.S3[y] != x.Stamp) { x.S3[y] = x.Stamp; x.D3[y] = ninf; x.T3.Add(y); }
                    if (val > x.D3[y]) { x.D3[y] = val; x.A3[y] = la; x.V3[y] = v; x.Second3[y] = second; }
                }
        }
        // Close back to s. Every closing town gives the best cycle through (…, it, s) of each length;
        // keep the best few per s so one round brings many diverse columns (fewer LP re-solves).
        x.Closing.Clear();
        for (var i = _inStart[s]; i < _inStart[s + 1]; i++)
        {
            var la = _inArc[i]; var end = _from[la];
            if (end <= s || bestLeg[la] < 0) continue;
            var wc = w[la];
            var path = double.NegativeInfinity;
            if (x.S1[end] == x.Stamp) { Close(2, x.D1[end] + wc, end, la); path = x.D1[end]; }
            if (k >= 3 && x.S2[end] == x.Stamp) { Close(3, x.D2[end] + wc, end, la); path = Math.Max(path, x.D2[end]); }
            if (k >= 4 && x.S3[end] == x.Stamp) { Close(4, x.D3[end] + wc, end, la); path = Math.Max(path, x.D3[end]); }
            if (!double.IsNegativeInfinity(path)) CloseThroughNeeds(la, path);
        }
        if (x.Closing.Count == 0) return null;
        x.Closing.Sort((a, b) => b.Val != a.Val ? b.Val.CompareTo(a.Val) : a.Len != b.Len ? a.Len.CompareTo(b.Len) : a.End.CompareTo(b.End));
        var result = new List<(int[] Legs, double Reduced)>(Math.Min(PerSource, x.Closing.Count));
        for (var i = 0; i < x.Closing.Count && i < PerSource; i++)
        {
            var (len, val, end, close) = x.Closing[i];
            result.Add((Rebuild(x, bestLeg, len, end, close), val));
        }
        return result;

        void Close(int len, double val, int end, int close)
        {
            // Each source has its own slot and the caller owns this scratch, so nothing here races.
            _bestFromSource[s] = Math.Max(_bestFromSource[s], val);
            x.MaxReducedByLength[len] = Math.Max(x.MaxReducedByLength[len], val);
            if (val > eps) x.Closing.Add((len, val, end, close));
        }
    }

    /// <summary>For the Lagrangian bound: the best cycle closing through each need of the start town over this arc,
    /// whichever of the arc's legs (in the bucket) it uses.</summary>
    private void CloseThroughNeeds(int localArc, double path)
    {
        for (var j = _legStart[localArc]; j < _legStart[localArc + 1]; j++)
        {
            if (double.IsNegativeInfinity(_legReduced[j])) continue; // not in this bucket
            var r = path + _legReduced[j];
            _bestIntoNeed[_legNeed[j]] = Math.Max(_bestIntoNeed[_legNeed[j]], r);
            _bestThroughLeg[j] = Math.Max(_bestThroughLeg[j], r);
        }
    }

    /// <summary>Whether leg <paramref name="e"/> belongs to the leg graph of min-lot bucket (lo, hi]: its own min lot
    /// at most hi, and both listings able to hold the larger of lo and that lot.</summary>
    private bool InBucket(int e, double lo, double hi)
    {
        int o = _m.LegOffer[e], n = _m.LegNeed[e];
        var legMin = Math.Max(_m.MinValue[o], _m.MinValue[n]);
        return legMin <= hi && Math.Min(_m.Cap[o], _m.Cap[n]) >= Math.Max(lo, legMin);
    }

    private static int[] Rebuild(Scratch x, int[] bestLeg, int len, int end, int closeArc)
    {
        var arcs = new int[len];
        arcs[len - 1] = closeArc;
        switch (len)
        {
            case 2:
                arcs[0] = x.A1[end];
                break;
            case 3:
                arcs[1] = x.A2[end];
                arcs[0] = x.A1[x.U2[end]];
                break;
            case 4:
                {
                    var v = x.V3[end];
                    arcs[2] = x.A3[end];
                    var second = x.Second3[end];
                    var u = second ? x.U2b[v] : x.U2[v];
                    arcs[1] = second ? x.A2b[v] : x.A2[v];
                    arcs[0] = x.A1[u];
                    break;
                }
        }
        return arcs.Select(la => bestLeg[la]).ToArray();
    }

    /// <summary>One pricing thread's DP state. Stamps tell which towns were reached at each step from the
    /// current start town, so nothing is reset per start.</summary>
    private sealed class Scratch(int towns)
    {
        public readonly double[] D1 = new double[towns], D2 = new double[towns], D2b = new double[towns], D3 = new double[towns];
        public readonly int[] A1 = new int[towns], A2 = new int[towns], U2 = new int[towns], A2b = new int[towns], U2b = new int[towns];
        public readonly int[] A3 = new int[towns], V3 = new int[towns];
        public readonly bool[] Second3 = new bool[towns];
        public readonly int[] S1 = new int[towns], S2 = new int[towns], S3 = new int[towns];
        public readonly List<int> T1 = [], T2 = [], T3 = [];
        public readonly List<(int Len, double Val, int End, int Close)> Closing = [];
        public readonly double[] MaxReducedByLength = new double[BookValidator.MaxSupportedCycleLength + 1];
        public int Stamp;
    }
}
