using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planner;
using TradeNet.Logistics.Planning;
using Vehicle = TradeNet.Logistics.Domain.Vehicle;

namespace TradeNet.Logistics.Tests.Planning;

public class FleetShipmentPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly LogisticsOptions Settings = new() { PlanningTimeLimit = TimeSpan.FromMilliseconds(300) };

    private static FleetShipmentPlanner Planner(LogisticsOptions? settings = null) =>
        new(new DirectTripPlanner(TransportModel.From(settings ?? Settings)), Options.Create(settings ?? Settings), NullLogger<FleetShipmentPlanner>.Instance);

    private static TransferOrder Transfer(Guid trade, int leg, string from, TradePoint a, string to, TradePoint b, string category = "firewood",
        double kg = 100, DateTimeOffset? until = null) =>
        new(Guid.NewGuid(), trade, leg, from, to, a, b, category, kg, kg, null, until, TransferStatus.Pending, Now);

    private static Vehicle Van(string home, TradePoint at, double capacityKg = 2000, bool chilled = false) =>
        new($"van-{home}", home, at, "van", capacityKg, null, chilled, 0.5, 20, null, null, Now, Now);

    [Fact]
    public async Task Without_vehicles_every_transfer_goes_as_a_direct_trip_by_the_giving_town()
    {
        var transfers = new[] { Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon) };

        var planned = await Planner().PlanAsync(transfers, new PlanningContext(Now), CancellationToken.None);

        var only = Assert.Single(planned);
        Assert.Equal(("roanne", DirectTripPlanner.VehicleFor("roanne")), (only.CarrierTown, only.VehicleId));
        Assert.Equal(["pickup", "delivery"], only.Stops.Select(s => s.Action));
    }

    [Fact]
    public async Task A_stored_vehicle_beyond_the_limits_is_left_out_instead_of_failing_the_plan()
    {
        var transfers = new[] { Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon) };
        var absurd = Van("roanne", Towns.Roanne) with { CostPerKm = 1e308 };

        var planned = await Planner().PlanAsync(transfers, new PlanningContext(Now, [absurd]), CancellationToken.None);

        Assert.Equal(DirectTripPlanner.VehicleFor("roanne"), Assert.Single(planned).VehicleId);
    }

    [Fact]
    public async Task A_direct_trip_carries_why_the_fleet_did_not_take_its_leg()
    {
        var wood = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);
        var shortShift = Van("roanne", Towns.Roanne) with { MaxRouteHours = 1 };
        var absurd = Van("roanne", Towns.Roanne) with { CostPerKm = 1e308 };

        var tooLong = Assert.Single(await Planner().PlanAsync([wood], new PlanningContext(Now, [shortShift]), CancellationToken.None));
        var noneFree = Assert.Single(await Planner().PlanAsync([wood], new PlanningContext(Now, [absurd]), CancellationToken.None));
        var booked = Assert.Single(await Planner().PlanAsync([wood], new PlanningContext(Now, [], Registered: 1), CancellationToken.None));
        var noFleet = Assert.Single(await Planner().PlanAsync([wood], new PlanningContext(Now), CancellationToken.None));

        Assert.Equal("RouteTooLong", tooLong.DirectTrip!.Code);
        Assert.False(string.IsNullOrWhiteSpace(tooLong.DirectTrip.Detail));
        Assert.Equal(new DirectTripReason(DirectTripReason.NoVehicleAvailable), noneFree.DirectTrip);
        Assert.Equal(new DirectTripReason(DirectTripReason.NoVehicleAvailable), booked.DirectTrip);
        Assert.Equal(new DirectTripReason(DirectTripReason.NoFleet), noFleet.DirectTrip);
    }

    [Fact]
    public async Task A_leg_on_a_vehicles_route_has_no_direct_trip_reason()
    {
        var wood = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);

        var planned = Assert.Single(await Planner().PlanAsync([wood], new PlanningContext(Now, [Van("roanne", Towns.Roanne)]), CancellationToken.None));

        Assert.Equal(("van-roanne", null), (planned.VehicleId, planned.DirectTrip));
    }

    [Fact]
    public void Every_planner_reason_reads_as_its_own_sentence()
    {
        var sentences = Enum.GetNames<UnservedReason>().Append(DirectTripReason.NoFleet).Append(DirectTripReason.NoVehicleAvailable)
            .Select(code => new DirectTripReason(code).Message).ToList();
        var unknown = new DirectTripReason("SomethingNewer").Message;

        Assert.Equal(sentences.Count, sentences.Distinct().Count());
        Assert.DoesNotContain(unknown, sentences);
    }

    [Fact]
    public async Task A_stored_vehicle_available_until_the_end_of_the_calendar_still_carries_the_legs()
    {
        // Stored before the API refused availability more than 10 years ahead.
        var transfers = new[] { Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon) };
        var forever = Van("roanne", Towns.Roanne) with { AvailableUntil = DateTimeOffset.MaxValue };

        var planned = await Planner().PlanAsync(transfers, new PlanningContext(Now, [forever]), CancellationToken.None);

        Assert.Equal(forever.Id, Assert.Single(planned).VehicleId);
    }

    [Fact]
    public async Task Legs_of_two_trades_on_the_way_ride_one_route_whose_plan_passes_the_planners_own_check()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var transfers = new[]
        {
            Transfer(first, 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon),
            Transfer(second, 0, "tarare", Towns.Tarare, "lyon", Towns.Lyon),
            Transfer(second, 1, "lyon", Towns.Lyon, "tarare", Towns.Tarare),
        };
        var fleet = new[] { Van("roanne", Towns.Roanne), Van("lyon", Towns.Lyon) };

        var planned = await Planner().PlanAsync(transfers, new PlanningContext(Now, fleet), CancellationToken.None);

        Assert.Equal(transfers.Select(t => t.Id).Order(), planned.Select(p => p.Transfer.Id).Order());
        Assert.Single(planned.Select(p => p.RouteId).Distinct());
        var request = FleetShipmentPlanner.Request(transfers, fleet, Now, Settings);
        Assert.Empty(PlanValidator.Validate(request, Replay(request, planned)));
        // Each shipment holds its own stops of the route (departure, pickup, delivery, return), placed and timed alike.
        Assert.All(planned.SelectMany(p => p.Stops).GroupBy(s => s.Sequence), g => Assert.Single(g.Select(s => (s.TownId, s.Eta)).Distinct()));
        Assert.All(planned, p => Assert.Equal(["depart", "pickup", "delivery", "return"], p.Stops.Select(s => s.Action)));
    }

    [Fact]
    public async Task A_perishable_category_waits_for_a_chilled_vehicle_and_otherwise_goes_direct()
    {
        var cheese = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon, "cheese");
        var unchilled = new[] { Van("roanne", Towns.Roanne) };
        var chilled = new[] { Van("roanne", Towns.Roanne, chilled: true) };

        var withoutCold = Assert.Single(await Planner().PlanAsync([cheese], new PlanningContext(Now, unchilled), CancellationToken.None));
        var withCold = Assert.Single(await Planner().PlanAsync([cheese], new PlanningContext(Now, chilled), CancellationToken.None));

        Assert.Equal(DirectTripPlanner.VehicleFor("roanne"), withoutCold.VehicleId);
        Assert.Equal("van-roanne", withCold.VehicleId);
    }

    [Fact]
    public async Task Planning_for_the_fleet_only_leaves_out_what_no_vehicle_can_carry_instead_of_sending_it_direct()
    {
        var cheese = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon, "cheese");
        var firewood = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);
        var unchilled = new[] { Van("roanne", Towns.Roanne) };

        var planned = await Planner().PlanAsync([cheese, firewood], new PlanningContext(Now, unchilled, FleetOnly: true), CancellationToken.None);
        var withoutFleet = await Planner().PlanAsync([firewood], new PlanningContext(Now, [], FleetOnly: true), CancellationToken.None);

        Assert.Equal(firewood.Id, Assert.Single(planned).Transfer.Id);
        Assert.Equal("van-roanne", planned[0].VehicleId);
        Assert.Empty(withoutFleet);
    }

    [Fact]
    public void Each_leg_may_ride_twice_its_direct_drive_plus_a_slack_that_is_tighter_for_chilled_goods()
    {
        var wood = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);
        var cheese = Transfer(Guid.NewGuid(), 1, "roanne", Towns.Roanne, "lyon", Towns.Lyon, "cheese");

        var request = FleetShipmentPlanner.Request([wood, cheese], [Van("roanne", Towns.Roanne)], Now, Settings);

        var drive = TimeSpan.FromSeconds(new DistanceModel(request.Distances).Seconds(request.Transfers[0].Pickup, request.Transfers[0].Delivery));
        Assert.Equal(2 * drive + TimeSpan.FromMinutes(90), request.Transfers[0].MaxRideTime);
        Assert.Equal(2 * drive + TimeSpan.FromMinutes(45), request.Transfers[1].MaxRideTime);
    }

    [Fact]
    public void A_ride_time_factor_of_zero_leaves_legs_without_a_limit()
    {
        var wood = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);
        var settings = new LogisticsOptions { RideTimeFactor = 0 };

        Assert.Null(Assert.Single(FleetShipmentPlanner.Request([wood], [Van("roanne", Towns.Roanne)], Now, settings).Transfers).MaxRideTime);
    }

    [Fact]
    public void A_vehicles_own_route_hours_bound_its_routes_and_the_configured_ones_bound_the_others()
    {
        var wood = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);
        var fleet = new[] { Van("roanne", Towns.Roanne) with { MaxRouteHours = 6 }, Van("lyon", Towns.Lyon) };

        var configured = FleetShipmentPlanner.Request([wood], fleet, Now, Settings).Vehicles;
        var unlimited = FleetShipmentPlanner.Request([wood], fleet, Now, new LogisticsOptions { MaxRouteHours = 0 }).Vehicles;

        Assert.Equal([TimeSpan.FromHours(6), TimeSpan.FromHours(10)], configured.Select(v => v.MaxRouteDuration));
        Assert.Equal([TimeSpan.FromHours(6), null], unlimited.Select(v => v.MaxRouteDuration));
    }

    [Fact]
    public async Task A_leg_no_vehicle_can_carry_within_its_shift_goes_as_a_direct_trip()
    {
        // Roanne to Lyon and back is about three hours' drive: not within a one-hour shift.
        var wood = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);
        var shortShift = Van("roanne", Towns.Roanne) with { MaxRouteHours = 1 };

        var planned = await Planner().PlanAsync([wood], new PlanningContext(Now, [shortShift]), CancellationToken.None);
        var plan = RoutePlanner.Plan(FleetShipmentPlanner.Request([wood], [shortShift], Now, Settings));

        Assert.Equal(DirectTripPlanner.VehicleFor("roanne"), Assert.Single(planned).VehicleId);
        Assert.Equal(UnservedReason.RouteTooLong, Assert.Single(plan.Unserved).Reason);
    }

    [Fact]
    public async Task The_chilled_categories_come_from_configuration()
    {
        var settings = new LogisticsOptions { PlanningTimeLimit = TimeSpan.FromMilliseconds(300), ChilledCategories = ["firewood"] };
        var firewood = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon, "firewood");
        var cheese = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon, "cheese");

        var planned = await Planner(settings).PlanAsync([firewood, cheese], new PlanningContext(Now, [Van("roanne", Towns.Roanne)]), CancellationToken.None);

        Assert.Equal(DirectTripPlanner.VehicleFor("roanne"), planned.Single(p => p.Transfer.Id == firewood.Id).VehicleId);
        Assert.Equal("van-roanne", planned.Single(p => p.Transfer.Id == cheese.Id).VehicleId);
    }

    [Fact]
    public async Task A_transfer_heavier_than_any_vehicle_goes_direct_and_the_rest_is_routed()
    {
        var heavy = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon, kg: 5000);
        var light = Transfer(Guid.NewGuid(), 1, "roanne", Towns.Roanne, "lyon", Towns.Lyon, kg: 500);

        var planned = await Planner().PlanAsync([heavy, light], new PlanningContext(Now, [Van("roanne", Towns.Roanne, capacityKg: 1000)]), CancellationToken.None);

        Assert.Equal(DirectTripPlanner.VehicleFor("roanne"), planned.Single(p => p.Transfer.Id == heavy.Id).VehicleId);
        Assert.Equal("van-roanne", planned.Single(p => p.Transfer.Id == light.Id).VehicleId);
    }

    [Fact]
    public async Task A_vehicle_whose_availability_is_over_is_not_planned()
    {
        var transfer = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);
        var retired = Van("roanne", Towns.Roanne) with { AvailableUntil = Now.AddHours(-1) };

        var planned = Assert.Single(await Planner().PlanAsync([transfer], new PlanningContext(Now, [retired]), CancellationToken.None));

        Assert.Equal(DirectTripPlanner.VehicleFor("roanne"), planned.VehicleId);
    }

    [Fact]
    public async Task A_vehicle_with_no_end_that_starts_after_the_planning_horizon_sits_the_run_out_instead_of_failing_it()
    {
        // Registered for next month: open-ended, its window would run from its start to the horizon, which comes first.
        var transfer = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);
        var nextMonth = Van("lyon", Towns.Lyon) with { AvailableFrom = Now + Settings.PlanningHorizon + TimeSpan.FromDays(20) };
        var today = Van("roanne", Towns.Roanne);

        var planned = Assert.Single(await Planner().PlanAsync([transfer], new PlanningContext(Now, [nextMonth, today]), CancellationToken.None));

        Assert.Equal(today.Id, planned.VehicleId);
    }

    [Fact]
    public async Task A_leg_ready_only_after_the_planning_horizon_waits_for_a_later_run_instead_of_going_as_a_direct_trip()
    {
        // Goods of next month's harvest: the idle van will be there then, so the giving town is not made to drive them.
        var harvest = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon) with { WindowFrom = Now + Settings.PlanningHorizon + TimeSpan.FromDays(20) };
        var today = Transfer(Guid.NewGuid(), 1, "roanne", Towns.Roanne, "lyon", Towns.Lyon);

        var planned = await Planner().PlanAsync([harvest, today], new PlanningContext(Now, [Van("roanne", Towns.Roanne)]), CancellationToken.None);

        Assert.Equal([(today.Id, "van-roanne")], planned.Select(p => (p.Transfer.Id, p.VehicleId)));
    }

    [Fact]
    public async Task A_leg_ready_after_the_only_working_day_its_vans_are_offered_waits_for_the_run_that_offers_that_day()
    {
        // A run offers a van with working hours inside one working day (VehicleBookings): today 07:00–18:00 here.
        var van = Van("roanne", Towns.Roanne) with { AvailableFrom = Now.AddHours(-2), AvailableUntil = Now.AddHours(9) };
        var tomorrow = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon) with { WindowFrom = Now.AddHours(23) };

        var planned = await Planner().PlanAsync([tomorrow], new PlanningContext(Now, [van]), CancellationToken.None);

        Assert.Empty(planned);
    }

    [Fact]
    public async Task Two_vans_of_a_town_based_a_hair_apart_away_from_its_agreed_point_are_both_planned_not_a_failed_run()
    {
        // The town's agreed point is its place; each other point got a place named by its coordinates to six decimals, so
        // two homes a few centimetres apart (a van registered with more digits than the other) got one name at two points,
        // and the planner refuses a town at two points: every run failed while both vans were registered.
        var east = new TradePoint(Towns.Roanne.Lat, Towns.Roanne.Lon + 0.1);
        var wood = Transfer(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon);
        var vans = new[]
        {
            Van("roanne", east) with { Id = "van-1" },
            Van("roanne", east with { Lat = east.Lat + 0.0000001 }) with { Id = "van-2" },
        };

        var planned = Assert.Single(await Planner().PlanAsync([wood], new PlanningContext(Now, vans), CancellationToken.None));

        Assert.Contains(planned.VehicleId, new[] { "van-1", "van-2" });
    }

    [Fact]
    public void A_run_reads_legs_ready_before_its_vans_hours_end_before_the_horizon_when_none_is_free_and_all_without_a_fleet()
    {
        var van = Van("roanne", Towns.Roanne) with { AvailableFrom = Now.AddHours(-2), AvailableUntil = Now.AddHours(9) };

        Assert.Equal(Now.AddHours(9), Planner().ReadyBefore(new PlanningContext(Now, [van])));
        Assert.Equal(Now + Settings.PlanningHorizon, Planner().ReadyBefore(new PlanningContext(Now, [], Registered: 1)));
        Assert.Null(Planner().ReadyBefore(new PlanningContext(Now)));
    }

    /// <summary>The shipments' view of the route, turned back into the planner's plan so its validator can judge it.</summary>
    private static RoutePlan Replay(PlanRequest request, IReadOnlyList<PlannedShipment> planned)
    {
        var stops = planned.SelectMany(p => p.Stops).GroupBy(s => s.Sequence).OrderBy(g => g.Key).Select(g => g.First()).Select(s =>
        {
            string[] picked = [.. planned.Where(p => p.Stops.Any(x => x.Sequence == s.Sequence && x.Action == "pickup")).Select(p => p.Transfer.Id.ToString())];
            string[] dropped = [.. planned.Where(p => p.Stops.Any(x => x.Sequence == s.Sequence && x.Action == "delivery")).Select(p => p.Transfer.Id.ToString())];
            return (s, picked, dropped);
        }).ToList();
        double load = 0;
        var routeStops = new List<RouteStop>();
        foreach (var (s, picked, dropped) in stops)
        {
            load += picked.Sum(id => request.Transfers.Single(t => t.Id == id).WeightKg) - dropped.Sum(id => request.Transfers.Single(t => t.Id == id).WeightKg);
            var service = picked.Length + dropped.Length == 0 ? TimeSpan.Zero : Settings.ServiceTime * (picked.Length + dropped.Length);
            routeStops.Add(new RouteStop(s.TownId, picked, dropped, load, 0, s.Eta, s.Eta + service));
        }
        var vehicle = request.Vehicles.Single(v => v.Id == planned[0].VehicleId);
        var distances = new DistanceModel(request.Distances);
        long meters = routeStops.Zip(routeStops.Skip(1)).Sum(p =>
            distances.Meters(Where(request, p.First.TownId), Where(request, p.Second.TownId)));
        var cost = meters / 1000.0 * vehicle.CostPerKm + vehicle.FixedCost;
        Assert.Equal(cost, planned.Sum(p => p.Cost), 6);
        return new RoutePlan([new VehicleRoute(vehicle.Id, routeStops, meters, cost)], [], cost, meters);
    }

    private static Place Where(PlanRequest request, string town) =>
        request.Transfers.Select(t => t.Pickup).Concat(request.Transfers.Select(t => t.Delivery)).Concat(request.Vehicles.Select(v => v.Home))
            .First(p => p.TownId == town);
}
