using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>The last accept races a change of a listing's terms that matching has not read yet (its ListingChanged still
/// in catalog's outbox): catalog refuses the reservation for the terms, and the trade waits, proposed, for the change.</summary>
public class StaleTermsTests
{
    // A's cheese is organic and B needs it organic: the leg fits until A drops the attribute.
    private static readonly ListingSnapshot Organic = Swap.CheeseOffer() with { Attributes = ["organic"] };
    private static readonly ListingSnapshot NeedsOrganic = Swap.CheeseNeed() with { Requires = ["organic"] };

    /// <summary>Catalog as far as terms go: it holds each listing's current fingerprint and refuses, reserving nothing,
    /// a request that names other terms.</summary>
    private static ConcurrentDictionary<string, string> CatalogTerms(MatchingHost host)
    {
        var current = new ConcurrentDictionary<string, string>(
            new[] { Organic, Swap.WoodNeed(), Swap.WoodOffer(), NeedsOrganic }.ToDictionary(l => l.Id, ListingTermsFingerprint.Of));
        host.Catalog.Answer = request =>
        {
            var changed = request.Items.Where(i => current[i.ListingId] != i.Terms).Select(i => i.ListingId).ToArray();
            return changed.Length == 0
                ? new ReserveListingsReply { Reserved = true }
                : new ReserveListingsReply
                {
                    Reserved = false, Refusal = ReservationRefusal.TermsChanged, ChangedListingIds = { changed },
                    Reason = $"listing {string.Join(", ", changed)} changed its terms since the trade was decided",
                };
        };
        return current;
    }

    private static async Task<TradeView> ProposeAsync(MatchingHost host)
    {
        await host.PublishListingsAsync(Organic, Swap.WoodNeed(), Swap.WoodOffer(), NeedsOrganic);
        var round = await host.RunRoundAsync();
        return await host.TradeAsync(Assert.Single(round.TradeIds));
    }

    /// <summary>A changes its offer in catalog; B has accepted and A's accept is the last.</summary>
    private static async Task<HttpResponseMessage> AcceptRacingAChangeAsync(MatchingHost host, TradeView trade, ListingSnapshot change)
    {
        CatalogTerms(host)[change.Id] = ListingTermsFingerprint.Of(change);
        (await Swap.AcceptAsync(host, Swap.B, trade.Id)).EnsureSuccessStatusCode();
        return await Swap.AcceptAsync(host, Swap.A, trade.Id);
    }

    [Fact]
    public async Task The_last_accept_on_terms_catalog_no_longer_holds_is_a_409_and_the_trade_stays_proposed_with_its_acceptances()
    {
        await using var host = new MatchingHost();
        var trade = await ProposeAsync(host);

        var answer = await AcceptRacingAChangeAsync(host, trade, Organic with { Attributes = [], Version = 2 });

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("5", answer.Headers.RetryAfter?.ToString());
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("Listing a-cheese changed its terms", problem.GetProperty("detail").GetString());
        Assert.Equal(("proposed", true), (problem.GetProperty("tradeStatus").GetString(), problem.GetProperty("retryable").GetBoolean()));
        var waiting = await host.TradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Proposed, waiting.Status);
        Assert.All(waiting.Legs, l => Assert.Equal(LegResponse.Accepted, l.Response));
        // The request named the terms of matching's copy of every listing.
        var request = Assert.Single(host.Catalog.Reservations);
        var book = new[] { Organic, Swap.WoodNeed(), Swap.WoodOffer(), NeedsOrganic }.ToDictionary(l => l.Id, ListingTermsFingerprint.Of);
        Assert.All(request.Items, i => Assert.Equal(book[i.ListingId], i.Terms));
        Assert.Equal(0, host.PublishedCount<TradeAgreed>() + host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task The_change_arriving_then_cancels_the_waiting_trade_when_a_leg_no_longer_fits()
    {
        await using var host = new MatchingHost();
        var trade = await ProposeAsync(host);
        var change = Organic with { Attributes = [], Version = 2 };
        Assert.Equal(HttpStatusCode.Conflict, (await AcceptRacingAChangeAsync(host, trade, change)).StatusCode);

        await host.Publish(new ListingChanged(change));

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Matches("^listing a-cheese changed its terms; leg [01] no longer fits them$", cancelled.Reason);
        Assert.False(cancelled.WasAgreed);
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeAgreed>());
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
    }

