namespace TradeNet.Matching.Engine;

/// <summary>
/// One strongly connected part of the town graph, with local adjacency for pricing.
/// Towns get local numbers in global order, so "start each cycle at its smallest town" is deterministic.
/// </summary>
internal sealed partial class Component
{
    private readonly Market _m;
    private readonly int[] _arcs;        // local arc → global arc
    private readonly int[] _from, _to;   // local town ids per local arc
    private readonly int[] _outStart, _outArc, _inStart, _inArc;
    // Donor towns (local ids): they start chains and can be on no other path (donors come first, so a chain starts at its donor).
    private readonly bool[] _donor;
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
        _donor = towns.Select(t => m.Donor[t]).ToArray();
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
        var needs = new List<int>[TownCount];
        for (var i = 0; i < Listings.Length; i++)
        {
            var l = Listings[i];
            var t = localOfTown[m.ListingTown[l]];
            if (m.Book.Listings[l].Kind == ListingKind.Offer) _offerCapacity[t] += m.Cap[l];
            else (needs[t] ??= []).Add(i);
        }
        _needsOfTown = needs.Select(n => n?.ToArray() ?? []).ToArray();
        // The need side of the Lagrangian term works on local numbers: a book with many components stays small.
        _legStart = new int[ArcCount + 1];
        for (var la = 0; la < ArcCount; la++) _legStart[la + 1] = _legStart[la] + m.ArcLegStart[_arcs[la] + 1] - m.ArcLegStart[_arcs[la]];
        _legNeed = new int[_legStart[ArcCount]];
        for (var la = 0; la < ArcCount; la++)
            for (var e = m.ArcLegStart[_arcs[la]]; e < m.ArcLegStart[_arcs[la] + 1]; e++)
                _legNeed[_legStart[la] + e - m.ArcLegStart[_arcs[la]]] = Array.BinarySearch(Listings, m.LegNeed[e]);
        _bestIntoNeed = new double[Listings.Length];
        _byLegs = new double[Listings.Length];
        _bestThroughLeg = new double[_legNeed.Length];
        _legReduced = new double[_legNeed.Length];
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

    /// <summary>Legs a cycle from local town <paramref name="s"/> may have: a chain's real legs plus its virtual one from a donor, K otherwise.</summary>
    private int MaxLegsFrom(int s) => _donor[s] ? _m.ChainCap + 1 : _m.CycleCap;

    /// <summary>Whether a path from <paramref name="s"/> may pass through local town <paramref name="t"/>: towns after s, never a donor.</summary>
    private bool CanVisit(int s, int t) => t > s && !_donor[t];

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
    /// It also closes through one need n of s over one leg e, so per s the cycles' share is also at most
    /// Σ_n min(R_n⁺ × cap_n, Σ_e R_e⁺ × min cap of e) (R: the best reduced profit of a cycle through n, e); the
    /// smaller of the two counts. Near the LP optimum few needs still price positive, so this is much smaller
    /// (10,000 listings: the bound's excess over the LP from 5.0 k to 2.7 k).
    /// </remarks>
    public (List<(int[] Legs, double Reduced)> Columns, double LagrangianTerm) Price(double[] dual, double eps, int maxColumns, CancellationToken ct)
    {
        var found = new List<(int[] Legs, double Reduced)>();
        Array.Fill(_bestFromSource, 0);
        Array.Fill(_bestIntoNeed, 0);
        Array.Fill(_byLegs, 0);
        Array.Fill(_bestThroughLeg, 0);
        Array.Fill(MaxReducedByLength, 0);
        foreach (var (lo, hi) in Buckets)
            PriceBucket(dual, eps, lo, hi, found, ct);
        var lagrangian = 0.0;
        for (var la = 0; la < ArcCount; la++)
            for (int e = _m.ArcLegStart[_arcs[la]], j = _legStart[la]; j < _legStart[la + 1]; e++, j++)
                _byLegs[_legNeed[j]] += _bestThroughLeg[j] * Math.Min(_m.Cap[_m.LegOffer[e]], _m.Cap[_m.LegNeed[e]]);
        for (var s = 0; s < TownCount; s++)
        {
            // The cycles from s use one offer and one need of s each: either side's capacities bound their amounts,
            // and so do those of the leg that closes them.
            var byNeed = 0.0;
            foreach (var n in _needsOfTown[s]) byNeed += Math.Min(_bestIntoNeed[n] * _m.Cap[Listings[n]], _byLegs[n]);
            lagrangian += Math.Min(_bestFromSource[s] * _offerCapacity[s], byNeed);
        }
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
    // Need side of the Lagrangian term, in local numbers: listings (index into Listings) and legs (_legStart per local arc).
    private readonly int[][] _needsOfTown;
    private readonly int[] _legStart, _legNeed;
    // Best reduced profit of a cycle closing through each need / each leg, and Σ over a need's legs of leg best × leg capacity.
    private readonly double[] _bestIntoNeed, _bestThroughLeg, _byLegs;
    // The current bucket's reduced profit per leg (−∞ outside it), written before its start towns are priced.
    private readonly double[] _legReduced;

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

    /// <summary>
    /// Splits each bucket that holds one of <paramref name="mins"/>: one wider than <paramref name="ratio"/> into
    /// buckets that wide (counted down from its top), a narrower one into one bucket per min value v, (v⁻, v], where
    /// every leg must hold v and so no cycle whose Min exceeds its Upper can pass. Each usable cycle still lies in the
    /// bucket of its Min, so pricing stays complete. Returns how many buckets were split (0: nothing left to split).
    /// </summary>
    public int RefineBuckets(IReadOnlyCollection<double> mins, double ratio)
    {
        var values = Listings.Select(l => _m.MinValue[l]).Where(v => v > 0).Distinct().Order().ToArray();
        var refined = new List<(double Lo, double Hi)>();
        var split = 0;
        foreach (var (lo, hi) in Buckets)
        {
            if (lo < 0 || lo == Math.BitDecrement(hi) || !mins.Any(v => v > lo && v <= hi))
            {
                refined.Add((lo, hi));
                continue;
            }
            split++;
            var inside = values.Where(v => v > lo && v <= hi).ToArray();
            if (lo > 0 && hi <= lo * ratio * (1 + 1e-9))
            {
                refined.AddRange(inside.Select(v => (Math.BitDecrement(v), v)));
                continue;
            }
            var parts = new List<(double Lo, double Hi)>();
            for (var h = hi; h >= inside[0]; h /= ratio)
            {
                var l = Math.Max(lo, h / ratio);
                if (inside.Any(v => v > l && v <= h)) parts.Add((l, h));
            }
            parts.Reverse();
            refined.AddRange(parts);
        }
        Buckets = refined;
        return split;
    }

    /// <summary>Whether pricing can still produce the column: some bucket (lo, hi] has its lot Min ≤ hi and Upper ≥ lo.</summary>
    public bool Priceable(Column c) => Buckets.Any(b => c.LotMin <= b.Hi && c.Upper >= b.Lo);

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
            Dfs(s, s, 0, MaxLegsFrom(s));
            onPath[s] = false;
        }
        return overflow ? null : result;

        void Dfs(int s, int at, int depth, int maxLegs)
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
                if (!CanVisit(s, nx) || onPath[nx] || depth + 1 >= maxLegs) continue;
                path[depth] = la; onPath[nx] = true;
                Dfs(s, nx, depth + 1, maxLegs);
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

}
