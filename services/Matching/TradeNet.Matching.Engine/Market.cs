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

    /// <summary>At most the value the legs a crowded town arc dropped could carry, over all arcs (0 when none was thinned):
    /// per arc the smaller of its dropped legs' offers' and needs' capacities. Every bound the solve proves is the thinned
    /// book's; the book's optimum exceeds it by at most <see cref="K"/> × this (drop every trade using a dropped leg from an
    /// optimal plan: what is left is a plan of the thinned book, and each dropped trade moved at most K legs' worth of
    /// what its dropped leg carried).</summary>
    public double ThinnedValue { get; init; }

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
        // would otherwise make tens of millions of legs, about 0.25 KB each through a solve.
        var offersOf = new Dictionary<(int Town, int Cat), int>();
        var needsOf = new Dictionary<(int Town, int Cat), int>();
        for (var i = 0; i < n; i++)
        {
            var side = book.Listings[i].Kind == ListingKind.Offer ? offersOf : needsOf;
            side[(town[i], cat[i])] = side.GetValueOrDefault((town[i], cat[i])) + 1;
        }
        var arcLegs = new Dictionary<long, ArcLegs>();
        var firstFit = new Dictionary<long, int>(); // this need's first fitting offer per arc, for its coverage
        for (var j = 0; j < n; j++)
        {
            if ((j & 1023) == 0) ct.ThrowIfCancellationRequested();
            var need = book.Listings[j];
            if (need.Kind != ListingKind.Need) continue;
            var tn = town[j];
            firstFit.Clear();
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
                if (!arcLegs.TryGetValue(key, out var arc))
                    arcLegs[key] = arc = ArcLegs.For(to, tn, book.Categories.Count, offersOf, needsOf, maxLegsPerTownPair);
                if (!arc.TryAdd(i, j)) firstFit.TryAdd(key, i);
            }
            foreach (var (key, i) in firstFit) arcLegs[key].Cover(i, j);
        }
        var legs = new List<(int From, int To, int Offer, int Need)>();
        var thinnedValue = 0.0;
        foreach (var (key, arc) in arcLegs.OrderBy(kv => kv.Key))
        {
            var (from, to) = ((int)(key / book.Towns.Count), (int)(key % book.Towns.Count));
            foreach (var (o, nd) in arc.Kept()) legs.Add((from, to, o, nd));
            thinnedValue += arc.DroppedValue(cap);
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
            ThinnedValue = thinnedValue,
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
/// The legs of one town arc, at most about a cap of them (<see cref="SolveOptions.MaxLegsPerTownPair"/>). An arc whose
/// offers and needs could make no more than the cap (Σ over goods of offers × needs) keeps every leg. Past it each offer
/// keeps at most ⌈cap / offers⌉ legs over the arc and each need ⌈cap / needs⌉, taken as they are found (need by need,
/// offers in book order): a block pattern in which every listing has about as many legs as any other, rather than the
/// first needs taking every offer. A listing that the others' full counts left without a leg keeps its first fit, so each
/// can still trade over the arc. One pass, no sorting: it costs about what finding the legs costs. Dropping a leg only
/// removes options: every plan over the kept legs is a plan of the book, though the bound is then the thinned book's.
/// </summary>
internal sealed class ArcLegs
{
    private readonly List<(int Offer, int Need)> _legs = [];
    // The listings of legs not taken (some may get a leg later: counting them anyway keeps the bound's slack an over-estimate).
    private readonly HashSet<int> _droppedOffers = [], _droppedNeeds = [];
    private readonly Dictionary<int, int>? _degree; // null: every leg is kept
    private readonly Dictionary<int, int> _offerFit = []; // an offer still without a leg: its first fitting need
    private readonly int _perOffer, _perNeed;

    private ArcLegs(Dictionary<int, int>? degree, int perOffer, int perNeed) => (_degree, _perOffer, _perNeed) = (degree, perOffer, perNeed);

    public static ArcLegs For(int from, int to, int categories, Dictionary<(int Town, int Cat), int> offersOf,
        Dictionary<(int Town, int Cat), int> needsOf, int max)
    {
        long possible = 0, offers = 0, needs = 0;
        for (var c = 0; c < categories; c++)
        {
            int o = offersOf.GetValueOrDefault((from, c)), nd = needsOf.GetValueOrDefault((to, c));
            if (o == 0 || nd == 0) continue;
            possible += (long)o * nd;
            offers += o;
            needs += nd;
        }
        return possible <= max ? new ArcLegs(null, 0, 0)
            : new ArcLegs([], (int)Math.Max(1, (max + offers - 1) / offers), (int)Math.Max(1, (max + needs - 1) / needs));
    }

    /// <summary>Keeps the leg unless its offer or need has its share already.</summary>
    public bool TryAdd(int offer, int need)
    {
        if (_degree is null) { _legs.Add((offer, need)); return true; }
        int dOffer = _degree.GetValueOrDefault(offer), dNeed = _degree.GetValueOrDefault(need);
        if (dOffer >= _perOffer || dNeed >= _perNeed)
        {
            if (dOffer == 0) _offerFit.TryAdd(offer, need);
            _droppedOffers.Add(offer);
            _droppedNeeds.Add(need);
            return false;
        }
        Keep(offer, need);
        return true;
    }

    /// <summary>A need that got no leg over the arc keeps its first fit.</summary>
    public void Cover(int offer, int need)
    {
        if (_degree is not null && _degree.GetValueOrDefault(need) == 0) Keep(offer, need);
    }

    private void Keep(int offer, int need)
    {
        _legs.Add((offer, need));
        _degree![offer] = _degree.GetValueOrDefault(offer) + 1;
        _degree[need] = _degree.GetValueOrDefault(need) + 1;
        _offerFit.Remove(offer);
    }

    /// <summary>At most the value the dropped legs could carry together: the smaller of their offers' and their needs'
    /// capacities (0 when nothing was dropped).</summary>
    public double DroppedValue(double[] capacity) => _droppedOffers.Count == 0 ? 0
        : Math.Min(_droppedOffers.Sum(o => capacity[o]), _droppedNeeds.Sum(nd => capacity[nd]));

    /// <summary>The kept legs, by offer then need, offers left without a leg given their first fit.</summary>
    public List<(int Offer, int Need)> Kept()
    {
        foreach (var (offer, need) in _offerFit) _legs.Add((offer, need));
        _offerFit.Clear();
        _legs.Sort();
        return _legs;
    }
}
