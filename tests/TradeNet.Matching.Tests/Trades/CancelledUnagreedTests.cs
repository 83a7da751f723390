using TradeNet.Matching.Domain;
using static TradeNet.Matching.Tests.Storage.UnagreedTrades;

namespace TradeNet.Matching.Tests.Trades;

/// <summary>The rule the unagreed-trade retention deletes by, on the trade itself.</summary>
public class CancelledUnagreedTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_declined_expired_or_withdrawn_proposal_was_never_agreed()
    {
        Assert.True(Declined(Proposal(At), At.AddHours(1)).CancelledUnagreed);
        Assert.True(Accepted(Proposal(At), At).Cancel("expired: reservation not confirmed by catalog", At.AddDays(1)).CancelledUnagreed);
        Assert.True(Proposal(At).Cancel("listing x withdrawn", At.AddHours(1)).CancelledUnagreed);
    }

    [Fact]
    public void A_cancellation_keeps_its_time_in_whole_milliseconds_and_the_status_it_left()
    {
        var cancelled = Agreed(Proposal(At), At).Cancel("cancelled by operator ops: gone", At.AddTicks(12_345));

        Assert.Equal((TradeStatus.Cancelled, At.AddMilliseconds(1), (TradeStatus?)TradeStatus.Agreed), (cancelled.Status, cancelled.CancelledAt, cancelled.CancelledFrom));
    }

    [Fact]
    public void A_trade_agreed_then_cancelled_is_not_unagreed_even_when_its_agreement_time_was_never_recorded()
    {
        Assert.False(Agreed(Proposal(At), At).Cancel("stopped", At.AddHours(1)).CancelledUnagreed);
        Assert.False((Accepted(Proposal(At), At) with { Status = TradeStatus.Agreed }).Cancel("stopped", At.AddHours(1)).CancelledUnagreed);
    }

    [Fact]
    public void Proposed_agreed_and_completed_trades_and_cancellations_an_earlier_release_wrote_are_not_unagreed()
    {
        Assert.False(Proposal(At).CancelledUnagreed);
        Assert.False(Agreed(Proposal(At), At).CancelledUnagreed);
        Assert.False(Delivered(Agreed(Proposal(At), At), At.AddDays(1)).CancelledUnagreed);
        Assert.False((Proposal(At) with { Status = TradeStatus.Cancelled, Reason = "expired" }).CancelledUnagreed);
    }

    [Fact]
    public void A_cancelled_proposal_with_an_agreement_time_or_goods_moved_is_not_unagreed()
    {
        var cancelled = Proposal(At).Cancel("listing x withdrawn", At.AddHours(1));

        Assert.False((cancelled with { AgreedAt = At }).CancelledUnagreed);
        Assert.False(cancelled.WithLeg(0, l => l with { PickedUp = true, PickedUpAt = At }).CancelledUnagreed);
        Assert.False(cancelled.WithLeg(1, l => l with { Delivered = true, DeliveredAt = At }).CancelledUnagreed);
    }
}
