using TradeNet.Shared.Storage;
using System.Globalization;
using Microsoft.Extensions.Logging;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Contracts;

namespace TradeNet.Catalog.Application;

/// <param name="ChangedListings">Set when the reservation was refused because these listings' terms differ from those the
/// caller decided on: nothing was written or recorded, so the caller may ask again once it has read the change.</param>
/// <param name="Versions">When reserved: per listing of the trade, its version when the answer was made (the reservation's
/// own write, or later on a repeat). A copy of the listing at that version or later has the reservation in it, which is
/// how matching knows when its book stopped needing the trade to hold the quantities itself.</param>
public sealed record ReservationOutcome(bool Reserved, string Reason, IReadOnlyList<string>? ChangedListings = null,
    IReadOnlyDictionary<string, long>? Versions = null)
{
    public bool TermsChanged => ChangedListings is { Count: > 0 };
}

/// <summary>The terms fingerprint (<see cref="ListingTermsFingerprint"/>) the caller holds for a listing.</summary>
public sealed record ExpectedTerms(string ListingId, string Fingerprint);

/// <summary>Sets quantities aside for an agreed trade (all or nothing, once per trade id), gives them back when
/// the trade is cancelled and books them as fulfilled when it completes.</summary>
public sealed class ListingReservations(ICatalogStore store, TimeProvider clock, ILogger<ListingReservations> logger)
{
    /// <param name="expectedTerms">Per listing, the terms the caller decided the trade on; an empty fingerprint, or one of
    /// another scheme, is not checked.</param>
    public async Task<ReservationOutcome> ReserveAsync(Guid tradeId, IReadOnlyList<ReservationLine> items,
        IReadOnlyList<ExpectedTerms>? expectedTerms = null, CancellationToken ct = default)
    {
        if (tradeId == Guid.Empty) throw new ArgumentException("trade_id is required.", nameof(tradeId));
        if (items.Count == 0) throw new ArgumentException("items must not be empty.", nameof(items));
        foreach (var item in items)
        {
            if (string.IsNullOrWhiteSpace(item.ListingId)) throw new ArgumentException("Every item needs a listing_id.", nameof(items));
            if (!double.IsFinite(item.Quantity) || item.Quantity <= 0)
                throw new ArgumentException($"Quantity for listing {item.ListingId} must be greater than 0.", nameof(items));
        }
        // One line per listing, so a listing named twice is checked against its remaining quantity once.
        var lines = items.GroupBy(i => i.ListingId)
            .Select(g => new ReservationLine(g.Key, g.Sum(i => i.Quantity))).ToArray();
        // Each item finite, their sum need not be: an infinite line could not even be recorded as refused.
        if (lines.FirstOrDefault(l => !double.IsFinite(l.Quantity)) is { } endless)
            throw new ArgumentException($"The quantities for listing {endless.ListingId} add up past any number.", nameof(items));

        return await WriteRetry.OnConflictAsync(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            if (await session.GetReservationAsync(tradeId, ct) is { } earlier)
                return new ReservationOutcome(earlier.Reserved, earlier.Reason,
                    Versions: earlier.Reserved ? await CurrentVersionsAsync(session, earlier.Lines, ct) : null);

            var listings = new List<Listing>();
            string? refusal = null;
            foreach (var line in lines)
            {
                var listing = await session.GetListingAsync(line.ListingId, ct);
                refusal = listing is null ? $"listing {line.ListingId} does not exist" : Refusal(listing, line, items, clock.GetUtcNow());
                if (refusal is not null) break;
                listings.Add(listing!);
            }

            // After the refusals above, which judge the listing as it is now and stand whatever the caller's copy says; before
            // the write: the caller's copy is stale, so its request may be too, and it asks again once it caught up.
            if (refusal is null && await ChangedTermsAsync(session, listings, expectedTerms, ct) is { Count: > 0 } changed)
            {
                // Not recorded (the session is not committed): a later call with the new terms must be able to succeed.
                var reason = $"listing {string.Join(", ", changed)} changed its terms since the trade was decided";
                logger.LogInformation("Trade {TradeId} not reserved: {Reason}", tradeId, reason);
                return new ReservationOutcome(false, reason, changed);
            }

            if (refusal is not null)
            {
                // Recorded too, so a retried call answers the same and a later attempt cannot half-succeed.
                await session.AddReservationAsync(
                    new Reservation(tradeId, false, refusal, lines, ReservationStates.Refused, clock.GetUtcNow()), ct);
                await session.CommitAsync(ct);
                return new ReservationOutcome(false, refusal);
            }

            var versions = new Dictionary<string, long>();
            foreach (var (listing, line) in listings.Zip(lines))
            {
                var reserved = listing.Reserve(line.Quantity);
                await session.UpdateListingAsync(reserved, listing.Version, ct);
                await ListingBoard.PublishChangedAsync(session, reserved, ct);
                versions[reserved.Id] = reserved.Version;
            }
            await session.AddReservationAsync(new Reservation(tradeId, true, "", lines, ReservationStates.Held, clock.GetUtcNow()), ct);
            session.Publish(new ListingsReserved(tradeId, lines.Select(l => new ReservedQuantity(l.ListingId, l.Quantity)).ToArray()));
            await session.CommitAsync(ct);
            return new ReservationOutcome(true, "", Versions: versions);
        });
    }

    /// <summary>Gives a cancelled trade's quantities back to its listings, once per message.</summary>
    /// <returns>Whether this message changed anything.</returns>
    public Task<bool> ReleaseAsync(Guid messageId, Guid tradeId, string consumer, CancellationToken ct = default) =>
        SettleAsync(messageId, tradeId, consumer, ReservationStates.Released, (l, q) => l.Release(q), ct);

    /// <summary>Settles a cancelled trade whose <paramref name="delivered"/> quantities (per listing) already moved: those are
    /// booked as fulfilled, the rest of the reservation released, once per message.</summary>
    public Task<bool> ReleaseUndeliveredAsync(Guid messageId, Guid tradeId, string consumer, IReadOnlyDictionary<string, double> delivered,
        CancellationToken ct = default) =>
        SettleAsync(messageId, tradeId, consumer, ReservationStates.Released, (l, q) =>
        {
            var moved = Math.Min(q, delivered.GetValueOrDefault(l.Id));
            return moved <= 0 ? l.Release(q) : moved >= q ? l.Fulfil(q) : l.Fulfil(moved).Release(q - moved);
        }, ct);

    /// <summary>Books a completed trade's reserved quantities as fulfilled, once per message.</summary>
    public Task<bool> FulfilAsync(Guid messageId, Guid tradeId, string consumer, CancellationToken ct = default) =>
        SettleAsync(messageId, tradeId, consumer, ReservationStates.Fulfilled, (l, q) => l.Fulfil(q), ct);

    private Task<bool> SettleAsync(Guid messageId, Guid tradeId, string consumer, string outcome,
        Func<Listing, double, Listing> apply, CancellationToken ct) =>
        WriteRetry.OnConflictAsync(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            if (!await session.TryConsumeAsync(messageId, consumer, ct)) return false;

            var reservation = await session.GetReservationAsync(tradeId, ct);
            if (reservation is null && outcome == ReservationStates.Released)
            {
                // Cancelled before anything was reserved: remember it, so a late reservation call is refused.
                await session.AddReservationAsync(new Reservation(tradeId, false, "the trade was cancelled", [],
                    ReservationStates.Released, clock.GetUtcNow()), ct);
            }
            else if (reservation is not { State: ReservationStates.Held })
            {
                logger.LogInformation("Trade {TradeId}: nothing held to mark {Outcome} (reservation {State})",
                    tradeId, outcome, reservation?.State ?? "missing");
            }
            else
            {
                foreach (var line in reservation.Lines)
                {
                    var listing = await session.GetListingAsync(line.ListingId, ct)
                        ?? throw new InvalidOperationException($"Reserved listing {line.ListingId} is gone.");
                    var settled = apply(listing, line.Quantity);
                    await session.UpdateListingAsync(settled, listing.Version, ct);
                    // Matching dropped withdrawn listings from its book; telling it their quantity grew would revive them.
                    if (settled.Status != ListingStatuses.Withdrawn) await ListingBoard.PublishChangedAsync(session, settled, ct);
                }
                await session.UpdateReservationAsync(reservation with { State = outcome }, ct);
            }
            await session.CommitAsync(ct);
            return true;
        });

    /// <summary>A repeat's versions: the current ones, never below those the reservation wrote (versions only grow), so a
    /// copy that reached them still has the reservation in it (or what settled it since).</summary>
    private static async Task<IReadOnlyDictionary<string, long>> CurrentVersionsAsync(ICatalogSession session,
        IReadOnlyList<ReservationLine> lines, CancellationToken ct)
    {
        var versions = new Dictionary<string, long>();
        foreach (var line in lines)
            if (await session.GetListingAsync(line.ListingId, ct) is { } listing) versions[listing.Id] = listing.Version;
        return versions;
    }

    /// <summary>The listings whose terms differ from the caller's, compared in the caller's scheme. The towns are read in the
    /// reservation's own session, so the check and the write see one state (a move re-announces the town's listings at a
    /// new version, which this write then conflicts with), and each town once.</summary>
    private async Task<List<string>> ChangedTermsAsync(ICatalogSession session, IReadOnlyList<Listing> listings,
        IReadOnlyList<ExpectedTerms>? expected, CancellationToken ct)
    {
        var changed = new List<string>();
        if (expected is null) return changed;
        var towns = new Dictionary<string, Town?>(StringComparer.Ordinal);
        foreach (var listing in listings)
        {
            foreach (var terms in expected.Where(e => e.ListingId == listing.Id && !string.IsNullOrEmpty(e.Fingerprint)))
            {
                if (!ListingTermsFingerprint.IsComparable(terms.Fingerprint))
                {
                    // A caller of a newer scheme: refusing it would refuse every reservation until catalog is upgraded.
                    logger.LogWarning("Listing {ListingId}: terms fingerprint of an unknown scheme not checked", listing.Id);
                    continue;
                }
                if (terms.Fingerprint == await CurrentAsync(listing, terms.Fingerprint)) continue;
                changed.Add(listing.Id);
                break;
            }
        }
        return changed;

        async Task<string?> CurrentAsync(Listing listing, string fingerprint)
        {
            if (ListingTermsFingerprint.IsPositionless(fingerprint)) return listing.TermsFingerprintWithoutPosition;
            if (!towns.TryGetValue(listing.TownId, out var town))
                towns[listing.TownId] = town = await session.GetTownAsync(listing.TownId, ct);
            // No town, no position to confirm: refused as changed rather than agreed on a position catalog cannot vouch for.
            return town is null ? null : listing.TermsFingerprint(town);
        }
    }

    private static string? Refusal(Listing listing, ReservationLine line, IReadOnlyList<ReservationLine> items, DateTimeOffset now)
    {
        if (!listing.IsActive) return $"listing {listing.Id} is {listing.Status}";
        // Goods no longer available cannot be promised (a proposal ends with its legs' windows; this is the last word).
        if (!listing.IsOpenAt(now)) return $"listing {listing.Id} was available until {listing.AvailableUntil:O}";
        var smallest = items.Where(i => i.ListingId == listing.Id).Min(i => i.Quantity);
        if (smallest < listing.MinLot - Listing.Epsilon)
            return $"listing {listing.Id}: quantity {Format(smallest)} is below its minimum lot {Format(listing.MinLot)}";
        // Against the quantity less what is committed, not the remaining (clamped at 0): a listing already taken to its
        // quantity plus noise must not let each further trade take another epsilon (five of 0.9e-6 on nothing were reserved).
        if (line.Quantity > listing.Quantity - listing.Committed + Listing.Epsilon)
            return $"listing {listing.Id}: {Format(line.Quantity)} asked but only {Format(listing.Remaining)} remaining";
        return null;
    }

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
