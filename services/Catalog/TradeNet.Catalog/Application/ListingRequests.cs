using TradeNet.Catalog.Domain;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Application;

/// <summary>A listing a publish call answers with; <see cref="Replayed"/> when an earlier call with the same
/// <c>Idempotency-Key</c> published it.</summary>
public sealed record PublishedListing(Listing Listing, bool Replayed);

/// <summary>What makes two publish calls the same listing (the key's own rules are <see cref="IdempotencyKeys"/>).</summary>
public static class ListingRequests
{
    /// <summary>The request's terms after normalisation (so the same listing sent twice, tags in another order or
    /// case, matches), as a digest.</summary>
    public static string Fingerprint(string kind, string category, ListingTerms terms) =>
        IdempotencyKeys.Fingerprint(new
        {
            kind, category, terms.Quantity, terms.MinLot,
            Attributes = terms.Attributes.Order(StringComparer.Ordinal), Requires = terms.Requires.Order(StringComparer.Ordinal),
            terms.AvailableFrom, terms.AvailableUntil, terms.MaxDistanceKm,
        });
}
