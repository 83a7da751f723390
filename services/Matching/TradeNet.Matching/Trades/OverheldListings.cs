using System.Globalization;
using TradeNet.Contracts;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Trades;

/// <summary>
/// A listing changed in catalog may no longer serve its pending proposals. One whose terms changed so that a leg of a
/// proposal no longer fits them (an attribute the need requires dropped, a window moved apart, a distance limit or min
/// lot the leg breaks) must not be agreed, so such a proposal is cancelled at once. One lowered below what its pending
/// proposals hold cannot serve them all: catalog would refuse the reservation of the last ones only when every town has
/// accepted, and until then they hold the other towns' quantities; those that no longer fit are cancelled at once,
/// newest first (the older ones keep their place).
/// </summary>
/// <remarks>The terms are checked on fully accepted proposals too: they are not agreed until catalog reserves them, and
/// catalog reserves only on the terms of matching's copy (<see cref="ListingTermsFingerprint"/>), which it refuses while
/// that copy is stale — the proposal waits for this very check. A fully accepted proposal neither counts against a
/// lowered listing nor is cancelled for its quantity, though: the snapshot that lowered the listing may be its own
/// reservation, arriving before matching records the agreement; if it does not fit, catalog refuses its reservation.</remarks>
public static class OverheldListings
{
    /// <returns>How many proposals were cancelled.</returns>
    /// <param name="detourFactor">Road distance over straight distance, as rounds match with.</param>
    public static async Task<int> CancelWhatNoLongerFitsAsync(IMatchingSession session, BookListing entry, double detourFactor, CancellationToken ct)
    {
        if (entry is not { Withdrawn: false, Listing: { } listing }) return 0;
        var proposals = await session.TradesUsingListingAsync(entry.Id, TradeStatus.Proposed, ct);
        var cancelled = 0;
        var fitting = new List<Trade>();
        foreach (var trade in proposals)
        {
            if (await LegOutsideTermsAsync(session, trade, listing, detourFactor, ct) is not { } leg)
            {
                if (!trade.AllAccepted) fitting.Add(trade);
                continue;
            }
            if (!await TradeWrites.CancelAsync(session, trade, $"listing {entry.Id} changed its terms; leg {leg} no longer fits them", ct))
                throw new TradeChangedException($"Trade {trade.Id} changed while cancelling it; the message will be retried.");
            cancelled++;
        }
        var room = listing.Remaining;
        var reason = string.Create(CultureInfo.InvariantCulture, $"listing {entry.Id} lowered to {listing.Remaining:0.###}, below what its proposals hold");
        foreach (var trade in fitting.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id))
        {
            var hold = trade.Holds.Where(h => h.ListingId == entry.Id).Sum(h => h.Quantity);
            if (hold <= room + 1e-9 * Math.Max(1, Math.Abs(room)))
            {
                room -= hold;
                continue;
            }
            if (!await TradeWrites.CancelAsync(session, trade, reason, ct))
                throw new TradeChangedException($"Trade {trade.Id} changed while cancelling it; the message will be retried.");
            cancelled++;
        }
        return cancelled;
    }

    /// <summary>The index of the first leg through this listing that its terms, as changed, no longer admit; null when
    /// every one still fits. A leg whose other listing matching no longer holds open is left to that listing's events.</summary>
    private static async Task<int?> LegOutsideTermsAsync(IMatchingSession session, Trade trade, ListingSnapshot changed, double detourFactor,
        CancellationToken ct)
    {
        foreach (var state in trade.Legs)
        {
            var leg = state.Leg;
            var otherId = leg.OfferId == changed.Id ? leg.NeedId : leg.NeedId == changed.Id ? leg.OfferId : null;
            if (otherId is null || await session.GetListingAsync(otherId, ct) is not { Withdrawn: false, Listing: { } other }) continue;
            var (offer, need) = leg.OfferId == changed.Id ? (changed, other) : (other, changed);
            if (!LegFits(leg, offer, need, detourFactor)) return leg.Index;
        }
        return null;
    }

    /// <summary>Whether the leg fits its offer's and its need's terms as given, by the rules a round matches with.</summary>
    private static bool LegFits(TradeLeg leg, ListingSnapshot offer, ListingSnapshot need, double detourFactor)
    {
        var (offerEntry, needEntry) = (OrderBook.Entry(offer, offer.Remaining), OrderBook.Entry(need, need.Remaining));
        var lot = Math.Max(offer.MinLot, need.MinLot);
        return offerEntry is not null && needEntry is not null && Fit.Serves(offerEntry, needEntry, detourFactor)
               && leg.Quantity >= lot - 1e-9 * Math.Max(1, lot);
    }
}
