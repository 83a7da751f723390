using TradeNet.Contracts;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Clearing;

public enum ListingKind { Offer, Need }

/// <summary>One open listing as a round sees it: <see cref="Available"/> is what remains after the
/// quantities that pending proposals hold. It carries its category's value, weight and unit and its town's
/// position, so a strategy needs no other lookup.</summary>
public sealed record BookEntry(
    string Id,
    string TownId,
    ListingKind Kind,
    string Category,
    double ValuePerUnit,
    double WeightPerUnit,
    double Available,
    double MinLot,
    IReadOnlyList<string> Attributes,
    IReadOnlyList<string> Requires,
    double? MaxDistanceKm,
    DateTimeOffset? AvailableFrom,
    DateTimeOffset? AvailableUntil,
    double Lat,
    double Lon,
    long Version,
    string Unit = "");

public sealed record OrderBook(IReadOnlyList<BookEntry> Entries)
{
    public static OrderBook Empty { get; } = new([]);

    /// <summary>A crumb of float noise, nothing a town has (catalog's <c>Listing.Epsilon</c>, which its checks allow).</summary>
    public const double Epsilon = 1e-6;

    /// <summary>The entries a leg can use: a listing whose available quantity is below its own min lot cannot give or
    /// take a single leg, nor can a crumb (≤ <see cref="Epsilon"/>).</summary>
    public IReadOnlyList<BookEntry> Tradable => Entries.Where(e => CanTrade(e.Available, e.MinLot)).ToList();

    /// <summary>Whether <paramref name="available"/> (<see cref="AvailableOf"/>) can carry a leg of a listing with this min lot.</summary>
    /// <remarks>The lot is read as <paramref name="available"/> is (<see cref="DisplayedNumbers.Round"/>): a quantity sent as its
    /// own min lot with noise (3.0000000000000004) is available as 3, and compared with the lot as sent it was in no round.</remarks>
    public static bool CanTrade(double available, double minLot) => available > Epsilon && available >= DisplayedNumbers.Round(minLot);

    /// <summary>What a round may take of a listing: its remaining less what is held, as a town reads it
    /// (<see cref="DisplayedNumbers.Round"/>). A leg is its value over a price, so 6 kg less a 3 kg leg of pellets remains as
    /// 2.9999999999999996 kg; compared as it is, that is under a min lot of 3 and the engine left it out for good, while
    /// the town reads 3. Rounding moves it by less than 1e-7, within what catalog's reservation allows.</summary>
    public static double AvailableOf(double remaining, double held) => DisplayedNumbers.Round(remaining - held);

    /// <summary>Builds a round's book: open listings minus what pending proposals hold. Listings whose
    /// availability ended before <paramref name="now"/> can no longer be delivered and are left out.</summary>
    public static OrderBook From(IEnumerable<ListingSnapshot> listings, IReadOnlyDictionary<string, double> held, DateTimeOffset now)
    {
        var entries = new List<BookEntry>();
        foreach (var l in listings.OrderBy(l => l.Id, StringComparer.Ordinal))
        {
            if (l.AvailableUntil < now) continue;
            var available = AvailableOf(l.Remaining, held.GetValueOrDefault(l.Id));
            if (available <= 0) continue;
            if (Entry(l, available) is { } entry) entries.Add(entry);
        }
        return new OrderBook(entries);
    }

    /// <summary>A listing as clearing sees it, with what it still has available; null for a kind clearing does not know.</summary>
    public static BookEntry? Entry(ListingSnapshot l, double available) =>
        TryKind(l.Kind, out var kind)
            // The lot rounded as what is available is (CanTrade), so a leg can be both; catalog allows 1e-6 under the lot.
            ? new BookEntry(l.Id, l.TownId, kind, l.Category, l.ValuePerUnit, l.WeightPerUnit, available,
                DisplayedNumbers.Round(l.MinLot), l.Attributes ?? [], l.Requires ?? [], l.MaxDistanceKm, l.AvailableFrom, l.AvailableUntil,
                l.TownLat, l.TownLon, l.Version, l.Unit)
            : null;

    public static bool TryKind(string? kind, out ListingKind parsed)
    {
        parsed = string.Equals(kind, "need", StringComparison.OrdinalIgnoreCase) ? ListingKind.Need : ListingKind.Offer;
        return string.Equals(kind, "need", StringComparison.OrdinalIgnoreCase) || string.Equals(kind, "offer", StringComparison.OrdinalIgnoreCase);
    }
}
