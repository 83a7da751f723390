namespace TradeNet.Gateway.Tests;

/// <summary>The edge is the only public entry: the trace a town's request starts is the edge's to begin, not the caller's.
/// A client's <c>traceparent</c> ending in <c>-00</c> (not sampled) made every service drop the spans of that request and
/// of what it caused (the sampler follows its parent), so a town could keep its answers to trades out of the operators'
/// traces; and its <c>baggage</c> travelled into every service.</summary>
public sealed class EdgeTraceContextTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private const string ClientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task A_clients_trace_context_and_baggage_stop_at_the_edge_which_starts_a_sampled_trace_of_its_own()
    {
        var key = edge.Catalog.RegisterTown("42187", "Roanne");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/matching/proposals");
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Add("traceparent", $"00-{ClientTrace}-00f067aa0ba902b7-00");
        request.Headers.Add("tracestate", "client=1");
        request.Headers.Add("baggage", "town=someone-else");

        var echo = await EdgeAssert.Forwarded(await edge.Gateway.CreateClient().SendAsync(request));

        var forwarded = echo.Header("traceparent");
        Assert.NotNull(forwarded);
        Assert.DoesNotContain(ClientTrace, forwarded);
        Assert.EndsWith("-01", forwarded);
        Assert.Null(echo.Header("tracestate"));
        Assert.DoesNotContain("someone-else", echo.Header("baggage") ?? "");
    }
}
