using System.Security.Claims;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Api;

/// <summary>What a registration answers: the vehicle (registered now, or by an earlier request with the same
/// <c>Idempotency-Key</c>: <see cref="Replayed"/>), the conflict that keeps the key from naming one, or why the home town
/// may register none (<see cref="Forbidden"/>: it is suspended).</summary>
public sealed record RegistrationOutcome(Vehicle? Vehicle, bool Replayed = false, string? Conflict = null, string? Forbidden = null);

/// <summary>Registering a vehicle under an <c>Idempotency-Key</c>: a carrier retrying after a lost answer gets the
/// vehicle it registered, not a second one doubling the fleet planning sees.</summary>
public static class VehicleRegistrations
{
    private const int Attempts = 5;

    /// <summary>Whose keys they are, role and name: a town's id, or an operator's name (the internal token's subject
    /// either way, so the role keeps an operator named like a town off the town's keys). Null for anyone else.</summary>
    public static string? Caller(ClaimsPrincipal user) =>
        user.TownId() is { } town ? VehicleRegistration.CallerOf(Roles.Town, town)
        : user.IsOperator() ? VehicleRegistration.CallerOf(Roles.Operator, user.CallerName())
        : null;

    /// <summary>The terms two requests must share to be one registration: every field of the vehicle it registers,
    /// read as registering reads the request (home town resolved, name trimmed, defaults filled in, times in UTC),
    /// less its id and times.</summary>
    public static string Fingerprint(Vehicle v) => v.WorkingHours is { } working
        ? IdempotencyKeys.Fingerprint(new
        {
            v.HomeTown, v.Home.Lat, v.Home.Lon, v.Name, v.CapacityKg, v.VolumeM3, v.Chilled, v.CostPerKm, v.FixedCost,
            AvailableFrom = v.AvailableFrom?.ToUniversalTime(), AvailableUntil = v.AvailableUntil?.ToUniversalTime(),
            v.MaxRouteHours,
            WorkingHours = new { Start = WorkingHours.Format(working.Start), End = WorkingHours.Format(working.End), working.TimeZone, Days = working.DayList },
        })
        : v.MaxRouteHours is { } hours
        ? IdempotencyKeys.Fingerprint(new
        {
            v.HomeTown, v.Home.Lat, v.Home.Lon, v.Name, v.CapacityKg, v.VolumeM3, v.Chilled, v.CostPerKm, v.FixedCost,
            AvailableFrom = v.AvailableFrom?.ToUniversalTime(), AvailableUntil = v.AvailableUntil?.ToUniversalTime(),
            MaxRouteHours = hours,
        })
        // Without it, the terms as earlier releases fingerprinted them: a key stored before it existed still replays.
        : IdempotencyKeys.Fingerprint(new
        {
            v.HomeTown, v.Home.Lat, v.Home.Lon, v.Name, v.CapacityKg, v.VolumeM3, v.Chilled, v.CostPerKm, v.FixedCost,
            AvailableFrom = v.AvailableFrom?.ToUniversalTime(), AvailableUntil = v.AvailableUntil?.ToUniversalTime(),
        });

    private static string TooMany(string town, int max) =>
        $"town {town} already has {max} vehicles, the most one town may have; withdraw one it no longer uses " +
        "(DELETE /api/logistics/vehicles/{id}) before registering another";

    /// <summary>What the key already names, or null when the caller has not used it.</summary>
    public static async Task<RegistrationOutcome?> EarlierAsync(IVehicleReads reads, VehicleRegistration key, CancellationToken ct)
    {
        if (await reads.VehicleRegistrationAsync(key.Caller, key.Key, ct) is not { } earlier) return null;
        if (earlier.Fingerprint != key.Fingerprint)
            return new(null, Conflict: IdempotencyKeys.UsedForOtherTerms(key.Key, "vehicle"));
        return await reads.VehicleAsync(earlier.VehicleId, ct) is { } vehicle
            ? new(vehicle, Replayed: true)
            : new(null, Conflict: $"the vehicle registered under {IdempotencyKeys.Header} '{key.Key}' was withdrawn; send a new key to register it again");
    }

    /// <summary>Adds the vehicle, and its key in the same write, so concurrent retries register one vehicle: the
    /// later ones find the key inside their own write, or (MongoDB) fail on it and find it on the next attempt. The home
    /// town's vehicles are counted in that write too, after the key (a replay is answered whatever the count), so
    /// concurrent registrations cannot together pass <paramref name="maxPerTown"/>. A suspended home town registers
    /// nothing (403); a replay of a key whose vehicle the suspension withdrew was answered before this write, with the 409
    /// any withdrawn vehicle's key gets.</summary>
    public static async Task<RegistrationOutcome> AddAsync(ILogisticsStore store, Vehicle vehicle, VehicleRegistration? key, int maxPerTown,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = await store.BeginAsync(ct);
                // In this write, so a suspension committing meanwhile either comes first (and this is refused) or finds
                // the vehicle and withdraws it (TownSuspensions).
                if (await session.TownStandingAsync(vehicle.HomeTown, ct) is { Suspended: true })
                    return new(null, Forbidden: TownStanding.Refusal(vehicle.HomeTown));
                if (key is not null && await EarlierAsync(session, key, ct) is { } earlier) return earlier;
                if (await session.CountVehiclesAsync(vehicle.HomeTown, ct) >= maxPerTown) return new(null, Conflict: TooMany(vehicle.HomeTown, maxPerTown));
                await session.AddVehicleAsync(vehicle, ct);
                if (key is not null) await session.AddVehicleRegistrationAsync(key, ct);
                await session.CommitAsync(ct);
                return new(vehicle);
            }
            catch (ConcurrencyConflictException) when (attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
            catch (ConcurrencyConflictException)
            {
                return new(null, Conflict: "the vehicle is being registered concurrently under this key; try again");
            }
        }
    }
}
