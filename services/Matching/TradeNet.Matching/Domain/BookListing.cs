using TradeNet.Contracts;

namespace TradeNet.Matching.Domain;

/// <summary>Matching's copy of a catalog listing. A withdrawal leaves a tombstone so that a late
/// ListingPublished or ListingChanged cannot bring the listing back.</summary>
public sealed record BookListing(string Id, string TownId, long Version, bool Withdrawn, ListingSnapshot? Listing)
{
    public static BookListing Open(ListingSnapshot listing) => new(listing.Id, listing.TownId, listing.Version, false, listing);

    public BookListing Withdraw(long version) => this with { Withdrawn = true, Version = Math.Max(Version, version) };
}
