using System.Net;
using TradeNet.Shared.Hosting;

namespace TradeNet.Gateway.Tests;

/// <summary>A gateway with tiny limits, so bursts are cheap to provoke.</summary>
public sealed class LimitedEdgeFixture : EdgeFixture
{
    public const int Permits = 5;
    public const int Registrations = 2;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:RateLimit:PermitsPerMinute"] = Permits.ToString(),
        ["Gateway:RateLimit:RegistrationsPerMinute"] = Registrations.ToString(),
    };
}

public sealed class EdgeLimitsTests(LimitedEdgeFixture edge) : IClassFixture<LimitedEdgeFixture>
{
    private readonly HttpClient _client = edge.Gateway.CreateClient();

    private async Task<HttpResponseMessage[]> Burst(int count, Func<HttpRequestMessage> request) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(_ => _client.SendAsync(request())));

    private static HttpRequestMessage WithKey(HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    [Fact]
    public async Task A_burst_beyond_a_keys_limit_gets_429_problem_details_and_never_503()
    {
        var key = edge.Catalog.RegisterTown("42187", "Roanne");

        var responses = await Burst(LimitedEdgeFixture.Permits * 3, () => WithKey(HttpMethod.Get, "/api/catalog/listings", key));

        Assert.Equal(LimitedEdgeFixture.Permits, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        var rejected = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await EdgeAssert.Problem(rejected, HttpStatusCode.TooManyRequests);
        Assert.NotNull(rejected.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_town_rotating_its_key_keeps_the_allowance_it_had_rather_than_a_fresh_one_per_key()
    {
        var first = edge.Catalog.RegisterTown("42005", "Ambierle");
        var before = new List<HttpStatusCode>();
        for (var i = 0; i < LimitedEdgeFixture.Permits; i++)
            before.Add((await _client.SendAsync(WithKey(HttpMethod.Get, "/api/catalog/listings", first))).StatusCode);
        var second = edge.Catalog.RotateKey(first);

        var after = new List<HttpStatusCode>();
        for (var i = 0; i < LimitedEdgeFixture.Permits; i++)
            after.Add((await _client.SendAsync(WithKey(HttpMethod.Get, "/api/catalog/listings", second))).StatusCode);

        Assert.All(before, s => Assert.Equal(HttpStatusCode.OK, s));
        // The new key is a new partition of the per-key limit, but the town's own allowance is spent.
        Assert.All(after, s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }

    [Fact]
    public async Task One_keys_exhausted_limit_leaves_another_keys_requests_alone()
    {
        var greedy = edge.Catalog.RegisterTown("42218", "Saint-Étienne");
        var patient = edge.Catalog.RegisterTown("42332", "Villeurbanne");
        await Burst(LimitedEdgeFixture.Permits + 2, () => WithKey(HttpMethod.Get, "/api/matching/proposals", greedy));

        var response = await _client.SendAsync(WithKey(HttpMethod.Get, "/api/matching/proposals", patient));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_caller_sending_a_fresh_unknown_key_each_time_is_held_to_the_per_ip_limit()
    {
        var keys = Enumerable.Range(0, LimitedEdgeFixture.Permits * 3).Select(_ => $"tn_guess-{Guid.NewGuid():N}").ToList();
        var responses = new List<HttpResponseMessage>();
        foreach (var key in keys)
            responses.Add(await _client.SendAsync(WithKey(HttpMethod.Get, "/api/catalog/listings", key)));

        Assert.Equal(LimitedEdgeFixture.Permits, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        await EdgeAssert.Problem(responses[^1], HttpStatusCode.TooManyRequests);
        Assert.Equal(LimitedEdgeFixture.Permits, keys.Sum(edge.Catalog.CallsFor));
    }

    [Fact]
    public async Task A_town_key_padded_with_whitespace_is_not_a_second_key_with_a_fresh_limit()
    {
        var key = edge.Catalog.RegisterTown("42184", "Riorges");
        for (var i = 0; i < LimitedEdgeFixture.Permits; i++)
            await EdgeAssert.Forwarded(await _client.SendAsync(WithKey(HttpMethod.Get, "/api/catalog/listings", key)));

        var padded = await _client.SendAsync(WithKey(HttpMethod.Get, "/api/catalog/listings", key + "\v"));

        await EdgeAssert.Problem(padded, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Town_registration_has_a_stricter_limit_than_other_routes()
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < LimitedEdgeFixture.Registrations + 1; i++)
            responses.Add(await _client.PostAsync("/api/catalog/towns", new StringContent("""{"name":"Riorges"}""")));

        Assert.All(responses.Take(LimitedEdgeFixture.Registrations), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var problem = await EdgeAssert.Problem(responses[^1], HttpStatusCode.TooManyRequests);
        // Which limit: a town registering for the first time has made no other requests to exhaust.
        Assert.Equal($"At most {LimitedEdgeFixture.Registrations} town registrations a minute are taken from one address; retry later.",
            problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_larger_than_256_KB_gets_413_problem_details_and_is_not_forwarded()
    {
        var key = edge.Catalog.RegisterTown("42071", "Charlieu");
        var probe = $"/api/catalog/listings?probe={Guid.NewGuid():N}";
        var request = WithKey(HttpMethod.Post, probe, key);
        request.Content = new ByteArrayContent(new byte[ServiceDefaults.MaxRequestBodyBytes + 1]);

        await EdgeAssert.Problem(await _client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
        Assert.DoesNotContain(edge.Backend.Received, e => e.Path == probe);
    }

    [Fact]
    public async Task A_body_within_the_limit_is_forwarded_whole()
    {
        var key = edge.Catalog.RegisterTown("42094", "Feurs");
        var request = WithKey(HttpMethod.Post, "/api/catalog/listings", key);
        request.Content = new ByteArrayContent(new byte[ServiceDefaults.MaxRequestBodyBytes]);

        var echo = await EdgeAssert.Forwarded(await _client.SendAsync(request));

        Assert.Equal((int)ServiceDefaults.MaxRequestBodyBytes, echo.BodyLength);
    }
}

/// <summary>On a gateway of its own: these requests spend the per-IP budget, which other tests' requests share.</summary>
public sealed class MalformedKeyLimitTests(LimitedEdgeFixture edge) : IClassFixture<LimitedEdgeFixture>
{
    private readonly HttpClient _client = edge.Gateway.CreateClient();

    [Theory]
    [InlineData("tn_guess {0}")]
    [InlineData("tn_guess-{0}\u00e9")]
    [InlineData("tn_guess-{0}, tn_other")]
    public async Task A_caller_sending_a_fresh_malformed_key_each_time_is_held_to_the_per_ip_limit(string shape)
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < LimitedEdgeFixture.Permits * 3; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/listings");
            request.Headers.TryAddWithoutValidation("X-Api-Key", string.Format(shape, Guid.NewGuid().ToString("N")));
            responses.Add(await _client.SendAsync(request));
        }

        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized) <= LimitedEdgeFixture.Permits);
        await EdgeAssert.Problem(responses[^1], HttpStatusCode.TooManyRequests);
    }
}
