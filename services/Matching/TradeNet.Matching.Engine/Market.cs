namespace TradeNet.Matching.Engine;

/// <summary>
/// The book compiled to arrays: listings with capacities in value units (credits), and the fitting
/// (offer, need) pairs ("legs") grouped by town arc. Everything downstream works on indexes.
/// </summary>
internal sealed class Market
{
    public required Book Book { get; init; }
    /// <summary>The pricing depth: the longest cycle, counting a chain's virtual leg back to its donor.</summary>
    public required int K { get; init; }
    /// <summary>Cycle cap (towns per cycle) and chain cap (real legs per chain, 0: no chains).</summary>
    public required int CycleCap { get; init; }
    public required int ChainCap { get; init; }
    /// <summary>Per town: a donor (gives only; chains start there). Donors come first in town order.</summary>
    public required bool[] Donor { get; init; }
    /// <summary>Listings from this index on are the virtual ones that close chains (see <see cref="ChainBook"/>).</summary>
    public required int RealListings { get; init; }
    public required double DetourFactor { get; init; }

    // Listings (indexes into Book.Listings).
    public required int[] ListingTown { get; init; }
    public required double[] Cap { get; init; }      // quantity × value
    public required double[] MinValue { get; init; } // minLot × value
    public required double[] CategoryValue { get; init; }
    /// <summary>With whole pieces on: per listing its value per piece on the <see cref="PieceSteps"/> grid, 0 when its
    /// good is not counted in pieces. Null when the option is off.</summary>
    public long[]? PieceGrid { get; init; }

    // Legs sorted by (from town, to town, offer, need): arc a owns legs ArcLegStart[a]..ArcLegStart[a+1].
    public required int[] LegOffer { get; init; }
    public required int[] LegNeed { get; init; }
    public required double[] LegProfit { get; init; } // per unit of value: 1 − transport cost / value
    public required int[] ArcFrom { get; init; }
    public required int[] ArcTo { get; init; }
    public required int[] ArcLegStart { get; init; }

    public int TownCount => Book.Towns.Count;
    public bool IsVirtual(int listing) => listing >= RealListings;
    /// <summary>The leg that closes a chain back to its donor: it moves nothing.</summary>
    public bool IsChainEnd(int leg) => IsVirtual(LegNeed[leg]);

    /// <summary>The same market with other capacities (the residual after earlier passes).</summary>
    public Market WithCaps(double[] caps) => new()
    {
        Book = Book, K = K, CycleCap = CycleCap, ChainCap = ChainCap, Donor = Donor, RealListings = RealListings, DetourFactor = DetourFactor,
        ListingTown = ListingTown, Cap = caps, MinValue = MinValue, CategoryValue = CategoryValue, PieceGrid = PieceGrid,
        LegOffer = LegOffer, LegNeed = LegNeed, LegProfit = LegProfit,
        ArcFrom = ArcFrom, ArcTo = ArcTo, ArcLegStart = ArcLegStart,
    };
    /// <summary>The quantity a leg through <paramref name="offer"/> carries at <paramref name="value"/>; with whole pieces a
    /// piece leg's float noise (4.9999999 panels) is rounded away, so the ledgers downstream get whole pieces.</summary>
    public double Quantity(int offer, double value)
    {
        var quantity = value / CategoryValue[offer];
        return PieceGrid is { } grid && grid[offer] > 0 && PieceSteps.IsWhole(quantity) ? Math.Round(quantity) : quantity;
    }

    public int ArcCount => ArcFrom.Length;
    public int LegCount => LegOffer.Length;
    /// <summary>How many legs are virtual chain ends (not real fits).</summary>
    public int ChainEndLegs => LegNeed.Count(IsVirtual);

    /// <summary>See <see cref="SolveOptions.MaxLegsPerTownPair"/>.</summary>
    public const int DefaultMaxLegsPerTownPair = 4_096;

