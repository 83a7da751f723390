using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Domain;

/// <summary>
/// Catalog's decisions on a town, applied in logistics in the caller's session: a suspension is remembered and
/// withdraws the town's vehicles (as <c>DELETE /vehicles/{id}</c> would), a reinstatement lifts it. The vehicles are
/// read inside that same write, so one the town registers while its key still passes a gateway is either seen and
/// withdrawn here, or registered after this commits and refused (<see cref="TownStanding.Refusal"/>). The bus does not
/// promise order, so the decision with the later time wins whichever arrives first.
/// </summary>
public static class TownSuspensions
{
    /// <summary>The vehicles withdrawn. A suspension older than a reinstatement already known changes the standing no
    /// more, but still withdraws what was registered before that reinstatement: those vehicles date from before or
    /// during the suspension, which in order would have withdrawn them.</summary>
    public static async Task<IReadOnlyList<Vehicle>> SuspendAsync(ILogisticsSession session, string townId, string reason, DateTimeOffset at,
        CancellationToken ct)
    {
        var suspension = new TownStanding(townId, Suspended: true, at, reason);
        var known = await session.TownStandingAsync(townId, ct);
        if (suspension.Supersedes(known)) await session.SetTownStandingAsync(suspension, ct);
        var vehicles = await session.VehiclesOfTownAsync(townId, ct);
        var withdrawn = known is { Suspended: false } && !suspension.Supersedes(known)
            ? vehicles.Where(v => v.CreatedAt < known.At).ToList()
            : vehicles;
        foreach (var vehicle in withdrawn) await session.DeleteVehicleAsync(vehicle.Id, ct);
        return withdrawn;
    }

    /// <summary>False when a later suspension is known: the town stays suspended.</summary>
    public static async Task<bool> ReinstateAsync(ILogisticsSession session, string townId, DateTimeOffset at, CancellationToken ct)
    {
        var reinstatement = new TownStanding(townId, Suspended: false, at);
        if (!reinstatement.Supersedes(await session.TownStandingAsync(townId, ct))) return false;
        await session.SetTownStandingAsync(reinstatement, ct);
        return true;
    }
}
