using System.Globalization;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Clearing;

/// <summary>Why an offer and a need of one category could not be a leg of a trade: the rule <see cref="Fit.Serves"/>
/// applies, told condition by condition, plus the lots (a leg carries at least both min lots and at most what both
/// have available). <see cref="Code"/> is for programs, <see cref="Detail"/> for a person.</summary>
public sealed record NoFitReason(string Code, string Detail)
{
    public const string SameTown = "sameTown", Attributes = "attributes", Distance = "distance", Window = "window", Lots = "lots";
}

/// <summary>A listing of the other kind in the same category, how far its town is by road, and why it cannot be a
/// leg with the listing asked about (none: it fits).</summary>
public sealed record Counterpart(BookEntry Listing, double RoadKm, IReadOnlyList<NoFitReason> Reasons)
{
    public bool Fits => Reasons.Count == 0;
}

/// <summary>What the counterparts route tells of one listing: how many of its counterparts fit, how many each reason
/// keeps out (one counterpart may count under several), the first <c>limit</c> of them in <see cref="Counterparts.Of"/>'s
/// order, and the town's own listings of the other kind in the book (<see cref="TownSide"/>) with how many of those fit
/// someone (<see cref="TownSideFitting"/>).</summary>
public sealed record CounterpartReport(int Fitting, IReadOnlyDictionary<string, int> NotFitting, IReadOnlyList<Counterpart> First,
    int TownSide, int TownSideFitting);

