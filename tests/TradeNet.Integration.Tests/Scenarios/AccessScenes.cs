using System.Net;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>One route's target in the world: the concrete path, whose it is, a valid body (so only authorization can
/// refuse the call), what an operator reads of it, and what an allowed answer must show.</summary>
public sealed record AccessTarget(string Path, TradeFlow.Town? Owner, TradeFlow.Town? Party)
{
    public Func<Caller, object?> Body { get; init; } = _ => null;

    /// <summary>Headers every caller sends alike (an Idempotency-Key: one town's must never replay another's answer).</summary>
    public (string Name, string Value)[] Headers { get; init; } = [];

    /// <summary>The target as an operator reads it, before and after each refused call.</summary>
    public Func<Task<string>> Probe { get; init; } = () => Task.FromResult("");

    /// <summary>Checks an allowed answer (given the town the caller's key is, null for none or an operator) and keeps the
    /// world up to date with it (a rotated key).</summary>
    public Func<Caller, string?, JsonElement, Task> Allowed { get; init; } = (_, _, _) => Task.CompletedTask;
}

/// <summary>How a route's target is set up. With <see cref="TargetPerAllowedCaller"/> each allowed caller after the
/// first gets a target of its own (a withdrawn vehicle cannot be withdrawn again by the next).</summary>
public sealed record AccessScene(Func<AccessWorld, int, Task<AccessTarget>> Prepare, bool TargetPerAllowedCaller = false);

