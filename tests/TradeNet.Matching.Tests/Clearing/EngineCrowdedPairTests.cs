using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Matching.Clearing;
using static TradeNet.Matching.Tests.Clearing.Books;

namespace TradeNet.Matching.Tests.Clearing;

public sealed class EngineCrowdedPairTests
{
    [Fact]
    public async Task A_round_keeps_at_most_the_configured_legs_between_two_towns_and_still_clears_every_listing()
    {
        // Roanne offers 20 lots of wood that Riorges needs, Riorges 20 lots of vegetables that Roanne needs, all of one
        // size: 400 fitting pairs each way, of which a cap of 20 keeps one per listing, paired off.
        var entries = new List<BookEntry>();
        for (var i = 0; i < 20; i++)
        {
            entries.Add(Offer($"wood-{i:00}", "roanne", "wood", 10, 1, at: Roanne));
            entries.Add(Need($"wants-wood-{i:00}", "riorges", "wood", 10, 1, at: Riorges));
            entries.Add(Offer($"veg-{i:00}", "riorges", "veg", 4, 2.5, at: Riorges));
            entries.Add(Need($"wants-veg-{i:00}", "roanne", "veg", 4, 2.5, at: Roanne));
        }
        var options = Options.Create(new MatchingOptions { MaxLegsPerTownPair = 20 });
        var engine = new EngineClearing(new TransportCosts(null!, options, NullLogger<TransportCosts>.Instance), options,
            NullLogger<EngineClearing>.Instance);

        var outcome = await engine.ClearAsync(new OrderBook(entries), new ClearingSettings(MaxCycleLength: 3), CancellationToken.None);

        Assert.Equal(40, outcome.Stats.Quality!.Edges);
        Assert.Equal(400, outcome.Objective, 6);
    }
}
