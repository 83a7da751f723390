using System.Net;
using TradeNet.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TradeNet.Gateway.Tests;

/// <summary>How long a key the edge has cached keeps passing when the catalog cannot say otherwise, and what a flood
/// of unknown keys can do to the cache (<c>Gateway:ApiKeyCache:*</c>).</summary>
public sealed class ApiKeyCacheBoundsTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await EchoBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private static Task<HttpResponseMessage> Get(HttpClient client, string apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/listings");
        request.Headers.Add("X-Api-Key", apiKey);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task During_a_catalog_outage_a_cached_key_passes_only_until_its_cached_identity_expires_then_gets_503()
    {
        var catalog = new FakeCatalog();
        var key = catalog.RegisterTown("42187", "Roanne");
        await using var gateway = new GatewayFactory(_backend, catalog, new Dictionary<string, string?>
        {
            ["Gateway:ApiKeyCache:Valid"] = "00:00:01",
            ["Gateway:ApiKeyCache:RevocationPoll"] = "00:00:00.200",
        });
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await Get(client, key));

        // Neither the feed nor a key check answers: the edge cannot learn that the key was rotated or its town suspended.
        catalog.Down = true;
        await EdgeAssert.Forwarded(await Get(client, key));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var forwarded = _backend.Received.Count;

        await EdgeAssert.Problem(await Get(client, key), HttpStatusCode.ServiceUnavailable);
        Assert.Equal(forwarded, _backend.Received.Count);
    }

    [Fact]
    public async Task Guesses_sent_all_at_once_are_held_to_the_clients_budget_of_unknown_keys_too()
    {
        const int permits = 3;
        var catalog = new FakeCatalog();
        await using var gateway = new GatewayFactory(_backend, catalog, new Dictionary<string, string?>
        {
            ["Gateway:RateLimit:PermitsPerMinute"] = $"{permits}",
        });
        var client = gateway.CreateClient();
        var answer = new TaskCompletionSource();
        catalog.AnswersHeldUntil = answer.Task; // each check is still with the catalog when the next guess arrives
        var keys = Enumerable.Range(0, permits * 10).Select(_ => $"tn_guess-{Guid.NewGuid():N}").ToList();

        var guesses = keys.Select(key => Get(client, key)).ToList();
        await Eventually.True(() => Task.FromResult(guesses.Count(g => g.IsCompleted) + keys.Sum(catalog.CallsFor) == keys.Count),
            what: "every guess answered or with the catalog");
        answer.SetResult();
        var answers = await Task.WhenAll(guesses);

        Assert.Equal(permits, keys.Sum(catalog.CallsFor));
        Assert.Equal(permits, answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Unauthorized), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
    }

    [Theory]
    [InlineData(true)]  // a fresh guess each time
    [InlineData(false)] // one key sent again and again
    public async Task While_the_catalog_does_not_answer_keys_it_was_asked_about_are_held_to_the_clients_budget_of_unknown_keys(bool fresh)
    {
        const int permits = 3;
        var catalog = new FakeCatalog { Down = true }; // down or overloaded: every key it is asked about adds to its load
        await using var gateway = new GatewayFactory(_backend, catalog, new Dictionary<string, string?>
        {
            ["Gateway:RateLimit:PermitsPerMinute"] = $"{permits}",
        });
        var client = gateway.CreateClient();
        var keys = Enumerable.Range(0, permits * 3).Select(i => fresh || i == 0 ? $"tn_guess-{Guid.NewGuid():N}" : null).ToList();
        for (var i = 1; i < keys.Count; i++) keys[i] ??= keys[i - 1];

        var answers = new List<HttpStatusCode>();
        foreach (var key in keys) answers.Add((await Get(client, key!)).StatusCode);

        Assert.Equal(permits, keys.Distinct().Sum(k => catalog.CallsFor(k!)));
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, permits)
            .Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, keys.Count - permits)), answers);
    }

    /// <summary>Towns behind one address (an ingress, a NAT) whose keys this edge remembers are never held to that address's
    /// budget of unknown keys, and they are held per key; their 503s during a catalog outage used to spend it all the same,
    /// so once the catalog was back a town new to this edge (or one that had just rotated its key) got 429 for the minute.</summary>
    [Fact]
    public async Task Remembered_keys_that_the_catalog_could_not_check_leave_the_shared_budget_of_unknown_keys_to_new_towns()
    {
        const int permits = 3;
        var catalog = new FakeCatalog();
        var known = Enumerable.Range(0, permits).Select(i => catalog.RegisterTown($"4218{i}", $"Town {i}")).ToList();
        var newcomer = catalog.RegisterTown("42071", "Charlieu");
        await using var gateway = new GatewayFactory(_backend, catalog, new Dictionary<string, string?>
        {
            ["Gateway:RateLimit:PermitsPerMinute"] = $"{permits}",
            ["Gateway:ApiKeyCache:Valid"] = "00:00:00.200",
        });
        var client = gateway.CreateClient();
        foreach (var key in known) await EdgeAssert.Forwarded(await Get(client, key));
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // their identities have left the cache: the next request asks

        catalog.Down = true;
        foreach (var key in known) await EdgeAssert.Problem(await Get(client, key), HttpStatusCode.ServiceUnavailable);
        catalog.Down = false;

        await EdgeAssert.Forwarded(await Get(client, newcomer));
    }

    /// <summary>The per-key limit runs before the edge knows a key: a partition per guessed key (a sliding window kept
    /// about 70 s) made each guess cost about 750 bytes for a minute — 37 MB for 50,000 guesses sent in 7 s, all refused
    /// (1.5 MB without it).</summary>
    [Fact]
    public async Task A_key_this_edge_has_not_seen_valid_gets_no_rate_limit_partition_of_its_own_until_it_has()
    {
        var catalog = new FakeCatalog();
        var key = catalog.RegisterTown("42187", "Roanne");
        await using var gateway = new GatewayFactory(_backend, catalog);
        var client = gateway.CreateClient();
        string PartitionOf(string apiKey)
        {
            var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = gateway.Services };
            http.Request.Headers["X-Api-Key"] = apiKey;
            return EdgeRateLimits.CallerPartition(http);
        }
        var guesses = Enumerable.Range(0, 3).Select(_ => PartitionOf($"tn_guess-{Guid.NewGuid():N}")).ToList();
        var before = PartitionOf(key);

        await EdgeAssert.Forwarded(await Get(client, key));

        Assert.Equal([EdgeRateLimits.Unverified], guesses.Distinct());
        Assert.Equal(EdgeRateLimits.Unverified, before);
        Assert.Equal("key:" + ApiKeyAuthenticator.Digest(key), PartitionOf(key));
    }

    [Fact]
    public async Task A_flood_of_unknown_keys_neither_pushes_a_towns_cached_identity_out_nor_keeps_it_from_being_cached()
    {
        const int entries = 20;
        var catalog = new FakeCatalog();
        var cached = catalog.RegisterTown("42187", "Roanne");
        var later = catalog.RegisterTown("42184", "Riorges");
        await using var gateway = new GatewayFactory(_backend, catalog, new Dictionary<string, string?>
        {
            ["Gateway:ApiKeyCache:MaxEntries"] = $"{entries}",
            ["Gateway:ApiKeyCache:Invalid"] = "00:10:00",
            ["Gateway:RateLimit:PermitsPerMinute"] = "100000", // many clients' worth of guesses, as from many addresses
        });
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await Get(client, cached));

        for (var i = 0; i < entries * 3; i++)
            await EdgeAssert.Problem(await Get(client, $"tn_guess-{Guid.NewGuid():N}"), HttpStatusCode.Unauthorized);
        await Task.Delay(200); // the cache compacts in the background once it is over its size
        for (var i = 0; i < 3; i++)
        {
            await EdgeAssert.Forwarded(await Get(client, cached));
            await EdgeAssert.Forwarded(await Get(client, later));
        }

        // Each identity asked about once: a cache hit never calls the catalog, however many guesses came between.
        Assert.Equal((1, 1), (catalog.CallsFor(cached), catalog.CallsFor(later)));
    }

    /// <summary>Refused keys are kept apart from identities and, like them, at most <c>MaxEntries</c>: a guess a client
    /// sends again within <c>Invalid</c> is answered from the cache, and endless distinct guesses only push out other
    /// guesses. A guess pushed out is not let through: it is asked about again, within the client's budget of unknown
    /// keys, and once that is spent it gets 429 unasked.</summary>
    [Fact]
    public async Task Endless_distinct_wrong_keys_keep_the_refused_keys_under_the_limit_and_an_evicted_one_is_still_refused()
    {
        const int entries = 20, permits = 70;
        var catalog = new FakeCatalog();
        await using var gateway = new GatewayFactory(_backend, catalog, new Dictionary<string, string?>
        {
            ["Gateway:ApiKeyCache:MaxEntries"] = $"{entries}",
            ["Gateway:ApiKeyCache:Invalid"] = "00:10:00", // nothing leaves by expiry: only the limit can make room
            ["Gateway:RateLimit:PermitsPerMinute"] = $"{permits}",
        });
        var client = gateway.CreateClient();
        var refused = gateway.Services.GetRequiredService<ApiKeyCache>().Refused;
        var guesses = Enumerable.Range(0, entries * 3).Select(_ => $"tn_guess-{Guid.NewGuid():N}").ToList();

        foreach (var guess in guesses)
        {
            await EdgeAssert.Problem(await Get(client, guess), HttpStatusCode.Unauthorized);
            Assert.InRange(refused.Count, 1, entries);
        }
        // The first guess is the least recently used: the cache pushes it out (in the background) once over its size.
        await Eventually.True(() => Task.FromResult(!refused.TryGetValue(ApiKeyAuthenticator.Digest(guesses[0]), out _)),
            what: "the first guess pushed out of the refused keys");

        await EdgeAssert.Problem(await Get(client, guesses[0]), HttpStatusCode.Unauthorized);
        Assert.Equal(2, catalog.CallsFor(guesses[0]));

        for (var i = guesses.Count + 1; i < permits; i++)
            await EdgeAssert.Problem(await Get(client, $"tn_guess-{Guid.NewGuid():N}"), HttpStatusCode.Unauthorized);
        refused.Compact(1.0); // every refused key pushed out, as by a flood from other addresses
        await EdgeAssert.Problem(await Get(client, guesses[0]), HttpStatusCode.TooManyRequests);
        Assert.Equal(2, catalog.CallsFor(guesses[0]));
        Assert.Empty(_backend.Received);
    }
}
