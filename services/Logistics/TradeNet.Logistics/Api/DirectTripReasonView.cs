using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Api;

/// <summary>Why a leg goes as a direct trip: <see cref="Code"/> for programs (the planner's reason, e.g. <c>RouteTooLong</c>,
/// or <c>NoFleet</c> / <c>NoVehicleAvailable</c>), <see cref="Message"/> for a coordinator, <see cref="Detail"/> the
/// planner's own words about this leg when it gave any.</summary>
public sealed record DirectTripReasonView(string Code, string Message, string? Detail)
{
    public static DirectTripReasonView? From(DirectTripReason? reason) =>
        reason is null ? null : new(reason.Code, reason.Message, reason.Detail);
}
