namespace TradeNet.Matching.Engine;

/// <summary>
/// One strongly connected part of the town graph, with local adjacency for pricing.
/// Towns get local numbers in global order, so "start each cycle at its smallest town" is deterministic.
/// </summary>
internal sealed class Component
{
    private readonly Market _m;
    private readonly int[] _arcs;        // local arc → global arc
    private readonly int[] _from, _to;   // local town ids per local arc
    private readonly int[] _outStart, _outArc, _inStart, _inArc;
    public int TownCount { get; }
    public int ArcCount => _arcs.Length;
    /// <summary>The component's arcs (global ids).</summary>
    public int[] ArcIds => _arcs;
    public int[] Listings { get; }

    public Component(Market m, int[] globalArcs, int[] localOfTown)
    {
        _m = m;
        _arcs = globalArcs;
        var towns = globalArcs.SelectMany(a => new[] { m.ArcFrom[a], m.ArcTo[a] }).Distinct().Order().ToArray();
        TownCount = towns.Length;
        for (var i = 0; i < towns.Length; i++) localOfTown[towns[i]] = i;
        _from = globalArcs.Select(a => localOfTown[m.ArcFrom[a]]).ToArray();
        _to = globalArcs.Select(a => localOfTown[m.ArcTo[a]]).ToArray();
        (_outStart, _outArc) = Csr(_from, _to);
        (_inStart, _inArc) = Csr(_to, _from);
        var listings = new SortedSet<int>();
        foreach (var a in globalArcs)
            for (var e = m.ArcLegStart[a]; e < m.ArcLegStart[a + 1]; e++) { listings.Add(m.LegOffer[e]); listings.Add(m.LegNeed[e]); }
        Listings = listings.ToArray();
        _bestFromSource = new double[TownCount];
        _offerCapacity = new double[TownCount];
        foreach (var l in Listings)
            if (m.Book.Listings[l].Kind == ListingKind.Offer) _offerCapacity[localOfTown[m.ListingTown[l]]] += m.Cap[l];
        _w = new double[ArcCount];
        _bestLeg = new int[ArcCount];
        _d1 = new double[TownCount]; _a1 = new int[TownCount];
        _d2 = new double[TownCount]; _a2 = new int[TownCount]; _u2 = new int[TownCount];
        _d2b = new double[TownCount]; _a2b = new int[TownCount]; _u2b = new int[TownCount];
        _d3 = new double[TownCount]; _a3 = new int[TownCount]; _v3 = new int[TownCount]; _second3 = new bool[TownCount];
        _s1 = new int[TownCount]; _s2 = new int[TownCount]; _s3 = new int[TownCount];
    }

    // Arcs grouped by key town, each group sorted by the other end (then arc id): deterministic scans.
    private (int[] Start, int[] Arc) Csr(int[] key, int[] other)
    {
        var start = new int[TownCount + 1];
        foreach (var k in key) start[k + 1]++;
        for (var i = 0; i < TownCount; i++) start[i + 1] += start[i];
        var order = Enumerable.Range(0, key.Length).OrderBy(a => key[a]).ThenBy(a => other[a]).ThenBy(a => a).ToArray();
        return (start, order);
    }

    private readonly double[] _w;
    private readonly int[] _bestLeg;
    private readonly double[] _d1, _d2, _d2b, _d3;
    private readonly int[] _a1, _a2, _u2, _a2b, _u2b, _a3, _v3;
    private readonly bool[] _second3;

    /// <summary>
    /// Pricing over the min-lot buckets: a cycle can carry a value only if the largest min lot of its
    /// listings (its Min) is at most the smallest capacity (its Upper). Every such cycle has Min in exactly
    /// one bucket (lo, hi], and then uses only legs with min lots ≤ hi and capacities ≥ max(lo, leg min),
    /// so pricing each bucket's leg graph covers every usable cycle while skipping most unusable ones.
    /// The relaxation stays valid and gets much tighter than pricing on all legs.
    /// </summary>
    /// <remarks>
    /// Also returns a Lagrangian bound term: every cycle starts at its smallest town s and uses one offer of s,
    /// so Σ reduced profit × V ≤ Σ_s (best reduced profit of cycles starting at s)⁺ × (offer capacity of s).
    /// </remarks>
    public (List<(int[] Legs, double Reduced)> Columns, double LagrangianTerm) Price(double[] dual, double eps, int maxColumns, CancellationToken ct)
    {
        var found = new List<(int[] Legs, double Reduced)>();
        Array.Fill(_bestFromSource, 0);
        foreach (var (lo, hi) in Buckets)
            PriceBucket(dual, eps, lo, hi, found, ct);
        var lagrangian = 0.0;
        for (var s = 0; s < TownCount; s++) lagrangian += _bestFromSource[s] * _offerCapacity[s];
        found.Sort((a, b) =>
        {
            var c = b.Reduced.CompareTo(a.Reduced);
            return c != 0 ? c : a.Legs.AsSpan().SequenceCompareTo(b.Legs);
        });
        var unique = new List<(int[] Legs, double Reduced)>();
        for (var i = 0; i < found.Count && unique.Count < maxColumns; i++)
            if (i == 0 || !found[i].Legs.AsSpan().SequenceEqual(found[i - 1].Legs)) unique.Add(found[i]);
        return (unique, lagrangian);
    }

