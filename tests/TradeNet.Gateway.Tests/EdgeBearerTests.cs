using Microsoft.Extensions.Logging;

namespace TradeNet.Gateway.Tests;

/// <summary>A bearer token a client sends the edge: it is stripped before forwarding (EdgeGuard), and the edge's callers
/// present API keys, so the edge has nothing to learn from it. The edge's own authentication used to validate it on every
/// request, ahead of the rate limits, and log each failure with its stack (about twenty lines at Information, which the
/// gateway process logs): a client could have the edge write them as fast as it could send.</summary>
public sealed class EdgeBearerTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private const string JwtBearerHandler = "Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerHandler";

    [Fact]
    public async Task A_bearer_token_a_client_sends_is_neither_validated_nor_logged_by_the_edge()
    {
        var client = edge.Gateway.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/categories");
        request.Headers.Add("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");

        var echo = await EdgeAssert.Forwarded(await client.SendAsync(request));

        Assert.Null(echo.Header("Authorization"));
        Assert.Empty(edge.Gateway.Logs.Of(JwtBearerHandler, LogLevel.Debug));
    }
}
