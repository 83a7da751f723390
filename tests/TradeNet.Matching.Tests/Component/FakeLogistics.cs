using Grpc.Core;
using TradeNet.Contracts.Grpc;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Logistics at the outer edge: quotes every trip at a flat cost, stops every trade it is asked to (unless a test
/// says otherwise with <see cref="OnStop"/>), and remembers what it was asked.</summary>
public sealed class FakeLogistics(double tripCost = 0) : Logistics.LogisticsClient
{
    public List<EstimateTransportRequest> Requests { get; } = [];

    /// <summary>The deadline each estimate was asked with, in the order of <see cref="Requests"/>.</summary>
    public List<DateTime?> Deadlines { get; } = [];

    /// <summary>Logistics' answer to an estimate, or an <see cref="RpcException"/> it throws; by default every pair at the flat cost.</summary>
    public Func<EstimateTransportRequest, EstimateTransportReply>? OnEstimate { get; set; }

    public List<StopTradeRequest> Stops { get; } = [];

    /// <summary>Logistics' answer to a stop, or an <see cref="RpcException"/> it throws; by default stopped, nothing delivered.</summary>
    public Func<StopTradeRequest, StopTradeReply> OnStop { get; set; } = _ => new StopTradeReply { Stopped = true };

    /// <summary>An answer that waits for something (an event consumed meanwhile): awaited by the caller, so no request
    /// thread blocks on it (a blocked one could starve the consumer it waits for on a loaded machine). Wins over <see cref="OnStop"/>.</summary>
    public Func<StopTradeRequest, Task<StopTradeReply>>? OnStopAsync { get; set; }

    public static StopTradeReply Refused(params int[] legsOnTheRoad) => new() { Stopped = false, LegsOnTheRoad = { legsOnTheRoad } };

    public static StopTradeReply StoppedWithDelivered(DateTimeOffset at, params int[] legs) => new()
    {
        Stopped = true,
        DeliveredLegs = { legs.Select(l => new DeliveredLeg { LegIndex = l, DeliveredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) }) },
    };

    public override AsyncUnaryCall<EstimateTransportReply> EstimateTransportAsync(EstimateTransportRequest request, CallOptions options)
    {
        Requests.Add(request);
        Deadlines.Add(options.Deadline);
        try
        {
            return Call(Task.FromResult(OnEstimate?.Invoke(request) ?? Flat(request, tripCost)));
        }
        catch (RpcException ex)
        {
            return Call(Task.FromException<EstimateTransportReply>(ex));
        }
    }

    /// <summary>Every pair of the request at <paramref name="cost"/>, in order, as logistics answers.</summary>
    public static EstimateTransportReply Flat(EstimateTransportRequest request, double cost)
    {
        var reply = new EstimateTransportReply();
        reply.Estimates.AddRange(request.Pairs.Select(p => new TransportEstimate
        {
            FromTownId = p.From.TownId, ToTownId = p.To.TownId, Cost = cost, DistanceKm = 5, Seconds = 300,
        }));
        return reply;
    }

    public override AsyncUnaryCall<StopTradeReply> StopTradeAsync(StopTradeRequest request, CallOptions options)
    {
        lock (Stops) Stops.Add(request);
        Task<StopTradeReply> reply;
        try
        {
            reply = OnStopAsync is { } later ? later(request) : Task.FromResult(OnStop(request));
        }
        catch (RpcException ex)
        {
            reply = Task.FromException<StopTradeReply>(ex);
        }
        return Call(reply);
    }

    private static AsyncUnaryCall<T> Call<T>(Task<T> reply) =>
        new(reply, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
}
