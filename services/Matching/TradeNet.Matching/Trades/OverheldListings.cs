using System.Globalization;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Trades;

/// <summary>
/// A listing lowered in catalog below what its pending proposals hold cannot serve them all: catalog would refuse the
/// reservation of the last ones only when every town has accepted, and until then they hold the other towns' quantities.
/// The proposals that no longer fit are cancelled at once, newest first (the older ones keep their place).
/// </summary>
/// <remarks>A fully accepted proposal may already be reserved in catalog — the snapshot that lowered the listing may be
/// that very reservation, arriving before matching records the agreement — so it neither counts against the listing
/// nor is cancelled here; if it does not fit after all, catalog refuses its reservation.</remarks>
public static class OverheldListings
{
    /// <returns>How many proposals were cancelled.</returns>
    public static async Task<int> CancelWhatNoLongerFitsAsync(IMatchingSession session, BookListing entry, CancellationToken ct)
    {
        if (entry is not { Withdrawn: false, Listing: { } listing }) return 0;
        var proposals = await session.TradesUsingListingAsync(entry.Id, TradeStatus.Proposed, ct);
        var room = listing.Remaining;
        var reason = string.Create(CultureInfo.InvariantCulture, $"listing {entry.Id} lowered to {listing.Remaining:0.###}, below what its proposals hold");
        var cancelled = 0;
        foreach (var trade in proposals.Where(t => !t.AllAccepted).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id))
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
}
