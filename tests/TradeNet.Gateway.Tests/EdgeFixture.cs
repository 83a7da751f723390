using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TradeNet.Shared.Auth;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

/// <summary>One echo backend, one fake catalog and one gateway, shared by a test class.</summary>
public class EdgeFixture : IAsyncLifetime
{
    public EchoBackend Backend { get; private set; } = null!;
    public FakeCatalog Catalog { get; } = new();
    internal GatewayFactory Gateway { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Backend = await EchoBackend.StartAsync();
        Gateway = new GatewayFactory(Backend, Catalog, Settings);
    }

    public virtual async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backend.DisposeAsync();
    }
}

public static class EdgeAssert
{
    public static async Task<Echo> Forwarded(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Echo>())!;
    }

    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        // Every problem links to the definition of its status (the framework's common ones, the edge's 413/429/503).
        Assert.StartsWith("https://tools.ietf.org/html/rfc", problem.GetProperty("type").GetString());
        return problem;
    }

    /// <summary>Validates the forwarded bearer token exactly as a service would, with the shared key.</summary>
    public static async Task<JsonWebToken> InternalToken(Echo echo)
    {
        var header = echo.Header("Authorization");
        Assert.NotNull(header);
        Assert.StartsWith("Bearer ", header);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(header["Bearer ".Length..], new TokenValidationParameters
        {
            ValidIssuer = InternalTokenOptions.Issuer,
            ValidAudience = InternalTokenOptions.Audience,
            IssuerSigningKey = new InternalTokenOptions { InternalTokenKey = TestSettings.TokenKey }.SigningKey(),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.True(token.ValidTo <= DateTime.UtcNow.AddMinutes(2), "internal tokens are short-lived");
        return token;
    }

    public static string Claim(this JsonWebToken token, string type) => token.GetClaim(type).Value;
}
