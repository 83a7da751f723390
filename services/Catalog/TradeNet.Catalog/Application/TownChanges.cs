using Microsoft.Extensions.Options;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Contracts;
using TradeNet.Shared.Storage;

namespace TradeNet.Catalog.Application;

/// <summary>Corrects a town's name, position or specialties (a town registered with wrong coordinates had no way out).</summary>
/// <remarks>
/// Matching learns a listing's position only from its snapshot (<see cref="ListingSnapshot.TownLat"/>), so a move
/// re-announces every open listing of the town in the same write: a <see cref="ListingChanged"/> with the version bumped
/// and the terms as they were. That, rather than a <see cref="TownChanged"/> matching would consume, keeps one ordering
/// rule in matching's book — a snapshot replaces only an older version of its listing. A position applied per town
/// would need a town version that every later snapshot is checked against too, or a ListingChanged built before the
/// move but delivered after it would put the old position back. Each ListingChanged also runs matching's "terms
/// changed" check, which re-fits the pending proposals using the listing (distance limits included) and cancels those
/// a leg no longer fits. A reservation decided before matching read the move is refused as changed terms, since the
/// terms fingerprint (scheme t2) includes the position. TownChanged still goes out, as TownRegistered does, for whoever
/// follows towns. As a move costs up to one event per open listing, a town moving itself is limited to <see cref="CatalogOptions.MaxTownMovesPerHour"/> moves an hour
/// (<see cref="TownMoves"/>), counted in the move's own write; an operator's correction is neither limited nor counted.
/// </remarks>
public sealed class TownChanges(ICatalogStore store, TimeProvider clock, IOptions<CatalogOptions> options, ILogger<TownChanges> logger)
{
    /// <param name="actingTown">The town asking, which may change only itself; null when an operator asks.</param>
    /// <param name="caller">Who asked, for the log: the town's id or the operator's name.</param>
    public async Task<Outcome<Town>> ChangeAsync(string townId, ChangeTownRequest request, string? actingTown, string caller,
        CancellationToken ct = default)
    {
        var outcome = await WriteRetry.OnConflictAsync<Outcome<Town>>(async () =>
        {
            await using var session = await store.BeginAsync(ct);
            // Unknown first, then the caller, as for a key rotation: towns are public, so a 404 reveals nothing.
            var town = await session.GetTownAsync(townId, ct);
            if (town is null) return Problem.NotFound($"town {CatalogValidation.Quoted(townId)} does not exist");
            if (actingTown is not null && actingTown != town.Id) return Problem.Forbidden("a town changes only its own details");
            if (actingTown is not null && town.IsSuspended) return Problem.Forbidden("the town is suspended");
            if (request.Status is { } status && status.Trim() != town.Status)
                return Problem.Invalid("status", $"cannot change here; suspend or reinstate with {TownSuspensions.Route}");
            if (request.Id is { } id && id.Trim() != town.Id) return Problem.Invalid("id", "cannot change; it is the town in the path");
            if (request.InseeCode is { } insee && insee != town.InseeCode)
                return Problem.Invalid("inseeCode", "cannot change (it may be the town's id); leave it out, or register a new town");
            var errors = CatalogValidation.TownChange(request, town.InseeCode);
            if (errors.Count > 0) return Problem.Invalid(errors);

            var changed = town with
            {
                Name = request.Name!.Trim(), Lat = request.Lat!.Value, Lon = request.Lon!.Value,
                Specialties = CatalogValidation.Specialties(request.Specialties),
            };
            // A repeated PUT changes nothing: no write, no event, as for a listing's change.
            if (changed.Name == town.Name && changed.Lat == town.Lat && changed.Lon == town.Lon
                && changed.Specialties.SequenceEqual(town.Specialties)) return town;
            var now = clock.GetUtcNow();
            var moved = changed.Lat != town.Lat || changed.Lon != town.Lon;
            // A town taking on a suspended town's name at its place would bring it back under a new identity, which
            // registration refuses; a town that looked like it already (registered before the suspension) is left alone.
            // Read in this write, as registration reads it: a suspension committed first is seen.
            (Town Town, string Why)? overruled = null;
            if ((moved || SuspendedLookalikes.CompactKey(changed.Name) != SuspendedLookalikes.CompactKey(town.Name))
                && await SuspendedLookalikes.FindAsync(session, null, changed.Name, changed.Lat, changed.Lon, ct) is { } lookalike
                && (await SuspendedLookalikes.FindAsync(session, null, town.Name, town.Lat, town.Lon, ct))?.Town.Id != lookalike.Town.Id)
            {
                if (actingTown is not null)
                {
                    logger.LogWarning("Change of town {TownId} refused: it would match suspended town {SuspendedId} by {Why}",
                        town.Id, lookalike.Town.Id, lookalike.Why);
                    return Problem.Conflict(SuspendedLookalikes.ChangeRefusal(lookalike.Town, lookalike.Why, options.Value.SuspensionContact?.Trim()));
                }
                overruled = lookalike;
            }
            if (moved && actingTown is not null)
            {
                // Checked on the moves this write read and stored by it: two concurrent moves cannot both pass (SQLite
                // writes one at a time; on MongoDB both update the town and one retries on what the other stored).
                var max = options.Value.MaxTownMovesPerHour;
                if (TownMoves.NextAllowed(town, now, max) is { } next) return TownMoves.TooMany(max, next, now);
                changed = changed with { Moves = TownMoves.With(town, now, max) };
            }
            await session.UpdateTownAsync(changed, ct);
            // The name and specialties are in no snapshot, so only a move re-announces the listings.
            var relocated = moved ? await session.GetOpenListingsAsync(town.Id, now, ct) : [];
            foreach (var listing in relocated)
            {
                var bumped = listing.Relocated();
                // At the version read: a concurrent reservation or change of this listing conflicts, and this write retries.
                await session.UpdateListingAsync(bumped, listing.Version, ct);
                await ListingBoard.PublishChangedAsync(session, bumped, ct);
            }
            session.Publish(new TownChanged(changed.Id, changed.Name, changed.InseeCode, changed.Lat, changed.Lon, changed.Specialties, now));
            await session.CommitAsync(ct);
            if (overruled is { } matched)
                logger.LogWarning("Operator {Operator} changed town {TownId} although it now matches suspended town {SuspendedId} by {Why}",
                    caller, changed.Id, matched.Town.Id, matched.Why);
            logger.LogInformation("Town {TownId} changed by {Role} {Caller}{Moved}", changed.Id, actingTown is null ? "operator" : "town",
                caller, moved ? $"; moved, {relocated.Count} open listings re-announced" : "");
            return changed;
        });
        return outcome;
    }
}
