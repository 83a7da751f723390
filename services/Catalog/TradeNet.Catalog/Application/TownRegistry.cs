using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Contracts;

namespace TradeNet.Catalog.Application;

/// <summary>Registers towns and recognises their API keys.</summary>
public sealed class TownRegistry(ICatalogStore store, TimeProvider clock)
{
    public async Task<Outcome<TownRegistration>> RegisterAsync(RegisterTownRequest request, CancellationToken ct = default)
    {
        var errors = CatalogValidation.Town(request);
        if (errors.Count > 0) return Problem.Invalid(errors);

        var apiKey = ApiKeys.New();
        var town = await CatalogRetry.OnConflictAsync(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            // The INSEE code makes a readable id (Roanne is 42187) unless a town already holds it.
            var id = request.InseeCode is { } insee && await session.GetTownAsync(insee, ct) is null ? insee : ApiKeys.NewTownId();
            var town = new Town(id, request.Name!.Trim(), request.InseeCode, request.Lat!.Value, request.Lon!.Value,
                (request.Specialties ?? []).Select(s => s.Trim()).Distinct().ToArray(), ApiKeys.Hash(apiKey), clock.GetUtcNow());
            await session.AddTownAsync(town, ct);
            session.Publish(new TownRegistered(town.Id, town.Name, town.InseeCode, town.Lat, town.Lon, town.Specialties));
            await session.CommitAsync(ct);
            return town;
        });
        return new TownRegistration(TownView.Of(town), apiKey);
    }

    /// <summary>The town a key belongs to, or null. Only the key's hash is looked up.</summary>
    public async Task<Town?> AuthenticateAsync(string? apiKey, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(apiKey) || apiKey.Length > 200) return null;
        return await store.FindTownByKeyHashAsync(ApiKeys.Hash(apiKey.Trim()), ct);
    }
}
