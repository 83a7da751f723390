using System.Collections.Concurrent;
using Grpc.Core;
using TradeNet.Contracts.Grpc;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Catalog at the outer edge of a component test: records reservations and answers as the test says.</summary>
public sealed class FakeCatalog : Catalog.CatalogClient
{
    public ConcurrentQueue<ReserveListingsRequest> Reservations { get; } = new();

    /// <summary>Reserves everything unless a test says otherwise; throw an RpcException to play an outage.</summary>
    public Func<ReserveListingsRequest, ReserveListingsReply> Answer { get; set; } = _ => new ReserveListingsReply { Reserved = true };

    public override AsyncUnaryCall<ReserveListingsReply> ReserveListingsAsync(ReserveListingsRequest request, CallOptions options)
    {
        Reservations.Enqueue(request);
        Task<ReserveListingsReply> reply;
        try
        {
            reply = Task.FromResult(Answer(request));
        }
        catch (RpcException ex)
        {
            reply = Task.FromException<ReserveListingsReply>(ex);
        }
        return new AsyncUnaryCall<ReserveListingsReply>(reply, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public static RpcException Outage(StatusCode code = StatusCode.Unavailable) => new(new Status(code, "catalog is down"));
}
