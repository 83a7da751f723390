using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace TradeNet.Matching.Tests.Component;

/// <summary>A town that answers too late gets a 409 whose detail says what it can still do, not only that it is late:
/// found walking a town's day through the gateway, where these read "it can no longer be answered" and nothing more.</summary>
public class LateAnswerTests
{
    [Fact]
    public async Task Answering_a_cancelled_trade_says_its_quantities_are_back_and_where_a_new_proposal_will_be()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        (await host.Town(Swap.A).PostAsync($"/api/matching/trades/{trade.Id}/reject", null)).EnsureSuccessStatusCode();

        var detail = await RefusedDetailAsync(await Swap.AcceptAsync(host, Swap.B, trade.Id));

        Assert.Contains("cancelled (rejected by town town-a)", detail);
        Assert.Contains("back in the order book", detail);
        Assert.Contains("GET /api/matching/trades?status=proposed", detail);
    }

    [Fact]
    public async Task Rejecting_an_agreed_trade_says_an_operator_can_still_cancel_it_and_where_its_shipments_are()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();
        (await Swap.AcceptAsync(host, Swap.B, trade.Id)).EnsureSuccessStatusCode();

        var detail = await RefusedDetailAsync(await host.Town(Swap.B).PostAsync($"/api/matching/trades/{trade.Id}/reject", null));

        Assert.Contains("is agreed", detail);
        Assert.Contains("ask an operator to cancel it", detail);
        Assert.Contains($"GET /api/logistics/shipments?trade={trade.Id}", detail);
    }

    [Fact]
    public async Task Answering_after_the_deadline_says_the_quantities_go_back_and_a_later_round_may_propose_them_again()
    {
        // No sweep within the test, so the answer meets a proposal past its deadline, not one already expired.
        await using var host = new MatchingHost(new()
        {
            ["Matching:ProposalTtl"] = "00:00:01",
            ["Matching:SweepInterval"] = "01:00:00",
        });
        var trade = await Swap.ProposeAsync(host);
        var untilPast = trade.Deadline - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
        if (untilPast > TimeSpan.Zero) await Task.Delay(untilPast);

        var detail = await RefusedDetailAsync(await Swap.AcceptAsync(host, Swap.A, trade.Id));

        Assert.Contains("deadline", detail);
        Assert.Contains("back to the order book", detail);
        Assert.Contains("GET /api/matching/trades?status=proposed", detail);
    }

    private static async Task<string> RefusedDetailAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        return Assert.IsType<string>(problem?.Detail);
    }
}
