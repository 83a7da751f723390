using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Matching.Api;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Trades;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public class ReservationTests
{
    [Fact]
    public async Task A_reservation_catalog_refuses_cancels_the_trade_with_its_reason()
    {
        await using var host = new MatchingHost();
        host.Catalog.Answer = _ => new ReserveListingsReply { Reserved = false, Reason = "listing a-cheese has only 4 left" };
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();

        var last = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        var view = (await last.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!;
        Assert.Equal(TradeStatus.Cancelled, view.Status);
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Equal("reservation refused: listing a-cheese has only 4 left", cancelled.Reason);
        Assert.False(cancelled.WasAgreed);
        Assert.Equal(0, host.PublishedCount<TradeAgreed>());
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
    }

    [Fact]
    public async Task When_catalog_is_unavailable_the_accept_answers_503_and_a_later_accept_agrees_the_trade()
    {
        await using var host = new MatchingHost();
        host.Catalog.Answer = _ => throw FakeCatalog.Outage();
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();

        var unavailable = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("application/problem+json", unavailable.Content.Headers.ContentType?.MediaType);
        Assert.Contains("catalog unavailable, retry", await unavailable.Content.ReadAsStringAsync());
        var waiting = await host.TradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Proposed, waiting.Status);
        Assert.All(waiting.Legs, l => Assert.Equal(LegResponse.Accepted, l.Response));

        host.Catalog.Answer = _ => new ReserveListingsReply { Reserved = true };
        var retry = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(TradeStatus.Agreed, (await retry.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!.Status);
        Assert.Equal(2, host.Catalog.Reservations.Count);
        Assert.All(host.Catalog.Reservations, r => Assert.Equal(trade.Id.ToString(), r.TradeId));
        await host.Published<TradeAgreed>(a => a.TradeId == trade.Id);
        // Asking again once agreed is harmless and reserves nothing more.
        Assert.Equal(HttpStatusCode.OK, (await Swap.AcceptAsync(host, Swap.A, trade.Id)).StatusCode);
        Assert.Equal(2, host.Catalog.Reservations.Count);
    }

    [Fact]
    public async Task A_fully_accepted_trade_past_its_deadline_is_still_agreed_by_accepting_again_within_the_grace()
    {
        // Both towns answer in time, however slow the machine: a minute to do so, then the clock moves past the deadline.
        var clock = new ShiftedClock();
        await using var host = new MatchingHost(new() { ["Matching:ProposalTtl"] = "00:01:00" }) { Clock = clock };
        host.Catalog.Answer = _ => throw FakeCatalog.Outage();
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Swap.AcceptAsync(host, Swap.B, trade.Id)).StatusCode);
        clock.Shift = trade.Deadline - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        host.Catalog.Answer = _ => new ReserveListingsReply { Reserved = true };

        var retry = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(TradeStatus.Agreed, (await retry.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!.Status);
    }

    [Fact]
    public async Task The_background_retry_does_not_agree_a_trade_past_its_reservation_grace_but_cancels_it_as_expired()
    {
        var clock = new ShiftedClock();
        await using var host = new MatchingHost(new() { ["Matching:ProposalTtl"] = "00:01:00", ["Matching:ReservationGrace"] = "00:10:00" })
            { Clock = clock };
        host.Catalog.Answer = _ => throw FakeCatalog.Outage();
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Swap.AcceptAsync(host, Swap.B, trade.Id)).StatusCode);
        // Catalog answers again only after the grace ran out, before the expiry sweep's next tick.
        clock.Shift = trade.Deadline - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1);
        host.Catalog.Answer = _ => new ReserveListingsReply { Reserved = true };

        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TradeLifecycle>().RetryReservationsAsync(CancellationToken.None);

        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Equal("expired: reservation not confirmed by catalog", cancelled.Reason);
        Assert.Equal(0, host.PublishedCount<TradeAgreed>());
        Assert.Single(host.Catalog.Reservations); // the one that met the outage: nothing asked past the grace
    }

    [Fact]
    public async Task A_reservation_that_timed_out_is_retried_in_the_background()
    {
        await using var host = new MatchingHost(new() { ["Matching:SweepInterval"] = "00:00:00.200" });
        host.Catalog.Answer = _ => throw FakeCatalog.Outage(StatusCode.DeadlineExceeded);
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Swap.AcceptAsync(host, Swap.B, trade.Id)).StatusCode);

        host.Catalog.Answer = _ => new ReserveListingsReply { Reserved = true };

        await host.Published<TradeAgreed>(a => a.TradeId == trade.Id);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(1, host.PublishedCount<TradeAgreed>());
    }

    [Fact]
    public async Task A_catalog_that_rejects_the_call_itself_is_a_502_and_the_acceptance_is_kept()
    {
        await using var host = new MatchingHost();
        host.Catalog.Answer = _ => throw FakeCatalog.Outage(StatusCode.PermissionDenied);
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();

        var failed = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("PermissionDenied", await failed.Content.ReadAsStringAsync());
        Assert.Equal(TradeStatus.Proposed, (await host.TradeAsync(trade.Id)).Status);
    }

    [Fact]
    public async Task The_real_catalog_client_reports_an_unreachable_catalog_as_503_with_the_acceptance_kept()
    {
        // Nothing listens on port 9: the real gRPC client (deadline, service token) fails with Unavailable.
        await using var host = new MatchingHost(new() { ["Services:Catalog:Grpc"] = "http://127.0.0.1:9" }, fakeCatalog: false);
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();

        var unavailable = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("5", unavailable.Headers.RetryAfter?.ToString());
        var waiting = await host.TradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Proposed, waiting.Status);
        Assert.All(waiting.Legs, l => Assert.Equal(LegResponse.Accepted, l.Response));
    }

    [Fact]
    public async Task A_reservation_catalog_can_never_make_cancels_the_trade()
    {
        await using var host = new MatchingHost();
        host.Catalog.Answer = _ => throw new RpcException(new Status(StatusCode.NotFound, "listing b-wood not found"));
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();

        var last = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Equal("reservation refused: NotFound: listing b-wood not found", cancelled.Reason);
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
    }

    [Fact]
    public async Task A_fully_accepted_trade_is_retried_in_the_background_however_many_newer_proposals_wait()
    {
        var strategy = new RepeatedSwap();
        await using var host = new MatchingHost { Strategy = strategy };
        host.Catalog.Answer = _ => throw FakeCatalog.Outage();
        await host.PublishListingsAsync(RepeatedSwap.Listings);
        var trade = Assert.Single((await host.RunRoundAsync()).TradeIds);
        (await Swap.AcceptAsync(host, Swap.A, trade)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Swap.AcceptAsync(host, Swap.B, trade)).StatusCode);
        strategy.Count = 500;
        Assert.Equal(500, (await host.RunRoundAsync()).Trades);
        host.Catalog.Answer = _ => new ReserveListingsReply { Reserved = true };

        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TradeLifecycle>().RetryReservationsAsync(CancellationToken.None);

        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade)).Status);
    }

    /// <summary>Proposes <see cref="Count"/> one-kilo cheese-for-firewood swaps per round from listings large enough for all of them.</summary>
    private sealed class RepeatedSwap : IClearingStrategy
    {
        public static ListingSnapshot[] Listings =>
        [
            Swap.Listing("a-cheese", Swap.A, "offer", "cheese", 10_000, 10_000, 12),
            Swap.Listing("b-cheese", Swap.B, "need", "cheese", 10_000, 10_000, 12),
            Swap.Listing("b-wood", Swap.B, "offer", "firewood", 200_000, 200_000, 0.8),
            Swap.Listing("a-wood", Swap.A, "need", "firewood", 200_000, 200_000, 0.8),
        ];

        public int Count { get; set; } = 1;

        public Task<ClearingOutcome> ClearAsync(OrderBook book, ClearingSettings settings, CancellationToken ct)
        {
            var trades = Enumerable.Range(0, Count).Select(_ => new ClearedTrade(
            [
                new ClearedLeg(Swap.A, Swap.B, "a-cheese", "b-cheese", "cheese", 1, 12, 1),
                new ClearedLeg(Swap.B, Swap.A, "b-wood", "a-wood", "firewood", 15, 12, 15),
            ])).ToList();
            return Task.FromResult(new ClearingOutcome(trades, trades.Count * 24, new ClearingStats("repeated", book.Entries.Count, 2, 2, 2, 1)));
        }
    }
}
