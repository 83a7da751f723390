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
    /// Exact pricing: for each start town s, the best cycle of each length 2..K whose other towns are all
    /// greater than s, by a K-step DP over best-leg arc weights (top-2 predecessors keep 4-cycles simple).
    /// Returns columns with reduced profit &gt; eps (best first, at most <paramref name="maxColumns"/>)
    /// and the largest reduced profit per leg over all cycles (for the Lagrangian bound).
    /// </summary>
    public (List<(int[] Legs, double Reduced)> Columns, double MaxPerLeg) Price(double[] dual, double eps, int maxColumns, CancellationToken ct)
    {
        var m = _m;
        for (var la = 0; la < ArcCount; la++)
        {
            var a = _arcs[la];
            double best = double.NegativeInfinity; var bestLeg = -1;
            for (var e = m.ArcLegStart[a]; e < m.ArcLegStart[a + 1]; e++)
            {
                var r = m.LegProfit[e] - dual[m.LegOffer[e]] - dual[m.LegNeed[e]];
                if (r > best + 1e-12) { best = r; bestLeg = e; }
            }
            _w[la] = best; _bestLeg[la] = bestLeg;
        }

        var found = new List<(int[] Legs, double Reduced)>();
        var maxPerLeg = double.NegativeInfinity;
        var k = m.K;
        const double ninf = double.NegativeInfinity;
        Span<double> bestVal = stackalloc double[5];
        Span<int> bestEnd = stackalloc int[5];
        Span<int> bestClose = stackalloc int[5];
        for (var s = 0; s < TownCount; s++)
        {
            if ((s & 63) == 0) ct.ThrowIfCancellationRequested();
            _stampNow++;
            _t1.Clear(); _t2.Clear(); _t3.Clear();
            // Step 1: s → u.
            for (var i = _outStart[s]; i < _outStart[s + 1]; i++)
            {
                var la = _outArc[i]; var u = _to[la];
                if (u <= s) continue;
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
                        if (v <= s) continue;
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
                        if (x <= s) continue;
                        var second = _u2[v] == x;
                        var baseVal = second ? _d2b[v] : _d2[v];
                        if (double.IsNegativeInfinity(baseVal)) continue;
                        var val = baseVal + _w[la];
                        if (_s3[x] != _stampNow) { _s3[x] = _stampNow; _d3[x] = ninf; _t3.Add(x); }
                        if (val > _d3[x]) { _d3[x] = val; _a3[x] = la; _v3[x] = v; _second3[x] = second; }
                    }
            }
            // Close back to s; keep the best cycle of each length for this s.
            bestVal.Fill(ninf);
            for (var i = _inStart[s]; i < _inStart[s + 1]; i++)
            {
                var la = _inArc[i]; var y = _from[la];
                if (y <= s) continue;
                var wc = _w[la];
                if (_s1[y] == _stampNow) Consider(2, _d1[y] + wc, y, la, bestVal, bestEnd, bestClose);
                if (k >= 3 && _s2[y] == _stampNow) Consider(3, _d2[y] + wc, y, la, bestVal, bestEnd, bestClose);
                if (k >= 4 && _s3[y] == _stampNow) Consider(4, _d3[y] + wc, y, la, bestVal, bestEnd, bestClose);
            }
            for (var len = 2; len <= k; len++)
            {
                if (double.IsNegativeInfinity(bestVal[len])) continue;
                maxPerLeg = Math.Max(maxPerLeg, bestVal[len] / len);
                if (bestVal[len] > eps) found.Add((Rebuild(len, bestEnd[len], bestClose[len]), bestVal[len]));
            }
        }
        found.Sort((a, b) =>
        {
            var c = b.Reduced.CompareTo(a.Reduced);
            return c != 0 ? c : a.Legs.AsSpan().SequenceCompareTo(b.Legs);
        });
        if (found.Count > maxColumns) found.RemoveRange(maxColumns, found.Count - maxColumns);
        return (found, maxPerLeg);
    }

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

    private static void Consider(int len, double val, int end, int close, Span<double> bestVal, Span<int> bestEnd, Span<int> bestClose)
    {
        if (val > bestVal[len] + 1e-12) { bestVal[len] = val; bestEnd[len] = end; bestClose[len] = close; }
    }

    // Stamps tell which towns were reached at each DP step from the current start town, so nothing is reset per start.
    private readonly int[] _s1, _s2, _s3;
    private int _stampNow;
    private readonly List<int> _t1 = [], _t2 = [], _t3 = [];
}
