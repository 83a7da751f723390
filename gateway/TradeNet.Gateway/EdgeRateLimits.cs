using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TradeNet.Gateway;

/// <summary>Rate limit policies named by the YARP routes in gateway.json (<c>RateLimiterPolicy</c>).
/// Only proxied routes carry them, so services hosted in the same process are never throttled by the edge.</summary>
public static class EdgeRateLimits
{
    public const string PerCaller = "gateway-caller";
    public const string TownRegistration = "gateway-town-registration";

    /// <summary>The partition of requests whose key this edge has not seen valid: not limited here (see <see cref="CallerPartition"/>).</summary>
    public const string Unverified = "unverified-key";
    private static readonly TimeSpan Segment = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddEdgeRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            // 429 with a ProblemDetails body; a limit is never reported as 503.
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                // Sliding windows carry no retry hint; one segment (10 s) is when permits come back.
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var hint) ? hint : Segment;
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                // Which limit: a town registering has made no other requests that could have spent "its" allowance.
                var detail = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == TownRegistration
                    ? $"At most {Limits(http).RegistrationsPerMinute} town registrations a minute are taken from one address; retry later."
                    : "The rate limit for this caller is exhausted; retry later.";
                await EdgeGuard.Reject(http, http.RequestServices.GetRequiredService<IProblemDetailsService>(),
                    StatusCodes.Status429TooManyRequests, "Too many requests", detail);
            };
            o.AddPolicy(PerCaller, http =>
            {
                var permits = Limits(http).PermitsPerMinute;
                var partition = CallerPartition(http);
                if (partition == Unverified) return RateLimitPartition.GetNoLimiter(partition);
                return RateLimitPartition.GetSlidingWindowLimiter(partition, _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = (int)(TimeSpan.FromMinutes(1) / Segment),
                    QueueLimit = 0,
                });
            });
            o.AddPolicy(TownRegistration, http =>
            {
                var permits = Limits(http).RegistrationsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientIp(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }

    /// <summary>Per API key (by digest, so raw keys are not kept as partition names) once this edge has seen the key
    /// valid (<see cref="ApiKeyCache.Remembered"/>); <see cref="Unverified"/> for another well-formed key; else per client IP.</summary>
    public static string CallerPartition(HttpContext http)
    {
        var keys = http.Request.Headers[EdgeGuard.ApiKeyHeader];
        // Only a key that could be one gets a limit of its own. Any other (malformed, or the header twice) is refused by
        // the edge unasked, so a fresh one per request would be an unlimited caller and a new partition each time.
        if (!ApiKeyAuthenticator.IsOneWellFormedKey(keys)) return "ip:" + ClientIp(http);
        // So would a guessed key be: a partition (a sliding window kept about 70 s) per guess. A key not yet seen valid
        // is held by EdgeGuard instead: the client's budget of unknown keys before the catalog is asked, and once the key
        // is found valid, its town's or operator's own limit (ApiKeyCache.Callers); one refused is never forwarded.
        var digest = ApiKeyAuthenticator.Digest(keys[0]!);
        return http.RequestServices.GetRequiredService<ApiKeyCache>().Remembered.TryGetValue(digest, out _) ? "key:" + digest : Unverified;
    }

    // The socket's address; X-Forwarded-For only as a trusted proxy wrote it (Gateway:TrustedProxies, applied by the
    // forwarded-headers middleware): a client could forge the header to dodge its limit.
    internal static string ClientIp(HttpContext http) => ClientOf(http.Connection.RemoteIpAddress);

    /// <summary>The client an address stands for: an IPv4 address (also written as IPv6), or an IPv6 address's /64 —
    /// a host holds a whole /64 and may take any address in it, so per address it had 2^64 allowances.</summary>
    internal static string ClientOf(System.Net.IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || address.Equals(System.Net.IPAddress.IPv6Loopback))
            return address.ToString();
        var network = address.GetAddressBytes();
        Array.Clear(network, 8, 8);
        return $"{new System.Net.IPAddress(network)}/64";
    }

    private static EdgeRateLimitOptions Limits(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.RateLimit;
}
