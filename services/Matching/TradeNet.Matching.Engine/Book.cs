using System.Text.Json.Serialization;

namespace TradeNet.Matching.Engine;

/// <summary>A good that towns trade; <see cref="Value"/> is its reference price in credits per unit.</summary>
public sealed record Category(string Id, string Unit, double Value);

/// <summary>
/// A town (vertex of the trade graph); coordinates in degrees (WGS84). A <see cref="Donor"/> gives without
/// receiving: it lists offers only, and each of its gifts starts a chain (see <see cref="Settings.MaxChainLength"/>).
/// </summary>
public sealed record Town(
    string Id, string Name, double Lat, double Lon,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Donor = false);

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

/// <summary>
/// Round settings carried by the book; a caller's <see cref="SolveOptions"/> overrides them.
/// <see cref="MaxChainLength"/> caps the legs of a chain (a donor town's gift passed on from town to town, the
/// last town receiving without giving); 0, the default, means cycles only. With <see cref="WholePieces"/> goods
/// whose category unit is <c>piece</c> change hands whole (see <see cref="PieceSteps"/>); off by default.
/// </summary>
public sealed record Settings(
    int MaxCycleLength = 3, double DetourFactor = 1.3, double? TimeLimitSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int MaxChainLength = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool WholePieces = false);

/// <summary>The order book of one clearing round.</summary>
public sealed record Book(
    IReadOnlyList<Category> Categories,
    IReadOnlyList<Town> Towns,
    IReadOnlyList<Listing> Listings,
    Settings? Settings = null);
