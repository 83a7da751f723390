using System.Net;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>An allowed read's answer as the checks see it: who asked (the town its key is, null for an operator), the
/// target, the body and its paging Link.</summary>
public sealed record ReadAnswer(Caller Caller, string? Town, AccessTarget Target, string Body, string? Link)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public bool IsOperator => Caller == Caller.Operator;
}

/// <summary>A GET route's targets in the world (a list is read filtered and in short pages too) and what an allowed
/// answer may show, as problems found (none: fine).</summary>
public sealed record ReadScene(Func<AccessWorld, Task<AccessTarget[]>> Targets, Func<ReadAnswer, IEnumerable<string>>? Check = null);

/// <summary>The read targets, set up in <see cref="ReadWorld"/>; the checks are the docs' promises of what each reader sees.</summary>
public static class ReadScenes
{
    public static IReadOnlyDictionary<string, ReadScene> All { get; } = new Dictionary<string, ReadScene>
    {
        // The list in short pages and narrowed to suspended towns: the reason is an operator's note.
        ["GET /api/catalog/towns"] = new(w => Of(w, "/api/catalog/towns?limit=2", "/api/catalog/towns?status=suspended",
            $"/api/catalog/towns?limit=2&after={w.A.Id}&afterName=A&asOf=0"), SuspensionOnlyForOperators),
        ["GET /api/catalog/towns/{id}"] = new(w => Of(w, $"/api/catalog/towns/{w.S.Id}", $"/api/catalog/towns/{w.A.Id}"), SuspensionOnlyForOperators),
        ["GET /api/catalog/categories"] = new(w => Of(w, "/api/catalog/categories")),
        ["GET /api/catalog/listings"] = new(w => Of(w, "/api/catalog/listings?limit=2", $"/api/catalog/listings?town={w.A.Id}")),
        ["GET /api/catalog/listings/{id}"] = new(async w => [Target(w, $"/api/catalog/listings/{await w.ListingOfA(9)}")]),
        ["GET /api/matching/rounds"] = new(w => Of(w, "/api/matching/rounds?limit=2")),
        ["GET /api/matching/rounds/{id}"] = new(async w =>
            [Target(w, $"/api/matching/rounds/{(await w.Ops.Get("/api/matching/rounds?limit=1"))[0].GetProperty("id").GetString()}")]),
        ["GET /api/matching/book"] = new(w => Of(w, "/api/matching/book?limit=2")),
        // Owner A, party B (their trade), outsider O (none): `town=A` narrows, never widens, and pages show only one's own.
        ["GET /api/matching/trades"] = new(w => Of(w, $"/api/matching/trades?town={w.A.Id}&limit=1000", "/api/matching/trades?limit=1",
                $"/api/matching/trades?limit=1&after={w.TradeAB}&afterCreated={DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds()}"),
            a => Items(a).Where(t => a.Town is not null && !t.GetProperty("legs").EnumerateArray()
                    .Any(l => l.GetProperty("fromTown").GetString() == a.Town || l.GetProperty("toTown").GetString() == a.Town))
                .Select(t => $"shows trade {Id(t)}, which has no leg of {a.Town}")),
        ["GET /api/matching/trades/{id}"] = new(w => Of(w, $"/api/matching/trades/{w.TradeAB}")),
        // Matching learns of the listing from catalog's event: read it only once it has reached the book (else 404 for all).
        ["GET /api/matching/listings/{id}/counterparts"] = new(async w => [Target(w, await InMatchingsBook(w, await w.ListingOfA(9)))]),
        // A's van and a second vehicle of A's: a page of one leaves a Link to the caller's own vehicle only.
        ["GET /api/logistics/vehicles"] = new(w => Of(w, "/api/logistics/vehicles?limit=1", "/api/logistics/vehicles",
                $"/api/logistics/vehicles?limit=1&after={w.VanOfA}&afterHome=0"),
            a => Items(a).Where(v => a.Town is not null && v.GetProperty("homeTown").GetString() != a.Town)
                .Select(v => $"shows vehicle {Id(v)} of {v.GetProperty("homeTown").GetString()}")),
        ["GET /api/logistics/vehicles/{id}"] = new(w => Of(w, $"/api/logistics/vehicles/{w.VanOfA}")),
        ["GET /api/logistics/vehicles/{id}/next-run"] = new(w => Of(w, $"/api/logistics/vehicles/{w.VanOfA}/next-run")),
        // The van's route, A the carrier; C, whose goods ride it, is the party (404 as any other town).
        ["GET /api/logistics/routes/{id}"] = new(async w => [await Route(w, "")]),
        ["GET /api/logistics/routes/{id}/sheet.csv"] = new(async w => [await Route(w, "/sheet.csv")]),
        ["GET /api/logistics/routes/{id}/sheet.html"] = new(async w => [await Route(w, "/sheet.html")]),
        // Each town only the shipments it sends, receives or carries; a handover code only for the receiving town.
        ["GET /api/logistics/shipments"] = new(w => Of(w, "/api/logistics/shipments?limit=1", $"/api/logistics/shipments?trade={w.TradeAB}"),
            a => Items(a).SelectMany(s => ShipmentProblems(a, s))),
        // A→B (A carries and sends, B receives) and B→A (A carries and receives, B sends).
        ["GET /api/logistics/shipments/{id}"] = new(async w => (await w.Shipments(w.TradeAB))
            .Select(s => Target(w, $"/api/logistics/shipments/{Id(s)}")).ToArray(), a => ShipmentProblems(a, a.Json)),
        ["GET /api/logistics/trades/{tradeId}/cost"] = new(w => Of(w, $"/api/logistics/trades/{w.TradeAB}/cost")),
        ["GET /api/logistics/trades/{tradeId}/transfers"] = new(w => Of(w, $"/api/logistics/trades/{w.TradeAB}/transfers")),
        ["GET /api/logistics/transfers"] = new(w => Of(w, "/api/logistics/transfers?status=planned&limit=1")),
        ["GET /api/catalog/backups"] = new(w => Of(w, "/api/catalog/backups")),
        ["GET /api/matching/backups"] = new(w => Of(w, "/api/matching/backups")),
        ["GET /api/logistics/backups"] = new(w => Of(w, "/api/logistics/backups")),
    };

