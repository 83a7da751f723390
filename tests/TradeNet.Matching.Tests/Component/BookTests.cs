using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public class BookTests
{
    [Fact]
    public async Task An_older_listing_snapshot_never_replaces_a_newer_one()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Swap.CheeseOffer(version: 3, remaining: 6));

        await host.Publish(new ListingChanged(Swap.CheeseOffer(version: 2, remaining: 9)));
        await host.Publish(new ListingChanged(Swap.CheeseOffer(version: 4, remaining: 5)));

        var cheese = await Eventually.Until(async () => (await host.BookAsync()).Single(), b => b.Version == 4, what: "v4 in the book");
        Assert.Equal(5, cheese.Remaining);
        await Eventually.True(() => Task.FromResult(host.Harness.ConsumedSoFar<ListingChanged>().Count >= 2), what: "both changes consumed");
        Assert.Equal(4, (await host.BookAsync()).Single().Version);
    }

    [Fact]
    public async Task A_withdrawn_listing_leaves_the_book_and_cancels_the_proposals_that_use_it()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        await host.Publish(new ListingWithdrawn("b-wood", Swap.B, 2));

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Equal("listing b-wood withdrawn", cancelled.Reason);
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
        Assert.DoesNotContain(await host.BookAsync(), b => b.Id == "b-wood");

        // A late snapshot cannot bring it back.
        await host.Publish(new ListingChanged(Swap.WoodOffer(version: 5)));
        await Eventually.True(() => Task.FromResult(host.Harness.ConsumedSoFar<ListingChanged>().Count > 0), what: "late change consumed");
        Assert.DoesNotContain(await host.BookAsync(), b => b.Id == "b-wood");
        Assert.Equal(0, (await host.RunRoundAsync()).Trades);
    }

    [Fact]
    public async Task A_change_that_clears_a_needs_distance_limit_and_window_lets_the_next_round_match_it()
    {
        await using var host = new MatchingHost();
        var later = DateTimeOffset.UtcNow.AddDays(400);
        // The towns are about 2 km apart, and the need's window opens after the offer's closes: either keeps them apart.
        var limited = Swap.CheeseNeed() with { MaxDistanceKm = 0.5, AvailableFrom = later, AvailableUntil = later.AddDays(10) };
        var offer = Swap.CheeseOffer() with { AvailableUntil = DateTimeOffset.UtcNow.AddDays(30) };
        await host.PublishListingsAsync(offer, Swap.WoodNeed(), Swap.WoodOffer(), limited);
        Assert.Equal(0, (await host.RunRoundAsync()).Trades);

        // What catalog announces after {"maxDistanceKm":null,"availableFrom":null,"availableUntil":null}.
        await host.Publish(new ListingChanged(limited with { MaxDistanceKm = null, AvailableFrom = null, AvailableUntil = null, Version = 2 }));
        await Eventually.True(async () => (await host.BookAsync()).Single(b => b.Id == limited.Id).Version == 2, what: "v2 in the book");

        Assert.Equal(1, (await host.RunRoundAsync()).Trades);
    }

    [Fact]
    public async Task A_listing_whose_window_ended_stays_in_the_book_with_nothing_available_and_out_of_every_round()
    {
        var clock = new ShiftedClock();
        await using var host = new MatchingHost { Clock = clock };
        var until = DateTimeOffset.UtcNow.AddDays(2);
        await host.PublishListingsAsync(Swap.CheeseOffer() with { AvailableUntil = until }, Swap.CheeseNeed(), Swap.WoodOffer(), Swap.WoodNeed());

        clock.Shift = TimeSpan.FromDays(3);

        var cheese = (await host.BookAsync()).Single(b => b.Id == Swap.CheeseOffer().Id);
        Assert.Equal((10.0, 0.0, until), (cheese.Remaining, cheese.Available, cheese.AvailableUntil!.Value));
        var round = await host.RunRoundAsync();
        Assert.Equal((0, 3), (round.Trades, round.Listings));
    }

    [Fact]
    public async Task The_book_comes_in_pages_by_listing_id_each_full_page_linking_to_the_next()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Swap.All);

        var first = await host.Operator().GetAsync("/api/matching/book?limit=3");
        var page1 = (await first.Content.ReadFromJsonAsync<BookListingView[]>(MatchingHost.Json))!;
        var next = first.Headers.GetValues("Link").Single();
        var second = (await host.Operator().GetFromJsonAsync<BookListingView[]>($"/api/matching/book?limit=3&after={page1[^1].Id}", MatchingHost.Json))!;

        Assert.Equal(["a-cheese", "a-wood", "b-cheese"], page1.Select(b => b.Id));
        Assert.Equal("</api/matching/book?limit=3&after=b-cheese>; rel=\"next\"", next);
        Assert.Equal(["b-wood"], second.Select(b => b.Id));
    }

    [Fact]
    public async Task Each_page_of_the_book_shows_what_the_pending_proposal_holds_on_its_own_listings()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        var whole = (await host.BookAsync()).ToDictionary(b => b.Id);

        // One listing a page: each page reads only the proposals on its listing, and says what the whole book says.
        var pages = new List<BookListingView>();
        string? after = null;
        do
        {
            var page = (await host.Operator().GetFromJsonAsync<BookListingView[]>(
                "/api/matching/book?limit=1" + (after is null ? "" : $"&after={after}"), MatchingHost.Json))!;
            pages.AddRange(page);
            after = page.Length == 0 ? null : page[^1].Id;
        } while (after is not null);

        Assert.Equal(whole.Keys.Order(StringComparer.Ordinal), pages.Select(b => b.Id));
        foreach (var leg in trade.Legs)
        {
            Assert.Equal(leg.Quantity, whole[leg.OfferId].Held, 9);
            Assert.Equal(leg.Quantity, whole[leg.NeedId].Held, 9);
        }
        Assert.All(pages, b => Assert.Equal((whole[b.Id].Held, whole[b.Id].Available), (b.Held, b.Available)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("ten")]
    public async Task A_page_size_outside_1_to_1000_is_a_400_naming_limit(string limit)
    {
        await using var host = new MatchingHost();

        var response = await host.Operator().GetAsync($"/api/matching/book?limit={limit}");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_page_cursor_given_twice_is_a_400_naming_after_not_a_page_after_both_joined()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Swap.All);

        // Bound as "a-cheese,b-wood", a cursor that moved the page without saying so (gateway fuzz).
        var response = await host.Operator().GetAsync("/api/matching/book?after=a-cheese&after=b-wood");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("after: is given more than once; send it once", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_repeated_query_parameter_still_gets_401_without_a_key()
    {
        await using var host = new MatchingHost();

        var response = await host.As(null).GetAsync("/api/matching/book?after=a&after=b");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
