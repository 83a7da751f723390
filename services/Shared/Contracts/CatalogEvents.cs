namespace TradeNet.Contracts;

/// <summary>What the catalog tells everyone about a listing; matching keeps its order book from these.</summary>
/// <remarks>Carries the town's position and the category's unit values so consumers need no lookups.</remarks>
public sealed record ListingSnapshot(
    string Id,
    string TownId,
    string Kind,
    string Category,
    string Unit,
    double ValuePerUnit,
    double WeightPerUnit,
    double Quantity,
    double Remaining,
    double MinLot,
    string[] Attributes,
    string[] Requires,
    double? MaxDistanceKm,
    DateTimeOffset? AvailableFrom,
    DateTimeOffset? AvailableUntil,
    double TownLat,
    double TownLon,
    long Version);

public sealed record TownRegistered(string TownId, string Name, string? InseeCode, double Lat, double Lon, string[] Specialties);

/// <summary>A town's name, position or specialties were corrected (<c>PUT /api/catalog/towns/{id}</c>); its id and INSEE
/// code never change. Published in the write that changed the town, as is a <see cref="ListingChanged"/> for each of its
/// open listings when the position moved: matching takes the position from those snapshots, not from this event.</summary>
/// <param name="ChangedAt">When the change committed: a town carries no version, so a consumer orders two changes by it.</param>
public sealed record TownChanged(string TownId, string Name, string? InseeCode, double Lat, double Lon, string[] Specialties,
    DateTimeOffset ChangedAt);

/// <summary>An operator suspended the town (<c>POST /api/catalog/towns/{id}/suspension</c>): its key was revoked and each
/// listing in <paramref name="WithdrawnListingIds"/> withdrawn (a <see cref="ListingWithdrawn"/> each), all in the write that
/// published this. Its agreed trades are left as they are. Logistics withdraws its vehicles and refuses new ones until a
/// <see cref="TownReinstated"/> with a later time; it orders the two by their times, not by arrival, so
/// <paramref name="SuspendedAt"/> is never before the town's last reinstatement (catalog dates it after it, whatever its
/// clock did).</summary>
public sealed record TownSuspended(string TownId, string Reason, DateTimeOffset SuspendedAt, string[] WithdrawnListingIds);

/// <summary>An operator lifted the town's suspension (<c>DELETE /api/catalog/towns/{id}/suspension</c>) and gave it a new key;
/// the listings withdrawn when it was suspended stay withdrawn. Logistics lets it register vehicles again (those withdrawn
/// stay withdrawn); it orders this and <see cref="TownSuspended"/> by their times, not by arrival, so
/// <paramref name="ReinstatedAt"/> is never before the suspension it lifts (catalog dates it after it, whatever its clock did).</summary>
public sealed record TownReinstated(string TownId, DateTimeOffset ReinstatedAt);

public sealed record ListingPublished(ListingSnapshot Listing);

public sealed record ListingChanged(ListingSnapshot Listing);

public sealed record ListingWithdrawn(string ListingId, string TownId, long Version);

public sealed record ListingsReserved(Guid TradeId, ReservedQuantity[] Items);

public sealed record ReservedQuantity(string ListingId, double Quantity);
