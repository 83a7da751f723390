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
}
