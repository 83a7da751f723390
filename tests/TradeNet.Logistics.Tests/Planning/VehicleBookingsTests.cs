using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;

namespace TradeNet.Logistics.Tests.Planning;

public class VehicleBookingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    private static Vehicle Van(string id, DateTimeOffset? from = null, DateTimeOffset? until = null) =>
        new(id, "roanne", Towns.Roanne, "van", 2000, null, true, 0.5, 20, from, until, Now, Now);

    /// <summary>A shipment on the van's route, which comes home at <paramref name="back"/>.</summary>
    private static Shipment On(string vehicle, DateTimeOffset back, ShipmentStatus status = ShipmentStatus.Planned) =>
        new(Guid.NewGuid(), Guid.NewGuid(), 0, Guid.NewGuid(), "roanne", "lyon", "roanne", vehicle, Guid.NewGuid(), status, 86, 43,
            back.AddHours(-1), [new ShipmentStop(1, "roanne", "depart", Now), new ShipmentStop(2, "lyon", "delivery", back.AddHours(-1)),
                new ShipmentStop(3, "roanne", "return", back)], Now);

    /// <summary>A shipment on one of the van's routes, which leaves home at <paramref name="leaves"/>.</summary>
    private static Shipment OnRoute(Guid route, DateTimeOffset leaves, DateTimeOffset back, string vehicle = "van",
        ShipmentStatus status = ShipmentStatus.Planned) =>
        On(vehicle, back, status) with { RouteId = route, Stops = [new ShipmentStop(1, "roanne", "depart", leaves),
            new ShipmentStop(2, "lyon", "delivery", back.AddHours(-1)), new ShipmentStop(3, "roanne", "return", back)] };

    [Fact]
    public void A_vehicle_without_a_route_keeps_its_availability()
    {
        var idle = Van("idle", until: Now.AddDays(2));

        Assert.Equal([idle], VehicleBookings.FreeFrom([idle], [On("other", Now.AddHours(5))], Now));
    }

    [Fact]
    public void A_vehicle_on_routes_is_free_from_when_the_latest_brings_it_home()
    {
        var busy = VehicleBookings.FreeFrom([Van("van")], [On("van", Now.AddHours(3)), On("van", Now.AddHours(6), ShipmentStatus.PickedUp)], Now);

        Assert.Equal(Now.AddHours(6), Assert.Single(busy).AvailableFrom);
    }

    [Fact]
    public void A_vehicle_whose_own_availability_starts_after_its_return_keeps_it()
    {
        var later = Van("van", from: Now.AddDays(1));

        Assert.Equal(Now.AddDays(1), Assert.Single(VehicleBookings.FreeFrom([later], [On("van", Now.AddHours(6))], Now)).AvailableFrom);
    }

    private static readonly DutyRules TenHourDays = new(v => v.MaxRouteHours ?? 10, TimeSpan.FromHours(11));

    [Fact]
    public void A_vehicle_back_from_a_route_that_used_its_working_day_rests_before_the_next()
    {
        // 08:00 to 17:30: 9.5 of its 10 hours; half an hour is no route.
        var free = VehicleBookings.FreeFrom([Van("van")], [OnRoute(Guid.NewGuid(), Now, Now.AddHours(9.5))], Now, TenHourDays);

        Assert.Equal(Now.AddHours(9.5 + 11), Assert.Single(free).AvailableFrom);
        Assert.Null(free[0].MaxRouteHours);
    }

    [Fact]
    public void A_vehicle_back_from_a_short_route_may_go_again_at_once_for_what_its_day_has_left()
    {
        var free = VehicleBookings.FreeFrom([Van("van")], [OnRoute(Guid.NewGuid(), Now, Now.AddHours(3))], Now, TenHourDays);

        Assert.Equal((Now.AddHours(3), 7.0), (Assert.Single(free).AvailableFrom, free[0].MaxRouteHours!.Value));
    }

    [Fact]
    public void Routes_with_less_than_a_rest_between_them_share_one_day_and_time_at_home_between_them_is_a_break()
    {
        // 08–11 and 14–19 (a 3-hour break at home): 8 hours worked, 2 left. A route the evening before, 11 h before the
        // first, belongs to the day before.
        var (day, evening) = (Guid.NewGuid(), Guid.NewGuid());
        var active = new[]
        {
            OnRoute(day, Now, Now.AddHours(3)), OnRoute(Guid.NewGuid(), Now.AddHours(6), Now.AddHours(11)),
            OnRoute(evening, Now.AddHours(-14), Now.AddHours(-11)),
        };

        var free = Assert.Single(VehicleBookings.FreeFrom([Van("van") with { MaxRouteHours = 9 }], active, Now, TenHourDays));

        Assert.Equal((Now.AddHours(11), 1.0), (free.AvailableFrom, free.MaxRouteHours!.Value));
    }

    /// <summary>A route the van drove, its shipments delivered.</summary>
    private static Shipment Ended(Guid route, DateTimeOffset leaves, DateTimeOffset back) =>
        OnRoute(route, leaves, back, status: ShipmentStatus.Delivered);

    [Fact]
    public void A_route_already_delivered_still_counts_in_the_drivers_day()
    {
        // 00:00–06:00 driven and delivered, nothing active, run at 08:00: 4 hours left today, from its own start.
        var van = Van("van");
        var free = VehicleBookings.FreeFrom([van], [], Now, TenHourDays, [Ended(Guid.NewGuid(), Now.AddHours(-8), Now.AddHours(-2))]);

        Assert.Equal(van with { MaxRouteHours = 4 }, Assert.Single(free));
    }

    [Fact]
    public void A_vehicle_whose_delivered_routes_used_its_day_rests_before_it_is_offered_again()
    {
        var free = VehicleBookings.FreeFrom([Van("van")], [], Now, TenHourDays, [Ended(Guid.NewGuid(), Now.AddHours(-11), Now.AddHours(-1.5))]);

        Assert.Equal(Now.AddHours(-1.5 + 11), Assert.Single(free).AvailableFrom);
    }

    [Fact]
    public void A_delivered_route_from_before_a_full_rest_leaves_the_vehicle_as_registered()
    {
        var van = Van("van");

        Assert.Equal([van], VehicleBookings.FreeFrom([van], [], Now, TenHourDays, [Ended(Guid.NewGuid(), Now.AddHours(-22), Now.AddHours(-12))]));
    }

    [Fact]
    public void A_route_still_on_the_road_counts_once_though_some_of_its_shipments_were_delivered()
    {
        // 06:00–11:00, one shipment delivered, another still planned: 5 hours worked, not 10.
        var route = Guid.NewGuid();
        var free = VehicleBookings.FreeFrom([Van("van")], [OnRoute(route, Now.AddHours(-2), Now.AddHours(3))], Now, TenHourDays,
            [Ended(route, Now.AddHours(-2), Now.AddHours(3))]);

        Assert.Equal((Now.AddHours(3), 5.0), (Assert.Single(free).AvailableFrom, free[0].MaxRouteHours!.Value));
    }

    [Fact]
    public void A_vehicle_whose_own_hours_start_after_a_full_rest_begins_a_new_day_with_its_whole_limit()
    {
        var tomorrow = Van("van", from: Now.AddDays(1));

        Assert.Equal([tomorrow], VehicleBookings.FreeFrom([tomorrow], [OnRoute(Guid.NewGuid(), Now, Now.AddHours(9.5))], Now, TenHourDays));
    }

    [Fact]
    public void Without_a_rest_or_a_route_limit_a_vehicle_is_free_the_moment_it_is_back()
    {
        var active = new[] { OnRoute(Guid.NewGuid(), Now, Now.AddHours(9.5)) };

        Assert.Equal(Now.AddHours(9.5), Assert.Single(VehicleBookings.FreeFrom([Van("van")], active, Now, TenHourDays with { Rest = TimeSpan.Zero })).AvailableFrom);
        Assert.Equal(Now.AddHours(9.5), Assert.Single(VehicleBookings.FreeFrom([Van("van")], active, Now, TenHourDays with { RouteHours = _ => null })).AvailableFrom);
    }

    [Fact]
    public void A_vehicle_back_only_after_its_availability_ends_is_left_out()
    {
        Assert.Empty(VehicleBookings.FreeFrom([Van("van", until: Now.AddHours(4))], [On("van", Now.AddHours(6))], Now));
    }

    [Fact]
    public void A_vehicle_still_on_a_route_it_should_have_come_back_from_is_left_out_until_its_carrier_reports()
    {
        Assert.Empty(VehicleBookings.FreeFrom([Van("van")], [On("van", Now.AddHours(-1), ShipmentStatus.PickedUp)], Now));
    }

    [Fact]
    public void A_replanned_route_may_leave_once_the_route_before_it_is_back_and_must_be_back_when_the_route_after_it_leaves()
    {
        var (before, replanned, after) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        Shipment[] active =
        [
            OnRoute(before, Now.AddHours(1), Now.AddHours(3)), OnRoute(replanned, Now.AddHours(3), Now.AddHours(5)),
            OnRoute(after, Now.AddHours(6), Now.AddHours(8)), OnRoute(Guid.NewGuid(), Now, Now.AddHours(9), vehicle: "other"),
        ];

        var free = VehicleBookings.FreeAround(Van("van", until: Now.AddDays(1)), replanned, active, Now);

        Assert.Equal((Now.AddHours(3), Now.AddHours(6)), (free?.AvailableFrom, free?.AvailableUntil));
    }

    [Fact]
    public void A_replanned_route_with_no_other_route_keeps_the_vehicles_availability()
    {
        var route = Guid.NewGuid();
        var van = Van("van", from: Now.AddHours(-1), until: Now.AddDays(1));

        Assert.Equal(van, VehicleBookings.FreeAround(van, route, [OnRoute(route, Now.AddHours(1), Now.AddHours(3))], Now));
    }

    [Fact]
    public void A_replanned_route_has_no_hours_when_the_vehicles_availability_ends_before_the_route_before_it_is_back()
    {
        var (before, replanned) = (Guid.NewGuid(), Guid.NewGuid());
        Shipment[] active = [OnRoute(before, Now.AddHours(1), Now.AddHours(3)), OnRoute(replanned, Now.AddHours(3), Now.AddHours(5))];

        Assert.Null(VehicleBookings.FreeAround(Van("van", until: Now.AddHours(3)), replanned, active, Now));
    }

    [Fact]
    public void A_replanned_route_has_no_hours_while_the_vehicle_is_late_on_the_route_before_it()
    {
        var (before, replanned) = (Guid.NewGuid(), Guid.NewGuid());
        Shipment[] active =
        [
            OnRoute(before, Now.AddHours(-3), Now.AddHours(-1), status: ShipmentStatus.PickedUp),
            OnRoute(replanned, Now.AddHours(-1), Now.AddHours(2)),
        ];

        Assert.Null(VehicleBookings.FreeAround(Van("van"), replanned, active, Now));
    }

    [Fact]
    public void A_replanned_route_after_a_short_route_gets_only_what_the_drivers_day_has_left_as_a_run_would_offer()
    {
        // 08–12 driven, back at 12: the re-planned route (12–14) may take the 6 hours the day has left, not 10.
        var (before, replanned) = (Guid.NewGuid(), Guid.NewGuid());
        Shipment[] active = [OnRoute(before, Now, Now.AddHours(4)), OnRoute(replanned, Now.AddHours(4), Now.AddHours(6))];

        var free = VehicleBookings.FreeAround(Van("van"), replanned, active, Now, TenHourDays);

        Assert.Equal((Now.AddHours(4), 6.0), (free?.AvailableFrom, free?.MaxRouteHours));
    }

    [Fact]
    public void A_replanned_route_after_a_full_day_driven_and_ended_starts_after_the_rest()
    {
        // 9.5 hours driven and delivered, back half an hour ago: nothing before the rest ends, as for a run.
        var replanned = Guid.NewGuid();
        Shipment[] active = [OnRoute(replanned, Now.AddHours(11), Now.AddHours(14))];
        Shipment[] ended = [Ended(Guid.NewGuid(), Now.AddHours(-10), Now.AddHours(-0.5))];

        var free = VehicleBookings.FreeAround(Van("van"), replanned, active, Now, TenHourDays, ended);

        Assert.Equal((Now.AddHours(10.5), null), (free?.AvailableFrom, free?.MaxRouteHours));
        Assert.Null(VehicleBookings.FreeAround(Van("van", until: Now.AddHours(10)), replanned, active, Now, TenHourDays, ended));
    }

    [Fact]
    public void A_replanned_route_that_joins_the_next_routes_duty_and_leaves_it_too_little_breaks_the_duty()
    {
        // The next route (20:00 to 03:00 next day, 7 h) follows a full rest after the old route (06–09). Re-planned to
        // 09–12, back only 8 h before it, the two share a duty of 3 + 7 = 10 h: kept. To 09–13, 4 + 7 = 11 h: broken.
        var (replanned, next) = (Guid.NewGuid(), Guid.NewGuid());
        Shipment[] active = [OnRoute(replanned, Now.AddHours(-2), Now.AddHours(1)), OnRoute(next, Now.AddHours(12), Now.AddHours(19))];
        var van = Van("van");

        Assert.True(VehicleBookings.KeepsDuty(van, replanned, (Now.AddHours(1), Now.AddHours(4)), active, [], TenHourDays));
        Assert.False(VehicleBookings.KeepsDuty(van, replanned, (Now.AddHours(1), Now.AddHours(5)), active, [], TenHourDays));
        Assert.True(VehicleBookings.KeepsDuty(van, replanned, (Now.AddHours(-2), Now.AddHours(1)), active, [], TenHourDays));
    }

    [Fact]
    public void The_next_run_is_told_a_vehicle_rests_after_a_full_day_is_late_or_has_part_of_its_day_left()
    {
        var van = Van("van");
        double? Limit(Vehicle v) => v.MaxRouteHours ?? 10;

        var resting = NextRun.Of(van, [Ended(Guid.NewGuid(), Now.AddHours(-11), Now.AddHours(-1.5))], Now, TenHourDays, Limit);
        var partOfDay = NextRun.Of(van, [Ended(Guid.NewGuid(), Now.AddHours(-8), Now.AddHours(-2))], Now, TenHourDays, Limit);
        var late = NextRun.Of(van, [On("van", Now.AddHours(-1), ShipmentStatus.PickedUp)], Now, TenHourDays, Limit);
        var ended = NextRun.Of(Van("van", until: Now.AddHours(4)), [On("van", Now.AddHours(6))], Now, TenHourDays, Limit);

        Assert.Equal((NextRun.Resting, Now.AddHours(9.5)), (resting.State, resting.From!.Value));
        Assert.Contains("rests 11 h", resting.Message);
        Assert.Equal((NextRun.DayLeft, 4.0), (partOfDay.State, partOfDay.MaxRouteHours!.Value));
        Assert.Equal((NextRun.Late, false), (late.State, late.Offered));
        Assert.Equal((NextRun.Unavailable, false), (ended.State, ended.Offered));
    }
}

