using System.Globalization;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Benchmarks;

/// <summary>
/// Deterministic realistic books (same seed → same book): real communes of Auvergne-Rhône-Alpes drawn by
/// population, each town with a few specialties it offers and needs for other goods, lognormal listing
/// values, min lots on most listings, organic/label attributes, need distance limits and some windows.
/// </summary>
public static class BookGenerator
{
    private static readonly Category[] Categories =
    [
        new("vegetables", "kg", 2.5), new("organic-vegetables", "kg", 4), new("fruit", "kg", 3), new("apples", "kg", 2),
        new("potatoes", "kg", 1.2), new("cheese", "kg", 14), new("milk", "l", 1.1), new("eggs", "piece", 0.35),
        new("honey", "kg", 16), new("wine", "l", 9), new("beer", "l", 5), new("flour", "kg", 1.5),
        new("bread", "kg", 4.5), new("meat", "kg", 15), new("fish", "kg", 18), new("walnuts", "kg", 8),
        new("chestnuts", "kg", 6), new("lentils", "kg", 5), new("hay", "kg", 0.15), new("firewood", "kg", 0.2),
        new("timber", "kg", 0.6), new("wool", "kg", 10), new("compost", "kg", 0.1), new("seeds", "kg", 20),
        new("seedlings", "piece", 1.5), new("electricity", "kWh", 0.2), new("tractor-hours", "hour", 45), new("repair", "hour", 35),
        new("childcare", "hour", 12), new("tutoring", "hour", 25), new("transport", "hour", 40), new("tools", "piece", 30),
        new("furniture", "piece", 120), new("clothing", "piece", 20), new("soap", "piece", 4), new("jam", "kg", 9),
        new("herbs", "kg", 25), new("mushrooms", "kg", 20), new("cider", "l", 4), new("oil", "l", 12),
    ];

    /// <summary>
    /// The catalog's own categories (services/Catalog/TradeNet.Catalog/Domain/CategorySeed.cs: ids, units and values, in
    /// its order), for books like those the matching service clears: 7 of 35 counted in pieces, among them solar panels
    /// at 180 and bicycles at 150 a piece.
    /// </summary>
    public static readonly IReadOnlyList<Category> CatalogCategories =
    [
        new("organic-vegetables", "kg", 2.5), new("organic-fruit", "kg", 3.0), new("potatoes", "kg", 1.2), new("apples", "kg", 2.0),
        new("eggs", "piece", 0.4), new("honey", "kg", 12), new("walnuts", "kg", 7), new("raw-milk", "l", 1.1),
        new("cheese", "kg", 18), new("butter", "kg", 11), new("yogurt", "kg", 4), new("wheat", "kg", 0.35),
        new("flour", "kg", 1.6), new("bread", "kg", 4.5), new("lentils", "kg", 3.5), new("oats", "kg", 0.5),
        new("charcuterie", "kg", 22), new("poultry", "kg", 9), new("wine", "l", 8), new("cider", "l", 3),
        new("firewood", "kg", 0.15), new("wood-pellets", "kg", 0.4), new("timber", "kg", 0.8), new("solar-electricity", "kWh", 0.2),
        new("solar-panels", "piece", 180), new("pottery", "piece", 15), new("wool", "kg", 10), new("furniture", "piece", 120),
        new("soap", "piece", 4), new("hand-tools", "piece", 25), new("bicycles", "piece", 150), new("repair-skills", "hour", 25),
        new("carpentry", "hour", 28), new("tutoring", "hour", 20), new("animal-care", "hour", 22),
    ];

    private static readonly string[] Attributes = ["organic", "local", "fresh", "certified", "fair-trade"];

    public sealed record Town(string Insee, string Name, double Lat, double Lon, int Population);