    private readonly double[] _bestFromSource;
    private readonly double[] _offerCapacity;

    /// <summary>Min-lot buckets: {0} then (t_i, t_i·ρ] from the smallest positive min lot up to the largest.</summary>
    public List<(double Lo, double Hi)> Buckets { get; private set; } = [];

    /// <summary>The ratio the buckets were made with (see <see cref="SetBuckets"/>).</summary>
    public double BucketRatio { get; private set; } = 2;

    public void SetBuckets(double ratio)
    {
        BucketRatio = ratio;
        var mins = Listings.Select(l => _m.MinValue[l]).ToArray();
        Buckets = [];
        if (mins.Any(v => v <= 0)) Buckets.Add((-1, 0));
        var positive = mins.Where(v => v > 0).ToArray();
        if (positive.Length == 0) return;
        double lo = 0, hi = positive.Min(), max = positive.Max();
        while (true)
        {
            var (l, h) = (lo, hi);
            if (positive.Any(v => v > l && v <= h)) Buckets.Add((lo, hi));
            if (hi >= max) break;
            lo = hi; hi *= ratio;
        }
    }

    /// <summary>K-step DP for one bucket (see <see cref="Price"/>): for each start town s, the best cycle of each
    /// length whose other towns are all greater than s; top-2 predecessors keep 4-cycles simple.</summary>
    private void PriceBucket(double[] dual, double eps, double lo, double hi, List<(int[] Legs, double Reduced)> found, CancellationToken ct)
    {
        var m = _m;
        for (var la = 0; la < ArcCount; la++)
        {
            var a = _arcs[la];
            double best = double.NegativeInfinity; var bestLeg = -1;
            for (var e = m.ArcLegStart[a]; e < m.ArcLegStart[a + 1]; e++)
            {
                int o = m.LegOffer[e], n = m.LegNeed[e];
                var legMin = Math.Max(m.MinValue[o], m.MinValue[n]);
                if (legMin > hi || Math.Min(m.Cap[o], m.Cap[n]) < Math.Max(lo, legMin)) continue;
                var r = m.LegProfit[e] - dual[o] - dual[n];
                if (r > best + 1e-12) { best = r; bestLeg = e; }
            }
            _w[la] = best; _bestLeg[la] = bestLeg;
        }

        var k = m.K;
        const double ninf = double.NegativeInfinity;
        for (var s = 0; s < TownCount; s++)
        {
            if ((s & 63) == 0) ct.ThrowIfCancellationRequested();
            _stampNow++;
            _t1.Clear(); _t2.Clear(); _t3.Clear();
            // Step 1: s → u.
            for (var i = _outStart[s]; i < _outStart[s + 1]; i++)
            {
                var la = _outArc[i]; var u = _to[la];
                if (u <= s || _bestLeg[la] < 0) continue;
                _s1[u] = _stampNow; _d1[u] = _w[la]; _a1[u] = la; _t1.Add(u);
            }
            if (_t1.Count == 0) continue;
            // Step 2: s → u → v, keeping the best two with different u.
            if (k >= 3)
            {
                foreach (var u in _t1)
                    for (var i = _outStart[u]; i < _outStart[u + 1]; i++)
                    {
                        var la = _outArc[i]; var v = _to[la];
                        if (v <= s || _bestLeg[la] < 0) continue;
                        var val = _d1[u] + _w[la];
                        if (_s2[v] != _stampNow) { _s2[v] = _stampNow; _d2[v] = ninf; _d2b[v] = ninf; _t2.Add(v); }
                        if (val > _d2[v]) { _d2b[v] = _d2[v]; _a2b[v] = _a2[v]; _u2b[v] = _u2[v]; _d2[v] = val; _a2[v] = la; _u2[v] = u; }
                        else if (val > _d2b[v]) { _d2b[v] = val; _a2b[v] = la; _u2b[v] = u; }
                    }
            }
            // Step 3: s → u → v → x with x ≠ u.
            if (k >= 4)
            {
                foreach (var v in _t2)
                    for (var i = _outStart[v]; i < _outStart[v + 1]; i++)
                    {
                        var la = _outArc[i]; var x = _to[la];
                        if (x <= s || _bestLeg[la] < 0) continue;
                        var second = _u2[v] == x;
                        var baseVal = second ? _d2b[v] : _d2[v];
                        if (double.IsNegativeInfinity(baseVal)) continue;
                        var val = baseVal + _w[la];
                        if (_s3[x] != _stampNow) { _s3[x] = _stampNow; _d3[x] = ninf; _t3.Add(x); }
                        if (val > _d3[x]) { _d3[x] = val; _a3[x] = la; _v3[x] = v; _second3[x] = second; }
                    }
            }
            // Close back to s. Every closing town y gives the best cycle through (…, y, s) of each length;
            // keep the best few per s so one round brings many diverse columns (fewer LP re-solves).
            _closing.Clear();
            for (var i = _inStart[s]; i < _inStart[s + 1]; i++)
            {
                var la = _inArc[i]; var y = _from[la];
                if (y <= s || _bestLeg[la] < 0) continue;
                var wc = _w[la];
                if (_s1[y] == _stampNow) Close(2, _d1[y] + wc, y, la, s);
                if (k >= 3 && _s2[y] == _stampNow) Close(3, _d2[y] + wc, y, la, s);
                if (k >= 4 && _s3[y] == _stampNow) Close(4, _d3[y] + wc, y, la, s);
            }
            if (_closing.Count == 0) continue;
            _closing.Sort((a, b) => b.Val != a.Val ? b.Val.CompareTo(a.Val) : a.Len != b.Len ? a.Len.CompareTo(b.Len) : a.End.CompareTo(b.End));
            for (var i = 0; i < _closing.Count && i < PerSource; i++)
            {
                var (len, val, end, close) = _closing[i];
                found.Add((Rebuild(len, end, close), val));
            }
        }

        void Close(int len, double val, int end, int close, int s)
        {
            _bestFromSource[s] = Math.Max(_bestFromSource[s], val);
            if (val > eps) _closing.Add((len, val, end, close));
        }
    }

