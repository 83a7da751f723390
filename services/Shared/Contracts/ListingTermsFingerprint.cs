using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TradeNet.Contracts;

/// <summary>
/// A stable digest of the terms a listing is matched by (what <c>Fit</c> and the min-lot rule read, its town's position
/// included), never of its quantities: catalog computes it from its stored listing, matching from its book copy, and a reservation is refused
/// when the two differ, so a trade is not agreed on terms the listing no longer has.
/// </summary>
/// <remarks>Both sides must agree for an unchanged listing whatever store or transport it went through: tags are
/// compared as the case-insensitive sets <c>Fit</c> reads, null lists are empty, numbers are written round-trip with
/// -0 as 0, and times are UTC milliseconds since the Unix epoch, cut as MongoDB keeps them (a store there drops the
/// ticks below a millisecond that the published snapshot still carries).</remarks>
public static class ListingTermsFingerprint
{
    /// <summary>The current scheme's prefix: the terms and the position of the listing's town, which a distance limit is
    /// checked from (a town can move, and a trade agreed on the old position may be beyond a need's limit).</summary>
    public const string Scheme = "t2:";

    /// <summary>The earlier scheme, without the position: still compared, for a caller sending it during a rolling upgrade.</summary>
    public const string PositionlessScheme = "t1:";

    /// <summary>The current scheme (<see cref="Scheme"/>): the snapshot carries the town's position.</summary>
    public static string Of(ListingSnapshot l) =>
        Of(l.Kind, l.Category, l.TownId, l.MinLot, l.Attributes, l.Requires, l.MaxDistanceKm, l.AvailableFrom, l.AvailableUntil,
            l.TownLat, l.TownLon);

    /// <summary>The current scheme (<see cref="Scheme"/>), with the position of the listing's town.</summary>
    public static string Of(string kind, string category, string townId, double minLot, IEnumerable<string>? attributes,
        IEnumerable<string>? requires, double? maxDistanceKm, DateTimeOffset? availableFrom, DateTimeOffset? availableUntil,
        double townLat, double townLon) =>
        Digest(Scheme, Terms(kind, category, townId, minLot, attributes, requires, maxDistanceKm, availableFrom, availableUntil)
            + Number(townLat) + "\u001f" + Number(townLon) + "\u001f");

    /// <summary>The earlier scheme (<see cref="PositionlessScheme"/>): the same text as ever, so an older caller's
    /// fingerprint of an unchanged listing still matches.</summary>
    public static string WithoutPosition(ListingSnapshot l) =>
        WithoutPosition(l.Kind, l.Category, l.TownId, l.MinLot, l.Attributes, l.Requires, l.MaxDistanceKm, l.AvailableFrom, l.AvailableUntil);

    /// <summary>The earlier scheme (<see cref="PositionlessScheme"/>).</summary>
    public static string WithoutPosition(string kind, string category, string townId, double minLot, IEnumerable<string>? attributes,
        IEnumerable<string>? requires, double? maxDistanceKm, DateTimeOffset? availableFrom, DateTimeOffset? availableUntil) =>
        Digest(PositionlessScheme, Terms(kind, category, townId, minLot, attributes, requires, maxDistanceKm, availableFrom, availableUntil));

    /// <summary>Whether <paramref name="fingerprint"/> is of a scheme this build can compare (an empty one asks for no check).</summary>
    public static bool IsComparable(string? fingerprint) => HasPosition(fingerprint) || IsPositionless(fingerprint);

    /// <summary>Whether <paramref name="fingerprint"/> is of the current scheme, which needs the town's position to compare.</summary>
    public static bool HasPosition(string? fingerprint) => fingerprint?.StartsWith(Scheme, StringComparison.Ordinal) == true;

    /// <summary>Whether <paramref name="fingerprint"/> is of the earlier scheme, without the position.</summary>
    public static bool IsPositionless(string? fingerprint) => fingerprint?.StartsWith(PositionlessScheme, StringComparison.Ordinal) == true;

    private static string Terms(string kind, string category, string townId, double minLot, IEnumerable<string>? attributes,
        IEnumerable<string>? requires, double? maxDistanceKm, DateTimeOffset? availableFrom, DateTimeOffset? availableUntil) =>
        // Fields end with a unit separator, which no id, tag or number holds.
        string.Concat(
            Id(kind), "\u001f", Id(category), "\u001f", townId, "\u001f", Number(minLot), "\u001f",
            Tags(attributes), "\u001f", Tags(requires), "\u001f",
            maxDistanceKm is { } km ? Number(km) : "", "\u001f", Time(availableFrom), "\u001f", Time(availableUntil), "\u001f");

    private static string Digest(string scheme, string text) =>
        scheme + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Id(string? id) => (id ?? "").Trim().ToLowerInvariant();

    private static string Tags(IEnumerable<string>? tags) =>
        string.Join(",", (tags ?? []).Select(Id).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static string Number(double value) => value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? time) => time is { } t
        ? ((t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture)
        : "";
}
