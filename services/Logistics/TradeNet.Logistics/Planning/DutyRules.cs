using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Planning;

/// <summary>
/// A driver's day across planning runs. Each run gives a vehicle one route, bounded by its route limit; without more, the
/// next run gives it another the moment it is back, so two 10-hour routes could follow each other. The routes of one
/// <b>duty</b> — each leaving less than <see cref="Rest"/> after the one before came home — together last at most the
/// vehicle's route limit (<see cref="RouteHours"/>): the next route may take what the duty has left, else it waits for
/// the rest to end. Time at home between routes counts as a break, not as duty. A run counts the routes still active
/// (planned or on the road) and those whose shipments were delivered or failed within <see cref="Lookback"/>.
/// </summary>
/// <param name="RouteHours">The vehicle's route limit in hours (<see cref="LogisticsOptions.RouteHoursOf"/>); null: none.</param>
/// <param name="Rest">The rest that ends a duty (EU rules: 11 h a day); zero: no duties, a vehicle is free when it is back.</param>
public sealed record DutyRules(Func<Vehicle, double?> RouteHours, TimeSpan Rest)
{
    public static readonly DutyRules None = new(_ => null, TimeSpan.Zero);

    public static DutyRules Of(LogisticsOptions options) => new(options.RouteHoursOf, TimeSpan.FromHours(options.RestHours));

    /// <summary>How far back a run reads ended routes: a duty that reached further would have used any route limit up.</summary>
    public TimeSpan Lookback => TimeSpan.FromHours(Vehicle.MaxRouteHoursLimit) + Rest;

    /// <summary>When the vehicle may leave again, and the route limit that next route then has (null: its own).
    /// <paramref name="routes"/>: its active and lately ended routes, latest return first; <paramref name="back"/>: when it
    /// is home from the active ones (now when it has none).</summary>
    public (DateTimeOffset From, double? Hours) Next(Vehicle vehicle, IReadOnlyList<(DateTimeOffset Leaves, DateTimeOffset Back)> routes,
        DateTimeOffset back)
    {
        if (Rest <= TimeSpan.Zero || RouteHours(vehicle) is not { } limit) return (back, null);
        // The duty the next route would join: the routes before it back to the first one after a full rest.
        var (worked, cursor) = (TimeSpan.Zero, back);
        foreach (var (leaves, returns) in routes)
        {
            if (cursor - returns >= Rest) break;
            worked += returns - leaves;
            if (leaves < cursor) cursor = leaves;
        }
        if (worked <= TimeSpan.Zero) return (back, null);
        var left = limit - worked.TotalHours;
        return left >= Vehicle.MinRouteHours ? (back, left) : (routes[0].Back + Rest, null);
    }
}
