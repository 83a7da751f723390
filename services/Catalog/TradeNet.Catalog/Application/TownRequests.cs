using TradeNet.Catalog.Api;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Application;

/// <summary>A registration answered by <see cref="TownRegistry.RegisterAsync"/>; <see cref="Replayed"/> when an earlier call
/// with the same <c>Idempotency-Key</c> registered the town.</summary>
public sealed record RegisteredTown(TownRegistration Registration, bool Replayed);

/// <summary>The <c>Idempotency-Key</c> of a town's registration: the rules of <see cref="IdempotencyKeys"/>, and long enough
/// to guess no more easily than a password. Registration is anonymous, so whoever sends the key and the body again gets
/// the answer back, API key included, and a town's body is public (GET /api/catalog/towns/{id}): the key is the secret.</summary>
public static class TownRequests
{
    public const int MinKeyLength = 16;

    public const string Rule = IdempotencyKeys.Rule + "; on a registration, at least 16 characters: it gets the town's API key " +
        "back, so it must be hard to guess (a random UUID, say)";

    public static bool IsWellFormed(string key) => IdempotencyKeys.IsWellFormed(key) && key.Length >= MinKeyLength;

    /// <summary>The body as registering reads it (name trimmed, specialties trimmed without repeats), as a digest.</summary>
    public static string Fingerprint(RegisterTownRequest r) => IdempotencyKeys.Fingerprint(new
    {
        Name = r.Name!.Trim(), r.InseeCode, Lat = r.Lat!.Value, Lon = r.Lon!.Value, Specialties = CatalogValidation.Specialties(r.Specialties),
    });
}
