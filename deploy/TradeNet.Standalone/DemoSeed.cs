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

    /// <summary>The seed's <c>Idempotency-Key</c>s, written before its first request, again with each town registered (its
    /// id: the next start tells the seed's towns from others by them), and deleted after the keys file: a seed cut short (a
    /// stop, a crash, a failed request) is finished by the next start, the same requests with the same keys getting the
    /// towns, their API keys and the listings already made back. Before it, a seed cut short left towns
    /// whose keys were nowhere, and the next start, finding towns, seeded nothing.</summary>
    public static string PlanFile(StandaloneOptions options) => Path.Combine(Path.GetFullPath(options.DataDir), "demo-seed.json");

    /// <summary>How long a cut-short seed can be finished: the catalog answers a registration's key again for
    /// <paramref name="registrationKeyLifetime"/> (Catalog:RegistrationKeyLifetime, a day unless set), after which the same
    /// request registers new towns. The catalog's own setting, not a fixed 23 h: set to an hour, a seed finished the next
    /// morning registered the demo towns a second time. A 24th short of it (23 h of a day) for the seed's own requests.</summary>
    public static TimeSpan FinishableFor(TimeSpan registrationKeyLifetime) => registrationKeyLifetime - registrationKeyLifetime / 24;

    public static async Task RunAsync(Uri edge, StandaloneOptions options, TimeSpan registrationKeyLifetime, ILogger logger,
        CancellationToken stopping)
    {
        var keysFile = KeysFile(options);
        var planFile = PlanFile(options);
        if (File.Exists(keysFile))
        {
            File.Delete(planFile); // a stop between the keys file and the plan's deletion
            return;
        }
        using var http = new HttpClient { BaseAddress = edge, Timeout = TimeSpan.FromSeconds(30) };
        var plan = await DemoSeedFiles.SeedPlan.ReadAsync(planFile, stopping);
        if (plan is { IsWhole: false })
        {
            // Not written by this code whole (a power cut before the rename reached the disk leaves it empty, say): its keys
            // are gone, so it is as if there were none, and the check for an empty network below decides. It threw before,
            // and the host aborted (134) at every start.
            logger.LogWarning("The demo seed's plan {PlanFile} is unreadable and ignored (a new seed writes over it): the demo towns are seeded only if the network is empty", planFile);
            plan = null;
        }
        if (plan is not null && !await OnlySeededTownsAsync(http, plan, stopping))
        {
            // A plan left by a seed cut short, and .db files copied in since (a restore: "Backups and restore" in
            // docs/operations.md): the catalog there knows none of the plan's keys, so finishing would add five towns to it.
            logger.LogWarning("The demo seed cut short at {StartedAt} is not finished: the network in {DataDir} has towns it did not " +
                "register (a restored backup?), and the seed fills only an empty one; delete {PlanFile} to stop this warning",
                plan.StartedAt, Path.GetFullPath(options.DataDir), planFile);
            return;
        }
        if (plan is null)
        {
            // Only an empty network is seeded. The keys file alone does not say so: a backup holds no demo-keys.json, and a
            // host started on one (the restore in docs/operations.md) would otherwise add five towns and ten listings to it.
            if ((await http.GetFromJsonAsync<JsonElement>("/api/catalog/towns?limit=1", stopping)).GetArrayLength() > 0)
            {
                logger.LogInformation("Demo towns not seeded: the network in {DataDir} already has towns (the seed fills only an empty one)",
                    Path.GetFullPath(options.DataDir));
                return;
            }
            plan = DemoSeedFiles.SeedPlan.New();
            await DemoSeedFiles.WritePrivateAsync(planFile, plan, stopping);
        }
        else if (DateTimeOffset.UtcNow - plan.StartedAt > FinishableFor(registrationKeyLifetime))
        {
            logger.LogWarning("A demo seed started at {StartedAt} was cut short, too long ago to finish: the API keys of the demo " +
                "towns it registered cannot be read again. Rotate them with the operator key (POST /api/catalog/towns/{{id}}/api-key), " +
                "or start on an empty data folder for a new seed; delete {PlanFile} to stop this warning", plan.StartedAt, planFile);
            return;
        }
        else logger.LogInformation("Finishing the demo seed started at {StartedAt} and cut short", plan.StartedAt);

        var categories = (await http.GetFromJsonAsync<JsonElement>("/api/catalog/categories", stopping)).EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetString()!, Value: c.GetProperty("valuePerUnit").GetDouble())).ToList();

        var keys = new Dictionary<string, string>();
        var towns = NearRoanne(5);
        for (var i = 0; i < towns.Count; i++)
        {
            var town = towns[i];
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/towns")
            {
                Content = JsonContent.Create(new
                {
                    name = town.Name, inseeCode = town.InseeCode, lat = town.Lat, lon = town.Lon, specialties = new[] { Specialties[i % Specialties.Length] },
                }),
            };
            request.Headers.Add(IdempotencyKeys.Header, plan.Towns[i]);
            using var response = await http.SendAsync(request, stopping);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(stopping);
            keys[body.GetProperty("town").GetProperty("id").GetString()!] = body.GetProperty("apiKey").GetString()!;
            // Recorded before the next registration: the next start tells the seed's towns from a restored network's by it.
            if (plan.Registered is not { } recorded || recorded.Length < keys.Count)
                await DemoSeedFiles.WritePrivateAsync(planFile, plan = plan with { Registered = [.. keys.Keys] }, CancellationToken.None);
        }
        var ids = keys.Keys.ToList();
        var listings = new Queue<string>(plan.Listings);
        // A swap between the first two towns, and a cycle through the next three (no pair among them fits).
        await List(http, keys, listings, ids[0], ids[1], categories[0], 1200, stopping);
        await List(http, keys, listings, ids[1], ids[0], categories[1], 1200, stopping);
        await List(http, keys, listings, ids[2], ids[3], categories[2], 900, stopping);
        await List(http, keys, listings, ids[3], ids[4], categories[3], 900, stopping);
        await List(http, keys, listings, ids[4], ids[2], categories[4], 900, stopping);

        await DemoSeedFiles.WritePrivateAsync(keysFile, new
        {
            attribution = TownDirectory.Attribution,
            towns = ids.Select((id, i) => new { id, name = towns[i].Name, apiKey = keys[id] }),
        }, CancellationToken.None);
        File.Delete(planFile);
        logger.LogInformation("Seeded {Towns} demo towns around Roanne", ids.Count);
    }

    /// <summary>Whether the network holds only what the seed may have registered: the towns the plan records, and at most one
    /// more while a registration is left (one whose answer a stop or a crash lost before the plan recorded it). The plan is
    /// written only on an empty network, so any other town came with .db files copied in since (a restored backup).</summary>
    private static async Task<bool> OnlySeededTownsAsync(HttpClient http, DemoSeedFiles.SeedPlan plan, CancellationToken stopping)
    {
        var registered = plan.Registered ?? [];
        var unknown = (await http.GetFromJsonAsync<JsonElement>($"/api/catalog/towns?limit={plan.Towns.Length + 2}", stopping))
            .EnumerateArray().Select(t => t.GetProperty("id").GetString()).Count(id => !registered.Contains(id));
        return unknown <= (registered.Length < plan.Towns.Length ? 1 : 0);
    }

    /// <summary>Roanne and its nearest towns of some size.</summary>
    private static List<KnownTown> NearRoanne(int count)
    {
        var roanne = TownDirectory.Find(Roanne)!;
        return TownDirectory.All.Where(t => t.Population >= 2000)
            .OrderBy(t => Geo.HaversineKm(roanne.Lat, roanne.Lon, t.Lat, t.Lon)).Take(count).ToList();
    }

    /// <summary>Giver offers the category; receiver needs it, worth about <paramref name="credits"/>.</summary>
    private static async Task List(HttpClient http, Dictionary<string, string> keys, Queue<string> requestKeys, string giver, string receiver,
        (string Id, double Value) category, double credits, CancellationToken stopping)
    {
        var quantity = Math.Round(credits / category.Value);
        await Post(http, keys[giver], requestKeys.Dequeue(), new { kind = "offer", category = category.Id, quantity = quantity * 2, minLot = 1, attributes = new[] { "local" } }, stopping);
        await Post(http, keys[receiver], requestKeys.Dequeue(), new { kind = "need", category = category.Id, quantity, minLot = 1, maxDistanceKm = 60 }, stopping);
    }

    private static async Task Post(HttpClient http, string key, string requestKey, object listing, CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/listings") { Content = JsonContent.Create(listing) };
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Add(IdempotencyKeys.Header, requestKey);
        using var response = await http.SendAsync(request, stopping);
        response.EnsureSuccessStatusCode();
    }
}
