using System.Net;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace TradeNet.Catalog.Tests;

/// <summary>The OpenAPI document is anyone's to read, key or none, and building it cost about 20 ms of a core in catalog
/// (50 in logistics) against a quarter of a millisecond for a list of categories: at the edge's 600 requests a minute per
/// address, one anonymous client asking for it in a loop kept half a core busy.</summary>
public sealed class ApiDocumentCostTests
{
    [Fact]
    public async Task The_document_is_built_once_however_often_and_however_many_at_once_it_is_asked_for()
    {
        var built = 0;
        await using var factory = new CatalogFactory
        {
            // Runs each time the document is built: counts the builds, not the answers.
            ExtraServices = s => s.Configure<OpenApiOptions>("catalog", o => o.AddDocumentTransformer((_, _, _) =>
            {
                Interlocked.Increment(ref built);
                return Task.CompletedTask;
            })),
        };
        var client = factory.CreateClient();

        var first = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAsync("/api/catalog/openapi.json")));
        var later = await Task.WhenAll(new[] { "/api/catalog/openapi.json", "/api/catalog/openapi.json?x=1", "/API/catalog/openapi.json" }
            .Select(client.GetAsync));

        Assert.Equal(1, built);
        var bodies = new List<string>();
        foreach (var response in first.Concat(later))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.Single(bodies.Distinct());
        Assert.Contains("\"/api/catalog/listings\"", bodies[0]);
    }
}
