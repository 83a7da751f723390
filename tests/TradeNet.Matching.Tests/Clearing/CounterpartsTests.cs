using CsCheck;
using TradeNet.Matching.Clearing;
using static TradeNet.Matching.Tests.Clearing.Books;

namespace TradeNet.Matching.Tests.Clearing;

public class CounterpartsTests
{
    private static readonly DateTimeOffset Day = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_offer_and_a_need_have_no_reason_apart_exactly_when_they_fit_and_their_lots_can_meet()
    {
        Gen.Select(BilateralClearingProperties.Entry, BilateralClearingProperties.Entry).Sample((a, b) =>
        {
            var offer = a with { Id = "o", Kind = ListingKind.Offer };
            var need = b with { Id = "n", Kind = ListingKind.Need, Category = offer.Category };
            var lotsMeet = Math.Max(offer.MinLot, need.MinLot) <= Math.Min(offer.Available, need.Available);

            Assert.Equal(Fit.Serves(offer, need, 1.3) && lotsMeet, Counterparts.Why(offer, need, 1.3).Count == 0);
        }, iter: 2000);
    }

    [Fact]
    public void A_listing_has_a_fit_exactly_when_one_of_its_counterparts_has_no_reason_apart()
    {
        Gen.Select(BilateralClearingProperties.Entry, BilateralClearingProperties.Entry.Array[0, 6]).Sample((listing, others) =>
        {
            var book = others.Select((e, i) => e with { Id = $"e{i}", Category = i % 3 == 0 ? "other" : listing.Category }).ToList();

            Assert.Equal(Counterparts.Of(listing, book, 1.3).Any(c => c.Fits), Counterparts.HasFit(listing, book, 1.3));
        }, iter: 2000);
    }

    [Fact]
    public void Each_condition_that_keeps_an_offer_from_a_need_is_named_with_what_it_is_short_of()
    {
        var offer = Offer("o", "roanne", "cheese", 5, 12, minLot: 1, attributes: ["raw-milk"], from: Day, until: Day.AddDays(2));
        var need = Need("n", "lyon", "cheese", 40, 12, minLot: 10, requires: ["organic", "raw-milk"], maxKm: 50, at: Lyon,
            from: Day.AddDays(5), until: Day.AddDays(9));

        var reasons = Counterparts.Why(offer, need, 1.3).ToDictionary(r => r.Code, r => r.Detail);

        Assert.Equal([NoFitReason.Distance, NoFitReason.Attributes, NoFitReason.Window, NoFitReason.Lots], reasons.Keys);
        Assert.Matches(@"^\d+(\.\d)? km by road, over the need's 50 km$", reasons[NoFitReason.Distance]);
        Assert.Equal("the offer lacks what the need requires: organic", reasons[NoFitReason.Attributes]);
        Assert.Equal("available 2026-12-01 to 2026-12-03 against needed 2026-12-06 to 2026-12-10", reasons[NoFitReason.Window]);
        Assert.Equal("a leg would carry at least 10 (the larger min lot) but at most 5 (what the smaller has available)", reasons[NoFitReason.Lots]);
        Assert.Equal(NoFitReason.SameTown, Assert.Single(Counterparts.Why(offer, need with { TownId = "roanne", Requires = [],
            MaxDistanceKm = null, AvailableFrom = null, MinLot = 0 }, 1.3)).Code);
    }

    [Fact]
    public void A_leg_short_of_the_larger_min_lot_by_a_fraction_names_both_quantities_as_the_answer_shows_them()
    {
        // 2.25 and 2.2 both printed "2.2" at one decimal: "at least 2.2 but at most 2.2".
        var offer = Offer("o", "roanne", "cheese", 2.2, 12);
        var need = Need("n", "riorges", "cheese", 10, 12, minLot: 2.25);

        Assert.Equal("a leg would carry at least 2.25 (the larger min lot) but at most 2.2 (what the smaller has available)",
            Assert.Single(Counterparts.Why(offer, need, 1.3)).Detail);
    }

    [Fact]
    public void A_town_just_beyond_a_needs_distance_is_told_a_distance_over_it_not_one_equal_to_it()
    {
        AssertReadsOver(roadKm => roadKm - 0.001);
    }

    [Fact]
    public void A_town_a_hair_beyond_a_needs_distance_still_reads_over_it_past_fifteen_significant_digits()
    {
        // A custom number format shows at most 15 significant digits, so a limit one double below the road distance
        // read "89.6… km by road, over the need's 89.6… km" with both numbers alike, however many decimals were asked for.
        AssertReadsOver(Math.BitDecrement);
    }

    /// <summary>A need whose limit <paramref name="below"/> makes of the road distance from Lyon to Riorges: its distance
    /// reason must print the distance above the limit.</summary>
    private static void AssertReadsOver(Func<double, double> below)
    {
        var offer = Offer("o", "roanne", "cheese", 10, 12, at: Lyon);
        var roadKm = TradeNet.Shared.Hosting.Geo.RoadKm(Lyon.Lat, Lyon.Lon, Riorges.Lat, Riorges.Lon, 1.3);
        var need = Need("n", "riorges", "cheese", 10, 12, maxKm: below(roadKm));

        var detail = Assert.Single(Counterparts.Why(offer, need, 1.3)).Detail;

        var match = System.Text.RegularExpressions.Regex.Match(detail, @"^([\d.]+) km by road, over the need's ([\d.]+) km$");
        Assert.True(match.Success, detail);
        Assert.True(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            > double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), detail);
    }

    [Fact]
    public void Windows_that_miss_each_other_within_a_day_are_told_with_their_hours()
    {
        // Told as dates alone, these read "available … to 2026-12-03 against needed 2026-12-03 to …": seemingly overlapping.
        var offer = Offer("o", "roanne", "cheese", 10, 12, from: Day, until: Day.AddDays(2).AddHours(10));
        var need = Need("n", "riorges", "cheese", 10, 12, from: Day.AddDays(2).AddHours(12).AddMilliseconds(250), until: Day.AddDays(4));

        Assert.Equal("available 2026-12-01 to 2026-12-03 10:00:00Z against needed 2026-12-03 12:00:00.250Z to 2026-12-05",
            Assert.Single(Counterparts.Why(offer, need, 1.3)).Detail);
    }

    [Fact]
    public void Counterparts_are_the_other_kind_of_the_same_category_those_that_fit_first_then_the_nearest()
    {
        var need = Need("n", "riorges", "cheese", 10, 12, maxKm: 30);
        var book = new[]
        {
            need, Offer("near", "roanne", "cheese", 10, 12), Offer("lyon", "lyon", "cheese", 10, 12, at: Lyon),
            Offer("far-but-fits", "mably", "cheese", 10, 12, at: (46.0667, 4.0667)), Offer("wood", "roanne", "firewood", 10, 1),
            Need("other-need", "roanne", "cheese", 10, 12),
        };

        var counterparts = Counterparts.Of(need, book, 1.3);

        Assert.Equal(["near", "far-but-fits", "lyon"], counterparts.Select(c => c.Listing.Id));
        Assert.Equal([true, true, false], counterparts.Select(c => c.Fits));
        Assert.True(Counterparts.HasFit(need, book, 1.3));
        Assert.False(Counterparts.HasFit(Need("lonely", "riorges", "honey", 1, 9), book, 1.3));
    }
}
