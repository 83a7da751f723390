using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Rounds;

/// <summary>The open listings and what trades hold on them, as a round and <c>GET /book</c> see them.</summary>
public static class BookHolds
{
    /// <summary>How far back agreed trades are read for holds. An agreed trade holds only until matching's copy of the
    /// book reaches the versions catalog reserved it at, which takes the outbox relay and the consumer — under a second
    /// usually, longer while the broker is slow or down. A day covers any outage the broker's own retention and the
    /// outbox survive without an operator, and keeps the read to the trades of one day instead of every agreed trade
    /// ever (agreed trades stay agreed until delivered, weeks on). A copy a day late has bigger problems than this hold.
    /// A trade completed since is read too, and one cancelled since with goods that arrived: its delivery does not bring
    /// the reservation to the copy (catalog's ListingChanged may still be stuck in its outbox while logistics' reports
    /// flow), and without it the goods it moved were offered again in the next round, which catalog then refused.</summary>
    public static readonly TimeSpan AgreedWithin = TimeSpan.FromDays(1);

    /// <summary>A page of <c>GET /book</c> and what trades hold on its listings: only the proposed and agreed trades using
    /// them are read, so a page costs its own proposals however many are pending (and the day's trades completed or
    /// cancelled after agreement, few). The page is read first; what the trades then say is as a
    /// round would see it against that copy: a proposal made since holds, and an agreed trade holds while the page's copy
    /// is below the version its reservation gave the listing.</summary>
    public static async Task<(IReadOnlyList<ListingSnapshot> Listings, IReadOnlyDictionary<string, double> Held)> ReadPageAsync(
        IMatchingStore store, DateTimeOffset now, string? after, int size, CancellationToken ct)
    {
        var page = await store.ListingsPageAsync(after, size, ct);
        var ids = page.Select(l => l.Id).ToList();
        var proposed = await store.TradesUsingListingsAsync(ids, TradeStatus.Proposed, ct);
        var agreed = await store.TradesUsingListingsAsync(ids, TradeStatus.Agreed, ct);
        var since = now - AgreedWithin;
        // Completed and cancelled after agreement in the day, across the book (along their index), rather than the page's
        // listings' completed and cancelled history, which grows for as long as the listings trade.
        var completed = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Completed, AgreedSince: since, Limit: int.MaxValue), ct);
        var cancelled = await CancelledAfterAgreementAsync(store, since, ct);
        return (page, Held(Distinct(proposed), Distinct(agreed).Where(t => t.AgreedAt >= since).Concat(completed).Concat(cancelled), page));

        // A trade on two listings of the page is listed under each.
        static IEnumerable<Trade> Distinct(IReadOnlyDictionary<string, IReadOnlyList<Trade>> byListing) =>
            byListing.Values.SelectMany(t => t).DistinctBy(t => t.Id);
    }

    /// <summary>The live book a round clears (<see cref="IMatchingStore.LiveListingsAsync"/>) and what trades hold on it.</summary>
    public static Task<(IReadOnlyList<ListingSnapshot> Listings, IReadOnlyDictionary<string, double> Held)> ReadAsync(
        IMatchingStore store, DateTimeOffset now, CancellationToken ct) =>
        ReadAsync(store, now, () => store.LiveListingsAsync(now, ct), ct);

    /// <summary><paramref name="liveListings"/> (the live book as the store reads it, or a copy kept up to date with it, as
    /// the counterparts route keeps one) and what trades hold on it.</summary>
    public static async Task<(IReadOnlyList<ListingSnapshot> Listings, IReadOnlyDictionary<string, double> Held)> ReadAsync(
        IMatchingStore store, DateTimeOffset now, Func<Task<IReadOnlyList<ListingSnapshot>>> liveListings, CancellationToken ct)
    {
        // Trades first, in the order of their lifecycle, then the book: a trade agreed (or completed) between the reads is
        // then in the earlier list (or in both: a proposal agreed meanwhile is held twice for one round, while an agreed trade
        // completed or cancelled meanwhile holds once, as its later read says, Held) rather than in neither; a copy that reaches a
        // reserved version between the reads has the reservation in it, and the hold read before stops counting against
        // that newer copy.
        var proposed = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Proposed, Limit: int.MaxValue), ct);
        var agreed = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Agreed, AgreedSince: now - AgreedWithin, Limit: int.MaxValue), ct);
        var completed = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Completed, AgreedSince: now - AgreedWithin, Limit: int.MaxValue), ct);
        var cancelled = await CancelledAfterAgreementAsync(store, now - AgreedWithin, ct);
        var read = await liveListings();
        return (read, Held(proposed, agreed.Concat(completed).Concat(cancelled), read));
    }

    /// <summary>Trades agreed since <paramref name="since"/> and cancelled since (a proposal cancelled unagreed has no
    /// agreement time and is not read): the legs of theirs that arrived hold (<see cref="Trade.ReservedHolds"/>).</summary>
    private static async Task<IReadOnlyList<Trade>> CancelledAfterAgreementAsync(IMatchingStore store, DateTimeOffset since, CancellationToken ct) =>
        (await store.TradesAsync(new TradeQuery(Status: TradeStatus.Cancelled, AgreedSince: since, Limit: int.MaxValue), ct))
            .Where(t => t.DeliveredLegs.Count > 0).ToList();

    /// <summary>What proposals hold, plus what agreed trades (and trades completed or cancelled since,
    /// <see cref="Trade.ReservedHolds"/>; <paramref name="agreed"/> in the order they were read, a later read of a trade
    /// standing for it) hold on listings whose copy is still below the version the reservation gave them
    /// (the copy then lacks it). A listing not in the book (withdrawn) holds nothing.</summary>
    public static IReadOnlyDictionary<string, double> Held(IEnumerable<Trade> proposed, IEnumerable<Trade> agreed,
        IEnumerable<ListingSnapshot> listings)
    {
        var versions = listings.ToDictionary(l => l.Id, l => l.Version, StringComparer.Ordinal);
        var held = new Dictionary<string, double>(ClearingRounds.Held(proposed), StringComparer.Ordinal);
        // A trade completed or cancelled between the reads of its statuses is in two of them: it holds once, as the later
        // read says (a cancelled one only its arrived legs), never twice what it moved.
        var latest = new Dictionary<Guid, Trade>();
        foreach (var trade in agreed) latest[trade.Id] = trade;
        foreach (var (listingId, quantity, reservedVersion) in latest.Values.SelectMany(t => t.ReservedHolds))
            if (versions.TryGetValue(listingId, out var version) && version < reservedVersion)
                held[listingId] = held.GetValueOrDefault(listingId) + quantity;
        return held;
    }
}
