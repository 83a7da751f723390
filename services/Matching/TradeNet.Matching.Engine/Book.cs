namespace TradeNet.Matching.Engine;

/// <summary>A good that towns trade; <see cref="Value"/> is its reference price in credits per unit.</summary>
public sealed record Category(string Id, string Unit, double Value);

/// <summary>A town (vertex of the trade graph); coordinates in degrees (WGS84).</summary>
public sealed record Town(string Id, string Name, double Lat, double Lon);

public enum ListingKind { Offer, Need }

/// <summary>
/// One offer or need of a town. <see cref="Attributes"/> matter on offers, <see cref="Requires"/>
/// and <see cref="MaxDistanceKm"/> on needs; availability windows are optional on both.
/// </summary>
public sealed record Listing(
    string Id,
    string Town,
    ListingKind Kind,
    string Category,
    double Quantity,
    double MinLot = 0,
    IReadOnlyList<string>? Attributes = null,
    IReadOnlyList<string>? Requires = null,
    double? MaxDistanceKm = null,
    DateTimeOffset? AvailableFrom = null,
    DateTimeOffset? AvailableUntil = null);

/// <summary>Round settings carried by the book; a caller's <see cref="SolveOptions"/> overrides them.</summary>
public sealed record Settings(int MaxCycleLength = 3, double DetourFactor = 1.3, double? TimeLimitSeconds = null);

/// <summary>The order book of one clearing round.</summary>
public sealed record Book(
    IReadOnlyList<Category> Categories,
    IReadOnlyList<Town> Towns,
    IReadOnlyList<Listing> Listings,
    Settings? Settings = null);
