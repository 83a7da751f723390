using System.ComponentModel;

namespace TradeNet.Catalog.Api;

/// <summary>A change of a listing, read as a JSON merge patch (RFC 7396): a field left out keeps its value, a field
/// sent as null clears it (what each becomes: <see cref="Application.ListingPatch"/>). Kind, category and town are
/// fixed once published.</summary>
/// <remarks>Init properties, not a positional record: System.Text.Json runs a setter only for a field the body names,
/// which is what tells an explicit null from a field left out. The properties keep their types, so the OpenAPI
/// document names the same fields (none required: a change names only what it changes).</remarks>
[Description("A merge patch (RFC 7396): a field left out keeps its value; null clears minLot (to 0), attributes and requires " +
    "(to []), availableFrom, availableUntil and maxDistanceKm; null on quantity, kind, category or townId is a 400.")]
public sealed record ChangeListingRequest
{
    public double? Quantity { get; init => field = Noting(value, ListingFields.Quantity); }
    public double? MinLot { get; init => field = Noting(value, ListingFields.MinLot); }
    public string[]? Attributes { get; init => field = Noting(value, ListingFields.Attributes); }
    public string[]? Requires { get; init => field = Noting(value, ListingFields.Requires); }
    public DateTimeOffset? AvailableFrom { get; init => field = Noting(value, ListingFields.AvailableFrom); }
    public DateTimeOffset? AvailableUntil { get; init => field = Noting(value, ListingFields.AvailableUntil); }
    public double? MaxDistanceKm { get; init => field = Noting(value, ListingFields.MaxDistanceKm); }
    public string? Kind { get; init => field = Noting(value, ListingFields.Kind); }
    public string? Category { get; init => field = Noting(value, ListingFields.Category); }
    public string? TownId { get; init => field = Noting(value, ListingFields.TownId); }

    // Flags rather than a set, so that records compare and copy (with) by value.
    private ListingFields _nulls;

    /// <summary>The fields the request sets to null (a method, so neither JSON nor OpenAPI sees it as a field).</summary>
    public ListingFields NullFields() => _nulls;

    public bool SetsNull(ListingFields field) => (_nulls & field) != 0;

    private T Noting<T>(T value, ListingFields field)
    {
        _nulls = value is null ? _nulls | field : _nulls & ~field;
        return value;
    }
}

/// <summary>The fields of a <see cref="ChangeListingRequest"/>; each one's JSON name is its name in camelCase.</summary>
[Flags]
public enum ListingFields
{
    None = 0,
    Quantity = 1 << 0,
    MinLot = 1 << 1,
    Attributes = 1 << 2,
    Requires = 1 << 3,
    AvailableFrom = 1 << 4,
    AvailableUntil = 1 << 5,
    MaxDistanceKm = 1 << 6,
    Kind = 1 << 7,
    Category = 1 << 8,
    TownId = 1 << 9,
}
