using CsCheck;
using TradeNet.Matching.Clearing;

namespace TradeNet.Matching.Tests.Clearing;

/// <summary>Rules that must hold for any book, checked on random ones.</summary>
public class BilateralClearingProperties
{
    private static readonly (string Town, double Lat, double Lon)[] Towns =
        [("roanne", 46.0367, 4.0683), ("riorges", 46.0430, 4.0400), ("lyon", 45.7640, 4.8357), ("vichy", 46.1277, 3.4260)];

    private static readonly (string Category, double Value)[] Categories = [("cheese", 12), ("firewood", 0.8), ("repair", 35)];

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    internal static readonly Gen<BookEntry> Entry = Gen.Select(
        Gen.Int[0, Towns.Length - 1], Gen.Bool, Gen.Int[0, Categories.Length - 1], Gen.Int[1, 60], Gen.Int[0, 12],
        Gen.Bool, Gen.Int[0, 4], Gen.Int[0, 3],
        (town, need, category, quantity, minLot, organic, window, distance) =>
        {
            var (id, lat, lon) = Towns[town];
            var (cat, value) = Categories[category];
            DateTimeOffset? from = window == 0 ? null : Start.AddDays(window * 2);
            DateTimeOffset? until = window == 0 ? null : Start.AddDays(window * 2 + 3);
            return new BookEntry("", id, need ? ListingKind.Need : ListingKind.Offer, cat, value, 1.1, quantity,
                Math.Min(minLot, quantity), need ? [] : organic ? ["organic"] : [], need && organic ? ["organic"] : [],
                need && distance > 0 ? distance * 40 : null, from, until, lat, lon, 1);
        });

    private static readonly Gen<BookEntry[]> Book = Entry.Array[2, 30]
        .Select(entries => entries.Select((e, i) => e with { Id = $"l{i:D2}" }).ToArray());

    [Fact]
    public void No_listing_ever_gives_or_receives_more_than_it_has_available()
    {
        Book.Sample(entries =>
        {
            var outcome = BilateralClearing.Clear(new OrderBook(entries), new ClearingSettings());
            var used = outcome.Trades.SelectMany(t => t.Legs)
                .SelectMany(l => new[] { (l.OfferId, l.Quantity), (l.NeedId, l.Quantity) })
                .GroupBy(u => u.Item1).ToDictionary(g => g.Key, g => g.Sum(u => u.Item2));
            foreach (var e in entries)
                Assert.True(used.GetValueOrDefault(e.Id) <= e.Available + 1e-9, $"{e.Id} used {used.GetValueOrDefault(e.Id)} of {e.Available}");
        }, iter: 400);
    }

    [Fact]
    public void Every_trade_is_a_balanced_fitting_swap_that_meets_all_min_lots()
    {
        Book.Sample(entries =>
        {
            var byId = entries.ToDictionary(e => e.Id);
            var outcome = BilateralClearing.Clear(new OrderBook(entries), new ClearingSettings());
            foreach (var trade in outcome.Trades)
            {
                Assert.Equal(2, trade.Legs.Count);
                var (a, b) = (trade.Legs[0], trade.Legs[1]);
                Assert.Equal((a.FromTown, a.ToTown), (b.ToTown, b.FromTown));
                Assert.NotEqual(a.FromTown, a.ToTown);
                Assert.Equal(a.Value, b.Value);
                foreach (var leg in trade.Legs)
                {
                    var (offer, need) = (byId[leg.OfferId], byId[leg.NeedId]);
                    Assert.True(Fit.Serves(offer, need, 1.3));
                    Assert.Equal(leg.Value, leg.Quantity * offer.ValuePerUnit, 6);
                    Assert.True(leg.Quantity >= Math.Max(offer.MinLot, need.MinLot) - 1e-9, $"{leg} below a min lot");
                    Assert.Equal((offer.TownId, need.TownId), (leg.FromTown, leg.ToTown));
                }
            }
            Assert.Equal(outcome.Trades.Sum(t => 2 * t.Value), outcome.Objective, 6);
        }, iter: 400);
    }

    [Fact]
    public void Clearing_is_deterministic_whatever_the_order_of_the_book()
    {
        Gen.Select(Book, Gen.Int).Sample((entries, seed) =>
        {
            var first = BilateralClearing.Clear(new OrderBook(entries), new ClearingSettings());
            var random = new Random(seed);
            var shuffled = BilateralClearing.Clear(new OrderBook(entries.OrderBy(_ => random.Next()).ToArray()), new ClearingSettings());
            Assert.Equal(first.Trades.SelectMany(t => t.Legs), shuffled.Trades.SelectMany(t => t.Legs));
            Assert.Equal(first.Objective, shuffled.Objective);
        }, iter: 200);
    }
}
