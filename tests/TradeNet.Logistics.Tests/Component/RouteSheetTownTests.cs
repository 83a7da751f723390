using System.Globalization;
using System.Net;
using Grpc.Core;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>Route sheets name their towns (from catalog, asked once per sheet) and give times in
/// <c>Logistics:SheetTimeZone</c>.</summary>
/// <remarks>A host per test: the fleet is global to a host, and each test wants only its own vehicle.</remarks>
public sealed class RouteSheetTownTests : IDisposable
{
    private LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    private async Task<(Guid Route, string Carrier, string Receiver)> PlannedRouteAsync(string category = "cheese")
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon, category, 40));
        await app.PlanAsync();
        return ((await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()))[0].RouteId, roanne, lyon);
    }

    private async Task<(HttpStatusCode Status, string Body)> SheetAsync(Guid route, string format, string carrier)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route}/sheet.{format}", TestSettings.TownAuth(carrier));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static List<Dictionary<string, string>> Rows(string csv)
    {
        var lines = csv.TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(c => c.First, c => c.Second))];
    }

    [Fact]
    public async Task The_sheets_name_each_town_beside_its_id_from_one_catalog_question_with_a_short_deadline()
    {
        var (route, roanne, lyon) = await PlannedRouteAsync();
        app.Catalog.Knows(roanne, "Roanne");
        app.Catalog.Knows(lyon, "Lyon");

        var before = DateTime.UtcNow;
        var html = await SheetAsync(route, "html", roanne);
        var after = DateTime.UtcNow;
        var csv = await SheetAsync(route, "csv", roanne);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (html.Status, csv.Status));
        Assert.Contains($"Roanne ({roanne})", html.Body);
        Assert.Contains($"to Lyon ({lyon})", html.Body);
        Assert.DoesNotContain("unavailable", html.Body);
        var rows = Rows(csv.Body);
        Assert.All(rows, r => Assert.Equal(r["town"] == roanne ? "Roanne" : "Lyon", r["town_name"]));
        var cheese = rows.Single(r => r["action"] == "pickup" && r["category"] == "cheese");
        Assert.Equal(("Roanne", "Lyon"), (cheese["from_town_name"], cheese["to_town_name"]));
        // One question per sheet, naming each town once.
        var questions = app.Catalog.TownQuestions.ToList();
        Assert.Equal(2, questions.Count);
        Assert.All(questions, q => Assert.Equal([lyon, roanne], q.Request.TownIds.Order(StringComparer.Ordinal)));
        Assert.InRange(questions[0].Deadline!.Value, before + TownNames.Deadline, after + TownNames.Deadline);
    }

    [Fact]
    public async Task The_json_route_view_does_not_ask_the_catalog()
    {
        var (route, roanne, _) = await PlannedRouteAsync();

        await app.RouteAsync(route, TestSettings.TownAuth(roanne));

        Assert.Empty(app.Catalog.TownQuestions);
    }

    [Fact]
    public async Task A_town_the_catalog_does_not_know_is_shown_by_its_id_alone()
    {
        var (route, roanne, lyon) = await PlannedRouteAsync();
        app.Catalog.Knows(roanne, "Roanne");

        var html = await SheetAsync(route, "html", roanne);

        Assert.Equal(HttpStatusCode.OK, html.Status);
        Assert.Contains($"to {lyon},", html.Body);
        Assert.DoesNotContain("unavailable", html.Body);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Unauthenticated)]
    public async Task When_the_catalog_cannot_answer_the_sheets_show_ids_and_say_names_are_unavailable(StatusCode outage)
    {
        var (route, roanne, lyon) = await PlannedRouteAsync();
        app.Catalog.Knows(roanne, "Roanne");
        app.Catalog.DownFor(roanne, outage);

        var html = await SheetAsync(route, "html", roanne);
        var csv = await SheetAsync(route, "csv", roanne);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (html.Status, csv.Status));
        Assert.Contains("Town names are unavailable", html.Body);
        Assert.DoesNotContain("Roanne (", html.Body);
        Assert.Contains(lyon, html.Body);
        Assert.All(Rows(csv.Body), r => Assert.Equal(("", ""), (r["town_name"], r["from_town_name"])));
    }

    [Fact]
    public async Task Town_names_with_commas_quotes_accents_and_markup_are_escaped_on_both_sheets()
    {
        var (route, roanne, lyon) = await PlannedRouteAsync();
        app.Catalog.Knows(roanne, "Saint-Haon-le-Châtel, \"le bourg\"");
        app.Catalog.Knows(lyon, "<img src=x onerror=alert(1)>");

        var html = await SheetAsync(route, "html", roanne);
        var csv = await SheetAsync(route, "csv", roanne);

        Assert.DoesNotContain("<img", html.Body);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html.Body);
        Assert.Contains("Saint-Haon-le-Ch&#226;tel, &quot;le bourg&quot;", html.Body);
        Assert.Contains($",{roanne},\"Saint-Haon-le-Châtel, \"\"le bourg\"\"\",", csv.Body);
        Assert.Contains($",{lyon},<img src=x onerror=alert(1)>,", csv.Body);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("+33 town", "'+33 town")]
    [InlineData("-cmd", "'-cmd")]
    public async Task A_town_name_a_spreadsheet_would_run_as_a_formula_stays_text_in_the_csv(string name, string cell)
    {
        var (route, roanne, _) = await PlannedRouteAsync();
        app.Catalog.Knows(roanne, name);

        var csv = await SheetAsync(route, "csv", roanne);

        Assert.Contains($",{roanne},{cell},", csv.Body);
    }

    [Fact]
    public async Task Sheet_times_are_given_in_the_configured_zone_and_say_which()
    {
        app.Dispose();
        app = new LogisticsApp { Settings = { ["Logistics:SheetTimeZone"] = "America/New_York" } };
        var (route, roanne, _) = await PlannedRouteAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var view = await app.RouteAsync(route);

        var html = await SheetAsync(route, "html", roanne);
        var csv = await SheetAsync(route, "csv", roanne);

        var departure = view.Stops[0].Eta;
        var local = TimeZoneInfo.ConvertTime(departure, zone);
        Assert.Contains("<th>Time (America/New_York)</th>", html.Body);
        Assert.Contains(local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), html.Body);
        var first = Rows(csv.Body)[0];
        Assert.Equal("America/New_York", first["time_zone"]);
        var eta = DateTimeOffset.Parse(first["eta"], CultureInfo.InvariantCulture);
        // The same instant, read with New York's offset of that day.
        Assert.Equal((departure, zone.GetUtcOffset(departure)), (eta, eta.Offset));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("CET+1")]
    [InlineData(" ")]
    public void An_unknown_sheet_time_zone_stops_the_service_from_starting(string zone)
    {
        using var broken = new LogisticsApp { Settings = { ["Logistics:SheetTimeZone"] = zone } };

        var error = Record.Exception(() => broken.CreateClient());

        Assert.NotNull(error);
        Assert.True(error.ToString().Contains("Logistics:SheetTimeZone must be an IANA time zone id", StringComparison.Ordinal), error.ToString());
    }
}
