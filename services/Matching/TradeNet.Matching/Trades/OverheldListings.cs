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
/// newest first (the older ones keep their place). One whose window now ends before a proposal's deadline brings that
/// deadline in to the window's end, so the proposal expires when its goods stop being available.
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
    /// <param name="at">The time the cancellations are recorded at.</param>
    public static Task<int> CancelWhatNoLongerFitsAsync(IMatchingSession session, BookListing entry, double detourFactor, DateTimeOffset at,
        CancellationToken ct) =>
        CancelWhatNoLongerFitsAsync(session, [entry], detourFactor, at, ct);

    /// <summary>Checks each listing in turn, as for one, with what they need read at once: their proposals, and the other
    /// listing of each leg through them (a round's write checks every listing changed while it solved, hundreds).</summary>
    /// <returns>How many proposals were cancelled.</returns>
    public static async Task<int> CancelWhatNoLongerFitsAsync(IMatchingSession session, IReadOnlyList<BookListing> entries, double detourFactor,
        DateTimeOffset at, CancellationToken ct)
    {
        var open = entries.Where(e => e is { Withdrawn: false, Listing: not null }).ToList();
        if (open.Count == 0) return 0;
        var proposalsOf = await session.TradesUsingListingsAsync(open.Select(e => e.Id).Distinct(StringComparer.Ordinal).ToList(), TradeStatus.Proposed, ct);
        // Read before any cancellation and kept: this check cancels trades and never changes the book.
        var others = await session.GetListingsAsync(OtherListings(proposalsOf, open), ct);
        // A proposal cancelled for one listing is no longer a proposal when the next one is checked.
        var gone = new HashSet<Guid>();
        // A proposal whose deadline was brought in here, as written (a later listing's check must update that version).
        var latest = new Dictionary<Guid, Trade>();
        var cancelled = 0;
        foreach (var entry in open)
        {
            var listing = entry.Listing!;
            var fitting = new List<Trade>();
            foreach (var read in proposalsOf.GetValueOrDefault(entry.Id, []).Where(t => !gone.Contains(t.Id)))
            {
                var trade = latest.GetValueOrDefault(read.Id) ?? read;
                if (LegOutsideTerms(trade, listing, others, detourFactor) is not { } leg)
                {
                    // Its legs through the listing as the copies now list them — where the town is (one that corrected
                    // its position), when the goods are there: an agreement hands them to logistics, which plans by them.
                    var kept = AsListed(trade, listing, others);
                    // A window that now ends before the proposal's deadline brings the deadline in, as a round sets it
                    // when it knows the end: goods no longer available cannot be agreed on, and the expiry ends it then.
                    if (listing.AvailableUntil is { } end && end < kept.Deadline) kept = kept with { Deadline = end };
                    if (!ReferenceEquals(kept, trade))
                    {
                        if (!await session.UpdateTradeAsync(kept, ct))
                            throw new TradeChangedException($"Trade {trade.Id} changed while re-dating or re-placing it; the message will be retried.");
                        trade = latest[trade.Id] = kept with { Version = trade.Version + 1 };
                    }
                    if (!trade.AllAccepted) fitting.Add(trade);
                    continue;
                }
                await CancelAsync(session, trade, $"listing {entry.Id} changed its terms; leg {leg} no longer fits them", at, ct);
                gone.Add(trade.Id);
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
                await CancelAsync(session, trade, reason, at, ct);
                gone.Add(trade.Id);
                cancelled++;
            }
        }
        // A proposal kept was checked on the copies of its other listings as this write read them, and nothing of it is
        // written: a write changing one of those at the same time would keep it on this listing's old copy, and both
        // would commit a proposal the two changes together no longer admit. Guarded, one of the two waits or is retried.
        await session.GuardTradesAsync(proposalsOf.Values.SelectMany(t => t).Select(t => t.Id).Where(id => !gone.Contains(id)).Distinct().ToList(), ct);
        return cancelled;
    }

    private static async Task CancelAsync(IMatchingSession session, Trade trade, string reason, DateTimeOffset at, CancellationToken ct)
    {
        if (!await TradeWrites.CancelAsync(session, trade, reason, at, ct))
            throw new TradeChangedException($"Trade {trade.Id} changed while cancelling it; the message will be retried.");
    }

    /// <summary>The trade with each leg through <paramref name="listing"/> as the copies now list it: its end where the
    /// listing's town now is (the offer's end is the leg's <c>From</c>, the need's its <c>To</c>), and its window the overlap
    /// of the offer's and the need's, as a round sets it (a leg whose other listing matching no longer holds open keeps its
    /// window: that listing's own events end the proposal). The same instance when every leg already is.</summary>
    private static Trade AsListed(Trade trade, ListingSnapshot listing, IReadOnlyDictionary<string, BookListing> others)
    {
        var point = new TradePoint(listing.TownLat, listing.TownLon);
        var changed = false;
        var legs = trade.Legs.Select(state =>
        {
            var leg = state.Leg;
            if (OtherEnd(leg, listing.Id) is not { } otherId) return state;
            var listed = leg.OfferId == listing.Id ? leg with { From = point } : leg with { To = point };
            if (others.GetValueOrDefault(otherId) is { Withdrawn: false, Listing: { } other })
            {
                var (offer, need) = leg.OfferId == listing.Id ? (listing, other) : (other, listing);
                listed = listed with
                {
                    AvailableFrom = Fit.Max(offer.AvailableFrom, need.AvailableFrom),
                    AvailableUntil = Fit.Min(offer.AvailableUntil, need.AvailableUntil),
                };
            }
            if (listed == leg) return state;
            changed = true;
            return state with { Leg = listed };
        }).ToList();
        return changed ? trade with { Legs = legs } : trade;
    }

    /// <summary>The listing at the other end of each leg through one of <paramref name="entries"/>.</summary>
    private static List<string> OtherListings(IReadOnlyDictionary<string, IReadOnlyList<Trade>> proposalsOf, IReadOnlyList<BookListing> entries)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
            foreach (var leg in proposalsOf.GetValueOrDefault(entry.Id, []).SelectMany(t => t.Legs).Select(l => l.Leg))
                if (OtherEnd(leg, entry.Id) is { } other) ids.Add(other);
        return [.. ids];
    }

    private static string? OtherEnd(TradeLeg leg, string listingId) =>
        leg.OfferId == listingId ? leg.NeedId : leg.NeedId == listingId ? leg.OfferId : null;

    /// <summary>The index of the first leg through this listing that its terms, as changed, no longer admit; null when
    /// every one still fits. A leg whose other listing matching no longer holds open is left to that listing's events.</summary>
    private static int? LegOutsideTerms(Trade trade, ListingSnapshot changed, IReadOnlyDictionary<string, BookListing> others, double detourFactor)
    {
        foreach (var state in trade.Legs)
        {
            var leg = state.Leg;
            if (OtherEnd(leg, changed.Id) is not { } otherId || others.GetValueOrDefault(otherId) is not { Withdrawn: false, Listing: { } other }) continue;
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
