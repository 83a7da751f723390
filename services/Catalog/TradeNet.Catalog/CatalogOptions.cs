namespace TradeNet.Catalog;

/// <summary>Section "Catalog": limits that keep one town from crowding the board for everyone.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>How many open listings (active, window not ended: what the order book holds) one town may have
    /// (default 500). Every listing is in every clearing round, so one town publishing thousands would make every round
    /// slow and large for all towns.</summary>
    public int MaxOpenListingsPerTown { get; set; } = 500;
}
