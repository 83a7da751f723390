using TradeNet.Contracts;
using TradeNet.Matching.Benchmarks;
using Engine = TradeNet.Matching.Engine;

namespace TradeNet.Matching.Counterparts.Benchmarks;

/// <summary>The big town as the generator made it; the same town 1,000 km away (its listings fit almost nothing, so
/// every candidate is weighed); or one offer and the rest needs in the book's most listed category, each requiring
/// what no offer carries (the most pairs that all fail).</summary>
public enum Shape { Generated, Far, Crafted }

/// <summary>The counterparts benchmark's book: <see cref="BookGenerator"/> over the catalog's categories plus one big town,
/// in one of the three <see cref="Shape"/>s, and the listing it asks about.</summary>
public static class CounterpartsBook
{
    /// <summary>The big town's id.</summary>
    public const string BigTown = "big-town";

    /// <summary>The generated book plus one town of <paramref name="townListings"/> (generated alone, so its offers are
    /// its three specialties and its needs the other goods, as every town's).</summary>
    public static List<ListingSnapshot> Build(IReadOnlyList<BookGenerator.Town> towns, int listings, int townListings, int seed, Shape shape)
    {
        var rest = BookGenerator.Generate(towns, listings - townListings, (listings - townListings) * 3 / 40, seed,
            categories: BookGenerator.CatalogCategories);
        var big = BookGenerator.Generate(towns, townListings, 1, seed + 1, categories: BookGenerator.CatalogCategories);
        var bigTown = big.Towns[0] with { Id = BigTown };
        if (shape == Shape.Far) bigTown = bigTown with { Lat = bigTown.Lat - 9 };
        var bigListings = big.Listings.Select((l, i) => l with { Id = $"big-{i:D3}", Town = bigTown.Id }).ToList();
        if (shape == Shape.Crafted)
        {
            var most = rest.Listings.GroupBy(l => l.Category).MaxBy(g => g.Count())!.Key;
            bigListings = bigListings.Select((l, i) => i == 0
                ? l with { Kind = Engine.ListingKind.Offer, Category = most, Requires = null, MaxDistanceKm = null }
                : l with { Kind = Engine.ListingKind.Need, Category = most, Attributes = null, Requires = ["hand-signed"] }).ToList();
        }
        var categories = BookGenerator.CatalogCategories.ToDictionary(c => c.Id);
        var byId = rest.Towns.ToDictionary(t => t.Id);
        return
        [
            .. rest.Listings.Select(l => Snapshot(l, byId[l.Town], categories[l.Category])),
            .. bigListings.Select(l => Snapshot(l, bigTown, categories[l.Category])),
        ];
    }

    private static ListingSnapshot Snapshot(Engine.Listing l, Engine.Town town, Engine.Category category) =>
        new(l.Id, l.Town, l.Kind == Engine.ListingKind.Offer ? "offer" : "need", l.Category, category.Unit, category.Value, 1,
            l.Quantity, l.Quantity, l.MinLot, [.. l.Attributes ?? []], [.. l.Requires ?? []], l.MaxDistanceKm, l.AvailableFrom,
            l.AvailableUntil, town.Lat, town.Lon, 1);

    /// <summary>The big town's listing with the most listings of the other kind in its category.</summary>
    public static ListingSnapshot Asked(List<ListingSnapshot> book) =>
        book.Where(l => l.TownId == BigTown)
            .OrderByDescending(l => book.Count(o => o.Category == l.Category && o.Kind != l.Kind)).ThenBy(l => l.Id, StringComparer.Ordinal)
            .First();

}
