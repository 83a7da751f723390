using Microsoft.Extensions.Logging.Abstractions;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public sealed class StateGaugeTests
{
    public enum Parcel { Waiting, OnTheRoad, Arrived }

    [Fact]
    public async Task A_state_gauge_reports_the_last_poll_with_every_state_in_snake_case_and_zero_for_empty_ones()
    {
        // A name of its own: the registry is process-wide and other tests' pollers must not interfere.
        var gauge = new StateGauge($"test.parcels.current.{Guid.NewGuid():N}", "{parcel}", "Parcels in each state");
        var counts = new Dictionary<Parcel, long> { [Parcel.OnTheRoad] = 3 };
        var poller = new StateGaugePoller<Parcel>(gauge, _ => Task.FromResult<IReadOnlyDictionary<Parcel, long>>(counts.ToDictionary()),
            NullLogger<StateGaugePoller<Parcel>>.Instance);

        var beforeAnyPoll = StateGaugeReader.Read(gauge.Name);
        await poller.PollAsync(CancellationToken.None);
        var first = StateGaugeReader.Read(gauge.Name);
        counts[Parcel.OnTheRoad] = 1;
        counts[Parcel.Arrived] = 2;
        var betweenPolls = StateGaugeReader.Read(gauge.Name);
        await poller.PollAsync(CancellationToken.None);
        var second = StateGaugeReader.Read(gauge.Name);

        Assert.Empty(beforeAnyPoll);
        Assert.Equal(new Dictionary<string, long> { ["waiting"] = 0, ["on_the_road"] = 3, ["arrived"] = 0 }, first);
        Assert.Equal(first, betweenPolls);
        Assert.Equal(new Dictionary<string, long> { ["waiting"] = 0, ["on_the_road"] = 1, ["arrived"] = 2 }, second);
    }
}