public static class AccessScenes
{
    public static IReadOnlyDictionary<string, AccessScene> All { get; } = new Dictionary<string, AccessScene>
    {
        ["POST /api/catalog/towns"] = new((w, _) => Task.FromResult(new AccessTarget("/api/catalog/towns", w.A, w.B)
        {
            Body = caller => new { name = $"Newcomer {caller}", lat = 46.06, lon = 4.0, specialties = Array.Empty<string>() },
        })),
        ["PUT /api/catalog/towns/{id}"] = new((w, _) => Task.FromResult(new AccessTarget($"/api/catalog/towns/{w.A.Id}", w.A, w.B)
        {
            Body = _ => new { name = "Roanne", lat = 46.0443, lon = 4.07974, specialties = new[] { "cheese", "matrix" } },
            Probe = () => Read(w, $"/api/catalog/towns/{w.A.Id}"),
            Allowed = (_, _, town) => Check(town.GetProperty("specialties").EnumerateArray().Any(s => s.GetString() == "matrix"), "the town's new specialties"),
        })),
        ["POST /api/catalog/towns/{id}/api-key"] = new((w, _) => Task.FromResult(new AccessTarget($"/api/catalog/towns/{w.A.Id}/api-key", w.A, w.B)
        {
            Probe = () => Read(w, $"/api/catalog/towns/{w.A.Id}"),
            Allowed = (_, _, rotation) =>
            {
                w.Rekey(w.A, rotation.GetProperty("apiKey").GetString()!);
                return Task.CompletedTask;
            },
        })),
        ["POST /api/catalog/listings"] = new((w, _) => Task.FromResult(new AccessTarget("/api/catalog/listings", w.A, w.B)
        {
            Body = _ => new { kind = "offer", category = w.Category(8), quantity = 20, minLot = 1 },
            Headers = [("Idempotency-Key", "access-matrix-listing-0001")],
            // The listing is the key's town's, whatever identity headers said, and the owner's key replays nobody else's.
            Allowed = (_, keyTown, listing) => Check(listing.GetProperty("townId").GetString() == keyTown, $"the listing published for {keyTown}"),
        })),
        ["PUT /api/catalog/listings/{id}"] = new(async (w, _) =>
        {
            var id = await w.ListingOfA(9);
            return new AccessTarget($"/api/catalog/listings/{id}", w.A, w.B)
            {
                Body = _ => new { quantity = 50 },
                Probe = () => Read(w, $"/api/catalog/listings/{id}"),
                Allowed = (_, _, listing) => Check(listing.GetProperty("quantity").GetDouble() == 50, "the quantity changed"),
            };
        }),
        ["DELETE /api/catalog/listings/{id}"] = new(async (w, _) =>
        {
            var id = await w.ListingOfA(9);
            return new AccessTarget($"/api/catalog/listings/{id}", w.A, w.B)
            {
                Probe = () => Read(w, $"/api/catalog/listings/{id}"),
                Allowed = (_, _, listing) => Check(listing.GetProperty("status").GetString() == "withdrawn", "the listing withdrawn"),
            };
        }, TargetPerAllowedCaller: true),
        ["POST /api/catalog/backups"] = new((w, _) => Task.FromResult(Backup(w, "catalog"))),
        ["POST /api/matching/backups"] = new((w, _) => Task.FromResult(Backup(w, "matching"))),
        ["POST /api/logistics/backups"] = new((w, _) => Task.FromResult(Backup(w, "logistics"))),
        ["DELETE /api/catalog/backups/{id}"] = new((w, _) => TakenBackup(w, "catalog")),
        ["DELETE /api/matching/backups/{id}"] = new((w, _) => TakenBackup(w, "matching")),
        ["DELETE /api/logistics/backups/{id}"] = new((w, _) => TakenBackup(w, "logistics")),
        ["POST /api/matching/rounds"] = new((w, _) => Task.FromResult(new AccessTarget("/api/matching/rounds", w.A, w.B))),
        ["POST /api/matching/trades/{id}/accept"] = new((w, _) => Task.FromResult(Answer(w, w.Proposals["accept"], "accept"))),
        ["POST /api/matching/trades/{id}/reject"] = new((w, n) =>
            Task.FromResult(Answer(w, w.Proposals[n == 0 ? "reject-owner" : "reject-party"], "reject")), TargetPerAllowedCaller: true),
        ["POST /api/matching/trades/{id}/legs/{index}/accept"] = new((w, _) =>
            Task.FromResult(Answer(w, w.Proposals["leg-accept"], $"legs/{w.Proposals["leg-accept"].OwnerLeg}/accept"))),
        ["POST /api/matching/trades/{id}/legs/{index}/reject"] = new((w, _) =>
            Task.FromResult(Answer(w, w.Proposals["leg-reject"], $"legs/{w.Proposals["leg-reject"].OwnerLeg}/reject"))),
        ["POST /api/matching/trades/{id}/cancel"] = new((w, _) => Task.FromResult(Answer(w, w.Proposals["cancel"], "cancel") with
        {
            Body = _ => new { reason = "access matrix: cancelled by an operator" },
            Allowed = (_, _, trade) => Check(trade.GetProperty("status").GetString() == "cancelled", "the trade cancelled"),
        })),
        ["POST /api/logistics/vehicles"] = new((w, _) => Task.FromResult(new AccessTarget("/api/logistics/vehicles", w.A, w.B)
        {
            Body = caller => w.Van(caller == Caller.Operator ? w.A.Id : null),
            Headers = [("Idempotency-Key", "access-matrix-vehicle-0001")],
            // The vehicle is the key's town's (the operator's names A), whatever identity headers said, and the owner's
            // Idempotency-Key replays its vehicle to nobody else.
            Allowed = (caller, keyTown, vehicle) =>
                Check(vehicle.GetProperty("homeTown").GetString() == (keyTown ?? w.A.Id), $"the vehicle registered for {keyTown ?? w.A.Id}"),
        })),
        ["PUT /api/logistics/vehicles/{id}"] = new(async (w, _) =>
        {
            var id = await w.VehicleOfA();
            return new AccessTarget($"/api/logistics/vehicles/{id}", w.A, w.B)
            {
                Body = _ => w.Van(null, costPerKm: 0.9),
                Probe = () => Read(w, $"/api/logistics/vehicles/{id}"),
                Allowed = (_, _, vehicle) => Check(vehicle.GetProperty("costPerKm").GetDouble() == 0.9, "the vehicle changed"),
            };
        }),
        ["DELETE /api/logistics/vehicles/{id}"] = new(async (w, _) =>
        {
            var id = await w.VehicleOfA();
            return new AccessTarget($"/api/logistics/vehicles/{id}", w.A, w.B) { Probe = () => Read(w, $"/api/logistics/vehicles/{id}") };
        }, TargetPerAllowedCaller: true),
        ["POST /api/logistics/routes/{id}/replan"] = new(async (w, _) =>
        {
            var route = (await w.Shipments(w.TradeAB))[0].GetProperty("routeId").GetString();
            return new AccessTarget($"/api/logistics/routes/{route}/replan", w.A, w.B)
            {
                Probe = async () => await Read(w, $"/api/logistics/routes/{route}") + await Read(w, $"/api/logistics/trades/{w.TradeAB}/transfers"),
                Allowed = (_, _, transfers) => Check(transfers.GetArrayLength() > 0, "the route's transfers back to pending"),
            };
        }),
        ["POST /api/logistics/plans"] = new((w, _) => Task.FromResult(new AccessTarget("/api/logistics/plans", w.A, w.B)
        {
            Allowed = async (_, _, _) => await w.RefreshHandoverCodesAsync(),
        })),
        ["POST /api/logistics/shipments/{id}/pickup"] = new(async (w, _) => await Shipment(w, w.TradeAB, fromA: true, "pickup")),
        ["POST /api/logistics/shipments/{id}/delivery"] = new(async (w, _) =>
        {
            var target = await Shipment(w, w.TradeAB, fromA: true, "delivery");
            var code = w.CodeOf(target.Path.Split('/')[4]);
            // The carrier's valid report: with the receiving town's code, sent by every caller alike.
            return target with
            {
                Body = _ => new { handoverCode = code },
                Allowed = (_, _, shipment) => Check(shipment.GetProperty("status").GetString() == "delivered", "the shipment delivered"),
            };
        }),
        ["POST /api/logistics/shipments/{id}/failure"] = new(async (w, _) => await Shipment(w, w.TradeAB, fromA: false, "failure") with
        {
            Body = _ => new { reason = "access matrix: road closed" },
        }),
        ["POST /api/logistics/transfers/{id}/release"] = new(async (w, _) =>
        {
            var held = (await w.Ops.Get($"/api/logistics/trades/{w.TradeAB}/transfers")).EnumerateArray()
                .Single(t => t.GetProperty("status").GetString() == "held");
            return new AccessTarget($"/api/logistics/transfers/{held.GetProperty("id").GetString()}/release", w.A, w.B)
            {
                Probe = () => Read(w, $"/api/logistics/trades/{w.TradeAB}/transfers"),
                Allowed = (_, _, transfer) => Check(transfer.GetProperty("status").GetString() == "pending", "the transfer released"),
            };
        }),
        ["POST /api/logistics/routes/{id}/stops/{sequence}/done"] = new(async (w, _) => await Stop(w, "done")),
        ["POST /api/logistics/routes/{id}/stops/{sequence}/failure"] = new(async (w, _) => await Stop(w, "failure") with
        {
            Body = _ => new { reason = "access matrix: van broke down" },
        }),
        ["POST /api/catalog/towns/{id}/suspension"] = new((w, _) =>
        {
            w.Secrets["access matrix: B suspended"] = null;
            return Task.FromResult(new AccessTarget($"/api/catalog/towns/{w.B.Id}/suspension", w.B, w.A)
            {
                Body = _ => new { reason = "access matrix: B suspended" },
                Probe = () => Read(w, $"/api/catalog/towns/{w.B.Id}"),
                Allowed = (_, _, town) => Check(town.GetProperty("status").GetString() == "suspended", "the town suspended"),
            });
        }),
        ["DELETE /api/catalog/towns/{id}/suspension"] = new((w, _) => Task.FromResult(new AccessTarget($"/api/catalog/towns/{w.S.Id}/suspension", w.S, null)
        {
            Probe = () => Read(w, $"/api/catalog/towns/{w.S.Id}"),
            Allowed = (_, _, rotation) =>
            {
                w.Secrets[rotation.GetProperty("apiKey").GetString()!] = w.S.Id;
                return Task.CompletedTask;
            },
        })),
    };

