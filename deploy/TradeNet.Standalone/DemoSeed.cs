using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Shared.Data;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;

namespace TradeNet.Standalone;

/// <summary>
/// Fills an empty network with real towns around Roanne and listings that match as a swap and as a
/// three-town cycle. It goes through the public API, exactly as towns would, and keeps the towns' API
/// keys in the data folder so a person can act as them.
/// </summary>
public static class DemoSeed
{
    private const string Roanne = "42187";
    private static readonly string[] Specialties = ["cheese", "organic vegetables", "firewood", "pottery", "honey", "repairs", "grain", "wool"];

    /// <summary>Where the seeded towns' API keys are written (only when this host seeded them).</summary>
    public static string KeysFile(StandaloneOptions options) => Path.Combine(Path.GetFullPath(options.DataDir), "demo-keys.json");

    public static async Task RunAsync(Uri edge, StandaloneOptions options, ILogger logger)
    {
        var keysFile = KeysFile(options);
        if (File.Exists(keysFile)) return;
        using var http = new HttpClient { BaseAddress = edge, Timeout = TimeSpan.FromSeconds(30) };
        // Only an empty network is seeded. The keys file alone does not say so: a backup holds no demo-keys.json, and a
        // host started on one (the restore in docs/operations.md) would otherwise add five towns and ten listings to it.
        if ((await http.GetFromJsonAsync<JsonElement>("/api/catalog/towns?limit=1")).GetArrayLength() > 0)
        {
            logger.LogInformation("Demo towns not seeded: the network in {DataDir} already has towns (the seed fills only an empty one)",
                Path.GetFullPath(options.DataDir));
            return;
        }
        var categories = (await http.GetFromJsonAsync<JsonElement>("/api/catalog/categories")).EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetString()!, Value: c.GetProperty("valuePerUnit").GetDouble())).ToList();

        var keys = new Dictionary<string, string>();
        var towns = NearRoanne(5);
        for (var i = 0; i < towns.Count; i++)
        {
            var town = towns[i];
            var response = await http.PostAsJsonAsync("/api/catalog/towns", new
            {
                name = town.Name, inseeCode = town.InseeCode, lat = town.Lat, lon = town.Lon, specialties = new[] { Specialties[i % Specialties.Length] },
            });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            keys[body.GetProperty("town").GetProperty("id").GetString()!] = body.GetProperty("apiKey").GetString()!;
        }
        var ids = keys.Keys.ToList();
        // A swap between the first two towns, and a cycle through the next three (no pair among them fits).
        await List(http, keys, ids[0], ids[1], categories[0], 1200);
        await List(http, keys, ids[1], ids[0], categories[1], 1200);
        await List(http, keys, ids[2], ids[3], categories[2], 900);
        await List(http, keys, ids[3], ids[4], categories[3], 900);
        await List(http, keys, ids[4], ids[2], categories[4], 900);

        PrivateDirectory.Create(options.DataDir);
        // The keys act as those towns: readable by the user who started the host only (Unix; elsewhere the folder's rights).
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(keysFile, file);
        await JsonSerializer.SerializeAsync(stream, new
        {
            attribution = TownDirectory.Attribution,
            towns = ids.Select((id, i) => new { id, name = towns[i].Name, apiKey = keys[id] }),
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        logger.LogInformation("Seeded {Towns} demo towns around Roanne", ids.Count);
    }

    /// <summary>Roanne and its nearest towns of some size.</summary>
    private static List<KnownTown> NearRoanne(int count)
    {
        var roanne = TownDirectory.Find(Roanne)!;
        return TownDirectory.All.Where(t => t.Population >= 2000)
            .OrderBy(t => Geo.HaversineKm(roanne.Lat, roanne.Lon, t.Lat, t.Lon)).Take(count).ToList();
    }

    /// <summary>Giver offers the category; receiver needs it, worth about <paramref name="credits"/>.</summary>
    private static async Task List(HttpClient http, Dictionary<string, string> keys, string giver, string receiver,
        (string Id, double Value) category, double credits)
    {
        var quantity = Math.Round(credits / category.Value);
        await Post(http, keys[giver], new { kind = "offer", category = category.Id, quantity = quantity * 2, minLot = 1, attributes = new[] { "local" } });
        await Post(http, keys[receiver], new { kind = "need", category = category.Id, quantity, minLot = 1, maxDistanceKm = 60 });
    }

    private static async Task Post(HttpClient http, string key, object listing)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/listings") { Content = JsonContent.Create(listing) };
        request.Headers.Add("X-Api-Key", key);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }
}
