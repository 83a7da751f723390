using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>The book the counterparts route keeps across requests is, at every request, the book read afresh.</summary>
public sealed class CounterpartBooksTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Towns = ["roanne", "riorges", "lyon"];
    private readonly TestSettings _settings = new();

    public void Dispose()
    {
        SqliteDatabase.ClearPool(Path);
        _settings.Dispose();
    }

    private string Path => System.IO.Path.Combine(_settings.DataDir, "counterpart-books.db");

    [Theory]
    [InlineData(1), InlineData(2), InlineData(3)]
    public async Task After_any_run_of_saves_withdrawals_lowered_copies_and_ended_windows_the_kept_book_is_the_book_read_afresh(int seed)
    {
        var random = new Random(seed);
        var store = new SqliteMatchingStore(Path);
        var books = new CounterpartBooks();
        var listings = new Dictionary<string, ListingSnapshot>();
        var now = Start;
        for (var step = 0; step < 80; step++)
        {
            var id = $"l{random.Next(30):D2}";
            var current = listings.GetValueOrDefault(id);
            var changed = (random.Next(6), current) switch
            {
                (0, { } l) => BookListing.Open(l).Withdraw(l.Version + 1),
                // As a trade's reservation lowers the copy: same version, less remaining.
                (1, { } l) => BookListing.Open(l with { Remaining = Math.Max(0, l.Remaining - random.Next(1, 6)) }),
                (2, _) => null,
                _ => BookListing.Open(Listing(random, id, (current?.Version ?? 0) + 1, now)),
            };
            if (changed is not null && !(current is null && changed.Withdrawn))
            {
                await using var session = await store.BeginAsync();
                await session.SaveListingAsync(changed);
                await session.CommitAsync();
                if (changed.Withdrawn) listings.Remove(id);
                else listings[id] = changed.Listing!;
            }
            if (random.Next(3) == 0) now = now.AddHours(random.Next(1, 30));

            var (_, book) = await books.ReadAsync(store, now, CancellationToken.None);
            var afresh = OrderBook.From(await new SqliteMatchingStore(Path).LiveListingsAsync(now), new Dictionary<string, double>(), now).Tradable;

            Assert.Equal(afresh.Select(Describe), book.Select(Describe));
        }
    }

    private static string Describe(BookEntry e) => $"{e with { Attributes = [], Requires = [] }} [{string.Join(",", e.Attributes)}]";

    private static ListingSnapshot Listing(Random random, string id, long version, DateTimeOffset now)
    {
        var need = random.Next(2) == 0;
        DateTimeOffset? until = random.Next(3) == 0 ? null : now.AddHours(random.Next(1, 60));
        var quantity = random.Next(0, 12);
        return new ListingSnapshot(id, Towns[random.Next(Towns.Length)], need ? "need" : "offer", "cheese", "kg", 12, 1, 12, quantity,
            random.Next(0, 3), need ? [] : ["organic"], need && random.Next(2) == 0 ? ["organic"] : [], need ? 80 : null, null, until,
            46 + random.NextDouble() / 2, 4 + random.NextDouble() / 2, version);
    }
}
