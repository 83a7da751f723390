namespace TradeNet.Logistics.Domain;

/// <summary>Why a leg went as a direct trip by its giving town rather than on a registered vehicle: a machine
/// <see cref="Code"/> (the planner's <c>UnservedReason</c> name, or <see cref="NoFleet"/> / <see cref="NoVehicleAvailable"/>
/// when no vehicle was planned at all) and the planner's <see cref="Detail"/>, if it gave one. Kept on the shipment so a
/// coordinator sees it where the leg is, not only in the server log.</summary>
public sealed record DirectTripReason(string Code, string? Detail = null)
{
    /// <summary>No vehicle is registered: every leg goes as a direct trip as soon as its trade is agreed.</summary>
    public const string NoFleet = "NoFleet";

    /// <summary>Vehicles are registered, but none could be offered to the run (all booked, out of their availability,
    /// or outside the limits).</summary>
    public const string NoVehicleAvailable = "NoVehicleAvailable";

    /// <summary>A sentence for a person, by code; a code this release does not know (a later one's) reads generically.</summary>
    public string Message => Code switch
    {
        NoFleet => "No vehicle is registered, so the giving town carries the leg itself.",
        NoVehicleAvailable => "No registered vehicle was free for this planning run (all booked, resting after a full day, outside their availability or limits).",
        "NoChilledVehicle" => "The goods must be kept chilled and no registered vehicle is chilled.",
        "NoVehicleWithCapacity" => "The leg is heavier or bulkier than every suitable registered vehicle can carry.",
        "WindowInfeasible" => "The leg's time windows leave no time to carry it: a window is empty or closes before the goods can get there.",
        "RideTimeInfeasible" => "The leg cannot be carried within its maximum time on board.",
        "NotReachableInTime" => "No suitable vehicle can leave home, serve the leg within its windows and be back within its availability.",
        "RouteTooLong" => "Some vehicle could carry the leg, but none within its maximum route hours.",
        "NoRoomInPlan" => "The leg was possible alone, but the planning run gave the vehicles' capacity and hours to other legs.",
        _ => "The fleet could not carry the leg in this planning run.",
    };
}
