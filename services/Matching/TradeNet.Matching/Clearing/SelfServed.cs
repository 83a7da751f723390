namespace TradeNet.Matching.Clearing;

/// <summary>
/// A town that gives goods in a trade which would serve the need it receives on in that same trade (same category,
/// every required attribute, overlapping windows) gains nothing from it: it ships its walnuts away and has others'
/// walnuts shipped in, paying transport both ways, where it could have kept its own. Value balance and every fit hold
/// for such a trade (each leg joins two different towns), and the objective counts its legs like any other, so the
/// strategies propose it: two towns swapping walnuts for walnuts, or a town passing honey on to a third one while
/// receiving the same honey. Such trades are dropped from the round (their quantities stay in the book), as a town
/// would reject them and the next round would propose them again.
/// </summary>
public static class SelfServed
{
    /// <summary>The trades in which no town could serve its own need, and how many were dropped, for the round's log.</summary>
    public static (IReadOnlyList<ClearedTrade> Trades, int Dropped) Apply(
        IReadOnlyList<ClearedTrade> trades, IReadOnlyDictionary<string, BookEntry> entries)
    {
        var kept = trades.Where(t => ServedTown(t, entries) is null).ToList();
        return (kept, trades.Count - kept.Count);
    }

    /// <summary>The first town (in leg order) whose given offer would serve a need it receives on, or null.</summary>
    public static string? ServedTown(ClearedTrade trade, IReadOnlyDictionary<string, BookEntry> entries) =>
        ServedNeed(trade, entries) is { } need ? entries[need].TownId : null;

    /// <summary>The need on which <see cref="ServedTown"/> receives what its own given offer would serve, or null.</summary>
    public static string? ServedNeed(ClearedTrade trade, IReadOnlyDictionary<string, BookEntry> entries)
    {
        foreach (var given in trade.Legs)
            foreach (var received in trade.Legs)
                if (string.Equals(received.ToTown, given.FromTown, StringComparison.Ordinal)
                    && Serves(entries[given.OfferId], entries[received.NeedId]))
                    return received.NeedId;
        return null;
    }

    /// <summary>Whether a town's offer would serve its own need: <see cref="Fit.Serves"/> without what only matters
    /// between two towns (that they differ, the road between them).</summary>
    public static bool Serves(BookEntry offer, BookEntry need) => Fit.GoodsMatch(offer, need);
}
