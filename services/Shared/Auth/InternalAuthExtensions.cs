using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TradeNet.Shared.Auth;

public static class InternalAuthExtensions
{
    /// <summary>Services accept only the gateway's (or a sibling service's) signed internal token.</summary>
    public static IServiceCollection AddInternalAuth(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<InternalTokenIssuer>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<InternalTokenOptions>>((jwt, tokens) =>
            {
                jwt.MapInboundClaims = false;
                var skew = TimeSpan.FromSeconds(5);
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = InternalTokenOptions.Issuer,
                    ValidAudience = InternalTokenOptions.Audience,
                    IssuerSigningKey = tokens.Value.SigningKey(),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = skew,
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                };
                jwt.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        // Every token TradeNet issues names its caller and lives minutes at most; one that does neither
                        // was not made by an issuer of ours, whatever key signed it. Its issue time is now (give or take
                        // the skew): dated ahead, with no not-before or an early one, a token spanning ten minutes on
                        // paper is accepted from now until then, a year if it says so.
                        if (context.SecurityToken is not JsonWebToken token || token.IssuedAt == DateTime.MinValue
                            || token.IssuedAt > DateTime.UtcNow + skew
                            || token.ValidTo - token.IssuedAt > InternalTokenOptions.MaxLifetime
                            || string.IsNullOrEmpty(token.Subject))
                        {
                            context.Fail("The internal token has no subject, or no issue time, or one still to come, or lives longer than tokens are issued for.");
                            return Task.CompletedTask;
                        }
                        // Expose the subject under the standard claim so CallerExtensions work everywhere.
                        if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst("sub") is { } sub)
                        {
                            identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, sub.Value));
                            foreach (var role in identity.FindAll("role").ToList())
                                identity.AddClaim(new Claim(identity.RoleClaimType, role.Value));
                        }
                        return Task.CompletedTask;
                    },
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Town, p => p.RequireRole(Roles.Town))
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Policies.TownOrOperator, p => p.RequireRole(Roles.Town, Roles.Operator))
            .AddPolicy(Policies.Service, p => p.RequireRole(Roles.Service));
        return services;
    }
}
