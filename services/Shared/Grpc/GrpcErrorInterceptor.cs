using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace TradeNet.Shared.Grpc;

/// <summary>Maps failures to deliberate status codes: bad arguments, missing things and conflicts say so;
/// anything else is Internal without internals leaking into the detail. A call the service failed also ends its server
/// span as an error (<see cref="MarkFailed"/>).</summary>
public sealed class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await MapAsync(request, context, continuation);
        }
        catch (RpcException ex)
        {
            MarkFailed(Activity.Current, ex.Status);
            throw;
        }
    }

    /// <summary>The statuses that say the service failed rather than refused the call (OpenTelemetry's gRPC conventions for a
    /// server span).</summary>
    private static readonly HashSet<StatusCode> ServerFaults =
        [StatusCode.Unknown, StatusCode.DeadlineExceeded, StatusCode.Unimplemented, StatusCode.Internal, StatusCode.Unavailable, StatusCode.DataLoss];

    /// <summary>A gRPC call answers HTTP 200 whatever its status, and the HTTP server span marks only 5xx: catalog's
    /// reservation failing on its storage (Unavailable) left its span unmarked, so an operator filtering traces by error found
    /// it only on the caller's side. A refusal (bad argument, not found, permission, a conflict) is no error of the service.</summary>
    internal static void MarkFailed(Activity? server, Status status)
    {
        if (server is null || !ServerFaults.Contains(status.StatusCode)) return;
        server.SetStatus(ActivityStatusCode.Error, $"{status.StatusCode}: {status.Detail}");
    }

    private async Task<TResponse> MapAsync<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
        catch (KeyNotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.NotFound, ex.Message));
        }
        catch (Storage.WriteConflictException)
        {
            // Lost every retry to another writer of the same record: nothing was written, and asking again can succeed.
            throw new RpcException(new Status(StatusCode.Aborted, "Another request changed the same record at the same moment; nothing was changed. Try again."));
        }
        catch (Exception ex) when (Storage.StorageUnavailable.Is(ex))
        {
            // Busy, full or failing storage: nothing was written, and callers retry Unavailable as transient.
            logger.LogError(ex, "gRPC {Method}: storage unavailable; the call was not applied", context.Method);
            throw new RpcException(new Status(StatusCode.Unavailable, Storage.StorageUnavailable.Detail));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled or its deadline passed."));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "gRPC {Method} failed", context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "The service could not complete the call."));
        }
    }
}
