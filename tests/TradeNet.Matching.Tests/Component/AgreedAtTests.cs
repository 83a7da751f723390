using System.Net.Http.Json;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;

namespace TradeNet.Matching.Tests.Component;

public class AgreedAtTests
{
    [Fact]
    public async Task A_trade_says_when_it_was_agreed_and_a_proposal_says_nothing()
    {
        await using var host = new MatchingHost();
        var proposal = await Swap.ProposeAsync(host);
        Assert.Null(proposal.AgreedAt);
        (await Swap.AcceptAsync(host, Swap.A, proposal.Id)).EnsureSuccessStatusCode();
        Assert.Null((await host.TradeAsync(proposal.Id)).AgreedAt);

        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        var answer = (await (await Swap.AcceptAsync(host, Swap.B, proposal.Id)).Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!;
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(TradeStatus.Agreed, answer.Status);
        Assert.NotNull(answer.AgreedAt);
        Assert.InRange(answer.AgreedAt.Value, before, after);
        Assert.Equal(answer.AgreedAt, (await host.TradeAsync(proposal.Id)).AgreedAt);
        var listed = (await host.Operator().GetFromJsonAsync<TradeView[]>("/api/matching/trades?status=agreed", MatchingHost.Json))!;
        Assert.Equal(answer.AgreedAt, Assert.Single(listed).AgreedAt);
    }

    [Fact]
    public async Task A_cancelled_trade_keeps_the_time_it_was_agreed()
    {
        await using var host = new MatchingHost();
        var agreed = await Swap.AgreeAsync(host);

        var cancel = await host.Operator().PostAsJsonAsync($"/api/matching/trades/{agreed.Id}/cancel", new { reason = "goods never moved" });
        var cancelled = (await cancel.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!;

        Assert.Equal(TradeStatus.Cancelled, cancelled.Status);
        Assert.NotNull(agreed.AgreedAt);
        Assert.Equal(agreed.AgreedAt, cancelled.AgreedAt);
        Assert.Equal(agreed.AgreedAt, (await host.TradeAsync(agreed.Id)).AgreedAt);
    }
}
