using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Trades;

/// <summary>State changes of a trade inside a caller's session, each with the event it causes.</summary>
public static class TradeWrites
{
    /// <summary>Cancels a proposal or an agreed trade at <paramref name="at"/>; false when the trade changed under us (re-read and retry).</summary>
    public static async Task<bool> CancelAsync(IMatchingSession session, Trade trade, string reason, DateTimeOffset at, CancellationToken ct)
    {
        var cancelled = trade.Cancel(reason, at);
        if (!await session.UpdateTradeAsync(cancelled, ct)) return false;
        // Legs already delivered stay given: catalog books them as fulfilled and releases the rest.
        var agreed = trade.Status == TradeStatus.Agreed;
        session.Publish(new TradeCancelled(trade.Id, reason, agreed, trade.ContractLegs, agreed ? [.. trade.DeliveredLegs] : []));
        return true;
    }

    /// <summary>Marks the trade agreed at <paramref name="at"/>. With catalog's reserved <paramref name="versions"/> the legs
    /// record them, and rounds hold the quantities until the copy of the book reaches them (<c>ClearingRounds.Held</c>);
    /// without (a catalog that does not answer them yet) its quantities are taken out of matching's copy of the book.
    /// Never both: the copy lowered here would still be below the reserved version, and count the quantity twice.</summary>
    public static async Task<bool> AgreeAsync(IMatchingSession session, Trade trade, DateTimeOffset at,
        IReadOnlyDictionary<string, long>? versions, CancellationToken ct)
    {
        var agreed = Agreed(trade, at, versions);
        if (!await session.UpdateTradeAsync(agreed, ct)) return false;
        if (versions is not { Count: > 0 })
        {
            foreach (var leg in trade.Legs)
            {
                await TakeAsync(session, leg.Leg.OfferId, leg.OfferVersion, leg.Leg.Quantity, ct);
                await TakeAsync(session, leg.Leg.NeedId, leg.NeedVersion, leg.Leg.Quantity, ct);
            }
        }
        session.Publish(new TradeAgreed(trade.Id, trade.ContractLegs));
        return true;
    }

    /// <summary>The trade as <see cref="AgreeAsync"/> writes it (before the store bumps its version).</summary>
    public static Trade Agreed(Trade trade, DateTimeOffset at, IReadOnlyDictionary<string, long>? versions = null) =>
        trade with
        {
            Status = TradeStatus.Agreed, Reason = null, AgreedAt = at,
            Legs = versions is not { Count: > 0 } ? trade.Legs : trade.Legs.Select(l => l with
            {
                OfferReservedVersion = Reserved(versions, l.Leg.OfferId),
                NeedReservedVersion = Reserved(versions, l.Leg.NeedId),
            }).ToList(),
        };

    private static long? Reserved(IReadOnlyDictionary<string, long> versions, string listingId) =>
        versions.TryGetValue(listingId, out var version) ? version : null;

    // Catalog reserves the quantities and announces the listing's new remaining with a newer version. If that
    // snapshot already arrived (the version moved on since the proposal), it is the truth and is left alone;
    // otherwise the copy is lowered now so the next round cannot hand the quantity out again.
    private static async Task TakeAsync(IMatchingSession session, string listingId, long version, double quantity, CancellationToken ct)
    {
        var entry = await session.GetListingAsync(listingId, ct);
        if (entry is not { Withdrawn: false, Listing: { } listing } || entry.Version != version) return;
        await session.SaveListingAsync(entry with { Listing = listing with { Remaining = Math.Max(0, listing.Remaining - quantity) } }, ct);
    }
}
