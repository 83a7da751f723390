using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Rounds;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public sealed class RoundTraceTests : IDisposable
{
    private readonly SpanRecorder _spans = new(TradeNetTelemetry.Name);

    [Fact]
    public async Task The_round_that_re_matches_a_cancelled_trades_quantities_links_to_that_trades_trace()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        var first = RoundSpan(trade.RoundId);
        Assert.Equal(HttpStatusCode.OK, (await host.Town(Swap.B).PostAsync($"/api/matching/trades/{trade.Id}/reject", null)).StatusCode);

        var next = await host.RunRoundAsync();

        var linked = RoundSpan(next.Id).Links.Select(l => l.Context.TraceId);
        Assert.Contains(first.TraceId, linked);
    }

    [Fact]
    public async Task The_engines_progress_reaches_its_solve_span_as_events()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        var solve = Assert.Single(_spans.Named("clearing engine solve"), a => a.Parent is { } p && (string?)p.GetTagItem(TradeNetTelemetry.RoundId) == trade.RoundId.ToString());
        var lines = solve.Events.Select(e => e.Tags.FirstOrDefault(t => t.Key == EngineClearing.ProgressTag).Value as string).ToList();
        Assert.Contains(lines, l => l is not null && l.StartsWith("market:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l is not null && l.StartsWith("self-check passed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_round_span_carries_the_bound_and_gap_the_round_records()
    {
        // Walnuts for walnuts: the engine's plan (optimal, gap 0 on its solve span) is dropped, since a town would serve its
        // own need, so what the round records is not the engine's: nothing proposed under the engine's bound, gap 100%. The
        // round span carried neither, and an operator reading the trace saw only the solve's "optimal".
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(
            Swap.Listing("a-nuts", Swap.A, "offer", "walnuts", 200, 200, 7), Swap.Listing("a-wants", Swap.A, "need", "walnuts", 100, 100, 7),
            Swap.Listing("b-nuts", Swap.B, "offer", "walnuts", 200, 200, 7), Swap.Listing("b-wants", Swap.B, "need", "walnuts", 100, 100, 7));

        var round = await host.RunRoundAsync();

        var span = RoundSpan(round.Id);
        Assert.True(round.Quality!.Bound > 0);
        Assert.Equal(1, round.Quality.Gap, 9);
        Assert.Equal(round.Quality.Bound, span.GetTagItem(ClearingRounds.BoundTag));
        Assert.Equal(round.Quality.Gap, span.GetTagItem(ClearingRounds.GapTag));
    }

    [Fact]
    public async Task A_round_that_fails_marks_its_span_as_an_error_with_the_reason()
    {
        var reason = $"solver broke {Guid.NewGuid():N}";
        await using var host = new MatchingHost { Strategy = new FailingStrategy(reason) };
        await host.PublishListingsAsync(Swap.All);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var rounds = scope.ServiceProvider.GetRequiredService<ClearingRounds>();
            await Assert.ThrowsAsync<InvalidOperationException>(() => rounds.RunAsync("test", CancellationToken.None));
        }

        var span = Assert.Single(_spans.Named("clearing round"), a => a.StatusDescription?.Contains(reason, StringComparison.Ordinal) == true);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task A_round_that_succeeds_leaves_its_span_status_unset()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        Assert.Equal(ActivityStatusCode.Unset, RoundSpan(trade.RoundId).Status);
    }

    private sealed class FailingStrategy(string reason) : IClearingStrategy
    {
        public Task<ClearingOutcome> ClearAsync(OrderBook book, ClearingSettings settings, CancellationToken ct) =>
            throw new InvalidOperationException(reason);
    }

    private Activity RoundSpan(Guid roundId) =>
        _spans.Named("clearing round").Single(a => (string?)a.GetTagItem(TradeNetTelemetry.RoundId) == roundId.ToString());

    public void Dispose() => _spans.Dispose();
}
