using System.Text.Json;
using TradeNet.Contracts;

namespace TradeNet.Shared.Tests;

public class ListingTermsFingerprintTests
{
    private static readonly DateTimeOffset From = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

    private static readonly ListingSnapshot Need = new("l1", "42187", "need", "honey", "kg", 9.5, 1, 70, 70, 2.5,
        [], ["organic", "raw"], 5, From, From.AddDays(30), 46.03, 4.07, 1);

    private static string Of(ListingSnapshot l) => ListingTermsFingerprint.Of(l);

    [Fact]
    public void A_listing_read_back_from_the_bus_or_a_store_has_the_same_fingerprint()
    {
        // The bus and matching's store write the snapshot as JSON; MongoDB keeps times to the millisecond, in UTC.
        var copy = JsonSerializer.Deserialize<ListingSnapshot>(JsonSerializer.Serialize(Need, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;
        var millis = Need with
        {
            AvailableFrom = DateTimeOffset.FromUnixTimeMilliseconds(From.ToUnixTimeMilliseconds()).ToOffset(TimeSpan.FromHours(2)),
            AvailableUntil = DateTimeOffset.FromUnixTimeMilliseconds(From.AddDays(30).ToUnixTimeMilliseconds()),
        };

        Assert.Equal(Of(Need), Of(copy));
        Assert.Equal(Of(Need), Of(millis));
        Assert.StartsWith(ListingTermsFingerprint.Scheme, Of(Need));
    }

    [Fact]
    public void Tags_are_compared_as_sets_and_no_tags_as_none()
    {
        Assert.Equal(Of(Need), Of(Need with { Requires = ["RAW", "organic", "raw"] }));
        Assert.Equal(Of(Need with { Requires = [], Attributes = [] }), Of(Need with { Requires = null!, Attributes = null! }));
    }

    [Fact]
    public void Quantities_versions_and_values_do_not_change_it()
    {
        var fingerprint = Of(Need);

        Assert.Equal(fingerprint, Of(Need with { Quantity = 700, Remaining = 3, Version = 9 }));
        Assert.Equal(fingerprint, Of(Need with { ValuePerUnit = 11, WeightPerUnit = 2, Unit = "l" }));
    }

    [Fact]
    public void A_move_of_the_town_changes_the_current_fingerprint_but_not_the_positionless_one()
    {
        var moved = Need with { TownLat = 45.76, TownLon = 4.84 };

        Assert.NotEqual(Of(Need), Of(moved));
        Assert.Equal(ListingTermsFingerprint.WithoutPosition(Need), ListingTermsFingerprint.WithoutPosition(moved));
    }

    [Fact]
    public void The_positionless_fingerprint_is_the_one_earlier_releases_sent()
    {
        // Computed by the t1 code before the position was added: an older matching's fingerprint must still match.
        const string Before = "t1:f6b94b0c8351b21ce98ef3c1fe3caf7791dbf2e0ec3e6520cf40f9e9af1192a1";

        Assert.Equal(Before, ListingTermsFingerprint.WithoutPosition(Need));
    }

    [Fact]
    public void A_position_of_minus_zero_is_the_position_zero() =>
        Assert.Equal(Of(Need with { TownLat = 0, TownLon = 0 }), Of(Need with { TownLat = -0.0, TownLon = -0.0 }));

    private static readonly Dictionary<string, ListingSnapshot> Changes = new()
    {
        ["kind"] = Need with { Kind = "offer" },
        ["category"] = Need with { Category = "wax" },
        ["town"] = Need with { TownId = "42218" },
        ["minLot"] = Need with { MinLot = 2.5000000001 },
        ["minLot cleared"] = Need with { MinLot = 0 },
        ["attributes"] = Need with { Attributes = ["organic"] },
        ["requires dropped"] = Need with { Requires = ["raw"] },
        ["requires moved to attributes"] = Need with { Requires = ["raw"], Attributes = ["organic"] },
        ["maxDistanceKm"] = Need with { MaxDistanceKm = 5.001 },
        ["maxDistanceKm cleared"] = Need with { MaxDistanceKm = null },
        ["availableFrom"] = Need with { AvailableFrom = From.AddMilliseconds(1) },
        ["availableFrom cleared"] = Need with { AvailableFrom = null },
        ["availableUntil"] = Need with { AvailableUntil = From.AddDays(29) },
        ["window ends swapped"] = Need with { AvailableFrom = null, AvailableUntil = From },
        ["townLat"] = Need with { TownLat = 46.0300001 },
        ["townLon"] = Need with { TownLon = 4.0700001 },
        ["position swapped"] = Need with { TownLat = 4.07, TownLon = 46.03 },
    };

    public static TheoryData<string> Terms() => [.. Changes.Keys];

    [Theory, MemberData(nameof(Terms))]
    public void Every_term_a_trade_is_matched_by_changes_it(string term) =>
        Assert.True(Of(Need) != Of(Changes[term]), $"{term} left the fingerprint unchanged");

    [Fact]
    public void Only_a_fingerprint_of_a_known_scheme_is_comparable() =>
        Assert.Equal([true, true, false, false, false],
            new[] { Of(Need), ListingTermsFingerprint.WithoutPosition(Need), "", "t3:abc", "abc" }
                .Select(ListingTermsFingerprint.IsComparable).ToArray());
}