    /// <param name="k">Cycle cap; chains follow the book's <see cref="Settings.MaxChainLength"/>.</param>
    /// <param name="maxLegsPerTownPair">Legs kept per town arc (<see cref="SolveOptions.MaxLegsPerTownPair"/>).</param>
    public static Market Build(Book input, int k, TransportCostPerUnit? transport, CancellationToken ct,
        int maxLegsPerTownPair = DefaultMaxLegsPerTownPair)
    {
        if (maxLegsPerTownPair < 1) throw new ArgumentOutOfRangeException(nameof(maxLegsPerTownPair), maxLegsPerTownPair, "must be at least 1");
        var settings = input.Settings ?? new Settings();
        var chainCap = ChainBook.Applies(input) ? settings.MaxChainLength : 0;
        var book = chainCap > 0 ? ChainBook.Augment(input) : input;
        var realListings = input.Listings.Count; // the virtual listings that close chains come after these
        var townIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < book.Towns.Count; i++) townIndex[book.Towns[i].Id] = i;
        var catIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < book.Categories.Count; i++) catIndex[book.Categories[i].Id] = i;

        // Attributes as bit sets: requirement checks become word ANDs.
        var attrIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var l in book.Listings)
            foreach (var a in (l.Kind == ListingKind.Offer ? l.Attributes : l.Requires) ?? [])
                attrIndex.TryAdd(a, attrIndex.Count);
        var words = Math.Max(1, (attrIndex.Count + 63) / 64);

        var n = book.Listings.Count;
        var town = new int[n];
        var cat = new int[n];
        var cap = new double[n];
        var minValue = new double[n];
        var catValue = new double[n];
        var pieceGrid = settings.WholePieces ? new long[n] : null;
        var masks = new ulong[n * words];
        var offersByCat = new List<int>[book.Categories.Count];
        for (var c = 0; c < offersByCat.Length; c++) offersByCat[c] = [];
        for (var i = 0; i < n; i++)
        {
            var l = book.Listings[i];
            town[i] = townIndex[l.Town];
            cat[i] = catIndex[l.Category];
            catValue[i] = book.Categories[cat[i]].Value;
            cap[i] = l.Quantity * catValue[i];
            minValue[i] = l.MinLot * catValue[i];
            if (pieceGrid is not null && i < realListings && PieceSteps.IsPiece(book.Categories[cat[i]].Unit))
            {
                // Whole pieces: a listing gives or takes whole pieces, so at most its whole ones, and a leg at least one piece
                // and its lot rounded up. Both only cut away plans that are not whole, so every bound stays valid.
                pieceGrid[i] = PieceSteps.OnGrid(catValue[i]);
                cap[i] = Math.Floor(l.Quantity + 1e-9) * catValue[i];
                minValue[i] = Math.Max(1, Math.Ceiling(l.MinLot - 1e-9)) * catValue[i];
            }
            foreach (var a in (l.Kind == ListingKind.Offer ? l.Attributes : l.Requires) ?? [])
            {
                var b = attrIndex[a];
                masks[i * words + b / 64] |= 1UL << (b % 64);
            }
            if (l.Kind == ListingKind.Offer) offersByCat[cat[i]].Add(i);
        }

        var lat = book.Towns.Select(t => t.Lat).ToArray();
        var lon = book.Towns.Select(t => t.Lon).ToArray();
        // Legs per town arc, thinned as they come (see ArcLegs): a few towns at the catalog's 500 open listings in one good
        // would otherwise make tens of millions of legs, about 0.25 KB each through the solve.
        var arcLegs = new Dictionary<long, ArcLegs>();
        for (var j = 0; j < n; j++)
        {
            if ((j & 1023) == 0) ct.ThrowIfCancellationRequested();
            var need = book.Listings[j];
            if (need.Kind != ListingKind.Need) continue;
            var tn = town[j];
            foreach (var i in offersByCat[cat[j]])
            {
                var to = town[i];
                if (to == tn) continue;
                var ok = true;
                for (var w = 0; w < words && ok; w++)
                {
                    var req = masks[j * words + w];
                    ok = (masks[i * words + w] & req) == req;
                }
                if (!ok) continue;
                if (need.MaxDistanceKm is { } max
                    && Fit.HaversineKm(lat[to], lon[to], lat[tn], lon[tn]) * settings.DetourFactor > max) continue;
                if (!Fit.WindowsOverlap(book.Listings[i], need)) continue;
                var key = (long)to * book.Towns.Count + tn;
                if (!arcLegs.TryGetValue(key, out var arc)) arcLegs[key] = arc = new ArcLegs(maxLegsPerTownPair, cap);
                arc.Add(i, j);
            }
        }
        var legs = new List<(int From, int To, int Offer, int Need)>();
        foreach (var (key, arc) in arcLegs.OrderBy(kv => kv.Key))
        {
            var (from, to) = ((int)(key / book.Towns.Count), (int)(key % book.Towns.Count));
            foreach (var (o, nd) in arc.Kept()) legs.Add((from, to, o, nd));
        }

        var legOffer = new int[legs.Count];
        var legNeed = new int[legs.Count];
        var legProfit = new double[legs.Count];
        var arcFrom = new List<int>();
        var arcTo = new List<int>();
        var arcStart = new List<int>();
        for (var e = 0; e < legs.Count; e++)
        {
            var (from, to, o, nd) = legs[e];
            legOffer[e] = o;
            legNeed[e] = nd;
            var cost = 0.0;
            if (transport is not null && o < realListings)
            {
                cost = transport(book.Towns[from].Id, book.Towns[to].Id, book.Listings[o].Category);
                if (!(cost >= 0) || !double.IsFinite(cost))
                    throw new ArgumentException($"transport cost {from}->{to} must be finite and ≥ 0, got {cost}");
            }
            legProfit[e] = o >= realListings ? 0 : 1 - cost / catValue[o];
            if (e == 0 || legs[e - 1].From != from || legs[e - 1].To != to)
            {
                arcFrom.Add(from);
                arcTo.Add(to);
                arcStart.Add(e);
            }
        }
        arcStart.Add(legs.Count);

        return new Market
        {
            Book = book, K = Math.Max(k, chainCap + 1), CycleCap = k, ChainCap = chainCap,
            Donor = book.Towns.Select(t => t.Donor && chainCap > 0).ToArray(), RealListings = realListings,
            DetourFactor = settings.DetourFactor,
            ListingTown = town, Cap = cap, MinValue = minValue, CategoryValue = catValue, PieceGrid = pieceGrid,
            LegOffer = legOffer, LegNeed = legNeed, LegProfit = legProfit,
            ArcFrom = arcFrom.ToArray(), ArcTo = arcTo.ToArray(), ArcLegStart = arcStart.ToArray(),
        };
    }

    /// <summary>Strongly connected components of the town graph with ≥ 2 towns (cycles live inside one), as sorted arc lists.</summary>
    public List<int[]> CycleComponents()
    {
        var nt = TownCount;
        var outStart = new int[nt + 1];
        foreach (var f in ArcFrom) outStart[f + 1]++;
        for (var i = 0; i < nt; i++) outStart[i + 1] += outStart[i];
        // ArcFrom is sorted, so arc indexes are already grouped by source.
        var index = new int[nt];
        var low = new int[nt];
        var comp = new int[nt];
        Array.Fill(index, -1);
        Array.Fill(comp, -1);
        var onStack = new bool[nt];
        var stack = new Stack<int>();
        var call = new Stack<(int V, int Next)>();
        int counter = 0, compCount = 0;
        for (var root = 0; root < nt; root++)
        {
            if (index[root] >= 0) continue;
            call.Push((root, outStart[root]));
            index[root] = low[root] = counter++;
            stack.Push(root); onStack[root] = true;
            while (call.Count > 0)
            {
                var (v, next) = call.Pop();
                if (next < outStart[v + 1])
                {
                    call.Push((v, next + 1));
                    var w = ArcTo[next];
                    if (index[w] < 0)
                    {
                        index[w] = low[w] = counter++;
                        stack.Push(w); onStack[w] = true;
                        call.Push((w, outStart[w]));
                    }
                    else if (onStack[w]) low[v] = Math.Min(low[v], index[w]);
                    continue;
                }
                if (low[v] == index[v])
                {
                    int w;
                    do { w = stack.Pop(); onStack[w] = false; comp[w] = compCount; } while (w != v);
                    compCount++;
                }
                if (call.Count > 0) { var p = call.Peek().V; low[p] = Math.Min(low[p], low[v]); }
            }
        }
        var arcs = new List<int>[compCount];
        for (var a = 0; a < ArcCount; a++)
        {
            var c = comp[ArcFrom[a]];
            if (c != comp[ArcTo[a]]) continue;
            (arcs[c] ??= []).Add(a);
        }
        // Order components by their smallest arc so the result does not depend on Tarjan's visiting order.
        return arcs.Where(l => l is not null).Select(l => l.ToArray()).OrderBy(l => l[0]).ToList();
    }
}

