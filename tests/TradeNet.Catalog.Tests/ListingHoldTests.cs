using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Catalog.Api;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests;

/// <summary>A town lowering a listing below what trades hold is told which trades, and that they must end first.</summary>
public sealed class ListingHoldTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private CatalogGrpc.CatalogClient Grpc => factory.Grpc(TestSettings.ServiceAuth("matching"));

    private async Task<ListingView> OfferAsync(double quantity)
    {
        var town = await factory.RegisterTownAsync();
        return await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity });
    }

    private async Task ReserveAsync(Guid trade, string listingId, double quantity) =>
        Assert.True((await Grpc.ReserveListingsAsync(new ReserveListingsRequest
        {
            TradeId = trade.ToString(), Items = { new ReservationItem { ListingId = listingId, Quantity = quantity } },
        })).Reserved);

    private async Task<string> QuantityProblemAsync(ListingView listing, double quantity)
    {
        var response = await factory.ClientAs(TestSettings.TownAuth(listing.TownId))
            .PutAsJsonAsync($"/api/catalog/listings/{listing.Id}", new { quantity });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        return Assert.Single(Assert.Single(problem.Errors, e => e.Key == "quantity").Value);
    }

    [Fact]
    public async Task A_town_withdrawing_promised_goods_keeps_them_promised_until_their_trades_settle()
    {
        var apples = await OfferAsync(10);
        var (completing, cancelled) = (Guid.NewGuid(), Guid.NewGuid());
        await ReserveAsync(completing, apples.Id, 4);
        await ReserveAsync(cancelled, apples.Id, 3);

        var response = await factory.ClientAs(TestSettings.TownAuth(apples.TownId)).DeleteAsync($"/api/catalog/listings/{apples.Id}");

        // Only the free rest leaves the board: the agreed trades still hold their quantities.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var withdrawn = (await response.Content.ReadFromJsonAsync<ListingView>())!;
        Assert.Equal(("withdrawn", 7.0, 3.0), (withdrawn.Status, withdrawn.Reserved, withdrawn.Remaining));
        Assert.False((await Grpc.ReserveListingsAsync(new ReserveListingsRequest
        {
            TradeId = Guid.NewGuid().ToString(), Items = { new ReservationItem { ListingId = apples.Id, Quantity = 1 } },
        })).Reserved);

        var (completion, cancellation) = (NewId.NextGuid(), NewId.NextGuid());
        await factory.Harness.Bus.Publish(new TradeCompleted(completing, []), c => c.MessageId = completion);
        await factory.Harness.Bus.Publish(new TradeCancelled(cancelled, "cancelled by operator ops: stuck", WasAgreed: true, []),
            c => c.MessageId = cancellation);
        await Eventually.True(() => Task.FromResult(factory.Deliveries.Finished(completion) >= 1 && factory.Deliveries.Finished(cancellation) >= 1),
            TimeSpan.FromSeconds(15), "the completion and the cancellation");

        // The completed trade's 4 are delivered goods, the cancelled one's 3 come back to a listing that stays off the board.
        var settled = await factory.ListingAsync(apples.Id);
        Assert.Equal(("withdrawn", 0.0, 4.0, 6.0), (settled.Status, settled.Reserved, settled.Fulfilled, settled.Remaining));
        Assert.Equal(0, factory.PublishedCount<ListingChanged>(e => e.Listing.Id == apples.Id && e.Listing.Version > withdrawn.Version));
    }

    [Fact]
    public async Task Lowering_a_listing_below_its_reservations_names_the_trades_holding_them_and_that_they_must_end_first()
    {
        var apples = await OfferAsync(10);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await ReserveAsync(first, apples.Id, 4);
        await ReserveAsync(second, apples.Id, 2);

        var message = await QuantityProblemAsync(apples, 5);

        Assert.StartsWith("must be at least 6: 6 is reserved for trades ", message);
        Assert.Contains($"{first}, {second}", message);
        Assert.Contains("must end first", message);
        Assert.Contains("POST /api/matching/trades/{id}/cancel", message);
    }

    [Fact]
    public async Task A_trade_that_completed_no_longer_holds_the_listing_and_its_quantity_is_named_as_fulfilled()
    {
        var apples = await OfferAsync(10);
        var (done, held) = (Guid.NewGuid(), Guid.NewGuid());
        await ReserveAsync(done, apples.Id, 3);
        await ReserveAsync(held, apples.Id, 2);
        await factory.Harness.Bus.Publish(new TradeCompleted(done, []), c => c.MessageId = NewId.NextGuid());
        await Eventually.True(async () => (await factory.ListingAsync(apples.Id)).Fulfilled == 3, TimeSpan.FromSeconds(15), "fulfilled");

        var message = await QuantityProblemAsync(apples, 4);

        Assert.StartsWith($"must be at least 5: 2 is reserved for trade {held} and 3 already fulfilled.", message);
        Assert.DoesNotContain(done.ToString(), message);
    }

    [Fact]
    public async Task A_listing_only_fulfilled_says_so_without_naming_trades()
    {
        var apples = await OfferAsync(10);
        var done = Guid.NewGuid();
        await ReserveAsync(done, apples.Id, 3);
        await factory.Harness.Bus.Publish(new TradeCompleted(done, []), c => c.MessageId = NewId.NextGuid());
        await Eventually.True(async () => (await factory.ListingAsync(apples.Id)).Fulfilled == 3, TimeSpan.FromSeconds(15), "fulfilled");

        Assert.Equal("must be at least 3, already fulfilled by trades that delivered it", await QuantityProblemAsync(apples, 2));
    }
}
