using System.Text.Json;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;

namespace TradeNet.Catalog.Application;

/// <summary>How a <see cref="ChangeListingRequest"/> applies to a listing's terms. A field left out keeps its value; a
/// field sent as null is cleared to what a listing published without it has, so a cleared listing is one the town
/// could have published: no minimum lot (0), no attributes or requirements ([]), an open window end, no distance limit.
/// Fields every listing has (quantity) or that never change (kind, category, town) cannot be cleared.</summary>
public static class ListingPatch
{
    private const ListingFields Fixed = ListingFields.Quantity | ListingFields.Kind | ListingFields.Category | ListingFields.TownId;

    /// <summary>A 400's errors for every fixed field the request sets to null; empty when there is none.</summary>
    /// <remarks>Read as "left out", such a null would answer 200 and change nothing, which the caller would take for
    /// success.</remarks>
    public static Dictionary<string, string[]> Uncleared(ChangeListingRequest request) =>
        Enum.GetValues<ListingFields>()
            .Where(f => f != ListingFields.None && Fixed.HasFlag(f) && request.SetsNull(f))
            .ToDictionary(JsonName, _ => new[] { "cannot be cleared (null); leave it out to keep its value" });

    public static ListingTerms Apply(ListingTerms current, ChangeListingRequest r) => new(
        r.Quantity ?? current.Quantity,
        r.MinLot is { } lot ? CatalogValidation.Lot(lot) : r.SetsNull(ListingFields.MinLot) ? 0 : current.MinLot,
        r.Attributes is { } attributes ? CatalogValidation.NormalizeTags(attributes)
            : r.SetsNull(ListingFields.Attributes) ? [] : current.Attributes,
        r.Requires is { } requires ? CatalogValidation.NormalizeTags(requires)
            : r.SetsNull(ListingFields.Requires) ? [] : current.Requires,
        CatalogValidation.Utc(r.AvailableFrom) ?? (r.SetsNull(ListingFields.AvailableFrom) ? null : current.AvailableFrom),
        CatalogValidation.Utc(r.AvailableUntil) ?? (r.SetsNull(ListingFields.AvailableUntil) ? null : current.AvailableUntil),
        r.MaxDistanceKm ?? (r.SetsNull(ListingFields.MaxDistanceKm) ? null : current.MaxDistanceKm));

    private static string JsonName(ListingFields field) => JsonNamingPolicy.CamelCase.ConvertName(field.ToString());
}