/// <summary>
/// The legs of one town arc, at most a cap of them (<see cref="SolveOptions.MaxLegsPerTownPair"/>). Past it the legs
/// kept are greedy matchings taken one after another, widest legs first (width: the smaller of the two capacities):
/// each pass gives every listing at most one more leg, so the kept legs spread over the listings (the widest legs alone
/// are a star — one offer to every need — through which the needs could not all be served), until the cap; a listing
/// left without a leg then keeps its widest one, so each can still trade over the arc. Thinned whenever twice the
/// cap have come, so memory stays near the cap while they are found. Dropping a leg only removes options: every plan
/// over the kept legs is a plan of the book, though the bound is then the thinned book's.
/// </summary>
internal sealed class ArcLegs(int max, double[] cap)
{
    private readonly List<(int Offer, int Need)> _legs = [];
    // A thinning keeps at least every listing's widest leg, which may exceed a small cap: the next waits for twice that.
    private long _thinAt = 2L * max;

    public void Add(int offer, int need)
    {
        _legs.Add((offer, need));
        if (_legs.Count < _thinAt) return;
        Thin();
        _thinAt = 2L * Math.Max(max, _legs.Count);
    }

    /// <summary>The kept legs, by offer then need.</summary>
    public List<(int Offer, int Need)> Kept()
    {
        if (_legs.Count > max) Thin();
        _legs.Sort();
        return _legs;
    }

