using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>A town corrected its coordinates in catalog, which announces each of its open listings again (ListingChanged,
/// version + 1, the new position): the book reads the new position, and the "terms changed" rule re-fits pending
/// proposals from it; agreed trades keep the points they were agreed on.</summary>
public class MovedTownTests
{
    // Town B, about 100 km south-east of its registered position near Roanne.
    private const double MovedLat = 45.3;
    private const double MovedLon = 4.9;

    private static ListingSnapshot Moved(ListingSnapshot listing, long version) =>
        listing with { TownLat = MovedLat, TownLon = MovedLon, Version = version };

    [Fact]
    public async Task The_books_listing_reads_the_new_position_once_its_new_version_arrives()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Swap.All);

        await host.Publish(new ListingChanged(Moved(Swap.WoodOffer(), version: 2)));

        var entry = await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "b-wood"), b => b.Version == 2,
            what: "v2 in the book");
        Assert.Equal((MovedLat, MovedLon), (entry.TownLat, entry.TownLon));
        // A snapshot of the old position delivered late (an older version) does not move the listing back.
        var late = Guid.NewGuid();
        await host.Publish(new ListingChanged(Swap.WoodOffer(version: 1)), late);
        // Read once it was consumed (a fixed wait passed whatever the consumer did, when it had not run yet).
        await Eventually.True(() => Task.FromResult(host.Harness.ConsumedSoFar<ListingChanged>().Any(m => m.Context.MessageId == late)),
            what: "the late v1 consumed");
        var after = (await host.BookAsync()).Single(b => b.Id == "b-wood");
        Assert.Equal((2L, MovedLat, MovedLon), (after.Version, after.TownLat, after.TownLon));
    }

    [Fact]
    public async Task A_move_that_puts_a_town_beyond_a_needs_distance_limit_cancels_the_pending_proposal()
    {
        await using var host = new MatchingHost();
        // B's need takes cheese from at most 20 km away: A is 2.3 km from B's old position.
        await host.PublishListingsAsync(Swap.CheeseOffer(), Swap.WoodNeed(), Swap.WoodOffer(), Swap.CheeseNeed() with { MaxDistanceKm = 20 });
        var round = await host.RunRoundAsync();
        var tradeId = Assert.Single(round.TradeIds);

        await host.Publish(new ListingChanged(Moved(Swap.WoodOffer(), version: 2)));
        await host.Publish(new ListingChanged(Moved(Swap.CheeseNeed() with { MaxDistanceKm = 20 }, version: 2)));

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == tradeId);
        Assert.Matches("^listing b-cheese changed its terms; leg [01] no longer fits them$", cancelled.Reason);
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(tradeId)).Status);
        // The next round does not propose the pair again: it is out of reach from where B now is.
        Assert.Equal(0, (await host.RunRoundAsync()).Trades);
    }

    [Fact]
    public async Task A_round_proposes_no_leg_from_a_moving_towns_old_point_while_its_listings_disagree_on_where_it_is()
    {
        await using var host = new MatchingHost();
        // A takes firewood from at most 20 km away. B moved about 100 km: its firewood's ListingChanged has arrived, its
        // cheese need's not yet (one event per listing). The engine places a town at one point, and b-cheese comes first.
        await host.PublishListingsAsync(Swap.CheeseOffer(), Swap.WoodNeed() with { MaxDistanceKm = 20 }, Swap.CheeseNeed(), Swap.WoodOffer());
        await host.Publish(new ListingChanged(Moved(Swap.WoodOffer(), version: 2)));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "b-wood"), b => b.Version == 2, what: "v2 in the book");

        var round = await host.RunRoundAsync();

        // The firewood would come from where b-wood's copy says it is, 100 km away; and b-cheese's change, when it arrives,
        // re-fits only the legs through b-cheese, so nothing later would catch it.
        Assert.Equal(0, round.Trades);
        Assert.StartsWith("1 trade(s) dropped whose leg fits from a town's old position only", round.Quality!.Note);
        await host.Publish(new ListingChanged(Moved(Swap.CheeseNeed(), version: 2)));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "b-cheese"), b => b.Version == 2, what: "v2 in the book");
        Assert.Equal(0, (await host.RunRoundAsync()).Trades);
    }

    [Fact]
    public async Task A_proposal_kept_after_its_town_moved_is_agreed_on_the_new_position_which_logistics_plans_from()
    {
        await using var host = new MatchingHost();
        var proposed = await Swap.ProposeAsync(host);

        // B corrected its coordinates: no limit breaks, so the proposal stays, and the reservation goes out with the new terms.
        await host.Publish(new ListingChanged(Moved(Swap.WoodOffer(), version: 2)));
        await host.Publish(new ListingChanged(Moved(Swap.CheeseNeed(), version: 2)));
        await Eventually.Until(async () => await host.BookAsync(), book => book.Where(b => b.TownId == Swap.B).All(b => b.Version == 2),
            what: "B's listings at v2");
        Assert.Equal(TradeStatus.Proposed, (await host.TradeAsync(proposed.Id)).Status);
        (await Swap.AcceptAsync(host, Swap.A, proposed.Id)).EnsureSuccessStatusCode();
        (await Swap.AcceptAsync(host, Swap.B, proposed.Id)).EnsureSuccessStatusCode();

        // Logistics sends its vans to the legs' points: B's goods are picked up, and A's delivered, where B is now.
        var agreed = await host.Published<TradeAgreed>(a => a.TradeId == proposed.Id);
        var moved = new TradePoint(MovedLat, MovedLon);
        Assert.Equal(moved, agreed.Legs.Single(l => l.FromTown == Swap.B).From);
        Assert.Equal(moved, agreed.Legs.Single(l => l.ToTown == Swap.B).To);
        var trade = await host.TradeAsync(proposed.Id);
        Assert.Equal(moved, trade.Legs.Single(l => l.FromTown == Swap.B).From);
        Assert.Equal(moved, trade.Legs.Single(l => l.ToTown == Swap.B).To);
    }

    [Fact]
    public async Task An_agreed_trade_keeps_the_points_it_was_agreed_on_after_a_town_moves()
    {
        await using var host = new MatchingHost();
        var agreed = await Swap.AgreeAsync(host);
        var points = agreed.Legs.Select(l => (l.From, l.To)).ToArray();

        await host.Publish(new ListingChanged(Moved(Swap.WoodOffer(), version: 5)));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "b-wood"), b => b.Version == 5, what: "v5 in the book");

        var trade = await host.TradeAsync(agreed.Id);
        Assert.Equal(TradeStatus.Agreed, trade.Status);
        Assert.Equal(points, trade.Legs.Select(l => (l.From, l.To)).ToArray());
    }
}
