using TradeNet.Matching.Clearing;
using TradeNet.Shared.Hosting;
using static TradeNet.Matching.Tests.Clearing.Books;

namespace TradeNet.Matching.Tests.Clearing;

public class BilateralClearingTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Two_towns_with_complementary_listings_swap_the_same_value_each_way()
    {
        // Roanne has 10 kg of cheese at 10 credits/kg and wants 40 units of firewood at 2; Riorges the reverse.
        var outcome = Clear(
            Offer("cheese-r", "roanne", "cheese", 10, 10, at: Roanne),
            Need("wood-r", "roanne", "firewood", 40, 2, at: Roanne),
            Offer("wood-o", "riorges", "firewood", 50, 2, at: Riorges),
            Need("cheese-o", "riorges", "cheese", 20, 10, at: Riorges));

        var trade = Assert.Single(outcome.Trades);
        Assert.Equal(2, trade.Legs.Count);
        var cheese = trade.Legs.Single(l => l.Category == "cheese");
        var wood = trade.Legs.Single(l => l.Category == "firewood");
        // Firewood limits the swap: 40 units × 2 = 80 credits each way.
        Assert.Equal(80, cheese.Value, 9);
        Assert.Equal(80, wood.Value, 9);
        Assert.Equal(8, cheese.Quantity, 9);
        Assert.Equal(40, wood.Quantity, 9);
        Assert.Equal(("roanne", "riorges"), (cheese.FromTown, cheese.ToTown));
        Assert.Equal(("riorges", "roanne"), (wood.FromTown, wood.ToTown));
        Assert.Equal(160, outcome.Objective, 9);
    }

    [Fact]
    public void Goods_counted_in_pieces_are_swapped_whole()
    {
        var outcome = Clear(
            Offer("panels", "roanne", "solar-panels", 20, 180, at: Roanne) with { Unit = WholePieces.Unit },
            Need("bikes-r", "roanne", "bicycles", 20, 150, at: Roanne) with { Unit = WholePieces.Unit },
            Offer("bikes", "riorges", "bicycles", 20, 150, at: Riorges) with { Unit = WholePieces.Unit },
            Need("panels-o", "riorges", "solar-panels", 20, 180, at: Riorges) with { Unit = WholePieces.Unit });

        var trade = Assert.Single(outcome.Trades);
        Assert.Equal(15, trade.Legs.Single(l => l.Category == "solar-panels").Quantity);
        Assert.Equal(18, trade.Legs.Single(l => l.Category == "bicycles").Quantity);
        Assert.Equal(5400, outcome.Objective, 9);
    }

    [Fact]
    public void A_leg_carries_the_weight_of_its_quantity()
    {
        var outcome = Clear(
            Offer("a", "roanne", "cheese", 10, 10, weightPerUnit: 1.5),
            Need("b", "roanne", "firewood", 50, 2, at: Roanne),
            Offer("c", "riorges", "firewood", 50, 2, weightPerUnit: 0.5, at: Riorges),
            Need("d", "riorges", "cheese", 10, 10));

        var trade = Assert.Single(outcome.Trades);
        Assert.All(trade.Legs, l => Assert.Equal(l.Category == "cheese" ? l.Quantity * 1.5 : l.Quantity * 0.5, l.WeightKg, 9));
    }

    [Fact]
    public void A_town_never_trades_with_itself()
    {
        var outcome = Clear(
            Offer("a", "roanne", "cheese", 10, 10),
            Need("b", "roanne", "firewood", 50, 2),
            Offer("c", "roanne", "firewood", 50, 2),
            Need("d", "roanne", "cheese", 10, 10));

        Assert.Empty(outcome.Trades);
        Assert.Equal(0, outcome.Objective);
    }

    [Fact]
    public void A_one_way_fit_without_a_return_leg_is_no_trade()
    {
        var outcome = Clear(
            Offer("a", "roanne", "cheese", 10, 10),
            Need("d", "riorges", "cheese", 10, 10));

        Assert.Empty(outcome.Trades);
        Assert.Equal(1, outcome.Stats.CandidateLegs);
    }

    [Fact]
    public void A_swap_that_cannot_reach_the_offers_min_lot_is_not_proposed()
    {
        // The balanced value is capped at 80 credits = 8 kg of cheese, below the 9 kg minimum lot.
        var outcome = Clear(
            Offer("a", "roanne", "cheese", 10, 10, minLot: 9),
            Need("b", "roanne", "firewood", 40, 2, at: Roanne),
            Offer("c", "riorges", "firewood", 50, 2, at: Riorges),
            Need("d", "riorges", "cheese", 20, 10));

        Assert.Empty(outcome.Trades);
    }

    [Fact]
    public void A_need_min_lot_on_the_return_leg_is_respected_too()
    {
        var book = new[]
        {
            Offer("a", "roanne", "cheese", 10, 10),
            Need("b", "roanne", "firewood", 40, 2, minLot: 45, at: Roanne),
            Offer("c", "riorges", "firewood", 50, 2, at: Riorges),
            Need("d", "riorges", "cheese", 20, 10),
        };
        Assert.Empty(Clear(book).Trades);

        book[1] = book[1] with { MinLot = 40 };
        var trade = Assert.Single(Clear(book).Trades);
        Assert.True(trade.Legs.Single(l => l.NeedId == "b").Quantity >= 40 - 1e-9);
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "raw-milk" }, false)]
    [InlineData(new[] { "organic" }, true)]
    [InlineData(new[] { "ORGANIC", "raw-milk" }, true)]
    public void An_offer_must_carry_every_attribute_the_need_requires(string[] offered, bool trades)
    {
        var outcome = Clear(
            Offer("a", "roanne", "cheese", 10, 10, attributes: offered),
            Need("b", "roanne", "firewood", 50, 2, at: Roanne),
            Offer("c", "riorges", "firewood", 50, 2, at: Riorges),
            Need("d", "riorges", "cheese", 10, 10, requires: ["organic"]));

        Assert.Equal(trades, outcome.Trades.Count == 1);
    }

    [Theory]
    [InlineData(70, false)]  // beyond the road distance, though within the straight line (≈ 66 km)
    [InlineData(90, true)]   // road distance ≈ 66 × 1.3 ≈ 86 km
    public void A_need_is_served_only_within_its_road_distance(double maxKm, bool trades)
    {
        var straight = Geo.HaversineKm(Roanne.Lat, Roanne.Lon, Lyon.Lat, Lyon.Lon);
        Assert.InRange(straight, 60, 70);

        var outcome = Clear(
            Offer("a", "roanne", "cheese", 10, 10, at: Roanne),
            Need("b", "roanne", "firewood", 50, 2, at: Roanne),
            Offer("c", "lyon", "firewood", 50, 2, at: Lyon),
            Need("d", "lyon", "cheese", 10, 10, maxKm: maxKm, at: Lyon));

        Assert.Equal(trades, outcome.Trades.Count == 1);
    }

    [Theory]
    [InlineData(0, 2, 3, 5, false)]   // offer Mon–Wed, need Thu–Sat
    [InlineData(0, 3, 3, 5, true)]    // they meet on Thursday
    [InlineData(0, 4, 2, 6, true)]
    public void Offer_and_need_windows_must_overlap(int offerFrom, int offerUntil, int needFrom, int needUntil, bool trades)
    {
        var outcome = Clear(
            Offer("a", "roanne", "cheese", 10, 10, from: Monday.AddDays(offerFrom), until: Monday.AddDays(offerUntil)),
            Need("b", "roanne", "firewood", 50, 2, at: Roanne),
            Offer("c", "riorges", "firewood", 50, 2, at: Riorges),
            Need("d", "riorges", "cheese", 10, 10, from: Monday.AddDays(needFrom), until: Monday.AddDays(needUntil)));

        Assert.Equal(trades, outcome.Trades.Count == 1);
    }

    [Fact]
    public void An_open_window_overlaps_any_other()
    {
        var outcome = Clear(
            Offer("a", "roanne", "cheese", 10, 10, until: Monday),
            Need("b", "roanne", "firewood", 50, 2, at: Roanne),
            Offer("c", "riorges", "firewood", 50, 2, at: Riorges),
            Need("d", "riorges", "cheese", 10, 10, from: Monday.AddDays(-30)));

        Assert.Single(outcome.Trades);
    }

    [Fact]
    public void Listings_of_different_categories_do_not_fit()
    {
        var outcome = Clear(
            Offer("a", "roanne", "cheese", 10, 10),
            Need("b", "roanne", "firewood", 50, 2, at: Roanne),
            Offer("c", "riorges", "firewood", 50, 2, at: Riorges),
            Need("d", "riorges", "butter", 10, 10));

        Assert.Empty(outcome.Trades);
    }

    [Fact]
    public void An_offer_shared_by_two_swaps_is_never_given_twice()
    {
        // Roanne's 10 kg of cheese is wanted by Riorges and Lyon; both can pay in firewood.
        var outcome = Clear(
            Offer("cheese", "roanne", "cheese", 10, 10),
            Need("wood", "roanne", "firewood", 500, 2, at: Roanne),
            Offer("wood-riorges", "riorges", "firewood", 30, 2, at: Riorges),
            Need("cheese-riorges", "riorges", "cheese", 10, 10),
            Offer("wood-lyon", "lyon", "firewood", 100, 2, at: Lyon),
            Need("cheese-lyon", "lyon", "cheese", 10, 10, at: Lyon));

        var given = outcome.Trades.SelectMany(t => t.Legs).Where(l => l.OfferId == "cheese").Sum(l => l.Quantity);
        Assert.True(given <= 10 + 1e-9, $"gave {given} kg of 10");
        // Greedy by value: Lyon's 100 credits of firewood beat Riorges' 60, and use all the cheese.
        var trade = Assert.Single(outcome.Trades);
        Assert.Contains(trade.Legs, l => l.ToTown == "lyon");
        Assert.Equal(100, trade.Value, 9);
    }

    [Fact]
    public void What_one_swap_leaves_can_serve_the_next()
    {
        var outcome = Clear(
            Offer("cheese", "roanne", "cheese", 20, 10),
            Need("wood", "roanne", "firewood", 500, 2, at: Roanne),
            Offer("wood-riorges", "riorges", "firewood", 30, 2, at: Riorges),
            Need("cheese-riorges", "riorges", "cheese", 10, 10),
            Offer("wood-lyon", "lyon", "firewood", 50, 2, at: Lyon),
            Need("cheese-lyon", "lyon", "cheese", 10, 10, at: Lyon));

        Assert.Equal(2, outcome.Trades.Count);
        Assert.Equal([100, 60], outcome.Trades.Select(t => Math.Round(t.Value, 6)));
        Assert.Equal(2 * 160, outcome.Objective, 9);
    }

    [Fact]
    public void The_same_book_in_any_order_clears_the_same_way()
    {
        var entries = new[]
        {
            Offer("cheese", "roanne", "cheese", 20, 10),
            Need("wood", "roanne", "firewood", 500, 2, at: Roanne),
            Offer("wood-riorges", "riorges", "firewood", 50, 2, at: Riorges),
            Need("cheese-riorges", "riorges", "cheese", 10, 10),
            Offer("wood-lyon", "lyon", "firewood", 50, 2, at: Lyon),
            Need("cheese-lyon", "lyon", "cheese", 10, 10, at: Lyon),
        };
        var expected = Legs(Clear(entries));
        Assert.NotEmpty(expected);

        var random = new Random(42);
        for (var i = 0; i < 20; i++)
            Assert.Equal(expected, Legs(Clear(entries.OrderBy(_ => random.Next()).ToArray())));
    }

    [Fact]
    public void Many_crowded_town_pairs_share_the_total_budget_of_swaps_and_a_small_pair_keeps_its_swap()
    {
        // Four towns, two giving 20 lots of wood for vegetables and two the other way: 400 legs each way and 160,000 swaps
        // for each of the four pairs that swap (640,000 in all); and Lyon swapping cheese for wool with Roanne.
        var crowded = new[] { "a", "b", "c", "d" };
        var entries = crowded.SelectMany((t, ti) => Enumerable.Range(0, 20).SelectMany(i => new[]
        {
            Offer($"{t}-gives-{i}", t, ti % 2 == 0 ? "wood" : "veg", 10 + i, ti % 2 == 0 ? 1 : 2.5, at: (46.0 + 0.01 * ti, 4.0)),
            Need($"{t}-wants-{i}", t, ti % 2 == 0 ? "veg" : "wood", 10 + i, ti % 2 == 0 ? 2.5 : 1, at: (46.0 + 0.01 * ti, 4.0)),
        })).Concat([
            Offer("lyon-cheese", "lyon", "cheese", 5, 18, at: Lyon), Need("roanne-cheese", "roanne", "cheese", 5, 18, at: Roanne),
            Offer("roanne-wool", "roanne", "wool", 15, 6, at: Roanne), Need("lyon-wool", "lyon", "wool", 15, 6, at: Lyon),
        ]).ToArray();

        var outcome = BilateralClearing.Clear(new OrderBook(entries), new ClearingSettings(), maxSwaps: 100_000);

        Assert.InRange(outcome.Stats.CandidateCycles, 90_000, 100_000);
        Assert.Contains(outcome.Trades, t => t.Legs.Any(l => l.OfferId == "lyon-cheese"));
    }

    [Fact]
    public void Two_towns_crowded_with_one_pair_of_goods_are_cleared_from_the_legs_worth_the_most_without_pairing_them_all()
    {
        // The catalog's limit of open listings, 500 a town, all in one pair of goods: 62,500 legs each way, 3.9 billion swaps.
        var entries = Enumerable.Range(0, 250).SelectMany(i => new[]
        {
            Offer($"r-wood-{i}", "roanne", "wood", 10 + i, 1), Need($"r-veg-{i}", "roanne", "veg", 20 + i, 2.5, at: Roanne),
            Offer($"g-veg-{i}", "riorges", "veg", 15 + i, 2.5, at: Riorges), Need($"g-wood-{i}", "riorges", "wood", 12 + i, 1),
        }).ToArray();

        var outcome = Clear(entries);

        Assert.True(outcome.Stats.CandidateCycles <= BilateralClearing.MaxSwapsPerTownPair, $"{outcome.Stats.CandidateCycles} swaps");
        Assert.NotEmpty(outcome.Trades);
        // Balanced, and never more than a listing holds.
        Assert.All(outcome.Trades, t => Assert.Equal(t.Legs[0].Value, t.Legs[1].Value, 6));
        var given = Legs(outcome).GroupBy(l => l.OfferId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        Assert.All(entries.Where(e => e.Kind == ListingKind.Offer), e => Assert.True(given.GetValueOrDefault(e.Id) <= e.Available + 1e-9));
    }

    private static List<ClearedLeg> Legs(ClearingOutcome outcome) => outcome.Trades.SelectMany(t => t.Legs).ToList();
}
