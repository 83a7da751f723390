using Grpc.Core;
using TradeNet.Contracts.Grpc;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Logistics at the outer edge: quotes every trip at a flat cost and remembers what it was asked.</summary>
public sealed class FakeLogistics(double tripCost) : Logistics.LogisticsClient
{
    public List<EstimateTransportRequest> Requests { get; } = [];

    public override AsyncUnaryCall<EstimateTransportReply> EstimateTransportAsync(EstimateTransportRequest request, CallOptions options)
    {
        Requests.Add(request);
        var reply = new EstimateTransportReply();
        reply.Estimates.AddRange(request.Pairs.Select(p => new TransportEstimate
        {
            FromTownId = p.From.TownId, ToTownId = p.To.TownId, Cost = tripCost, DistanceKm = 5, Seconds = 300,
        }));
        return new AsyncUnaryCall<EstimateTransportReply>(Task.FromResult(reply), Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess, () => [], () => { });
    }
}
