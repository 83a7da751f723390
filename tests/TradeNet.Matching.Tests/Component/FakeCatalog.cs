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

    /// <summary>An answer that first awaits something (say, an event the test delivers while catalog answers); when set,
    /// it answers instead of <see cref="Answer"/>. Awaited, never waited for: blocking the request's thread on the bus
    /// and the book would hold a thread-pool thread the awaited work needs, on a loaded two-core machine.</summary>
    public Func<ReserveListingsRequest, Task<ReserveListingsReply>>? AnswerAsync { get; set; }

    public override AsyncUnaryCall<ReserveListingsReply> ReserveListingsAsync(ReserveListingsRequest request, CallOptions options)
    {
        Reservations.Enqueue(request);
        Task<ReserveListingsReply> reply;
        try
        {
            reply = AnswerAsync is { } later ? later(request) : Task.FromResult(Answer(request));
        }
        catch (RpcException ex)
        {
            reply = Task.FromException<ReserveListingsReply>(ex);
        }
        return new AsyncUnaryCall<ReserveListingsReply>(reply, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public static RpcException Outage(StatusCode code = StatusCode.Unavailable) => new(new Status(code, "catalog is down"));
}
