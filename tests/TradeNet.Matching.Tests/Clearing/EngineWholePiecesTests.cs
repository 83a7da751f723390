using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Matching.Clearing;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;
using static TradeNet.Matching.Tests.Clearing.Books;

namespace TradeNet.Matching.Tests.Clearing;

public sealed class EngineWholePiecesTests : IDisposable
{
    private readonly SpanRecorder _spans = new(TradeNetTelemetry.Name);

    private static BookEntry Pieces(BookEntry entry) => entry with { Unit = WholePieces.Unit };

    [Fact]
    public async Task The_engine_plans_solar_panels_whole_so_lowering_them_finds_nothing_to_change()
    {
        // A has 7 panels (180 each) for B's bicycles (150) and C's cheese, of which it needs 20 kg. Planned continuously,
        // all 7 panels may go to B for 8.4 bicycles, lowered to 5 panels for 6; planned whole, the 2 left go to C.
        var book = new OrderBook([
            Pieces(Offer("a-panels", "a", "solar-panels", 7, 180)), Pieces(Need("a-bicycles", "a", "bicycles", 10, 150)),
            Need("a-cheese", "a", "cheese", 20, 18),
            Pieces(Offer("b-bicycles", "b", "bicycles", 10, 150)), Pieces(Need("b-panels", "b", "solar-panels", 7, 180)),
            Offer("c-cheese", "c", "cheese", 100, 18), Pieces(Need("c-panels", "c", "solar-panels", 7, 180)),
        ]);
        var options = Options.Create(new MatchingOptions());
        var engine = new EngineClearing(new TransportCosts(null!, options, NullLogger<TransportCosts>.Instance), options,
            NullLogger<EngineClearing>.Instance);
        using var round = new Activity("test round").Start();

        var outcome = await engine.ClearAsync(book, new ClearingSettings(MaxCycleLength: 3), CancellationToken.None);

        Assert.Equal(2 * (900 + 360), outcome.Objective, 6);
        Assert.Equal(0, outcome.Stats.Quality!.Gap, 6);
        Assert.All(outcome.Trades.SelectMany(t => t.Legs).Where(l => l.Category != "cheese"), l => Assert.Equal(Math.Round(l.Quantity), l.Quantity));
        var solve = Assert.Single(_spans.Named("clearing engine solve"), a => a.ParentSpanId == round.SpanId);
        Assert.Equal(0, solve.GetTagItem("tradenet.solver.whole_pieces.lowered"));
        Assert.Equal(0, solve.GetTagItem("tradenet.solver.whole_pieces.dropped"));
    }

    public void Dispose() => _spans.Dispose();
}