    private void Thin()
    {
        var rest = _legs.OrderByDescending(l => Math.Min(cap[l.Offer], cap[l.Need])).ThenBy(l => l.Offer).ThenBy(l => l.Need).ToList();
        var kept = new List<(int Offer, int Need)>();
        var pass = new HashSet<int>(); // offers and needs are listing indexes: one set holds both
        while (kept.Count < max && rest.Count > 0)
        {
            pass.Clear();
            var next = new List<(int Offer, int Need)>();
            foreach (var l in rest)
            {
                if (kept.Count < max && !pass.Contains(l.Offer) && !pass.Contains(l.Need))
                {
                    kept.Add(l);
                    pass.Add(l.Offer);
                    pass.Add(l.Need);
                }
                else next.Add(l);
            }
            rest = next;
        }
        // Listings still without a leg (a cap below their count): first a matching among them, then each one left keeps
        // its widest leg — widest first throughout.
        var covered = new HashSet<int>(kept.SelectMany(l => new[] { l.Offer, l.Need }));
        foreach (var bothNew in new[] { true, false })
            foreach (var l in rest)
                if (bothNew ? !covered.Contains(l.Offer) && !covered.Contains(l.Need) : !covered.Contains(l.Offer) || !covered.Contains(l.Need))
                {
                    kept.Add(l);
                    covered.Add(l.Offer);
                    covered.Add(l.Need);
                }
        _legs.Clear();
        _legs.AddRange(kept);
    }
}
