using System.Globalization;
using System.Text.RegularExpressions;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Shared.Data;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Application;

/// <summary>Input rules, collected per field so a 400 names every field that is wrong.</summary>
public static partial class CatalogValidation
{
    public const int MaxNameLength = 100;
    public const int MaxTags = 20;
    public const int MaxCategoryLength = 60;
    public const double MaxQuantity = 1e9;
    // The smallest quantity or lot worth trading: far finer than any unit here (kg, l, piece, kWh, hour), and far above
    // the denormal values whose lot sizes the matching engine's min-lot buckets cannot grow from.
    public const double MinQuantity = 0.001;
    public const double MaxDistanceKm = 5000;
    // A metre: answers show numbers to at least 7 decimals only (DisplayedNumbers), so a smaller limit read back as 0,
    // which this API refuses, while matching held the need to the stored limit.
    public const double MinDistanceKm = 0.001;

    // [0-9] and \z: \d takes any Unicode digit and $ a trailing newline, so "４２１８７" or "42187\n" could pose as 42187.
    [GeneratedRegex("^([0-9]{5}|2[AB][0-9]{3})\\z")]
    private static partial Regex InseeCode();

    public static bool IsInseeCode(string value) => InseeCode().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex Tag();

    /// <summary>An id from the path as a message may quote it: a long or control-character one is not repeated.</summary>
    public static string Quoted(string id) =>
        TextRules.IsQuotableId(id, MaxNameLength) ? $"'{id}'" : "with that id";

    /// <summary>A kind, category or status as the catalog stores it: ids are lower-case, so any case and padding reads the same.</summary>
    public static string AsId(string value) => value.Trim().ToLowerInvariant();

    /// <summary>The rules a listing's terms obey after publishing or any change.</summary>
    public static Dictionary<string, string[]> Terms(string kind, ListingTerms t)
    {
        var errors = new Errors();
        var quantityValid = double.IsFinite(t.Quantity) && t.Quantity is >= MinQuantity and <= MaxQuantity;
        if (!quantityValid) errors.Add("quantity", $"must be at least {MinQuantity} and at most {MaxQuantity:0}");
        if (!double.IsFinite(t.MinLot) || t.MinLot < 0 || t.MinLot is > 0 and < MinQuantity)
            errors.Add("minLot", $"must be 0 (no minimum) or at least {MinQuantity}");
        // Against a bad quantity the comparison means nothing: a left-out minLot (0) would be blamed for a -1 quantity.
        else if (quantityValid && t.MinLot > t.Quantity) errors.Add("minLot", "must not exceed the quantity");
        CheckTags(errors, "attributes", t.Attributes);
        CheckTags(errors, "requires", t.Requires);
        if (kind == ListingKinds.Need && t.Attributes.Length > 0)
            errors.Add("attributes", "only offers carry attributes; a need lists what it requires");
        if (kind == ListingKinds.Offer && t.Requires.Length > 0)
            errors.Add("requires", "only needs require attributes; an offer lists its attributes");
        // To the millisecond, as MongoDB keeps the ends and a reservation's terms compare them: a window inside one
        // millisecond was stored there with its end at its start, a listing this rule refuses at every later change.
        if (t.AvailableFrom is { } from && t.AvailableUntil is { } until && Millisecond(from) >= Millisecond(until))
            errors.Add("availableUntil", "must be after availableFrom (by a millisecond at least)");
        if (t.MaxDistanceKm is { } distance)
        {
            if (kind == ListingKinds.Offer) errors.Add("maxDistanceKm", "only needs have a maximum distance");
            else if (!double.IsFinite(distance) || distance < MinDistanceKm || distance > MaxDistanceKm)
                errors.Add("maxDistanceKm", $"must be at least {MinDistanceKm} (a metre) and at most {MaxDistanceKm:0}");
        }
        return errors.Result;
    }

