using Grpc.Core;
using Microsoft.Extensions.Options;
using TradeNet.Contracts.Grpc;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planner;
using TradeNet.Logistics.Storage;
using LogisticsGrpc = TradeNet.Contracts.Grpc.Logistics;
using GrpcEstimate = TradeNet.Contracts.Grpc.TransportEstimate;
using PlannerVehicle = TradeNet.Logistics.Planner.Vehicle;

namespace TradeNet.Logistics.Grpc;

/// <summary>gRPC <c>Logistics</c>: transport estimates for town pairs from the planner's <see cref="TransportEstimator"/>
/// (same distances as planning). With a fleet, its median cost per km and fixed cost are used; without one, what a
/// direct trip is charged (km × <c>Logistics:CostPerKm</c>, no fixed cost, no empty return). StopTrade: see
/// <c>LogisticsGrpcService.StopTrade.cs</c>.</summary>
public sealed partial class LogisticsGrpcService(ILogisticsStore store, IOptions<LogisticsOptions> options, TradeStops stops,
    TimeProvider clock, ILogger<LogisticsGrpcService> logger) : LogisticsGrpc.LogisticsBase
{
    public const int MaxPairs = 100_000;

    /// <summary>A full batch of pairs is a few MB; the shared 4 MB default would cut it off before validation.</summary>
    public const int MaxReceiveMessageBytes = 16 * 1024 * 1024;

    public override async Task<EstimateTransportReply> EstimateTransport(EstimateTransportRequest request, ServerCallContext context)
    {
        if (request.Pairs.Count > MaxPairs)
            throw Invalid($"pairs: at most {MaxPairs} pairs per call (got {request.Pairs.Count}); split the batch");
        var pairs = new (Place From, Place To)[request.Pairs.Count];
        for (var i = 0; i < request.Pairs.Count; i++)
        {
            var pair = request.Pairs[i];
            Validate(pair.From, $"pairs[{i}].from");
            Validate(pair.To, $"pairs[{i}].to");
            if (!double.IsFinite(pair.WeightKg) || pair.WeightKg < 0)
                throw Invalid($"pairs[{i}].weight_kg: must be a finite number ≥ 0");
            // The distance model counts two places of one town as 0 m apart; pairs without town ids must not look alike.
            pairs[i] = (ToPlace(pair.From, $"#from-{i}"), ToPlace(pair.To, $"#to-{i}"));
        }
        var reply = new EstimateTransportReply();
        if (pairs.Length == 0) return reply;
        var settings = options.Value;
        var estimator = new TransportEstimator(new DistanceModel(new DistanceSettings(settings.DetourFactor, settings.SpeedKmh)),
            await SettingsAsync(settings, context.CancellationToken));
        var estimates = estimator.EstimateMany(pairs);
        for (var i = 0; i < estimates.Count; i++)
        {
            reply.Estimates.Add(new GrpcEstimate
            {
                FromTownId = request.Pairs[i].From.TownId,
                ToTownId = request.Pairs[i].To.TownId,
                DistanceKm = estimates[i].DistanceMeters / 1000.0,
                Cost = estimates[i].Cost,
                Seconds = estimates[i].Duration.TotalSeconds,
            });
        }
        return reply;
    }

    private async Task<EstimatorSettings> SettingsAsync(LogisticsOptions settings, CancellationToken ct)
    {
        // The vehicles a run may still use (FleetShipmentPlanner): one whose availability has ended carries nothing more, and
        // its costs would price legs that go as direct trips.
        var now = clock.GetUtcNow();
        var fleet = (await store.VehiclesAsync(null, ct)).Where(v => v.WithinLimits && (v.AvailableUntil is not { } until || until > now)).ToList();
        if (fleet.Count == 0) return new EstimatorSettings(settings.CostPerKm, FixedCostPerTrip: 0, LegsPerRoute: 1, EmptyReturnShare: 0);
        return TransportEstimator.SettingsFromFleet(fleet.Select(v => new PlannerVehicle(v.Id, new Place(v.HomeTown, new GeoPoint(v.Home.Lat, v.Home.Lon)),
            v.CapacityKg, v.VolumeM3, v.Chilled, v.CostPerKm, v.FixedCost, new TimeWindow(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))).ToList());
    }

    private static Place ToPlace(TownPoint point, string fallbackId) =>
        new(string.IsNullOrEmpty(point.TownId) ? fallbackId : point.TownId, new GeoPoint(point.Lat, point.Lon));

    private static void Validate(TownPoint? point, string field)
    {
        if (point is null) throw Invalid($"{field}: is required");
        if (!double.IsFinite(point.Lat) || point.Lat is < -90 or > 90) throw Invalid($"{field}.lat: must be within [-90, 90]");
        if (!double.IsFinite(point.Lon) || point.Lon is < -180 or > 180) throw Invalid($"{field}.lon: must be within [-180, 180]");
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
