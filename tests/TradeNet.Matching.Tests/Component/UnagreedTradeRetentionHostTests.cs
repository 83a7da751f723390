using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;
using static TradeNet.Matching.Tests.Storage.UnagreedTrades;

namespace TradeNet.Matching.Tests.Component;

/// <summary>The service's own sweep, on a file seeded before it starts (its first sweep runs at start, the next an hour later).</summary>
public class UnagreedTradeRetentionHostTests
{
    private sealed record Seeded(Trade Declined, Trade AgreedThenCancelled, Trade Completed, ClearingRound Round);

    [Fact]
    public async Task With_the_setting_the_services_sweep_deletes_a_declined_proposal_and_a_late_message_about_it_is_answered_as_for_an_unknown_trade()
    {
        await using var host = new MatchingHost(new() { ["Matching:UnagreedTradeRetention"] = "1.00:00:00" });
        var seeded = await SeedAsync(host.DataDir);
        var ops = host.Operator();

        await Eventually.True(async () => (await ops.GetAsync($"/api/matching/trades/{seeded.Declined.Id}")).StatusCode == HttpStatusCode.NotFound,
            what: "the declined proposal deleted");

        Assert.False(host.Services.GetRequiredService<UnagreedTradeRetention>().ExecuteTask!.IsCompleted); // waiting for the next hour
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(seeded.AgreedThenCancelled.Id)).Status);
        Assert.Equal(TradeStatus.Completed, (await host.TradeAsync(seeded.Completed.Id)).Status);
        // The round still lists the trade it made.
        var round = await ops.GetFromJsonAsync<RoundView>($"/api/matching/rounds/{seeded.Round.Id}", MatchingHost.Json);
        Assert.Equal([seeded.Declined.Id, seeded.AgreedThenCancelled.Id], round!.TradeIds);
        // A town's late answer gets what an unknown trade gets.
        var late = await host.Town("roanne").PostAsync($"/api/matching/trades/{seeded.Declined.Id}/accept", null);
        var unknown = await host.Town("roanne").PostAsync($"/api/matching/trades/{Guid.NewGuid()}/reject", null);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (late.StatusCode, unknown.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, (await ops.PostAsJsonAsync($"/api/matching/trades/{seeded.Declined.Id}/cancel",
            new { reason = "late" })).StatusCode);
        Assert.DoesNotContain(seeded.Declined.Id, (await host.Town("roanne").GetFromJsonAsync<TradeView[]>("/api/matching/trades",
            MatchingHost.Json))!.Select(t => t.Id));
        // Late events about it are consumed and ignored, not faulted.
        var at = DateTimeOffset.UtcNow;
        await host.Publish(new ShipmentPickedUp(Guid.NewGuid(), seeded.Declined.Id, 0, at));
        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), seeded.Declined.Id, 0, at));
        await host.Publish(new ShipmentFailed(Guid.NewGuid(), seeded.Declined.Id, 1, "late", at));
        await host.Publish(new TradeStopped(seeded.Declined.Id, "late", [], at));
        await Eventually.True(() => Task.FromResult(
            host.Harness.ConsumedSoFar<ShipmentPickedUp>().Any() && host.Harness.ConsumedSoFar<ShipmentDelivered>().Any()
            && host.Harness.ConsumedSoFar<ShipmentFailed>().Any() && host.Harness.ConsumedSoFar<TradeStopped>().Any()), what: "late events consumed");
        Assert.DoesNotContain(host.Harness.ConsumedSoFar<ShipmentPickedUp>(), m => m.Exception is not null);
        Assert.DoesNotContain(host.Harness.ConsumedSoFar<ShipmentDelivered>(), m => m.Exception is not null);
        Assert.DoesNotContain(host.Harness.ConsumedSoFar<ShipmentFailed>(), m => m.Exception is not null);
        Assert.DoesNotContain(host.Harness.ConsumedSoFar<TradeStopped>(), m => m.Exception is not null);
    }

    [Fact]
    public async Task Without_the_setting_the_services_sweep_does_nothing_and_every_trade_is_kept()
    {
        await using var host = new MatchingHost();
        var seeded = await SeedAsync(host.DataDir);
        var sweep = host.Services.GetRequiredService<UnagreedTradeRetention>();

        // Without a retention the sweep ends at once, having deleted nothing.
        await Eventually.True(() => Task.FromResult(sweep.ExecuteTask?.IsCompleted == true), what: "the sweep ended");

        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(seeded.Declined.Id)).Status);
        Assert.Equal(0, await sweep.SweepAsync(CancellationToken.None));
        Assert.Equal(seeded.Declined.Id, (await host.TradeAsync(seeded.Declined.Id)).Id);
    }

    /// <summary>Before the host starts, in its data folder: a proposal declined 3 days ago, a trade agreed then cancelled as long
    /// ago, a completed trade and the round that made the first two.</summary>
    private static async Task<Seeded> SeedAsync(string dataDir)
    {
        var path = Path.Combine(dataDir, "matching.db");
        var store = new SqliteMatchingStore(path);
        var created = DateTimeOffset.UtcNow.AddDays(-4);
        var declined = await WriteAsync(store, Proposal(created), t => Declined(t, created.AddDays(1)));
        var agreedThenCancelled = await WriteAsync(store, Proposal(created) with { RoundId = declined.RoundId },
            t => Agreed(t, created.AddHours(1)), t => t.Cancel("cancelled by operator ops: gone", created.AddDays(1)));
        var completed = await WriteAsync(store, Proposal(created), t => Agreed(t, created.AddHours(1)), t => Delivered(t, created.AddDays(1)));
        var round = new ClearingRound(declined.RoundId, created, 12, 4, 2, 216, "completed", "schedule", [declined.Id, agreedThenCancelled.Id],
            "engine", 2, 1, null);
        await using (var session = await store.BeginAsync())
        {
            await session.InsertRoundAsync(round);
            await session.CommitAsync();
        }
        SqliteDatabase.ClearPool(path);
        return new Seeded(declined, agreedThenCancelled, completed, round);
    }
}