/// <summary>
/// What a town asks when round after round its listing is in no trade: which listings could be its other side, and what
/// keeps the rest out. A fit is needed, not enough: a trade is a cycle, so the town must also give (or receive) through
/// another listing of its own in the same trade, and the round chooses among every fit by value.
/// </summary>
public static class Counterparts
{
    /// <summary>Every reason the offer cannot serve the need, in the order <see cref="Fit.Serves"/> checks them; empty
    /// exactly when it serves it and their lots can meet.</summary>
    public static IReadOnlyList<NoFitReason> Why(BookEntry offer, BookEntry need, double detourFactor)
    {
        var reasons = new List<NoFitReason>();
        if (string.Equals(offer.TownId, need.TownId, StringComparison.Ordinal))
            reasons.Add(new(NoFitReason.SameTown, "both listings are of one town"));
        var roadKm = Geo.RoadKm(offer.Lat, offer.Lon, need.Lat, need.Lon, detourFactor);
        if (need.MaxDistanceKm is { } max && roadKm > max)
        {
            var (road, limit) = Apart(roadKm, max);
            reasons.Add(new(NoFitReason.Distance, $"{road} km by road, over the need's {limit} km"));
        }
        var missing = need.Requires.Where(r => !offer.Attributes.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
            reasons.Add(new(NoFitReason.Attributes, $"the offer lacks what the need requires: {string.Join(", ", missing)}"));
        if (!Fit.WindowsOverlap(offer, need))
            reasons.Add(new(NoFitReason.Window, $"available {Window(offer)} against needed {Window(need)}"));
        var (least, most) = (Math.Max(offer.MinLot, need.MinLot), Math.Min(offer.Available, need.Available));
        if (least > most)
            reasons.Add(new(NoFitReason.Lots, $"a leg would carry at least {Quantity(least)} (the larger min lot) but at most " +
                $"{Quantity(most)} (what the smaller has available)"));
        return reasons;
    }

    /// <summary>The listings of the other kind in <paramref name="listing"/>'s category: those that fit first, then by
    /// road distance and id.</summary>
    public static IReadOnlyList<Counterpart> Of(BookEntry listing, IEnumerable<BookEntry> book, double detourFactor) =>
        Candidates(listing, book, detourFactor)
            .OrderBy(c => c.Fits ? 0 : 1).ThenBy(c => c.RoadKm).ThenBy(c => c.Listing.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>The route's report for <paramref name="listing"/> over the tradable <paramref name="book"/>, each listing
    /// weighed against its category's other kind only.</summary>
    public static CounterpartReport Report(BookEntry listing, IReadOnlyList<BookEntry> book, double detourFactor, int limit)
    {
        var sides = book.ToLookup(e => (e.Category, e.Kind));
        IEnumerable<BookEntry> OtherSide(BookEntry e) => sides[(e.Category, e.Kind == ListingKind.Offer ? ListingKind.Need : ListingKind.Offer)];
        var counterparts = Of(listing, OtherSide(listing), detourFactor);
        var townSide = book.Where(e => e.TownId == listing.TownId && e.Kind != listing.Kind).ToList();
        return new CounterpartReport(counterparts.Count(c => c.Fits),
            counterparts.SelectMany(c => c.Reasons.Select(r => r.Code).Distinct()).GroupBy(code => code)
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            counterparts.Take(limit).ToList(), townSide.Count, townSide.Count(e => HasFit(e, OtherSide(e), detourFactor)));
    }

    /// <summary>Whether the listing has at least one counterpart that fits (stops at the first). The rule <see cref="Why"/>
    /// tells, asked as yes or no: a town's every listing may be asked it against a whole category, and writing each
    /// reason's sentence there cost seconds.</summary>
    public static bool HasFit(BookEntry listing, IEnumerable<BookEntry> book, double detourFactor) =>
        Others(listing, book).Any(e => listing.Kind == ListingKind.Offer ? Fits(listing, e, detourFactor) : Fits(e, listing, detourFactor));

    /// <summary>Exactly when <see cref="Why"/> finds no reason: the round's fit, and lots that can meet.</summary>
    private static bool Fits(BookEntry offer, BookEntry need, double detourFactor) =>
        Math.Max(offer.MinLot, need.MinLot) <= Math.Min(offer.Available, need.Available) && Fit.Serves(offer, need, detourFactor);

    private static IEnumerable<BookEntry> Others(BookEntry listing, IEnumerable<BookEntry> book) =>
        book.Where(e => e.Kind != listing.Kind && string.Equals(e.Category, listing.Category, StringComparison.Ordinal));

    private static IEnumerable<Counterpart> Candidates(BookEntry listing, IEnumerable<BookEntry> book, double detourFactor) =>
        Others(listing, book).Select(e =>
        {
            var (offer, need) = listing.Kind == ListingKind.Offer ? (listing, e) : (e, listing);
            return new Counterpart(e, Geo.RoadKm(listing.Lat, listing.Lon, e.Lat, e.Lon, detourFactor), Why(offer, need, detourFactor));
        });

    private static string Window(BookEntry e) => (e.AvailableFrom, e.AvailableUntil) switch
    {
        (null, null) => "at any time",
        ({ } from, null) => $"from {Instant(from)}",
        (null, { } until) => $"until {Instant(until)}",
        ({ } from, { } until) => $"{Instant(from)} to {Instant(until)}",
    };

    /// <summary>A window's end in UTC: the date alone at midnight, else with the time (to the millisecond when it has
    /// one: windows' ends are whole milliseconds), since windows that miss each other by hours read as overlapping when told
    /// as dates. The route's "availability ended at" too, so one answer tells an end one way.</summary>
    internal static string Instant(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var format = utc.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd"
            : utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss'Z'" : "yyyy-MM-dd HH:mm:ss.fff'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A quantity as the answer's numbers show it (<see cref="DisplayedNumbers"/>): a min lot of 2.25 against 2.2
    /// available read "at least 2.2 but at most 2.2" at one decimal.</summary>
    internal static string Quantity(double value) =>
        DisplayedNumbers.Round(value).ToString("0.###############", CultureInfo.InvariantCulture);

    /// <summary><paramref name="value"/> and the <paramref name="bound"/> it is over, to one decimal, or to as many more as
    /// it takes for them to read apart: 50.04 km was told as "50 km by road, over the need's 50 km".</summary>
    private static (string Value, string Bound) Apart(double value, double bound)
    {
        // Compared as printed: a custom format shows at most 15 significant digits, so numbers apart only beyond those
        // printed alike whatever the decimals asked for.
        for (var decimals = 1; decimals <= 15; decimals++)
        {
            var format = "0." + new string('#', decimals);
            var (told, limit) = (Math.Round(value, decimals).ToString(format, CultureInfo.InvariantCulture),
                Math.Round(bound, decimals).ToString(format, CultureInfo.InvariantCulture));
            if (told != limit) return (told, limit);
        }
        // The shortest text that reads back as each double: two different doubles never share it.
        return (value.ToString("R", CultureInfo.InvariantCulture), bound.ToString("R", CultureInfo.InvariantCulture));
    }
}
