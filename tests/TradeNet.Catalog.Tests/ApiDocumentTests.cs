using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

public sealed class ApiDocumentTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private Task<ApiDocument> DocumentAsync() => ApiDocument.FetchAsync(factory.CreateClient(), "catalog");

    [Fact]
    public async Task The_OpenAPI_document_names_no_internal_address_so_clients_behind_the_gateway_call_the_gateway()
    {
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/openapi.json");
        request.Headers.Host = "catalog.internal:5101"; // what the gateway's forwarded request carries

        using var response = await http.SendAsync(request);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.DoesNotContain("catalog.internal", document.GetRawText());
        Assert.Equal(["/"], document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()));
    }

    [Fact]
    public async Task The_document_declares_the_X_Api_Key_header_that_callers_authenticate_with_at_the_gateway()
    {
        var scheme = (await DocumentAsync()).SecurityScheme(ApiDocument.ApiKeyScheme);

        Assert.Equal(("apiKey", "header", "X-Api-Key"),
            (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("POST", "/api/catalog/listings", true)]
    [InlineData("PUT", "/api/catalog/listings/{id}", true)]
    [InlineData("DELETE", "/api/catalog/listings/{id}", true)]
    [InlineData("POST", "/api/catalog/towns/{id}/api-key", true)]
    [InlineData("PUT", "/api/catalog/towns/{id}", true)]
    [InlineData("POST", "/api/catalog/towns/{id}/suspension", true)]
    [InlineData("DELETE", "/api/catalog/towns/{id}/suspension", true)]
    [InlineData("POST", "/api/catalog/backups", true)]
    [InlineData("GET", "/api/catalog/backups", true)]
    [InlineData("DELETE", "/api/catalog/backups/{id}", true)]
    [InlineData("POST", "/api/catalog/towns", false)]
    [InlineData("GET", "/api/catalog/towns", false)]
    [InlineData("GET", "/api/catalog/towns/{id}", false)]
    [InlineData("GET", "/api/catalog/categories", false)]
    [InlineData("GET", "/api/catalog/listings", false)]
    [InlineData("GET", "/api/catalog/listings/{id}", false)]
    public async Task Writes_ask_for_the_API_key_while_registering_and_reading_do_not(string method, string path, bool asksForKey)
    {
        var document = await DocumentAsync();

        Assert.Equal(asksForKey ? [ApiDocument.ApiKeyScheme] : [], document.Security(method, path));
    }

    [Fact]
    public async Task Every_route_answers_401_without_a_key_exactly_where_the_document_asks_for_one() =>
        Assert.Empty(await (await DocumentAsync()).KeyDisagreementsAsync(factory.CreateClient()));

    [Theory]
    [InlineData("POST", "/api/catalog/listings", new[] { 201, 400, 401, 403, 409, 413, 415, 503 })]
    [InlineData("PUT", "/api/catalog/listings/{id}", new[] { 200, 400, 401, 403, 404, 409, 413, 415, 503 })]
    [InlineData("DELETE", "/api/catalog/listings/{id}", new[] { 200, 401, 403, 404, 503 })]
    [InlineData("GET", "/api/catalog/listings/{id}", new[] { 200, 404 })]
    [InlineData("POST", "/api/catalog/towns", new[] { 201, 400, 409, 413, 415, 503 })]
    [InlineData("GET", "/api/catalog/towns/{id}", new[] { 200, 404 })]
    [InlineData("POST", "/api/catalog/towns/{id}/api-key", new[] { 200, 401, 403, 404, 409, 503 })]
    [InlineData("POST", "/api/catalog/towns/{id}/suspension", new[] { 200, 400, 401, 403, 404, 413, 415, 503 })]
    [InlineData("DELETE", "/api/catalog/towns/{id}/suspension", new[] { 200, 401, 403, 404, 409, 503 })]
    [InlineData("PUT", "/api/catalog/towns/{id}", new[] { 200, 400, 401, 403, 404, 409, 413, 415, 429, 503 })]
    [InlineData("POST", "/api/catalog/backups", new[] { 201, 401, 403, 409, 503 })]
    [InlineData("GET", "/api/catalog/backups", new[] { 200, 401, 403, 409, 503 })]
    [InlineData("DELETE", "/api/catalog/backups/{id}", new[] { 204, 400, 401, 403, 404, 409, 503 })]
    public async Task Each_route_lists_the_statuses_it_answers_with(string method, string path, int[] statuses) =>
        (await DocumentAsync()).AssertStatuses(method, path, statuses);

    [Theory]
    [InlineData("/api/catalog/towns")]
    [InlineData("/api/catalog/listings")]
    public async Task A_registration_takes_an_optional_Idempotency_Key_header_as_publishing_a_listing_does(string path)
    {
        var operation = (await DocumentAsync()).Operation("POST", path);

        var header = Assert.Single(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("in").GetString() == "header");
        Assert.Equal("Idempotency-Key", header.GetProperty("name").GetString());
        Assert.False(header.TryGetProperty("required", out var required) && required.GetBoolean());
    }

    [Fact]
    public async Task A_time_is_described_as_a_date_time_string_though_its_converter_hides_the_type()
    {
        var document = await DocumentAsync();

        Assert.Equal(["null", "string"], document.PropertyTypes("PublishListingRequest", "availableUntil"));
        Assert.Equal("date-time", document.Schema("PublishListingRequest").GetProperty("properties").GetProperty("availableUntil")
            .GetProperty("format").GetString());
    }

    [Fact]
    public async Task Every_body_is_required_and_is_its_request_not_null_or_the_request() =>
        (await DocumentAsync()).AssertEveryBodyRequired();

    [Theory]
    [InlineData("PublishListingRequest", new[] { "kind", "category", "quantity" })]
    [InlineData("RegisterTownRequest", new[] { "name", "lat", "lon" })]
    [InlineData("ChangeTownRequest", new[] { "name", "lat", "lon", "specialties" })]
    [InlineData("SuspendTownRequest", new[] { "reason" })]
    public async Task A_request_schema_requires_exactly_the_fields_the_validation_requires(string schema, string[] required)
    {
        (await DocumentAsync()).AssertRequiresExactly(schema, required);
    }

    [Fact]
    public async Task The_listing_change_is_described_with_every_field_optional_and_what_null_does()
    {
        var document = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/api/catalog/openapi.json")).RootElement;

        var body = document.GetProperty("paths").GetProperty("/api/catalog/listings/{id}").GetProperty("put")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var schema = body.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : body;

        Assert.Equal(["quantity", "minLot", "attributes", "requires", "availableFrom", "availableUntil", "maxDistanceKm", "kind",
            "category", "townId"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.False(schema.TryGetProperty("required", out _), "a change names only what it changes");
        Assert.Contains("null clears", schema.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_listing_with_only_the_fields_the_schema_requires_is_published_and_one_without_any_of_them_is_a_400_naming_it()
    {
        var document = await DocumentAsync();
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        var full = new Dictionary<string, object?>
        {
            ["kind"] = "need", ["category"] = "firewood", ["quantity"] = 50, ["minLot"] = 5, ["requires"] = new[] { "dry" },
            ["availableUntil"] = DateTimeOffset.UtcNow.AddDays(30), ["maxDistanceKm"] = 40,
        };

        await document.AssertRequiredIsWhatValidationRequiresAsync("PublishListingRequest", full,
            body => client.PostAsJsonAsync("/api/catalog/listings", body));
    }

    [Fact]
    public async Task A_town_with_only_the_fields_the_schema_requires_registers_and_one_without_any_of_them_is_a_400_naming_it()
    {
        var document = await DocumentAsync();
        var client = factory.CreateClient();
        var full = new Dictionary<string, object?>
        {
            ["name"] = "Ouches", ["lat"] = 46.01, ["lon"] = 3.99, ["inseeCode"] = "42163", ["specialties"] = new[] { "wine" },
        };

        await document.AssertRequiredIsWhatValidationRequiresAsync("RegisterTownRequest", full,
            body => client.PostAsJsonAsync("/api/catalog/towns", body));
    }

    [Fact]
    public async Task Every_number_in_the_document_has_a_number_or_integer_type()
    {
        var document = await DocumentAsync();

        Assert.Empty(document.NumbersWithoutType());
        Assert.Equal(["number"], document.PropertyTypes("ListingView", "quantity"));
        Assert.Equal(["null", "number"], document.PropertyTypes("ListingView", "maxDistanceKm"));
        Assert.Equal(["integer"], document.PropertyTypes("ListingView", "version"));
    }

    [Fact]
    public async Task A_problem_schema_allows_the_members_problems_carry_beyond_its_own_such_as_traceId()
    {
        var problem = (await DocumentAsync()).Schema("ProblemDetails");

        Assert.False(problem.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False);
    }
}
