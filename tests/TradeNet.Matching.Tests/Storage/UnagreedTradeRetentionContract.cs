using Microsoft.Data.Sqlite;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Testing;
using static TradeNet.Matching.Tests.Storage.UnagreedTrades;

namespace TradeNet.Matching.Tests.Storage;

public sealed class UnagreedTradeRetentionContract : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private readonly TestSettings _settings = new();

    public void Dispose() => _settings.Dispose();

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Only_proposals_cancelled_before_the_time_without_ever_being_agreed_are_forgotten(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var old = Now.AddDays(-10);
        var declined = await WriteAsync(store, Proposal(old), t => Declined(t, old.AddHours(1)));
        var expired = await WriteAsync(store, Proposal(old), t => Accepted(t, old.AddHours(1)), t => t.Cancel("expired", old.AddDays(1)));
        var withdrawn = await WriteAsync(store, Proposal(old), t => t.Cancel("listing roanne-offer withdrawn", old.AddHours(2)));
        var kept = new[]
        {
            // Cancelled as a proposal, but after the time.
            await WriteAsync(store, Proposal(old), t => t.Cancel("listing roanne-offer withdrawn", Now.AddDays(-2))),
            // Agreed, then cancelled: catalog released a reservation and logistics planned shipments that name it.
            await WriteAsync(store, Proposal(old), t => Agreed(t, old.AddHours(1)), t => t.Cancel("cancelled by operator ops: gone", old.AddHours(2))),
            // Agreed by a release that did not record the time, cancelled by this one: it left Agreed, not Proposed.
            await WriteAsync(store, Proposal(old), t => Accepted(t, old) with { Status = TradeStatus.Agreed }, t => t.Cancel("stopped", old.AddHours(2))),
            // Cancelled by a release that recorded neither when nor from what.
            await WriteAsync(store, Proposal(old), t => t with { Status = TradeStatus.Cancelled, Reason = "expired" }),
            await WriteAsync(store, Proposal(old)),
            await WriteAsync(store, Proposal(old), t => Agreed(t, old.AddHours(1))),
            await WriteAsync(store, Proposal(old), t => Agreed(t, old.AddHours(1)), t => Delivered(t, old.AddDays(1))),
        };

        Assert.Equal(3, await store.ForgetUnagreedTradesAsync(Now.AddDays(-3), 100));

        foreach (var gone in new[] { declined, expired, withdrawn }) Assert.Null(await store.GetTradeAsync(gone.Id));
        foreach (var trade in kept) Assert.Equal(trade.Status, (await store.GetTradeAsync(trade.Id))?.Status);
        // Their towns' and listings' lists no longer name them; the kept trades are still listed.
        var roanne = (await store.TradesAsync(new TradeQuery("roanne"))).Select(t => t.Id).ToHashSet();
        Assert.Equal(kept.Select(t => t.Id).ToHashSet(), roanne);
        Assert.Equal(kept.Select(t => t.Id).ToHashSet(), (await store.TradesAsync(new TradeQuery(ListingId: "roanne-offer"))).Select(t => t.Id).ToHashSet());
        Assert.Equal(0, await store.ForgetUnagreedTradesAsync(Now.AddDays(-3), 100));
        // SQLite's index tables hold no row of them (the lists above join them to trades, so a left-over row would not show).
        if (adapter == "sqlite") Assert.Equal((0L, 0L, 0L), IndexRowsOf([declined.Id, expired.Id, withdrawn.Id]));
    }

    private (long Towns, long Pairs, long Listings) IndexRowsOf(IEnumerable<Guid> ids)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_settings.DataDir, "matching.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM trade_towns WHERE trade_id IN (SELECT value FROM json_each($ids))), " +
                              "(SELECT COUNT(*) FROM trade_town_pairs WHERE trade_id IN (SELECT value FROM json_each($ids))), " +
                              "(SELECT COUNT(*) FROM trade_listings WHERE trade_id IN (SELECT value FROM json_each($ids)))";
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ids.Select(i => i.ToString())));
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Forgetting_goes_a_batch_at_a_time_the_earliest_cancelled_first(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var cancelled = new List<Trade>();
        foreach (var days in new[] { -5, -9, -7, -8, -6 })
            cancelled.Add(await WriteAsync(store, Proposal(Now.AddDays(-20)), t => t.Cancel("expired", Now.AddDays(days))));

        Assert.Equal(2, await store.ForgetUnagreedTradesAsync(Now.AddDays(-1), 2));
        Assert.Equal(new[] { cancelled[0].Id, cancelled[2].Id, cancelled[4].Id }.Order(),
            (await store.TradesAsync(new TradeQuery(Status: TradeStatus.Cancelled))).Select(t => t.Id).Order());
        Assert.Equal(2, await store.ForgetUnagreedTradesAsync(Now.AddDays(-1), 2));
        Assert.Equal(1, await store.ForgetUnagreedTradesAsync(Now.AddDays(-1), 2));
        Assert.Equal(0, await store.ForgetUnagreedTradesAsync(Now.AddDays(-1), 2));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task A_round_still_reads_with_the_ids_of_its_forgotten_trades(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var trade = await WriteAsync(store, Proposal(Now.AddDays(-10)), t => Declined(t, Now.AddDays(-9)));
        var round = new ClearingRound(trade.RoundId, trade.CreatedAt, 12, 40, 1, 108, "completed", "schedule", [trade.Id], "engine", 2, 1, null);
        await using (var session = await store.BeginAsync())
        {
            await session.InsertRoundAsync(round);
            await session.CommitAsync();
        }

        Assert.Equal(1, await store.ForgetUnagreedTradesAsync(Now.AddDays(-1), 10));

        Assert.Equal([trade.Id], (await store.GetRoundAsync(round.Id))!.TradeIds);
        Assert.Null(await store.GetTradeAsync(trade.Id));
    }
}
