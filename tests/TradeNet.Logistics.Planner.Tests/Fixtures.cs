using TradeNet.Logistics.Planner;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>Towns on a west–east line near Roanne, about 7.7 km apart (0.1° of longitude), and helpers.</summary>
internal static class Fixtures
{
    public static readonly DateTimeOffset Day = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    public static Place Town(int i) => new($"T{i}", new GeoPoint(46.0, 4.0 + 0.1 * i));

    public static TimeWindow Hours(double from, double to) => new(Day.AddHours(from), Day.AddHours(to));

    public static Transfer Leg(string id, int from, int to, double kg = 100, bool chilled = false, TimeWindow? pickup = null, TimeWindow? delivery = null, double? m3 = null) =>
        new(id, Town(from), Town(to), kg, m3, chilled, pickup ?? Hours(8, 18), delivery ?? Hours(8, 18), TimeSpan.FromMinutes(5));

    public static Vehicle Van(string id, int home, double kg = 1000, bool chilled = false, double costPerKm = 0.5, double fixedCost = 20, TimeWindow? available = null, double? m3 = null) =>
        new(id, Town(home), kg, m3, chilled, costPerKm, fixedCost, available ?? Hours(6, 20));

    public static PlanRequest Request(IReadOnlyList<Transfer> transfers, IReadOnlyList<Vehicle> vehicles, double seconds = 1) =>
        new(transfers, vehicles, null, new PlannerOptions(TimeSpan.FromSeconds(seconds)));

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    /// <summary>Plans, asserts the validator finds nothing, and returns the plan.</summary>
    public static RoutePlan PlanValid(PlanRequest request)
    {
        var plan = RoutePlanner.Plan(request);
        Assert.Empty(PlanValidator.Validate(request, plan));
        return plan;
    }

    public static VehicleRoute RouteCarrying(RoutePlan plan, string transferId) =>
        plan.Routes.Single(r => r.Stops.Any(s => s.PickedUp.Contains(transferId)));
}
