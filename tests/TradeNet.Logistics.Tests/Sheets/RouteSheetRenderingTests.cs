using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Tests.Sheets;

/// <summary>The sheets rendered from a route fixed in time, so the hours are exact.</summary>
public class RouteSheetRenderingTests
{
    private static readonly DateTimeOffset TenPmUtcInDecember = new(2026, 12, 5, 22, 0, 0, TimeSpan.Zero);

    private static RouteView Route(string firstLoadTown)
    {
        var goods = new RouteGoods(Guid.NewGuid(), Guid.NewGuid(), 0, firstLoadTown, "69123", "cheese", 40, 40, ShipmentStatus.Planned);
        return new RouteView(Guid.NewGuid(), "van-1", "42187", 30, 1,
        [
            new RouteStopView(1, "42187", TenPmUtcInDecember, [], []),
            new RouteStopView(2, firstLoadTown, TenPmUtcInDecember + (firstLoadTown == "42187" ? TimeSpan.Zero : TimeSpan.FromMinutes(20)), [goods], []),
            new RouteStopView(3, "69123", TenPmUtcInDecember.AddHours(2), [], [goods]),
            new RouteStopView(4, "42187", TenPmUtcInDecember.AddHours(3), [], []),
        ]);
    }

    private static SheetContext Paris(IReadOnlyDictionary<string, string>? names = null) =>
        new(names ?? new Dictionary<string, string> { ["42187"] = "Roanne" }, LogisticsOptions.FindZone("Europe/Paris")!);

    [Fact]
    public void Ten_pm_utc_in_december_reads_eleven_pm_in_roanne_with_its_offset_in_the_csv()
    {
        var csv = RouteSheet.Csv(Route("42187"), Paris());

        Assert.StartsWith("1,42187,Roanne,2026-12-05T23:00:00+01:00,Europe/Paris,", csv.Split('\n')[1]);
    }

    [Fact]
    public void Ten_pm_utc_in_december_reads_eleven_pm_on_the_html_sheet_which_names_the_zone()
    {
        var html = RouteSheet.Html(Route("42187"), Paris());

        Assert.Contains("<td>Roanne (42187)</td><td>2026-12-05 23:00</td>", html);
        Assert.Contains("<th>Time (Europe/Paris)</th>", html);
    }

    [Fact]
    public void A_route_across_the_october_clock_change_shows_each_time_with_its_offset_so_the_twice_run_hour_reads_apart()
    {
        // 31 Oct 2027 in Paris: 03:00 summer time is 02:00 winter time (01:00 UTC), so 00:30 and 01:30 UTC both read 02:30.
        var night = new DateTimeOffset(2027, 10, 31, 0, 30, 0, TimeSpan.Zero);
        var goods = new RouteGoods(Guid.NewGuid(), Guid.NewGuid(), 0, "42187", "69123", "cheese", 40, 40, ShipmentStatus.Planned);
        var route = new RouteView(Guid.NewGuid(), "van-1", "42187", 30, 1,
        [
            new RouteStopView(1, "42187", night, [goods], []),
            new RouteStopView(2, "69123", night.AddHours(1), [], [goods]),
        ]);

        var html = RouteSheet.Html(route, Paris());
        var csv = RouteSheet.Csv(route, Paris());

        Assert.Contains("<td>2027-10-31 02:30 +02:00</td>", html);
        Assert.Contains("<td>2027-10-31 02:30 +01:00</td>", html);
        Assert.Contains(",2027-10-31T02:30:00+02:00,", csv);
        Assert.Contains(",2027-10-31T02:30:00+01:00,", csv);
    }

    [Fact]
    public void A_route_after_the_march_clock_change_reads_summer_time_from_the_first_hour()
    {
        // 28 Mar 2027: 02:00 winter time becomes 03:00 summer time (01:00 UTC); one offset on the route, so no offsets shown.
        var morning = new DateTimeOffset(2027, 3, 28, 1, 0, 0, TimeSpan.Zero);
        var goods = new RouteGoods(Guid.NewGuid(), Guid.NewGuid(), 0, "42187", "69123", "cheese", 40, 40, ShipmentStatus.Planned);
        var route = new RouteView(Guid.NewGuid(), "van-1", "42187", 30, 1,
        [
            new RouteStopView(1, "42187", morning, [goods], []),
            new RouteStopView(2, "69123", morning.AddHours(1), [], [goods]),
        ]);

        var html = RouteSheet.Html(route, Paris());

        Assert.Contains("<td>2027-03-28 03:00</td>", html);
        Assert.Contains("<td>2027-03-28 04:00</td>", html);
    }

    [Fact]
    public void A_route_whose_first_loads_are_at_home_starts_there_rather_than_departing()
    {
        var route = Route("42187");

        var csv = RouteSheet.Csv(route, Paris());
        var html = RouteSheet.Html(route, Paris());

        Assert.Equal(RouteSheet.StartAction, csv.Split('\n')[1].Split(',')[5]);
        Assert.Contains("Start here: load (next row), then leave", html);
        Assert.DoesNotContain("Leave home", html);
    }

    [Fact]
    public void A_route_whose_first_load_is_elsewhere_departs_from_home()
    {
        var route = Route("42094");

        var csv = RouteSheet.Csv(route, Paris());
        var html = RouteSheet.Html(route, Paris());

        Assert.Equal("depart", csv.Split('\n')[1].Split(',')[5]);
        Assert.Contains("<i>Leave home</i>", html);
        Assert.Contains("<i>Back home</i>", html);
    }

    [Fact]
    public void A_direct_trip_shows_its_delivery_on_its_last_stop()
    {
        var goods = new RouteGoods(Guid.NewGuid(), Guid.NewGuid(), 0, "42187", "69123", "cheese", 40, 40, ShipmentStatus.Planned);
        var direct = new RouteView(Guid.NewGuid(), "direct-42187", "42187", 30, 1,
            [new RouteStopView(1, "42187", TenPmUtcInDecember, [goods], []), new RouteStopView(2, "69123", TenPmUtcInDecember.AddHours(2), [], [goods])]);

        var html = RouteSheet.Html(direct, Paris());

        Assert.DoesNotContain("Back home", html);
        Assert.Contains("40 × cheese (40 kg) from Roanne (42187)", html);
    }

    [Fact]
    public void An_eta_at_the_end_of_the_calendar_stays_in_utc_rather_than_failing_the_sheet()
    {
        var goods = new RouteGoods(Guid.NewGuid(), Guid.NewGuid(), 0, "42187", "69123", "cheese", 40, 40, ShipmentStatus.Planned);
        var direct = new RouteView(Guid.NewGuid(), "direct-42187", "42187", 30, 1,
            [new RouteStopView(1, "42187", DateTimeOffset.MaxValue.AddHours(-3), [goods], []), new RouteStopView(2, "69123", DateTimeOffset.MaxValue, [], [goods])]);

        var csv = RouteSheet.Csv(direct, Paris());

        Assert.Contains(",9999-12-31T23:59:59+00:00,Europe/Paris,delivery,", csv);
    }
}
