using TradeNet.Catalog.Application;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Tests;

/// <summary>The rules behind the town routes' limits, checked on their own with chosen times and places.</summary>
public sealed class TownRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 14, 0, 0, TimeSpan.Zero);

    private static Town Moved(params DateTimeOffset[] moves) =>
        new("t", "Riorges", null, 46, 4, [], "hash", Now.AddDays(-1), Moves: moves.Length == 0 ? null : moves);

    [Fact]
    public void Moves_older_than_an_hour_do_not_count_and_the_next_move_waits_for_the_oldest_of_the_rest_to_leave_the_hour()
    {
        var town = Moved(Now.AddMinutes(-61), Now.AddMinutes(-30), Now.AddMinutes(-10));

        Assert.Equal([Now.AddMinutes(-30), Now.AddMinutes(-10)], TownMoves.Recent(town, Now));
        Assert.Null(TownMoves.NextAllowed(town, Now, max: 3));
        Assert.Equal(Now.AddMinutes(30), TownMoves.NextAllowed(town, Now, max: 2));
        Assert.Equal(Now.AddMinutes(50), TownMoves.NextAllowed(town, Now, max: 1));
    }

    [Fact]
    public void A_move_keeps_only_the_latest_moves_the_limit_needs()
    {
        var town = Moved(Now.AddMinutes(-90), Now.AddMinutes(-30), Now.AddMinutes(-10));

        Assert.Equal([Now.AddMinutes(-10), Now], TownMoves.With(town, Now, max: 2));
        Assert.Equal([Now], TownMoves.With(Moved(), Now, max: 3));
    }

    [Fact]
    public void A_town_that_never_moved_may_move()
    {
        Assert.Null(TownMoves.NextAllowed(Moved(), Now, max: 1));
    }

    [Fact]
    public void A_sealed_API_key_opens_only_with_the_Idempotency_Key_it_was_sealed_with()
    {
        var apiKey = ApiKeys.New();

        var sealedKey = SealedApiKeys.Seal(apiKey, "register-roanne-0001");

        Assert.Equal(apiKey, SealedApiKeys.Open(sealedKey, "register-roanne-0001"));
        Assert.Null(SealedApiKeys.Open(sealedKey, "register-roanne-0002"));
        Assert.DoesNotContain(apiKey[ApiKeys.Prefix.Length..], sealedKey);
        Assert.NotEqual(sealedKey, SealedApiKeys.Seal(apiKey, "register-roanne-0001")); // a fresh salt and nonce each time
        var altered = sealedKey[..^2] + (sealedKey[^2] == 'A' ? "B" : "A") + sealedKey[^1];
        Assert.Null(SealedApiKeys.Open(altered, "register-roanne-0001"));
        Assert.Null(SealedApiKeys.Open("not sealed", "register-roanne-0001"));
    }

    [Theory]
    [InlineData("Saint-Étienne", "saint etienne")]
    [InlineData("  SAINT   ÉTIENNE ", "saint etienne")]
    [InlineData("L'Arbresle", "l arbresle")]
    [InlineData("Roanne", "roanne")]
    [InlineData("St-Étienne", "saint etienne")]
    [InlineData("STE FOY LES LYON", "sainte foy les lyon")]
    [InlineData("Mt-Dore", "mont dore")]
    [InlineData("Stella-Plage", "stella plage")]
    public void A_name_is_compared_without_accents_case_punctuation_or_its_abbreviations(string name, string key) =>
        Assert.Equal(key, SuspendedLookalikes.NameKey(name));

    [Theory]
    [InlineData("Saint-Étienne", "SaintEtienne")]
    [InlineData("Saint-Étienne", "st etienne")]
    [InlineData("Villefranche-sur-Saône", "Ville Franche sur Saone")]
    public void A_name_written_as_one_word_or_several_is_one_name(string name, string other) =>
        Assert.Equal(SuspendedLookalikes.CompactKey(name), SuspendedLookalikes.CompactKey(other));

    [Theory]
    [InlineData("Ｓaint-Just-en-Chevalet")] // a fullwidth S
    [InlineData("Sᴀint-Just-en-Chevalet")] // a small capital A
    [InlineData("Saint-Juſt-en-Chevalet")] // a long s
    [InlineData("Sаint-Just-еn-Chevalet")] // a Cyrillic a and e
    [InlineData("SAINT-JUST-EN-CΗEVALET")] // a Greek capital eta
    [InlineData("𝐒aint-Just-en-Chevalet")] // a mathematical bold S, outside the 16-bit range
    [InlineData("Saint－Just－en－Chevalet")] // fullwidth hyphens
    public void Letters_that_only_look_latin_read_as_the_latin_ones(string lookalike) =>
        Assert.Equal(SuspendedLookalikes.CompactKey("Saint-Just-en-Chevalet"), SuspendedLookalikes.CompactKey(lookalike));

    [Fact]
    public void Names_that_differ_by_more_than_their_writing_stay_apart() =>
        Assert.NotEqual(SuspendedLookalikes.CompactKey("Saint-Étienne"), SuspendedLookalikes.CompactKey("Saint-Étienne-le-Molard"));

    [Theory]
    [InlineData(46.0443, 4.07974)]
    [InlineData(-33.9, 151.2)]
    [InlineData(89.95, 10)]
    [InlineData(0, 179.99)]
    public void The_box_around_a_place_holds_every_point_within_the_distance(double lat, double lon)
    {
        const double km = SuspendedLookalikes.SamePlaceKm;
        var box = GeoBox.Around(lat, lon, km);

        for (var bearing = 0; bearing < 360; bearing += 15)
        {
            // A point 0.999 × km away on this bearing (small-distance formula, then checked with the haversine).
            var rad = bearing * Math.PI / 180;
            var pLat = lat + km * 0.999 * Math.Cos(rad) / 111.19;
            var pLon = lon + km * 0.999 * Math.Sin(rad) / (111.19 * Math.Cos(lat * Math.PI / 180));
            if (pLat > 90 || pLon > 180 || Geo.HaversineKm(lat, lon, pLat, pLon) > km) continue;
            Assert.InRange(pLat, box.MinLat, box.MaxLat);
            Assert.InRange(pLon, box.MinLon, box.MaxLon);
        }
    }
}
