using System.ComponentModel;
using TradeNet.Catalog.Domain;

namespace TradeNet.Catalog.Api;

// Request records: a parameter with a default is one the validation lets a caller leave out, and so one the OpenAPI
// schema leaves out of `required` (binding is the same either way: a missing field binds null). One without a default
// is refused when missing or null (CatalogValidation, ListingBoard). ChangeListingRequest, a merge patch, has its own file.

public sealed record RegisterTownRequest(string? Name, double? Lat, double? Lon, string? InseeCode = null, string[]? Specialties = null);

/// <summary>A town's corrected details, replacing the ones it has (PUT): name, lat, lon and specialties are all required.
/// <paramref name="InseeCode"/> and <paramref name="Id"/> are fixed: they may be sent back as the town view shows them
/// (left out or null, they are as stored), any other value is refused. <paramref name="Status"/>,
/// <paramref name="SuspendedAt"/> and <paramref name="SuspensionReason"/> are read-only too, so a view can be sent back
/// whole: a status other than the town's is refused (suspensions have their own route), the other two are not read.</summary>
[Description("A full replacement of the town's details: name, lat, lon and specialties are required ([] for none). id and " +
    "inseeCode never change; they may be sent back as the town view shows them. A town with a known INSEE code stays within " +
    "25 km of its commune.")]
public sealed record ChangeTownRequest(string? Name, double? Lat, double? Lon, string[]? Specialties, string? InseeCode = null,
    string? Id = null, string? Status = null, DateTimeOffset? SuspendedAt = null, string? SuspensionReason = null);

/// <param name="Status"><c>active</c> or <c>suspended</c>, shown to everyone: a trading partner should know.</param>
/// <param name="SuspendedAt">Operators only (null for others), as is <paramref name="SuspensionReason"/>: the reason is an
/// operator's note about the town, not a public accusation.</param>
public sealed record TownView(string Id, string Name, string? InseeCode, double Lat, double Lon, string[] Specialties, string Status,
    DateTimeOffset? SuspendedAt, string? SuspensionReason)
{
    /// <summary>Never carries the key hash; the suspension's details only for an operator.</summary>
    public static TownView Of(Town t, bool forOperator = false) => new(t.Id, t.Name, t.InseeCode, t.Lat, t.Lon, t.Specialties,
        t.Status, forOperator ? t.Suspension?.At : null, forOperator ? t.Suspension?.Reason : null);
}

/// <summary>Body of <c>POST /api/catalog/towns/{id}/suspension</c>.</summary>
[Description("Why the town is suspended: 1-500 characters, no control characters (trimmed). Shown to operators only.")]
public sealed record SuspendTownRequest(string? Reason);

/// <summary>With <see cref="TownKeyRotation"/>, the only answers that ever contain an API key.</summary>
public sealed record TownRegistration(TownView Town, string ApiKey);

/// <summary>A town's new API key, shown once; the one it replaces no longer authenticates.</summary>
public sealed record TownKeyRotation(string TownId, string ApiKey);

/// <summary>The town comes from the caller's key; <paramref name="TownId"/> exists only to reject a different one.</summary>
public sealed record PublishListingRequest(
    string? Kind,
    string? Category,
    double? Quantity,
    double? MinLot = null,
    string[]? Attributes = null,
    string[]? Requires = null,
    DateTimeOffset? AvailableFrom = null,
    DateTimeOffset? AvailableUntil = null,
    double? MaxDistanceKm = null,
    string? TownId = null);

public sealed record ListingView(
    string Id,
    string TownId,
    string Kind,
    string Category,
    double Quantity,
    double Remaining,
    double Reserved,
    double Fulfilled,
    double MinLot,
    string[] Attributes,
    string[] Requires,
    DateTimeOffset? AvailableFrom,
    DateTimeOffset? AvailableUntil,
    double? MaxDistanceKm,
    string Status,
    long Version,
    DateTimeOffset CreatedAt)
{
    /// <summary>The listing as it stands at <paramref name="now"/> (its status may be <c>ended</c>, <see cref="Listing.StatusAt"/>).</summary>
    public static ListingView Of(Listing l, DateTimeOffset now) => new(l.Id, l.TownId, l.Kind, l.Category, l.Quantity, l.Remaining, l.Reserved,
        l.Fulfilled, l.MinLot, l.Attributes, l.Requires, l.AvailableFrom, l.AvailableUntil, l.MaxDistanceKm, l.StatusAt(now),
        l.Version, l.CreatedAt);
}
