using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Contracts;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;

namespace TradeNet.Catalog.Application;

/// <summary>An operator suspends a misbehaving town and reinstates it later. Replaces the manual round of a key rotation
/// and one withdrawal per listing, which left a window in which the town could publish again.</summary>
/// <remarks>Agreed trades are not cancelled (their goods may be on the road) and logistics' vehicles are not touched:
/// the operator reviews those (docs/operations.md).</remarks>
public sealed class TownSuspensions(ICatalogStore store, TimeProvider clock, ILogger<TownSuspensions> logger)
{
    public const string Route = "/api/catalog/towns/{id}/suspension";
    public const int MaxReasonLength = 500;

    /// <summary>In one write: the town marked suspended, its key revoked as a rotation revokes the old key (joining the
    /// revoked-key feed, so every gateway refuses it at its next poll) but with no key to replace it, each open listing
    /// withdrawn as an operator's withdrawal does, and <see cref="TownSuspended"/>. A town suspended already is answered
    /// as it is, with nothing written or announced, so a retry is harmless.</summary>
    public async Task<Outcome<Town>> SuspendAsync(string townId, string? reason, string caller, CancellationToken ct = default)
    {
        reason = reason?.Trim();
        if (TextRules.RequiredLineError(reason, MaxReasonLength) is { } error) return Problem.Invalid("reason", error);
        int? withdrawnCount = null; // set only by the attempt that wrote: a repeat logs nothing
        var outcome = await WriteRetry.OnConflictAsync<Outcome<Town>>(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            var town = await session.GetTownAsync(townId, ct);
            if (town is null) return Problem.NotFound($"town {CatalogValidation.Quoted(townId)} does not exist");
            withdrawnCount = null;
            if (town.IsSuspended) return town;
            var now = clock.GetUtcNow();
            var suspension = new TownSuspension(reason!, SuspendedAt(town.ReinstatedAt, now));
            await session.SetTownSuspensionAsync(town.Id, suspension, ct);
            // One key per town and the column is unique: the key is replaced by the hash of a key no one is ever shown,
            // on the hash read, as a rotation replaces it (a concurrent rotation makes this write retry).
            await session.ReplaceTownKeyAsync(town.Id, town.ApiKeyHash, ApiKeys.Hash(ApiKeys.New()), ct);
            await session.RevokeKeyAsync(town.ApiKeyHash, now, ct);
            // Open listings only: ended and exhausted ones are in no book, and a suspended town cannot reopen them.
            // On MongoDB this read takes the town's open-listing guard, so a publish racing the suspension retries and
            // then finds the town suspended.
            var open = await session.GetOpenListingsAsync(town.Id, now, ct);
            foreach (var listing in open) await ListingBoard.WithdrawInAsync(session, listing, ct);
            session.Publish(new TownSuspended(town.Id, suspension.Reason, suspension.At, open.Select(l => l.Id).ToArray()));
            await session.CommitAsync(ct);
            withdrawnCount = open.Count;
            return town with { Suspension = suspension };
        });
        if (outcome.Value is { } suspended && withdrawnCount is { } count)
            logger.LogInformation("Operator {Operator} suspended town {TownId}: key revoked, {Count} open listings withdrawn",
                caller, suspended.Id, count);
        return outcome;
    }

    /// <summary>Lifts the suspension and gives the town a new key, shown once, in one write. Listings withdrawn by the
    /// suspension stay withdrawn: the town publishes anew.</summary>
    public async Task<Outcome<TownKeyRotation>> ReinstateAsync(string townId, string caller, CancellationToken ct = default)
    {
        var outcome = await WriteRetry.OnConflictAsync<Outcome<TownKeyRotation>>(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            var town = await session.GetTownAsync(townId, ct);
            if (town is null) return Problem.NotFound($"town {CatalogValidation.Quoted(townId)} does not exist");
            if (town.Suspension is not { } lifted) return Problem.Conflict($"town {CatalogValidation.Quoted(townId)} is not suspended");
            // A fresh key on every attempt, as for a rotation. The hash it replaces belongs to no key anyone holds, so it
            // joins no revoked-key feed.
            var apiKey = ApiKeys.New();
            await session.ReplaceTownKeyAsync(town.Id, town.ApiKeyHash, ApiKeys.Hash(apiKey), ct);
            // Kept with the town, so the next suspension can be dated after it (SuspendedAt).
            var reinstatedAt = ReinstatedAt(lifted, clock.GetUtcNow());
            await session.ReinstateTownAsync(town.Id, reinstatedAt, ct);
            session.Publish(new TownReinstated(town.Id, reinstatedAt));
            await session.CommitAsync(ct);
            return new TownKeyRotation(town.Id, apiKey);
        });
        if (outcome.Value is { } reinstated)
            logger.LogInformation("Operator {Operator} reinstated town {TownId} with a new API key", caller, reinstated.TownId);
        return outcome;
    }

    /// <summary>Logistics orders TownSuspended and TownReinstated by their times, the later winning: a reinstatement dated
    /// at or before the suspension it lifts (this clock set back since, or another replica's behind) would leave the town
    /// suspended there, its vehicles refused, until real time passed the suspension's. Dated at least a millisecond after
    /// it (MongoDB keeps the suspension's time in whole milliseconds, its announcement had ticks).</summary>
    public static DateTimeOffset ReinstatedAt(TownSuspension lifted, DateTimeOffset now)
    {
        var after = lifted.At.AddMilliseconds(1);
        return now < after ? after : now;
    }

    /// <summary>The other side of <see cref="ReinstatedAt"/>: a suspension dated at or before the town's last reinstatement
    /// (this clock set back since, or another replica's behind) would be ignored by logistics, the town left active there
    /// and its vehicles registered since still planned. Dated at least a millisecond after it (MongoDB keeps the
    /// reinstatement's time in whole milliseconds, its announcement had ticks).</summary>
    public static DateTimeOffset SuspendedAt(DateTimeOffset? lastReinstatedAt, DateTimeOffset now)
    {
        if (lastReinstatedAt is not { } reinstated) return now;
        var after = reinstated.AddMilliseconds(1);
        return now < after ? after : now;
    }
}
