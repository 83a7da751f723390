using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;

namespace TradeNet.Matching.Tests.Component;

/// <summary>The numbers hunt: a leg's quantity is its value divided by a price, so what remains of a listing after a trade
/// carries float noise (6 kg less a 3 kg leg of pellets is 2.9999999999999996 kg). Noise a town cannot see must not decide
/// whether its listing trades.</summary>
public class FloatNoiseRoundTests
{
    private const string A = "town-a", C = "town-c";

    /// <summary>What catalog holds after a 3 kg leg of pellets (0.4 credits a kg): the leg was its value, 3 × 0.4, over the
    /// price, 3.0000000000000004 kg, and the listing's remaining is 6 less that.</summary>
    private static readonly double LeftAfterALotOfThree = 6 - 3 * 0.4 / 0.4;

    [Fact]
    public async Task A_listing_whose_remaining_is_its_min_lot_but_for_float_noise_is_still_traded()
    {
        Assert.True(LeftAfterALotOfThree < 3); // the noise this is about, as the doubles give it
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(
            Listing("a-pellets", A, "offer", "wood-pellets", 6, LeftAfterALotOfThree, 0.4, minLot: 3),
            Listing("c-pellets", C, "need", "wood-pellets", 3, 3, 0.4, minLot: 3),
            Listing("c-honey", C, "offer", "honey", 10, 10, 12),
            Listing("a-honey", A, "need", "honey", 10, 10, 12));

        var round = await host.RunRoundAsync();

        var proposed = await host.Published<TradeProposed>(p => p.RoundId == round.Id);
        var pellets = Assert.Single(proposed.Legs, l => l.Category == "wood-pellets");
        Assert.Equal(3, pellets.Quantity, 6);
        Assert.True(pellets.Quantity <= LeftAfterALotOfThree + 1e-6); // within what catalog reserves (Listing.Epsilon)
    }

    [Fact]
    public async Task A_listing_whose_whole_quantity_is_its_min_lot_with_float_noise_in_both_is_still_traded()
    {
        // A town that computed its quantity (3 × 0.4 / 0.4) and sent it as its min lot too: the book reads what is
        // available to 12 significant digits (3), and compared that with the min lot as sent, so no round used it.
        var noisy = 3 * 0.4 / 0.4;
        Assert.True(noisy > 3);
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(
            Listing("a-pellets", A, "offer", "wood-pellets", noisy, noisy, 0.4, minLot: noisy),
            Listing("c-pellets", C, "need", "wood-pellets", 3, 3, 0.4, minLot: 3),
            Listing("c-honey", C, "offer", "honey", 10, 10, 12),
            Listing("a-honey", A, "need", "honey", 10, 10, 12));

        var round = await host.RunRoundAsync();

        var proposed = await host.Published<TradeProposed>(p => p.RoundId == round.Id);
        var pellets = Assert.Single(proposed.Legs, l => l.Category == "wood-pellets");
        Assert.True(pellets.Quantity >= noisy - 1e-6); // at least the offer's min lot, as catalog's reservation reads it
    }

    [Fact]
    public async Task A_crumb_of_float_noise_left_beside_a_reservation_is_not_in_the_round()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(
            Listing("a-cheese", A, "offer", "cheese", 1, 1 - (1.0 / 3 + 1.0 / 3 + 1.0 / 3 - 1e-9), 18),
            Listing("c-cheese", C, "need", "cheese", 10, 10, 18),
            Listing("c-honey", C, "offer", "honey", 10, 10, 12),
            Listing("a-honey", A, "need", "honey", 10, 10, 12));

        var round = await host.RunRoundAsync();

        Assert.Equal(0, round.Trades);
        var book = await host.Operator().GetFromJsonAsync<CounterpartsView>("/api/matching/listings/a-cheese/counterparts", MatchingHost.Json);
        Assert.False(book!.InBook);
        Assert.Equal("nothing of it remains (reserved or fulfilled to its quantity)", book.NotInBookReason);
    }

    private static ListingSnapshot Listing(string id, string town, string kind, string category, double quantity, double remaining,
        double valuePerUnit, double minLot = 0)
    {
        var (lat, lon) = town == A ? (46.0367, 4.0683) : (46.0200, 4.0900);
        return new ListingSnapshot(id, town, kind, category, "kg", valuePerUnit, 1, quantity, remaining, minLot, [], [], null, null, null,
            lat, lon, 1);
    }
}
