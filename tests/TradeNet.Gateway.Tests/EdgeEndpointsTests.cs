using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TradeNet.Gateway.Tests;

public sealed class EdgeEndpointsTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private readonly HttpClient _client = edge.Gateway.CreateClient();

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_endpoints_answer_without_a_key(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/catalog/categories")]
    [InlineData("/")]
    public async Task Proxied_and_own_answers_carry_one_nosniff_header(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Fact]
    public async Task The_index_lists_the_three_service_routes()
    {
        var index = await _client.GetFromJsonAsync<JsonElement>("/");

        var paths = index.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("path").GetString()).ToList();
        Assert.Contains("/api/catalog/{**rest}", paths);
        Assert.Contains("/api/matching/{**rest}", paths);
        Assert.Contains("/api/logistics/{**rest}", paths);
    }

    /// <summary>A newcomer reads this first: it said only reads of the catalog need no key, but a town's first call,
    /// its registration, is a write; so are the API documents it left out.</summary>
    [Fact]
    public async Task The_index_names_every_route_that_takes_no_key()
    {
        var index = await _client.GetFromJsonAsync<JsonElement>("/");

        var text = index.GetProperty("authentication").GetString();
        Assert.Contains("POST /api/catalog/towns", text);
        Assert.Contains("GET /api/docs", text);
    }

    [Fact]
    public async Task The_docs_index_does_not_repeat_the_host_a_client_named()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/docs");
        request.Headers.Host = "evil.example";

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var urls = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(d => d.GetProperty("url").GetString()).ToList();
        Assert.Equal(["/api/catalog/openapi.json", "/api/matching/openapi.json", "/api/logistics/openapi.json"], urls);
    }

    [Fact]
    public async Task No_wildcard_cors_header_is_sent()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/catalog/listings");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await _client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
