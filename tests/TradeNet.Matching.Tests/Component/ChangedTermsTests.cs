using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>A listing whose terms change so that a leg of a pending proposal no longer fits them: the proposal is
/// cancelled at once, fully accepted ones included (see <see cref="StaleTermsTests"/>), since it must not be agreed.</summary>
public class ChangedTermsTests
{
    [Fact]
    public async Task A_need_that_now_requires_an_attribute_the_offer_lacks_cancels_the_proposal()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        await host.Publish(new ListingChanged(Swap.CheeseNeed(version: 2) with { Requires = ["organic"] }));

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Matches("^listing b-cheese changed its terms; leg [01] no longer fits them$", cancelled.Reason);
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
    }

    [Theory]
    [InlineData("distance")]
    [InlineData("lot")]
    public async Task A_distance_limit_or_min_lot_the_leg_breaks_cancels_the_proposal(string change)
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        // The towns are 2.3 km apart; the cheese leg carries 10 kg.
        await host.Publish(new ListingChanged(change == "distance"
            ? Swap.CheeseNeed(version: 2) with { MaxDistanceKm = 1 }
            : Swap.CheeseOffer(version: 2) with { Quantity = 100, Remaining = 100, MinLot = 50 }));

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Contains("changed its terms", cancelled.Reason);
    }

    [Fact]
    public async Task Windows_moved_apart_cancel_the_proposal_once_they_no_longer_overlap()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        var now = DateTimeOffset.UtcNow;

        // The need's window is open-ended, so the offer starting in a month still overlaps it…
        await host.Publish(new ListingChanged(Swap.WoodOffer(version: 2) with { AvailableFrom = now.AddDays(30) }));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "b-wood"), b => b.Version == 2, what: "v2 in the book");
        Assert.Equal(TradeStatus.Proposed, (await host.TradeAsync(trade.Id)).Status);
        // …until the need closes next week.
        await host.Publish(new ListingChanged(Swap.WoodNeed(version: 2) with { AvailableUntil = now.AddDays(7) }));

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Matches("^listing a-wood changed its terms; leg [01] no longer fits them$", cancelled.Reason);
    }

    [Fact]
    public async Task A_proposal_kept_after_a_window_moved_is_agreed_with_the_window_as_listed_now_which_logistics_picks_up_in()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        var from = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeMilliseconds());
        var until = from.AddDays(10);

        // The need's window is open-ended, so the wood available only next month still fits it and the proposal stays.
        await host.Publish(new ListingChanged(Swap.WoodOffer(version: 2) with { AvailableFrom = from, AvailableUntil = until }));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "b-wood"), b => b.Version == 2, what: "v2 in the book");
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();
        (await Swap.AcceptAsync(host, Swap.B, trade.Id)).EnsureSuccessStatusCode();

        // Logistics plans the pickup inside the leg's window: not before the wood is there, nor after it is gone.
        var agreed = await host.Published<TradeAgreed>(a => a.TradeId == trade.Id);
        var wood = agreed.Legs.Single(l => l.OfferId == "b-wood");
        Assert.Equal((from, until), (wood.AvailableFrom, wood.AvailableUntil));
        var cheese = agreed.Legs.Single(l => l.OfferId == "a-cheese");
        Assert.Equal((null, null), (cheese.AvailableFrom, cheese.AvailableUntil));
    }

    [Fact]
    public async Task A_change_the_proposal_still_fits_cancels_nothing()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        await host.Publish(new ListingChanged(Swap.CheeseNeed(version: 2) with { MaxDistanceKm = 100, Requires = [] }));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "b-cheese"), b => b.Version == 2, what: "v2 in the book");

        Assert.Equal(TradeStatus.Proposed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task A_window_shortened_under_a_proposal_it_still_fits_ends_the_proposal_when_the_window_ends()
    {
        var clock = new ShiftedClock();
        await using var host = new MatchingHost(new() { ["Matching:SweepInterval"] = "00:00:00.200" }) { Clock = clock };
        var trade = await Swap.ProposeAsync(host);
        var until = DateTimeOffset.UtcNow.AddHours(1);

        // The need's window is open: the offer's ending in an hour still overlaps it, so the proposal fits…
        await host.Publish(new ListingChanged(Swap.WoodOffer(version: 2) with { AvailableUntil = until }));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "b-wood"), b => b.Version == 2, what: "v2 in the book");
        var proposed = await host.TradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Proposed, proposed.Status);
        Assert.True(proposed.Deadline <= until, $"deadline {proposed.Deadline:O}, the offer's window ends {until:O}");
        // …and ends with the window, not a day later: wood no longer available cannot be agreed on.
        clock.Shift = TimeSpan.FromHours(2);

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Equal("expired", cancelled.Reason);
    }
}