    [Fact]
    public async Task The_change_arriving_then_lets_the_retry_reserve_with_the_new_terms_when_every_leg_still_fits()
    {
        await using var host = new MatchingHost(new() { ["Matching:SweepInterval"] = "00:00:00.200" });
        var trade = await ProposeAsync(host);
        var change = Organic with { Attributes = ["organic", "raw"], Version = 2 };
        Assert.Equal(HttpStatusCode.Conflict, (await AcceptRacingAChangeAsync(host, trade, change)).StatusCode);

        await host.Publish(new ListingChanged(change));

        await host.Published<TradeAgreed>(a => a.TradeId == trade.Id);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        var last = host.Catalog.Reservations.Last();
        Assert.Equal(ListingTermsFingerprint.Of(change), last.Items.Single(i => i.ListingId == change.Id).Terms);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task Accepting_again_once_the_change_arrived_reserves_with_the_new_terms()
    {
        await using var host = new MatchingHost();
        var trade = await ProposeAsync(host);
        var change = NeedsOrganic with { MaxDistanceKm = 50, Version = 2 };
        CatalogTerms(host)[change.Id] = ListingTermsFingerprint.Of(change);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await Swap.AcceptAsync(host, Swap.B, trade.Id)).StatusCode);
        await host.Publish(new ListingChanged(change));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == change.Id), b => b.Version == 2, what: "v2 in the book");

        var again = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(2, host.Catalog.Reservations.Count);
    }

    [Fact]
    public async Task A_change_read_while_catalog_answered_is_reserved_with_at_once_when_every_leg_still_fits()
    {
        await using var host = new MatchingHost();
        var trade = await ProposeAsync(host);
        var change = Organic with { Attributes = ["organic", "raw"], Version = 2 };
        CatalogTerms(host)[change.Id] = ListingTermsFingerprint.Of(change);
        var catalog = host.Catalog.Answer;
        host.Catalog.AnswerAsync = async request =>
        {
            var reply = catalog(request);
            // The first refusal reaches matching only after the ListingChanged did.
            if (host.Catalog.Reservations.Count == 1)
            {
                await host.Publish(new ListingChanged(change));
                await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == change.Id), b => b.Version == 2, what: "v2 in the book");
            }
            return reply;
        };
        (await Swap.AcceptAsync(host, Swap.B, trade.Id)).EnsureSuccessStatusCode();

        var last = await Swap.AcceptAsync(host, Swap.A, trade.Id);

        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(2, host.Catalog.Reservations.Count);
        Assert.Equal(ListingTermsFingerprint.Of(change), host.Catalog.Reservations.Last().Items.Single(i => i.ListingId == change.Id).Terms);
    }

    [Fact]
    public async Task A_trade_whose_change_never_arrives_expires_after_the_reservation_grace()
    {
        // Both towns answer in time, however slow the machine: a minute to do so, then the clock moves past the deadline
        // and the grace (a second each, as before, left the accepts racing the deadline and the 200 ms sweep).
        var clock = new ShiftedClock();
        await using var host = new MatchingHost(new()
        {
            ["Matching:ProposalTtl"] = "00:01:00", ["Matching:ReservationGrace"] = "00:00:01", ["Matching:SweepInterval"] = "00:00:00.200",
        }) { Clock = clock };
        var trade = await ProposeAsync(host);
        Assert.Equal(HttpStatusCode.Conflict,
            (await AcceptRacingAChangeAsync(host, trade, Organic with { Attributes = [], Version = 2 })).StatusCode);
        Assert.Equal(TradeStatus.Proposed, (await host.TradeAsync(trade.Id)).Status);

        clock.Shift = trade.Deadline - DateTimeOffset.UtcNow;

        var expired = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);

        Assert.Equal("expired: reservation not confirmed by catalog", expired.Reason);
        Assert.Equal(0, host.PublishedCount<TradeAgreed>());
    }
}
