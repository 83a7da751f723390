using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

/// <summary>A tiny service built on the shared defaults: auth, ProblemDetails, health.</summary>
public sealed class ServiceDefaultsTests : IAsyncLifetime
{
    private readonly TestSettings _settings = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    private sealed record Thing(string Name, int Count);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(_settings.Configuration());
        builder.AddServiceDefaults("test");
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapPost("/things", (Thing thing, HttpContext http) => TypedResults.Ok(new { thing.Name, caller = http.User.TownId() }))
            .RequireAuthorization(Policies.Town);
        _app.MapPost("/ops", () => TypedResults.Ok()).RequireAuthorization(Policies.Operator);
        _app.MapGet("/boom", string () => throw new InvalidOperationException("secret internals"));
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    [Fact]
    public async Task A_valid_town_token_identifies_the_town()
    {
        var response = await Send("/things", new Thing("x", 1), TestSettings.TownAuth("42187"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("42187", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_missing_expired_or_forged_token_gets_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), null)).StatusCode);
        var expired = TestSettings.TokenFor("42187", Roles.Town, TimeSpan.FromSeconds(-30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), new("Bearer", expired))).StatusCode);
        var forged = TestSettings.TokenFor("42187", Roles.Town, key: "another-key-that-is-long-enough-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/things", new Thing("x", 1), new("Bearer", forged))).StatusCode);
    }

    [Fact]
    public async Task A_town_cannot_use_an_operator_route()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Send("/ops", new { }, TestSettings.TownAuth("42187"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("/ops", new { }, TestSettings.OperatorAuth())).StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"x","count":"many"}""", "Field 'count' has an invalid value.")]
    [InlineData("""{"name":"x","count":1,"count":2}""", "Field 'count' is given more than once.")]
    public async Task Malformed_json_gets_a_400_problem_naming_the_field(string body, string detail)
    {
        var response = await PostThingAsTownAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public async Task A_missing_empty_or_null_body_is_a_400_problem_saying_the_body_is_missing(string? body)
    {
        var response = await PostThingAsTownAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("body is missing", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task A_body_that_is_not_json_is_a_415_problem_saying_json_is_expected(string contentType)
    {
        var response = await PostThingAsTownAsync("""{"name":"x","count":1}""", contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unexpected_error_is_a_500_problem_without_internals()
    {
        var response = await _client.GetAsync("/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret internals", body);
        Assert.Contains("\"status\":500", body);
    }

    [Fact]
    public async Task Health_and_alive_answer_without_credentials()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/alive")).StatusCode);
    }

    private Task<HttpResponseMessage> Send(string path, object body, AuthenticationHeaderValue? auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = auth;
        return _client.SendAsync(request);
    }

    /// <summary>A body sent as it is (null: none), as a town.</summary>
    private Task<HttpResponseMessage> PostThingAsTownAsync(string? body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/things")
        {
            Content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, contentType),
        };
        request.Headers.Authorization = TestSettings.TownAuth("42187");
        return _client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _settings.Dispose();
    }
}