    /// <summary>Columns kept per start town and bucket in one pricing round.</summary>
    public int PerSource { get; set; } = 4;
    private readonly List<(int Len, double Val, int End, int Close)> _closing = [];

    /// <summary>
    /// Every simple cycle of ≤ K towns with every choice of leg per arc, or null when there are more
    /// than <paramref name="limit"/>. Used only to prove optimality on small components.
    /// </summary>
    public List<int[]>? EnumerateAll(int limit, CancellationToken ct)
    {
        var result = new List<int[]>();
        var path = new int[_m.K];   // local arcs
        var onPath = new bool[TownCount];
        var overflow = false;
        for (var s = 0; s < TownCount && !overflow; s++)
        {
            ct.ThrowIfCancellationRequested();
            onPath[s] = true;
            Dfs(s, s, 0);
            onPath[s] = false;
        }
        return overflow ? null : result;

        void Dfs(int s, int at, int depth)
        {
            if (overflow) return;
            for (var i = _outStart[at]; i < _outStart[at + 1]; i++)
            {
                var la = _outArc[i]; var nx = _to[la];
                if (nx == s && depth >= 1)
                {
                    path[depth] = la;
                    EmitLegChoices(depth + 1);
                    if (overflow) return;
                    continue;
                }
                if (nx <= s || onPath[nx] || depth + 1 >= _m.K) continue;
                path[depth] = la; onPath[nx] = true;
                Dfs(s, nx, depth + 1);
                onPath[nx] = false;
            }
        }

        void EmitLegChoices(int len)
        {
            var legs = new int[len];
            Choose(0);
            void Choose(int i)
            {
                if (overflow) return;
                if (i == len)
                {
                    if (result.Count >= limit) { overflow = true; return; }
                    result.Add((int[])legs.Clone());
                    return;
                }
                var a = _arcs[path[i]];
                for (var e = _m.ArcLegStart[a]; e < _m.ArcLegStart[a + 1]; e++) { legs[i] = e; Choose(i + 1); }
            }
        }
    }

    private int[] Rebuild(int len, int end, int closeArc)
    {
        var arcs = new int[len];
        arcs[len - 1] = closeArc;
        switch (len)
        {
            case 2:
                arcs[0] = _a1[end];
                break;
            case 3:
                arcs[1] = _a2[end];
                arcs[0] = _a1[_u2[end]];
                break;
            case 4:
                {
                    var v = _v3[end];
                    arcs[2] = _a3[end];
                    var second = _second3[end];
                    var u = second ? _u2b[v] : _u2[v];
                    arcs[1] = second ? _a2b[v] : _a2[v];
                    arcs[0] = _a1[u];
                    break;
                }
        }
        return arcs.Select(la => _bestLeg[la]).ToArray();
    }

    // Stamps tell which towns were reached at each DP step from the current start town, so nothing is reset per start.
    private readonly int[] _s1, _s2, _s3;
    private int _stampNow;
    private readonly List<int> _t1 = [], _t2 = [], _t3 = [];
}
