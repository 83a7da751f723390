using System.Net;
using System.Net.Http.Json;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <remarks>A host per test: the fleet is global to a host, and each test wants only its own vehicle.</remarks>
public sealed class RouteSheetTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    private async Task<(Guid Route, Guid Trade, string Carrier, string Receiver)> PlannedRouteAsync(string category)
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon, category, 40));
        await app.PlanAsync();
        var shipments = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
        return (shipments[0].RouteId, trade, roanne, lyon);
    }

    [Fact]
    public async Task The_csv_sheet_lists_every_stop_with_its_loads_and_unloads_in_order()
    {
        var (route, trade, roanne, lyon) = await PlannedRouteAsync("cheese");

        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route}/sheet.csv", TestSettings.TownAuth(roanne));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(Api.RouteSheet.CsvHeader, lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var column = lines[0].Split(',').Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
        string[] Cells(string[] row, params string[] names) => [.. names.Select(n => row[column[n]])];
        // The van's first loads are at home when it sets out: the sheet says the route starts there, not that it leaves.
        Assert.Equal(["1", roanne, Api.RouteSheet.StartAction], Cells(rows[0], "sequence", "town", "action"));
        Assert.Equal([roanne, "return"], Cells(rows[^1], "town", "action"));
        var cheeseLoad = rows.Single(r => r[column["action"]] == "pickup" && r[column["category"]] == "cheese");
        Assert.Equal([roanne, "40", "40", roanne, lyon, trade.ToString(), "0"],
            Cells(cheeseLoad, "town", "quantity", "weight_kg", "from_town", "to_town", "trade_id", "leg_index"));
        var cheeseUnload = rows.Single(r => r[column["action"]] == "delivery" && r[column["category"]] == "cheese");
        Assert.Equal(lyon, cheeseUnload[column["town"]]);
        var firewood = rows.Where(r => r[column["category"]] == "firewood").ToList();
        Assert.Equal(["pickup", "delivery"], firewood.Select(r => r[column["action"]]));
        Assert.Equal(["2", "2"], firewood.Select(r => r[column["quantity"]]));
        Assert.True(int.Parse(cheeseLoad[0]) < int.Parse(cheeseUnload[0]));
        var times = rows.Select(r => DateTimeOffset.Parse(r[column["eta"]], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task The_html_sheet_is_printable_and_escapes_all_text()
    {
        var (route, _, roanne, lyon) = await PlannedRouteAsync("<script>alert(1)</script>");

        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route}/sheet.html", TestSettings.TownAuth(roanne));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("@media print", html);
        Assert.Contains(roanne, html);
        Assert.Contains(lyon, html);
        Assert.Contains("40 × ", html);
        Assert.Contains("2 × firewood", html);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task A_formula_in_a_csv_cell_stays_text()
    {
        var (route, _, roanne, _) = await PlannedRouteAsync("=HYPERLINK(\"x\",\"y\")");

        var csv = await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route}/sheet.csv", TestSettings.TownAuth(roanne))).Content.ReadAsStringAsync();

        Assert.Contains("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"", csv);
    }

    [Theory]
    [InlineData("done")]
    [InlineData("failure")]
    public async Task A_stop_number_that_is_not_a_number_is_a_bad_request_naming_the_field(string report)
    {
        var (route, _, roanne, _) = await PlannedRouteAsync("cheese");

        var response = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{route}/stops/first/{report}", TestSettings.TownAuth(roanne),
            report == "failure" ? new { reason = "flat tyre" } : null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sequence", (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>())!.Errors.Keys);
    }

    [Theory]
    [InlineData("done")]
    [InlineData("failure")]
    public async Task A_stop_the_route_does_not_have_is_not_found_as_a_leg_a_trade_does_not_have_is(string report)
    {
        var (route, _, roanne, _) = await PlannedRouteAsync("cheese");

        var response = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{route}/stops/99/{report}", TestSettings.TownAuth(roanne),
            report == "failure" ? new { reason = "flat tyre" } : null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no stop 99", (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task A_route_whose_only_trade_was_cancelled_still_names_its_vehicle_and_carrier()
    {
        var (route, trade, roanne, lyon) = await PlannedRouteAsync("cheese");
        var vehicle = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()))[0].VehicleId;

        await app.PublishAsync(new TradeNet.Contracts.TradeCancelled(trade, "an operator cancelled it", true,
            Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon, "cheese", 40).Legs));
        await Eventually.True(async () => (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()))
            .All(s => s.Status == TradeNet.Logistics.Domain.ShipmentStatus.Cancelled), what: "the trade's shipments cancelled");
        var read = (await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route}", TestSettings.TownAuth(roanne)))
            .Content.ReadFromJsonAsync<Api.RouteView>(LogisticsApp.Json))!;

        Assert.Equal((vehicle, roanne, 0, 0), (read.VehicleId, read.CarrierTown, read.Shipments, read.Stops.Length));
    }

    [Fact]
    public async Task A_carrier_that_is_not_a_town_of_the_trade_reads_its_route_but_not_the_trades_cost()
    {
        var (roanne, lyon, carrier) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(carrier), Fleet.Van(Towns.Roanne));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon, "firewood", 40));
        await app.PlanAsync();
        var route = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()))[0];
        Assert.Equal(carrier, route.CarrierTown);

        var sheet = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route.RouteId}", TestSettings.TownAuth(carrier));
        var byCarrier = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/cost", TestSettings.TownAuth(carrier));
        var byTown = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/cost", TestSettings.TownAuth(lyon));

        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byCarrier.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byTown.StatusCode);
    }

    [Fact]
    public async Task Only_the_carrier_and_operators_read_a_route_sheet()
    {
        var (route, _, _, lyon) = await PlannedRouteAsync("cheese");

        var byReceiver = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route}/sheet.csv", TestSettings.TownAuth(lyon));
        var byOperator = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route}/sheet.html", TestSettings.OperatorAuth());
        var unknown = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{Guid.NewGuid()}/sheet.csv", TestSettings.OperatorAuth());
        var malformed = await app.SendAsync(HttpMethod.Get, "/api/logistics/routes/not-a-route/sheet.csv", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.NotFound, byReceiver.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byOperator.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }
}
