using System.Text.Json;
using TradeNet.Matching.Domain;
using TradeNet.Shared.Storage.Sqlite;
using static TradeNet.Matching.Storage.Sqlite.SqliteMatchingStore;

namespace TradeNet.Matching.Storage.Sqlite;

/// <summary>A matching write on one SQLite transaction (BEGIN IMMEDIATE: writers queue, reads inside see a stable state).</summary>
public sealed class SqliteMatchingSession(SqliteWriteScope scope) : IMatchingSession
{
    public void Publish<T>(T message) where T : class => scope.Publish(message);

    public Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default) =>
        scope.TryConsumeAsync(messageId, consumer, ct);

    public Task CommitAsync(CancellationToken ct = default) => scope.CommitAsync(ct);

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    public async Task<bool> ExtendLeaseAsync(string name, string holder, DateTimeOffset until, CancellationToken ct = default) =>
        await scope.ExecuteAsync(
            "UPDATE leases SET expires_at = $until WHERE name = $name AND holder = $holder",
            ("$name", name), ("$holder", holder), ("$until", until.ToUnixTimeMilliseconds())) == 1;

    public async Task<BookListing?> GetListingAsync(string id, CancellationToken ct = default)
    {
        var command = scope.Prepared(ListingSql, ("$id", id));
        return await ReadListingAsync(command, ct);
    }

    /// <summary>remaining and open_until copy the snapshot's for the live book's index (<see cref="LiveListingsSql"/>); the
    /// book's version moves on in the same write (<see cref="IMatchingStore.BookVersionAsync"/>) and the row is marked with it
    /// (<c>changed</c>, for <see cref="IMatchingStore.ListingsSavedSinceAsync"/>).</summary>
    public Task SaveListingAsync(BookListing listing, CancellationToken ct = default) =>
        scope.ExecuteAsync("""
            INSERT INTO book_version(id, version) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET version = version + 1;
            INSERT INTO book(id, town_id, version, withdrawn, listing, remaining, open_until, changed)
            VALUES ($id, $town, $version, $withdrawn, $listing, $remaining, $openUntil, (SELECT version FROM book_version WHERE id = 1))
            ON CONFLICT(id) DO UPDATE SET town_id = $town, version = $version, withdrawn = $withdrawn, listing = $listing,
                remaining = $remaining, open_until = $openUntil, changed = excluded.changed;
            """,
            ("$id", listing.Id), ("$town", listing.TownId), ("$version", listing.Version), ("$withdrawn", listing.Withdrawn ? 1 : 0),
            ("$listing", listing.Listing is null ? null : JsonSerializer.Serialize(listing.Listing, Json)),
            ("$remaining", listing.Listing?.Remaining ?? 0), ("$openUntil", OpenUntil(listing.Listing?.AvailableUntil)));

    public async Task<Trade?> GetTradeAsync(Guid id, CancellationToken ct = default)
    {
        var command = scope.Prepared(TradeSql, ("$id", id.ToString()));
        return (await ReadTradesAsync(command, ct)).SingleOrDefault();
    }

    internal const string TradesUsingListingSql =
        $"SELECT {TradeColumns} FROM trades WHERE +status = $status AND id IN (SELECT trade_id FROM trade_listings WHERE listing_id = $listing AND status = $status) ORDER BY created_at, id";

    public async Task<IReadOnlyList<Trade>> TradesUsingListingAsync(string listingId, TradeStatus status, CancellationToken ct = default)
    {
        // "+status" keeps SQLite off the status index: it would walk every trade in that status (thousands of proposals)
        // and test each against the listing; from the listing's rows of that status (ix_trade_listings_status) the read
        // is O(its trades in the status), not O(every trade it was ever proposed in).
        var command = scope.Prepared(TradesUsingListingSql, ("$status", StatusText(status)), ("$listing", listingId));
        return await ReadTradesAsync(command, ct);
    }

    public async Task<IReadOnlyDictionary<string, BookListing>> GetListingsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        var found = new Dictionary<string, BookListing>(StringComparer.Ordinal);
        if (ids.Count == 0) return found;
        var command = scope.Prepared(ListingsSql, ("$ids", JsonSerializer.Serialize(ids)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var listing = ReadListing(reader);
            found[listing.Id] = listing;
        }
        return found;
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> TradesUsingListingsAsync(IReadOnlyCollection<string> listingIds,
        TradeStatus status, CancellationToken ct = default) =>
        ReadTradesByListingAsync(listingIds, status, scope.Prepared, ct);

    public async Task InsertTradeAsync(Trade trade, CancellationToken ct = default)
    {
        await scope.ExecuteAsync(
            "INSERT INTO trades(id, round_id, status, deadline, created_at, version, doc, agreed_at, unagreed_cancelled_at) " +
            "VALUES ($id, $round, $status, $deadline, $created, $version, $doc, $agreed, $unagreed)",
            ("$id", trade.Id.ToString()), ("$round", trade.RoundId.ToString()), ("$status", StatusText(trade.Status)),
            ("$deadline", trade.Deadline.ToUnixTimeMilliseconds()), ("$created", trade.CreatedAt.ToUnixTimeMilliseconds()),
            ("$version", trade.Version), ("$doc", JsonSerializer.Serialize(trade, Json)), ("$agreed", trade.AgreedAt?.ToUnixTimeMilliseconds()),
            ("$unagreed", UnagreedCancelledAt(trade)));
        // One statement for each index table rather than one per row: a trade has three to eight towns and listings. Each
        // town's row carries the trade's status and time, so a town's list by status is read along its own index.
        await scope.ExecuteAsync(
            "INSERT INTO trade_towns(trade_id, town_id, status, created_at) SELECT $id, value, $status, $created FROM json_each($towns)",
            ("$id", trade.Id.ToString()), ("$towns", JsonSerializer.Serialize(trade.Towns.ToArray())),
            ("$status", StatusText(trade.Status)), ("$created", trade.CreatedAt.ToUnixTimeMilliseconds()));
        // Each pair of its towns once (lesser id first, as SQLite orders text), for one town's trades with another.
        await scope.ExecuteAsync(
            "INSERT INTO trade_town_pairs(trade_id, town_id, with_town_id, status, created_at) " +
            "SELECT $id, a.value, b.value, $status, $created FROM json_each($towns) a JOIN json_each($towns) b ON a.value < b.value",
            ("$id", trade.Id.ToString()), ("$towns", JsonSerializer.Serialize(trade.Towns.ToArray())),
            ("$status", StatusText(trade.Status)), ("$created", trade.CreatedAt.ToUnixTimeMilliseconds()));
        // Each listing's row carries the status too: a listing's proposals are read along its own rows of that status.
        await scope.ExecuteAsync("INSERT INTO trade_listings(trade_id, listing_id, status) SELECT $id, value, $status FROM json_each($listings)",
            ("$id", trade.Id.ToString()), ("$listings", JsonSerializer.Serialize(trade.ListingIds.ToArray())), ("$status", StatusText(trade.Status)));
    }

    public async Task<bool> UpdateTradeAsync(Trade trade, CancellationToken ct = default)
    {
        var next = trade with { Version = trade.Version + 1 };
        var changed = await scope.ExecuteAsync(
            "UPDATE trades SET status = $status, deadline = $deadline, version = $next, doc = $doc, agreed_at = $agreed, " +
            "unagreed_cancelled_at = $unagreed WHERE id = $id AND version = $expected",
            ("$status", StatusText(next.Status)), ("$deadline", next.Deadline.ToUnixTimeMilliseconds()), ("$next", next.Version),
            ("$agreed", next.AgreedAt?.ToUnixTimeMilliseconds()), ("$unagreed", UnagreedCancelledAt(next)),
            ("$doc", JsonSerializer.Serialize(next, Json)), ("$id", trade.Id.ToString()), ("$expected", trade.Version));
        if (changed != 1) return false;
        // The towns', pairs' and listings' copies of the status move in the same write (every status change comes through here). Most updates
        // are a leg's answer with the status unchanged: those rows and their index are left alone.
        await scope.ExecuteAsync("UPDATE trade_towns SET status = $status WHERE trade_id = $id AND status IS NOT $status",
            ("$status", StatusText(next.Status)), ("$id", trade.Id.ToString()));
        await scope.ExecuteAsync("UPDATE trade_town_pairs SET status = $status WHERE trade_id = $id AND status IS NOT $status",
            ("$status", StatusText(next.Status)), ("$id", trade.Id.ToString()));
        await scope.ExecuteAsync("UPDATE trade_listings SET status = $status WHERE trade_id = $id AND status IS NOT $status",
            ("$status", StatusText(next.Status)), ("$id", trade.Id.ToString()));
        return true;
    }

    public Task InsertRoundAsync(ClearingRound round, CancellationToken ct = default) =>
        scope.ExecuteAsync("INSERT INTO rounds(id, started_at, doc) VALUES ($id, $started, $doc)",
            ("$id", round.Id.ToString()), ("$started", round.StartedAt.ToUnixTimeMilliseconds()), ("$doc", JsonSerializer.Serialize(round, Json)));

    // BEGIN IMMEDIATE: no other write runs until this one ends, so nothing it read can change before it commits.
    public Task GuardTradesAsync(IReadOnlyCollection<Guid> tradeIds, CancellationToken ct = default) => Task.CompletedTask;

    // As above: the round's write holds the lock, so no listing consumer commits between its reads and its commit.
    public Task GuardListingsAsync(IReadOnlyCollection<string> listingIds, CancellationToken ct = default) => Task.CompletedTask;
}
