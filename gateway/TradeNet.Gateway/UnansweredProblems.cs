using Yarp.ReverseProxy.Forwarder;

namespace TradeNet.Gateway;

/// <summary>
/// The details of YARP's own answers when a service gives none: 502 (not reached, or its answer broke off), 503 (no
/// replica) and 504 (no answer within the cluster's <c>HttpRequest:ActivityTimeout</c>, or no connection within the
/// forwarding client's connect timeout); and 400 when the client's own body could not be read. YARP sets the bare status; they
/// used to say only "Bad Gateway" or "Gateway Timeout", and a town whose POST timed out could not tell whether to send it
/// again. A write that reached the service may have been applied; one whose connection was never made was not.
/// </summary>
internal static class UnansweredProblems
{
    /// <summary>YARP's activity timeout when a cluster sets none.</summary>
    private static readonly TimeSpan DefaultActivityTimeout = TimeSpan.FromSeconds(100);

    public static (string Title, string Detail)? Describe(HttpContext http)
    {
        if (http.Response.HasStarted || http.Features.Get<IForwarderErrorFeature>() is not { } error) return null;
        var proxy = http.GetReverseProxyFeature();
        var service = proxy.Route.Config.ClusterId ?? "requested";
        // A connection attempt that ran out (the forwarding client's ConnectTimeout, 15 s: a host that is down or drops
        // connections) ends in a cancellation carrying a TimeoutException, which YARP answers 504 like a service that took
        // the request and did not answer; but nothing was sent. (Its activity timeout cancels without one.)
        var connectTimedOut = error.Exception is OperationCanceledException { InnerException: TimeoutException };
        // Neither says that nothing reached the service: a request whose kept-alive connection closed before any answer is
        // sent again on a new connection, and only that one failed to connect. So only a request never written is.
        var notSent = (connectTimedOut || error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            && !ForwardedWrites.AnyWritten(http);
        var afterwards = notSent || IsSafe(http.Request.Method) ? "Retry shortly." : MayHaveBeenApplied;
        return http.Response.StatusCode switch
        {
            // Kestrel failed the client's body while YARP streamed it (a malformed chunk, or a body cut short); a body too
            // large or too slow gets its own status, described by StatusProblems. YARP answers the bare status.
            StatusCodes.Status400BadRequest when error.Error == ForwarderError.RequestBodyClient => ("Unreadable request body",
                "The request body could not be read: its chunked encoding is malformed, or it ended before it was complete. " +
                "Send it with a Content-Length, or as well-formed chunks."),
            StatusCodes.Status502BadGateway when notSent => ("Service unreachable",
                $"The {service} service could not be reached: nothing reached it, so sending the request again is safe. Retry shortly."),
            StatusCodes.Status502BadGateway => ("Service unreachable",
                $"The {service} service could not be reached or broke off its answer. {afterwards}"),
            StatusCodes.Status503ServiceUnavailable => ("Service unavailable",
                $"No replica of the {service} service is available. Retry shortly."),
            StatusCodes.Status504GatewayTimeout when connectTimedOut && notSent => ("Service unreachable",
                $"The {service} service could not be reached: no connection to it could be made in time, so nothing reached it and sending the request again is safe. Retry shortly."),
            StatusCodes.Status504GatewayTimeout when connectTimedOut => ("Service unreachable",
                $"The {service} service broke off the connection before answering and could not be reached again in time. {afterwards}"),
            StatusCodes.Status504GatewayTimeout => ("Service timed out",
                $"The {service} service did not answer within {Seconds(proxy.Cluster.Config.HttpRequest?.ActivityTimeout ?? DefaultActivityTimeout)}. {afterwards}"),
            _ => null,
        };
    }

    private const string MayHaveBeenApplied = "The request may have been applied: read back what it changes before sending it again " +
        "(with the same Idempotency-Key, on the routes that take one, it is not applied twice).";

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private static string Seconds(TimeSpan timeout) => $"{Math.Round(timeout.TotalSeconds):0} s";
}
