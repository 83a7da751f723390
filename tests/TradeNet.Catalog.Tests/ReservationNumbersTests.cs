using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests;

/// <summary>The numbers hunt at the reservation: the 1e-6 a reservation may exceed what remains (float noise in a leg's
/// quantity) is allowed once per listing, not once per trade.</summary>
public sealed class ReservationNumbersTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private CatalogGrpc.CatalogClient Grpc => factory.Grpc(TestSettings.ServiceAuth("matching"));

    private static ReserveListingsRequest Reserve(string listingId, double quantity) =>
        new() { TradeId = Guid.NewGuid().ToString(), Items = { new ReservationItem { ListingId = listingId, Quantity = quantity } } };

    [Fact]
    public async Task Trades_each_within_the_epsilon_never_take_more_than_the_quantity_and_one_epsilon()
    {
        var town = await factory.RegisterTownAsync();
        var apples = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10 });

        var whole = await Grpc.ReserveListingsAsync(Reserve(apples.Id, 10 + 0.9e-6));
        var replies = new List<ReserveListingsReply>();
        for (var i = 0; i < 5; i++) replies.Add(await Grpc.ReserveListingsAsync(Reserve(apples.Id, 0.9e-6)));

        Assert.True(whole.Reserved, whole.Reason); // noise over what remains is still the whole listing
        Assert.All(replies, r => Assert.False(r.Reserved));
        Assert.Contains("remaining", replies[0].Reason);
        var listing = await factory.ListingAsync(apples.Id);
        Assert.True(listing.Reserved <= 10 + 1e-6, $"reserved {listing.Reserved:R} of 10");
    }

    [Fact]
    public async Task A_reservation_that_fits_what_remains_but_for_float_noise_is_taken()
    {
        // 6 kg less a 3 kg leg of pellets priced through its value (3 × 0.4 over 0.4 = 3.0000000000000004): what remains is
        // 2.9999999999999996, and the next leg of 3.0000000000000004 must still fit.
        var town = await factory.RegisterTownAsync();
        var pellets = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "wood-pellets", quantity = 6, minLot = 3 });
        var leg = 3 * 0.4 / 0.4;

        var first = await Grpc.ReserveListingsAsync(Reserve(pellets.Id, leg));
        var second = await Grpc.ReserveListingsAsync(Reserve(pellets.Id, leg));

        Assert.True(first.Reserved, first.Reason);
        Assert.True(second.Reserved, second.Reason);
        var listing = await factory.ListingAsync(pellets.Id);
        Assert.Equal((0.0, 6.0), (listing.Remaining, listing.Reserved));
    }

    [Fact]
    public async Task A_town_lowering_its_listing_below_a_reservation_reads_the_floor_as_its_answers_show_numbers()
    {
        // A 3 kg leg of pellets priced through its value is 3.0000000000000004 kg: the town reads 3 everywhere else.
        var town = await factory.RegisterTownAsync();
        var pellets = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "wood-pellets", quantity = 6 });
        var trade = Guid.NewGuid();
        var reply = await Grpc.ReserveListingsAsync(new ReserveListingsRequest
        {
            TradeId = trade.ToString(), Items = { new ReservationItem { ListingId = pellets.Id, Quantity = 3 * 0.4 / 0.4 } },
        });
        Assert.True(reply.Reserved, reply.Reason);

        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id))
            .PutAsJsonAsync($"/api/catalog/listings/{pellets.Id}", new { quantity = 2 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        var message = Assert.Single(Assert.Single(problem.Errors, e => e.Key == "quantity").Value);
        Assert.StartsWith($"must be at least 3: 3 is reserved for trade {trade}.", message);
    }

    [Fact]
    public async Task A_listing_left_with_less_than_its_min_lot_is_exhausted_and_a_lower_lot_reopens_it()
    {
        // 10 kg in lots of at least 3: after a trade of 9 the kilo left can never make a leg, and held a place of the town's
        // 500 open listings for good.
        var town = await factory.RegisterTownAsync();
        var apples = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10, minLot = 3 });
        var request = Reserve(apples.Id, 9);
        var trade = Guid.Parse(request.TradeId);
        Assert.True((await Grpc.ReserveListingsAsync(request)).Reserved);
        Assert.Equal("active", (await factory.ListingAsync(apples.Id)).Status); // held: a cancel would give it back

        await factory.Harness.Bus.Publish(new TradeCompleted(trade, []), c => c.MessageId = NewId.NextGuid());
        await Eventually.True(async () => (await factory.ListingAsync(apples.Id)).Fulfilled == 9, TimeSpan.FromSeconds(15), "fulfilled");

        var left = await factory.ListingAsync(apples.Id);
        Assert.Equal((1.0, "exhausted"), (left.Remaining, left.Status));
        var lowered = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id))
            .PutAsJsonAsync($"/api/catalog/listings/{apples.Id}", new { minLot = 1 });
        Assert.Equal(HttpStatusCode.OK, lowered.StatusCode);
        Assert.Equal("active", (await factory.ListingAsync(apples.Id)).Status);
    }

    [Fact]
    public async Task A_listing_left_a_hair_under_its_min_lot_is_exhausted_as_no_round_can_use_it()
    {
        // A leg is its value over a price, so it can take 7.0000005 of 10 (within the 1e-6 a reservation allows over the
        // lot): 2.9999995 is left, which matching's book reads as below a lot of 3 (OrderBook.AvailableOf, CanTrade).
        var town = await factory.RegisterTownAsync();
        var apples = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10, minLot = 3 });
        var request = Reserve(apples.Id, 7.0000005);
        Assert.True((await Grpc.ReserveListingsAsync(request)).Reserved);

        await factory.Harness.Bus.Publish(new TradeCompleted(Guid.Parse(request.TradeId), []), c => c.MessageId = NewId.NextGuid());
        await Eventually.True(async () => (await factory.ListingAsync(apples.Id)).Fulfilled > 7, TimeSpan.FromSeconds(15), "fulfilled");

        var left = await factory.ListingAsync(apples.Id);
        Assert.True(left.Remaining < 3, $"remaining {left.Remaining:R}");
        Assert.Equal("exhausted", left.Status);
    }

    [Fact]
    public async Task A_listing_whose_whole_quantity_is_its_min_lot_with_float_noise_in_both_stays_active_when_changed()
    {
        // Sent as a town computed it (3 × 0.4 / 0.4 = 3.0000000000000004) as quantity and min lot: matching's book reads
        // both rounded (OrderBook.CanTrade) and trades it, so it holds its place rightly.
        var noisy = 3 * 0.4 / 0.4;
        var town = await factory.RegisterTownAsync();
        var pellets = await factory.PublishAsync(town.Town.Id,
            new { kind = "offer", category = "wood-pellets", quantity = noisy, minLot = noisy });

        var changed = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id))
            .PutAsJsonAsync($"/api/catalog/listings/{pellets.Id}", new { availableUntil = DateTimeOffset.UtcNow.AddDays(30) });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("active", (await factory.ListingAsync(pellets.Id)).Status);
    }

    [Fact]
    public async Task A_crumb_left_by_thirds_shows_as_nothing_remaining()
    {
        // A kilo of cheese to three towns needing a third each, as a town writes a third: 1e-15 kg is left.
        var town = await factory.RegisterTownAsync();
        var cheese = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "cheese", quantity = 1 });
        for (var i = 0; i < 3; i++) Assert.True((await Grpc.ReserveListingsAsync(Reserve(cheese.Id, 0.333333333333333))).Reserved);

        var listing = await factory.ListingAsync(cheese.Id);
        var changed = await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == cheese.Id && e.Listing.Version == listing.Version,
            "ListingChanged");

        Assert.Equal(0.0, listing.Remaining); // was 1E-15 in the answer, and in the snapshot matching's book shows
        Assert.Equal(0.0, changed.Listing.Remaining);
    }
}
