using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>"Why is my listing in no trade?", asked of matching by the listing's town.</summary>
public class CounterpartTests
{
    private static async Task<CounterpartsView> ReadAsync(HttpClient client, string listing, string query = "")
    {
        var response = await client.GetAsync($"/api/matching/listings/{listing}/counterparts{query}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CounterpartsView>(MatchingHost.Json))!;
    }

    [Fact]
    public async Task A_town_sees_which_offers_could_serve_its_need_and_what_keeps_the_others_out()
    {
        await using var host = new MatchingHost();
        var tooFar = Swap.Listing("lyon-cheese", "town-lyon", "offer", "cheese", 10, 10, 12) with { TownLat = 45.764, TownLon = 4.8357 };
        await host.PublishListingsAsync([.. Swap.All, tooFar, Swap.CheeseNeed() with { Id = "b-cheese-2", MaxDistanceKm = 20 }]);

        var view = await ReadAsync(host.Town(Swap.B), "b-cheese-2");

        Assert.True(view.InBook);
        Assert.Null(view.NotInBookReason);
        Assert.Equal(("need", 1), (view.Kind, view.Fitting));
        Assert.Equal(["a-cheese", "lyon-cheese"], view.Counterparts.Select(c => c.ListingId));
        Assert.True(view.Counterparts[0].Fits);
        Assert.Equal("distance", Assert.Single(view.Counterparts[1].Reasons).Code);
        Assert.Equal(new Dictionary<string, int> { ["distance"] = 1 }, view.NotFitting);
        // Town B gives firewood, which town A needs: it can be in a trade.
        Assert.Equal(new TownSideView("offer", 1, 1), view.TownSide);
    }

    [Fact]
    public async Task A_listing_the_round_leaves_out_says_why_and_a_town_that_gives_nothing_anyone_needs_sees_it()
    {
        await using var host = new MatchingHost();
        var small = Swap.CheeseNeed() with { Remaining = 4, Quantity = 4, MinLot = 5 };
        await host.PublishListingsAsync(Swap.CheeseOffer(), small);

        var view = await ReadAsync(host.Town(Swap.B), small.Id);

        Assert.False(view.InBook);
        Assert.Equal("what is available (4) is below its min lot (5)", view.NotInBookReason);
        Assert.Equal(new TownSideView("offer", 0, 0), view.TownSide);
        Assert.Equal("lots", Assert.Single(Assert.Single(view.Counterparts).Reasons).Code);
    }

    [Fact]
    public async Task What_is_available_a_crumb_below_the_min_lot_is_told_as_the_answer_shows_it_not_rounded_up_to_the_lot()
    {
        await using var host = new MatchingHost();
        // As reservations leave a listing: 4.9996 of it remains, its lot is 5 (three decimals told "(5) is below … (5)").
        var remnant = Swap.CheeseNeed() with { Remaining = 4.9996, MinLot = 5 };
        await host.PublishListingsAsync(Swap.CheeseOffer(), remnant);

        var view = await ReadAsync(host.Town(Swap.B), remnant.Id);

        Assert.Equal((4.9996, "what is available (4.9996) is below its min lot (5)"), (view.Available, view.NotInBookReason));
    }

    [Fact]
    public async Task What_pending_proposals_hold_is_shown_and_an_operator_may_ask_too()
    {
        await using var host = new MatchingHost();
        await Swap.ProposeAsync(host);

        var view = await ReadAsync(host.Operator(), "a-cheese");

        Assert.Equal((0, 10), (view.Available, view.Held));
        Assert.False(view.InBook);
        Assert.Equal("all of what remains (10) is held by pending proposals or agreed trades", view.NotInBookReason);
    }

    [Fact]
    public async Task A_window_that_ended_past_a_whole_second_is_told_to_its_millisecond_as_the_reasons_windows_are()
    {
        // "u" dropped the milliseconds: the answer said the window ended at 10:00:00Z where its counterparts' reasons told
        // the same end as 10:00:00.250Z.
        var clock = new ShiftedClock();
        await using var host = new MatchingHost { Clock = clock };
        var day = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(2);
        var until = day.AddHours(10).AddMilliseconds(250);
        await host.PublishListingsAsync([.. Swap.All.Select(l => l.Id == "a-cheese" ? l with { AvailableUntil = until } : l)]);
        clock.Shift = TimeSpan.FromDays(3);

        var ended = await ReadAsync(host.Town(Swap.A), "a-cheese");

        Assert.Equal($"its availability ended at {day:yyyy-MM-dd} 10:00:00.250Z", ended.NotInBookReason);
    }

    [Fact]
    public async Task A_listing_whose_window_ended_or_that_was_withdrawn_has_nothing_available_as_in_the_book()
    {
        var clock = new ShiftedClock();
        await using var host = new MatchingHost { Clock = clock };
        await host.PublishListingsAsync([.. Swap.All.Select(l => l.Id == "a-cheese" ? l with { AvailableUntil = DateTimeOffset.UtcNow.AddDays(2) } : l)]);
        await host.Publish(new ListingWithdrawn("b-wood", Swap.B, 2));
        // Published is not handled: read once the book has let it go (reading at once raced the consumer).
        await Eventually.True(async () => (await host.BookAsync()).All(b => b.Id != "b-wood"), what: "b-wood withdrawn");
        clock.Shift = TimeSpan.FromDays(3);

        var ended = await ReadAsync(host.Town(Swap.A), "a-cheese");
        Assert.Equal((0.0, false), (ended.Available, ended.InBook));
        Assert.StartsWith("its availability ended at ", ended.NotInBookReason);
        Assert.Equal(0, (await host.BookAsync()).Single(b => b.Id == "a-cheese").Available);

        var withdrawn = await ReadAsync(host.Town(Swap.B), "b-wood");
        Assert.Equal((0.0, false, "it is withdrawn"), (withdrawn.Available, withdrawn.InBook, withdrawn.NotInBookReason));
    }

    [Fact]
    public async Task Each_answer_follows_the_book_a_listing_published_a_proposals_hold_and_a_window_that_ended_since_the_last_ask()
    {
        var clock = new ShiftedClock();
        await using var host = new MatchingHost { Clock = clock };
        await host.PublishListingsAsync(Swap.All);
        var town = host.Town(Swap.B);
        Assert.Equal(["a-cheese"], (await ReadAsync(town, "b-cheese")).Counterparts.Select(c => c.ListingId));

        // A listing saved: the book's version moved on.
        await host.PublishListingsAsync(Swap.Listing("c-cheese", "town-c", "offer", "cheese", 10, 10, 12) with
        {
            AvailableUntil = DateTimeOffset.UtcNow.AddDays(2),
        });
        // At town B's own position, so nearest.
        Assert.Equal(["c-cheese", "a-cheese"], (await ReadAsync(town, "b-cheese")).Counterparts.Select(c => c.ListingId));

        // A proposal holds all of a-cheese and b-cheese: no listing was saved, what trades hold changed.
        await host.RunRoundAsync();
        var held = await ReadAsync(town, "b-cheese");
        Assert.Equal((false, 10.0), (held.InBook, held.Held));
        Assert.Equal(["c-cheese"], held.Counterparts.Select(c => c.ListingId));

        // Nothing written, but c-cheese's window ended.
        clock.Shift = TimeSpan.FromDays(3);
        Assert.Empty((await ReadAsync(town, "b-cheese")).Counterparts);
    }

    [Fact]
    public async Task A_listing_withdrawn_while_its_request_waited_for_its_turn_is_told_withdrawn_as_the_book_it_is_weighed_against()
    {
        var store = new HookedStore();
        await using var host = new MatchingHost { WrapStore = store.Wrap };
        await host.PublishListingsAsync(Swap.All);
        // After the route has checked who may ask (its first read of the listing), before it reads the book: as a
        // withdrawal landing while the request waits up to 10 s for its turn (CounterpartGate).
        store.AfterNextListingRead(async () =>
        {
            await host.Publish(new ListingWithdrawn("b-cheese", Swap.B, 2));
            await Eventually.True(async () => (await host.BookAsync()).All(b => b.Id != "b-cheese"), what: "b-cheese withdrawn");
        });

        var view = await ReadAsync(host.Town(Swap.B), "b-cheese");

        // Not "available 10, not in the book, no reason why".
        Assert.Equal((0.0, false, "it is withdrawn"), (view.Available, view.InBook, view.NotInBookReason));
    }

    [Fact]
    public async Task A_listing_withdrawn_just_before_the_book_is_read_is_never_told_out_of_the_book_without_a_reason()
    {
        var store = new HookedStore();
        await using var host = new MatchingHost { WrapStore = store.Wrap };
        await host.PublishListingsAsync(Swap.All);
        // After the route's second read of the listing: it read the listing again once it had its turn, then the book, and
        // a withdrawal landing between those two was told "available 10, not in the book" with no reason.
        store.AfterNextListingRead(() =>
        {
            store.AfterNextListingRead(async () =>
            {
                await host.Publish(new ListingWithdrawn("b-cheese", Swap.B, 2));
                await Eventually.True(async () => (await host.BookAsync()).All(b => b.Id != "b-cheese"), what: "b-cheese withdrawn");
            });
            return Task.CompletedTask;
        });

        var view = await ReadAsync(host.Town(Swap.B), "b-cheese");

        // As the book was before the withdrawal, or after it: either is true, a mix of the two is not.
        Assert.Contains((view.Available, view.InBook, view.NotInBookReason), new[] { (10.0, true, (string?)null), (0.0, false, "it is withdrawn") });
    }

    [Fact]
    public async Task Another_town_is_refused_an_unknown_listing_is_a_404_and_a_bad_limit_a_400_naming_it()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Swap.All);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.Town(Swap.A).GetAsync("/api/matching/listings/b-cheese/counterparts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.As(null).GetAsync("/api/matching/listings/b-cheese/counterparts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Operator().GetAsync("/api/matching/listings/nowhere/counterparts")).StatusCode);
        var bad = await host.Town(Swap.B).GetAsync("/api/matching/listings/b-cheese/counterparts?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("limit", out _));
        Assert.Single((await ReadAsync(host.Town(Swap.B), "b-cheese", "?limit=1")).Counterparts);
    }

    [Fact]
    public async Task A_service_is_refused_before_the_listing_is_looked_up_as_the_route_is_for_towns_and_operators()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Swap.All);

        var response = await host.As(TestSettings.ServiceAuth()).GetAsync("/api/matching/listings/nowhere/counterparts");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("This route is for towns and operators", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task While_another_listings_counterparts_hold_the_turn_a_request_waits_then_gets_a_503_to_retry()
    {
        var gate = new CounterpartGate { Wait = TimeSpan.FromMilliseconds(200) };
        await using var host = new MatchingHost { CounterpartGate = gate };
        await host.PublishListingsAsync(Swap.All);

        using (await gate.EnterAsync(CancellationToken.None))
        {
            var busy = await host.Town(Swap.B).GetAsync("/api/matching/listings/b-cheese/counterparts");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(5), busy.Headers.RetryAfter?.Delta);
        }
        Assert.Equal("b-cheese", (await ReadAsync(host.Town(Swap.B), "b-cheese")).ListingId);
    }
}
