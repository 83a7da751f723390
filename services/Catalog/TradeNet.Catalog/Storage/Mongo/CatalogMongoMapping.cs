using TradeNet.Shared.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using TradeNet.Catalog.Domain;

namespace TradeNet.Catalog.Storage.Mongo;

/// <summary>BSON class maps for the catalog's records: camelCase names, explicit creators (the records are
/// immutable), times as BSON dates (UTC, millisecond precision) and trade ids as strings.</summary>
public static class CatalogMongoMapping
{
    private static readonly Lock Gate = new();
    private static bool _registered;

    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            MongoGuids.UseStandard();
            BsonClassMap.TryRegisterClassMap<TownSuspension>(MapTownSuspension);
            BsonClassMap.TryRegisterClassMap<Town>(MapTown);
            BsonClassMap.TryRegisterClassMap<Category>(MapCategory);
            BsonClassMap.TryRegisterClassMap<Listing>(MapListing);
            BsonClassMap.TryRegisterClassMap<ReservationLine>(MapReservationLine);
            BsonClassMap.TryRegisterClassMap<Reservation>(MapReservation);
            BsonClassMap.TryRegisterClassMap<ListingRequest>(MapListingRequest);
            BsonClassMap.TryRegisterClassMap<RevokedKey>(MapRevokedKey);
            BsonClassMap.TryRegisterClassMap<TownRequest>(MapTownRequest);
            _registered = true;
        }
    }

    private static readonly DateTimeOffsetSerializer Time = new(BsonType.DateTime);
    private static readonly NullableSerializer<DateTimeOffset> OptionalTime = new(Time);
    internal static readonly ArraySerializer<DateTimeOffset> Times = new(Time);

    private static void MapTown(BsonClassMap<Town> cm)
    {
        cm.MapIdMember(t => t.Id);
        cm.MapMember(t => t.Name).SetElementName("name");
        cm.MapMember(t => t.InseeCode).SetElementName("inseeCode");
        cm.MapMember(t => t.Lat).SetElementName("lat");
        cm.MapMember(t => t.Lon).SetElementName("lon");
        cm.MapMember(t => t.Specialties).SetElementName("specialties");
        cm.MapMember(t => t.ApiKeyHash).SetElementName("apiKeyHash");
        cm.MapMember(t => t.RegisteredAt).SetElementName("registeredAt").SetSerializer(Time);
        // Towns stored before suspensions existed have no such field: they were never suspended.
        cm.MapMember(t => t.Suspension).SetElementName("suspension").SetDefaultValue((TownSuspension?)null);
        // Nor a `moves` field, until they move: none counted.
        cm.MapMember(t => t.Moves).SetElementName("moves").SetSerializer(Times).SetDefaultValue((DateTimeOffset[]?)null);
        // Nor a `reinstatedAt` field, until first reinstated.
        cm.MapMember(t => t.ReinstatedAt).SetElementName("reinstatedAt").SetSerializer(OptionalTime).SetDefaultValue((DateTimeOffset?)null);
        cm.MapCreator(t => new Town(t.Id, t.Name, t.InseeCode, t.Lat, t.Lon, t.Specialties, t.ApiKeyHash, t.RegisteredAt, t.Suspension, t.Moves,
            t.ReinstatedAt));
        cm.SetIgnoreExtraElements(true);
    }

    private static void MapTownSuspension(BsonClassMap<TownSuspension> cm)
    {
        cm.MapMember(s => s.Reason).SetElementName("reason");
        cm.MapMember(s => s.At).SetElementName("at").SetSerializer(Time);
        cm.MapCreator(s => new TownSuspension(s.Reason, s.At));
        cm.SetIgnoreExtraElements(true);
    }

    private static void MapCategory(BsonClassMap<Category> cm)
    {
        cm.MapIdMember(c => c.Id);
        cm.MapMember(c => c.Name).SetElementName("name");
        cm.MapMember(c => c.Family).SetElementName("family");
        cm.MapMember(c => c.Unit).SetElementName("unit");
        cm.MapMember(c => c.ValuePerUnit).SetElementName("valuePerUnit");
        cm.MapMember(c => c.WeightPerUnit).SetElementName("weightPerUnit");
        cm.MapMember(c => c.Perishable).SetElementName("perishable");
        cm.MapCreator(c => new Category(c.Id, c.Name, c.Family, c.Unit, c.ValuePerUnit, c.WeightPerUnit, c.Perishable));
        cm.SetIgnoreExtraElements(true);
    }

    private static void MapListing(BsonClassMap<Listing> cm)
    {
        cm.MapIdMember(l => l.Id);
        cm.MapMember(l => l.TownId).SetElementName("townId");
        cm.MapMember(l => l.Kind).SetElementName("kind");
        cm.MapMember(l => l.Category).SetElementName("category");
        cm.MapMember(l => l.Quantity).SetElementName("quantity");
        cm.MapMember(l => l.Reserved).SetElementName("reserved");
        cm.MapMember(l => l.Fulfilled).SetElementName("fulfilled");
        cm.MapMember(l => l.MinLot).SetElementName("minLot");
        cm.MapMember(l => l.Attributes).SetElementName("attributes");
        cm.MapMember(l => l.Requires).SetElementName("requires");
        cm.MapMember(l => l.AvailableFrom).SetElementName("availableFrom").SetSerializer(OptionalTime);
        cm.MapMember(l => l.AvailableUntil).SetElementName("availableUntil").SetSerializer(OptionalTime);
        cm.MapMember(l => l.MaxDistanceKm).SetElementName("maxDistanceKm");
        cm.MapMember(l => l.Status).SetElementName("status");
        cm.MapMember(l => l.Version).SetElementName("version");
        cm.MapMember(l => l.CreatedAt).SetElementName("createdAt").SetSerializer(Time);
        cm.MapCreator(l => new Listing(l.Id, l.TownId, l.Kind, l.Category, l.Quantity, l.Reserved, l.Fulfilled, l.MinLot,
            l.Attributes, l.Requires, l.AvailableFrom, l.AvailableUntil, l.MaxDistanceKm, l.Status, l.Version, l.CreatedAt));
        cm.SetIgnoreExtraElements(true);
    }

    private static void MapReservationLine(BsonClassMap<ReservationLine> cm)
    {
        cm.MapMember(l => l.ListingId).SetElementName("listingId");
        cm.MapMember(l => l.Quantity).SetElementName("quantity");
        cm.MapCreator(l => new ReservationLine(l.ListingId, l.Quantity));
        cm.SetIgnoreExtraElements(true);
    }

    private static void MapListingRequest(BsonClassMap<ListingRequest> cm)
    {
        cm.MapIdMember(r => r.Id);
        cm.MapMember(r => r.TownId).SetElementName("townId");
        cm.MapMember(r => r.Key).SetElementName("key");
        cm.MapMember(r => r.ListingId).SetElementName("listingId");
        cm.MapMember(r => r.Fingerprint).SetElementName("fingerprint");
        cm.MapMember(r => r.At).SetElementName("at").SetSerializer(Time);
        cm.MapCreator(r => new ListingRequest(r.TownId, r.Key, r.ListingId, r.Fingerprint, r.At));
        cm.SetIgnoreExtraElements(true);
    }

    private static void MapReservation(BsonClassMap<Reservation> cm)
    {
        cm.MapIdMember(r => r.TradeId).SetSerializer(new GuidSerializer(BsonType.String));
        cm.MapMember(r => r.Reserved).SetElementName("reserved");
        cm.MapMember(r => r.Reason).SetElementName("reason");
        cm.MapMember(r => r.Lines).SetElementName("lines");
        cm.MapMember(r => r.State).SetElementName("state");
        cm.MapMember(r => r.CreatedAt).SetElementName("createdAt").SetSerializer(Time);
        cm.MapCreator(r => new Reservation(r.TradeId, r.Reserved, r.Reason, r.Lines, r.State, r.CreatedAt));
        cm.SetIgnoreExtraElements(true);
    }

    private static void MapTownRequest(BsonClassMap<TownRequest> cm)
    {
        cm.MapIdMember(r => r.KeyHash);
        cm.MapMember(r => r.TownId).SetElementName("townId");
        cm.MapMember(r => r.Fingerprint).SetElementName("fingerprint");
        cm.MapMember(r => r.SealedApiKey).SetElementName("sealedApiKey");
        cm.MapMember(r => r.At).SetElementName("at").SetSerializer(Time);
        // A BSON date: the TTL index removes the document once this time has passed.
        cm.MapMember(r => r.ExpiresAt).SetElementName("expiresAt").SetSerializer(Time);
        cm.MapCreator(r => new TownRequest(r.KeyHash, r.TownId, r.Fingerprint, r.SealedApiKey, r.At, r.ExpiresAt));
        cm.SetIgnoreExtraElements(true);
    }

    private static void MapRevokedKey(BsonClassMap<RevokedKey> cm)
    {
        cm.MapIdMember(k => k.Sequence);
        cm.MapMember(k => k.KeyHash).SetElementName("keyHash");
        cm.MapMember(k => k.RevokedAt).SetElementName("revokedAt").SetSerializer(Time);
        cm.MapCreator(k => new RevokedKey(k.Sequence, k.KeyHash, k.RevokedAt));
        cm.SetIgnoreExtraElements(true);
    }
}
