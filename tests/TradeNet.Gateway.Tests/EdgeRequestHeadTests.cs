using System.Net;
using Microsoft.AspNetCore.Builder;
using TradeNet.Shared.Hosting;

namespace TradeNet.Gateway.Tests;

/// <summary>One echo backend and one edge on a real Kestrel: a TestServer never applies Kestrel's request line and header limits.</summary>
public sealed class KestrelEdgeFixture : IAsyncLifetime
{
    public EchoBackend Backend { get; private set; } = null!;
    public WebApplication Edge { get; private set; } = null!;
    public string Url => Edge.Urls.First();

    public async Task InitializeAsync()
    {
        Backend = await EchoBackend.StartAsync();
        Edge = await EdgeHost.StartAsync(Backend, kestrel: true);
    }

    public async Task DisposeAsync()
    {
        await Edge.DisposeAsync();
        await Backend.DisposeAsync();
    }
}

/// <summary>Request lines and headers sized to the byte, written raw over a socket to the edge's Kestrel.</summary>
public sealed class EdgeRequestHeadTests(KestrelEdgeFixture edge) : IClassFixture<KestrelEdgeFixture>
{
    private const string HostLine = "Host: 127.0.0.1\r\n";

    /// <summary>A target that makes <c>GET {target} HTTP/1.1\r\n</c> exactly <paramref name="lineBytes"/> long.</summary>
    private static string TargetOfLine(int lineBytes, char filler = 'a')
    {
        var prefix = $"/api/matching/rounds/{Guid.NewGuid():N}/";
        return prefix + new string(filler, lineBytes - "GET  HTTP/1.1\r\n".Length - prefix.Length);
    }

    /// <summary>A header line that brings every header line, Host's included, to exactly <paramref name="headerBytes"/>.</summary>
    private static string PadHeadersTo(int headerBytes, char filler = 'p') =>
        "X-Pad: " + new string(filler, headerBytes - HostLine.Length - "X-Pad: \r\n".Length);

    private static string[] HeaderLines(int count) =>
        Enumerable.Range(1, count - 1).Select(i => $"X-Header-{i}: {i}").ToArray();

    private Task<HttpResponseMessage> Send(string request) => RawHttp.SendAsync(edge.Url, request);

    private static async Task<string> Detail(HttpResponseMessage response, HttpStatusCode status) =>
        (await EdgeAssert.Problem(response, status)).GetProperty("detail").GetString()!;

    [Fact]
    public async Task A_header_value_outside_ascii_gets_400_problem_details_naming_the_header_not_a_502()
    {
        var target = $"/api/catalog/listings/{Guid.NewGuid():N}";

        var detail = await Detail(await Send(RawHttp.Get(target, "X-Town-Note: café")), HttpStatusCode.BadRequest);

        Assert.Contains("X-Town-Note", detail);
        Assert.DoesNotContain(edge.Backend.Received, e => e.Path == target);
    }

    [Fact]
    public async Task A_url_one_byte_over_the_request_line_limit_gets_414_problem_details_naming_the_limit()
    {
        var target = TargetOfLine(RequestHeadLimits.MaxRequestLineBytes + 1);

        var detail = await Detail(await Send(RawHttp.Get(target)), HttpStatusCode.RequestUriTooLong);

        Assert.Contains("8193 bytes", detail);
        Assert.Contains("limit is 8192 bytes", detail);
        Assert.DoesNotContain(edge.Backend.Received, e => e.Path == target);
    }

    [Fact]
    public async Task A_request_line_at_the_limit_reaches_the_service_whole()
    {
        var target = TargetOfLine(RequestHeadLimits.MaxRequestLineBytes);

        var echo = await EdgeAssert.Forwarded(await Send(RawHttp.Get(target)));

        Assert.Equal(target, echo.Path);
    }

    [Fact]
    public async Task A_url_at_the_limit_that_the_edge_escapes_on_its_way_to_the_service_still_reaches_it()
    {
        // '|' is taken raw by Kestrel and sent on as %7C: the service sees a request line near three times as long.
        var target = TargetOfLine(RequestHeadLimits.MaxRequestLineBytes, filler: '|');

        var echo = await EdgeAssert.Forwarded(await Send(RawHttp.Get(target)));

        Assert.Equal(target.Replace("|", "%7C"), echo.Path);
    }

    [Fact]
    public async Task Request_headers_one_byte_over_the_total_limit_get_431_problem_details_naming_the_limit()
    {
        var detail = await Detail(await Send(RawHttp.Get("/api/matching/rounds", PadHeadersTo(RequestHeadLimits.MaxHeaderBytes + 1))),
            HttpStatusCode.RequestHeaderFieldsTooLarge);

        Assert.Contains("32769 bytes", detail);
        Assert.Contains("limit is 32768 bytes", detail);
    }

    [Fact]
    public async Task Request_headers_at_the_total_limit_reach_the_service_with_the_edges_own_headers_added()
    {
        var pad = PadHeadersTo(RequestHeadLimits.MaxHeaderBytes);

        var echo = await EdgeAssert.Forwarded(await Send(RawHttp.Get("/api/matching/rounds", pad)));

        Assert.Equal(pad["X-Pad: ".Length..], echo.Header("X-Pad"));
        Assert.NotNull(echo.Header("X-Forwarded-For"));
    }

    [Fact]
    public async Task Header_bytes_are_counted_as_sent_so_a_non_ascii_value_counts_its_utf8_bytes()
    {
        // 'é' is two bytes: the header lines are over the limit in bytes though well under it in characters.
        var pad = PadHeadersTo(RequestHeadLimits.MaxHeaderBytes / 2 + 100, filler: 'é');

        var detail = await Detail(await Send(RawHttp.Get("/api/matching/rounds", pad)), HttpStatusCode.RequestHeaderFieldsTooLarge);

        Assert.Contains("limit is 32768 bytes", detail);
    }

    [Fact]
    public async Task One_header_more_than_the_limit_gets_431_problem_details_naming_the_limit()
    {
        var request = RawHttp.Get("/api/matching/rounds", HeaderLines(RequestHeadLimits.MaxHeaderCount + 1));

        var detail = await Detail(await Send(request), HttpStatusCode.RequestHeaderFieldsTooLarge);

        Assert.Contains("101 header lines", detail);
        Assert.Contains("limit is 100", detail);
    }

    [Fact]
    public async Task As_many_headers_as_the_limit_reach_the_service_with_the_edges_own_headers_added()
    {
        var request = RawHttp.Get("/api/matching/rounds", HeaderLines(RequestHeadLimits.MaxHeaderCount));

        var echo = await EdgeAssert.Forwarded(await Send(request));

        Assert.Equal("99", echo.Header("X-Header-99"));
    }

    [Fact]
    public async Task A_browser_asking_for_html_gets_the_414_as_problem_details_too()
    {
        var request = RawHttp.Get(TargetOfLine(RequestHeadLimits.MaxRequestLineBytes + 100), "Accept: text/html");

        await EdgeAssert.Problem(await Send(request), HttpStatusCode.RequestUriTooLong);
    }

    [Fact]
    public async Task A_url_over_four_times_the_limit_still_gets_kestrels_bare_414()
    {
        var target = TargetOfLine(RequestHeadGuard.KestrelHeadroom * RequestHeadLimits.MaxRequestLineBytes + 1);

        var response = await Send(RawHttp.Get(target));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_nul_in_the_path_is_refused_by_kestrel_with_a_bare_400_before_the_edge_sees_it()
    {
        var response = await Send(RawHttp.Get("/api/matching/rounds/a%00b"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
