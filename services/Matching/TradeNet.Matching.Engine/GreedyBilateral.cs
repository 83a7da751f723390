namespace TradeNet.Matching.Engine;

/// <summary>A plan from the bilateral baseline: swaps only, no optimality claim.</summary>
public sealed record BaselineResult(IReadOnlyList<Trade> Trades, double Objective);

/// <summary>
/// The baseline of issue 3 and the engine's floor: consider every two-town swap (an offer of A fitting a
/// need of B and one of B fitting a need of A), largest possible swap first, and take each as far as the
/// remaining quantities and min lots allow.
/// </summary>
public static class GreedyBilateral
{
    public static BaselineResult Solve(Book book, TransportCostPerUnit? transport = null)
    {
        BookValidator.ThrowIfInvalid(book);
        var m = Market.Build(book, 2, transport, CancellationToken.None);
        return Solve(m);
    }

    internal static BaselineResult Solve(Market m) => SolveWithLegs(m).Result;

    /// <summary>The baseline plus its swaps as leg pairs (seed columns for the engine's LPs).</summary>
    internal static (BaselineResult Result, List<(int[] Legs, double Value)> Swaps) SolveWithLegs(Market m)
    {
        var candidates = Candidates(m, MaxSwaps);
        candidates.Sort((x, y) =>
        {
            var c = (y.Potential * y.Profit).CompareTo(x.Potential * x.Profit);
            if (c != 0) return c;
            c = x.E1.CompareTo(y.E1);
            return c != 0 ? c : x.E2.CompareTo(y.E2);
        });

        var residual = (double[])m.Cap.Clone();
        var trades = new List<Trade>();
        var swaps = new List<(int[] Legs, double Value)>();
        double objective = 0;
        foreach (var (_, profit, e1, e2) in candidates)
        {
            int o1 = m.LegOffer[e1], n1 = m.LegNeed[e1], o2 = m.LegOffer[e2], n2 = m.LegNeed[e2];
            var v = Math.Min(Math.Min(residual[o1], residual[n1]), Math.Min(residual[o2], residual[n2]));
            var min = Math.Max(Math.Max(m.MinValue[o1], m.MinValue[n1]), Math.Max(m.MinValue[o2], m.MinValue[n2]));
            if (m.PieceGrid is not null)
            {
                // Whole pieces: the swap at its largest whole amount, its lot on its step.
                var swap = Column.Create(m, [e1, e2]);
                (v, min) = (swap.Whole(v), swap.Min);
            }
            if (v <= 1e-9 * Math.Max(1, v) || v < min) continue;
            residual[o1] -= v; residual[n1] -= v; residual[o2] -= v; residual[n2] -= v;
            trades.Add(new Trade([LegOf(m, e1, v), LegOf(m, e2, v)]));
            // Columns start at their smaller town, like the engine's.
            swaps.Add((m.ArcFrom[ArcOf(m, e1)] < m.ArcFrom[ArcOf(m, e2)] ? [e1, e2] : [e2, e1], v));
            objective += v * profit;
        }
        return (new BaselineResult(trades, objective), swaps);
    }

    /// <summary>Every swap the baseline considers: per town pair each leg one way with each leg back, within the pair's
    /// budget (<see cref="MaxSwapsPerTownPair"/>), and at most about <paramref name="maxSwaps"/> over all pairs.</summary>
    internal static List<(double Potential, double Profit, int E1, int E2)> Candidates(Market m, long maxSwaps)
    {
        var arcIndex = new Dictionary<(int, int), int>();
        for (var a = 0; a < m.ArcCount; a++) arcIndex[(m.ArcFrom[a], m.ArcTo[a])] = a;
        var candidates = new List<(double Potential, double Profit, int E1, int E2)>();
        var pairs = new List<(int A, int B, long Swaps)>();
        for (var a = 0; a < m.ArcCount; a++)
        {
            if (m.ArcFrom[a] > m.ArcTo[a] || !arcIndex.TryGetValue((m.ArcTo[a], m.ArcFrom[a]), out var b)) continue;
            // A donor's gift coming back as nothing is a chain, not a swap (an arc into a donor holds only such legs).
            if (m.IsChainEnd(m.ArcLegStart[a]) || m.IsChainEnd(m.ArcLegStart[b])) continue;
            pairs.Add((a, b, Math.Min(MaxSwapsPerTownPair, (long)Legs(m, a) * Legs(m, b))));
        }
        // Each pair's budget bounds that pair; many crowded pairs at once (a dozen towns at 500 listings in one good: 100
        // pairs of 250,000) still made tens of millions of candidates. Past maxSwaps the crowded pairs share what the
        // others leave, alike: the largest per-pair budget whose total fits (pairs below it keep all their swaps).
        var budget = PairBudget(pairs.Select(p => p.Swaps).ToList(), maxSwaps);
        foreach (var (a, b, _) in pairs)
        {
            var (there, back) = Widest(m, a, b, budget);
            foreach (var e1 in there)
                foreach (var e2 in back)
                {
                    var profit = m.LegProfit[e1] + m.LegProfit[e2];
                    if (profit <= 0) continue;
                    var potential = Math.Min(Math.Min(m.Cap[m.LegOffer[e1]], m.Cap[m.LegNeed[e1]]),
                                             Math.Min(m.Cap[m.LegOffer[e2]], m.Cap[m.LegNeed[e2]]));
                    candidates.Add((potential, profit, e1, e2));
                }
        }
        return candidates;
    }