    /// <summary>How far ahead a window may reach, as for vehicles: planning clips times there, where date arithmetic
    /// would overflow (a window at year 9999 gave a shipment an ETA of DateTimeOffset.MaxValue).</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(3653);

    /// <summary>A window given in a request must not have ended already (such a listing could never be matched, yet
    /// would read as active) nor reach more than 10 years ahead. Checked only for values the caller sends, so a listing
    /// whose window ran out can still be changed otherwise.</summary>
    public static void CheckInReach(Dictionary<string, string[]> errors, DateTimeOffset? availableFrom, DateTimeOffset? availableUntil,
        DateTimeOffset now)
    {
        if (availableUntil is { } until && until <= now)
            errors.TryAdd("availableUntil", ["must be in the future; a window that has ended could never be matched"]);
        if (availableUntil > now + MaxAhead)
            errors.TryAdd("availableUntil", ["must be at most 10 years ahead (leave it out for no end)"]);
        if (availableFrom > now + MaxAhead)
            errors.TryAdd("availableFrom", ["must be at most 10 years ahead"]);
    }

    /// <summary>A lot of -0 (which JSON can say) is no minimum, stored and announced as 0, not as "-0".</summary>
    public static double Lot(double minLot) => minLot == 0 ? 0 : minLot;

    /// <summary>Goods counted in pieces change hands whole (matching proposes whole pieces), so a quantity or lot of them
    /// is a whole number. Checked only for values the caller sends, as <see cref="CheckInReach"/> is.</summary>
    public static void CheckWholePieces(Dictionary<string, string[]> errors, string unit, double? quantity, double? minLot)
    {
        if (!string.Equals(unit, Units.Piece, StringComparison.OrdinalIgnoreCase)) return;
        const string rule = "must be a whole number: this category is counted in pieces";
        if (quantity is { } q && double.IsFinite(q) && q != Math.Floor(q)) errors.TryAdd("quantity", [rule]);
        if (minLot is { } lot && double.IsFinite(lot) && lot != Math.Floor(lot)) errors.TryAdd("minLot", [rule]);
    }

    /// <summary>A change that left minLot out and sent a quantity under it: the quantity is what the caller got wrong, so
    /// it is named, with the lot it fell under; "minLot: must not exceed the quantity" named a field the caller had not
    /// sent, without its value. A kept lot breaks no other rule (it was valid, and whole pieces are checked only when sent).</summary>
    public static void BlameQuantityUnderKeptLot(Dictionary<string, string[]> errors, ChangeListingRequest request, double keptLot)
    {
        if (request.MinLot is not null || request.SetsNull(ListingFields.MinLot) || !errors.Remove("minLot")) return;
        var lot = DisplayedNumbers.Round(keptLot).ToString(CultureInfo.InvariantCulture);
        errors["quantity"] = [.. errors.GetValueOrDefault("quantity") ?? [],
            $"must be at least the listing's minLot, {lot}: send a lower minLot with it (null for none)"];
    }

    /// <summary>Tags compare case-insensitively: stored lower-case, trimmed, without repeats.</summary>
    public static string[] NormalizeTags(string[]? tags) =>
        tags is null ? [] : tags.Select(t => (t ?? "").Trim().ToLowerInvariant()).Distinct().ToArray();

    public static DateTimeOffset? Utc(DateTimeOffset? time) => time?.ToUniversalTime();

    private static long Millisecond(DateTimeOffset time) => time.UtcTicks / TimeSpan.TicksPerMillisecond;

    private static void CheckTags(Errors errors, string field, string[] tags)
    {
        if (tags.Length > MaxTags) errors.Add(field, $"at most {MaxTags}");
        else if (tags.Any(t => !Tag().IsMatch(t)))
            errors.Add(field, "each must be 1 to 40 characters of a-z, 0-9 and '-', starting with a letter or digit");
    }

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = [];
        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
            list.Add(message);
        }
        public bool Has(string field) => _errors.ContainsKey(field);
        public Dictionary<string, string[]> Result => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
