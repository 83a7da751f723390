using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

/// <summary>HEAD on a service, over real Kestrel (which is what leaves the body out).</summary>
public sealed class HeadRequestTests : IAsyncLifetime
{
    private readonly TestSettings _settings = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private int _gets;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(_settings.Configuration());
        builder.AddServiceDefaults("test");
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapGet("/things", () =>
        {
            Interlocked.Increment(ref _gets);
            return TypedResults.Ok(new[] { new { name = "cheese" } });
        });
        _app.MapPost("/things", () => TypedResults.Ok());
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    [Fact]
    public async Task HEAD_on_a_GET_route_answers_its_status_and_headers_without_the_body()
    {
        var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/things"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, _gets);
    }

    [Fact]
    public async Task HEAD_on_an_unknown_path_is_404_and_GET_keeps_its_body()
    {
        var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/unknown-route"));
        var get = await _client.GetAsync("/things");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("cheese", await get.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _settings.Dispose();
    }
}
