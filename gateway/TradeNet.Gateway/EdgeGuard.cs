using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Gateway;

/// <summary>
/// Runs in the proxy pipeline before a request is forwarded: refuses oversized bodies, drops every
/// identity header the client sent, and replaces an API key with a short-lived internal token.
/// </summary>
public sealed class EdgeGuard(RequestDelegate next)
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Headers that would let a client claim an identity; only the edge may set them.</summary>
    public static readonly string[] IdentityHeaders =
        [HeaderNames.Authorization, HeaderNames.ProxyAuthorization, "X-Town-Id", "X-Operator", "X-Forwarded-User", ApiKeyHeader];

    public const string TradeNetHeaderPrefix = "X-TradeNet-";

    /// <summary>The challenge of every 401 the edge lets out, its own or a service's.</summary>
    public const string ApiKeyChallenge = $"ApiKey header=\"{ApiKeyHeader}\"";

    public async Task InvokeAsync(HttpContext http, ApiKeyAuthenticator authenticator, ApiKeyCache cache, InternalTokenIssuer tokens,
        IProblemDetailsService problems)
    {
        if (http.Request.ContentLength > ServiceDefaults.MaxRequestBodyBytes)
        {
            // The body is never read, and Kestrel will not drain one past its limit: it drops the connection after this
            // answer. Said up front, so a client does not send its next request on a connection about to close (found by
            // the bad-input hunt: the request after a 413 on a reused connection got no answer).
            http.Response.Headers.Connection = "close";
            await Reject(http, problems, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The request body exceeds {ServiceDefaults.MaxRequestBodyBytes} bytes.");
            return;
        }

        var apiKeys = http.Request.Headers[ApiKeyHeader];
        StripIdentityHeaders(http.Request.Headers);

        if (apiKeys.Count > 0 && !ApiKeyAuthenticator.IsOneWellFormedKey(apiKeys))
        {
            // Not a key that could match: say what a key looks like rather than that it matched nobody.
            http.Response.Headers.WWWAuthenticate = ApiKeyChallenge;
            await Reject(http, problems, StatusCodes.Status401Unauthorized, "Malformed API key",
                $"The {ApiKeyHeader} header must be sent once, holding one key: 1 to {ApiKeyAuthenticator.MaxKeyLength} printable ASCII characters, no spaces.");
            return;
        }
        var rotation = IsKeyRotation(http.Request);
        if (apiKeys.Count > 0)
        {
            var check = await authenticator.AuthenticateAsync(apiKeys[0]!, EdgeRateLimits.ClientIp(http), http.RequestAborted, fresh: rotation);
            switch (check)
            {
                case { Outcome: ApiKeyOutcome.Valid, Caller: { } caller }:
                    using (var lease = cache.Callers.AttemptAcquire($"{caller.Role}:{caller.Subject}"))
                        if (!lease.IsAcquired)
                        {
                            http.Response.Headers.RetryAfter = "10";
                            await Reject(http, problems, StatusCodes.Status429TooManyRequests, "Too many requests",
                                "The rate limit for this caller is exhausted; retry later.");
                            return;
                        }
                    http.Request.Headers.Authorization = $"Bearer {tokens.Issue(caller.Subject, caller.Role, caller.Name)}";
                    Activity.Current?.SetTag("tradenet.caller.role", caller.Role);
                    if (caller.Role == Roles.Town) Activity.Current?.SetTag(TradeNetTelemetry.TownId, caller.Subject);
                    break;
                case { Outcome: ApiKeyOutcome.Limited }:
                    http.Response.Headers.RetryAfter = "60";
                    await Reject(http, problems, StatusCodes.Status429TooManyRequests, "Too many requests",
                        "Too many unknown API keys from this client; retry later.");
                    return;
                case { Outcome: ApiKeyOutcome.Unavailable }:
                    await Reject(http, problems, StatusCodes.Status503ServiceUnavailable, "Authentication unavailable",
                        "The API key could not be checked right now; retry shortly.");
                    return;
                default:
                    http.Response.Headers.WWWAuthenticate = ApiKeyChallenge;
                    await Reject(http, problems, StatusCodes.Status401Unauthorized, "Invalid API key",
                        // The same words for every refused key, so they tell nobody whether a key ever existed; a town whose
                        // key worked before learns why it may have stopped and whom to ask.
                        $"The {ApiKeyHeader} header does not match any town or operator. A town's key stops working when it is " +
                        "replaced (POST /api/catalog/towns/{id}/api-key) or the town is suspended: ask the network's operators for a current key.");
                    return;
            }
        }
        // No key: forwarded anonymously; services answer reads and refuse writes with 401.
        // Their challenge names their internal bearer token; the caller's credential here is the API key header.
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode == StatusCodes.Status401Unauthorized)
                http.Response.Headers.WWWAuthenticate = ApiKeyChallenge;
            return Task.CompletedTask;
        });

        // A chunked body that outgrows the route's MaxRequestBodySize fails while YARP streams it;
        // YARP answers that with 413 itself (covered by a test).
        ForwardedWrites.Track(http);
        await next(http);
        if (UnansweredProblems.Describe(http) is var (title, detail))
        {
            await Reject(http, problems, http.Response.StatusCode, title, detail);
            return;
        }
        if (rotation && apiKeys.Count > 0 && http.Response.StatusCode == StatusCodes.Status200OK) authenticator.Forget(apiKeys[0]!);
    }

    /// <summary><c>POST /api/catalog/towns/{id}/api-key</c>. A leaked key the catalog has already replaced must not rotate
    /// again from this edge's cache and take the town back from its owner, so its key is checked with the catalog.</summary>
    public static bool IsKeyRotation(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method)) return false;
        // Routing matches paths in any case (and the catalog's would take /API/Catalog/...), so this does too.
        var segments = (request.Path.Value ?? "").ToLowerInvariant().Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is ["api", "catalog", "towns", _, "api-key"];
    }

    public static void StripIdentityHeaders(IHeaderDictionary headers)
    {
        foreach (var name in IdentityHeaders) headers.Remove(name);
        foreach (var name in headers.Keys.Where(k => k.StartsWith(TradeNetHeaderPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
            headers.Remove(name);
    }

    internal static async Task Reject(HttpContext http, IProblemDetailsService problems, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        // Written as JSON whatever the client's Accept says (AnyAcceptProblemWriter, from AddServiceDefaults).
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
