namespace TradeNet.Catalog.Domain;

/// <summary>A registered town. Only the hash of its API key is ever kept.</summary>
public sealed record Town(
    string Id,
    string Name,
    string? InseeCode,
    double Lat,
    double Lon,
    string[] Specialties,
    string ApiKeyHash,
    DateTimeOffset RegisteredAt);
