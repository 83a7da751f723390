using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace TradeNet.Shared.Auth;

/// <summary>Section "Auth": the key the gateway signs internal tokens with and the services check them with.</summary>
public sealed class InternalTokenOptions
{
    public const string Section = "Auth";
    public const string Issuer = "tradenet-gateway";
    public const string Audience = "tradenet-services";

    public const int MinKeyLength = 32;

    /// <summary>The longest life a token may be issued with, and the longest a service accepts: a token copied out of a
    /// trace or a log, or minted with a leaked key, is of use for minutes, not years.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    /// <summary>At least 32 characters; the same on the gateway and every service.</summary>
    public string InternalTokenKey { get; set; } = "";

    /// <summary>How long an issued token lives (default 60 s; more than 0, at most <see cref="MaxLifetime"/>).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    public SymmetricSecurityKey SigningKey()
    {
        if (InternalTokenKey.Length < MinKeyLength)
            throw new InvalidOperationException(
                "Auth:InternalTokenKey must be set to a secret of at least 32 characters (env Auth__InternalTokenKey).");
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(InternalTokenKey));
    }
}
