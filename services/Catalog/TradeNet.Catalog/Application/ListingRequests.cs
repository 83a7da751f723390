using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TradeNet.Catalog.Domain;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Application;

/// <summary>A listing a publish call answers with; <see cref="Replayed"/> when an earlier call with the same
/// <c>Idempotency-Key</c> published it.</summary>
public sealed record PublishedListing(Listing Listing, bool Replayed);

/// <summary>The <c>Idempotency-Key</c> rules for publishing listings.</summary>
public static class ListingRequests
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;
    public const string KeyRule = "must be 1 to 255 printable ASCII characters without spaces or commas, sent once";

    // No commas: a header sent twice reaches the endpoint as its values joined by one.
    public static bool IsWellFormedKey(string key) => TextRules.IsToken(key, MaxKeyLength) && !key.Contains(',');

    /// <summary>The request's terms after normalisation (so the same listing sent twice, tags in another order or
    /// case, matches), as a digest.</summary>
    public static string Fingerprint(string kind, string category, ListingTerms terms) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            kind, category, terms.Quantity, terms.MinLot,
            Attributes = terms.Attributes.Order(StringComparer.Ordinal), Requires = terms.Requires.Order(StringComparer.Ordinal),
            terms.AvailableFrom, terms.AvailableUntil, terms.MaxDistanceKm,
        }))));
}
