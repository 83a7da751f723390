using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Shared.Auth;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Details for the answers middleware gives with a bare status (no credentials, a route for another role, no such
/// route, a method the route does not take), so that they too say what went wrong. Handlers' own problems keep theirs.
/// </summary>
internal static class StatusProblems
{
    internal const string NoCredentials = "This route needs an API key: send it in the X-Api-Key header.";
    internal const string KeyNotAtGateway = "API keys are checked at the gateway, and this is a TradeNet service's own address: "
        + "send the request to the gateway's (the URL the host printed as the API's) with the same X-Api-Key header.";
    internal const string NoRoute = "No route matches this path.";
    internal const string WrongMethod = "This route does not take this method; the Allow header lists those it takes.";
    internal const string BodyTooSlow = "The request body did not arrive in time: fewer bytes came than its Content-Length announced, or they came too slowly.";

    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        // Each status links to its definition: the framework's writer links the common ones only when it writes (not for
        // AnyAcceptProblemWriter), and the edge and the limits answer with others.
        problem.Type ??= problem.Status switch
        {
            StatusCodes.Status400BadRequest => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            StatusCodes.Status401Unauthorized => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            StatusCodes.Status403Forbidden => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
            StatusCodes.Status404NotFound => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            StatusCodes.Status405MethodNotAllowed => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
            StatusCodes.Status408RequestTimeout => "https://tools.ietf.org/html/rfc9110#section-15.5.9",
            StatusCodes.Status409Conflict => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
            StatusCodes.Status415UnsupportedMediaType => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
            StatusCodes.Status500InternalServerError => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
            StatusCodes.Status502BadGateway => "https://tools.ietf.org/html/rfc9110#section-15.6.3",
            StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            StatusCodes.Status414UriTooLong => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
            StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
            StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
            StatusCodes.Status503ServiceUnavailable => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            _ => null,
        };
        if (problem.Detail is not null) return;
        var http = context.HttpContext;
        problem.Detail = problem.Status switch
        {
            // The gateway removes X-Api-Key before it forwards: a service that sees one was called at its own address,
            // and telling that caller to send the header it sent helps no one.
            StatusCodes.Status401Unauthorized when http.Request.Headers.ContainsKey(ApiKeyDocs.Header) => KeyNotAtGateway,
            StatusCodes.Status401Unauthorized => NoCredentials,
            StatusCodes.Status403Forbidden => Forbidden(http),
            // Only when routing found nothing: a handler's 404 names what it did not find.
            StatusCodes.Status404NotFound when http.GetEndpoint() is null => NoRoute,
            StatusCodes.Status405MethodNotAllowed => WrongMethod,
            StatusCodes.Status415UnsupportedMediaType => ProblemExceptionHandler.ExpectedJson,
            // A body that stalls (short of its Content-Length, or slower than Kestrel's minimum data rate) while the
            // gateway streams it: YARP answers the bare status, which said only "Request Timeout".
            StatusCodes.Status408RequestTimeout => BodyTooSlow,
            // A chunked body that outgrows the limit while the gateway streams it: YARP answers the bare status.
            StatusCodes.Status413PayloadTooLarge => $"The request body exceeds {ServiceDefaults.MaxRequestBodyBytes} bytes.",
            _ => null,
        };
    }

    // Names who the route is for and what the caller's key is, never the key or the caller's id.
    private static string Forbidden(HttpContext http)
    {
        var policies = http.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList() ?? [];
        var forWhom = policies.Select(ForWhom).FirstOrDefault(w => w is not null);
        var user = http.User;
        string? caller = user.IsInRole(Roles.Town) ? "a town's" : user.IsInRole(Roles.Operator) ? "an operator's"
            : user.IsInRole(Roles.Service) ? "a service's" : null;
        if (forWhom is null) return "Your API key does not allow this route.";
        return caller is null ? $"This route is for {forWhom}." : $"This route is for {forWhom}; your API key is {caller}.";
    }

    private static string? ForWhom(string? policy) => policy switch
    {
        Policies.Town => "towns",
        Policies.Operator => "operators",
        Policies.TownOrOperator => "towns and operators",
        Policies.Service => "TradeNet services",
        _ => null,
    };
}
