using TradeNet.Shared.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace TradeNet.Logistics.Storage.Mongo;

/// <summary>
/// BSON class maps: camelCase element names, GUIDs as standard UUIDs (subtype 4), times as UTC dates.
/// Registered once per process, before the first collection is touched.
/// </summary>
public static class LogisticsMongoMaps
{
    private static readonly Lazy<bool> Registered = new(RegisterAll, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void Register() => _ = Registered.Value;

    private static bool RegisterAll()
    {
        var uuid = new GuidSerializer(GuidRepresentation.Standard);
        MongoGuids.UseStandard();
        var utc = new DateTimeSerializer(DateTimeKind.Utc);
        var optionalUtc = new NullableSerializer<DateTime>(utc);

        Map<PointDocument>(cm =>
        {
            cm.MapMember(d => d.Lat).SetElementName("lat");
            cm.MapMember(d => d.Lon).SetElementName("lon");
        });
        Map<TransferDocument>(cm =>
        {
            cm.MapIdMember(d => d.Id).SetSerializer(uuid);
            cm.MapMember(d => d.TradeId).SetElementName("tradeId").SetSerializer(uuid);
            cm.MapMember(d => d.LegIndex).SetElementName("legIndex");
            cm.MapMember(d => d.FromTown).SetElementName("fromTown");
            cm.MapMember(d => d.ToTown).SetElementName("toTown");
            cm.MapMember(d => d.From).SetElementName("from");
            cm.MapMember(d => d.To).SetElementName("to");
            cm.MapMember(d => d.Category).SetElementName("category");
            cm.MapMember(d => d.Quantity).SetElementName("quantity");
            cm.MapMember(d => d.WeightKg).SetElementName("weightKg");
            cm.MapMember(d => d.WindowFrom).SetElementName("windowFrom").SetSerializer(optionalUtc);
            cm.MapMember(d => d.WindowUntil).SetElementName("windowUntil").SetSerializer(optionalUtc);
            cm.MapMember(d => d.Status).SetElementName("status");
            cm.MapMember(d => d.CreatedAt).SetElementName("createdAt").SetSerializer(utc);
            cm.MapMember(d => d.Attempts).SetElementName("attempts");
            cm.MapMember(d => d.LastFailureReason).SetElementName("lastFailureReason");
            cm.MapMember(d => d.LastFailedAt).SetElementName("lastFailedAt").SetSerializer(optionalUtc);
        });
        Map<StopDocument>(cm =>
        {
            cm.MapMember(d => d.Sequence).SetElementName("seq");
            cm.MapMember(d => d.TownId).SetElementName("townId");
            cm.MapMember(d => d.Action).SetElementName("action");
            cm.MapMember(d => d.Eta).SetElementName("eta").SetSerializer(utc);
        });
        Map<ShipmentDocument>(cm =>
        {
            cm.MapIdMember(d => d.Id).SetSerializer(uuid);
            cm.MapMember(d => d.TradeId).SetElementName("tradeId").SetSerializer(uuid);
            cm.MapMember(d => d.LegIndex).SetElementName("legIndex");
            cm.MapMember(d => d.TransferId).SetElementName("transferId").SetSerializer(uuid);
            cm.MapMember(d => d.FromTown).SetElementName("fromTown");
            cm.MapMember(d => d.ToTown).SetElementName("toTown");
            cm.MapMember(d => d.CarrierTown).SetElementName("carrierTown");
            cm.MapMember(d => d.VehicleId).SetElementName("vehicleId");
            cm.MapMember(d => d.RouteId).SetElementName("routeId").SetSerializer(uuid);
            cm.MapMember(d => d.Status).SetElementName("status");
            cm.MapMember(d => d.DistanceKm).SetElementName("distanceKm");
            cm.MapMember(d => d.Cost).SetElementName("cost");
            cm.MapMember(d => d.Eta).SetElementName("eta").SetSerializer(utc);
            cm.MapMember(d => d.Stops).SetElementName("stops");
            cm.MapMember(d => d.CreatedAt).SetElementName("createdAt").SetSerializer(utc);
            cm.MapMember(d => d.PickedUpAt).SetElementName("pickedUpAt").SetSerializer(optionalUtc);
            cm.MapMember(d => d.DeliveredAt).SetElementName("deliveredAt").SetSerializer(optionalUtc);
            cm.MapMember(d => d.FailedAt).SetElementName("failedAt").SetSerializer(optionalUtc);
            cm.MapMember(d => d.FailureReason).SetElementName("failureReason");
            cm.MapMember(d => d.CancelledAt).SetElementName("cancelledAt").SetSerializer(optionalUtc);
            cm.MapMember(d => d.Version).SetElementName("version");
            // Absent in documents written before the reason was kept: reads as null (as on a vehicle's route).
            cm.MapMember(d => d.DirectTripReason).SetElementName("directTripReason");
            cm.MapMember(d => d.DirectTripDetail).SetElementName("directTripDetail");
        });
        Map<TradeTraceDocument>(cm =>
        {
            cm.MapIdMember(d => d.TradeId).SetSerializer(uuid);
            cm.MapMember(d => d.TraceParent).SetElementName("traceParent");
        });
        Map<CancelledTradeDocument>(cm =>
        {
            cm.MapIdMember(d => d.TradeId).SetSerializer(uuid);
            cm.MapMember(d => d.Reason).SetElementName("reason");
            cm.MapMember(d => d.CancelledAt).SetElementName("cancelledAt").SetSerializer(utc);
        });
        Map<VehicleDocument>(cm =>
        {
            cm.MapIdMember(d => d.Id);
            cm.MapMember(d => d.HomeTown).SetElementName("homeTown");
            cm.MapMember(d => d.Home).SetElementName("home");
            cm.MapMember(d => d.Name).SetElementName("name");
            cm.MapMember(d => d.CapacityKg).SetElementName("capacityKg");
            cm.MapMember(d => d.VolumeM3).SetElementName("volumeM3");
            cm.MapMember(d => d.Chilled).SetElementName("chilled");
            cm.MapMember(d => d.CostPerKm).SetElementName("costPerKm");
            cm.MapMember(d => d.FixedCost).SetElementName("fixedCost");
            cm.MapMember(d => d.AvailableFrom).SetElementName("availableFrom").SetSerializer(optionalUtc);
            cm.MapMember(d => d.AvailableUntil).SetElementName("availableUntil").SetSerializer(optionalUtc);
            cm.MapMember(d => d.CreatedAt).SetElementName("createdAt").SetSerializer(utc);
            cm.MapMember(d => d.UpdatedAt).SetElementName("updatedAt").SetSerializer(utc);
            cm.MapMember(d => d.MaxRouteHours).SetElementName("maxRouteHours");
            // Absent in documents written before working hours existed: reads as null (any hour).
            cm.MapMember(d => d.WorkingHours).SetElementName("workingHours");
        });
        Map<WorkingHoursDocument>(cm =>
        {
            cm.MapMember(d => d.Start).SetElementName("start");
            cm.MapMember(d => d.End).SetElementName("end");
            cm.MapMember(d => d.TimeZone).SetElementName("timeZone");
            cm.MapMember(d => d.Days).SetElementName("days");
        });
        Map<TownStandingDocument>(cm =>
        {
            cm.MapIdMember(d => d.TownId);
            cm.MapMember(d => d.Suspended).SetElementName("suspended");
            cm.MapMember(d => d.At).SetElementName("at").SetSerializer(utc);
            cm.MapMember(d => d.Reason).SetElementName("reason");
        });
        Map<VehicleRegistrationDocument>(cm =>
        {
            cm.MapIdMember(d => d.Id);
            cm.MapMember(d => d.Caller).SetElementName("caller");
            cm.MapMember(d => d.Key).SetElementName("key");
            cm.MapMember(d => d.VehicleId).SetElementName("vehicleId");
            cm.MapMember(d => d.Fingerprint).SetElementName("fingerprint");
            cm.MapMember(d => d.At).SetElementName("at").SetSerializer(utc);
        });
        return true;
    }

    private static void Map<T>(Action<BsonClassMap<T>> configure)
    {
        // Another host in the same process (tests, standalone) may have registered it already.
        if (BsonClassMap.IsClassMapRegistered(typeof(T))) return;
        BsonClassMap.RegisterClassMap<T>(cm =>
        {
            configure(cm);
            cm.SetIgnoreExtraElements(true);
        });
    }
}
