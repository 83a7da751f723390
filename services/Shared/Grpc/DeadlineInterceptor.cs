using Grpc.Core;
using Grpc.Core.Interceptors;

namespace TradeNet.Shared.Grpc;

/// <summary>Gives every outgoing call a deadline (unless the caller set a shorter one) and the caller's
/// service token, so no call can hang forever and none goes out unauthenticated.</summary>
public sealed class ServiceCallInterceptor(TimeSpan defaultDeadline, Func<string> token) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var options = context.Options;
        var latest = DateTime.UtcNow.Add(defaultDeadline);
        if (options.Deadline is null || options.Deadline > latest) options = options.WithDeadline(latest);
        var headers = options.Headers ?? [];
        if (headers.Get("authorization") is null) headers.Add("authorization", $"Bearer {token()}");
        options = options.WithHeaders(headers);
        return continuation(request, new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, options));
    }
}
