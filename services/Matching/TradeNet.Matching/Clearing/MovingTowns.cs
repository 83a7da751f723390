namespace TradeNet.Matching.Clearing;

/// <summary>
/// The engine places each town at one point (<see cref="EngineClearing.ToBook"/> takes its first listing's), while every
/// listing in the book carries the position catalog sent with it. The two differ while a town's move reaches the book, one
/// ListingChanged per listing: a leg the engine judged from the town's old point may break a need's distance limit from
/// where the offer's copy already says it is, and nothing later catches it — a listing's change re-fits only the legs
/// through that listing, and the reservation checks each listing's own terms, which match. Such trades are dropped (their
/// quantities stay in the book; once every listing has the new point, the next round judges them from it), by the rule
/// every other check of a leg uses (<see cref="Fit.Serves"/>, the listings' own positions).
/// </summary>
public static class MovingTowns
{
    /// <summary>The trades whose every leg fits its own listings, and how many were dropped, for the round's log.</summary>
    public static (IReadOnlyList<ClearedTrade> Trades, int Dropped) Apply(
        IReadOnlyList<ClearedTrade> trades, IReadOnlyDictionary<string, BookEntry> entries, double detourFactor)
    {
        var kept = trades.Where(t => t.Legs.All(l => Fit.Serves(entries[l.OfferId], entries[l.NeedId], detourFactor))).ToList();
        return (kept, trades.Count - kept.Count);
    }
}
