using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using TradeNet.Shared.Hosting;

namespace TradeNet.Gateway.Tests;

/// <summary>The edge hosted the way another process (the standalone host) would: its own builder,
/// the extension methods, destinations from its own configuration.</summary>
public sealed class EdgeHostingTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await EchoBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<WebApplication> StartEdge(bool kestrel, Dictionary<string, string?>? settings = null) =>
        EdgeHost.StartAsync(_backend, kestrel, settings);

    [Fact]
    public async Task Another_host_runs_the_edge_with_destinations_from_its_own_configuration()
    {
        await using var app = await StartEdge(kestrel: false);

        var echo = await EdgeAssert.Forwarded(await app.GetTestClient().GetAsync("/api/matching/rounds"));

        Assert.Equal("/api/matching/rounds", echo.Path);
    }

    [Fact]
    public async Task A_chunked_body_that_outgrows_256_KB_gets_413_problem_details_from_kestrel()
    {
        await using var app = await StartEdge(kestrel: true);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        // No Content-Length: the limit can only be noticed while the body streams through YARP.
        var body = new StreamContent(new MemoryStream(new byte[ServiceDefaults.MaxRequestBodyBytes + 1024]));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/matching/rounds") { Content = body };
        request.Headers.TransferEncodingChunked = true;

        var problem = await EdgeAssert.Problem(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);

        // The same words as for a Content-Length over the limit.
        Assert.Equal($"The request body exceeds {ServiceDefaults.MaxRequestBodyBytes} bytes.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_refused_for_its_Content_Length_closes_the_connection_and_says_so_so_the_next_request_opens_another()
    {
        await using var app = await StartEdge(kestrel: true);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/matching/rounds")
        {
            Content = new ByteArrayContent(new byte[ServiceDefaults.MaxRequestBodyBytes + 40_000]),
        };

        using var refused = await client.SendAsync(request);
        // Sent again and again on the same client: a connection kept in the pool after the refusal would be reused
        // while Kestrel closes it, and the next request would get no answer.
        var next = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetAsync("/api/matching/rounds")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.True(refused.Headers.ConnectionClose, "the 413 does not say Connection: close");
        Assert.All(next, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task A_body_that_stops_short_of_its_Content_Length_gets_408_problem_details_saying_so()
    {
        await using var app = await StartEdge(kestrel: true);
        // 20 bytes announced, 2 sent: Kestrel gives up on the rest after its minimum data rate's grace (5 s), and YARP
        // answers the bare status (found by the gateway fuzz: a 408 with a title only).
        var request = "POST /api/matching/rounds HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                      "Content-Length: 20\r\n\r\n{}";

        var problem = await EdgeAssert.Problem(await RawHttp.SendAsync(app.Urls.First(), request), HttpStatusCode.RequestTimeout);

        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("did not arrive in time", detail);
        Assert.Contains("Content-Length", detail);
    }

    [Fact]
    public async Task A_chunked_body_whose_chunks_are_malformed_gets_400_problem_details_saying_so()
    {
        await using var app = await StartEdge(kestrel: true);
        // A chunk size that is not hexadecimal: Kestrel fails the body while YARP streams it, and YARP answers the bare
        // status, whose problem said only "Bad Request".
        var request = "POST /api/matching/rounds HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                      "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n0\r\n\r\n";

        var problem = await EdgeAssert.Problem(await RawHttp.SendAsync(app.Urls.First(), request), HttpStatusCode.BadRequest);

        var detail = problem.TryGetProperty("detail", out var given) ? given.GetString() : null;
        Assert.NotNull(detail);
        Assert.Contains("request body could not be read", detail);
        Assert.Contains("chunk", detail);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/docs")]
    public async Task HEAD_on_the_edges_own_routes_is_answered_as_GET_without_the_body(string path)
    {
        await using var app = await StartEdge(kestrel: true);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("application/json", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_api_key_with_non_ascii_bytes_gets_the_edge_401_problem_not_a_bare_400()
    {
        await using var app = await StartEdge(kestrel: true);
        // HttpClient refuses non-ASCII header values unless told how to encode them; a browser or curl just sends the bytes.
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First()) };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/matching/rounds");
        request.Headers.TryAddWithoutValidation("X-Api-Key", "op_clé-secrète");

        var problem = await EdgeAssert.Problem(await client.SendAsync(request), HttpStatusCode.Unauthorized);

        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.TooManyRequests)]  // no proxy is trusted: the header is anyone's to write
    [InlineData("127.0.0.0/8", HttpStatusCode.OK)]     // the proxy is trusted: two clients behind it, two limits
    public async Task Clients_behind_a_trusted_proxy_have_limits_of_their_own_and_a_forged_header_changes_nothing(
        string? trusted, HttpStatusCode secondClient)
    {
        var settings = new Dictionary<string, string?> { ["Gateway:RateLimit:PermitsPerMinute"] = "1" };
        if (trusted is not null) settings["Gateway:TrustedProxies:0"] = trusted;
        await using var app = await StartEdge(kestrel: true, settings);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        Task<HttpStatusCode> GetAs(string forwardedFor) => GetForwardedFor(client, forwardedFor);

        Assert.Equal(HttpStatusCode.OK, await GetAs("203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAs("203.0.113.7"));
        Assert.Equal(secondClient, await GetAs("198.51.100.9"));
    }

    /// <summary>A request as a proxy forwards it for <paramref name="forwardedFor"/>.</summary>
    private static async Task<HttpStatusCode> GetForwardedFor(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/matching/rounds");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await client.SendAsync(request)).StatusCode;
    }

    /// <summary>An IPv6 client holds a whole /64 (any host on it may take any address there): per address, one client had
    /// 2^64 allowances — of requests, registrations and unknown keys, each of which the catalog is asked about.</summary>
    [Fact]
    public async Task Clients_on_one_ipv6_network_of_64_bits_share_one_limit()
    {
        await using var app = await StartEdge(kestrel: true, new()
        {
            ["Gateway:RateLimit:PermitsPerMinute"] = "1",
            ["Gateway:TrustedProxies:0"] = "127.0.0.0/8",
        });
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        Task<HttpStatusCode> GetAs(string forwardedFor) => GetForwardedFor(client, forwardedFor);

        Assert.Equal(HttpStatusCode.OK, await GetAs("2001:db8:5:6::1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAs("2001:db8:5:6:a1b2:c3d4:e5f6:7"));
        Assert.Equal(HttpStatusCode.OK, await GetAs("2001:db8:5:7::1"));    // the next network is another client
        Assert.Equal(HttpStatusCode.OK, await GetAs("::ffff:203.0.113.7")); // an IPv4 client, written as IPv6
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAs("203.0.113.7"));
    }

    [Theory]
    [InlineData("2001:db8:5:6:a1b2:c3d4:e5f6:7", "2001:db8:5:6::/64")]
    [InlineData("2001:db8:5:6::1%3", "2001:db8:5:6::/64")]
    [InlineData("::1", "::1")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    public void A_client_is_its_ipv4_address_or_its_ipv6_network_of_64_bits(string address, string client) =>
        Assert.Equal(client, EdgeRateLimits.ClientOf(IPAddress.Parse(address)));

    /// <summary>What docs/gateway.md and operations.md ("The operator key leaked") tell operators: keys are read at start,
    /// so a leaked one is removed by restarting every gateway, not by editing its configuration.</summary>
    [Fact]
    public async Task An_operator_key_removed_from_configuration_while_the_edge_runs_passes_until_it_restarts()
    {
        const string leaked = "leaked-operator-key-0123456789";
        await using var app = await StartEdge(kestrel: false, new()
        {
            ["Gateway:Operators:0:Name"] = "ops-lyon",
            ["Gateway:Operators:0:Key"] = leaked,
        });
        var client = app.GetTestClient();
        HttpRequestMessage AsOperator()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/matching/rounds");
            request.Headers.Add("X-Api-Key", leaked);
            return request;
        }
        await EdgeAssert.Forwarded(await client.SendAsync(AsOperator()));

        app.Configuration["Gateway:Operators:0:Key"] = "replacement-operator-key-98765";
        ((Microsoft.Extensions.Configuration.IConfigurationRoot)app.Configuration).Reload();

        var echo = await EdgeAssert.Forwarded(await client.SendAsync(AsOperator()));
        Assert.Equal("operator", (await EdgeAssert.InternalToken(echo)).Claim("role"));
    }

    [Fact]
    public async Task A_trusted_proxy_that_is_not_an_address_or_network_stops_the_edge_at_start()
    {
        var error = await Record.ExceptionAsync(() => StartEdge(kestrel: false, new() { ["Gateway:TrustedProxies:0"] = "ingress.local" }));

        Assert.Contains("Gateway:TrustedProxies", error?.Message);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:02")]
    public async Task A_revocation_poll_that_is_not_positive_stops_the_edge_at_start(string poll)
    {
        var error = await Record.ExceptionAsync(() => StartEdge(kestrel: false, new() { ["Gateway:ApiKeyCache:RevocationPoll"] = poll }));

        Assert.Contains("Gateway:ApiKeyCache:RevocationPoll must be positive", error?.Message);
    }

    /// <summary>Each used to start, and then every key check that cached with it was a 500 (a zero or negative lifetime is
    /// refused by the cache; so is a negative size, and a zero one made every request ask the catalog).</summary>
    [Theory]
    [InlineData("Valid", "00:00:00")]
    [InlineData("Invalid", "-00:00:01")]
    [InlineData("Remembered", "00:00:00")]
    [InlineData("MaxEntries", "0")]
    [InlineData("MaxEntries", "-5")]
    public async Task A_key_cache_lifetime_or_size_that_is_not_positive_stops_the_edge_at_start(string option, string value)
    {
        var error = await Record.ExceptionAsync(() => StartEdge(kestrel: false, new() { [$"Gateway:ApiKeyCache:{option}"] = value }));

        Assert.Contains("Gateway:ApiKeyCache:Valid, Invalid, Remembered and MaxEntries must be positive", error?.Message);
    }
}
