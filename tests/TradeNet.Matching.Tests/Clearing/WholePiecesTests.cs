using TradeNet.Matching.Clearing;
using static TradeNet.Matching.Tests.Clearing.Books;

namespace TradeNet.Matching.Tests.Clearing;

public class WholePiecesTests
{
    private static BookEntry Pieces(BookEntry entry) => entry with { Unit = WholePieces.Unit };

    private static ClearedLeg Leg(BookEntry offer, BookEntry need, double value) =>
        new(offer.TownId, need.TownId, offer.Id, need.Id, offer.Category, value / offer.ValuePerUnit, value,
            value / offer.ValuePerUnit * offer.WeightPerUnit);

    private static Dictionary<string, BookEntry> ById(params BookEntry[] entries) => entries.ToDictionary(e => e.Id);

    [Fact]
    public void A_swap_of_solar_panels_for_bicycles_is_lowered_to_the_value_both_carry_whole()
    {
        // Panels are worth 180, bicycles 150: whole on both sides means multiples of 900 (5 panels, 6 bicycles).
        var (panels, wantsPanels) = (Pieces(Offer("p", "a", "solar-panels", 20, 180, weightPerUnit: 20)), Pieces(Need("np", "b", "solar-panels", 20, 180)));
        var (bikes, wantsBikes) = (Pieces(Offer("b", "b", "bicycles", 20, 150, weightPerUnit: 15)), Pieces(Need("nb", "a", "bicycles", 20, 150)));
        var trade = new ClearedTrade([Leg(panels, wantsPanels, 2000), Leg(bikes, wantsBikes, 2000)]);

        var whole = WholePieces.Round(trade, ById(panels, wantsPanels, bikes, wantsBikes))!;

        Assert.Equal([1800.0, 1800.0], whole.Legs.Select(l => l.Value));
        Assert.Equal([10.0, 12.0], whole.Legs.Select(l => l.Quantity));
        Assert.Equal([200.0, 180.0], whole.Legs.Select(l => l.WeightKg));
    }

    [Fact]
    public void Legs_in_divisible_units_follow_the_lowered_value()
    {
        var (eggs, wantsEggs) = (Pieces(Offer("e", "a", "eggs", 1000, 0.35)), Pieces(Need("ne", "b", "eggs", 1000, 0.35)));
        var (cheese, wantsCheese) = (Offer("c", "b", "cheese", 100, 14), Need("nc", "a", "cheese", 100, 14));
        var trade = new ClearedTrade([Leg(eggs, wantsEggs, 100), Leg(cheese, wantsCheese, 100)]);

        var whole = WholePieces.Round(trade, ById(eggs, wantsEggs, cheese, wantsCheese))!;

        // 285 eggs (99.75 credits) and 99.75 / 14 kg of cheese.
        Assert.Equal(285, whole.Legs[0].Quantity);
        Assert.Equal(99.75, whole.Legs[0].Value, 9);
        Assert.Equal(99.75 / 14, whole.Legs[1].Quantity, 9);
    }

    [Fact]
    public void A_trade_already_in_whole_pieces_is_left_as_it_is()
    {
        var (panels, wantsPanels) = (Pieces(Offer("p", "a", "solar-panels", 20, 180)), Pieces(Need("np", "b", "solar-panels", 20, 180)));
        var (cheese, wantsCheese) = (Offer("c", "b", "cheese", 100, 14), Need("nc", "a", "cheese", 100, 14));
        var trade = new ClearedTrade([Leg(panels, wantsPanels, 540), Leg(cheese, wantsCheese, 540)]);

        Assert.Same(trade, WholePieces.Round(trade, ById(panels, wantsPanels, cheese, wantsCheese)));
    }

    [Fact]
    public void A_trade_worth_less_than_one_step_or_pushed_below_a_min_lot_is_dropped()
    {
        var (panels, wantsPanels) = (Pieces(Offer("p", "a", "solar-panels", 20, 180)), Pieces(Need("np", "b", "solar-panels", 20, 180)));
        var (cheese, wantsCheese) = (Offer("c", "b", "cheese", 100, 14), Need("nc", "a", "cheese", 100, 14, minLot: 20));
        var entries = ById(panels, wantsPanels, cheese, wantsCheese);

        // A third of a panel: not one whole panel.
        Assert.Null(WholePieces.Round(new ClearedTrade([Leg(panels, wantsPanels, 60), Leg(cheese, wantsCheese, 60)]), entries));
        // 2.9 panels' worth lowered to 2 panels (360 credits): 25.7 kg of cheese, above the need's 20 kg lot.
        var kept = WholePieces.Round(new ClearedTrade([Leg(panels, wantsPanels, 522), Leg(cheese, wantsCheese, 522)]), entries)!;
        Assert.Equal(2, kept.Legs[0].Quantity);
        // 1.7 panels' worth (21.9 kg of cheese) lowered to 1 panel: 12.9 kg, under the 20 kg lot.
        Assert.Null(WholePieces.Round(new ClearedTrade([Leg(panels, wantsPanels, 306), Leg(cheese, wantsCheese, 306)]), entries));
    }

    [Fact]
    public void Trades_without_pieces_pass_through_and_the_counts_say_what_changed()
    {
        var (panels, wantsPanels) = (Pieces(Offer("p", "a", "solar-panels", 20, 180)), Pieces(Need("np", "b", "solar-panels", 20, 180)));
        var (cheese, wantsCheese) = (Offer("c", "b", "cheese", 100, 14), Need("nc", "a", "cheese", 100, 14));
        var (wood, wantsWood) = (Offer("w", "a", "firewood", 100, 0.2), Need("nw", "b", "firewood", 100, 0.2));
        var entries = ById(panels, wantsPanels, cheese, wantsCheese, wood, wantsWood);
        var divisible = new ClearedTrade([Leg(wood, wantsWood, 14), Leg(cheese, wantsCheese, 14)]);
        var lowered = new ClearedTrade([Leg(panels, wantsPanels, 400), Leg(cheese, wantsCheese, 400)]);
        var dropped = new ClearedTrade([Leg(panels, wantsPanels, 100), Leg(cheese, wantsCheese, 100)]);

        var (trades, loweredCount, droppedCount) = WholePieces.Apply([divisible, lowered, dropped], entries);

        Assert.Equal(2, trades.Count);
        Assert.Same(divisible, trades[0]);
        Assert.Equal(2, trades[1].Legs[0].Quantity);
        Assert.Equal((1, 1), (loweredCount, droppedCount));
    }
}
