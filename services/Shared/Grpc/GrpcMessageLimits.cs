using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace TradeNet.Shared.Grpc;

/// <summary>How large a gRPC request a service takes: gRPC's own limit (<c>MaxReceiveMessageSize</c>), which refuses a larger
/// message as ResourceExhausted naming the sizes, and not Kestrel's limit for REST bodies, which is server-wide.</summary>
public static class GrpcMessageLimits
{
    /// <summary>The services' gRPC default (gRPC's own), for a message of any method a service does not raise it for.</summary>
    public const int DefaultMaxReceiveMessageBytes = 4 * 1024 * 1024;

    /// <summary>gRPC's frame header before each message: a compression flag and a 4-byte length.</summary>
    private const int FrameHeaderBytes = 5;

    /// <summary>Lets a gRPC service's requests be as large as its <paramref name="maxMessageBytes"/>. Without it Kestrel's
    /// 256 KB REST limit (<see cref="Hosting.ServiceDefaults.MaxRequestBodyBytes"/>) stopped the read of any larger message
    /// before the service saw it, and the call failed as Unknown ("Exception was thrown by handler."): matching's batch of
    /// 10 000 town pairs, a GetTowns of 10 000 ids. The test server enforces no body limit, so only Kestrel showed it.</summary>
    public static TBuilder AcceptingMessagesUpTo<TBuilder>(this TBuilder endpoints, int maxMessageBytes) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        // Routing sets the request's body limit from this metadata as it picks the endpoint, before gRPC reads a byte.
        return endpoints.WithMetadata(new BodyLimit(maxMessageBytes + FrameHeaderBytes));
    }

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
