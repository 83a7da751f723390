using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TradeNet.Contracts;

/// <summary>
/// A stable digest of the terms a listing is matched by (what <c>Fit</c> and the min-lot rule read), never of its
/// quantities: catalog computes it from its stored listing, matching from its book copy, and a reservation is refused
/// when the two differ, so a trade is not agreed on terms the listing no longer has.
/// </summary>
/// <remarks>Both sides must agree for an unchanged listing whatever store or transport it went through: tags are
/// compared as the case-insensitive sets <c>Fit</c> reads, null lists are empty, numbers are written round-trip with
/// -0 as 0, and times are UTC milliseconds since the Unix epoch, cut as MongoDB keeps them (a store there drops the
/// ticks below a millisecond that the published snapshot still carries).</remarks>
public static class ListingTermsFingerprint
{
    /// <summary>The scheme's prefix: a fingerprint of another scheme (a newer caller) is not compared.</summary>
    public const string Scheme = "t1:";

    public static string Of(ListingSnapshot l) =>
        Of(l.Kind, l.Category, l.TownId, l.MinLot, l.Attributes, l.Requires, l.MaxDistanceKm, l.AvailableFrom, l.AvailableUntil);

    public static string Of(string kind, string category, string townId, double minLot, IEnumerable<string>? attributes,
        IEnumerable<string>? requires, double? maxDistanceKm, DateTimeOffset? availableFrom, DateTimeOffset? availableUntil)
    {
        // Fields end with a unit separator, which no id, tag or number holds.
        var text = string.Concat(
            Id(kind), "\u001f", Id(category), "\u001f", townId, "\u001f", Number(minLot), "\u001f",
            Tags(attributes), "\u001f", Tags(requires), "\u001f",
            maxDistanceKm is { } km ? Number(km) : "", "\u001f", Time(availableFrom), "\u001f", Time(availableUntil), "\u001f");
        return Scheme + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Whether <paramref name="fingerprint"/> is one this scheme can compare (an empty one asks for no check).</summary>
    public static bool IsComparable(string? fingerprint) =>
        !string.IsNullOrEmpty(fingerprint) && fingerprint.StartsWith(Scheme, StringComparison.Ordinal);

    private static string Id(string? id) => (id ?? "").Trim().ToLowerInvariant();

    private static string Tags(IEnumerable<string>? tags) =>
        string.Join(",", (tags ?? []).Select(Id).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static string Number(double value) => value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? time) => time is { } t
        ? ((t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture)
        : "";
}
