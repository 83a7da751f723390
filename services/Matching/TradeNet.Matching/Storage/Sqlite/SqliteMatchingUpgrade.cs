using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Matching.Storage.Sqlite;

/// <summary>Brings a file an earlier release wrote up to this release's schema: <c>CREATE TABLE IF NOT EXISTS</c> leaves an
/// existing table as it was, so columns added since are added here.</summary>
internal static class SqliteMatchingUpgrade
{
    /// <summary>Columns added after the first release, with the definition existing rows get them by. Trades agreed before
    /// <c>agreed_at</c> keep it null: the time was never recorded, and the last acceptance (their legs' answers) is only a
    /// lower bound of it, which the trade view shows anyway. The book's <c>remaining</c> and <c>open_until</c> are copies
    /// of the listing's own, <c>trade_towns</c>' <c>status</c> and <c>created_at</c> and <c>trade_listings</c>' <c>status</c> of the trade's own, filled in
    /// below for the rows an earlier release wrote. The book's <c>changed</c> (the book version a save moved it to) stays
    /// null on those rows.</summary>
    private static readonly AddedColumn[] Added =
    [
        new("trades", "agreed_at", "INTEGER NULL"),
        new("book", "remaining", "REAL NULL"),
        new("book", "open_until", "INTEGER NULL"),
        new("book", "changed", "INTEGER NULL"),
        new("trade_towns", "status", "TEXT NULL"),
        new("trade_towns", "created_at", "INTEGER NULL"),
        new("trades", "unagreed_cancelled_at", "INTEGER NULL"),
        new("trade_listings", "status", "TEXT NULL"),
    ];

    /// <summary>An older release started on a file this release had upgraded (going back, which docs/operations.md,
    /// "Upgrading", does not support, but an operator may do) makes its own indexes again, the ones this release drops
    /// below, and changes and adds rows without the copies it does not know of. Such an index back in the file is the
    /// mark: the copies are filled again from what they copy, once, and the index goes again in the same write.</summary>
    private const string BookWrittenByOlderRelease = "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_book_open')";

    /// <summary>Made by releases before <c>trade_towns.status</c> (b017d16 of 5 Dec among them).</summary>
    private const string TownsWrittenByOlderRelease = "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_trade_towns_town')";

    /// <summary>Made by releases before <c>trade_listings.status</c> (137a476, 6 Dec), which had no <c>trade_town_pairs</c>
    /// either. Releases from 137a476 to the pairs (3c89f20) leave no mark: their trades' pairs are not filled again.</summary>
    private const string ListingsWrittenByOlderRelease = "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_trade_listings_listing')";

    /// <summary>Rows written before the columns existed get them from their snapshot (julianday reads its ISO times with
    /// their offset; + 1 ms rounds up, as <see cref="SqliteMatchingStore.OpenUntil"/> does). Finds nothing in a file this
    /// release wrote, so it costs one look per start. A tombstone (no snapshot) has nothing remaining.</summary>
    private const string FillBookColumns = $"""
        UPDATE book SET
            remaining = COALESCE(json_extract(listing, '$.remaining'), 0),
            open_until = CASE WHEN json_extract(listing, '$.availableUntil') IS NULL THEN 9223372036854775807
                ELSE CAST((julianday(json_extract(listing, '$.availableUntil')) - 2440587.5) * 86400000 AS INTEGER) + 1 END
        WHERE remaining IS NULL OR open_until IS NULL OR {BookWrittenByOlderRelease}
        """;

    /// <summary>After the columns exist (an older file gets them above, so the index cannot be in the schema). Only
    /// listings with something left are in it: the exhausted history of months, the bulk of the book, is not.
    /// <c>ix_book_open</c> (every not-withdrawn listing) served the round's read before and only cost writes since.</summary>
    private const string LiveIndex = """
        CREATE INDEX IF NOT EXISTS ix_book_live ON book(open_until) WHERE withdrawn = 0 AND remaining > 0;
        DROP INDEX IF EXISTS ix_book_open;
        """;

    /// <summary>The rows saved since a book version (<see cref="SqliteMatchingStore.ListingsSavedSinceSql"/>). Rows an
    /// earlier release wrote have no mark and are not in it: a reader's first read of the book is a whole one.</summary>
    private const string ChangedIndex = "CREATE INDEX IF NOT EXISTS ix_book_changed ON book(changed) WHERE changed IS NOT NULL";

    /// <summary>Each (trade, town) row an earlier release wrote gets its trade's status and creation time. Only while the
    /// index below does not exist yet, and the same write creates it: so it runs once, and a later start does not look
    /// every town's whole history over for nulls (millions of rows after months), unless an older release's mark is back
    /// (above). Rows this release writes carry both.</summary>
    private const string FillTradeTownColumns = $"""
        UPDATE trade_towns SET status = t.status, created_at = t.created_at FROM trades t
        WHERE t.id = trade_towns.trade_id
            AND (NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_trade_towns_status_created')
                OR {TownsWrittenByOlderRelease})
        """;

