namespace TradeNet.Catalog.Domain;

/// <summary>A registered town. Only the hash of its API key is ever kept.</summary>
/// <param name="Suspension">Set while an operator has suspended the town; null while it may trade.</param>
/// <param name="Moves">When the town itself last changed its position, oldest first: those still inside the move window,
/// at most the limit (<see cref="CatalogOptions.MaxTownMovesPerHour"/>); null when it has not moved. Operators' moves are
/// not kept: they are not limited, and must not use up the town's own allowance.</param>
/// <param name="ReinstatedAt">When an operator last lifted its suspension, as TownReinstated announced it (MongoDB keeps whole
/// milliseconds); null when never. A later suspension is dated after it, whatever the clock did since.</param>
public sealed record Town(
    string Id,
    string Name,
    string? InseeCode,
    double Lat,
    double Lon,
    string[] Specialties,
    string ApiKeyHash,
    DateTimeOffset RegisteredAt,
    TownSuspension? Suspension = null,
    DateTimeOffset[]? Moves = null,
    DateTimeOffset? ReinstatedAt = null)
{
    public bool IsSuspended => Suspension is not null;

    public string Status => IsSuspended ? TownStatuses.Suspended : TownStatuses.Active;
}

/// <summary>Why and since when an operator suspended a town (<c>POST /api/catalog/towns/{id}/suspension</c>).</summary>
public sealed record TownSuspension(string Reason, DateTimeOffset At);

public static class TownStatuses
{
    public const string Active = "active";
    public const string Suspended = "suspended";
}
