using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;

namespace TradeNet.Matching.Tests.Rounds;

public class ScheduledClearingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private static ClearingRound StartedMinutesAgo(double minutes) =>
        new(Guid.NewGuid(), Now.AddMinutes(-minutes), 100, 10, 1, 50, "completed", "schedule", [], "engine", 4, 1, 50);

    [Fact]
    public void The_first_scheduled_round_is_due() => Assert.True(ScheduledClearing.IsDue(null, Now, Interval));

    [Theory]
    [InlineData(10, true)]   // this replica's own round, one interval ago
    [InlineData(9.5, true)]  // a timer tick a little early
    [InlineData(6, false)]   // another replica cleared 6 minutes ago: its round stands for this tick
    [InlineData(0.5, false)] // an operator's round just now
    public void A_tick_is_left_out_when_any_replica_cleared_within_nine_tenths_of_the_interval(double minutesAgo, bool due) =>
        Assert.Equal(due, ScheduledClearing.IsDue(StartedMinutesAgo(minutesAgo), Now, Interval));

    [Theory]
    [InlineData(-0.5, false)]    // another replica's clock a little ahead: its round stands for this tick
    [InlineData(-10, false)]     // a clock set back by less than an interval: the next round waits at most two
    [InlineData(-3 * 1440, true)] // stamped by a clock that ran days ahead and was set back: the schedule goes on now
    public void A_round_stamped_in_the_future_holds_the_schedule_back_by_an_interval_at_most(double minutesAgo, bool due) =>
        Assert.Equal(due, ScheduledClearing.IsDue(StartedMinutesAgo(minutesAgo), Now, Interval));
}
