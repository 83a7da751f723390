using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Matching.Clearing;
using static TradeNet.Matching.Tests.Clearing.Books;

namespace TradeNet.Matching.Tests.Clearing;

public sealed class EngineSelfServedTests
{
    [Fact]
    public async Task A_round_whose_best_plan_only_swaps_walnuts_for_walnuts_solves_again_and_proposes_the_trade_that_gains()
    {
        // Mably, Charlieu and Perreux each have 100 walnuts and need 100 (whole lots, 700 credits), and Mably needs
        // Charlieu's cheese. The most value moved is the walnut 3-cycle (2,100), in which every town gives what it needs
        // itself; without Mably's need, a walnut cycle through Perreux; without Perreux's too, walnuts for cheese (1,400).
        var book = new OrderBook([
            Offer("m-walnuts", "mably", "walnuts", 100, 7, minLot: 100), Need("m-wants-walnuts", "mably", "walnuts", 100, 7, minLot: 100),
            Need("m-wants-cheese", "mably", "cheese", 50, 14, minLot: 50),
            Offer("c-walnuts", "charlieu", "walnuts", 100, 7, minLot: 100), Need("c-wants-walnuts", "charlieu", "walnuts", 100, 7, minLot: 100),
            Offer("c-cheese", "charlieu", "cheese", 50, 14, minLot: 50),
            Offer("p-walnuts", "perreux", "walnuts", 100, 7, minLot: 100), Need("p-wants-walnuts", "perreux", "walnuts", 100, 7, minLot: 100),
        ]);
        var options = Options.Create(new MatchingOptions());
        var engine = new EngineClearing(new TransportCosts(null!, options, NullLogger<TransportCosts>.Instance), options,
            NullLogger<EngineClearing>.Instance);

        var outcome = await engine.ClearAsync(book, new ClearingSettings(MaxCycleLength: 3), CancellationToken.None);

        var trade = Assert.Single(outcome.Trades);
        Assert.Equal([("c-cheese", "m-wants-cheese"), ("m-walnuts", "c-wants-walnuts")],
            trade.Legs.Select(l => (l.OfferId, l.NeedId)).Order());
        Assert.Equal(1400, outcome.Objective, 6);
        Assert.Equal(2100, outcome.Stats.UpperBound!.Value, 6);
        Assert.Contains("Solved again 2 time(s) without the 2 need(s) they served: 1 trade(s) proposed", outcome.Stats.Quality!.Note);
    }
}
