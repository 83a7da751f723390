using Microsoft.Extensions.Options;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Contracts;

namespace TradeNet.Catalog.Application;

/// <summary>Registers towns, recognises their API keys and replaces a key that leaked.</summary>
public sealed class TownRegistry(ICatalogStore store, TimeProvider clock, IOptions<CatalogOptions> options, ILogger<TownRegistry> logger)
{
    /// <param name="requestKey">The caller's <c>Idempotency-Key</c>, if it sent one: within
    /// <see cref="CatalogOptions.RegistrationKeyLifetime"/> the same key and body get the town registered under it, and its
    /// API key while that is still the town's (<see cref="RegisteredTown.Replayed"/>), instead of a second town.</param>
    /// <param name="operatorName">Set when an operator registers: a town looking like a suspended one is then registered
    /// (and logged) rather than refused.</param>
    public async Task<Outcome<RegisteredTown>> RegisterAsync(RegisterTownRequest request, string? requestKey = null,
        string? operatorName = null, CancellationToken ct = default)
    {
        if (requestKey is not null && !TownRequests.IsWellFormed(requestKey))
            return Problem.Invalid(IdempotencyKeys.Header, TownRequests.Rule);
        var errors = CatalogValidation.Town(request);
        if (errors.Count > 0) return Problem.Invalid(errors);

        var name = request.Name!.Trim();
        var (lat, lon) = (request.Lat!.Value, request.Lon!.Value);
        var fingerprint = requestKey is null ? null : TownRequests.Fingerprint(request);
        var keyHash = requestKey is null ? null : ApiKeys.Hash(requestKey);
        (Town Town, string Why)? overruled = null; // a suspended lookalike an operator registered past
        var outcome = await WriteRetry.OnConflictAsync<Outcome<RegisteredTown>>(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            var now = clock.GetUtcNow();
            // The key first: a retry is answered whatever has changed since (a suspension of a lookalike, say).
            if (keyHash is not null && await session.GetTownRequestAsync(keyHash, ct) is { } earlier && earlier.ExpiresAt > now)
                return await ReplayAsync(session, earlier, requestKey!, fingerprint!, ct);
            // In this write, so a suspension either committed before it (and is seen) or is ordered after the registration.
            overruled = await SuspendedLookalikes.FindAsync(session, request.InseeCode, name, lat, lon, ct);
            if (overruled is { } lookalike && operatorName is null)
            {
                logger.LogWarning("Registration of {Name} refused: it matches suspended town {TownId} by {Why}", name, lookalike.Town.Id, lookalike.Why);
                return Problem.Conflict(SuspendedLookalikes.Refusal(lookalike.Town, lookalike.Why, options.Value.SuspensionContact?.Trim()));
            }
            // The INSEE code makes a readable id (Roanne is 42187) unless a town already holds it.
            var id = request.InseeCode is { } insee && await session.GetTownAsync(insee, ct) is null ? insee : ApiKeys.NewTownId();
            // A fresh key on every attempt, as for a rotation: an attempt that lost a race must not leave its key behind.
            var apiKey = ApiKeys.New();
            var town = new Town(id, name, request.InseeCode, lat, lon, CatalogValidation.Specialties(request.Specialties),
                ApiKeys.Hash(apiKey), now);
            await session.AddTownAsync(town, ct);
            // In the same write: a retry racing this one finds the key taken, retries, and gets this town back.
            if (keyHash is not null)
                await session.AddTownRequestAsync(new TownRequest(keyHash, town.Id, fingerprint!, SealedApiKeys.Seal(apiKey, requestKey!), now,
                    now + options.Value.RegistrationKeyLifetime), now, ct);
            session.Publish(new TownRegistered(town.Id, town.Name, town.InseeCode, town.Lat, town.Lon, town.Specialties));
            await session.CommitAsync(ct);
            return new RegisteredTown(new TownRegistration(TownView.Of(town), apiKey), Replayed: false);
        });
        if (outcome.Value is { Replayed: false } registered && operatorName is not null && overruled is { } matched)
            logger.LogWarning("Operator {Operator} registered town {TownId} although it matches suspended town {SuspendedId} by {Why}",
                operatorName, registered.Registration.Town.Id, matched.Town.Id, matched.Why);
        return outcome;
    }

    /// <summary>The answer a registration gave under this key, API key included, to the same body only, and only while that
    /// key is still the town's: once rotated away or revoked by a suspension it is never shown again.</summary>
    private static async Task<Outcome<RegisteredTown>> ReplayAsync(ICatalogSession session, TownRequest earlier, string requestKey,
        string fingerprint, CancellationToken ct)
    {
        if (earlier.Fingerprint != fingerprint) return Problem.Conflict(IdempotencyKeys.UsedForOtherTerms(requestKey, "town"));
        var town = await session.GetTownAsync(earlier.TownId, ct);
        var apiKey = SealedApiKeys.Open(earlier.SealedApiKey, requestKey);
        if (town is null || apiKey is null || ApiKeys.Hash(apiKey) != town.ApiKeyHash)
            return Problem.Conflict($"the API key of the town registered under {IdempotencyKeys.Header} '{requestKey}' was replaced " +
                "since (a key rotation or a suspension), so it is not shown again; send a new key to register another town");
        return new RegisteredTown(new TownRegistration(TownView.Of(town), apiKey), Replayed: true);
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
