using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TradeNet.Shared.Auth;

/// <summary>Signs the short-lived token that carries the caller's identity from the edge to the services.</summary>
public sealed class InternalTokenIssuer(IOptions<InternalTokenOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly SigningCredentials _credentials = new(options.Value.SigningKey(), SecurityAlgorithms.HmacSha256);

    public string Issue(string subject, string role, string? name = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["role"] = role };
        if (name is not null) claims["name"] = name;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = InternalTokenOptions.Issuer,
            Audience = InternalTokenOptions.Audience,
            Claims = claims,
            NotBefore = now.AddSeconds(-5),
            IssuedAt = now,
            Expires = now.Add(options.Value.Lifetime),
            SigningCredentials = _credentials,
        });
    }
}