    /// <summary>A town's trades in the lists' order (created_at DESC, then the id), with a status or without: a page is
    /// read along one of these and costs its own rows, not the town's history. Both begin with town_id, so
    /// <c>ix_trade_towns_town</c> has nothing left to serve and would only cost writes.</summary>
    private const string TradeTownIndexes = """
        CREATE INDEX IF NOT EXISTS ix_trade_towns_status_created ON trade_towns(town_id, status, created_at DESC, trade_id);
        CREATE INDEX IF NOT EXISTS ix_trade_towns_created ON trade_towns(town_id, created_at DESC, trade_id);
        DROP INDEX IF EXISTS ix_trade_towns_town;
        """;

    /// <summary>Each (trade, listing) row an earlier release wrote gets its trade's status, once, as for the towns above.</summary>
    private const string FillTradeListingStatus = $"""
        UPDATE trade_listings SET status = t.status FROM trades t
        WHERE t.id = trade_listings.trade_id
            AND (NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_trade_listings_status')
                OR {ListingsWrittenByOlderRelease})
        """;

    /// <summary>A listing's trades in one status (its proposals, on every change of it, each round's write and each page
    /// of the book) without its history: a listing proposed round after round gathers thousands of cancelled trades
    /// (docs/benchmarks.md, "Soak (2026-12-06)"). It begins with listing_id, so <c>ix_trade_listings_listing</c> goes.</summary>
    private const string TradeListingIndex = """
        CREATE INDEX IF NOT EXISTS ix_trade_listings_status ON trade_listings(listing_id, status, trade_id);
        DROP INDEX IF EXISTS ix_trade_listings_listing;
        """;

    /// <summary>Each pair of towns of every trade an earlier release wrote, once, with the trade's status and creation time: the
    /// schema made the table empty in such a file. Only while the indexes below do not exist yet, and the same write creates
    /// them, so it runs once (as <see cref="FillTradeTownColumns"/>). Rows this release writes come with their trade.</summary>
    private const string FillTradeTownPairs = $"""
        INSERT OR IGNORE INTO trade_town_pairs(trade_id, town_id, with_town_id, status, created_at)
        SELECT a.trade_id, a.town_id, b.town_id, t.status, t.created_at
        FROM trade_towns a JOIN trade_towns b ON b.trade_id = a.trade_id AND a.town_id < b.town_id JOIN trades t ON t.id = a.trade_id
        WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_trade_town_pairs_status_created')
            OR {ListingsWrittenByOlderRelease};
        UPDATE trade_town_pairs SET status = t.status FROM trades t
        WHERE t.id = trade_town_pairs.trade_id AND trade_town_pairs.status <> t.status AND {ListingsWrittenByOlderRelease}
        """;

    /// <summary>One town's trades with another (a town's <c>?town=</c>), with a status or without, in the lists' order: a
    /// page costs the pair's own rows, not every trade of the first town in the status.</summary>
    private const string TradeTownPairIndexes = """
        CREATE INDEX IF NOT EXISTS ix_trade_town_pairs_status_created ON trade_town_pairs(town_id, with_town_id, status, created_at DESC, trade_id);
        CREATE INDEX IF NOT EXISTS ix_trade_town_pairs_created ON trade_town_pairs(town_id, with_town_id, created_at DESC, trade_id);
        """;

    /// <summary>The never-agreed cancelled proposals by the time they were cancelled, for
    /// <c>Matching:UnagreedTradeRetention</c>'s sweep; every other trade has the column null and is not in it. Trades an
    /// earlier release cancelled stay null too: it recorded neither when nor whether they had been agreed, so they are kept.</summary>
    private const string UnagreedCancelledIndex =
        "CREATE INDEX IF NOT EXISTS ix_trades_unagreed_cancelled ON trades(unagreed_cancelled_at) WHERE unagreed_cancelled_at IS NOT NULL";

    /// <summary>Each round's (and each counterparts answer's) read of the trades agreed in the last day, agreed or completed
    /// since (<c>Rounds.BookHolds</c>): along the day's rows, not the status's whole history (completed trades are kept for
    /// good). After the column exists, as for the book's indexes.</summary>
    private const string AgreedIndex = "CREATE INDEX IF NOT EXISTS ix_trades_status_agreed ON trades(status, agreed_at)";

    /// <summary>Idempotent; one immediate write of its own, so two processes opening the file do not both apply it. The
    /// fills come before the indexes that drop an older release's mark.</summary>
    public static void Run(SqliteDatabase database) =>
        AddedColumns.AddMissing(database, Added, FillBookColumns, LiveIndex, ChangedIndex, FillTradeTownColumns, FillTradeListingStatus,
            FillTradeTownPairs, TradeTownIndexes, UnagreedCancelledIndex, TradeListingIndex, TradeTownPairIndexes, AgreedIndex);
}