    private static AccessTarget Answer(AccessWorld w, Proposal proposal, string action) =>
        new($"/api/matching/trades/{proposal.TradeId}/{action}", proposal.Owner, proposal.Party)
        {
            Probe = () => Read(w, $"/api/matching/trades/{proposal.TradeId}"),
        };

    /// <summary>The live shipment of the trade's leg from A (or to A): owned by its carrier, the other town of it the party.</summary>
    private static async Task<AccessTarget> Shipment(AccessWorld w, string trade, bool fromA, string report)
    {
        var shipment = (await w.Shipments(trade)).Single(s => (s.GetProperty("fromTown").GetString() == w.A.Id) == fromA
            && s.GetProperty("status").GetString() is "planned" or "pickedUp");
        var id = shipment.GetProperty("id").GetString()!;
        var carrier = shipment.GetProperty("carrierTown").GetString()!;
        var other = new[] { shipment.GetProperty("fromTown").GetString()!, shipment.GetProperty("toTown").GetString()! }.First(t => t != carrier);
        return new AccessTarget($"/api/logistics/shipments/{id}/{report}", w.TownOf(carrier), w.TownOf(other))
        {
            Probe = async () => await Read(w, $"/api/logistics/shipments/{id}") + await Read(w, $"/api/logistics/trades/{trade}/transfers"),
        };
    }

