using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace TradeNet.Shared.Auth;

/// <summary>Section "Auth": the key the gateway signs internal tokens with and the services check them with.</summary>
public sealed class InternalTokenOptions
{
    public const string Section = "Auth";
    public const string Issuer = "tradenet-gateway";
    public const string Audience = "tradenet-services";

    /// <summary>At least 32 characters; the same on the gateway and every service.</summary>
    public string InternalTokenKey { get; set; } = "";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    public SymmetricSecurityKey SigningKey()
    {
        if (InternalTokenKey.Length < 32)
            throw new InvalidOperationException(
                "Auth:InternalTokenKey must be set to a secret of at least 32 characters (env Auth__InternalTokenKey).");
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(InternalTokenKey));
    }
}
