using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Clearing;

/// <summary>
/// The simple correct clearing that stands in until the optimal engine lands: two-town swaps with exact
/// value balance (each side gives value V; a leg's quantity is V / value per unit), chosen greedily by
/// value. Deterministic: ties break on listing ids, so the same book always clears the same way.
/// </summary>
public sealed class BilateralClearing : IClearingStrategy
{
    public const string Name = "bilateral-greedy";
    private const double Epsilon = 1e-9;

    public Task<ClearingOutcome> ClearAsync(OrderBook book, ClearingSettings settings, CancellationToken ct) =>
        Task.FromResult(Clear(book, settings, ct));

    public static ClearingOutcome Clear(OrderBook book, ClearingSettings settings, CancellationToken ct = default) =>
        Clear(book, settings, GreedyBilateral.MaxSwaps, ct);

    /// <param name="maxSwaps">Swaps over all town pairs (tests lower it; <see cref="GreedyBilateral.MaxSwaps"/>).</param>
    internal static ClearingOutcome Clear(OrderBook book, ClearingSettings settings, long maxSwaps, CancellationToken ct = default)
    {
        var entries = book.Entries.Where(e => e.Available > Epsilon && e.ValuePerUnit > 0).ToList();
        var offers = entries.Where(e => e.Kind == ListingKind.Offer).ToList();
        var needs = entries.Where(e => e.Kind == ListingKind.Need).ToList();

        // Every offer → need pair that fits, grouped by (giver, receiver).
        var offersByCategory = offers.ToLookup(o => o.Category, StringComparer.Ordinal);
        var legs = new Dictionary<(string From, string To), List<(BookEntry Offer, BookEntry Need)>>();
        var legCount = 0;
        foreach (var need in needs)
            foreach (var offer in offersByCategory[need.Category])
            {
                ct.ThrowIfCancellationRequested();
                if (!Fit.Serves(offer, need, settings.DetourFactor)) continue;
                var key = (offer.TownId, need.TownId);
                if (!legs.TryGetValue(key, out var list)) legs[key] = list = [];
                list.Add((offer, need));
                legCount++;
            }

        // A swap pairs a leg A → B with a leg B → A; each pair within its budget, and all pairs within maxSwaps (a dozen
        // crowded towns made a hundred pairs of 250,000 swaps, each swap a record with its key: gigabytes).
        var pairs = legs.Where(kv => string.CompareOrdinal(kv.Key.From, kv.Key.To) < 0 && legs.ContainsKey((kv.Key.To, kv.Key.From)))
            .Select(kv => (Forward: kv.Value, Backward: legs[(kv.Key.To, kv.Key.From)])).ToList();
        var budget = GreedyBilateral.PairBudget(
            pairs.Select(p => Math.Min(MaxSwapsPerTownPair, (long)p.Forward.Count * p.Backward.Count)).ToList(), maxSwaps);
        var swaps = new List<Swap>();
        foreach (var (forward, backward) in pairs)
        {
            var (there, back) = Widest(forward, backward, budget);
            foreach (var (o1, n1) in there)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var (o2, n2) in back)
                    // A town whose own offer would serve its own need gains nothing by the swap (SelfServed).
                    if (!SelfServed.Serves(o1, n2) && !SelfServed.Serves(o2, n1))
                        swaps.Add(new Swap(o1, n1, o2, n2));
            }
        }

        var available = entries.ToDictionary(e => e.Id, e => e.Available, StringComparer.Ordinal);
        var queue = new PriorityQueue<Swap, (double Value, string Key)>(ByValueThenKey.Instance);
        foreach (var swap in swaps)
        {
            var value = swap.MaxValue(available);
            if (value > Epsilon) queue.Enqueue(swap, (value, swap.Key));
        }

        // Lazy greedy: values only shrink as quantities are used, so a popped swap whose value is still
        // current is the best one left; a stale one goes back with its new value.
        var trades = new List<ClearedTrade>();
        while (queue.TryDequeue(out var swap, out var priority))
        {
            ct.ThrowIfCancellationRequested();
            var value = swap.MaxValue(available);
            if (value <= Epsilon) continue;
            if (value < priority.Value - Epsilon)
            {
                queue.Enqueue(swap, (value, swap.Key));
                continue;
            }
            trades.Add(swap.Take(value, available));
        }

        var whole = WholePieces.Apply(trades, entries.ToDictionary(e => e.Id, StringComparer.Ordinal)).Trades;
        var objective = whole.Sum(t => t.Legs.Count * t.Value);
        var stats = new ClearingStats(Name, entries.Count, offers.Count, needs.Count, legCount, swaps.Count);
        return new ClearingOutcome(whole, objective, stats);
    }

    /// <summary>Past this many swaps between two towns only the legs worth the most each way are paired (the engine's
    /// baseline's budget, <see cref="GreedyBilateral.SwapLegs"/>): two towns at the catalog's 500 open listings in one pair
    /// of goods would make billions of swaps, more than the process's memory.</summary>
    internal const long MaxSwapsPerTownPair = GreedyBilateral.MaxSwapsPerTownPair;

    /// <summary>The legs each way that are paired (all of them below <see cref="MaxSwapsPerTownPair"/>, in their order).</summary>
    private static (List<(BookEntry Offer, BookEntry Need)>, List<(BookEntry Offer, BookEntry Need)>) Widest(
        List<(BookEntry Offer, BookEntry Need)> forward, List<(BookEntry Offer, BookEntry Need)> backward, long budget)
    {
        var (k1, k2) = GreedyBilateral.SwapLegs(forward.Count, backward.Count, budget);
        return k1 == forward.Count && k2 == backward.Count ? (forward, backward) : (Best(forward, k1), Best(backward, k2));

        // The order a leg had among its town pair's breaks ties, so the same book keeps the same legs.
        static List<(BookEntry Offer, BookEntry Need)> Best(List<(BookEntry Offer, BookEntry Need)> legs, int k) =>
            [.. legs.Select((leg, i) => (leg, i))
                .OrderByDescending(x => Math.Min(x.leg.Offer.Available, x.leg.Need.Available) * x.leg.Offer.ValuePerUnit).ThenBy(x => x.i)
                .Take(k).OrderBy(x => x.i).Select(x => x.leg)];
    }

    private sealed record Swap(BookEntry OfferA, BookEntry NeedB, BookEntry OfferB, BookEntry NeedA)
    {
        public string Key { get; } = string.Join('|', OfferA.Id, NeedB.Id, OfferB.Id, NeedA.Id);

        /// <summary>The largest balanced value both legs can carry, or 0 when a min lot cannot be met.</summary>
        public double MaxValue(IReadOnlyDictionary<string, double> available)
        {
            var cap1 = Math.Min(available[OfferA.Id], available[NeedB.Id]);
            var cap2 = Math.Min(available[OfferB.Id], available[NeedA.Id]);
            var value = Math.Min(cap1 * OfferA.ValuePerUnit, cap2 * OfferB.ValuePerUnit);
            if (value <= Epsilon) return 0;
            var lot1 = Math.Max(OfferA.MinLot, NeedB.MinLot);
            var lot2 = Math.Max(OfferB.MinLot, NeedA.MinLot);
            return value / OfferA.ValuePerUnit >= lot1 - Epsilon && value / OfferB.ValuePerUnit >= lot2 - Epsilon ? value : 0;
        }

        public ClearedTrade Take(double value, Dictionary<string, double> available) =>
            new([Leg(OfferA, NeedB, value, available), Leg(OfferB, NeedA, value, available)]);

        private static ClearedLeg Leg(BookEntry offer, BookEntry need, double value, Dictionary<string, double> available)
        {
            // Clamped so rounding can never take more than remains.
            var quantity = Math.Min(value / offer.ValuePerUnit, Math.Min(available[offer.Id], available[need.Id]));
            available[offer.Id] = Math.Max(0, available[offer.Id] - quantity);
            available[need.Id] = Math.Max(0, available[need.Id] - quantity);
            return new ClearedLeg(offer.TownId, need.TownId, offer.Id, need.Id, offer.Category, quantity, value,
                quantity * offer.WeightPerUnit);
        }
    }

    private sealed class ByValueThenKey : IComparer<(double Value, string Key)>
    {
        public static readonly ByValueThenKey Instance = new();

        public int Compare((double Value, string Key) x, (double Value, string Key) y)
        {
            var byValue = y.Value.CompareTo(x.Value);
            return byValue != 0 ? byValue : string.CompareOrdinal(x.Key, y.Key);
        }
    }
}
