using System.Globalization;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Sqlite;

namespace TradeNet.Matching.Benchmarks;

/// <summary>
/// <c>--only book-pages [--listings N] [--proposals P] [--history H] [--seed S]</c>: what a page of <c>GET /book</c> costs
/// for its holds. Seeds a SQLite matching file through the store with N listings, P pending two-leg proposals and H
/// cancelled ones (a listing's history) on random listings, then times, median of 15: every pending proposal read for the
/// holds (as a page did before 2026-12-06, and as a round still does) against <see cref="BookHolds.ReadPageAsync"/>, which
/// reads only the trades in those statuses on the page's own listings, for pages of 500 and 100.
/// </summary>
internal static class BookPages
{
    public static void Run(Dictionary<string, string> opts)
    {
        var (listings, proposals, history) = (opts.Int("listings", 4_000), opts.Int("proposals", 4_000), opts.Int("history", 20_000));
        var dir = Path.Combine(Path.GetTempPath(), $"tradenet-book-pages-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var store = new SqliteMatchingStore(Path.Combine(dir, "matching.db"));
            var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            SeedAsync(store, new Random(opts.Int("seed", 1)), now, listings, proposals, history).GetAwaiter().GetResult();

            var allPending = ReadTimings.MedianMs(async () =>
            {
                var proposed = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Proposed, Limit: int.MaxValue));
                var agreed = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Agreed, AgreedSince: now - BookHolds.AgreedWithin, Limit: int.MaxValue));
                BookHolds.Held(proposed, agreed, await store.ListingsPageAsync(null, 500));
            });
            var page500 = ReadTimings.MedianMs(() => BookHolds.ReadPageAsync(store, now, null, 500, CancellationToken.None));
            var page100 = ReadTimings.MedianMs(() => BookHolds.ReadPageAsync(store, now, null, 100, CancellationToken.None));
            Console.WriteLine($"## GET /book holds: {listings:N0} listings, {proposals:N0} pending proposals, {history:N0} cancelled (median of 15, ms)");
            Console.WriteLine();
            Console.WriteLine("| every pending proposal, page of 500 | the page's own trades, 500 | the page's own trades, 100 |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {allPending:F1} | {page500:F1} | {page100:F1} |"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task SeedAsync(IMatchingStore store, Random random, DateTimeOffset now, int listings, int proposals, int history)
    {
        await using (var session = await store.BeginAsync())
        {
            for (var i = 0; i < listings; i++) await session.SaveListingAsync(BookListing.Open(Listing(i)));
            await session.CommitAsync();
        }
        await using (var session = await store.BeginAsync())
        {
            for (var i = 0; i < proposals + history; i++)
            {
                var trade = Swap(random, listings, now);
                await session.InsertTradeAsync(i < proposals ? trade : trade with { Status = TradeStatus.Cancelled, Reason = "declined" });
            }
            await session.CommitAsync();
        }
    }

    // Offers at even indexes, needs at odd ones, on 150 towns.
    private static ListingSnapshot Listing(int i) => new($"l{i:D6}", Town(i), i % 2 == 0 ? "offer" : "need", "cheese", "kg", 12, 1,
        1000, 1000, 0, [], [], null, null, null, 46, 4, 1);

    private static string Town(int listing) => $"t{listing % 150}";

    private static Trade Swap(Random random, int listings, DateTimeOffset now)
    {
        int Offer() => random.Next(listings / 2) * 2;
        int Need() => random.Next(listings / 2) * 2 + 1;
        TradeLegState Leg(int index, int offer, int need) => new(new TradeLeg(index, Town(offer), Town(need), $"l{offer:D6}", $"l{need:D6}",
            "cheese", 1, 12, 1, new TradePoint(46, 4), new TradePoint(46, 4), null, null), OfferVersion: 1, NeedVersion: 1);
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed, [Leg(0, Offer(), Need()), Leg(1, Offer(), Need())],
            now.AddDays(1), now);
    }
}
