using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>What becomes of an operator's round when the operator stops waiting for the answer.</summary>
public class AbandonedRoundRequestTests
{
    [Fact]
    public async Task A_round_that_started_finishes_and_is_recorded_when_the_operators_connection_closes_before_it_answers()
    {
        // The gateway gives up on an answer after 90 s (504, "the request may have been applied: read back what it
        // changes"), and an operator's terminal may close: the round, cancelled with the request, was thrown away however
        // far it had solved, so a round longer than the gateway's wait could never be run from outside.
        var strategy = new GatedStrategy();
        await using var host = new MatchingHost { Strategy = strategy };
        await host.PublishListingsAsync(Swap.All);
        using var hangUp = new CancellationTokenSource();
        var request = host.Operator().PostAsync("/api/matching/rounds", null, hangUp.Token);
        await strategy.Started;

        // The test server aborts the request as the token is cancelled (the callback runs within CancelAsync), so the
        // round is released only once its request is gone.
        await hangUp.CancelAsync();
        strategy.Release();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        var round = await Eventually.Until(
            async () => (await host.Operator().GetFromJsonAsync<RoundSummaryView[]>("/api/matching/rounds", MatchingHost.Json))!.SingleOrDefault(),
            r => r is not null, TimeSpan.FromSeconds(20), "the round recorded");
        Assert.Equal(1, round!.Trades);
        await host.Published<TradeProposed>(p => p.RoundId == round.Id);
    }
}
