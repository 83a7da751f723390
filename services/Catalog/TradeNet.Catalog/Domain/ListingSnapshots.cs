using TradeNet.Contracts;

namespace TradeNet.Catalog.Domain;

public static class ListingSnapshots
{
    /// <summary>The listing as the bus carries it: with its town's position and its category's values.</summary>
    public static ListingSnapshot Of(Listing l, Town town, Category category) => new(
        l.Id, l.TownId, l.Kind, l.Category, category.Unit, category.ValuePerUnit, category.WeightPerUnit,
        l.Quantity, l.Remaining, l.MinLot, l.Attributes, l.Requires, l.MaxDistanceKm,
        l.AvailableFrom, l.AvailableUntil, town.Lat, town.Lon, l.Version);
}