    /// <summary>Every swap of two towns pairs each leg one way with each leg back: two towns with a category each of
    /// hundreds of offers and needs (500 open listings a town) would make billions of candidates, and the round would
    /// run out of memory before any deadline. Past this many each way keeps the legs worth the most, as many as fit.</summary>
    public const long MaxSwapsPerTownPair = 250_000;

    /// <summary>Candidates over all town pairs (24 bytes each, about 100 MB): past it each pair gets its share of this.</summary>
    public const long MaxSwaps = 4_000_000;

    private static int Legs(Market m, int arc) => m.ArcLegStart[arc + 1] - m.ArcLegStart[arc];

    /// <summary>How many of two towns' legs each way are paired into swaps: all of them up to
    /// <see cref="MaxSwapsPerTownPair"/> swaps; past it the smaller side keeps what an even split leaves it room for and
    /// the other side takes the rest of the room. (The service's bilateral strategy pairs by the same budget.)</summary>
    public static (int There, int Back) SwapLegs(int there, int back) => SwapLegs(there, back, MaxSwapsPerTownPair);

    /// <summary>The swaps each town pair may pair: <see cref="MaxSwapsPerTownPair"/>, or less when the pairs' swaps
    /// (<paramref name="swapsPerPair"/>, each at most that) would sum past <paramref name="maxSwaps"/> — then the largest
    /// budget whose total fits, so crowded pairs share alike what the others leave (a pair below it keeps every swap).</summary>
    public static long PairBudget(IReadOnlyList<long> swapsPerPair, long maxSwaps)
    {
        if (swapsPerPair.Sum() <= maxSwaps) return MaxSwapsPerTownPair;
        var (lo, hi) = (1L, MaxSwapsPerTownPair);
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (swapsPerPair.Sum(p => Math.Min(p, mid)) <= maxSwaps) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>How many of two towns' legs each way are paired within <paramref name="budget"/> swaps.</summary>
    public static (int There, int Back) SwapLegs(int there, int back, long budget)
    {
        if ((long)there * back <= budget) return (there, back);
        var k1 = (int)Math.Min(there, Math.Max(budget / back, (long)Math.Sqrt(budget)));
        return (k1, (int)Math.Min(back, Math.Max(1, budget / k1)));
    }

    /// <summary>The legs of arcs a and b that are paired: all in index order below the budget (the baseline as it always
    /// was), else those worth the most (capacity × profit), in index order.</summary>
    private static (IEnumerable<int> There, IEnumerable<int> Back) Widest(Market m, int a, int b, long budget)
    {
        int n1 = Legs(m, a), n2 = Legs(m, b);
        var (there, back) = (Enumerable.Range(m.ArcLegStart[a], n1), Enumerable.Range(m.ArcLegStart[b], n2));
        var (k1, k2) = SwapLegs(n1, n2, budget);
        return k1 == n1 && k2 == n2 ? (there, back) : (Best(there, k1).Order(), Best(back, k2).Order());

        IEnumerable<int> Best(IEnumerable<int> legs, int k) => legs
            .OrderByDescending(e => Math.Min(m.Cap[m.LegOffer[e]], m.Cap[m.LegNeed[e]]) * m.LegProfit[e]).ThenBy(e => e).Take(k).ToList();
    }

    private static int ArcOf(Market m, int leg)
    {
        var i = Array.BinarySearch(m.ArcLegStart, leg);
        return i >= 0 ? i : ~i - 1;
    }

    private static Leg LegOf(Market m, int e, double value)
    {
        var offer = m.Book.Listings[m.LegOffer[e]];
        var need = m.Book.Listings[m.LegNeed[e]];
        return new Leg(offer.Town, need.Town, offer.Id, need.Id, offer.Category, m.Quantity(m.LegOffer[e], value), value);
    }
}