    public static IReadOnlyList<Town> LoadTowns(string csvPath)
    {
        var towns = new List<Town>();
        foreach (var line in File.ReadLines(csvPath).Skip(1))
        {
            // insee_code,name,type,parent,dep,lat,lon,population_2021,area_km2,postal_codes (names contain no commas here)
            var c = line.Split(',');
            if (c.Length < 8 || c[2] != "COM") continue;
            if (!double.TryParse(c[5], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                || !double.TryParse(c[6], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)) continue;
            _ = int.TryParse(c[7], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pop);
            towns.Add(new Town(c[0], c[1], lat, lon, Math.Max(pop, 1)));
        }
        return towns;
    }

    /// <summary>
    /// How min lots are drawn. <see cref="Packaging"/>: half the listings have one, a packaging/transport unit
    /// around 40 credits (never above 10% of the quantity). <see cref="Heavy"/>: 60% have one of 5–25% of
    /// the quantity, so big listings often cannot trade with small ones (a much harder integer problem).
    /// </summary>
    public enum MinLots { Packaging, Heavy }

    /// <param name="categories">The goods to draw from, most popular first: the generator's own by default (the
    /// recorded books), <see cref="CatalogCategories"/> for books like the service's.</param>
    public static Book Generate(IReadOnlyList<Town> allTowns, int listings, int townCount, int seed, int maxCycle = 3, MinLots minLots = MinLots.Packaging,
        IReadOnlyList<Category>? categories = null)
    {
        var goods = categories ?? Categories;
        if (townCount < 1 || townCount > allTowns.Count)
            throw new ArgumentOutOfRangeException(nameof(townCount), townCount, $"1 to the {allTowns.Count} towns of the file");
        // Every town gets at least two listings below; with fewer listings than that the trimming loop never ended.
        if (listings < 2 * townCount)
            throw new ArgumentOutOfRangeException(nameof(listings), listings, $"at least 2 per town ({townCount} towns)");
        var rng = new Random(seed);
        // Towns: weighted by √population without replacement (Efraimidis–Spirakis keys), then in INSEE order.
        var chosen = allTowns
            .Select(t => (Town: t, Key: Math.Pow(rng.NextDouble(), 1.0 / Math.Sqrt(t.Population))))
            .OrderByDescending(x => x.Key).Take(townCount).Select(x => x.Town)
            .OrderBy(t => t.Insee, StringComparer.Ordinal).ToList();
        var towns = chosen.Select(t => new Engine.Town(t.Insee, t.Name, t.Lat, t.Lon)).ToList();

        // Category popularity is skewed (food is traded more than furniture).
        var popularity = goods.Select((_, i) => 1.0 / (1 + 0.08 * i)).ToArray();
        var specialties = chosen.Select(_ => SampleDistinct(rng, popularity, 3)).ToList();

        // Listing counts per town roughly follow √population.
        var weights = chosen.Select(t => Math.Sqrt(t.Population)).ToArray();
        var totalWeight = weights.Sum();
        var counts = weights.Select(w => Math.Max(2, (int)Math.Round(listings * w / totalWeight))).ToArray();
        var diff = listings - counts.Sum();
        for (var i = 0; diff != 0; i = (i + 1) % counts.Length)
        {
            if (diff > 0) { counts[i]++; diff--; }
            else if (counts[i] > 2) { counts[i]--; diff++; }
        }

        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var result = new List<Listing>(listings);
        for (var t = 0; t < towns.Count; t++)
        {
            for (var j = 0; j < counts[t]; j++)
            {
                var isOffer = rng.NextDouble() < 0.5;
                int cat;
                if (isOffer) cat = specialties[t][rng.Next(specialties[t].Length)];
                else do cat = Sample(rng, popularity); while (specialties[t].Contains(cat));
                var category = goods[cat];
                // Listing value lognormal around 400 credits (σ = 1): small households to farms.
                var value = Math.Exp(Math.Log(400) + Normal(rng));
                var quantity = Math.Max(1, Math.Round(value / category.Value));
                var minLot = minLots == MinLots.Heavy
                    ? (rng.NextDouble() < 0.6 ? Math.Max(1, Math.Round(quantity * (0.05 + 0.2 * rng.NextDouble()))) : 0)
                    : (rng.NextDouble() < 0.5 ? Math.Max(1, Math.Round(Math.Min(0.1 * quantity, Math.Exp(Math.Log(40) + 0.5 * Normal(rng)) / category.Value))) : 0);
                DateTimeOffset? from = null, until = null;
                if (rng.NextDouble() < 0.3)
                {
                    from = start.AddDays(rng.Next(0, 45));
                    until = from.Value.AddDays(rng.Next(7, 60));
                }
                var id = $"{towns[t].Id}-{j}";
                if (isOffer)
                {
                    var attrs = Attributes.Where(_ => rng.NextDouble() < 0.3).ToList();
                    result.Add(new Listing(id, towns[t].Id, ListingKind.Offer, category.Id, quantity, minLot,
                        Attributes: attrs.Count > 0 ? attrs : null, AvailableFrom: from, AvailableUntil: until));
                }
                else
                {
                    var req = Attributes.Where(_ => rng.NextDouble() < 0.08).ToList();
                    // Most needs accept goods from 25–150 km by road; a few from anywhere.
                    double? maxKm = rng.NextDouble() < 0.05 ? null : Math.Round(Math.Exp(Math.Log(60) + 0.45 * Normal(rng)));
                    result.Add(new Listing(id, towns[t].Id, ListingKind.Need, category.Id, quantity, minLot,
                        Requires: req.Count > 0 ? req : null, MaxDistanceKm: maxKm, AvailableFrom: from, AvailableUntil: until));
                }
            }
        }
        var used = result.Select(l => l.Category).ToHashSet();
        return new Book(goods.Where(c => used.Contains(c.Id)).ToList(), towns, result, new Settings(maxCycle, 1.3));
    }

    /// <summary>
    /// The book with <paramref name="donors"/> towns, evenly spread over the town list, made donors (their needs
    /// dropped: they give only) and chains of up to <paramref name="chainCap"/> legs allowed.
    /// </summary>
    public static Book WithDonors(Book book, int donors, int chainCap = 3)
    {
        if (donors <= 0) return book;
        var step = Math.Max(1, book.Towns.Count / donors);
        var chosen = book.Towns.Where((_, i) => i % step == 0).Take(donors).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        return book with
        {
            Towns = book.Towns.Select(t => t with { Donor = chosen.Contains(t.Id) }).ToList(),
            Listings = book.Listings.Where(l => l.Kind == ListingKind.Offer || !chosen.Contains(l.Town)).ToList(),
            Settings = (book.Settings ?? new Settings()) with { MaxChainLength = chainCap },
        };
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static int Sample(Random rng, double[] w)
    {
        var x = rng.NextDouble() * w.Sum();
        for (var i = 0; i < w.Length; i++) { x -= w[i]; if (x < 0) return i; }
        return w.Length - 1;
    }

    private static int[] SampleDistinct(Random rng, double[] w, int n)
    {
        var picked = new List<int>();
        while (picked.Count < n) { var i = Sample(rng, w); if (!picked.Contains(i)) picked.Add(i); }
        return picked.ToArray();
    }
}