    /// <summary>A stop of the route carrying A's trade with C where one of that trade's shipments is still to be picked
    /// up; the party is C, whose goods ride the route.</summary>
    private static async Task<AccessTarget> Stop(AccessWorld w, string report)
    {
        var planned = (await w.Shipments(w.TradeAC)).Where(s => s.GetProperty("status").GetString() == "planned").ToList();
        var routeId = planned[0].GetProperty("routeId").GetString()!;
        var route = await w.Ops.Get($"/api/logistics/routes/{routeId}");
        var stop = route.GetProperty("stops").EnumerateArray().First(s => s.GetProperty("pickups").EnumerateArray()
            .Any(g => g.GetProperty("tradeId").GetString() == w.TradeAC && g.GetProperty("status").GetString() == "planned"));
        var codes = stop.GetProperty("deliveries").EnumerateArray()
            .Where(g => g.GetProperty("status").GetString() is "planned" or "pickedUp")
            .Select(g => w.CodeOf(g.GetProperty("shipmentId").GetString()!)).ToArray();
        var carrier = route.GetProperty("carrierTown").GetString()!;
        return new AccessTarget($"/api/logistics/routes/{routeId}/stops/{stop.GetProperty("sequence").GetInt32()}/{report}", w.TownOf(carrier), w.C)
        {
            Body = _ => new { handoverCodes = codes },
            Probe = async () => await Read(w, $"/api/logistics/routes/{routeId}") + await Read(w, $"/api/logistics/trades/{w.TradeAC}/transfers"),
            Allowed = (_, _, items) => Check(items.EnumerateArray().Any(i => i.GetProperty("outcome").GetString() is "applied" or "repeated"),
                "the stop's shipments reported"),
        };
    }

    // A refused caller leaves the list of backups as it was: no folder written.
    private static AccessTarget Backup(AccessWorld w, string service) => new($"/api/{service}/backups", w.A, w.B)
    {
        Probe = () => Read(w, $"/api/{service}/backups"),
        Allowed = (_, _, manifest) => Check(manifest.GetProperty("files").EnumerateArray().Any(f => f.GetProperty("name").GetString() == $"{service}.db"),
            $"a manifest with {service}.db"),
    };

    // A backup an operator took; a refused caller leaves it listed, an operator's delete takes it off the list.
    private static async Task<AccessTarget> TakenBackup(AccessWorld w, string service)
    {
        var id = (await w.Ops.Post($"/api/{service}/backups", null, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        return new AccessTarget($"/api/{service}/backups/{id}", w.A, w.B)
        {
            Probe = () => Read(w, $"/api/{service}/backups"),
            Allowed = async (_, _, _) => await Check(!(await Read(w, $"/api/{service}/backups")).Contains(id, StringComparison.Ordinal), $"backup {id} off the list"),
        };
    }

    private static async Task<string> Read(AccessWorld w, string path)
    {
        using var response = await w.Ops.Send(HttpMethod.Get, path);
        return $"{path} {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n";
    }

    private static Task Check(bool holds, string what) =>
        holds ? Task.CompletedTask : throw new Xunit.Sdk.XunitException($"the allowed answer does not show {what}");
}
