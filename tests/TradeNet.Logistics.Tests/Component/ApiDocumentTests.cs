using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

public class ApiDocumentTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private Task<ApiDocument> DocumentAsync() => ApiDocument.FetchAsync(app.CreateClient(), "logistics");

    [Fact]
    public async Task Every_logistics_route_asks_for_the_API_key_and_answers_401_without_one()
    {
        var document = await DocumentAsync();

        Assert.All(document.Operations(), o => Assert.Equal([ApiDocument.ApiKeyScheme], document.Security(o.Method, o.Path)));
        Assert.Empty(await document.KeyDisagreementsAsync(app.CreateClient()));
    }

    [Theory]
    [InlineData("POST", "/api/logistics/vehicles", new[] { 201, 400, 401, 403, 409, 413, 415, 503 })]
    [InlineData("GET", "/api/logistics/vehicles", new[] { 200, 400, 401, 403 })]
    [InlineData("PUT", "/api/logistics/vehicles/{id}", new[] { 200, 400, 401, 403, 404, 409, 413, 415, 503 })]
    [InlineData("DELETE", "/api/logistics/vehicles/{id}", new[] { 204, 401, 403, 404, 503 })]
    [InlineData("POST", "/api/logistics/shipments/{id}/pickup", new[] { 200, 400, 401, 403, 404, 409, 503 })]
    [InlineData("POST", "/api/logistics/shipments/{id}/failure", new[] { 200, 400, 401, 403, 404, 409, 413, 415, 503 })]
    [InlineData("POST", "/api/logistics/plans", new[] { 200, 401, 403, 409, 503 })]
    [InlineData("GET", "/api/logistics/routes/{id}", new[] { 200, 400, 401, 404 })]
    [InlineData("POST", "/api/logistics/routes/{id}/stops/{sequence}/done", new[] { 200, 400, 401, 403, 404, 413, 415, 503 })]
    [InlineData("POST", "/api/logistics/shipments/{id}/delivery", new[] { 200, 400, 401, 403, 404, 409, 413, 415, 503 })]
    [InlineData("POST", "/api/logistics/transfers/{id}/release", new[] { 200, 400, 401, 403, 404, 409, 503 })]
    [InlineData("POST", "/api/logistics/routes/{id}/replan", new[] { 200, 400, 401, 403, 404, 409, 503 })]
    public async Task Each_route_lists_the_statuses_it_answers_with(string method, string path, int[] statuses) =>
        (await DocumentAsync()).AssertStatuses(method, path, statuses);

    [Theory]
    [InlineData("GET", "/api/logistics/routes/{id}", "application/json")]
    [InlineData("GET", "/api/logistics/routes/{id}/sheet.csv", "text/csv")]
    [InlineData("GET", "/api/logistics/routes/{id}/sheet.html", "text/html")]
    [InlineData("POST", "/api/logistics/routes/{id}/stops/{sequence}/failure", "application/json")]
    public async Task A_route_whose_handler_answers_a_bare_IResult_still_says_what_it_writes(string method, string path, string contentType) =>
        Assert.Equal([contentType], (await DocumentAsync()).ContentTypes(method, path, 200));

    [Fact]
    public async Task A_vehicle_or_failure_report_body_is_required_though_its_handler_takes_it_as_nullable_to_name_what_is_missing_and_a_deliverys_is_not() =>
        // A delivery's body is the carrier's handover code: the receiving town and operators send none.
        (await DocumentAsync()).AssertEveryBodyRequired("POST /api/logistics/shipments/{id}/delivery", "POST /api/logistics/routes/{id}/stops/{sequence}/done");

    [Theory]
    [InlineData("VehicleRequest", new[] { "homeLat", "homeLon", "capacityKg", "costPerKm" })]
    [InlineData("WorkingHoursRequest", new[] { "start", "end", "timeZone" })]
    [InlineData("FailureReport", new[] { "reason" })]
    [InlineData("DeliveryReport", new string[0])]
    [InlineData("StopDoneReport", new string[0])]
    public async Task A_request_schema_requires_exactly_the_fields_the_validation_requires(string schema, string[] required)
    {
        (await DocumentAsync()).AssertRequiresExactly(schema, required);
    }

    [Fact]
    public async Task A_vehicle_with_only_the_fields_the_schema_requires_registers_and_one_without_any_of_them_is_a_400_naming_it()
    {
        var document = await DocumentAsync();
        var (town, _, _) = Towns.Fresh();
        var full = new Dictionary<string, object?>
        {
            ["homeLat"] = Towns.Roanne.Lat, ["homeLon"] = Towns.Roanne.Lon, ["capacityKg"] = 800, ["costPerKm"] = 0.5,
            ["name"] = "van", ["volumeM3"] = 8, ["chilled"] = true, ["fixedCost"] = 10, ["maxRouteHours"] = 9,
            ["workingHours"] = new { start = "07:00", end = "18:00", timeZone = "Europe/Paris", days = new[] { "mon" } },
        };

        await document.AssertRequiredIsWhatValidationRequiresAsync("VehicleRequest", full,
            body => app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(town), body));
    }

    [Fact]
    public async Task The_transfer_list_documents_status_as_the_required_query_parameter_it_is()
    {
        var parameters = (await DocumentAsync()).Operation("GET", "/api/logistics/transfers").GetProperty("parameters").EnumerateArray();

        var status = Assert.Single(parameters, p => p.GetProperty("name").GetString() == "status");
        Assert.Equal("query", status.GetProperty("in").GetString());
        Assert.True(status.GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task Every_number_in_the_document_has_a_number_or_integer_type()
    {
        var document = await DocumentAsync();

        Assert.Empty(document.NumbersWithoutType());
        Assert.Equal(["number"], document.PropertyTypes("VehicleView", "capacityKg"));
        Assert.Equal(["null", "number"], document.PropertyTypes("VehicleRequest", "volumeM3"));
        Assert.Equal(["null", "number"], document.PropertyTypes("VehicleRequest", "maxRouteHours"));
        Assert.Equal(["null", "number"], document.PropertyTypes("VehicleView", "maxRouteHours"));
        Assert.Equal(["null", "number"], document.PropertyTypes("VehicleView", "effectiveMaxRouteHours"));
    }

    [Fact]
    public async Task Working_hours_are_an_object_a_vehicle_may_leave_out_and_its_times_and_zone_are_required_strings()
    {
        var document = await DocumentAsync();

        Assert.Equal(["null"], document.PropertyTypes("VehicleRequest", "workingHours"));
        Assert.Equal(["null"], document.PropertyTypes("VehicleView", "workingHours"));
        Assert.Equal(["string"], document.PropertyTypes("WorkingHoursRequest", "timeZone"));
        Assert.Equal(["array", "null"], document.PropertyTypes("WorkingHoursRequest", "days"));
    }
}
