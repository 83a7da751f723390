using System.Net;
using System.Text.Json;
using TradeNet.Shared.Data;
using TradeNet.Shared.Hosting;

namespace TradeNet.Load.Benchmarks;

/// <summary>A category as the catalog lists it.</summary>
public sealed record Category(string Id, string Unit, double ValuePerUnit, double WeightPerUnit)
{
    public static Category Of(JsonElement c) => new(c.GetProperty("id").GetString()!, c.GetProperty("unit").GetString()!,
        c.GetProperty("valuePerUnit").GetDouble(), c.GetProperty("weightPerUnit").GetDouble());

    public bool Pieces => Unit.Equals("piece", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A registered town and what the benchmark knows of it. One worker acts for a town at a time (as one
/// client would), so its lists need no lock.</summary>
public sealed class Town(KnownTown place, string id, string key, Category[] specialties, HttpClient http, Pacer pacer)
{
    public Pacer Pacer => pacer;
    public KnownTown Place => place;
    public string Id => id;
    public string Key => key;
    public Category[] Specialties => specialties;
    public HttpClient Http => http;
    public List<string> Listings { get; } = [];
    public List<string> Trades { get; } = [];
    public bool WantsVehicle { get; set; }
    public bool HasVehicle { get; set; }
    public int Published { get; set; }
}

/// <summary>Real communes (the towns file the services ship, as the standalone host's demo seed reads it) and
/// listings drawn the way the matching benchmark's <c>BookGenerator</c> draws them.</summary>
public static class Towns
{
    /// <summary>Communes within <paramref name="radiusKm"/> of Lyon with at least 1,000 inhabitants, drawn by
    /// √population without replacement (Efraimidis–Spirakis), so big towns are likely and small ones appear too.</summary>
    public static IReadOnlyList<KnownTown> Choose(int count, double radiusKm, Random rng)
    {
        var lyon = TownDirectory.Find("69123")!;
        var candidates = TownDirectory.All
            .Where(t => t.Population >= 1000 && !t.Name.Contains("Arrondissement", StringComparison.Ordinal))
            .Where(t => Geo.HaversineKm(lyon.Lat, lyon.Lon, t.Lat, t.Lon) <= radiusKm)
            .ToList();
        if (candidates.Count < count)
            throw new ArgumentException($"only {candidates.Count} communes of 1,000 or more lie within {radiusKm} km of Lyon; raise --radius-km");
        return candidates.Select(t => (Town: t, Key: Math.Pow(rng.NextDouble(), 1.0 / Math.Sqrt(t.Population))))
            .OrderByDescending(x => x.Key).Take(count).Select(x => x.Town).ToList();
    }

    /// <summary>Towns 2… connect from 127.0.x.y when the gateway is on loopback (x.y from the town's index).</summary>
    public static IPAddress? LocalAddress(Uri gateway, int index) =>
        IPAddress.TryParse(gateway.Host, out var host) && IPAddress.IsLoopback(host) && host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? new IPAddress([127, 0, (byte)(1 + index / 250), (byte)(2 + index % 250)])
            : null;

    /// <summary>An offer of one of the town's specialties or a need for something else, worth about 400 credits
    /// (lognormal), half with a min lot; needs mostly accept goods from 25–150 km.</summary>
    public static object NewListing(Town town, IReadOnlyList<Category> categories, Random rng)
    {
        var offer = rng.NextDouble() < 0.5;
        var category = offer ? town.Specialties[rng.Next(town.Specialties.Length)] : Need(town, categories, rng);
        var value = Math.Clamp(Math.Exp(Math.Log(400) + Normal(rng)), 40, 8000);
        var quantity = Units(category, value / category.ValuePerUnit);
        double? minLot = rng.NextDouble() < 0.5 ? Math.Min(quantity, Units(category, Math.Min(0.1 * value, 40) / category.ValuePerUnit)) : null;
        if (offer)
            return new { kind = "offer", category = category.Id, quantity, minLot, attributes = rng.NextDouble() < 0.3 ? new[] { "organic" } : null };
        double? maxKm = rng.NextDouble() < 0.1 ? null : Math.Round(Math.Clamp(Math.Exp(Math.Log(70) + 0.45 * Normal(rng)), 25, 200));
        return new { kind = "need", category = category.Id, quantity, minLot, maxDistanceKm = maxKm, requires = rng.NextDouble() < 0.05 ? new[] { "organic" } : null };
    }

    /// <summary>Three specialties per town, popular categories more often (food is traded more than furniture).</summary>
    public static Category[] Specialties(IReadOnlyList<Category> categories, Random rng)
    {
        var picked = new List<Category>();
        while (picked.Count < 3) { var c = Popular(categories, rng); if (!picked.Contains(c)) picked.Add(c); }
        return [.. picked];
    }

    private static Category Need(Town town, IReadOnlyList<Category> categories, Random rng)
    {
        while (true) { var c = Popular(categories, rng); if (!town.Specialties.Contains(c)) return c; }
    }

    private static Category Popular(IReadOnlyList<Category> categories, Random rng)
    {
        // Weight 1 / (1 + 0.08 i) over the catalog's order, as BookGenerator does.
        var total = categories.Select((_, i) => 1.0 / (1 + 0.08 * i)).Sum();
        var x = rng.NextDouble() * total;
        for (var i = 0; i < categories.Count; i++) { x -= 1.0 / (1 + 0.08 * i); if (x < 0) return categories[i]; }
        return categories[^1];
    }

    // Pieces change hands whole (catalog refuses a fraction of one).
    private static double Units(Category c, double quantity) => Math.Max(1, c.Pieces ? Math.Round(quantity) : Math.Round(quantity, 1));

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
