using System.Net;
using System.Net.Http.Headers;
using TradeNet.Shared.Auth;

namespace TradeNet.Gateway.Tests;

public sealed class EdgeAuthenticationTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private readonly HttpClient _client = edge.Gateway.CreateClient();

    private static HttpRequestMessage Get(string path, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        return request;
    }

    private static void Spoof(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "forged.token.value");
        request.Headers.Add("X-Town-Id", "42187");
        request.Headers.Add("X-Operator", "root");
        request.Headers.Add("X-Forwarded-User", "admin");
        request.Headers.Add("X-TradeNet-Caller", "operator");
        request.Headers.Add("x-tradenet-role", "operator");
    }

    private static void AssertNoClientIdentity(Echo echo)
    {
        foreach (var name in new[] { "X-Town-Id", "X-Operator", "X-Forwarded-User", "X-Api-Key" })
            Assert.Null(echo.Header(name));
        Assert.DoesNotContain(echo.Headers.Keys, k => k.StartsWith("X-TradeNet-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Spoofed_identity_headers_never_reach_the_services()
    {
        using var request = Get("/api/catalog/listings");
        Spoof(request);

        var echo = await EdgeAssert.Forwarded(await _client.SendAsync(request));

        AssertNoClientIdentity(echo);
        Assert.Null(echo.Header("Authorization"));
    }

    [Fact]
    public async Task A_town_key_replaces_a_forged_bearer_token_with_the_edges_own()
    {
        var key = edge.Catalog.RegisterTown("42187", "Roanne");
        using var request = Get("/api/catalog/listings", key);
        Spoof(request);

        var echo = await EdgeAssert.Forwarded(await _client.SendAsync(request));

        AssertNoClientIdentity(echo);
        var token = await EdgeAssert.InternalToken(echo);
        Assert.Equal("42187", token.Claim("sub"));
    }

    [Fact]
    public async Task A_town_key_reaches_the_service_as_an_internal_token_for_that_town()
    {
        var key = edge.Catalog.RegisterTown("42218", "Saint-Étienne");

        var echo = await EdgeAssert.Forwarded(await _client.SendAsync(Get("/api/matching/proposals", key)));

        var token = await EdgeAssert.InternalToken(echo);
        Assert.Equal("42218", token.Claim("sub"));
        Assert.Equal(Roles.Town, token.Claim("role"));
        Assert.Equal("Saint-Étienne", token.Claim("name"));
    }

    [Fact]
    public async Task An_operator_key_reaches_the_service_with_the_operator_role()
    {
        var echo = await EdgeAssert.Forwarded(await _client.SendAsync(Get("/api/matching/rounds", GatewayFactory.OperatorKey)));

        var token = await EdgeAssert.InternalToken(echo);
        Assert.Equal(GatewayFactory.OperatorName, token.Claim("sub"));
        Assert.Equal(Roles.Operator, token.Claim("role"));
        Assert.Equal(0, edge.Catalog.CallsFor(GatewayFactory.OperatorKey));
    }

    [Fact]
    public async Task An_unknown_key_is_refused_at_the_edge_with_401_problem_details()
    {
        var probe = $"/api/catalog/listings?probe={Guid.NewGuid():N}";

        var response = await _client.SendAsync(Get(probe, "tn_not-a-real-key"));

        await EdgeAssert.Problem(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "ApiKey");
        Assert.DoesNotContain(edge.Backend.Received, e => e.Path == probe);
    }

    [Fact]
    public async Task An_unknown_key_is_told_that_a_replaced_or_suspended_towns_key_stops_working_and_whom_to_ask()
    {
        var problem = await EdgeAssert.Problem(await _client.SendAsync(Get("/api/matching/trades", "tn_rotated-or-suspended")),
            HttpStatusCode.Unauthorized);

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("replaced", detail, StringComparison.Ordinal);
        Assert.Contains("suspended", detail, StringComparison.Ordinal);
        Assert.Contains("ask the network's operators", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_asking_for_html_gets_the_edges_401_as_problem_details_not_a_500()
    {
        using var request = Get("/api/catalog/listings", "tn_not a key");
        request.Headers.Accept.ParseAdd("text/html");

        var problem = await EdgeAssert.Problem(await _client.SendAsync(request), HttpStatusCode.Unauthorized);

        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("tn_with a space")]
    [InlineData("tn_caf\u00e9")]
    public async Task A_malformed_key_is_a_401_saying_what_a_key_looks_like(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/listings");
        request.Headers.TryAddWithoutValidation("X-Api-Key", key);

        var problem = await EdgeAssert.Problem(await _client.SendAsync(request), HttpStatusCode.Unauthorized);

        Assert.Equal("Malformed API key", problem.GetProperty("title").GetString());
        Assert.Contains("sent once", problem.GetProperty("detail").GetString());
        Assert.Equal(0, edge.Catalog.CallsFor(key));
    }

    [Fact]
    public async Task A_key_sent_twice_is_a_401_saying_to_send_one()
    {
        var key = edge.Catalog.RegisterTown("42190", "Mably");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/listings");
        request.Headers.Add("X-Api-Key", [key, key]);

        var problem = await EdgeAssert.Problem(await _client.SendAsync(request), HttpStatusCode.Unauthorized);

        Assert.Equal("Malformed API key", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_operator_key_with_one_character_changed_is_refused()
    {
        var near = GatewayFactory.OperatorKey[..^1] + "X";

        await EdgeAssert.Problem(await _client.SendAsync(Get("/api/matching/rounds", near)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_request_without_a_key_is_forwarded_anonymously()
    {
        var echo = await EdgeAssert.Forwarded(await _client.SendAsync(Get("/api/logistics/shipments")));

        Assert.Null(echo.Header("Authorization"));
    }

    [Fact]
    public async Task A_services_401_reaches_the_caller_challenging_for_the_api_key_not_the_internal_token()
    {
        var response = await _client.PostAsync("/api/matching/rounds/refused", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("ApiKey header=\"X-Api-Key\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("/api/catalog/categories")]
    [InlineData("/api/matching/trades/t-1?town=42187")]
    [InlineData("/api/logistics/shipments/s-9/delivery")]
    public async Task Paths_reach_each_service_unchanged(string path)
    {
        var echo = await EdgeAssert.Forwarded(await _client.SendAsync(Get(path)));

        Assert.Equal(path, echo.Path);
    }

    [Theory]
    [InlineData("GET", "/api/logistics/transfers?status=held")]
    [InlineData("POST", "/api/logistics/transfers/0b6f5a52-8c1e-4a57-9d36-2f0f3b0c6a11/release")]
    public async Task An_operators_requests_about_held_transfers_reach_logistics_unchanged(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Api-Key", GatewayFactory.OperatorKey);

        var echo = await EdgeAssert.Forwarded(await _client.SendAsync(request));

        Assert.Equal((method, path), (echo.Method, echo.Path));
    }

    [Fact]
    public async Task A_town_keys_identity_is_cached_rather_than_asked_on_every_request()
    {
        var key = edge.Catalog.RegisterTown("42332", "Villeurbanne");

        for (var i = 0; i < 3; i++)
            await EdgeAssert.Forwarded(await _client.SendAsync(Get("/api/catalog/listings", key)));

        Assert.Equal(1, edge.Catalog.CallsFor(key));
    }

    [Fact]
    public async Task An_unknown_key_is_remembered_briefly_too()
    {
        const string key = "tn_unknown-but-persistent";

        for (var i = 0; i < 3; i++)
            await EdgeAssert.Problem(await _client.SendAsync(Get("/api/catalog/listings", key)), HttpStatusCode.Unauthorized);

        Assert.Equal(1, edge.Catalog.CallsFor(key));
    }

    [Fact]
    public async Task Grpc_services_are_not_exposed_through_the_edge()
    {
        var response = await _client.PostAsync("/tradenet.catalog.v1.Catalog/AuthenticateApiKey", new ByteArrayContent([0, 0, 0, 0, 0]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
