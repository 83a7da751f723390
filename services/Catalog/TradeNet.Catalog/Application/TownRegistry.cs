using TradeNet.Shared.Storage;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Contracts;

namespace TradeNet.Catalog.Application;

/// <summary>Registers towns, recognises their API keys and replaces a key that leaked.</summary>
public sealed class TownRegistry(ICatalogStore store, TimeProvider clock, ILogger<TownRegistry> logger)
{
    public async Task<Outcome<TownRegistration>> RegisterAsync(RegisterTownRequest request, CancellationToken ct = default)
    {
        var errors = CatalogValidation.Town(request);
        if (errors.Count > 0) return Problem.Invalid(errors);

        var apiKey = ApiKeys.New();
        var town = await WriteRetry.OnConflictAsync(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            // The INSEE code makes a readable id (Roanne is 42187) unless a town already holds it.
            var id = request.InseeCode is { } insee && await session.GetTownAsync(insee, ct) is null ? insee : ApiKeys.NewTownId();
            var town = new Town(id, request.Name!.Trim(), request.InseeCode, request.Lat!.Value, request.Lon!.Value,
                CatalogValidation.Specialties(request.Specialties), ApiKeys.Hash(apiKey), clock.GetUtcNow());
            await session.AddTownAsync(town, ct);
            session.Publish(new TownRegistered(town.Id, town.Name, town.InseeCode, town.Lat, town.Lon, town.Specialties));
            await session.CommitAsync(ct);
            return town;
        });
        return new TownRegistration(TownView.Of(town), apiKey);
    }

    /// <summary>Gives the town a new key, shown once; the old one stops authenticating at the catalog when it commits, and
    /// joins the revoked-key feed in the same write, so gateways that cached it drop it at their next poll of the feed.</summary>
    /// <param name="actingTown">The town asking, which may rotate only its own key; null when an operator asks.</param>
    /// <param name="caller">Who asked, for the log: the town's id or the operator's name.</param>
    public async Task<Outcome<TownKeyRotation>> RotateKeyAsync(string townId, string? actingTown, string caller, CancellationToken ct = default)
    {
        var rotation = await WriteRetry.OnConflictAsync<Outcome<TownKeyRotation>>(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            var town = await session.GetTownAsync(townId, ct);
            if (town is null) return Problem.NotFound($"town {CatalogValidation.Quoted(townId)} does not exist");
            if (actingTown is not null && actingTown != town.Id) return Problem.Forbidden("a town rotates only its own API key");
            // A suspended town gets a key back only with its reinstatement (DELETE …/suspension), never by a rotation.
            if (town.IsSuspended)
                return actingTown is null
                    ? Problem.Conflict("the town is suspended; reinstate it (DELETE /api/catalog/towns/{id}/suspension), which gives it a new key")
                    : Problem.Forbidden("the town is suspended");
            // A fresh key on every attempt: a retry follows a rotation that committed first, which replaced the key this one read.
            var apiKey = ApiKeys.New();
            await session.ReplaceTownKeyAsync(town.Id, town.ApiKeyHash, ApiKeys.Hash(apiKey), ct);
            await session.RevokeKeyAsync(town.ApiKeyHash, clock.GetUtcNow(), ct);
            await session.CommitAsync(ct);
            return new TownKeyRotation(town.Id, apiKey);
        });
        if (rotation.Value is { } rotated)
            logger.LogInformation("Town {TownId} got a new API key from {Role} {Caller}; the catalog no longer accepts the old one",
                rotated.TownId, actingTown is null ? "operator" : "town", caller);
        return rotation;
    }

    /// <summary>The town a key belongs to, or null. Only the key's hash is looked up.</summary>
    public async Task<Town?> AuthenticateAsync(string? apiKey, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(apiKey) || apiKey.Length > 200) return null;
        // A suspended town's key was revoked; refusing the town too keeps it out even if a key were issued meanwhile.
        return await store.FindTownByKeyHashAsync(ApiKeys.Hash(apiKey.Trim()), ct) is { IsSuspended: false } town ? town : null;
    }
}
