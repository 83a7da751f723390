using Grpc.Core;
using TradeNet.Contracts.Grpc;
using TradeNet.Logistics.Planning;
using LogisticsGrpc = TradeNet.Contracts.Grpc.Logistics;

namespace TradeNet.Logistics.Grpc;

/// <summary>gRPC <c>Logistics</c>: transport estimates for town pairs, from the same model as direct shipments.</summary>
public sealed class LogisticsGrpcService(TransportModel model) : LogisticsGrpc.LogisticsBase
{
    public const int MaxPairs = 100_000;

    /// <summary>A full batch of pairs is a few MB; the shared 4 MB default would cut it off before validation.</summary>
    public const int MaxReceiveMessageBytes = 16 * 1024 * 1024;

    public override Task<EstimateTransportReply> EstimateTransport(EstimateTransportRequest request, ServerCallContext context)
    {
        if (request.Pairs.Count > MaxPairs)
            throw Invalid($"pairs: at most {MaxPairs} pairs per call (got {request.Pairs.Count}); split the batch");
        var reply = new EstimateTransportReply();
        for (var i = 0; i < request.Pairs.Count; i++)
        {
            var pair = request.Pairs[i];
            Validate(pair.From, $"pairs[{i}].from");
            Validate(pair.To, $"pairs[{i}].to");
            if (!double.IsFinite(pair.WeightKg) || pair.WeightKg < 0)
                throw Invalid($"pairs[{i}].weight_kg: must be a finite number ≥ 0");
            var trip = model.Estimate(pair.From.Lat, pair.From.Lon, pair.To.Lat, pair.To.Lon);
            reply.Estimates.Add(new TransportEstimate
            {
                FromTownId = pair.From.TownId,
                ToTownId = pair.To.TownId,
                DistanceKm = trip.DistanceKm,
                Cost = trip.Cost,
                Seconds = trip.Duration.TotalSeconds,
            });
        }
        return Task.FromResult(reply);
    }

    private static void Validate(TownPoint? point, string field)
    {
        if (point is null) throw Invalid($"{field}: is required");
        if (!double.IsFinite(point.Lat) || point.Lat is < -90 or > 90) throw Invalid($"{field}.lat: must be within [-90, 90]");
        if (!double.IsFinite(point.Lon) || point.Lon is < -180 or > 180) throw Invalid($"{field}.lon: must be within [-180, 180]");
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
