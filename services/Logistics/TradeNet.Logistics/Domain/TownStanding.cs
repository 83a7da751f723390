namespace TradeNet.Logistics.Domain;

/// <summary>
/// What logistics last heard of a town's standing in the network: suspended (catalog's TownSuspended) or reinstated
/// (TownReinstated), as of <see cref="At"/>, catalog's time of that decision. A suspended town registers and changes no
/// vehicles, and planning uses none of its vehicles. Kept after a reinstatement too, so an older suspension arriving
/// late (the bus does not promise order) cannot undo it: the later decision wins (<see cref="Supersedes"/>).
/// </summary>
public sealed record TownStanding(string TownId, bool Suspended, DateTimeOffset At, string? Reason = null)
{
    /// <summary>Whether this decision replaces the one known (none known: it does). On the same instant a suspension
    /// wins: when in doubt the network trusts the town less.</summary>
    public bool Supersedes(TownStanding? known) =>
        known is null || At > known.At || (At == known.At && Suspended && !known.Suspended);

    /// <summary>The 403 a suspended town's vehicle request gets (registering or changing one, by the town or for it).</summary>
    public static string Refusal(string townId) =>
        $"Town {townId} is suspended from the network: no vehicle of it is registered, changed or planned until an operator " +
        "reinstates it.";
}
