using TradeNet.Matching.Clearing;

namespace TradeNet.Matching.Tests.Clearing;

/// <summary>Listings for clearing tests, placed in real towns around Roanne.</summary>
internal static class Books
{
    public static readonly (double Lat, double Lon) Roanne = (46.0367, 4.0683);
    public static readonly (double Lat, double Lon) Riorges = (46.0430, 4.0400);
    public static readonly (double Lat, double Lon) Lyon = (45.7640, 4.8357);

    public static BookEntry Offer(string id, string town, string category, double quantity, double valuePerUnit,
        double minLot = 0, string[]? attributes = null, (double Lat, double Lon)? at = null,
        DateTimeOffset? from = null, DateTimeOffset? until = null, double weightPerUnit = 1) =>
        new(id, town, ListingKind.Offer, category, valuePerUnit, weightPerUnit, quantity, minLot, attributes ?? [], [], null,
            from, until, (at ?? Roanne).Lat, (at ?? Roanne).Lon, 1);

    public static BookEntry Need(string id, string town, string category, double quantity, double valuePerUnit,
        double minLot = 0, string[]? requires = null, double? maxKm = null, (double Lat, double Lon)? at = null,
        DateTimeOffset? from = null, DateTimeOffset? until = null, double weightPerUnit = 1) =>
        new(id, town, ListingKind.Need, category, valuePerUnit, weightPerUnit, quantity, minLot, [], requires ?? [], maxKm,
            from, until, (at ?? Riorges).Lat, (at ?? Riorges).Lon, 1);

    public static ClearingOutcome Clear(params BookEntry[] entries) =>
        BilateralClearing.Clear(new OrderBook(entries), new ClearingSettings());
}
