using System.Text;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using TradeNet.Shared.Auth;

namespace TradeNet.Shared.Grpc;

/// <summary>Answers a gRPC call the authorization middleware turns away as gRPC does (Unauthenticated, PermissionDenied) with
/// a message saying why. The default answer, a bare HTTP 401/403 with a JSON problem, reached the caller as "Bad gRPC
/// response. HTTP status code: 403": the gateway's log of a catalog refusing its token (keys that differ) named nothing.</summary>
internal sealed class GrpcRefusals : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _rest = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!(authorizeResult.Challenged || authorizeResult.Forbidden) || context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is null)
            return _rest.HandleAsync(next, context, policy, authorizeResult);
        var (status, message) = authorizeResult.Challenged
            ? (StatusCode.Unauthenticated, "No valid service token: TradeNet's gRPC services take the signed token of one of its services "
                + "(every process given the same Auth:InternalTokenKey).")
            : (StatusCode.PermissionDenied, $"The caller {context.User.CallerName()} holds no service token: TradeNet's gRPC services answer "
                + "its services only; towns and operators use the REST API through the gateway.");
        // A trailers-only answer: HTTP 200, the status in the headers, no message.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = PercentEncoded(message);
        return Task.CompletedTask;
    }

    /// <summary>grpc-message as the gRPC protocol carries it: printable ASCII as is, every other UTF-8 byte and '%' as %XX.</summary>
    private static string PercentEncoded(string text)
    {
        var encoded = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
            encoded.Append(b is >= 0x20 and <= 0x7E && b != '%' ? ((char)b).ToString() : $"%{b:X2}");
        return encoded.ToString();
    }
}
