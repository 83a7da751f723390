using TradeNet.Catalog.Api;
using TradeNet.Catalog.Application;
using TradeNet.Catalog.Domain;

namespace TradeNet.Catalog.Tests;

public sealed class ValidationTests
{
    private static readonly RegisterTownRequest Roanne = new("Roanne", 46.0333, 4.0667, "42187", ["cheese"]);

    private static readonly ListingTerms Cheese = new(100, 10, ["organic"], [], null, null, null);

    [Fact]
    public void A_complete_town_is_valid()
    {
        Assert.Empty(CatalogValidation.Town(Roanne));
        Assert.Empty(CatalogValidation.Town(Roanne with { InseeCode = "2A004" })); // Corsica
        Assert.Empty(CatalogValidation.Town(Roanne with { InseeCode = null, Specialties = null }));
    }

    [Fact]
    public void Every_invalid_town_field_is_named_at_once()
    {
        var errors = CatalogValidation.Town(new RegisterTownRequest(" ", -90.5, 180.5, "4218", [new string('x', 61)]));

        Assert.Equal(["inseeCode", "lat", "lon", "name", "specialties"], errors.Keys.Order().ToArray());
    }

    [Theory]
    [InlineData(-90, -180)]
    [InlineData(90, 180)]
    public void Latitude_and_longitude_bounds_are_inclusive(double lat, double lon)
    {
        Assert.Empty(CatalogValidation.Town(Roanne with { Lat = lat, Lon = lon, InseeCode = null }));
    }

    [Theory]
    [InlineData(46.0443, 4.07974, true)] // Roanne's own point
    [InlineData(46.26, 4.07974, true)] // 24.0 km north
    [InlineData(46.28, 4.07974, false)] // 26.2 km north
    [InlineData(45.76, 4.84, false)] // Lyon, 68 km away
    public void A_known_insee_code_must_lie_within_25_km_of_its_commune(double lat, double lon, bool valid)
    {
        var errors = CatalogValidation.Town(Roanne with { Lat = lat, Lon = lon });

        if (valid) Assert.Empty(errors);
        else Assert.Equal(["inseeCode"], errors.Keys.ToArray());
    }

    [Fact]
    public void Lyon_is_known_through_its_arrondissements()
    {
        var lyon = Roanne with { Name = "Lyon", InseeCode = "69123" };

        Assert.Empty(CatalogValidation.Town(lyon with { Lat = 45.7578, Lon = 4.8320 })); // Place Bellecour
        Assert.Equal(["inseeCode"], CatalogValidation.Town(lyon with { Lat = -45, Lon = 170 }).Keys.ToArray());
    }

    [Fact]
    public void Every_town_of_the_directory_passes_at_its_own_coordinates()
    {
        // What the standalone host's demo seed registers.
        foreach (var town in TradeNet.Shared.Data.TownDirectory.All)
            Assert.Empty(CatalogValidation.Town(new RegisterTownRequest(town.Name, town.Lat, town.Lon, town.InseeCode, [])));
    }

    [Fact]
    public void Valid_offer_and_need_terms_pass()
    {
        Assert.Empty(CatalogValidation.Terms(ListingKinds.Offer, Cheese));
        Assert.Empty(CatalogValidation.Terms(ListingKinds.Need, Cheese with { Attributes = [], Requires = ["organic"], MaxDistanceKm = 50 }));
    }

    [Fact]
    public void A_listing_window_must_end_after_it_starts()
    {
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        var empty = CatalogValidation.Terms(ListingKinds.Offer, Cheese with { AvailableFrom = start, AvailableUntil = start });

        Assert.Equal(["availableUntil"], empty.Keys.ToArray());
    }

    [Theory]
    [InlineData(-1, null, "availableUntil")]
    [InlineData(3654, null, "availableUntil")]
    [InlineData(null, 3654, "availableFrom")]
    public void A_window_sent_must_not_have_ended_nor_reach_past_ten_years(int? untilDays, int? fromDays, string field)
    {
        var now = DateTimeOffset.UtcNow;
        var errors = new Dictionary<string, string[]>();

        CatalogValidation.CheckInReach(errors, fromDays is { } f ? now.AddDays(f) : null, untilDays is { } u ? now.AddDays(u) : null, now);

        Assert.Equal([field], errors.Keys.ToArray());
    }

    [Fact]
    public void A_window_within_ten_years_is_in_reach()
    {
        var now = DateTimeOffset.UtcNow;
        var errors = new Dictionary<string, string[]>();

        CatalogValidation.CheckInReach(errors, now.AddDays(3600), now.AddDays(3652), now);

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(0, 0, "quantity")]
    [InlineData(double.PositiveInfinity, 0, "quantity")]
    [InlineData(2e9, 0, "quantity")]
    [InlineData(10, 11, "minLot")]
    [InlineData(10, -0.5, "minLot")]
    [InlineData(5e-324, 0, "quantity")]
    [InlineData(0.0005, 0, "quantity")]
    [InlineData(10, 5e-324, "minLot")]
    public void Quantities_are_positive_and_the_minimum_lot_fits_inside(double quantity, double minLot, string field)
    {
        var errors = CatalogValidation.Terms(ListingKinds.Offer, Cheese with { Quantity = quantity, MinLot = minLot });

        Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(double.NaN, 5)]
    public void A_minimum_lot_is_not_compared_with_a_quantity_that_is_itself_wrong(double quantity, double minLot)
    {
        var errors = CatalogValidation.Terms(ListingKinds.Offer, Cheese with { Quantity = quantity, MinLot = minLot });

        Assert.Equal(["quantity"], errors.Keys.ToArray());
    }

    [Fact]
    public void Only_offers_carry_attributes_and_only_needs_requirements_and_distances()
    {
        var need = CatalogValidation.Terms(ListingKinds.Need, Cheese);
        var offer = CatalogValidation.Terms(ListingKinds.Offer, Cheese with { Requires = ["dry"], MaxDistanceKm = 10 });

        Assert.Equal(["attributes"], need.Keys.ToArray());
        Assert.Equal(["maxDistanceKm", "requires"], offer.Keys.Order().ToArray());
    }

    [Fact]
    public void Tags_are_compared_lower_case_without_repeats()
    {
        Assert.Equal(["organic", "raw-milk"], CatalogValidation.NormalizeTags([" Organic", "organic", "RAW-MILK"]));
        Assert.Equal(["attributes"], CatalogValidation.Terms(ListingKinds.Offer, Cheese with { Attributes = ["two words"] }).Keys.ToArray());
    }
}
