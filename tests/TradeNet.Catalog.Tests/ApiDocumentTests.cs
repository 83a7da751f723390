using System.Text.Json;

namespace TradeNet.Catalog.Tests;

public sealed class ApiDocumentTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
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
}
