namespace TradeNet.Catalog;

/// <summary>Section "Catalog": limits that keep one town from crowding the board for everyone, and what a refused town is told.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>How many open listings (active, window not ended: what the order book holds) one town may have
    /// (default 500). Every listing is in every clearing round, so one town publishing thousands would make every round
    /// slow and large for all towns.</summary>
    public int MaxOpenListingsPerTown { get; set; } = 500;

    /// <summary>How many times a town may change its own position within an hour (default 3; at least 1). Each move
    /// re-announces every open listing of the town (up to <see cref="MaxOpenListingsPerTown"/> ListingChanged), so an
    /// unlimited town could flood matching; a real correction takes one or two. Operators' corrections are not limited.</summary>
    public int MaxTownMovesPerHour { get; set; } = 3;

    /// <summary>How long a registration's <c>Idempotency-Key</c> gets its answer back, API key included (default a day;
    /// positive, at most 30 days). After it the key is forgotten, and the key's holder can no longer read the API key
    /// from the catalog.</summary>
    public TimeSpan RegistrationKeyLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whom a town refused because it looks like a suspended town is told to contact (an address, a URL, a
    /// phone number); unset, the answer says "the network's operators".</summary>
    public string? SuspensionContact { get; set; }
}
