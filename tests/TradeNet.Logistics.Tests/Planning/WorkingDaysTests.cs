using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;

namespace TradeNet.Logistics.Tests.Planning;

/// <summary>A vehicle with working hours is offered to a run inside one working day (<see cref="WorkingDays"/>), in its
/// time zone: Europe/Paris is UTC+1 in winter and UTC+2 in summer, changing on 2027-03-28 and 2027-10-31.</summary>
public class WorkingDaysTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    // Wednesday 10 March 2027, 11:00 in Paris.
    private static readonly DateTimeOffset Wednesday = new(2027, 3, 10, 10, 0, 0, TimeSpan.Zero);

    private static WorkingHours Hours(string start = "07:00", string end = "18:00", WorkDays days = WorkDays.Every) =>
        new(TimeOnly.Parse(start), TimeOnly.Parse(end), "Europe/Paris", days);

    private static Vehicle Van(WorkingHours? hours, DateTimeOffset? from = null, DateTimeOffset? until = null, double? maxRouteHours = null) =>
        new("van", "roanne", Towns.Roanne, "van", 2000, null, true, 0.5, 20, from, until, Wednesday, Wednesday, maxRouteHours, hours);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2027, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_run_during_the_working_day_offers_the_vehicle_from_the_days_start_to_its_end()
    {
        var offered = WorkingDays.Within(Van(Hours()), Wednesday);

        Assert.Equal((Utc(3, 10, 6), Utc(3, 10, 17)), (offered!.AvailableFrom, offered.AvailableUntil));
    }

    [Fact]
    public void A_vehicle_without_working_hours_is_offered_unchanged()
    {
        var van = Van(null);

        Assert.Same(van, WorkingDays.Within(van, Wednesday));
    }

    [Fact]
    public void A_run_after_todays_end_offers_the_next_working_day()
    {
        var offered = WorkingDays.Within(Van(Hours()), Utc(3, 10, 17, 30)); // 18:30 in Paris

        Assert.Equal((Utc(3, 11, 6), Utc(3, 11, 17)), (offered!.AvailableFrom, offered.AvailableUntil));
    }

    [Fact]
    public void A_run_with_less_than_an_hour_of_the_day_left_offers_the_next_working_day()
    {
        var offered = WorkingDays.Within(Van(Hours()), Utc(3, 10, 16, 15)); // 17:15: 45 minutes left

        Assert.Equal(Utc(3, 11, 6), offered!.AvailableFrom);
    }

    [Fact]
    public void Days_not_worked_are_skipped()
    {
        var weekdays = WorkDays.Mon | WorkDays.Tue | WorkDays.Wed | WorkDays.Thu | WorkDays.Fri;

        var offered = WorkingDays.Within(Van(Hours(days: weekdays)), Utc(3, 12, 18)); // Friday 19:00

        Assert.Equal((Utc(3, 15, 6), Utc(3, 15, 17)), (offered!.AvailableFrom, offered.AvailableUntil)); // Monday
    }

    [Fact]
    public void On_the_day_the_clocks_go_forward_the_working_day_keeps_its_local_hours()
    {
        // Saturday evening: the next day is Sunday 28 March, on summer time from 02:00 (UTC+2).
        var offered = WorkingDays.Within(Van(Hours()), Utc(3, 27, 17, 30));

        Assert.Equal((Utc(3, 28, 5), Utc(3, 28, 16)), (offered!.AvailableFrom, offered.AvailableUntil));
    }

    [Fact]
    public void On_the_day_the_clocks_go_back_the_working_day_keeps_its_local_hours_and_lasts_an_hour_more()
    {
        // 01:00 to 06:00 local on Sunday 31 October: from 01:00 summer time (UTC+2) to 06:00 winter time (UTC+1).
        var offered = WorkingDays.Within(Van(Hours("01:00", "06:00")), Utc(10, 30, 20));

        Assert.Equal((Utc(10, 30, 23), Utc(10, 31, 5)), (offered!.AvailableFrom, offered.AvailableUntil));
    }

    [Fact]
    public void A_local_time_the_clock_skips_is_the_moment_of_the_jump_and_one_it_shows_twice_is_its_first_showing()
    {
        var skipped = WorkingHours.At(new DateOnly(2027, 3, 28), new TimeOnly(2, 30), Paris); // 02:00 → 03:00
        var twice = WorkingHours.At(new DateOnly(2027, 10, 31), new TimeOnly(2, 30), Paris); // 03:00 → 02:00

        Assert.Equal(Utc(3, 28, 1), skipped);
        Assert.Equal(Utc(10, 31, 0, 30), twice);
    }

    [Fact]
    public void Working_hours_inside_the_skipped_hour_leave_that_day_out_without_throwing()
    {
        // 02:00–03:00 does not exist on 28 March: a day of no length, so the run offers the next one.
        var offered = WorkingDays.Within(Van(Hours("02:00", "03:00")), Utc(3, 27, 12));

        Assert.Equal((Utc(3, 29, 0), Utc(3, 29, 1)), (offered!.AvailableFrom, offered.AvailableUntil));
    }

    [Fact]
    public void A_vehicle_whose_own_start_is_after_the_days_start_keeps_it()
    {
        var offered = WorkingDays.Within(Van(Hours(), from: Utc(3, 10, 12)), Wednesday);

        Assert.Equal((Utc(3, 10, 12), Utc(3, 10, 17)), (offered!.AvailableFrom, offered.AvailableUntil));
    }

    [Fact]
    public void A_vehicle_whose_availability_ends_before_its_next_working_day_is_not_offered()
    {
        Assert.Null(WorkingDays.Within(Van(Hours(), until: Utc(3, 11, 5)), Utc(3, 10, 17, 30)));
    }

    [Fact]
    public void A_vehicle_whose_time_zone_this_system_does_not_know_is_not_offered()
    {
        Assert.Null(WorkingDays.Within(Van(Hours() with { TimeZone = "Mars/Olympus_Mons" }), Wednesday));
    }

    [Fact]
    public void Two_reads_of_one_run_within_the_day_offer_the_vehicle_alike()
    {
        // A run compares the vehicle it planned for with the one offered in its write, seconds later.
        Assert.Equal(WorkingDays.Within(Van(Hours()), Wednesday), WorkingDays.Within(Van(Hours()), Wednesday.AddSeconds(40)));
    }

    [Fact]
    public void A_route_limit_longer_than_what_is_left_of_the_day_still_ends_the_planners_window_at_the_days_end()
    {
        // 15:00 in Paris, a 10-hour route limit, 3 hours of the day left.
        var now = Utc(3, 10, 14);
        var offered = VehicleBookings.FreeFrom([Van(Hours(), maxRouteHours: 10)], [], now);

        var request = FleetShipmentPlanner.Request([], offered, now, new LogisticsOptions());

        var vehicle = Assert.Single(request.Vehicles);
        Assert.Equal((now, Utc(3, 10, 17)), (vehicle.Availability.From, vehicle.Availability.To));
        Assert.Equal(TimeSpan.FromHours(10), vehicle.MaxRouteDuration);
    }

    [Fact]
    public void A_vehicle_back_too_late_for_today_starts_a_new_duty_on_its_next_working_day()
    {
        // Back at 17:30 from a 2.5-hour route: half an hour of the day left, and 13.5 hours of rest before 07:00.
        var duty = new DutyRules(v => v.MaxRouteHours ?? 10, TimeSpan.FromHours(11));
        var route = new Shipment(Guid.NewGuid(), Guid.NewGuid(), 0, Guid.NewGuid(), "roanne", "lyon", "roanne", "van", Guid.NewGuid(),
            ShipmentStatus.Planned, 86, 43, Utc(3, 10, 15, 30),
            [new ShipmentStop(1, "roanne", "depart", Utc(3, 10, 14)), new ShipmentStop(2, "lyon", "delivery", Utc(3, 10, 15, 30)),
                new ShipmentStop(3, "roanne", "return", Utc(3, 10, 16, 30))], Wednesday);

        var offered = Assert.Single(VehicleBookings.FreeFrom([Van(Hours())], [route], Wednesday, duty));

        Assert.Equal((Utc(3, 11, 6), Utc(3, 11, 17)), (offered.AvailableFrom, offered.AvailableUntil));
        Assert.Null(offered.MaxRouteHours); // its own (the default), not the 7.5 hours the day before left
    }

    [Fact]
    public void A_route_re_planned_after_a_cancellation_keeps_to_the_working_day()
    {
        var route = Guid.NewGuid();
        var own = new Shipment(Guid.NewGuid(), Guid.NewGuid(), 0, Guid.NewGuid(), "roanne", "lyon", "roanne", "van", route,
            ShipmentStatus.Planned, 86, 43, Utc(3, 10, 12),
            [new ShipmentStop(1, "roanne", "depart", Utc(3, 10, 11)), new ShipmentStop(3, "roanne", "return", Utc(3, 10, 13))], Wednesday);

        var free = VehicleBookings.FreeAround(Van(Hours()), route, [own], Wednesday);

        Assert.Equal((Utc(3, 10, 6), Utc(3, 10, 17)), (free!.AvailableFrom, free.AvailableUntil));
    }

    private static readonly DutyRules Duty = new(v => v.MaxRouteHours ?? 10, TimeSpan.FromHours(11));

    [Fact]
    public void Next_run_says_a_vehicle_inside_its_working_day_is_offered_until_the_days_end()
    {
        var told = NextRun.Of(Van(Hours()), [], Wednesday, Duty, v => v.MaxRouteHours ?? 10);

        Assert.Equal((NextRun.Free, true, Utc(3, 10, 17)), (told.State, told.Offered, told.Until));
        Assert.Contains("Only within its working hours (07:00–18:00 Europe/Paris, every day): back home by 2027-03-10 18:00 Europe/Paris (17:00 UTC)", told.Message);
    }

    [Fact]
    public void Next_run_says_working_hours_keep_a_vehicle_out_until_its_next_working_day()
    {
        var told = NextRun.Of(Van(Hours(days: WorkDays.Thu)), [], Wednesday, Duty, v => v.MaxRouteHours ?? 10);

        Assert.Equal((NextRun.OffHours, true, Utc(3, 11, 6), Utc(3, 11, 17)), (told.State, told.Offered, told.From, told.Until));
        Assert.StartsWith("Outside its working hours (07:00–18:00 Europe/Paris, thu) until 2027-03-11 07:00 Europe/Paris (06:00 UTC)", told.Message);
    }

    [Fact]
    public void Next_run_says_when_working_hours_leave_a_vehicle_no_day_before_its_availability_ends()
    {
        var told = NextRun.Of(Van(Hours(days: WorkDays.Thu), until: Utc(3, 10, 20)), [], Wednesday, Duty, v => v.MaxRouteHours ?? 10);

        Assert.Equal((NextRun.OffHours, false), (told.State, told.Offered));
        Assert.Contains("no working day before its availability ends", told.Message);
    }
}
