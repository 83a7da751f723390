using System.Net;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;

namespace TradeNet.Matching.Tests.Component;

public class AnswerTests
{
    [Fact]
    public async Task When_both_towns_accept_catalog_reserves_once_and_the_trade_is_agreed()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        var first = await (await Swap.AcceptAsync(host, Swap.A, trade.Id)).Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json);
        Assert.Equal(TradeStatus.Proposed, first!.Status);
        Assert.Empty(host.Catalog.Reservations);

        var second = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(TradeStatus.Agreed, (await second.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!.Status);
        var reservation = Assert.Single(host.Catalog.Reservations);
        Assert.Equal(trade.Id.ToString(), reservation.TradeId);
        Assert.Equal(new Dictionary<string, double> { ["a-cheese"] = 10, ["b-cheese"] = 10, ["b-wood"] = 150, ["a-wood"] = 150 },
            reservation.Items.ToDictionary(i => i.ListingId, i => Math.Round(i.Quantity, 9)));
        var agreed = await host.Published<TradeAgreed>(a => a.TradeId == trade.Id);
        Assert.Equal(2, agreed.Legs.Length);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        // Matching's copy of the book no longer offers what was agreed.
        Assert.Equal(0, (await host.BookAsync()).Single(b => b.Id == "a-cheese").Available, 9);
    }

    [Fact]
    public async Task Two_racing_accepts_agree_the_trade_exactly_once()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        var answers = await Task.WhenAll(Swap.AcceptAsync(host, Swap.A, trade.Id), Swap.AcceptAsync(host, Swap.B, trade.Id));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(host.Catalog.Reservations);
        await host.Published<TradeAgreed>(a => a.TradeId == trade.Id);
        await Task.Delay(300);
        Assert.Equal(1, host.PublishedCount<TradeAgreed>());
    }

    [Fact]
    public async Task Accepting_leg_by_leg_works_like_accepting_the_whole_trade()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        var legOfA = trade.Legs.Single(l => l.FromTown == Swap.A).Index;
        var legOfB = trade.Legs.Single(l => l.FromTown == Swap.B).Index;

        Assert.Equal(HttpStatusCode.OK, (await host.Town(Swap.A).PostAsync($"/api/matching/trades/{trade.Id}/legs/{legOfA}/accept", null)).StatusCode);
        var last = await host.Town(Swap.B).PostAsync($"/api/matching/trades/{trade.Id}/legs/{legOfB}/accept", null);

        Assert.Equal(TradeStatus.Agreed, (await last.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!.Status);
    }

    [Fact]
    public async Task A_reject_cancels_the_trade_and_its_quantities_go_back_into_the_book()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();

        var reject = await host.Town(Swap.B).PostAsync($"/api/matching/trades/{trade.Id}/reject", null);

        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        var view = (await reject.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!;
        Assert.Equal((TradeStatus.Cancelled, $"rejected by town {Swap.B}"), (view.Status, view.Reason));
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.False(cancelled.WasAgreed);
        Assert.Equal($"rejected by town {Swap.B}", cancelled.Reason);
        await Swap.AssertQuantitiesBackAsync(host, trade.Id);
    }

    [Fact]
    public async Task A_town_cannot_answer_a_leg_another_town_gives()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        var legOfB = trade.Legs.Single(l => l.FromTown == Swap.B).Index;

        var accept = await host.Town(Swap.A).PostAsync($"/api/matching/trades/{trade.Id}/legs/{legOfB}/accept", null);
        var reject = await host.Town(Swap.A).PostAsync($"/api/matching/trades/{trade.Id}/legs/{legOfB}/reject", null);

        Assert.Equal(HttpStatusCode.Forbidden, accept.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reject.StatusCode);
        var view = await host.TradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Proposed, view.Status);
        Assert.All(view.Legs, l => Assert.Equal(LegResponse.Pending, l.Response));
    }

    [Fact]
    public async Task A_town_outside_the_trade_neither_sees_it_nor_answers_it()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        var stranger = host.Town("town-c");

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/matching/trades/{trade.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/matching/trades/{trade.Id}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/matching/trades/{trade.Id}/legs/0/reject", null)).StatusCode);
        Assert.Empty((await stranger.GetFromJsonAsync<TradeView[]>("/api/matching/trades", MatchingHost.Json))!);
        Assert.Equal([trade.Id], (await host.Town(Swap.B).GetFromJsonAsync<TradeView[]>("/api/matching/trades", MatchingHost.Json))!.Select(t => t.Id));
        Assert.Equal([trade.Id], (await host.Operator().GetFromJsonAsync<TradeView[]>("/api/matching/trades?status=proposed", MatchingHost.Json))!.Select(t => t.Id));
        Assert.Equal(HttpStatusCode.OK, (await host.Town(Swap.A).GetAsync($"/api/matching/trades/{trade.Id}")).StatusCode);
    }

    [Fact]
    public async Task Operators_and_anonymous_callers_cannot_answer_legs()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.Operator().PostAsync($"/api/matching/trades/{trade.Id}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.As(null).PostAsync($"/api/matching/trades/{trade.Id}/accept", null)).StatusCode);
    }

    [Fact]
    public async Task A_trade_that_is_no_longer_proposed_cannot_be_answered()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        (await host.Town(Swap.A).PostAsync($"/api/matching/trades/{trade.Id}/reject", null)).EnsureSuccessStatusCode();

        var late = await Swap.AcceptAsync(host, Swap.B, trade.Id);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("cancelled", await late.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_proposal_nobody_answers_expires_and_can_no_longer_be_accepted()
    {
        await using var host = new MatchingHost(new()
        {
            ["Matching:ProposalTtl"] = "00:00:01",
            ["Matching:SweepInterval"] = "00:00:00.200",
        });
        var trade = await Swap.ProposeAsync(host);

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);

        Assert.Equal("expired", cancelled.Reason);
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Swap.AcceptAsync(host, Swap.A, trade.Id)).StatusCode);
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
    }

    [Fact]
    public async Task An_answer_after_the_deadline_is_refused_even_before_the_expiry_sweep()
    {
        await using var host = new MatchingHost(new() { ["Matching:ProposalTtl"] = "00:00:01" });
        var trade = await Swap.ProposeAsync(host);
        // On a loaded machine the proposal can reach the test after its deadline (TTL 1 s): nothing left to wait then,
        // and Task.Delay refuses a negative wait.
        var untilPast = trade.Deadline - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
        if (untilPast > TimeSpan.Zero) await Task.Delay(untilPast);

        var late = await Swap.AcceptAsync(host, Swap.A, trade.Id);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("deadline", await late.Content.ReadAsStringAsync());
    }
}
