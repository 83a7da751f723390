using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>What becomes of an operator's round when the operator stops waiting for the answer, or it waits for another.</summary>
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

    [Fact]
    public async Task A_round_asked_while_this_instances_own_round_runs_gives_up_after_about_one_lease_with_a_409_as_for_another_instances()
    {
        // Another instance's running round is waited for about one lease, then 409. This instance's own was waited for
        // without end (the in-process gate), then a second round ran: through the gateway, an operator's round asked while
        // a scheduled one solved waited out both, and past the gateway's 90 s it was thrown away with a 504.
        var strategy = new GatedStrategy();
        await using var host = new MatchingHost(new() { ["Matching:RoundLease"] = "00:00:02" }) { Strategy = strategy };
        await host.PublishListingsAsync(Swap.All);
        var running = host.Operator().PostAsync("/api/matching/rounds", null);
        await strategy.Started;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var second = await host.Operator().PostAsync("/api/matching/rounds", null).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("running a clearing round", problem.GetProperty("detail").GetString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        strategy.Release();
        Assert.Equal(HttpStatusCode.Created, (await running).StatusCode);
    }
}
