using System.Globalization;
using TradeNet.Contracts;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Trades;

/// <summary>
/// A listing changed in catalog may no longer serve its pending proposals. One whose terms changed so that a leg of a
/// proposal no longer fits them (an attribute the need requires dropped, a window moved apart, a distance limit or min
/// lot the leg breaks) would be agreed and reserved all the same — catalog's reservation checks quantities only — so
/// such a proposal is cancelled at once. One lowered below what its pending proposals hold cannot serve them all:
/// catalog would refuse the reservation of the last ones only when every town has accepted, and until then they hold the
/// other towns' quantities; those that no longer fit are cancelled at once, newest first (the older ones keep their place).
/// </summary>
/// <remarks>A fully accepted proposal may already be reserved in catalog — the snapshot that lowered the listing may be
/// that very reservation, arriving before matching records the agreement — so it neither counts against the listing
/// nor is cancelled here; if it does not fit after all, catalog refuses its reservation.</remarks>
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
        foreach (var trade in proposals.Where(t => !t.AllAccepted))
        {
            if (await LegOutsideTermsAsync(session, trade, listing, detourFactor, ct) is not { } leg)
            {
                fitting.Add(trade);
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
            var (offerEntry, needEntry) = (OrderBook.Entry(offer, offer.Remaining), OrderBook.Entry(need, need.Remaining));
            var lot = Math.Max(offer.MinLot, need.MinLot);
            if (offerEntry is null || needEntry is null || !Fit.Serves(offerEntry, needEntry, detourFactor)
                || leg.Quantity < lot - 1e-9 * Math.Max(1, lot))
                return leg.Index;
        }
        return null;
    }
}