    private static IEnumerable<string> SuspensionOnlyForOperators(ReadAnswer a)
    {
        foreach (var town in Items(a))
        {
            var reason = town.TryGetProperty("suspensionReason", out var r) ? r.GetString() : null;
            if (!a.IsOperator && reason is not null) yield return $"shows town {Id(town)}'s suspension reason '{reason}'";
            // Every suspension has a reason (1–500 characters), so an operator must see one on every suspended town.
            if (a.IsOperator && town.GetProperty("status").GetString() == "suspended" && string.IsNullOrEmpty(reason))
                yield return $"hides town {Id(town)}'s suspension reason from an operator";
        }
    }

    private static IEnumerable<string> ShipmentProblems(ReadAnswer a, JsonElement s)
    {
        string? Town(string name) => s.GetProperty(name).GetString();
        if (a.Town is not null && a.Town != Town("fromTown") && a.Town != Town("toTown") && a.Town != Town("carrierTown"))
            yield return $"shows shipment {Id(s)}, not sent, received or carried by {a.Town}";
        var code = s.TryGetProperty("handoverCode", out var c) ? c.GetString() : null;
        var receiver = a.IsOperator || a.Town == Town("toTown");
        if (code is not null && !receiver) yield return $"shows shipment {Id(s)}'s handover code to {a.Town}, not its receiving town";
        if (code is null && receiver && s.GetProperty("status").GetString() is "planned" or "pickedUp")
            yield return $"hides shipment {Id(s)}'s handover code from {(a.IsOperator ? "an operator" : $"its receiving town {a.Town}")}";
    }

    /// <summary>The items of a list (an array) or the one item an answer is.</summary>
    public static IEnumerable<JsonElement> Items(ReadAnswer a) =>
        a.Json is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().ToList() : [a.Json];

    private static string? Id(JsonElement e) => e.TryGetProperty("id", out var id) ? id.ToString() : null;

    private static AccessTarget Target(AccessWorld w, string path) => new(path, w.A, w.B);

    private static Task<AccessTarget[]> Of(AccessWorld w, params string[] paths) => Task.FromResult(paths.Select(p => Target(w, p)).ToArray());

    private static async Task<string> InMatchingsBook(AccessWorld w, string listing)
    {
        var path = $"/api/matching/listings/{listing}/counterparts";
        await Eventually.Until(() => w.Ops.Send(HttpMethod.Get, path), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30),
            $"listing {listing} reaches matching's book");
        return path;
    }

    private static async Task<AccessTarget> Route(AccessWorld w, string sheet)
    {
        var route = (await w.Shipments(w.TradeAC))[0].GetProperty("routeId").GetString();
        return new AccessTarget($"/api/logistics/routes/{route}{sheet}", w.A, w.C);
    }
}
